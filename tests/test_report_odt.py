"""The report as an editable document (ODT), and the staff menu's report off the GUI thread."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer

from kiosk.gui.report import ReportError, build_report, check_odt
from kiosk.gui.staff.save import SaveJob
from tests.test_report import content, fill, flat, pdf_text  # noqa: F401 - a fixture
from tests.test_shell import (
    EJECT,
    make_shell,
    open_menu,
    save_to_stick,
    start_at_the_market,
    tap_menu,
)

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def kiosk(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=180, env=env)


def soffice_to_pdf(odt: Path, out: Path) -> Path:
    """LibreOffice (Writer) reads the ODT and prints it to PDF."""
    profile = out / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(odt)],
                   capture_output=True, timeout=240, check=True)
    pdf = out / f"{odt.stem}.pdf"
    assert pdf.is_file(), "LibreOffice did not convert the ODT"
    return pdf


def test_kiosk_report_writes_an_odt_with_headings_tables_and_charts(
    data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "rapport.odt"
    result = kiosk("report", "--data-dir", str(data_dir), "--publiek", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"geschreven: {out}" in result.stdout
    check_odt(out)
    with zipfile.ZipFile(out) as odt:
        assert odt.namelist()[0] == "mimetype"
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert odt.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        xml = odt.read("content.xml").decode("utf-8")
        pictures = [name for name in odt.namelist() if name.startswith("Pictures/")]
        for picture in pictures:
            assert odt.read(picture).startswith(b"\x89PNG")
    assert pictures
    for heading in ("Antwoorden per stelling", "Welke plek werkt?", "Signalen en gesprekken",
                    "Welke aanpak werkt?", "In het kort"):
        assert f">{heading}<" in xml, heading
    assert xml.count("<text:h ") >= 10  # real headings, with their outline level
    assert 'text:outline-level="1"' in xml
    assert "<table:table " in xml
    assert "<table:table-header-rows>" in xml  # the header row repeats on a new page
    assert "<draw:image " in xml  # the charts
    assert "rel-column-width" in xml  # columns as wide as in the PDF, not split evenly
    assert "Weekmarkt" in xml

    words = flat(pdf_text(soffice_to_pdf(out, tmp_path)))
    for heading in ("Antwoorden per stelling", "Welke plek werkt?", "Zo leest u de cijfers"):
        assert heading in words
    assert "Weekmarkt" in words


def test_the_same_document_as_pdf_and_odt(qapp, content, data_dir: Path,  # noqa: F811
                                          tmp_path: Path) -> None:
    fill(data_dir / "kiosk.db")
    pdf, odt = tmp_path / "r.pdf", tmp_path / "r.odt"
    pages = build_report(data_dir / "kiosk.db", content, [pdf, odt], publiek=True)
    assert pages >= 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["r.odt", "r.pdf"]
    in_pdf = flat(pdf_text(pdf))
    with zipfile.ZipFile(odt) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    for statement in ("digid", "formulieren"):
        text = content.statement_text(statement)
        assert text in in_pdf
        assert text in xml
    assert "Eens 10 (67%)" in in_pdf  # a chart's label is text, in the PDF too


def test_a_report_is_a_pdf_or_an_odt(qapp, content, data_dir: Path,  # noqa: F811
                                     tmp_path: Path) -> None:
    fill(data_dir / "kiosk.db")
    with pytest.raises(ReportError, match=r"\.pdf of een \.odt"):
        build_report(data_dir / "kiosk.db", content, tmp_path / "rapport.docx")
    result = kiosk("report", "--data-dir", str(data_dir), "-o", str(tmp_path / "r.docx"))
    assert result.returncode == 2
    assert ".pdf" in result.stderr
    assert ".odt" in result.stderr
    assert "Traceback" not in result.stderr
    assert [path.name for path in tmp_path.iterdir() if path.is_file()] == []


def test_a_broken_odt_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "half.odt"
    broken.write_bytes(b"PK\x03\x04 not a whole zip")
    with pytest.raises(OSError, match="onvolledig"):
        check_odt(broken)
    other = tmp_path / "other.odt"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("mimetype", "application/zip")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(OSError, match="onvolledig"):
        check_odt(other)


@pytest.fixture
def filled_shell(qtbot, qapp, data_dir: Path):
    fill(data_dir / "kiosk.db")
    yield from make_shell(qtbot, qapp, data_dir)


def test_the_staff_report_is_built_off_the_gui_thread_and_the_screen_keeps_ticking(
    qtbot, filled_shell, data_dir: Path
) -> None:
    from kiosk.gui.staff.actions import report_to_folder

    shell = filled_shell
    ticks = [0]
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    seen: dict[str, object] = {}

    def reporter(folder: Path) -> int:
        seen["thread"] = threading.current_thread()
        seen["qthread"] = QThread.currentThread()
        start = ticks[0]
        pages = report_to_folder(data_dir / "kiosk.db", shell.content, folder)
        seen["ticks"] = ticks[0] - start
        return pages

    shell.reporter = reporter
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    jobs: list[SaveJob] = []
    opened = shell.save_screen.open
    shell.save_screen.open = lambda job: (jobs.append(job), opened(job))
    timer.start()
    tap_menu(qtbot, shell, "report_requested")
    assert not jobs[0].on_gui_thread
    save_to_stick(qtbot, shell)
    timer.stop()
    assert shell.save_screen.result_title.text() == EJECT
    assert seen["thread"] is not threading.main_thread()
    assert seen["qthread"] is not shell.thread()
    # the GUI thread's event loop ran while the report was built (it would not on it)
    assert seen["ticks"] >= 3
    names = sorted(path.name for path in (data_dir / "usb").iterdir())
    assert [Path(name).suffix for name in names] == [".odt", ".pdf"]
    check_odt(data_dir / "usb" / names[0])
    assert "publiek" in pdf_text(data_dir / "usb" / names[1]).lower()
