"""The answer is seen to be taken, and the progress dots can be seen (issue 20).

The real window at 1920x1080, a real click, a real SQLite file; the mark's time runs on
the window's (manual) clock, and the screen is grabbed as a passer-by would see it:
200 ms after the tap the chosen button carries its check mark and ring while the next
statement is there; 400 ms after the tap the mark is gone.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage

from kiosk import paths
from kiosk.app import Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.screens import MARK_SECONDS
from kiosk.gui.theme import Theme, contrast_ratio

pytestmark = pytest.mark.no_qt_log

THEME = Theme.load(paths.ui_dir())


def _open(qtbot, qapp, data_dir: Path, clock: ManualClock, size=(1920, 1080)):
    apply_theme(qapp)
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, location="Markt", speech=False, per_visit=3),
        monotonic=clock, rng=random.Random(3))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window, recorder


def _near(color: QColor, target: QColor, tolerance: int = 40) -> bool:
    return (abs(color.red() - target.red()) + abs(color.green() - target.green())
            + abs(color.blue() - target.blue())) <= tolerance


def _ring_pixels(image: QImage, place: QRect, ring: QColor) -> list[QColor]:
    """Pixels of the ring's colour on a line from the button's left edge inward, at its
    vertical middle (the ring runs just inside the edge; the word and icon are centred)."""
    y = place.center().y()
    reach = max(8, round(place.height() * 0.2))
    return [image.pixelColor(x, y) for x in range(place.left() + 1, place.left() + reach)
            if _near(image.pixelColor(x, y), ring)]


def _region(image: QImage, place: QRect) -> QImage:
    return image.copy(place)


@pytest.mark.parametrize("answer", ["eens", "weet_niet"])
def test_the_chosen_answer_stays_marked_while_the_next_statement_fades_in(
        qtbot, qapp, data_dir: Path, answer: str) -> None:
    clock = ManualClock()
    window, recorder = _open(qtbot, qapp, data_dir, clock)
    try:
        screen = window.statement_screen
        window.start_visit()
        first = screen.text.text()
        button = screen.buttons[answer]
        place = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        ring = QColor(THEME.colors["on_dark" if answer != "weet_niet" else "ink"])
        background = QColor(THEME.colors[answer if answer != "weet_niet" else "quiet"])
        qtbot.wait(1)
        before = window.grab().toImage()
        assert not _ring_pixels(before, place, ring), "no mark before the tap"

        clock.advance(1)  # a person's pace: past the tap filter
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        # the next statement is shown the moment the answer is on disk, and fades in
        assert screen.text.text() != first
        assert window._fade.state() == window._fade.State.Running  # noqa: SLF001

        clock.advance(0.2)  # 200 ms after the tap
        screen._mark_due()  # noqa: SLF001 - as the mark's timer would, at this moment
        marked = window.grab().toImage()
        assert screen.text.text() != first, "the next statement is there"
        seen = _ring_pixels(marked, place, ring)
        assert len(seen) >= 3, f"{answer}: no ring on the chosen button at 200 ms"
        assert contrast_ratio(seen[0].name(), background.name()) >= 4.5
        assert _region(marked, place) != _region(before, place), "the check mark is on it"
        for other, widget in screen.buttons.items():  # only the chosen one is marked
            if other != answer:
                spot = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
                assert _region(marked, spot) == _region(before, spot), other

        clock.advance(0.2)  # 400 ms after the tap: the timer ends the mark
        qtbot.waitUntil(lambda: screen.taken is None, timeout=round(MARK_SECONDS * 1000) + 5000)
        window._fade.setCurrentTime(window._fade.duration())  # noqa: SLF001 - faded in
        after = window.grab().toImage()
        assert not _ring_pixels(after, place, ring), f"{answer}: still marked at 400 ms"
        assert _region(after, place) == _region(before, place), "back to its own look"
    finally:
        window.close()
        recorder.close()


def test_the_recording_and_the_next_statement_do_not_wait_for_the_mark(
        qtbot, qapp, data_dir: Path) -> None:
    """The mark holds nothing back: the answer is saved and the next statement shown
    as soon as the answer is on disk, with the clock standing still."""
    clock = ManualClock()
    window, recorder = _open(qtbot, qapp, data_dir, clock)
    try:
        screen = window.statement_screen
        window.start_visit()
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(screen.buttons["oneens"], Qt.MouseButton.LeftButton)
        assert window.visit.position == 1
        assert screen.taken == "oneens"  # marked over the new statement
        # the last answer: the end screen comes at once and no mark is left behind
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(screen.buttons["eens"], Qt.MouseButton.LeftButton)
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(screen.buttons["eens"], Qt.MouseButton.LeftButton)
        assert window.current_screen == "end"
        assert screen.taken is None
        assert all(widget.ring is None for widget in screen.buttons.values())
    finally:
        window.close()
        recorder.close()


SIZES = ((1920, 1080), (1366, 768), (1080, 1920), (768, 1024))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_progress_dot_reaches_3_to_1_against_its_background(
        qtbot, qapp, data_dir: Path, size) -> None:
    """WCAG non-text contrast, from the rendered pixels: each dot (answered, current,
    still to come) has a pixel of at least 3:1 against the background around it."""
    clock = ManualClock()
    window, recorder = _open(qtbot, qapp, data_dir, clock, size)
    try:
        screen = window.statement_screen
        window.start_visit()
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(screen.buttons["eens"], Qt.MouseButton.LeftButton)
        screen.release_mark()
        total = window.visit.total
        assert total >= 3  # an answered dot, the current one and one still to come
        image = screen.dots.grab().toImage()
        background = image.pixelColor(0, 0)
        columns = []  # per column: the best contrast of a pixel against the background
        for x in range(image.width()):
            best = 1.0
            for y in range(image.height()):
                color = image.pixelColor(x, y)
                if color != background:
                    best = max(best, contrast_ratio(color.name(), background.name()))
            columns.append(best)
        dots, inside = [], False  # runs of columns with anything drawn: one per dot
        for best in columns:
            if best > 1.0 and not inside:
                dots.append(best)
                inside = True
            elif best > 1.0:
                dots[-1] = max(dots[-1], best)
            else:
                inside = False
        assert len(dots) == total, dots
        for index, best in enumerate(dots):
            assert best >= 3.0, f"dot {index + 1} of {total}: {best:.2f}:1"
    finally:
        window.close()
        recorder.close()
