"""The staff screens with real clicks and keys (pytest-qt, offscreen), and the session summary.

The PIN pad checks PINs on a real worker thread; tests wait on its signals.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk import paths
from kiosk.app import Options, apply_theme, load_content
from kiosk.core import pin as pin_module
from kiosk.core.clock import ManualClock
from kiosk.core.model import Content
from kiosk.core.pin import LOCK_SECONDS, MAX_TRIES, PinStore
from kiosk.core.recorder import Recorder
from kiosk.core.settings import SessionSettings, load_last, save_last
from kiosk.core.store import Store
from kiosk.core.summary import session_summary
from kiosk.core.tallies import tallies
from kiosk.gui.screens import CONTROL_MIN_MM
from kiosk.gui.staff import (
    MENU_ACTIONS,
    MENU_PLACES,
    NO_SESSION_PLACES,
    PinPad,
    SessionSummary,
    StaffMenu,
    StaffStartScreen,
    TallyScreen,
)
from kiosk.gui.theme import Theme, px_per_mm

GOOD = "493817"
PRINTERS = ["HP_LaserJet_M404", "Brother_QL-820NWB"]


WALL_CLOCK_START = 1_800_000_000.0  # wall-clock seconds; the clock moves only when told
Clock = ManualClock


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)
    return Theme.load(paths.ui_dir())


@pytest.fixture
def content(data_dir: Path) -> Content:
    return load_content(Options(data_dir=data_dir), lambda message: None)


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-pin")
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def clock() -> Clock:
    return ManualClock(start=WALL_CLOCK_START)


def show(qtbot, widget: QWidget, size: tuple[int, int] = (1366, 768)) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible(), button.objectName()
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def make_pad(qtbot, theme, executor, store: PinStore) -> PinPad:
    return show(qtbot, PinPad(store, executor, theme, paths.pictogram_dir()))


def type_pin(qtbot, pad: PinPad, digits: str) -> None:
    for digit in digits:
        click(qtbot, pad.keys[digit])


# -- PIN pad -------------------------------------------------------------------


def test_first_start_sets_a_pin_typed_twice(qtbot, theme, executor, data_dir, clock) -> None:
    store = PinStore(data_dir / "staff.json", clock)
    pad = make_pad(qtbot, theme, executor, store)
    assert pad.mode == "setup"
    assert pad.title.text() == "Kies een pincode"

    type_pin(qtbot, pad, "123456")
    assert pad.typed == 6
    assert pad.dots.accessibleName() == "6 cijfers getypt"
    click(qtbot, pad.keys["ok"])
    assert pad.mode == "setup"
    assert "op een rij" in pad.message.text()

    type_pin(qtbot, pad, GOOD)
    click(qtbot, pad.keys["ok"])
    assert pad.mode == "confirm"
    type_pin(qtbot, pad, "493818")
    click(qtbot, pad.keys["ok"])
    assert pad.mode == "setup"
    assert "niet gelijk" in pad.message.text()

    type_pin(qtbot, pad, GOOD + "9")
    click(qtbot, pad.keys["wissen"])  # takes the 9 away again
    assert pad.typed == 6
    click(qtbot, pad.keys["ok"])
    type_pin(qtbot, pad, GOOD)
    with qtbot.waitSignal(pad.accepted, timeout=10_000):
        click(qtbot, pad.keys["ok"])
    assert store.is_set()
    assert PinStore(data_dir / "staff.json", clock).check(GOOD)
    assert pad.mode == "enter"  # next time it asks for the PIN


def test_the_pin_is_entered_with_keys_and_cancelled(qtbot, theme, executor, data_dir, clock):
    store = PinStore(data_dir / "staff.json", clock)
    store.set_pin(GOOD)
    pad = make_pad(qtbot, theme, executor, store)
    assert pad.mode == "enter"
    qtbot.keyClicks(pad, GOOD + "x")  # a letter is ignored
    assert pad.typed == 6
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.typed == 5
    qtbot.keyClick(pad, Qt.Key.Key_7)
    with qtbot.waitSignal(pad.accepted, timeout=10_000):
        qtbot.keyClick(pad, Qt.Key.Key_Return)

    qtbot.keyClicks(pad, "49")
    with qtbot.waitSignal(pad.cancelled, timeout=1000):
        qtbot.keyClick(pad, Qt.Key.Key_Escape)
    assert pad.typed == 0  # cancelling forgets what was typed
    with qtbot.waitSignal(pad.cancelled, timeout=1000):
        click(qtbot, pad.back_button)


def test_five_wrong_pins_lock_the_pad_with_a_countdown(qtbot, theme, executor, data_dir, clock):
    store = PinStore(data_dir / "staff.json", clock)
    store.set_pin(GOOD)
    pad = make_pad(qtbot, theme, executor, store)
    with qtbot.assertNotEmitted(pad.accepted):
        for attempt in range(MAX_TRIES):
            type_pin(qtbot, pad, "000001")
            click(qtbot, pad.keys["ok"])
            qtbot.waitUntil(lambda: not pad.busy, timeout=10_000)
            if attempt < MAX_TRIES - 1:
                assert "klopt niet" in pad.message.text()
    assert pad.locked
    assert pad.message.text() == "Te vaak fout. Nog 1 minuut wachten."
    assert not any(key.isEnabled() for key in pad.keys.values())
    qtbot.keyClicks(pad, GOOD)  # the keyboard is locked too
    assert pad.typed == 0

    clock.advance(30)
    pad.tick()
    assert pad.message.text() == "Te vaak fout. Nog 30 seconden wachten."
    clock.advance(29.5)
    pad.tick()
    assert pad.message.text() == "Te vaak fout. Nog 1 seconde wachten."

    reopened = make_pad(qtbot, theme, executor, PinStore(data_dir / "staff.json", clock))
    assert reopened.locked  # a restart keeps the lock

    clock.advance(LOCK_SECONDS)
    pad.tick()
    assert not pad.locked
    assert pad.message.text() == "Je kunt het weer proberen."
    assert all(key.isEnabled() for key in pad.keys.values())
    type_pin(qtbot, pad, GOOD)
    with qtbot.waitSignal(pad.accepted, timeout=10_000):
        click(qtbot, pad.keys["ok"])


def test_a_pin_file_that_cannot_be_written_is_reported(
    qtbot, theme, executor, data_dir, clock, monkeypatch
) -> None:
    store = PinStore(data_dir / "staff.json", clock)
    pad = make_pad(qtbot, theme, executor, store)

    def fail(*_args, **_kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(pin_module.os, "replace", fail)
    for _ in range(2):
        type_pin(qtbot, pad, GOOD)
        if pad.mode == "confirm":
            break
        click(qtbot, pad.keys["ok"])
    with qtbot.waitSignal(pad.failed, timeout=10_000) as failed:
        click(qtbot, pad.keys["ok"])
    assert "Kan het pincodebestand" in failed.args[0]
    assert "beheerder" in pad.message.text()
    assert not store.is_set()


# -- start screen --------------------------------------------------------------


def test_start_screen_emits_the_chosen_settings_with_a_new_place(qtbot, theme, content):
    screen = show(qtbot, StaffStartScreen(content, PRINTERS, theme, paths.pictogram_dir()))
    assert not screen.start_button.isEnabled()  # no place yet
    assert screen.problem.text() == "Kies eerst een plek."

    click(qtbot, screen.locations.buttons["Zwembad"])
    assert screen.kinds.value() == "zwembad"  # a known place brings its kind
    assert screen.start_button.isEnabled()

    click(qtbot, screen.locations.buttons[""])  # Nieuwe plek…
    assert screen.new_location.isVisible()
    assert not screen.start_button.isEnabled()
    assert screen.problem.text() == "Typ de naam van de plek."
    qtbot.keyClicks(screen.new_location, "  Markt   Oost ")
    click(qtbot, screen.kinds.buttons["markt"])
    click(qtbot, screen.speech.buttons["0"])
    click(qtbot, screen.peers.buttons["1"])
    click(qtbot, screen.printers.buttons["Brother_QL-820NWB"])
    click(qtbot, screen.volume_up)
    click(qtbot, screen.volume_up)
    click(qtbot, screen.volume_down)
    with qtbot.waitSignal(screen.start_requested, timeout=1000) as started:
        click(qtbot, screen.start_button)
    assert started.args == [SessionSettings(
        location="Markt Oost", place_kind="markt", statement_set="taalhuis", speech=False,
        show_peers=True, printer="Brother_QL-820NWB", volume=90,
    )]

    screen.new_location.setText("weekmarkt")  # a known place typed: its own spelling
    assert screen.settings().location == "Weekmarkt"
    click(qtbot, screen.printers.buttons[""])
    assert screen.settings().printer == ""
    with qtbot.waitSignal(screen.menu_requested, timeout=1000):
        click(qtbot, screen.menu_button)


def test_start_screen_opens_with_the_last_settings(qtbot, theme, content, data_dir):
    last = SessionSettings("Bibliotheek", "bibliotheek", "taalhuis", speech=False,
                           show_peers=True, printer="HP_LaserJet_M404", volume=40)
    save_last(data_dir / "session.json", last)
    assert load_last(data_dir / "session.json") == last
    screen = show(qtbot, StaffStartScreen(content, PRINTERS, theme, paths.pictogram_dir(),
                                          last=load_last(data_dir / "session.json")))
    assert screen.settings() == last
    with qtbot.waitSignal(screen.start_requested, timeout=1000) as started:
        qtbot.keyClick(screen.new_location, Qt.Key.Key_Return)  # Enter in the field starts too
    assert started.args == [last]

    typed = dataclasses.replace(last, location="Buurthuis De Kaai")
    screen.apply(typed)
    assert screen.new_location.isVisible()
    assert screen.settings() == typed
    screen.set_printers([])  # the printer went away: no printer
    assert screen.settings().printer == ""


def test_staff_choose_statements_per_visit(qtbot, theme, content):
    screen = show(qtbot, StaffStartScreen(content, PRINTERS, theme, paths.pictogram_dir()))
    assert content.library.per_visit == 3
    assert screen.per_visit.value() == "3"  # the library's choice (library.toml)
    assert [b.text() for b in screen.per_visit.buttons.values()] == ["1", "3", "5", "Alle"]
    click(qtbot, screen.locations.buttons["Zwembad"])
    click(qtbot, screen.per_visit.buttons["5"])
    assert screen.settings().per_visit == 5
    assert screen.settings().statements_per_visit == 5
    click(qtbot, screen.per_visit.buttons["0"])  # Alle
    assert screen.settings().per_visit == 0
    assert screen.settings().statements_per_visit is None  # every statement of the set

    own = dataclasses.replace(content, library=dataclasses.replace(content.library, per_visit=4))
    other = show(qtbot, StaffStartScreen(own, PRINTERS, theme, paths.pictogram_dir()))
    assert other.per_visit.value() == "4"  # a number the buttons do not offer is kept


def test_settings_refuse_bad_values_and_bad_files(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="location"):
        SessionSettings("   ")
    with pytest.raises(ValueError, match="place_kind"):
        SessionSettings("Markt", place_kind="kroeg")
    with pytest.raises(ValueError, match="volume"):
        SessionSettings("Markt", volume=101)
    (data_dir / "session.json").parent.mkdir(parents=True)
    (data_dir / "session.json").write_text("{broken", encoding="utf-8")
    assert load_last(data_dir / "session.json") is None
    assert load_last(data_dir / "missing.json") is None


# -- staff menu ----------------------------------------------------------------


def _object(signal_name: str) -> str:
    return next(name for signal, name, *_ in MENU_ACTIONS if signal == signal_name)


def test_every_menu_button_emits_its_own_signal(qtbot, theme) -> None:
    menu = show(qtbot, StaffMenu(theme, paths.pictogram_dir(), volume=80))
    for running, places in ((True, MENU_PLACES), (False, NO_SESSION_PLACES)):
        menu.set_session_running(running)
        shown = [name for name, *_ in MENU_ACTIONS
                 if menu.findChild(QAbstractButton, _object(name)).isVisible()]
        assert shown == [name for name, *_ in MENU_ACTIONS if name in places]
        for signal_name in shown:
            with qtbot.waitSignal(getattr(menu, signal_name), timeout=1000):
                click(qtbot, menu.buttons[signal_name])
        with qtbot.waitSignal(menu.back_requested, timeout=1000):
            click(qtbot, menu.back_button)
    assert menu.back_button.text() == "Vergrendelen"
    assert not menu.volume_box.isVisible()
    assert "new_session_requested" in shown
    assert "pause_requested" not in shown
    menu.set_session_running(True)
    assert menu.back_button.text() == "Terug naar kiosk"

    menu.set_paused(True)
    assert menu.buttons["pause_requested"].text() == "Verder"
    with qtbot.waitSignal(menu.resume_requested, timeout=1000), \
            qtbot.assertNotEmitted(menu.pause_requested):
        click(qtbot, menu.buttons["pause_requested"])

    with qtbot.waitSignal(menu.volume_changed, timeout=1000) as louder:
        click(qtbot, menu.volume_up)
    assert louder.args == [90]
    with qtbot.waitSignal(menu.volume_changed, timeout=1000) as softer:
        click(qtbot, menu.volume_down)
    assert softer.args == [80]
    menu.set_volume(100)
    assert not menu.volume_up.isEnabled()
    assert menu.volume_label.text() == "Geluid 100%"
    menu.set_status("Klaar: het rapport staat op de USB-stick.")
    assert menu.status.accessibleName() == "Klaar: het rapport staat op de USB-stick."


# -- beanbag tally -------------------------------------------------------------


def test_tally_counters_and_save(qtbot, theme, content, data_dir) -> None:
    statements = content.statement_set().statements
    screen = show(qtbot, TallyScreen(theme, paths.pictogram_dir(), statements))
    assert len(screen.counters) == 3 * len(statements)
    assert not screen.save_button.isEnabled()
    first, second = statements[0].id, statements[1].id
    eens = screen.counters[(first, "eens")]
    for _ in range(3):
        click(qtbot, eens.plus)
    click(qtbot, eens.minus)
    click(qtbot, screen.counters[(second, "oneens")].plus)
    click(qtbot, screen.counters[(second, "weet_niet")].plus)
    assert eens.number.text() == "2"
    assert not screen.counters[(first, "oneens")].minus.isEnabled()  # never below 0
    assert screen.total.text() == "4 worpen geteld."
    with qtbot.waitSignal(screen.save_requested, timeout=1000) as saved:
        click(qtbot, screen.save_button)
    counts = saved.args[0]
    assert counts == [(first, "eens", 2), (second, "oneens", 1), (second, "weet_niet", 1)]

    # what the lead does with them: staff answers, counted apart from touch answers
    with Store.open(data_dir / "kiosk.db") as store:
        session = store.start_session("Weekmarkt", "markt", "taalhuis")
        for statement_id, answer, count in counts:
            store.add_staff_tally(session, statement_id, answer, count)
        counted = tallies(store)
    assert counted.totals.staff.total == 4
    assert counted.totals.touch.total == 0

    screen.reset()
    assert screen.counts() == []
    assert not screen.save_button.isEnabled()
    with qtbot.waitSignal(screen.cancelled, timeout=1000):
        click(qtbot, screen.back_button)
    screen.set_statements(statements[:2])
    assert len(screen.counters) == 6


# -- session summary -----------------------------------------------------------


def build_session(path: Path, content: Content) -> tuple[Store, str]:
    moments = iter([datetime(2026, 3, 5, 10, 7)] * 2 + [datetime(2026, 3, 5, 13, 52)] * 1000)
    store = Store.open(path, clock=lambda: next(moments))
    session = store.start_session("Weekmarkt", "markt", "taalhuis")
    plan = [  # (answers to digid, formulieren, computer), finished?, courses
        (("eens", "eens", "oneens"), True, ["digisterker", "taalhuis"]),
        (("eens", "oneens", "eens"), True, ["digisterker"]),
        (("eens", "eens", "weet_niet"), True, ["taalhuis"]),
        (("oneens", "weet_niet", None), False, []),
    ]
    for answers, finished, courses in plan:
        visit = store.start_visit(session)
        for statement_id, answer in zip(("digid", "formulieren", "computer"), answers,
                                        strict=True):
            if answer:
                store.record_answer(visit, statement_id, answer)
        if finished:
            referral_ids = store.finish_visit(visit, courses)
            if courses == ["taalhuis"]:
                store.mark_printed(referral_ids[0])
    store.add_staff_tally(session, "computer", "eens", 3)
    store.end_session(session)
    other = store.start_session("Zwembad", "zwembad", "taalhuis")  # must not be counted
    store.record_answer(store.start_visit(other), "digid", "eens")
    return store, session


def test_session_summary_counts_a_real_session(content, data_dir) -> None:
    store, session = build_session(data_dir / "kiosk.db", content)
    with store:
        data = session_summary(store, session, content)
        assert data == session_summary(store.db.conn, session, content)
    assert (data.location, data.place_kind, data.statement_set) == ("Weekmarkt", "markt",
                                                                    "taalhuis")
    assert (data.started, data.ended) == ("2026-03-05T10:00", "2026-03-05T13:45")
    assert (data.visits, data.completed_visits) == (4, 3)
    assert (data.touch_answers, data.staff_answers, data.answers) == (11, 3, 14)
    assert (data.referrals, data.printed) == (4, 1)
    assert [(t.statement_id, t.eens, t.answers) for t in data.top_eens] == [
        ("computer", 4, 6), ("digid", 3, 4), ("formulieren", 2, 4),
    ]
    assert data.top_eens[0].text == content.statement_text("computer")
    assert [(c.course_id, c.referrals, c.printed) for c in data.courses] == [
        ("digisterker", 2, 0), ("taalhuis", 2, 1),
    ]
    assert data.courses[0].name == "Digisterker"
    with pytest.raises(ValueError, match="No session"):
        session_summary(Store.open(data_dir / "kiosk.db"), "nope", content)


def test_the_recorder_runs_the_summary_after_the_writes_before_it(content, data_dir) -> None:
    """How the app gets a summary: on the one writer's thread, behind the session's writes."""
    with Recorder(data_dir / "kiosk.db") as recorder:
        session = recorder.start_session("Bibliotheek", "bibliotheek", "taalhuis")
        visit = recorder.start_visit(session)
        recorder.record_answer(visit, "digid", "eens")
        recorder.add_staff_tally(session, "digid", "eens", 5)
        recorder.end_session(session)
        data = recorder.run(
            lambda store: session_summary(store, session.result(), content)
        ).result(timeout=10)
    assert (data.visits, data.touch_answers, data.staff_answers) == (1, 1, 5)
    assert data.ended is not None
    assert [(t.statement_id, t.eens) for t in data.top_eens] == [("digid", 6)]


def test_summary_screen_shows_the_numbers(qtbot, theme, content, data_dir) -> None:
    store, session = build_session(data_dir / "kiosk.db", content)
    with store:
        data = session_summary(store, session, content)
    screen = show(qtbot, SessionSummary(theme, paths.pictogram_dir()))
    screen.show_summary(data)
    assert screen.numbers["visits"].text() == "4"
    assert screen.numbers["answers"].text() == "14"
    assert screen.notes["answers"].text() == "3 geturfd"
    assert screen.numbers["referrals"].text() == "4"
    assert screen.subtitle.text() == "Weekmarkt (markt), 5 maart 2026, 10:00 tot 13:45"
    assert screen.top_lines[0].text().startswith("1.  " + content.statement_text("computer"))
    assert "4 keer eens, van 6" in screen.top_lines[0].text()
    with qtbot.waitSignal(screen.done, timeout=1000):
        click(qtbot, screen.done_button)


# -- every screen: names, sizes, a picture ---------------------------------------


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (1080, 1920)],
                         ids=["1366x768", "1920x1080", "portrait"])
def test_every_control_is_named_and_big_enough(
    qtbot, theme, content, executor, data_dir, clock, tmp_path, size
) -> None:
    store, session = build_session(data_dir / "kiosk.db", content)
    with store:
        summary = session_summary(store, session, content)
    pictograms = paths.pictogram_dir()
    summary_screen = SessionSummary(theme, pictograms)
    summary_screen.show_summary(summary)
    screens = {
        "pin": PinPad(PinStore(data_dir / "staff.json", clock), executor, theme, pictograms),
        "start": StaffStartScreen(content, PRINTERS, theme, pictograms),
        "menu": StaffMenu(theme, pictograms),
        "tally": TallyScreen(theme, pictograms, content.statement_set().statements),
        "summary": summary_screen,
    }
    screens["start"].locations.buttons[""].click()  # the new-place field shows too
    for name, screen in screens.items():
        show(qtbot, screen, size)
        QApplication.processEvents()
        mm = px_per_mm(screen)
        assert screen.objectName()
        assert screen.accessibleName()
        assert screen.accessibleDescription()
        controls = [w for w in screen.findChildren(QWidget)
                    if isinstance(w, QAbstractButton | QLineEdit) and w.isVisibleTo(screen)]
        assert controls, name
        for control in controls:
            label = f"{name}/{control.objectName()}"
            assert control.objectName(), label
            assert control.accessibleName(), label
            assert control.accessibleDescription(), label
            assert control.height() >= math.floor(CONTROL_MIN_MM * mm) - 1, f"{label} height"
            assert control.width() >= math.floor(20 * mm), f"{label} width"
            if isinstance(control, QAbstractButton) and control.text():
                assert control.sizeHint().width() <= control.width() + 1, f"{label}: word cut"
        picture = screen.grab()
        assert (picture.width(), picture.height()) == size
        assert picture.save(str(tmp_path / f"{name}.png"))
        screen.close()
