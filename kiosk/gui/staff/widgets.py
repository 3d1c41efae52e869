"""Shared pieces of the staff screens: buttons, labels, choice groups, the screen base.

Every control is at least 2 cm on screen, has an object name, an accessible
name and an accessible description. The look comes from ``ui/kiosk.qss`` (the
section "Staff screens"); a screen shown as its own window applies the theme
itself, inside the kiosk window it inherits the window's stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.gui.theme import MM_PER_INCH, Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, GapButton, label, plain, svg_icon

PLACE_KIND_NAMES = {
    "markt": "Markt", "supermarkt": "Supermarkt", "zwembad": "Zwembad",
    "wijkcentrum": "Wijkcentrum", "bibliotheek": "Bibliotheek", "anders": "Anders",
}
ANSWER_NAMES = {"eens": "Eens", "oneens": "Oneens", "weet_niet": "Weet niet"}
VOLUME_STEP = 10
TALLY_MAX = 999


def staff_button(text: str, name: str, description: str, kind: str = "quiet",
                 icon: QIcon | None = None, checkable: bool = False) -> QPushButton:
    """A staff control: a word (and a pictogram), styled by its ``staff`` property.

    ``kind`` is one of quiet, accent, choice, key, eens, oneens (see ui/kiosk.qss).
    """
    # a place called "Kaas & Co" keeps its &; the pictogram keeps a gap from the word
    widget = GapButton(plain(text), objectName=name)
    widget.setProperty("staff", kind)
    widget.setAccessibleName(text)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    widget.setCheckable(checkable)
    if icon is not None:
        widget.setIcon(icon)
    return widget


def set_text(widget: QLabel | QAbstractButton, text: str) -> None:
    """Show ``text`` literally and make it the accessible name too."""
    widget.setText(plain(text) if isinstance(widget, QAbstractButton) else text)
    widget.setAccessibleName(text)


def at_least(widget: QAbstractButton, width: int) -> None:
    """Make ``widget`` at least ``width`` wide, and never narrower than its word."""
    widget.ensurePolished()
    widget.setMinimumWidth(max(width, widget.sizeHint().width()))


def staff_label(name: str, text: str = "", wrap: bool = True,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                ) -> QLabel:
    widget = label(name, text, wrap, align)
    widget.setAccessibleName(text)
    return widget


#: The narrowest a scroll bar may be: a finger or a shaky mouse hits it.
SCROLLBAR_MIN_MM = 8.0


def scrollbar_px(dpi: float) -> int:
    """The scroll bar's width in pixels at ``dpi`` (logical dots per inch)."""
    return math.ceil(SCROLLBAR_MIN_MM * dpi / MM_PER_INCH)


class WideScrollBar(QScrollBar):
    """A vertical scroll bar at least :data:`SCROLLBAR_MIN_MM` wide on its screen.

    The scroll area lays its bar out by the bar's size hint, so the minimum lives
    here; a stylesheet ``width`` can make it wider, never narrower.
    """

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(max(hint.width(), scrollbar_px(self.logicalDpiY())), hint.height())


class TouchScrollArea(QScrollArea):
    """A scroll area that a finger drags (kinetic) and that opens at its top."""

    def __init__(self, name: str, description: str) -> None:
        super().__init__(objectName=name)
        self.setProperty("touch_scroll", True)  # its look: ui/kiosk.qss
        self.setAccessibleName("Lijst")
        self.setAccessibleDescription(description)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBar(WideScrollBar(Qt.Orientation.Vertical, self))
        # Touch only: a mouse click on a button inside stays a click. (With
        # LeftMouseButtonGesture too, clicks on the staff screens' buttons got lost:
        # 8 staff tests failed. A mouse has the wide scroll bar.)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def to_top(self) -> None:
        """Scroll back to the first row (a fling still running stops)."""
        QScroller.scroller(self.viewport()).stop()
        self.verticalScrollBar().setValue(0)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not event.spontaneous():  # opened by the kiosk, not restored by the desktop
            self.to_top()


