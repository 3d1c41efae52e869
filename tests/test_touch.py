"""Real touch (issue 20): QTest touch sequences on a TouchScreen device, not mouse clicks.

Tap each answer, hold to hear, two fingers on Eens and Oneens at once (one answer
only), a palm (five fingers: nothing), the staff corner hold. A finger drag in a staff
list is in tests/test_staff_scrolling.py.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.app import Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from tests.test_shell import enter_pin, make_shell, start_at_the_market

pytestmark = pytest.mark.no_qt_log

_DEVICE: list[QPointingDevice] = []


def screen() -> QPointingDevice:
    """One touch screen for the whole run (Qt keeps every registered device)."""
    if not _DEVICE:
        _DEVICE.append(QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen))
    return _DEVICE[0]


def centre(window: QWidget, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def touch_down(window: QWidget, *points: QPoint) -> None:
    sequence = QTest.touchEvent(window, screen())
    for number, point in enumerate(points):
        sequence.press(number, point, window)
    sequence.commit()


def touch_up(window: QWidget, *points: QPoint) -> None:
    sequence = QTest.touchEvent(window, screen())
    for number, point in enumerate(points):
        sequence.release(number, point, window)
    sequence.commit()


def finger_tap(window: QWidget, widget: QWidget) -> None:
    point = centre(window, widget)
    touch_down(window, point)
    touch_up(window, point)


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path):
    apply_theme(qapp)
    clock = ManualClock()
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, location="Markt", speech=False, per_visit=5),
        monotonic=clock, rng=random.Random(7))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.test_clock = clock
    saved: list[str] = []
    window.answer_saved.connect(lambda _statement, answer: saved.append(answer))
    window.saved = saved
    clock.advance(1)
    finger_tap(window, window.attract)
    assert window.current_screen == "statement"
    yield window
    window.close()
    recorder.close()


def answers_on_disk(data_dir: Path) -> list[str]:
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        return [row[0] for row in db.execute("SELECT answer FROM answer ORDER BY rowid")]
    finally:
        db.close()


def test_a_finger_taps_each_answer(qtbot, kiosk, data_dir) -> None:
    buttons = kiosk.statement_screen.buttons
    for answer in buttons:
        kiosk.test_clock.advance(1)
        with qtbot.waitSignal(kiosk.answer_saved, timeout=10_000):
            finger_tap(kiosk, buttons[answer])
    assert kiosk.saved == list(buttons)
    assert answers_on_disk(data_dir) == list(buttons)


def test_holding_an_answer_with_a_finger_says_it_and_answers_nothing(qtbot, kiosk) -> None:
    button = kiosk.statement_screen.buttons["oneens"]
    point = centre(kiosk, button)
    kiosk.test_clock.advance(1)
    with qtbot.waitSignal(kiosk.statement_screen.held, timeout=5000) as held:
        touch_down(kiosk, point)
    touch_up(kiosk, point)
    qtbot.wait(50)
    assert held.args == ["oneens"]
    assert kiosk.saved == [] and kiosk.current_screen == "statement"


def test_two_fingers_on_eens_and_oneens_give_one_answer(qtbot, kiosk, data_dir) -> None:
    buttons = kiosk.statement_screen.buttons
    both = centre(kiosk, buttons["eens"]), centre(kiosk, buttons["oneens"])
    kiosk.test_clock.advance(1)
    with qtbot.waitSignal(kiosk.answer_saved, timeout=10_000):
        touch_down(kiosk, *both)
        touch_up(kiosk, *both)
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    assert kiosk.saved == ["eens"]
    assert answers_on_disk(data_dir) == ["eens"]


def palm(buttons) -> list[QPoint]:
    return [buttons[0], buttons[1], buttons[0] + QPoint(30, 10), buttons[1] + QPoint(30, 10),
            buttons[0] + QPoint(0, 30)]


def test_a_palm_answers_nothing(qtbot, kiosk, data_dir) -> None:
    buttons = kiosk.statement_screen.buttons
    points = palm([centre(kiosk, buttons["eens"]), centre(kiosk, buttons["oneens"])])
    kiosk.test_clock.advance(1)
    touch_down(kiosk, *points)  # the whole hand at once
    touch_up(kiosk, *points)
    # a hand landing finger by finger: the first finger alone, then the rest
    kiosk.test_clock.advance(1)
    touch_down(kiosk, points[0])
    sequence = QTest.touchEvent(kiosk, screen())
    sequence.stationary(0)
    for number, point in enumerate(points[1:], start=1):
        sequence.press(number, point, kiosk)
    sequence.commit()
    touch_up(kiosk, *points)
    qtbot.wait(100)
    assert kiosk.saved == [] and answers_on_disk(data_dir) == []
    assert not any(button.isDown() for button in buttons.values())
    # and the next finger answers as always
    kiosk.test_clock.advance(1)
    with qtbot.waitSignal(kiosk.answer_saved, timeout=10_000):
        finger_tap(kiosk, buttons["eens"])
    assert kiosk.saved == ["eens"]


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path):
    yield from make_shell(qtbot, qapp, data_dir)


def test_holding_the_staff_corner_with_a_finger_asks_for_the_pin(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    shell.gesture_hold_ms = 200  # the real hold is 3 s; the mechanism is the same
    window = shell.window
    corner = window.mapTo(window, QPoint(5, 5))
    touch_down(window, corner)
    qtbot.waitUntil(lambda: shell.page == "pin", timeout=5000)
    touch_up(window, corner)
    assert window.current_screen == "attract"  # the hold did not start a visit
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
    assert shell.page == "kiosk"
