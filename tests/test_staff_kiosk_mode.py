"""Staff paths in kiosk mode, walked with real clicks: no dialogs, no dead ends.

The real shell with a real store, PIN file and recorder (see tests/test_shell.py).
A temporary folder is the USB stick, presented through the drive-listing
interface; the staff time-out runs on a ManualClock: no test sleeps.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.store import Store
from kiosk.gui.staff import EJECT, ON_LAPTOP, warning_text
from kiosk.gui.staff.actions import export_to_folder
from kiosk.gui.staff.drives import NO_STICK
from kiosk.gui.storage import Drive
from tests.test_shell import (
    STICK,
    answer,
    click,
    enter_pin,
    make_shell,
    open_menu,
    rows,
    save_to_stick,
    start_at_the_market,
    tap_menu,
)


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path):
    yield from make_shell(qtbot, qapp, data_dir)


def end_the_session(qtbot, shell) -> None:
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "end_session_requested")
    with qtbot.waitSignal(shell.session_ended, timeout=5000):
        answer(qtbot, shell.menu, "yes")
    qtbot.waitUntil(lambda: shell.page == "summary", timeout=5000)
    click(qtbot, shell.summary.done_button)
    assert shell.page == "menu"


def menu_again_without_a_session(qtbot, shell) -> None:
    """The lock without a session is the PIN pad; the PIN leads to the menu."""
    click(qtbot, shell.menu.back_button)  # "Vergrendelen"
    assert shell.page == "pin"
    assert not shell.pin.back_button.isVisible()  # nothing to go back to: no dead end
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=10_000)
    assert not shell.menu.running


def expire(shell) -> None:
    """A minute without a touch: the warning first, then the time-out."""
    shell.clock.advance(50)
    shell.idle.tick()
    assert shell.idle_warning.isVisible()
    shell.clock.advance(10)
    shell.idle.tick()


# -- end of session, menu, export --------------------------------------------------


def test_after_the_session_the_menu_exports_to_the_stick(qtbot, shell, data_dir) -> None:
    shell.exporter = lambda folder: export_to_folder(data_dir / "kiosk.db", shell.content,
                                                     folder)
    start_at_the_market(qtbot, shell)
    window = shell.window
    window.test_clock.advance(1)
    click(qtbot, window.attract)
    window.test_clock.advance(1)
    with qtbot.waitSignal(window.answer_saved, timeout=5000):
        click(qtbot, window.statement_screen.buttons["eens"])
    end_the_session(qtbot, shell)
    menu_again_without_a_session(qtbot, shell)
    shown = [name for name, tile in shell.menu.buttons.items() if tile.isVisible()]
    assert shown == ["new_session_requested", "test_print_requested", "export_requested",
                     "report_requested", "merge_requested", "tally_history_requested",
                     "notices_requested", "content_requested", "settings_requested",
                     "voice_requested", "quit_requested"]  # the library's own content and settings: no session

    tap_menu(qtbot, shell, "export_requested")
    assert shell.save_screen.title.text() == "Waar wil je het bewaren?"
    qtbot.waitUntil(lambda: shell.usb in shell.save_screen.drive_list.buttons, timeout=10_000)
    stick = shell.save_screen.drive_list.buttons[shell.usb]
    assert stick.text().startswith(f"USB-stick {STICK}\n8,0 GB vrij")
    assert not shell.save_screen.drive_list.notice.isVisible()  # a stick is there
    save_to_stick(qtbot, shell)
    assert shell.save_screen.result_title.text() == EJECT
    names = sorted(path.name for path in shell.usb.iterdir())
    day = datetime.now().date().isoformat()
    assert f"stellingen-{day}.csv" in names
    assert f"stellingen-{day}.xlsx" in names
    assert not [name for name in names if name.startswith(".")]  # no half-written files
    csv = (shell.usb / f"stellingen-{day}.csv").read_text(encoding="utf-8-sig")
    assert "Weekmarkt" in csv
    with zipfile.ZipFile(shell.usb / f"stellingen-{day}.xlsx") as workbook:
        assert workbook.testzip() is None  # complete
    assert sorted(path.name for path in shell.save_screen.files) == sorted(
        name for name in names if name.startswith("stellingen"))
    with qtbot.waitSignal(shell.status, timeout=5000):
        click(qtbot, shell.save_screen.done_button)
    assert shell.page == "menu"
    assert STICK in shell.menu.status.text()


def test_without_a_stick_staff_read_what_to_do_and_can_use_the_laptop(qtbot, shell, data_dir):
    shell.sticks.clear()
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "export_requested")
    drives = shell.save_screen.drive_list
    qtbot.waitUntil(lambda: drives.notice.text() == NO_STICK, timeout=10_000)
    assert drives.notice.isVisible()
    assert drives.search_button.isVisible()
    laptop = data_dir / "exports"
    assert list(drives.buttons) == [laptop]  # the exports folder is still offered

    shell.sticks.append(Drive(shell.usb, STICK, 8_000_000_000))  # the stick goes in
    with qtbot.waitSignal(drives.listed, timeout=10_000):
        click(qtbot, drives.search_button)  # "Opnieuw zoeken"
    assert list(drives.buttons) == [shell.usb, laptop]
    assert not drives.notice.isVisible()

    click(qtbot, drives.buttons[laptop])
    qtbot.waitUntil(lambda: shell.save_screen.state == "done", timeout=30_000)
    assert shell.save_screen.result_title.text() == ON_LAPTOP
    assert str(laptop) in shell.save_screen.result_text.text()
    assert (laptop / "stellingen.csv").is_file()


def test_a_full_stick_says_so_and_offers_to_try_again(qtbot, shell, data_dir) -> None:
    def full(folder: Path) -> None:
        raise OSError(28, "No space left on device")

    shell.exporter = full
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "export_requested")
    save_to_stick(qtbot, shell)
    assert shell.save_screen.result_title.text() == "Dat lukte niet."
    assert "geen plek meer" in shell.save_screen.result_text.text()
    assert list(shell.usb.iterdir()) == []  # nothing half-written left behind
    click(qtbot, shell.save_screen.retry_button)
    assert shell.save_screen.state == "choose"


# -- merge -----------------------------------------------------------------------


def other_laptop(path: Path) -> str:
    """A second kiosk's database with one session at the library (closed, like on a stick)."""
    with Store.open(path, clock=lambda: datetime(2026, 3, 5, 10, 20)) as store:
        session = store.start_session("Bibliotheek", "bibliotheek", "taalhuis")
        visit = store.start_visit(session)
        store.record_answer(visit, "digid", "eens")
        store.record_answer(visit, "formulieren", "oneens")
        store.end_session(session)
        return store.db.execute("SELECT name FROM kiosk").fetchone()[0]


