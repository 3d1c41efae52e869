"""Printing in the background: to a PDF file, to a printer that is not there, from the kiosk.

The only fakes make a failure happen (a printer name that does not exist, a
painter that raises); a successful print is a real QPrinter writing a PDF.
"""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinterInfo

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.cli.printing import print_test, printer_lines
from kiosk.core.clock import ManualClock
from kiosk.core.export import export
from kiosk.core.qr import course_link
from kiosk.core.store import Store
from kiosk.core.tallies import ReferralCount, tallies
from kiosk.gui import printing
from kiosk.gui.printing import (
    COMPLETED,
    DONE_TEXT,
    FAILED,
    KIND_LINE,
    PASSER_BY_SECONDS,
    PRINT_TEXT,
    UNKNOWN,
    SlipPrinter,
    attach_printing,
    print_test_slip,
    printers,
    tag_links,
)
from kiosk.gui.screens import CONTROL_MIN_MM
from kiosk.gui.theme import px_per_mm
from tests.conftest import zbar_decode

#: Tests wait on signals, never on the clock: a generous limit costs nothing when
#: things work, and a busy machine (a fresh-clone ``make test``) does not fail them.
WAIT_MS = 90_000
#: No test sees this machine's printers: every CUPS client (pycups, Qt, the print
#: helper) talks to a server that is not there. tests/test_cups.py runs its own.
NO_CUPS = "/nonexistent/kiosk-tests/cups.sock"


@pytest.fixture(autouse=True)
def _no_machine_printers(monkeypatch) -> None:
    monkeypatch.setenv("CUPS_SERVER", NO_CUPS)




def decode_pdf(pdf: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True, timeout=60)
    return zbar_decode(pdf.with_suffix(".png"))


@pytest.fixture
def content(qapp):
    apply_theme(qapp)
    from kiosk.core.content import load_content

    return load_content()


# -- SlipPrinter on its own ------------------------------------------------------------


def test_printing_to_a_pdf_file_emits_printed(qtbot, content, tmp_path: Path) -> None:
    out = tmp_path / "bon.pdf"
    printer = SlipPrinter(size="a6", output_file=out)
    course = content.courses["geldfit"]
    with qtbot.waitSignal(printer.printed, timeout=WAIT_MS) as printed, \
            qtbot.assertNotEmitted(printer.failed):
        job = printer.print_slip(course, content.library, course.url, "referral-1")
    assert job == "referral-1"
    assert printed.args == ["referral-1"]
    assert decode_pdf(out) == ["https://www.geldfit.nl"]


def test_a_printer_that_does_not_exist_fails_with_a_staff_message(qtbot, content) -> None:
    printer = SlipPrinter(printer_name="Bonprinter-bestaat-niet")
    course = content.courses["geldfit"]
    with qtbot.waitSignal(printer.job_failed, timeout=WAIT_MS) as failed, \
            qtbot.assertNotEmitted(printer.printed):
        job = printer.print_slip(course, content.library, course.url)
    assert failed.args[0] == job
    message = failed.args[1]
    assert "printer 'Bonprinter-bestaat-niet' is niet gevonden" in message
    assert "Staat hij aan" in message


def test_no_default_printer_fails_with_a_staff_message(qtbot, content, monkeypatch) -> None:
    # The print helper inherits this: CUPS at an address where nothing listens,
    # so the computer has no printers at all, whatever this machine has.
    monkeypatch.setenv("CUPS_SERVER", "/nonexistent/cups.sock")
    printer = SlipPrinter()
    course = content.courses["geldfit"]
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_slip(course, content.library, course.url)
    assert "geen standaardprinter" in failed.args[0]


def test_a_printer_that_raises_fails_with_a_staff_message(qtbot, content, tmp_path,
                                                          monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("papier op")

    monkeypatch.setattr(printing, "write_slip_pdf", broken)
    printer = SlipPrinter(output_file=tmp_path / "bon.pdf")
    course = content.courses["geldfit"]
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_slip(course, content.library, course.url)
    assert "Printen lukt niet" in failed.args[0]
    assert "papier op" in failed.args[0]
    assert not (tmp_path / "bon.pdf").exists()


def test_an_unwritable_pdf_fails_with_a_staff_message(qtbot, content, tmp_path) -> None:
    printer = SlipPrinter(output_file=tmp_path / "no-folder" / "bon.pdf")
    course = content.courses["geldfit"]
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS) as failed:
        printer.print_slip(course, content.library, course.url)
    assert "de bon kon niet worden opgeslagen" in failed.args[0]
    assert "no-folder" in failed.args[0]


