"""Staff lists open at their top, have a scroll bar of at least 8 mm, and scroll by finger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import paths
from kiosk.app import Options, apply_theme, load_content
from kiosk.gui.staff.log import ConversationScreen
from kiosk.gui.staff.widgets import (
    SCROLLBAR_MIN_MM,
    scrollbar_px,
    staff_button,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme, px_per_mm

STAFF = Path(__file__).resolve().parent.parent / "kiosk" / "gui" / "staff"


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)  # the kiosk's stylesheet, as on the real screen
    return Theme.load(paths.ui_dir())


@pytest.fixture
def content(data_dir: Path):
    return load_content(Options(data_dir=data_dir), lambda message: None)


def show(qtbot, widget, width=1366, height=768):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def long_list(qtbot, theme, rows: int = 30):
    """A window with a scroll area of ``rows`` buttons; returns (window, area, buttons)."""
    content = QWidget()
    column = QVBoxLayout(content)
    buttons = []
    for index in range(rows):
        button = staff_button(f"Rij {index}", f"row_{index}", f"Rij {index}.", "choice")
        button.setMinimumHeight(80)
        column.addWidget(button)
        buttons.append(button)
    area = touch_scroll_area("test_scroll", content, "Een lange lijst.")
    window = QWidget()
    QVBoxLayout(window).addWidget(area)
    show(qtbot, window, 800, 500)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    return window, area, buttons


def inside_viewport(area, widget) -> bool:
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return area.viewport().rect().contains(QRect(top_left, widget.size()))


def test_gesprek_gevoerd_reopens_at_its_top_with_the_topic_row_visible(qtbot, theme, content):
    screen = show(qtbot, ConversationScreen(content, content.statement_set(), theme,
                                            paths.pictogram_dir()))
    bar = screen.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # at 1366x768 the form is longer than the screen
    bar.setValue(bar.maximum())
    first = screen.topics.buttons[""]
    assert not inside_viewport(screen.scroll, first)

    screen.hide()
    screen.show()
    qtbot.waitExposed(screen)
    assert bar.value() == 0
    assert inside_viewport(screen.scroll, first)
    assert first.isVisible()


def test_a_list_inside_a_hidden_page_is_at_its_top_when_the_page_comes_back(qtbot, theme):
    window, area, buttons = long_list(qtbot, theme)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    window.hide()
    window.show()
    qtbot.waitExposed(window)
    assert area.verticalScrollBar().value() == 0
    assert inside_viewport(area, buttons[0])


def test_every_staff_list_is_a_touch_scroll_area():
    """A bare QScrollArea on a staff screen would miss the top, the width and the finger."""
    for module in sorted(STAFF.glob("*.py")):
        if module.name == "widgets.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"\bQScrollArea\(", text), module.name


@pytest.mark.parametrize("dpi", [72, 96, 144, 192])
def test_the_scroll_bar_width_is_eight_mm_at_any_dpi(dpi):
    assert scrollbar_px(dpi) / dpi * 25.4 >= SCROLLBAR_MIN_MM
    assert scrollbar_px(dpi) / dpi * 25.4 < SCROLLBAR_MIN_MM + 0.5


def test_the_scroll_bar_on_screen_is_at_least_eight_mm_wide(qtbot, theme, content):
    screen = show(qtbot, ConversationScreen(content, content.statement_set(), theme,
                                            paths.pictogram_dir()))
    bar = screen.scroll.verticalScrollBar()
    qtbot.waitUntil(bar.isVisible)
    assert bar.width() >= SCROLLBAR_MIN_MM * px_per_mm(bar)
    assert bar.width() >= scrollbar_px(bar.logicalDpiY())


def test_the_stylesheet_sets_no_scroll_bar_width():
    qss = (paths.ui_dir() / "kiosk.qss").read_text(encoding="utf-8")
    for rule in re.findall(r"[^{}]*QScrollBar[^{]*\{[^}]*\}", qss):
        assert not re.search(r"(^|[\s;{])width\s*:", rule.split("{", 1)[1]), rule


def test_a_finger_drag_scrolls_the_list(qtbot, theme):
    window, area, buttons = long_list(qtbot, theme)
    bar = area.verticalScrollBar()
    assert bar.value() == 0
    device = QTest.createTouchDevice()
    viewport = area.viewport()
    x = viewport.width() // 2
    start = QPoint(x, viewport.height() - 20)
    QTest.touchEvent(viewport, device).press(0, start).commit()
    for step in range(1, 16):
        QTest.touchEvent(viewport, device).move(0, start - QPoint(0, step * 25)).commit()
        QTest.qWait(0)  # let the scroller see each move as it comes (no sleep: no delay)
    QTest.touchEvent(viewport, device).release(0, start - QPoint(0, 15 * 25)).commit()
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=5000)


def test_a_tap_on_a_button_in_a_list_still_clicks(qtbot, theme):
    window, area, buttons = long_list(qtbot, theme)
    with qtbot.waitSignal(buttons[1].clicked, timeout=5000):
        qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    device = QTest.createTouchDevice()
    centre = buttons[2].mapTo(area.viewport(), buttons[2].rect().center())
    with qtbot.waitSignal(buttons[2].clicked, timeout=5000):
        QTest.touchEvent(area.viewport(), device).press(0, centre).commit()
        QTest.touchEvent(area.viewport(), device).release(0, centre).commit()
    assert area.verticalScrollBar().value() == 0
