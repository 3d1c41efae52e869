"""The kiosk as staff run it: PIN, start screen, kiosk mode, the staff gesture and menu.

The real shell with a real store, PIN file and recorder; clicks and keys.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest

from kiosk import paths
from kiosk.app import Options, apply_theme, load_content, pick_set
from kiosk.core.clock import ManualClock, system_clock
from kiosk.core.pin import PinStore
from kiosk.core.recorder import Recorder
from kiosk.gui.shell import KioskShell
from kiosk.gui.staff import EJECT
from kiosk.gui.staff.access import QUICK_WINDOW_S
from kiosk.gui.staff.idle import STAFF_TIMEOUT_S
from kiosk.gui.storage import Drive, exports_drive
from kiosk.gui.theme import Theme
from kiosk.gui.window import KioskWindow

PIN = "480263"
STICK = "KIOSKSTICK"


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        result = conn.execute(sql).fetchall()
    conn.close()
    return result


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path):
    yield from make_shell(qtbot, qapp, data_dir)


def make_shell(qtbot, qapp, data_dir: Path, wall_clock=system_clock):
    """The real shell (kiosk mode) with a temporary folder as USB stick and a ManualClock."""
    apply_theme(qapp)
    content = load_content(Options(data_dir=data_dir), lambda m: None)
    theme = Theme.load(paths.ui_dir())
    recorder = Recorder(data_dir / "kiosk.db", clock=wall_clock)
    pool = ThreadPoolExecutor(max_workers=1)
    clock = ManualClock()
    folder = data_dir / "usb"
    folder.mkdir(parents=True)
    exported: list[Path] = []
    sticks = [Drive(folder, STICK, 8_000_000_000)]  # a temporary folder as a USB stick

    def export(target: Path) -> None:
        exported.append(target)
        (target / "stellingen.csv").write_text("zin;eens\n", encoding="utf-8")

    def make_window(settings, session_id):
        window = KioskWindow(content, pick_set(content, settings.statement_set), recorder,
                             session_id, paths.pictogram_dir(), theme, clock=clock,
                             show_peers=settings.show_peers,
                             per_visit=settings.statements_per_visit)
        window.test_clock = clock
        return window

    shell = KioskShell(
        content, recorder, PinStore(data_dir / "staff.json"), theme, paths.pictogram_dir(),
        pool, make_window, data_dir / "session.json", printers=[],
        exporter=export, drives=lambda: [*sticks, exports_drive(data_dir)],
        monotonic=clock, kiosk_mode=True,
    )
    shell.exported, shell.sticks, shell.usb, shell.clock = exported, sticks, folder, clock
    shell.recorder_path = data_dir / "kiosk.db"
    qtbot.addWidget(shell)
    shell.resize(1366, 768)
    shell.show()
    qtbot.waitExposed(shell)
    yield shell
    shell.kiosk_mode = False
    shell._close_window()
    shell.close()
    recorder.close()
    pool.shutdown(wait=True)


def enter_pin(qtbot, shell, twice: bool = False) -> None:
    for _ in range(2 if twice else 1):
        for digit in PIN:
            click(qtbot, shell.pin.keys[digit])
        click(qtbot, shell.pin.keys["ok"])
        if twice:
            qtbot.waitUntil(lambda: shell.pin.mode != "setup" or shell.page != "pin",
                            timeout=10_000)


def open_menu(qtbot, shell) -> None:
    qtbot.keyClick(shell.window, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=10_000)


def tap_menu(qtbot, shell, signal: str) -> None:
    click(qtbot, shell.menu.buttons[signal])


def answer(qtbot, screen, key: str) -> None:
    """Tap an answer of the question shown over ``screen`` ("yes", "no", "save", ...)."""
    qtbot.waitUntil(lambda: screen.question is not None, timeout=5000)
    click(qtbot, screen.question.buttons[key])


def save_to_stick(qtbot, shell) -> None:
    """On "Waar wil je het bewaren?": tap the (fake) USB stick and wait for "Klaar"."""
    screen = shell.save_screen
    assert shell.page == "save"
    qtbot.waitUntil(lambda: shell.usb in screen.drive_list.buttons, timeout=10_000)
    click(qtbot, screen.drive_list.buttons[shell.usb])
    qtbot.waitUntil(lambda: screen.state in ("done", "failed"), timeout=30_000)


def start_at_the_market(qtbot, shell) -> None:
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    click(qtbot, shell.start_screen.locations.buttons["Weekmarkt"])
    click(qtbot, shell.start_screen.speech.buttons["0"])
    with qtbot.waitSignal(shell.session_started, timeout=5000):
        click(qtbot, shell.start_screen.start_button)
    assert shell.page == "kiosk"


def test_first_start_sets_a_pin_then_a_session_starts_in_kiosk_mode(qtbot, shell, data_dir):
    assert shell.page == "pin"
    assert shell.pin.mode == "setup"
    start_at_the_market(qtbot, shell)
    assert rows(data_dir / "kiosk.db",
                "SELECT location, place_kind, ended, per_visit FROM session") == [
        ("Weekmarkt", "markt", None, 3)]  # 3 statements per visit: the library's choice
    assert "480263" not in (data_dir / "staff.json").read_text()
    assert shell.window.current_screen == "attract"
    assert shell.window.per_visit == 3


def test_escape_alt_f4_and_close_do_not_leave_kiosk_mode(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    qtbot.keyClick(shell.window, Qt.Key.Key_Escape)
    qtbot.keyClick(shell.window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    event = QCloseEvent()
    QTest.qWait(0)
    shell.closeEvent(event)
    assert not event.isAccepted()
    assert not shell.close()
    assert shell.isVisible()
    assert shell.page == "kiosk"


def hold_corner(qtbot, shell, until) -> None:
    """Hold the staff corner (200 ms here; the real hold is 3 s, the mechanism the same)."""
    shell.gesture_hold_ms = 200
    corner = QPoint(5, 5)
    QTest.mousePress(shell.window.attract, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.waitUntil(until, timeout=5000)
    QTest.mouseRelease(shell.window.attract, Qt.MouseButton.LeftButton, pos=corner)
    assert shell.window.current_screen == "attract"  # the hold did not start a visit


def asks_for_the_pin(qtbot, shell) -> None:
    hold_corner(qtbot, shell, lambda: shell.page == "pin")
    assert not shell.strip.isVisible()


def test_holding_the_corner_asks_for_the_pin_then_opens_the_quick_bar(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    asks_for_the_pin(qtbot, shell)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    assert shell.page == "kiosk"  # the kiosk stays up under the bar
    click(qtbot, shell.strip.menu)  # the PIN was typed a moment ago: the menu at once
    assert shell.page == "menu"
    click(qtbot, shell.menu.back_button)
    assert shell.page == "kiosk"


def test_once_the_menu_is_closed_the_quick_bar_needs_the_pin_again(qtbot, shell) -> None:
    """Issue 17: after "Terug naar kiosk" a passer-by's corner hold opened the quick bar
    without the PIN for another 2 minutes."""
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    click(qtbot, shell.menu.back_button)  # staff close the menu...
    asks_for_the_pin(qtbot, shell)  # ...and at once the corner wants the PIN
    click(qtbot, shell.pin.back_button)
    # the menu timing out closes it too
    open_menu(qtbot, shell)
    shell.clock.advance(STAFF_TIMEOUT_S - 9)
    shell.idle.tick()  # the warning first
    with qtbot.waitSignal(shell.locked, timeout=5000):
        shell.clock.advance(10)
        shell.idle.tick()
    assert shell.page == "kiosk"
    asks_for_the_pin(qtbot, shell)
    click(qtbot, shell.pin.back_button)
    # so does "Pauze" (and "Verder")
    open_menu(qtbot, shell)
    click(qtbot, shell.menu.buttons["pause_requested"])
    assert shell.page == "kiosk"
    asks_for_the_pin(qtbot, shell)


def test_right_after_logging_from_the_bar_it_opens_without_the_pin_for_a_minute_at_most(
        qtbot, shell) -> None:
    assert QUICK_WINDOW_S <= STAFF_TIMEOUT_S  # never longer than the menu's own time-out
    start_at_the_market(qtbot, shell)
    asks_for_the_pin(qtbot, shell)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    click(qtbot, shell.strip.conversation)
    click(qtbot, shell.conversation.save_button)
    qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=10_000)  # back to the stand
    # staff are at the stand: another conversation needs no PIN...
    shell.clock.advance(QUICK_WINDOW_S - 5)
    hold_corner(qtbot, shell, lambda: shell.strip.isVisible())
    assert shell.page == "kiosk"
    click(qtbot, shell.strip.menu)  # ...but the menu does
    assert shell.page == "pin"
    click(qtbot, shell.pin.back_button)  # "Terug" on the PIN pad closes it too
    assert not shell.quick_access
    # a minute after the last one, the corner asks for the PIN again
    asks_for_the_pin(qtbot, shell)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    click(qtbot, shell.strip.signal)
    click(qtbot, shell.signals.buttons["geldzorgen"])
    qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=10_000)
    assert shell.quick_access
    shell.clock.advance(QUICK_WINDOW_S + 1)
    asks_for_the_pin(qtbot, shell)
    assert rows(shell.recorder_path, "SELECT count(*) FROM conversation") == [(1,)]
    assert rows(shell.recorder_path, "SELECT kind FROM signal") == [("geldzorgen",)]


def test_the_bar_closing_by_itself_or_with_sluiten_ends_the_pin_free_minute(qtbot, shell):
    start_at_the_market(qtbot, shell)
    asks_for_the_pin(qtbot, shell)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    click(qtbot, shell.strip.conversation)
    click(qtbot, shell.conversation.save_button)
    qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=10_000)
    hold_corner(qtbot, shell, lambda: shell.strip.isVisible())
    click(qtbot, shell.strip.close_button)  # "Sluiten": staff are done
    asks_for_the_pin(qtbot, shell)
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    shell.strip._timer.setInterval(50)  # its own time-out (30 s), shortened
    shell.strip._timer.start()
    qtbot.waitUntil(lambda: not shell.strip.isVisible(), timeout=5000)
    asks_for_the_pin(qtbot, shell)


def test_a_short_tap_in_the_corner_is_just_a_tap(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    shell.gesture_hold_ms = 200
    shell.window.test_clock.advance(1)
    click(qtbot, shell.window.attract)
    assert shell.page == "kiosk"
    assert shell.window.current_screen == "statement"


def test_the_shortcut_asks_for_the_pin_and_a_wrong_pin_keeps_the_menu_shut(qtbot, shell):
    start_at_the_market(qtbot, shell)
    qtbot.keyClick(shell.window, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert shell.page == "pin"
    for digit in "111111":
        click(qtbot, shell.pin.keys[digit])
    click(qtbot, shell.pin.keys["ok"])
    qtbot.waitUntil(lambda: not shell.pin.busy, timeout=10_000)
    assert shell.page == "pin"
    click(qtbot, shell.pin.back_button)
    assert shell.page == "kiosk"


def test_beanbag_tallies_are_stored_with_source_staff(qtbot, shell, data_dir) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "tally_requested")
    assert shell.page == "tally"
    counters = shell.tally.counters
    for _ in range(3):
        counters[("digid", "eens")].set_count(counters[("digid", "eens")].count + 1)
    counters[("digid", "oneens")].set_count(2)
    with qtbot.waitSignal(shell.status, timeout=5000) as said:
        shell.tally.save_requested.emit(shell.tally.counts())
    assert said.args == ["Turven opgeslagen: 5 worpen."]
    assert sorted(rows(data_dir / "kiosk.db",
                       "SELECT answer, source, count(*) FROM answer GROUP BY answer, source")) \
        == [("eens", "staff", 3), ("oneens", "staff", 2)]


def test_ending_a_session_records_it_and_shows_the_summary(qtbot, shell, data_dir) -> None:
    start_at_the_market(qtbot, shell)
    window = shell.window
    window.test_clock.advance(1)
    click(qtbot, window.attract)
    window.test_clock.advance(1)
    with qtbot.waitSignal(window.answer_saved, timeout=5000):
        click(qtbot, window.statement_screen.buttons["eens"])
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "end_session_requested")
    with qtbot.waitSignal(shell.session_ended, timeout=5000):
        answer(qtbot, shell.menu, "yes")
    qtbot.waitUntil(lambda: shell.page == "summary", timeout=5000)
    assert shell.summary.numbers["visits"].text() == "1"
    (ended,) = rows(data_dir / "kiosk.db", "SELECT ended FROM session")[0]
    assert ended is not None
    click(qtbot, shell.summary.done_button)
    assert shell.page == "menu"
    assert not shell.menu.running


def test_pause_shows_even_pauze_and_ignores_taps(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "pause_requested")
    assert shell.page == "kiosk"
    assert shell.window.attract.title.text() == "Even pauze"
    shell.window.test_clock.advance(1)
    click(qtbot, shell.window.attract)
    assert shell.window.current_screen == "attract"
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "pause_requested")  # the same tile now says "Verder"
    assert shell.window.attract.title.text() == "Doe mee!"


def test_export_goes_to_the_chosen_stick(qtbot, shell, data_dir) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "export_requested")
    save_to_stick(qtbot, shell)
    assert shell.save_screen.result_title.text() == EJECT
    assert (data_dir / "usb" / "stellingen.csv").read_text(encoding="utf-8") == "zin;eens\n"
    assert [p.name for p in (data_dir / "usb").iterdir()] == ["stellingen.csv"]  # no leftovers
    with qtbot.waitSignal(shell.status, timeout=5000,
                          check_params_cb=lambda text: text.startswith("Klaar")):
        click(qtbot, shell.save_screen.done_button)
    assert shell.page == "menu"


def test_quit_from_the_menu_ends_the_session(qtbot, shell, data_dir) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "quit_requested")
    assert shell.menu.question.title.text() == "Kiosk afsluiten?"
    with qtbot.waitSignal(shell.finished, timeout=5000):
        answer(qtbot, shell.menu, "yes")
    shell.recorder.run(lambda store: None).result()
    (ended,) = rows(data_dir / "kiosk.db", "SELECT ended FROM session")[0]
    assert ended is not None


def test_a_test_print_without_a_printer_tells_staff_and_keeps_running(qtbot, shell) -> None:
    from kiosk.gui.printing import SlipPrinter, print_test_slip

    printer = SlipPrinter()
    shell.test_printer = lambda name: print_test_slip(printer, shell.content, name,
                                                      shell.status.emit)
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    with qtbot.waitSignal(shell.status, timeout=20_000,
                          check_params_cb=lambda text: "printer" in text.lower()
                          and text != "De testbon wordt geprint…") as said:
        tap_menu(qtbot, shell, "test_print_requested")
    assert "geprint" not in said.args[0]  # there is no printer on this machine
    assert shell.menu.status.text() == said.args[0]
    click(qtbot, shell.menu.back_button)
    assert shell.page == "kiosk"
    printer.wait(10_000)


def test_the_report_from_the_menu_lands_on_the_chosen_stick(qtbot, shell, data_dir) -> None:
    from kiosk.gui.staff.actions import report_to_folder

    shell.reporter = lambda folder: report_to_folder(data_dir / "kiosk.db", shell.content,
                                                     folder)
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "report_requested")
    save_to_stick(qtbot, shell)
    assert shell.save_screen.result_title.text() == EJECT
    (pdf,) = (data_dir / "usb").glob("rapport-gemeente-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes().rstrip().endswith(b"%%EOF")  # complete
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Publiek" in text or "publiek" in text  # for the municipality: small counts hidden
    assert "Intern rapport" not in text


def test_broken_content_is_announced_to_staff_on_the_start_screen(qtbot, qapp, data_dir):
    from kiosk.gui.shell import CONTENT_BROKEN

    apply_theme(qapp)
    content = load_content(Options(data_dir=data_dir), lambda m: None)
    recorder = Recorder(data_dir / "kiosk.db")
    pool = ThreadPoolExecutor(max_workers=1)
    shell = KioskShell(content, recorder, PinStore(data_dir / "staff.json"),
                       Theme.load(paths.ui_dir()), paths.pictogram_dir(), pool,
                       lambda settings, session_id: None, data_dir / "session.json",
                       kiosk_mode=False, content_broken=True)
    qtbot.addWidget(shell)
    shell.resize(1366, 768)
    shell.show()
    try:
        enter_pin(qtbot, shell, twice=True)
        qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
        assert shell.start_screen.notice.isVisible()
        assert shell.start_screen.notice.text() == CONTENT_BROKEN
    finally:
        shell.close()
        recorder.close()
        pool.shutdown(wait=True)