# -- in the kiosk --------------------------------------------------------------------------


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, tmp_path: Path):
    apply_theme(qapp)
    clock = ManualClock()
    window, recorder, _session = build_window(
        Options(data_dir=data_dir, location="Markt", place_kind="markt", per_visit=ALL,
                speech=False), monotonic=clock
    )
    qtbot.addWidget(window)
    printer = SlipPrinter(size="80mm", output_file=tmp_path / "bon.pdf")
    # these tests look at what follows the printer's answer; the passer-by's limit
    # (PASSER_BY_SECONDS) has tests of its own, and a busy machine may be slow
    control = attach_printing(window, printer, window.content, place_kind="markt",
                              wait_seconds=WAIT_MS / 1000)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.clock_ = clock
    yield window, control, printer
    window.close()
    printer.wait()
    recorder.close()


def click(qtbot, window, widget) -> None:
    window.clock_.advance(1)  # past the tap filter
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def finish_visit(qtbot, window, eens: tuple[str, ...] = ("digid",)) -> dict[str, str]:
    """One visit through every statement; returns course id -> referral id."""
    click(qtbot, window, window.attract)
    with qtbot.waitSignal(window.referrals_recorded, timeout=WAIT_MS) as recorded:
        for statement in window.statement_set.statements:
            answer = "eens" if statement.id in eens else "oneens"
            with qtbot.waitSignal(window.answer_saved, timeout=WAIT_MS):
                click(qtbot, window, window.statement_screen.buttons[answer])
    assert window.current_screen == "end"
    return recorded.args[0]


def printed_on_disk(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "kiosk.db") as db:
        result = dict(db.execute("SELECT id, printed FROM referral").fetchall())
    db.close()
    return result


def test_the_print_button_is_named_big_and_beside_klaar(kiosk) -> None:
    window, control, _printer = kiosk
    button = window.findChild(type(control.button), "print_slip")
    assert button is control.button
    assert button.text() == PRINT_TEXT == "Printen"
    assert button.accessibleName() == "Printen"
    assert button.accessibleDescription()
    assert not button.icon().isNull()
    assert window.end_screen.print_slot.indexOf(button) == 0
    assert button.minimumHeight() >= math.ceil(CONTROL_MIN_MM * px_per_mm(window))


def test_a_printed_slip_marks_its_referral(qtbot, kiosk, data_dir, tmp_path) -> None:
    window, control, _printer = kiosk
    referrals = finish_visit(qtbot, window)
    assert window.end_screen.shown.id == "digisterker"
    with qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS) as marked:
        click(qtbot, window, control.button)
        assert control.button.text() != PRINT_TEXT  # the tap shows at once
    assert marked.args == [referrals["digisterker"]]
    assert printed_on_disk(data_dir) == {referrals["digisterker"]: 1}
    assert control.button.text() == DONE_TEXT
    assert decode_pdf(tmp_path / "bon.pdf") == ["https://www.digisterker.nl"]
    # one slip per course per visit: another tap queues nothing
    click(qtbot, window, control.button)
    assert control._jobs == {}
    assert control.button.text() == DONE_TEXT
    assert not window.end_screen.print_line.isVisible()


def test_the_slip_and_the_screen_carry_the_session_tags(qtbot, qapp, data_dir, tmp_path,
                                                        content) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "library.toml").write_text(
        '[library]\nname = "Bibliotheek Oost"\nhours = "Dinsdag 10-12 uur"\n'
        'default_set = "taalhuis"\n\n[qr]\ntags = true\n', encoding="utf-8")
    clock = ManualClock()
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, content_dir=folder, place_kind="zwembad", per_visit=ALL,
                speech=False), monotonic=clock)
    qtbot.addWidget(window)
    printer = SlipPrinter(output_file=tmp_path / "bon.pdf")
    control = attach_printing(window, printer, window.content, place_kind="zwembad")
    window.resize(1366, 768)
    window.show()
    window.clock_ = clock
    try:
        finish_visit(qtbot, window, eens=("rekeningen",))
        link = "https://www.geldfit.nl/?bron=kiosk&plek=zwembad"
        assert control.link(window.end_screen.shown) == link
        assert window.end_screen.qr.url == link
        with qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS):
            click(qtbot, window, control.button)
        assert decode_pdf(tmp_path / "bon.pdf") == [link]
    finally:
        window.close()
        printer.wait()
        recorder.close()


