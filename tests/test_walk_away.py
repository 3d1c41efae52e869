"""Walking away leaves nothing for the next person: after an idle ending the end screen
stays 15 s, is read once, and a touch starts a fresh visit. And the second course's
QR code counts as shown only once "Of: ..." showed it.

The real window (kiosk.app.build_window), a ManualClock, real SQLite; speech through
a real Speaker where what is read matters.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.window import END_SECONDS, IDLE_AFTER, IDLE_COUNTDOWN, WALK_AWAY_END_SECONDS
from kiosk.speech.phrases import end_screen_items
from tests.test_touch import finger_tap

pytestmark = pytest.mark.no_qt_log  # FFmpeg's audio thread (see kiosk/speech/playback.py)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def open_kiosk(qtbot, qapp, data_dir: Path, clock: ManualClock, speech: bool):
    apply_theme(qapp)
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, location="Markt", speech=speech, per_visit=ALL),
        monotonic=clock, rng=random.Random(7))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, recorder


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, clock):
    window, recorder = open_kiosk(qtbot, qapp, data_dir, clock, speech=True)
    yield window
    window.close()
    recorder.close()


@pytest.fixture
def quiet_kiosk(qtbot, qapp, data_dir: Path, clock):
    window, recorder = open_kiosk(qtbot, qapp, data_dir, clock, speech=False)
    yield window
    window.close()
    recorder.close()


def rows(data_dir: Path, sql: str, *args) -> list[tuple]:
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def begin(qtbot, kiosk, clock) -> None:
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)
    assert kiosk.current_screen == "statement"


def tap(qtbot, kiosk, clock, answer: str) -> None:
    clock.advance(1)
    with qtbot.waitSignal(kiosk.answer_saved, timeout=10_000):
        qtbot.mouseClick(kiosk.statement_screen.buttons[answer], Qt.MouseButton.LeftButton)


def walk_away(qtbot, kiosk, clock) -> None:
    """Answer two statements, then nobody comes back: "Ben je er nog?" runs out."""
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    tap(qtbot, kiosk, clock, "oneens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    assert kiosk.current_screen == "idle"
    clock.advance(IDLE_COUNTDOWN)
    kiosk.tick()
    assert kiosk.current_screen == "end"
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)


def test_after_an_idle_ending_the_end_screen_is_read_once_and_lasts_15_s(
        qtbot, kiosk, clock) -> None:
    heard: list[str] = []
    kiosk.speaker.requested.connect(heard.append)
    walk_away(qtbot, kiosk, clock)
    course = kiosk.end_screen.courses[0]
    keys = [key for key, _ in end_screen_items(course, kiosk.content.library)]
    assert heard[-1] == keys[0]  # read top to bottom, from the start ...
    assert kiosk.speaker.queue == keys[1:]
    start = len(heard) - 1
    clock.advance(WALK_AWAY_END_SECONDS - 1)
    kiosk.tick()
    assert kiosk.current_screen == "end"
    clock.advance(1)
    kiosk.tick()
    assert kiosk.current_screen == "attract"  # ... once, and gone after 15 s
    assert heard[start:] == keys[:1]  # nothing read again (leaving stopped the rest)
    assert WALK_AWAY_END_SECONDS == 15 < END_SECONDS


def test_a_touch_on_the_walked_away_end_screen_starts_a_fresh_visit(
        qtbot, quiet_kiosk, clock, data_dir) -> None:
    kiosk = quiet_kiosk
    walk_away(qtbot, kiosk, clock)
    (old_visit,) = rows(data_dir, "SELECT id FROM visit")
    old_answers = rows(data_dir, "SELECT id, statement_id, answer FROM answer"
                       " WHERE visit_id = ? ORDER BY id", old_visit[0])
    assert len(old_answers) == 2
    clock.advance(1)
    finger_tap(kiosk, kiosk.end_screen.next_button)  # a finger, anywhere: someone new
    assert kiosk.current_screen == "statement"
    assert kiosk.visit.answers == {}
    assert kiosk.visit.position == 0
    tap(qtbot, kiosk, clock, "weet_niet")
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    visits = rows(data_dir, "SELECT id FROM visit ORDER BY started")
    assert len(visits) == 2  # a new visit row
    assert old_visit in visits
    new_visit = next(v for v in visits if v != old_visit)
    assert rows(data_dir, "SELECT answer FROM answer WHERE visit_id = ?",
                new_visit[0]) == [("weet_niet",)]
    assert rows(data_dir, "SELECT id, statement_id, answer FROM answer WHERE visit_id = ?"
                " ORDER BY id", old_visit[0]) == old_answers  # untouched


def test_a_visit_ended_by_its_own_person_keeps_the_end_screen(
        qtbot, quiet_kiosk, clock) -> None:
    kiosk = quiet_kiosk
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    clock.advance(1)
    qtbot.mouseClick(kiosk.idle_screen.stop_button, Qt.MouseButton.LeftButton)  # Stoppen
    assert kiosk.current_screen == "end"
    clock.advance(WALK_AWAY_END_SECONDS + 1)
    kiosk.tick()
    assert kiosk.current_screen == "end"  # the person is still there: the usual time
    clock.advance(1)
    qtbot.mouseClick(kiosk.end_screen.other_course if kiosk.end_screen.other_course
                     .isVisible() else kiosk.end_screen.course_name,
                     Qt.MouseButton.LeftButton)
    assert kiosk.current_screen == "end"  # a touch here is theirs, not a new visit


def test_the_second_course_counts_as_shown_only_once_it_is_shown(
        qtbot, quiet_kiosk, clock, data_dir) -> None:
    kiosk = quiet_kiosk
    begin(qtbot, kiosk, clock)
    for _ in kiosk.statement_set.statements:
        tap(qtbot, kiosk, clock, "eens")
    assert kiosk.current_screen == "end"
    first, second = kiosk.end_screen.courses
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    shown = "SELECT course_id, qr_shown FROM referral ORDER BY course_id"
    assert dict(rows(data_dir, shown)) == {first.id: 1, second.id: 0}
    button = kiosk.end_screen.other_course
    assert button.isVisible()
    assert second.name in button.accessibleName() + button.text()
    clock.advance(1)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert kiosk.end_screen.shown is second
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    assert dict(rows(data_dir, shown)) == {first.id: 1, second.id: 1}
    clock.advance(1)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # back and forth: still one row each
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    assert sorted(rows(data_dir, shown)) == sorted({first.id: 1, second.id: 1}.items())