def test_merge_lists_the_files_on_the_stick_and_merges_the_ticked_ones(qtbot, shell, data_dir):
    name = other_laptop(shell.usb / "laptop-2.db")
    (shell.usb / "kapot.db").write_bytes(b"dit is geen database" * 100)
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "merge_requested")
    screen = shell.merge_screen
    assert shell.page == "merge"
    assert screen.title.text() == "Waar staan de bestanden?"
    qtbot.waitUntil(lambda: shell.usb in screen.drive_list.buttons, timeout=10_000)
    click(qtbot, screen.drive_list.buttons[shell.usb])
    qtbot.waitUntil(lambda: screen.state == "files", timeout=10_000)

    good, broken = screen.buttons[shell.usb / "laptop-2.db"], screen.buttons[shell.usb / "kapot.db"]
    assert good.text().splitlines() == [name, "1 sessie, 5 maart 2026 · laptop-2.db"]
    assert good.isChecked()
    assert good.isEnabled()
    assert broken.text().splitlines()[0] == "kapot.db"
    assert "Kan niet mee" in broken.text()
    assert not broken.isEnabled()
    assert screen.count_line.text() == "1 bestand aangevinkt."
    click(qtbot, good)  # untick: nothing to merge
    assert not screen.merge_button.isEnabled()
    click(qtbot, good)
    with qtbot.waitSignal(screen.merged, timeout=20_000):
        click(qtbot, screen.merge_button)
    assert screen.result_title.text() == "Klaar."
    assert screen.result_text.text().splitlines() == [
        "1 bestand samengevoegd.",
        f"Van: {name}.",  # the other laptop's own name (Instellingen), here its default
        "Nieuw in deze kiosk: 1 sessie, 1 bezoek en 2 antwoorden.",
    ]
    shell.recorder.run(lambda store: None).result()
    assert rows(data_dir / "kiosk.db", "SELECT location FROM session ORDER BY location") == [
        ("Bibliotheek",), ("Weekmarkt",)]
    assert not (shell.usb / "laptop-2.db-wal").exists()  # the stick is left as it was
    with qtbot.waitSignal(shell.status, timeout=5000):
        click(qtbot, screen.done_button)
    assert shell.page == "menu"


# -- the staff time-out ----------------------------------------------------------


