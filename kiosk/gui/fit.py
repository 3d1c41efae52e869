"""Does a screen fit its window? Text that is cut off, controls outside the window,
a window that asks for more room than the screen has.

Used by ``kiosk screenshots`` (it fails instead of hiding a cut) and by the tests that
start the real window at every stand's screen size.

Also :class:`PageStack`: a stacked layout whose hidden pages are laid out for the
window's size too, so a page arranged for another shape (landscape, while the
screen is portrait) never makes the window ask for more room than the screen has.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QStackedLayout,
    QToolButton,
    QWidget,
)


class PageStack(QStackedLayout):
    """A :class:`QStackedLayout` that gives every page the stack's size, not only the
    page on top.

    Qt sizes only the current page; the others keep the size they last had (or the
    default 640x480 of a page never shown), and their layouts stay arranged for that
    shape. The stack's minimum size is the largest of all its pages' minimums, so one
    page arranged for landscape (four columns of tiles) made a portrait window wider
    than its screen. Here a hidden page is resized with the stack and gets its resize
    event at once (pages arrange themselves in ``resizeEvent``), and a page added
    later is fitted when it is added.
    """

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        for index in range(self.count()):
            fit_page(self.widget(index), rect.size())

    def addWidget(self, widget: QWidget) -> int:  # noqa: N802 - Qt override
        self._fit_new(widget)
        return super().addWidget(widget)

    def insertWidget(self, index: int, widget: QWidget) -> int:  # noqa: N802 - Qt override
        self._fit_new(widget)
        return super().insertWidget(index, widget)

    def _fit_new(self, widget: QWidget) -> None:
        size = self.geometry().size()
        if size.isEmpty() and self.parentWidget() is not None:
            size = self.parentWidget().size()
        if not size.isEmpty():
            fit_page(widget, size)


def fit_page(widget: QWidget | None, size: QSize) -> None:
    """Resize ``widget`` to ``size`` now, also while it is hidden (a hidden widget only
    gets its resize event when it is shown: after its parent has been laid out)."""
    if widget is None or widget.size() == size:
        return
    old = widget.size()
    widget.resize(size)
    if not widget.isVisible():
        QApplication.sendEvent(widget, QResizeEvent(widget.size(), old))


def oversize(window: QWidget, width: int, height: int) -> str | None:
    """How ``window`` asks for more than ``width`` x ``height`` (None: it fits)."""
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    if needed.width() > width or needed.height() > height:
        return (f"het venster vraagt minstens {needed.width()}x{needed.height()} pixels; "
                f"het scherm heeft {width}x{height}")
    return None


def _label_problem(widget: QLabel) -> str | None:
    text = widget.text()
    if not text or widget.textFormat() == Qt.TextFormat.RichText:
        return None
    room = widget.contentsRect()
    indent = max(0, widget.margin()) * 2
    metrics = QFontMetrics(widget.font())
    width = room.width() - indent
    for line in text.split("\n"):
        words = line.split() if widget.wordWrap() else [line]
        for word in words:
            if metrics.horizontalAdvance(word) > width + 1:
                return f"'{word}' past niet in de breedte ({width} px)"
    if widget.wordWrap():
        needed = widget.heightForWidth(room.width() + 2 * widget.margin())
        if needed > widget.height() + 2:
            return f"de tekst is {needed} px hoog, er is {widget.height()} px"
    elif metrics.height() * (text.count("\n") + 1) > room.height() + 2:
        return "de tekst past niet in de hoogte"
    return None


def _button_problem(widget: QAbstractButton) -> str | None:
    scale = getattr(widget, "scale", None)
    text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    metrics = QFontMetrics(widget.font())
    if callable(scale):  # a TouchButton: it shrinks its word a little, or wraps it
        if scale() > 0:
            return None
        room = widget._inner()  # noqa: SLF001 - the button's own measure
        for word in text.split():
            if metrics.horizontalAdvance(word) > room.width() + 1:
                return f"'{word}' past niet op de knop"
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        needed = metrics.boundingRect(QRect(0, 0, room.width(), 10_000), flags, text).height()
        return None if needed <= room.height() + 2 else "de tekst past niet op de knop"
    # here, not at the top: touching QStyle builds its enums (some 15 ms), and the
    # shell imports this module before its first paint for PageStack alone
    from PySide6.QtWidgets import QStyle, QStyleOptionButton, QStyleOptionToolButton

    if isinstance(widget, QToolButton):
        option = QStyleOptionToolButton()
        widget.initStyleOption(option)
        room = widget.style().subControlRect(QStyle.ComplexControl.CC_ToolButton, option,
                                             QStyle.SubControl.SC_ToolButton, widget)
        width = room.width() - 4
        needed = metrics.horizontalAdvance(text)
    elif isinstance(widget, QPushButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents,
                                             option, widget)
        width = room.width()
        icon = 0 if widget.icon().isNull() else widget.iconSize().width() + 4
        extra_gap = getattr(widget, "extra_gap", None)  # a GapButton: more room after it
        icon += extra_gap() if callable(extra_gap) else 0
        needed = metrics.horizontalAdvance(text) + icon
    else:
        return None
    if needed > width + 1:
        return f"'{text}' is {needed} px breed, de knop heeft {width} px"
    return None


def text_problems(root: QWidget) -> list[str]:
    """Every visible label or button under ``root`` whose text is cut off or does not fit."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton) and widget.isEnabled():
            problem = _button_problem(widget)
        else:
            continue
        if problem:
            problems.append(f"{widget.objectName() or type(widget).__name__}: {problem}")
    return problems