def touch_scroll_area(name: str, content: QWidget, description: str) -> TouchScrollArea:
    """A scroll area that a finger drags, with a wide scroll bar; it opens at its top."""
    area = TouchScrollArea(name, description)
    area.setWidget(content)
    return area


class StaffScreen(QWidget):
    """Base of the staff screens: theme when shown as a window, 2 cm controls."""

    #: True while work runs that must not be cut off (the shell then does not lock).
    busy: bool = False

    def __init__(self, name: str, accessible: str, description: str, theme: Theme,
                 pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setAccessibleDescription(description)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme, self.pictograms = theme, pictograms
        self._control = 0
        self._question: Question | None = None

    def timed_out(self) -> None:
        """Nobody touched the screen for a while: the shell locks the kiosk next.

        Screens keep what was typed (or save it); a question is put away unanswered.
        """
        if self._question is not None:
            self._question.dismiss()

    def ask(self, name: str, title: str, text: str,
            choices: Sequence[tuple[str, str, str, str]],
            answered: Callable[[str], None]) -> Question:
        """A question over this screen, with big answer buttons; no Qt dialog.

        Args:
            name: object name of the question (tests and assistive tech find it).
            choices: (key, word, kind, pictogram) per button, in screen order.
            answered: called with the key of the chosen button.
        """
        if self._question is None:
            self._question = Question(self)
        self._question.ask(name, title, text, choices, answered)
        self._fit_question()
        return self._question

    @property
    def question(self) -> Question | None:
        """The question shown over this screen, or None."""
        if self._question is not None and self._question.isVisible():
            return self._question
        return None

    def _fit_question(self) -> None:
        if self._question is not None and self._control:
            self._question.fit_controls(self._control)

    def icon(self, name: str, color: str = "ink") -> QIcon:
        return svg_icon(self.pictograms, name, self.theme.colors[color])

    @property
    def control(self) -> int:
        """The smallest side of a control, in pixels (2 cm and a little margin)."""
        return math.ceil(CONTROL_MIN_MM * px_per_mm(self))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.isWindow():
            self.setStyleSheet(self.theme.stylesheet(self.width(), self.height()))
        control = self.control
        if control != self._control:
            self._control = control
            self.fit_controls(control)
        margin = round(min(self.width(), self.height()) * 0.03)
        if self.layout() is not None:
            self.layout().setContentsMargins(margin, margin, margin, margin)
            self.layout().setSpacing(round(margin * 0.6))
        super().resizeEvent(event)

    def refit(self) -> None:
        """Size controls that were added after the screen was laid out."""
        if self.width() > 0 and self.control:
            self._control = self.control
            self.fit_controls(self._control)

    def fit_controls(self, control: int) -> None:
        """Give every button at least ``control`` pixels each way."""
        for widget in self.findChildren(QAbstractButton):
            widget.setMinimumSize(max(widget.minimumWidth(), control), control)
            side = round(control * 0.45)
            widget.setIconSize(QSize(side, side))
        self._fit_question()



class ChoiceGroup(QWidget):
    """Exclusive choice buttons in a grid (touch-sized), with one value each.

    At most ``columns`` per row; fewer when a word would not fit (long place names).

    Signals:
        chosen(str): the value of the button that was tapped.
    """

    chosen = Signal(str)

    def __init__(self, name: str, description: str, columns: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(description)
        self.setAccessibleDescription(description)
        self.columns = columns
        self._shown_columns = columns
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)

    def add(self, value: str, text: str, name: str, description: str) -> QPushButton:
        widget = staff_button(text, name, description, "choice", checkable=True)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        widget.clicked.connect(lambda _=False, v=value: self.chosen.emit(v))
        self.buttons[value] = widget
        self.group.addButton(widget)
        self._place()
        return widget

    def clear(self) -> None:
        for widget in self.buttons.values():
            self.group.removeButton(widget)
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self.buttons = {}

    def value(self) -> str | None:
        return next((v for v, b in self.buttons.items() if b.isChecked()), None)

    def select(self, value: str | None) -> None:
        if value in self.buttons:
            self.buttons[value].setChecked(True)

    def set_spacing(self, spacing: int) -> None:
        self._grid.setSpacing(spacing)

    def _place(self) -> None:
        for index, widget in enumerate(self.buttons.values()):
            self._grid.addWidget(widget, index // self._shown_columns,
                                 index % self._shown_columns)
        for column in range(self.columns):
            self._grid.setColumnStretch(column, 1 if column < self._shown_columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        widest = max((b.sizeHint().width() for b in self.buttons.values()), default=1)
        spacing = max(self._grid.spacing(), 0)
        fits = max(1, (self.width() + spacing) // (widest + spacing))
        columns = min(self.columns, fits)
        if columns != self._shown_columns:
            self._shown_columns = columns
            for widget in self.buttons.values():
                self._grid.removeWidget(widget)
            self._place()
            self.updateGeometry()  # more rows: the screen around it makes room now


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.casefold()).strip("_") or "x"




# -- over a screen: questions, the keyboard, the time-out warning ----------------


class Overlay(QWidget):
    """A panel that covers its parent widget completely (and follows its size)."""

    def __init__(self, name: str, accessible: str, description: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setAccessibleDescription(description)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        parent.installEventFilter(self)
        self.hide()

    def cover(self) -> None:
        """Show over the whole parent, on top of everything else in it."""
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


class Question(Overlay):
    """A question with two or three big answers, over a staff screen.

    Signals:
        answered(str): the key of the chosen answer.
    """

    answered = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("staff_question", "Vraag", "Kies een antwoord.", parent)
        self.setProperty("staff_overlay", True)
        self._pictograms: Path | None = getattr(parent, "pictograms", None)
        self._theme: Theme | None = getattr(parent, "theme", None)
        self._callback: Callable[[str], None] | None = None
        self.card = QWidget(objectName="staff_card")
        self.card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = staff_label("staff_title", align=Qt.AlignmentFlag.AlignCenter)
        self.text = staff_label("staff_text", align=Qt.AlignmentFlag.AlignCenter)
        self.buttons: dict[str, QPushButton] = {}
        self.row = QHBoxLayout()
        box = QVBoxLayout(self.card)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addSpacing(12)
        box.addLayout(self.row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.card)
        outer.addStretch(1)
        self.box, self.outer = box, outer

    def ask(self, name: str, title: str, text: str,
            choices: Sequence[tuple[str, str, str, str]],
            answered: Callable[[str], None]) -> None:
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.card.setAccessibleName(title)
        set_text(self.title, title)
        set_text(self.text, text)
        self.text.setVisible(bool(text))
        for widget in self.buttons.values():
            self.row.removeWidget(widget)
            widget.deleteLater()
        self.buttons = {}
        for key, word, kind, pictogram in choices:
            color = "on_dark" if kind == "accent" else "ink"
            icon = (svg_icon(self._pictograms, pictogram, self._theme.colors[color])
                    if pictogram and self._pictograms and self._theme else None)
            widget = staff_button(word, f"{name}_{key}", f"{title} {word}.", kind, icon)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            widget.clicked.connect(lambda _=False, k=key: self._choose(k))
            self.buttons[key] = widget
            self.row.addWidget(widget, 1)
        self._callback = answered
        self.cover()

    def _choose(self, key: str) -> None:
        callback, self._callback = self._callback, None
        self.hide()
        if callback is not None:
            callback(key)
        self.answered.emit(key)

    def dismiss(self) -> None:
        """Put the question away without an answer."""
        self._callback = None
        self.hide()

    def fit_controls(self, control: int) -> None:
        side = round(control * 0.45)
        for widget in self.buttons.values():
            widget.ensurePolished()  # the stylesheet's font, before measuring the word
            widget.setIconSize(QSize(side, side))
            widget.setMinimumSize(max(widget.sizeHint().width(), round(control * 2.5)),
                                  round(control * 1.1))
        margin = round(control * 0.5)
        self.box.setContentsMargins(margin, margin, margin, margin)
        self.box.setSpacing(round(control * 0.2))
        self.row.setSpacing(round(control * 0.3))
        side = round(control * 1.2)
        self.outer.setContentsMargins(side, side // 2, side, side // 2)
