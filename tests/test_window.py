"""The real kiosk window, driven with real clicks and keys (pytest-qt, offscreen).

A manual clock drives the timers: idle after 60 s, the countdown, the end
screen's time and the tap filter, without waiting for any of them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QPushButton

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.window import END_SECONDS, IDLE_AFTER, IDLE_COUNTDOWN
from tests.conftest import zbar_decode


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, clock: ManualClock):
    apply_theme(qapp)
    window, recorder, _session = build_window(
        Options(data_dir=data_dir, location="Markt", speech=False, per_visit=ALL), monotonic=clock
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    recorder.close()


def rows(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "kiosk.db") as db:
        result = db.execute(sql).fetchall()
    db.close()
    return result


def answers_on_disk(data_dir: Path) -> list[tuple[str, str]]:
    return rows(data_dir, "SELECT statement_id, answer FROM answer ORDER BY rowid")


def begin(qtbot, kiosk, clock) -> None:
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)
    assert kiosk.current_screen == "statement"


def tap(qtbot, kiosk, clock, answer: str) -> None:
    clock.advance(1)  # a person takes a moment; the tap filter lets this through
    with qtbot.waitSignal(kiosk.answer_saved, timeout=5000) as saved:
        qtbot.mouseClick(kiosk.statement_screen.buttons[answer], Qt.MouseButton.LeftButton)
    assert saved.args[1] == answer


def press(qtbot, kiosk, clock, key: Qt.Key) -> None:
    clock.advance(1)
    qtbot.keyClick(kiosk, key)


def test_attract_statements_end_idle_attract_with_clicks_and_keys(
    qtbot, kiosk, clock, data_dir, tmp_path
) -> None:
    assert kiosk.current_screen == "attract"
    begin(qtbot, kiosk, clock)
    statements = kiosk.statement_set.statements
    keys = {"eens": Qt.Key.Key_1, "oneens": Qt.Key.Key_2, "weet_niet": Qt.Key.Key_3}
    for index, statement in enumerate(statements):
        assert kiosk.statement_screen.text.text() == statement.text
        assert kiosk.statement_screen.pictogram.name == statement.pictogram
        assert kiosk.statement_screen.dots.accessibleName() == f"Vraag {index + 1} van 15"
        answer = "eens" if statement.id == "digid" else ("oneens", "weet_niet")[index % 2]
        if index % 3 == 0:
            tap(qtbot, kiosk, clock, answer)
        else:
            with qtbot.waitSignal(kiosk.answer_saved, timeout=5000):
                press(qtbot, kiosk, clock, keys[answer])
        assert len(answers_on_disk(data_dir)) == index + 1  # on disk before the screen moves

    assert kiosk.current_screen == "end"
    assert kiosk.end_screen.course_name.text() == "Digisterker"
    png = tmp_path / "end.png"
    assert kiosk.grab().save(str(png))
    assert zbar_decode(png) == ["https://www.digisterker.nl"]
    assert dict(answers_on_disk(data_dir))["digid"] == "eens"
    assert rows(data_dir, "SELECT course_id, qr_shown FROM referral") == [("digisterker", 1)]

    press(qtbot, kiosk, clock, Qt.Key.Key_Return)  # "Klaar" on the button box
    assert kiosk.current_screen == "attract"

    begin(qtbot, kiosk, clock)
    assert kiosk.visit.answers == {}  # the next person sees nothing of the last one
    assert kiosk.statement_screen.dots.accessibleName() == "Vraag 1 van 15"
    tap(qtbot, kiosk, clock, "eens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    assert kiosk.current_screen == "idle"
    assert kiosk.idle_screen.countdown.text() == "Nog 20 seconden"
    clock.advance(IDLE_COUNTDOWN / 2)
    kiosk.tick()
    assert kiosk.idle_screen.countdown.text() == "Nog 10 seconden"
    clock.advance(IDLE_COUNTDOWN / 2)
    kiosk.tick()
    assert kiosk.current_screen == "end"  # one answer: the courses are still shown
    assert len(answers_on_disk(data_dir)) == 16  # the half visit kept its answer


def test_idle_continue_returns_to_the_same_statement(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    clock.advance(1)
    qtbot.mouseClick(kiosk.idle_screen.continue_button, Qt.MouseButton.LeftButton)
    assert kiosk.current_screen == "statement"
    assert kiosk.visit.position == 1


def test_a_touch_keeps_the_idle_prompt_away(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    clock.advance(IDLE_AFTER - 5)
    qtbot.mouseClick(kiosk.statement_screen.speak_button, Qt.MouseButton.LeftButton)
    clock.advance(10)
    kiosk.tick()
    assert kiosk.current_screen == "statement"


def test_the_end_screen_stays_at_least_30_seconds(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    for _ in kiosk.statement_set.statements:
        tap(qtbot, kiosk, clock, "oneens")
    assert kiosk.current_screen == "end"
    clock.advance(30)
    kiosk.tick()
    assert kiosk.current_screen == "end"
    clock.advance(END_SECONDS - 30)
    kiosk.tick()
    assert kiosk.current_screen == "attract"


def test_taps_right_after_a_screen_change_are_ignored(qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    clock.advance(0.3)  # too soon: a hand still moving from the previous tap
    qtbot.mouseClick(kiosk.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(kiosk, Qt.Key.Key_2)
    qtbot.wait(0)
    assert answers_on_disk(data_dir) == []
    clock.advance(0.4)  # 0.7 s after the change: a deliberate tap
    with qtbot.waitSignal(kiosk.answer_saved, timeout=5000):
        qtbot.mouseClick(kiosk.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)
    assert len(answers_on_disk(data_dir)) == 1


def test_a_double_tap_records_one_answer(qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    clock.advance(1)
    button = kiosk.statement_screen.buttons["eens"]
    with qtbot.waitSignal(kiosk.answer_saved, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # before the save is acknowledged
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0)
    assert len(answers_on_disk(data_dir)) == 1
    assert kiosk.visit.position == 1


def test_going_back_and_answering_again_replaces_the_answer(qtbot, kiosk, clock, data_dir):
    begin(qtbot, kiosk, clock)
    assert not kiosk.statement_screen.back_button.isEnabled()  # nothing before the first
    tap(qtbot, kiosk, clock, "eens")
    clock.advance(1)
    qtbot.mouseClick(kiosk.statement_screen.back_button, Qt.MouseButton.LeftButton)
    assert kiosk.visit.position == 0
    tap(qtbot, kiosk, clock, "oneens")
    assert answers_on_disk(data_dir) == [("brieven-gemeente", "oneens")]
    press(qtbot, kiosk, clock, Qt.Key.Key_Left)
    assert kiosk.visit.position == 0


def test_a_visit_cut_off_halfway_keeps_its_answers(qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    tap(qtbot, kiosk, clock, "oneens")
    kiosk.to_attract()
    assert [a for _, a in answers_on_disk(data_dir)] == ["eens", "oneens"]


def test_the_second_course_is_one_tap_away(qtbot, kiosk, clock, tmp_path) -> None:
    begin(qtbot, kiosk, clock)
    for statement in kiosk.statement_set.statements:
        tap(qtbot, kiosk, clock, "eens" if statement.id in ("digid", "rekeningen") else "oneens")
    other = kiosk.end_screen.other_course
    assert other.isVisible() and other.text() == "Of: Geldfit"
    clock.advance(1)
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    png = tmp_path / "other.png"
    kiosk.grab().save(str(png))
    assert zbar_decode(png) == ["https://www.geldfit.nl"]


def test_controls_are_named_and_nothing_scrolls_or_pops_up(kiosk) -> None:
    buttons = kiosk.findChildren(QPushButton)
    assert {b.objectName() for b in buttons} >= {
        "answer_eens", "answer_oneens", "answer_weet_niet", "back", "speak",
        "next_visit", "other_course", "idle_continue", "idle_stop",
    }
    for widget in [*buttons, kiosk.attract]:
        assert widget.objectName()
        assert widget.accessibleName() or widget.objectName() == "other_course"
        assert widget.accessibleDescription(), widget.objectName()
    assert kiosk.findChildren(QAbstractScrollArea) == []
    assert kiosk.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_the_kind_peers_line_appears_only_for_five_or_more(qtbot, qapp, data_dir, clock):
    apply_theme(qapp)
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, show_peers=True, speech=False, per_visit=ALL), monotonic=clock
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        lines = []
        for _visit in range(7):
            begin(qtbot, window, clock)
            tap(qtbot, window, clock, "eens")
            qtbot.waitUntil(lambda: window.bridge.pending == 0)
            lines.append(window.statement_screen.peer_line.text())
            window.to_attract()
        assert lines[:5] == [""] * 5  # 0..4 others: too few to show
        assert lines[5] == "Jij en 5 anderen dachten net hetzelfde."
        assert lines[6] == "Jij en 6 anderen dachten net hetzelfde."
    finally:
        window.close()
        recorder.close()
