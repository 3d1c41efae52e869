"""Every output is complete or absent, and follows the umask; the data folder is private.

Exports (CSV, JSON, XLSX), the report (PDF), slips written to a file and
backups go to a temporary name, are checked, flushed and renamed. A full disk
(a small tmpfs in a child process with its own namespaces; a fake that fails on purpose otherwise), a check that
refuses the file, or a killed writer leaves nothing under the final name and
no temporary file, and the next attempt is not refused.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.core import files
from kiosk.core.export import ExportError, export
from kiosk.core.files import IncompleteFile, check_pdf, replacing
from kiosk.core.store import Store
from kiosk.core.tallies import tallies
from tests.conftest import on_small_disk


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def db(data_dir: Path) -> Path:
    path = data_dir / paths.DB_NAME
    with Store.open(path) as store:
        session = store.start_session("Markt", "markt")
        for answer in ("eens", "oneens", "eens"):
            visit = store.start_visit(session)
            store.record_answer(visit, "s1", answer)
            store.finish_visit(visit, ["taalhuis"])
        store.end_session(session)
    return path


@pytest.fixture
def content(data_dir: Path):
    from kiosk.app import Options, load_content

    return load_content(Options(data_dir=data_dir), lambda _m: None)


def fill_up(folder: Path, room: int = 8192) -> None:
    """Leave only about ``room`` bytes free on ``folder``'s disk."""
    free = os.statvfs(folder)
    (folder / "filler").write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - room))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "filler")


# -- the helper ------------------------------------------------------------------------


def test_a_refused_file_never_reaches_the_final_name(tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"

    def refuse(path: Path) -> None:
        raise IncompleteFile("no")

    with pytest.raises(IncompleteFile), replacing(target, check=refuse) as temporary:
        temporary.write_bytes(b"%PDF-1.4 half")
    assert leftovers(tmp_path) == []
    with replacing(target) as temporary:  # the next attempt is not refused
        temporary.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert leftovers(tmp_path) == ["rapport.pdf"]


def test_what_a_killed_writer_left_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".export.csv.{dead.pid}.abc123.tmp"
    stale.write_text("half")
    running = tmp_path / f".export.csv.{os.getpid()}.other.tmp"  # a write in progress
    running.write_text("busy")
    files.write_text(target, "whole")
    assert not stale.exists()
    assert running.exists()


@pytest.mark.parametrize(("tail", "whole"), [
    (b"trailer\n%%EOF\n", True),
    (b"trailer\n%%EOF", True),
    (b"0000 n \n", False),  # truncated: the writer stopped halfway
])
def test_check_pdf(tmp_path: Path, tail: bytes, whole: bool) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 600 + tail)
    if whole:
        check_pdf(pdf)
    else:
        with pytest.raises(IncompleteFile):
            check_pdf(pdf)
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(IncompleteFile, match="onvolledig"):
        check_pdf(pdf)  # too small to be a page


# -- umask ---------------------------------------------------------------------------


def test_files_for_the_coordinator_follow_the_umask(qapp, db: Path, content,
                                                    tmp_path: Path) -> None:
    from kiosk.core.xlsx import export_xlsx
    from kiosk.gui.report import build_report
    from kiosk.gui.slip import write_slip_pdf

    out = tmp_path / "out"
    out.mkdir()
    with umask(0o022), Store.open(db) as store:
        result = tallies(store)
        written = export(result, content.statement_text, "csv", out / "stand.csv",
                         content=content)
        written += export(result, content.statement_text, "json", out / "stand.json",
                          content=content)
        export_xlsx(result, content.statement_text, out / "stand.xlsx", store, content=content)
        store.backup(out / "backup.db")
        build_report(db, content, out / "rapport.pdf")
        course = next(iter(content.courses.values()))
        write_slip_pdf(out / "bon.pdf", course, content.library, course.url)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([p.name for p in written] + ["stand.xlsx", "backup.db",
                                                        "rapport.pdf", "bon.pdf"])
    assert {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()} == dict.fromkeys(names,
                                                                                      0o644)


def test_the_data_folder_is_private(tmp_path: Path) -> None:
    data = tmp_path / "nieuw" / "data"
    with umask(0o022), Store.open(data / paths.DB_NAME):
        pass
    assert data.stat().st_mode & 0o777 == 0o700
    # an older kiosk's data folder (0755) is tightened; a shared folder is left alone
    old, shared = tmp_path / "oud", tmp_path / "gedeeld"
    old.mkdir(mode=0o755)
    shared.mkdir(mode=0o755)
    (shared / "foto.jpg").write_bytes(b"")
    for folder in (old, shared):
        folder.chmod(0o755)
        with Store.open(folder / paths.DB_NAME):
            pass
    assert old.stat().st_mode & 0o777 == 0o700
    assert shared.stat().st_mode & 0o777 == 0o755