def test_a_failing_printer_keeps_the_kiosk_running(qtbot, kiosk, data_dir) -> None:
    window, control, printer = kiosk
    printer.output_file, printer.printer_name = None, "Bonprinter-bestaat-niet"
    referrals = finish_visit(qtbot, window)
    with qtbot.waitSignal(control.staff_message, timeout=WAIT_MS) as staff:
        click(qtbot, window, control.button)
    assert "Bonprinter-bestaat-niet" in staff.args[0]
    line = window.end_screen.print_line
    assert line.isVisible()
    assert line.text() == KIND_LINE
    assert "Vraag het aan de medewerker" in line.accessibleName()
    assert control.button.text() == PRINT_TEXT  # a staff member may try again
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=WAIT_MS)
    assert printed_on_disk(data_dir) == {referrals["digisterker"]: 0}
    # the kiosk goes on: Klaar, a next visit, its own fresh end screen
    click(qtbot, window, window.end_screen.next_button)
    assert window.current_screen == "attract"
    finish_visit(qtbot, window, eens=())
    assert not window.end_screen.print_line.isVisible()
    assert control.button.text() == PRINT_TEXT


def test_referral_counts_in_the_export_match_the_taps(qtbot, kiosk, data_dir, tmp_path) -> None:
    window, control, printer = kiosk
    finish_visit(qtbot, window)  # digisterker: printed
    with qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS):
        click(qtbot, window, control.button)
    click(qtbot, window, window.end_screen.next_button)
    finish_visit(qtbot, window, eens=("digid", "rekeningen"))  # digisterker + geldfit
    click(qtbot, window, window.end_screen.other_course)  # geldfit on screen: print it
    assert window.end_screen.shown.id == "geldfit"
    with qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS):
        click(qtbot, window, control.button)
    click(qtbot, window, window.end_screen.next_button)
    printer.output_file, printer.printer_name = None, "Bonprinter-bestaat-niet"
    finish_visit(qtbot, window, eens=())  # taalhuis: printing fails
    with qtbot.waitSignal(control.staff_message, timeout=WAIT_MS):
        click(qtbot, window, control.button)
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=WAIT_MS)

    with Store.open(data_dir / "kiosk.db") as store:
        result = tallies(store)
    assert result.referrals == (
        ReferralCount("digisterker", suggested=2, qr_shown=2, printed=1),
        ReferralCount("geldfit", suggested=1, qr_shown=1, printed=1),
        ReferralCount("taalhuis", suggested=1, qr_shown=1, printed=0),
    )
    out = tmp_path / "tallies.json"
    export(result, str, "json", out, course_name=window.content.course_name)
    assert json.loads(out.read_text(encoding="utf-8"))["referrals"][1] == {
        "course": "geldfit", "name": "Geldfit", "suggested": 1, "qr_shown": 1, "printed": 1}


def test_a_slip_printed_before_the_referral_is_known_is_marked_later(
        qtbot, kiosk, data_dir) -> None:
    """The tap can come before the referral ids are on disk; the mark must not get lost."""
    window, control, _printer = kiosk
    click(qtbot, window, window.attract)
    statements = window.statement_set.statements
    for _statement in statements[:-1]:
        with qtbot.waitSignal(window.answer_saved, timeout=WAIT_MS):
            click(qtbot, window, window.statement_screen.buttons["oneens"])
    unknown = []

    def tap_print_at_once(_course_ids: list) -> None:  # the referral ids are on their way
        unknown.append(control._visit not in control._referrals)
        control.print_shown()

    window.visit_finished.connect(tap_print_at_once)
    with qtbot.waitSignal(window.referrals_recorded, timeout=WAIT_MS) as recorded, \
            qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS) as marked:
        click(qtbot, window, window.statement_screen.buttons["oneens"])
    assert unknown == [True]
    assert marked.args == [recorded.args[0]["taalhuis"]]
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=WAIT_MS)
    assert printed_on_disk(data_dir) == {recorded.args[0]["taalhuis"]: 1}


