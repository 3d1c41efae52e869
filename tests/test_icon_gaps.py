"""Icons never touch their labels (issue 20), measured from the rendered pixels.

The walk of every screen at every stand's size (tests/test_fit_window_manager.py) checks
every button with a pictogram and a word on each screen with
:func:`tests.icon_gaps.icon_gap_problems`. Here: that the check sees a touching icon
(Qt's own push button puts 4 px between them), and the on-screen keyboard (its
"Wissen" key), which the walk does not open, at every size with and without large text.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk import paths
from kiosk.app import apply_theme
from kiosk.gui.keyboard import TextEntry
from kiosk.gui.theme import Theme
from kiosk.gui.widgets import GapButton, svg_icon
from tests.icon_gaps import MIN_GAP, icon_gap, icon_gap_problems
from tests.test_fit_window_manager import STANDS

THEME = Theme.load(paths.ui_dir())


def _host(qtbot, qapp, width: int, height: int, large_text: bool = False) -> QWidget:
    apply_theme(qapp)
    widget = QWidget()
    widget.setStyleSheet(THEME.stylesheet(width, height, large_text))
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("kind", [QPushButton, GapButton])
def test_the_check_sees_an_icon_against_its_word(qtbot, qapp, kind) -> None:
    host = _host(qtbot, qapp, 1920, 1080)
    widget = kind("Wissen", host, objectName="probe")
    widget.setProperty("staff", "quiet")
    widget.setIcon(svg_icon(paths.pictogram_dir(), "backspace", THEME.colors["ink"]))
    widget.setIconSize(QSize(48, 48))
    widget.resize(max(widget.sizeHint().width(), 300), 110)
    widget.show()
    qapp.processEvents()
    gap, height = icon_gap(widget)
    if kind is QPushButton:  # Qt's fixed 4 px: the pictogram touches its word
        assert gap < MIN_GAP * height
        problems = icon_gap_problems(host)
        assert problems
        assert "probe" in problems[0]
    else:
        assert gap >= MIN_GAP * height
        assert icon_gap_problems(host) == []


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
@pytest.mark.parametrize("size", STANDS, ids=[f"{w}x{h}" for w, h in STANDS])
def test_the_keyboard_keys_keep_their_icons_apart(qtbot, qapp, size, large_text) -> None:
    width, height = size
    host = _host(qtbot, qapp, width, height, large_text)
    entry = TextEntry(THEME, paths.pictogram_dir(), host)
    entry.open("Nieuwe plek", "Typ de naam van de plek.")
    for _ in range(3):
        entry.resize(host.size())
        entry.layout().activate()
        qapp.processEvents()
    assert entry.keyboard.keys["backspace"].isVisible()
    assert icon_gap_problems(entry) == []
