"""Slips and QR links: every course's code decodes to exactly its link, on screen and on paper.

Real tools all the way: QPrinter writes the PDF, ``pdfinfo`` reads its page
size, ``pdftoppm -r 200`` renders it, ``zbarimg`` decodes the QR code and
``pdftotext`` reads the words back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from kiosk import paths
from kiosk.app import ALL, Options, UsageError, apply_theme, build_window
from kiosk.cli.printing import make_slips
from kiosk.core.clock import ManualClock
from kiosk.core.content import load_content
from kiosk.core.model import Library
from kiosk.core.qr import course_link, display_address, qr_matrix
from kiosk.gui.printing import SlipPrinter, attach_printing
from kiosk.gui.slip import (
    MIN_QR_MM,
    SIZES,
    SlipError,
    _fitted_layout,
    paint_slip,
    slip_size,
    write_slip_pdf,
)
from kiosk.gui.widgets import paint_qr
from tests.conftest import ROOT, zbar_decode

CONTENT = load_content(paths.default_content_dir())
COURSES = list(CONTENT.courses.values())
PT_PER_MM = 72 / 25.4
TAGGED_KIND = "supermarkt"

#: Tests wait on signals, never on the clock: a generous limit costs nothing when
#: things work, and a busy machine (a fresh-clone ``make test``) does not fail them.
WAIT_MS = 90_000



def expected_link(url: str, tags: bool) -> str:
    return f"{url}/?bron=kiosk&plek={TAGGED_KIND}" if tags else url


# -- links (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "kind", "enabled", "link"), [
    ("https://www.digisterker.nl", "markt", True,
     "https://www.digisterker.nl/?bron=kiosk&plek=markt"),
    ("https://www.digisterker.nl", "markt", False, "https://www.digisterker.nl"),
    ("https://www.oefenen.nl/cursus?id=7&x=a%20b", "zwembad", True,
     "https://www.oefenen.nl/cursus?id=7&x=a%20b&bron=kiosk&plek=zwembad"),
    ("https://www.oefenen.nl/a?bron=web&plek=x#start", "bibliotheek", True,
     "https://www.oefenen.nl/a?bron=kiosk&plek=bibliotheek#start"),
    # a typed location name never ends up in a link
    ("https://www.geldfit.nl", "Markt bij Jan de Vries", True,
     "https://www.geldfit.nl/?bron=kiosk&plek=anders"),
])
def test_course_link(url: str, kind: str, enabled: bool, link: str) -> None:
    assert course_link(url, kind, enabled) == link
    assert course_link(link, kind, enabled) == link  # tagging twice changes nothing


def test_display_address() -> None:
    assert display_address("https://www.digisterker.nl") == "www.digisterker.nl"
    assert display_address("https://www.digisterker.nl/") == "www.digisterker.nl"
    assert display_address("https://www.oefenen.nl/taal") == "www.oefenen.nl/taal"


# -- slip PDFs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fonts(qapp):
    apply_theme(qapp)


def pdf_page_points(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert match, info.stdout
    return float(match[1]), float(match[2])


def render(pdf: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True, timeout=60)
    return pdf.with_suffix(".png")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("tags", [False, True], ids=["plain", "tagged"])
def test_every_course_slip_decodes_at_every_size(fonts, tmp_path: Path, size: str,
                                                 tags: bool) -> None:
    spec = slip_size(size)
    for course in COURSES:
        link = course_link(course.url, TAGGED_KIND, tags)
        assert link == expected_link(course.url, tags)
        pdf = write_slip_pdf(tmp_path / f"{course.id}.pdf", course, CONTENT.library, link, size)
        width, height = pdf_page_points(pdf)
        assert width == pytest.approx(spec.width * PT_PER_MM, abs=1)  # Qt rounds to whole pt
        if spec.height is None:  # the receipt is as long as its content
            assert 120 * PT_PER_MM < height < 220 * PT_PER_MM
        else:
            assert height == pytest.approx(spec.height * PT_PER_MM, abs=1)
        assert zbar_decode(render(pdf)) == [link], (course.id, size)
        words = " ".join(pdf_text(pdf).split())
        for part in (course.name, CONTENT.library.name, display_address(course.url),
                     CONTENT.library.hours):
            assert " ".join(part.split()) in words, (part, words)
    assert not list(tmp_path.glob(".*"))  # no temporary files left


@pytest.mark.parametrize("size", list(SIZES))
def test_qr_code_is_large_enough_and_the_text_fits(fonts, size: str) -> None:
    library = Library(
        name="Bibliotheek Midden-Brabant, vestiging Reeshof",
        address="Bibliotheek Reeshof, Wagnerplein 2, 5011 LP Tilburg (ingang naast de apotheek)",
        hours="Taalspreekuur: maandag, dinsdag en donderdag van 10.00 tot 12.00 uur "
              "en woensdagavond van 19.00 tot 21.00 uur",
        phone="013 - 542 04 00",
    )
    course = CONTENT.courses["digisterker"]
    link = course_link(course.url, "supermarkt", True)
    spec = slip_size(size)
    mm = 300 / 25.4  # a 300 dpi page
    page = QImage(round(spec.width * mm), round((spec.height or 300) * mm),
                  QImage.Format.Format_RGB32)
    page.setDotsPerMeterX(round(mm * 1000))
    page.setDotsPerMeterY(round(mm * 1000))
    painter = QPainter(page)
    qr = paint_slip(painter, QRectF(0, 0, page.width(), page.height()), course, library, link,
                    size)
    painter.end()
    assert qr.width() / mm >= MIN_QR_MM
    assert zbar_decode_image(page) == [link]
    if spec.height is not None:
        layout = _fitted_layout(page, page.width(), page.height(), course, library, spec)
        bottom = max(text.rect.bottom() for text in layout.texts)
        assert bottom <= page.height() - spec.margin * mm * 0.9  # inside the bottom margin


def zbar_decode_image(image: QImage) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "image.png"
        assert image.save(str(png))
        return zbar_decode(png)


def test_unknown_size_and_missing_folder(fonts, tmp_path: Path) -> None:
    course = COURSES[0]
    with pytest.raises(SlipError, match="onbekende maat 'a5' voor de bon; kies uit: 80mm, a6, a4"):
        write_slip_pdf(tmp_path / "x.pdf", course, CONTENT.library, course.url, "a5")
    with pytest.raises(SlipError, match="bestaat niet"):
        write_slip_pdf(tmp_path / "nope" / "x.pdf", course, CONTENT.library, course.url)
    with pytest.raises(SlipError, match="onbekende maat"):
        SlipPrinter(size="a5")


def test_paint_qr_is_crisp_and_returns_its_square(qapp) -> None:
    matrix = qr_matrix("https://www.digisterker.nl")
    image = QImage(600, 600, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.gray)
    painter = QPainter(image)
    square = paint_qr(painter, matrix, QRectF(0, 0, 600, 600))
    painter.end()
    module = 600 // len(matrix)
    assert square.width() == square.height() == module * len(matrix)
    colours = {image.pixel(x, y) for x in range(int(square.left()), int(square.right()))
               for y in range(int(square.top()), int(square.bottom()), 7)}
    assert colours == {0xFF000000, 0xFFFFFFFF}  # black and white only: no blurred edges


# -- the end screen ----------------------------------------------------------------------


def answers_for(course_id: str) -> dict[str, str]:
    """Answers that make ``course_id`` the first suggestion (eens on its rules)."""
    if course_id == CONTENT.default_course:
        return {}
    return {r.statement: r.answer for r in CONTENT.rules if r.course == course_id}


@pytest.fixture
def tagged_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    text = (paths.default_content_dir() / "library.toml").read_text(encoding="utf-8")
    (folder / "library.toml").write_text(text.replace("tags = false", "tags = true"),
                                         encoding="utf-8")
    return folder


@pytest.mark.parametrize("tags", [False, True], ids=["plain", "tagged"])
def test_end_screen_qr_of_every_course_decodes(qtbot, qapp, data_dir, tmp_path, tags,
                                               tagged_content) -> None:
    apply_theme(qapp)
    clock = ManualClock()
    options = Options(data_dir=data_dir, location="Supermarkt Oost", place_kind=TAGGED_KIND,
                      per_visit=ALL, speech=False,
                      content_dir=tagged_content if tags else None)
    window, recorder, _session = build_window(options, monotonic=clock)
    qtbot.addWidget(window)
    printer = SlipPrinter(output_file=tmp_path / "slip.pdf")
    attach_printing(window, printer, window.content, place_kind=options.place_kind)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.content.qr_tags is tags
        for course in COURSES:
            wanted = answers_for(course.id)
            clock.advance(1)
            qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
            for statement in window.statement_set.statements:
                clock.advance(1)
                with qtbot.waitSignal(window.answer_saved, timeout=WAIT_MS):
                    qtbot.mouseClick(
                        window.statement_screen.buttons[wanted.get(statement.id, "weet_niet")],
                        Qt.MouseButton.LeftButton)
            assert window.current_screen == "end"
            assert window.end_screen.shown.id == course.id
            png = tmp_path / f"end-{course.id}.png"
            assert window.grab().save(str(png))
            assert zbar_decode(png) == [expected_link(course.url, tags)], course.id
            clock.advance(1)
            qtbot.mouseClick(window.end_screen.next_button, Qt.MouseButton.LeftButton)
            assert window.current_screen == "attract"
    finally:
        window.close()
        printer.wait()
        recorder.close()


# -- kiosk slip --------------------------------------------------------------------------


def test_slip_command_writes_one_pdf_per_course_to_a_folder(fonts, tmp_path: Path) -> None:
    out = tmp_path / "slips"
    written = make_slips([], out, "a6")
    assert written == [out / f"{c.id}.pdf" for c in COURSES]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{c.id}.pdf" for c in COURSES)
    assert zbar_decode(render(out / "geldfit.pdf")) == ["https://www.geldfit.nl"]
    two = make_slips(["geldfit", "taalhuis"], tmp_path / "two")
    assert [p.name for p in two] == ["geldfit.pdf", "taalhuis.pdf"]


def test_slip_command_for_one_course_writes_that_file(fonts, tmp_path: Path,
                                                      tagged_content: Path) -> None:
    pdf = tmp_path / "digi.pdf"
    assert make_slips(["digisterker"], pdf, "A4", tagged_content, "markt") == [pdf]
    assert pdf_page_points(pdf) == pytest.approx((595, 842), abs=1)
    assert zbar_decode(render(pdf)) == ["https://www.digisterker.nl/?bron=kiosk&plek=markt"]
    folder = tmp_path / "existing"
    folder.mkdir()
    assert make_slips(["geldfit"], folder) == [folder / "geldfit.pdf"]


@pytest.mark.parametrize(("ids", "out", "size", "message"), [
    (["digisterker", "nope"], "slips", "80mm",
     "onbekende cursus nope; kies uit: taalhuis, digisterker, klik-en-tik, oefenen, geldfit"),
    ([], "slips", "a5", "onbekende maat 'a5' voor de bon; kies 80mm, a6 of a4"),
    ([], "slips.pdf", "80mm", "moet een map zijn"),
])
def test_slip_command_refuses_bad_input(fonts, tmp_path: Path, ids, out, size, message) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make_slips(ids, tmp_path / out, size)
    assert not (tmp_path / out).exists()


def kiosk_slip(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m kiosk slip ARGS``."""
    return subprocess.run([sys.executable, "-m", "kiosk", "slip", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_slip_command_end_to_end(tmp_path: Path) -> None:
    result = kiosk_slip("-o", str(tmp_path / "all"), "--size", "80mm")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "all").glob("*.pdf"))) == len(COURSES)
    bad = kiosk_slip("taalhuis", "nope", "-o", str(tmp_path / "x"))
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines() == [
        "kiosk: onbekende cursus nope; kies uit: taalhuis, digisterker, klik-en-tik, "
        "oefenen, geldfit"]
    bad_size = kiosk_slip("-o", str(tmp_path / "x"), "--size", "A5")
    assert bad_size.returncode == 2  # argparse: --size has choices
    assert bad_size.stderr.strip().splitlines()[-1] == (
        "kiosk slip: fout: argument --size: ongeldige keuze: 'a5' "
        "(kies uit '80mm', 'a6', 'a4')")
    assert "Traceback" not in bad.stderr + bad_size.stderr


def test_pdftools_are_here() -> None:
    for tool in ("pdftoppm", "pdfinfo", "pdftotext", "zbarimg"):
        assert shutil.which(tool), f"{tool} is needed (poppler-utils, zbar-tools)"