def test_the_menu_closes_after_a_minute_with_a_warning_first(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    shell.clock.advance(49)
    shell.idle.tick()
    assert not shell.idle_warning.isVisible()
    shell.clock.advance(1)
    shell.idle.tick()
    assert shell.idle_warning.isVisible()
    assert shell.idle_warning.text.text() == (
        "Over 10 seconden gaat het menu dicht. Tik om door te gaan.")
    shell.clock.advance(9)
    shell.idle.tick()
    assert shell.idle_warning.text.text() == warning_text(1) == (
        "Over 1 seconde gaat het menu dicht. Tik om door te gaan.")
    click(qtbot, shell.idle_warning)  # a tap anywhere keeps the menu open
    assert not shell.idle_warning.isVisible()
    assert shell.page == "menu"
    shell.clock.advance(49)
    shell.idle.tick()
    assert not shell.idle_warning.isVisible()
    assert shell.page == "menu"

    shell.clock.advance(300)  # the laptop slept: still the warning first
    shell.idle.tick()
    assert shell.idle_warning.isVisible()
    assert shell.page == "menu"
    with qtbot.waitSignal(shell.locked, timeout=1000):
        shell.clock.advance(10)
        shell.idle.tick()
    assert shell.page == "kiosk"
    assert not shell.idle_warning.isVisible()
    shell.clock.advance(600)
    shell.idle.tick()
    assert shell.page == "kiosk"  # the kiosk itself never times out to anything


def test_without_a_session_staff_screens_close_to_the_pin_pad(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    end_the_session(qtbot, shell)
    tap_menu(qtbot, shell, "merge_requested")
    expire(shell)
    assert shell.page == "pin"
    assert not shell.idle.armed  # the PIN pad is the lock


def test_a_typed_new_place_stays_after_a_time_out(qtbot, shell) -> None:
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    start = shell.start_screen
    click(qtbot, start.locations.buttons[""])
    assert start.entry.isVisible()
    for key in ("shift", "d", "e", "space", "shift", "k", "a", "a", "i"):
        click(qtbot, start.entry.keyboard.keys[key])
    expire(shell)
    assert shell.page == "pin"
    assert not start.entry.isVisible()
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    assert start.new_location.text() == "De Kaai"
    assert start.settings().location == "De Kaai"


# -- Turven ------------------------------------------------------------------------


def test_turven_asks_before_throwing_counts_away_and_a_time_out_saves(qtbot, shell, data_dir):
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "tally_requested")
    tally = shell.tally
    click(qtbot, tally.counters[("digid", "eens")].plus)
    click(qtbot, tally.counters[("digid", "eens")].plus)
    click(qtbot, tally.back_button)
    assert tally.question.title.text() == "Opslaan of weggooien?"
    assert "2 worpen" in tally.question.text.text()
    answer(qtbot, tally, "stay")  # "Verder tellen"
    assert shell.page == "tally"
    assert tally.counts() == [("digid", "eens", 2)]
    click(qtbot, tally.back_button)
    answer(qtbot, tally, "discard")
    assert shell.page == "menu"
    assert tally.counts() == []
    assert rows(data_dir / "kiosk.db", "SELECT count(*) FROM answer WHERE source = 'staff'") \
        == [(0,)]

    tap_menu(qtbot, shell, "tally_requested")
    click(qtbot, tally.counters[("formulieren", "oneens")].plus)
    click(qtbot, tally.back_button)  # the question is open when time runs out
    with qtbot.waitSignal(shell.status, timeout=5000,
                          check_params_cb=lambda text: text.startswith("Turven opgeslagen")):
        expire(shell)
    assert shell.page == "kiosk"
    assert tally.question is None
    assert rows(data_dir / "kiosk.db",
                "SELECT statement_id, answer FROM answer WHERE source = 'staff'") == [
        ("formulieren", "oneens")]


def test_turven_bekijken_shows_the_stored_tallies(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "tally_requested")
    for _ in range(3):
        click(qtbot, shell.tally.counters[("digid", "eens")].plus)
    with qtbot.waitSignal(shell.status, timeout=5000):
        click(qtbot, shell.tally.save_button)
    with qtbot.waitSignal(shell.history.loaded, timeout=5000):
        tap_menu(qtbot, shell, "tally_history_requested")
    assert shell.page == "history"
    (session,) = shell.history.sessions
    assert (session.location, session.total) == ("Weekmarkt", 3)
    texts = [label.text() for label in shell.history.rows.findChildren(type(shell.history.title))]
    assert any(text.startswith("Weekmarkt (markt)") and text.endswith("3 worpen")
               for text in texts)
    assert any("3 eens, 0 oneens, 0 weet niet" in text for text in texts)
    click(qtbot, shell.history.back_button)
    assert shell.page == "menu"


# -- confirmations -------------------------------------------------------------------


def test_ending_and_quitting_ask_first_and_no_keeps_everything(qtbot, shell, data_dir):
    start_at_the_market(qtbot, shell)
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "end_session_requested")
    question = shell.menu.question
    assert question.title.text() == "Sessie beëindigen?"
    assert [b.text() for b in question.buttons.values()] == ["Ja, beëindigen", "Nee, terug"]
    with qtbot.assertNotEmitted(shell.session_ended):
        answer(qtbot, shell.menu, "no")
    assert shell.page == "menu"
    assert shell.window is not None
    tap_menu(qtbot, shell, "quit_requested")
    with qtbot.assertNotEmitted(shell.finished):
        answer(qtbot, shell.menu, "no")
    assert shell.menu.question is None
    assert shell.window is not None
    shell.recorder.run(lambda store: None).result()
    assert rows(data_dir / "kiosk.db", "SELECT ended FROM session") == [(None,)]