# -- commands ------------------------------------------------------------------------------


def test_printers_command_lists_or_explains(qapp) -> None:
    lines = printer_lines()
    if printers():
        default = QPrinterInfo.defaultPrinterName()
        assert lines == [f"{'*' if name == default else ' '} {name}" for name, _ in printers()]
    else:
        assert lines == ["geen printers gevonden: sluit de printer aan, zet hem aan en voeg "
                         "hem toe in de printerinstellingen van de computer; typ daarna "
                         "opnieuw 'kiosk printers'"]


def test_print_test_on_a_missing_printer_says_what_to_do(qapp) -> None:
    from kiosk.app import UsageError

    with pytest.raises(UsageError, match="printer 'Nergens' is niet gevonden"):
        print_test("Nergens")


def test_links_never_carry_a_typed_location(content) -> None:
    for course in content.courses.values():
        link = course_link(course.url, "Markt bij Jan", True)
        assert "Jan" not in link
        assert link.endswith("plek=anders")


# -- the staff's test slip, links without a printer -------------------------------------


def test_the_staff_test_slip_reports_to_staff(qtbot, content, tmp_path) -> None:
    printer = SlipPrinter(output_file=tmp_path / "test.pdf")
    lines: list[str] = []
    job = print_test_slip(printer, content, "", lines.append)
    qtbot.waitUntil(lambda: bool(lines), timeout=WAIT_MS)  # the report comes on the GUI thread
    assert job.startswith("test-")
    assert lines == ["De testbon is geprint op de standaardprinter."]
    assert decode_pdf(tmp_path / "test.pdf") == [content.courses[content.default_course].url]
    text = subprocess.run(["pdftotext", str(tmp_path / "test.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Testbon" in text
    printer.output_file = None
    with qtbot.waitSignal(printer.failed, timeout=WAIT_MS):
        print_test_slip(printer, content, "Nergens", lines.append)
    qtbot.waitUntil(lambda: len(lines) == 2, timeout=WAIT_MS)
    assert "printer 'Nergens' is niet gevonden" in lines[1]


def test_links_are_tagged_without_a_printer(qtbot, qapp, data_dir, tmp_path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "library.toml").write_text('[library]\nname = "Bieb"\ndefault_set = "taalhuis"\n'
                                         "[qr]\ntags = true\n", encoding="utf-8")
    window, recorder, _ = build_window(Options(data_dir=data_dir, content_dir=folder,
                                               per_visit=ALL, speech=False),
                                       monotonic=ManualClock())
    qtbot.addWidget(window)
    try:
        tag_links(window, window.content, "wijkcentrum")
        window.end_screen.show_courses([window.content.courses["oefenen"]])
        assert window.end_screen.qr.url == "https://www.oefenen.nl/?bron=kiosk&plek=wijkcentrum"
        assert window.end_screen.print_button is None  # no printer: no button
    finally:
        window.close()
        recorder.close()


# -- the passer-by waits PASSER_BY_SECONDS at most -------------------------------------


def test_the_passer_by_waits_ten_seconds_at_most(kiosk, qtbot, qapp, data_dir, tmp_path) -> None:
    window, _control, _printer = kiosk
    assert PASSER_BY_SECONDS == 10
    printer = SlipPrinter(output_file=tmp_path / "other.pdf")
    assert attach_printing(window, printer, window.content).wait_seconds == PASSER_BY_SECONDS


def test_a_slip_that_is_late_gives_the_kind_line_and_is_never_geprint(
        qtbot, qapp, data_dir, tmp_path, monkeypatch) -> None:
    """The slip is not out within the limit (a slow printer: here the PDF writer waits).
    The passer-by gets the kind line at once; the slip comes out later and counts as
    printed (it was), staff read that it came late, and the screen never says "Geprint"."""
    apply_theme(qapp)
    go_on = threading.Event()
    write = printing.write_slip_pdf

    def slow_write(*args, **kwargs):
        assert go_on.wait(WAIT_MS / 1000)
        return write(*args, **kwargs)

    monkeypatch.setattr(printing, "write_slip_pdf", slow_write)
    clock = ManualClock()
    window, recorder, _session = build_window(
        Options(data_dir=data_dir, location="Markt", per_visit=ALL, speech=False),
        monotonic=clock)
    qtbot.addWidget(window)
    printer = SlipPrinter(output_file=tmp_path / "bon.pdf")
    control = attach_printing(window, printer, window.content, wait_seconds=0.2)
    window.show()
    window.clock_ = clock
    said: list[str] = []
    say = window.say_phrase
    window.say_phrase = lambda key, *args, **kwargs: (said.append(key), say(key, *args,
                                                                           **kwargs))[1]
    try:
        referrals = finish_visit(qtbot, window)
        with qtbot.waitSignal(control.kind_line, timeout=WAIT_MS) as kind:
            click(qtbot, window, control.button)
        assert kind.args == [KIND_LINE]
        assert window.end_screen.print_line.text() == KIND_LINE
        assert control.button.text() == PRINT_TEXT
        assert not control.button.isEnabled()  # no second slip queued behind the first
        with qtbot.waitSignal(control.marked_printed, timeout=WAIT_MS) as marked, \
                qtbot.waitSignal(control.staff_message, timeout=WAIT_MS) as staff:
            go_on.set()
        assert marked.args == [referrals["digisterker"]]
        assert staff.args[0].startswith("Een bon kwam pas na ")
        assert "Geef de bon aan wie erom vraagt" in staff.args[0]
        assert control.button.text() == PRINT_TEXT != DONE_TEXT
        assert window.end_screen.print_line.text() == KIND_LINE
        assert "bonnetje" not in said
        qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=WAIT_MS)
        assert printed_on_disk(data_dir) == {referrals["digisterker"]: 1}
        # the next passer-by has a fresh button
        click(qtbot, window, window.end_screen.next_button)
        finish_visit(qtbot, window)
        assert control.button.isEnabled()
        assert control.button.text() == PRINT_TEXT
    finally:
        go_on.set()
        window.close()
        printer.wait()
        recorder.close()


#: Stand-ins for the print helper (``kiosk print-job``) that answer as given.
SUBMITTED = "import sys; print('submitted 4', file=sys.stderr, flush=True); "
HELPERS = {
    "completed": (SUBMITTED + "print('completed')", COMPLETED, ""),
    "no word": (SUBMITTED, UNKNOWN, "Printen onzeker: de printhulp gaf geen"),
    "unknown": (SUBMITTED + "print('Printen onzeker: CUPS kent de bon niet meer.', "
                "file=sys.stderr); sys.exit(2)", UNKNOWN, "Printen onzeker: CUPS kent"),
    "failed": (SUBMITTED + "print('Printen lukt niet: papier vast.', file=sys.stderr); "
               "sys.exit(1)", FAILED, "Printen lukt niet: papier vast."),
    "crash after submit": (SUBMITTED + "import os; os.abort()", UNKNOWN,
                           "Printen onzeker: de printhulp gaf geen"),
    "crash": ("import os; os.abort()", FAILED, "Printen lukt niet: de printhulp stopte"),
    "stuck after submit": (SUBMITTED + "import time; time.sleep(90)", UNKNOWN,
                           "Printen onzeker: de printer meldde niet binnen 60"),
    "stuck": ("import time; time.sleep(90)", FAILED,
              "Printen lukt niet: de printer reageert niet binnen 60"),
}


@pytest.mark.parametrize("case", list(HELPERS))
def test_only_a_completed_job_is_printed(qtbot, content, case) -> None:
    script, outcome, words = HELPERS[case]
    printer = SlipPrinter(printer_name="Bon")
    printer._process.setProgram(sys.executable)
    printer._process.setArguments(["-c", script])
    printer._deadline.setInterval(3000)  # JOB_SECONDS, shortened: "stuck" is stopped
    course = content.courses["geldfit"]
    printed: list[str] = []
    printer.printed.connect(printed.append)
    with qtbot.waitSignal(printer.job_ended, timeout=WAIT_MS) as ended:
        job = printer.print_slip(course, content.library, course.url)
    assert ended.args[:2] == [job, outcome]
    assert ended.args[2].startswith(words)
    assert printed == ([job] if outcome == COMPLETED else [])