# -- a full disk ---------------------------------------------------------------------


def in_child(db: Path):
    """What the fixtures give a test, in the child process on a small disk: a Qt
    application (kept by Qt) and the content."""
    from PySide6.QtWidgets import QApplication

    from kiosk.app import Options, load_content

    _ = QApplication.instance() or QApplication([])
    return load_content(Options(data_dir=db.parent), lambda _m: None)


def report_on_a_full_disk(small_disk: Path, db: Path) -> None:
    """Runs on a 64 KB tmpfs (``small_disk``), see the test below."""
    from kiosk.gui.report import ReportError, build_report

    content = in_child(db)
    fill_up(small_disk)
    target = small_disk / "rapport.pdf"
    with pytest.raises(ReportError, match="Er is niets geschreven"):
        build_report(db, content, target)
    assert leftovers(small_disk) == []
    (small_disk / "filler").unlink()
    assert build_report(db, content, target) >= 1  # room again: not refused
    check_pdf(target)
    assert leftovers(small_disk) == ["rapport.pdf"]


def test_a_report_on_a_full_disk_fails_and_leaves_nothing(db: Path) -> None:
    on_small_disk("tests.test_outputs:report_on_a_full_disk", "64k", str(db))


def exports_on_a_full_disk(small_disk: Path, db: Path) -> None:
    """Runs on a 64 KB tmpfs (``small_disk``), see the test below."""
    from kiosk.core.xlsx import export_xlsx

    content = in_child(db)
    fill_up(small_disk, room=0)
    with Store.open(db) as store:
        result = tallies(store)
        with pytest.raises(ExportError):
            export_xlsx(result, content.statement_text, small_disk / "stand.xlsx", store,
                        content=content)
        with pytest.raises(ExportError):
            export(result, content.statement_text, "json", small_disk / "stand.json",
                   content=content)
    assert leftovers(small_disk) == []


def test_exports_on_a_full_disk_fail_and_leave_nothing(db: Path) -> None:
    on_small_disk("tests.test_outputs:exports_on_a_full_disk", "64k", str(db))


def slip_on_a_full_disk(small_disk: Path, db: Path) -> None:
    """Runs on a 64 KB tmpfs (``small_disk``), see the test below."""
    from kiosk.gui.slip import SlipError, write_slip_pdf
    from kiosk.gui.theme import load_fonts

    content = in_child(db)
    load_fonts(paths.ui_dir())
    fill_up(small_disk)
    course = next(iter(content.courses.values()))
    with pytest.raises(SlipError):
        write_slip_pdf(small_disk / "bon.pdf", course, content.library, course.url, "a4")
    assert leftovers(small_disk) == []


def test_a_slip_on_a_full_disk_fails_and_leaves_nothing(db: Path) -> None:
    on_small_disk("tests.test_outputs:slip_on_a_full_disk", "64k", str(db))


def test_a_write_that_fails_leaves_nothing(qapp, db: Path, content, tmp_path: Path,
                                           monkeypatch) -> None:
    """The fake full disk (for machines where a tmpfs cannot be mounted): fsync fails."""
    from kiosk.gui.report import ReportError, build_report

    real_fsync = os.fsync

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ReportError, match="No space left"):
        build_report(db, content, out / "rapport.pdf")
    with Store.open(db) as store, pytest.raises(ExportError, match="No space left"):
        export(tallies(store), content.statement_text, "csv", out / "stand.csv",
               content=content)
    assert leftovers(out) == []
    monkeypatch.setattr(os, "fsync", real_fsync)
    build_report(db, content, out / "rapport.pdf")
    assert leftovers(out) == ["rapport.pdf"]


def test_a_truncated_report_is_refused(qapp, db: Path, content, tmp_path: Path,
                                       monkeypatch) -> None:
    """Qt's PDF writer reports success on a full disk: the check catches a cut-off file."""
    from kiosk.gui import report
    from kiosk.gui.report import ReportError, build_report

    real_render = report._render

    def cut_off(out: Path, *args, **kwargs) -> int:
        pages = real_render(out, *args, **kwargs)
        data = out.read_bytes()
        out.write_bytes(data[: len(data) // 2])
        return pages

    monkeypatch.setattr(report, "_render", cut_off)
    with pytest.raises(ReportError, match="onvolledig"):
        build_report(db, content, tmp_path / "rapport.pdf")
    assert leftovers(tmp_path) == [] or "rapport.pdf" not in leftovers(tmp_path)
    assert not list(tmp_path.glob("*rapport.pdf*"))