# -- the keyboard ------------------------------------------------------------------


def test_the_keyboard_types_a_new_place_with_a_capital_and_a_space(qtbot, shell, data_dir):
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    start = shell.start_screen
    click(qtbot, start.locations.buttons[""])  # Nieuwe plek…
    entry = start.entry
    assert entry.isVisible()
    assert entry.title.text() == "Nieuwe plek"
    keys = entry.keyboard.keys
    for key in ("shift", "b", "u", "u", "r", "t", "space", "shift", "o", "o", "s", "t", "x",
                "backspace"):
        click(qtbot, keys[key])
    assert entry.text() == "Buurt Oost"
    assert start.new_location.text() == "Buurt Oost"  # passed on at once
    assert entry.counter.text() == "Nog 50 tekens"
    click(qtbot, keys["done"])
    assert not entry.isVisible()
    click(qtbot, start.speech.buttons["0"])
    with qtbot.waitSignal(shell.session_started, timeout=5000):
        click(qtbot, start.start_button)
    shell.recorder.run(lambda store: None).result()
    assert rows(data_dir / "kiosk.db", "SELECT location FROM session") == [("Buurt Oost",)]


def test_the_keyboard_counts_down_and_stops_at_its_maximum(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QWidget

    from kiosk import paths
    from kiosk.app import apply_theme
    from kiosk.gui.keyboard import TextEntry
    from kiosk.gui.theme import Theme

    apply_theme(qapp)
    theme = Theme.load(paths.ui_dir())
    host = QWidget()
    host.setStyleSheet(theme.stylesheet(1366, 768))
    qtbot.addWidget(host)
    host.resize(1366, 768)
    host.show()
    entry = TextEntry(theme, paths.pictogram_dir(), host)
    entry.open("Anders", "Typ het signaal.", "", max_length=140,
               warning="Geen namen of andere persoonsgegevens")
    assert entry.counter.text() == "Nog 140 tekens"
    assert entry.warning.text() == "Geen namen of andere persoonsgegevens"
    keys = entry.keyboard.keys
    click(qtbot, keys["shift"])
    click(qtbot, keys["shift"])  # twice: capitals stay on
    assert entry.keyboard.shift == "lock"
    assert keys["a"].text() == "A"
    for key in ("a", "b", "1"):
        click(qtbot, keys[key])
    click(qtbot, keys["shift"])
    click(qtbot, keys["c"])
    assert entry.text() == "AB1c"
    assert entry.counter.text() == "Nog 136 tekens"
    for _ in range(200):
        entry.keyboard.press("z")
    assert len(entry.text()) == 140
    assert entry.counter.text() == "Nog 0 tekens"
    with qtbot.waitSignal(entry.done, timeout=1000) as done:
        click(qtbot, keys["done"])
    assert done.args == [entry.text()]
    entry.open("Anders", "", "", max_length=140)
    qtbot.keyClicks(entry.field, "Te moeilijk")  # a physical keyboard types there too
    assert entry.text() == "Te moeilijk"
    assert entry.counter.text() == "Nog 129 tekens"


def test_listing_the_files_on_a_stick_leaves_the_stick_as_it_was(tmp_path: Path) -> None:
    from kiosk.core.databases import find_databases

    other_laptop(tmp_path / "laptop-2.db")
    (tmp_path / ".verborgen.db").write_bytes(b"")
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "leeg.db").write_bytes(b"")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    info, empty = find_databases(tmp_path)
    assert (info.path.name, info.sessions, info.first, info.damaged) == (
        "laptop-2.db", 1, "2026-03-05T10:15", False)
    assert empty.path.name == "leeg.db"
    assert empty.problem == "Geen kiosk-bestand."
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no -wal or -shm left
