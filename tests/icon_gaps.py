"""Icons never touch their labels: measured from the rendered pixels of each button.

For every visible button with a pictogram and a word (QPushButton, QToolButton, the
kiosk's TouchButton) the button is grabbed as it is, with its word made transparent
(a style sheet of its own, ``color: transparent``: nothing moves), and with no icon
either; the differences are the icon's ink and the word's ink. Between the two there
must be a clear gap: at least :data:`MIN_GAP` of the font's height (horizontal for an
icon beside its word, vertical for one above it).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics, QIcon, QImage
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton, QWidget

MIN_GAP = 0.15  # of the font's height


def _ink_box(image: QImage, without: QImage, area: QRect) -> QRect | None:
    """The bounding box of the pixels in ``area`` where ``image`` differs from
    ``without`` (the same button with one part left out)."""
    left = top = 10**9
    right = bottom = -1
    for y in range(area.top(), area.bottom() + 1):
        row = [x for x in range(area.left(), area.right() + 1)
               if image.pixel(x, y) != without.pixel(x, y)]
        if row:
            left, right = min(left, row[0]), max(right, row[-1])
            top, bottom = min(top, y), max(bottom, y)
    if right < 0:
        return None
    return QRect(left, top, right - left + 1, bottom - top + 1)


def _grab(button: QAbstractButton) -> QImage:
    return button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def icon_gap(button: QAbstractButton) -> tuple[float, float] | None:
    """(gap in pixels between icon ink and word ink, the font's height); None when the
    button shows no icon or no word right now.

    Three pictures of the button: as it is; its word transparent; its word transparent
    and no icon (background, border, anything else it paints). Icon ink: the second
    against the third; word ink: the first against the second.
    """
    if button.icon().isNull() or not button.text().strip():
        return None
    full = _grab(button)
    own, icon = button.styleSheet(), button.icon()
    button.setStyleSheet(own + "\ncolor: transparent;")
    try:
        icon_only = _grab(button)
        button.setIcon(QIcon())
        blank = _grab(button)
    finally:
        button.setIcon(icon)
        button.setStyleSheet(own)
    area = button.rect()
    icon_box = _ink_box(icon_only, blank, area)
    word_box = _ink_box(full, icon_only, area)
    if icon_box is None or word_box is None:
        return None
    apart_x = max(word_box.left() - icon_box.right(), icon_box.left() - word_box.right()) - 1
    apart_y = max(word_box.top() - icon_box.bottom(), icon_box.top() - word_box.bottom()) - 1
    return max(apart_x, apart_y), QFontMetrics(button.font()).height()


def icon_gap_problems(page: QWidget) -> list[str]:
    """Every visible button under ``page`` whose pictogram comes closer to its word than
    :data:`MIN_GAP` of the font's height."""
    problems = []
    for button in page.findChildren(QAbstractButton):
        if not isinstance(button, QPushButton | QToolButton):
            continue
        if not button.isVisibleTo(page) or not button.isEnabled() or button.width() <= 0:
            continue
        measured = icon_gap(button)
        if measured is None:
            continue
        gap, height = measured
        if gap < MIN_GAP * height:
            problems.append(f"{button.objectName() or type(button).__name__}: pictogram en "
                            f"woord {gap:.0f} px uit elkaar, minstens "
                            f"{MIN_GAP * height:.1f} px")
    return problems