def outside_problems(root: QWidget, page: QWidget | None = None) -> list[str]:
    """Every visible control or text under ``page`` (default: ``root``) that does not
    lie within ``root`` (the window)."""
    problems = []
    inside = root.rect()
    page = page or root
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel) and not widget.text() and widget.pixmap().isNull():
            continue
        if _scrolled(widget, root):
            continue  # in a list that scrolls: there it may lie beyond the edge
        rect = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
        if not inside.contains(rect):
            problems.append(f"{widget.objectName() or type(widget).__name__}: buiten beeld "
                            f"({rect.x()},{rect.y()} {rect.width()}x{rect.height()})")
    return problems


def overlap_problems(page: QWidget) -> list[str]:
    """Visible buttons and texts under ``page`` that lie over each other."""
    shown = [w for w in page.findChildren(QWidget)
             if isinstance(w, QLabel | QAbstractButton) and w.isVisibleTo(page)
             and (not isinstance(w, QLabel) or w.text())]
    rects = [(w, _seen(w, page)) for w in shown]
    problems = []
    for index, (first, one) in enumerate(rects):
        for second, other in rects[index + 1:]:
            if first.isAncestorOf(second) or second.isAncestorOf(first):
                continue
            common = one.intersected(other)
            if common.width() > 2 and common.height() > 2:
                problems.append(f"{first.objectName()} en {second.objectName()} liggen over "
                                "elkaar")
    return problems


def _seen(widget: QWidget, page: QWidget) -> QRect:
    """The part of ``widget`` its parents let be seen (a list's viewport clips), in
    ``page``'s coordinates."""
    rect = QRect(widget.mapTo(page, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        rect = rect.intersected(QRect(parent.mapTo(page, parent.rect().topLeft()),
                                      parent.size()))
        parent = parent.parentWidget()
    return rect


def _scrolled(widget: QWidget, root: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def fit_problems(window: QWidget, width: int, height: int,
                 page: QWidget | None = None) -> list[str]:
    """What does not fit when ``window`` is shown on a ``width`` x ``height`` screen:
    its minimum size, its own size, then cut text and controls outside it (on ``page``,
    the screen shown, or the whole window)."""
    problems = []
    too_big = oversize(window, width, height)
    if too_big:
        problems.append(too_big)
    if (window.width(), window.height()) != (width, height):
        problems.append(f"het venster is {window.width()}x{window.height()}, "
                        f"het scherm {width}x{height}")
    shown = page or window
    problems += text_problems(shown)
    problems += outside_problems(window, shown)
    problems += overlap_problems(shown)
    return problems
