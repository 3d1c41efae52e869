"""An on-screen keyboard for staff: a Dutch (qwerty) layout with big keys.

Dutch laptops use the US-International qwerty layout, so the letters sit where
staff expect them. The keys never take the focus: the text field keeps its
cursor, and a physical keyboard types into the same field.

:class:`Keyboard` is the keys alone; they type into a ``QLineEdit``.
:class:`TextEntry` is a whole panel (title, hint, field, "nog N tekens", keys)
that covers a staff screen while staff type, for example a new place on the
start screen or the "Anders" text of a signal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.freetext import say_once
from kiosk.core.rules import clean_text
from kiosk.gui.staff.widgets import Overlay, set_text, staff_button, staff_label
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, svg_icon

SHIFT, BACKSPACE, SPACE, DONE = "shift", "backspace", "space", "done"
#: The rows of keys, as on a Dutch laptop; a special key is named (see above).
ROWS: tuple[tuple[str, ...], ...] = (
    ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", BACKSPACE),
    ("q", "w", "e", "r", "t", "y", "u", "i", "o", "p"),
    ("a", "s", "d", "f", "g", "h", "j", "k", "l", "-", "'"),
    (SHIFT, "z", "x", "c", "v", "b", "n", "m", ",", "."),
    (SPACE, DONE),
)
#: How many key widths a key takes; a row is at most :data:`ROW_UNITS` wide.
WIDTHS = {BACKSPACE: 2, SHIFT: 3, SPACE: 8, DONE: 4}
ROW_UNITS = 12
#: Word, object name, description and pictogram of the special keys.
SPECIAL = {
    BACKSPACE: ("Wissen", "key_backspace", "Haal het laatste teken weg.", "backspace"),
    SHIFT: ("Hoofdletter", "key_shift",
            "De volgende letter wordt een hoofdletter. Twee keer: alles hoofdletters.",
            "arrow-fat-up"),
    SPACE: ("Spatie", "key_space", "Een spatie.", ""),
    DONE: ("Klaar", "key_done", "Klaar met typen.", "check"),
}
KEY_NAMES = {"-": "minus", "'": "apostrof", ",": "komma", ".": "punt"}


def key_name(key: str) -> str:
    """The object name of a key: ``key_a``, ``key_1``, ``key_komma``, ``key_shift``."""
    if key in SPECIAL:
        return SPECIAL[key][1]
    return f"key_{KEY_NAMES.get(key, key)}"


class Keyboard(QWidget):
    """The keys: they type into ``target`` (a QLineEdit), which keeps its own limits.

    Shift: one tap makes the next letter a capital; a second tap keeps capitals
    on (caps lock); a third tap turns them off.

    Signals:
        done(): "Klaar" was tapped.
    """

    done = Signal()

    def __init__(self, target: QLineEdit, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self.setAccessibleName("Toetsenbord")
        self.setAccessibleDescription("Tik de letters om te typen.")
        self.target = target
        self.shift = "off"  # off, once, lock
        self.keys: dict[str, QPushButton] = {}
        self.rows: list[QHBoxLayout] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in ROWS:
            line = QHBoxLayout()
            line.addStretch(1)
            for key in row:
                widget = self._make_key(key, theme, pictograms)
                widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
                if key in (BACKSPACE, SHIFT):
                    widget.setAutoRepeat(key == BACKSPACE)
                    widget.setAutoRepeatDelay(500)
                    widget.setAutoRepeatInterval(120)
                widget.clicked.connect(lambda _=False, k=key: self.press(k))
                self.keys[key] = widget
                line.addWidget(widget)
            line.addStretch(1)
            self.rows.append(line)
            layout.addLayout(line, 1)
        layout.addStretch(0)  # room the keys cannot use (a tall screen) stays below them
        self._layout = layout
        self._show_case()

    @staticmethod
    def _make_key(key: str, theme: Theme, pictograms: Path) -> QPushButton:
        if key in SPECIAL:
            word, name, description, pictogram = SPECIAL[key]
            accent = key == DONE
            icon: QIcon | None = None
            if pictogram:
                icon = svg_icon(pictograms, pictogram, theme.colors["on_dark" if accent else "ink"])
            return staff_button(word, name, description,
                                "accent" if accent else "choice" if key == SHIFT else "quiet",
                                icon, checkable=key == SHIFT)
        spoken = {"-": "streepje", "'": "apostrof", ",": "komma", ".": "punt"}.get(key, key)
        widget = staff_button(key, key_name(key), f"Typ {spoken}.", "key")
        widget.setAccessibleName(spoken)
        return widget

    # -- typing ----------------------------------------------------------------

    def press(self, key: str) -> None:
        """One key: a character, or shift, backspace, space, done."""
        if key == SHIFT:
            self.shift = {"off": "once", "once": "lock", "lock": "off"}[self.shift]
            self._show_case()
        elif key == BACKSPACE:
            self.target.backspace()
        elif key == DONE:
            self.done.emit()
        else:
            text = " " if key == SPACE else key
            if self.shift != "off":
                text = text.upper()
            self.target.insert(text)
            if self.shift == "once" and key.isalpha():
                self.shift = "off"
                self._show_case()

    def _show_case(self) -> None:
        upper = self.shift != "off"
        for key, widget in self.keys.items():
            if len(key) == 1 and key.isalpha():
                set_text(widget, key.upper() if upper else key)
        shift = self.keys[SHIFT]
        shift.setChecked(upper)
        set_text(shift, "HOOFDLETTERS" if self.shift == "lock" else "Hoofdletter")
        shift.setAccessibleName({"off": "Hoofdletter", "once": "Hoofdletter aan",
                                 "lock": "Hoofdletters vast"}[self.shift])

    def reset(self) -> None:
        """Small letters again."""
        self.shift = "off"
        self._show_case()

    # -- size --------------------------------------------------------------------

    def fit(self, control: int) -> None:
        """Keys of one width (a twelfth of the room), at least ``control`` high."""
        spacing = max(4, round(control * 0.08))
        self._layout.setSpacing(spacing)
        for line in self.rows:
            line.setSpacing(spacing)
        unit = max(control * 0.5, (self.width() - (ROW_UNITS - 1) * spacing) / ROW_UNITS)
        side = round(control * 0.4)
        tallest = round(control * 1.4)  # a tall portrait screen: keys stay key-shaped
        for key, widget in self.keys.items():
            units = WIDTHS.get(key, 1)
            widget.setFixedWidth(math.floor(unit * units + spacing * (units - 1)))
            widget.setMinimumHeight(control)
            widget.setMaximumHeight(tallest)
            widget.setIconSize(QSize(side, side))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit(math.ceil(CONTROL_MIN_MM * px_per_mm(self)))


class TextEntry(Overlay):
    """Typing on a touch screen: a title, a hint, the text, "nog N tekens" and the keys.

    Covers its parent (a staff screen) while shown. Every change is passed on
    at once (``text_changed``), so nothing typed is lost when the panel closes
    for any reason.

    With a ``check`` (for example :func:`kiosk.core.rules.name_problem`), the field
    has no hard maximum (Qt would cut a pasted text without a word): the counter
    says how many characters are too many, the check's Dutch message shows under
    the title as soon as the text is not allowed, and "Klaar" keeps the panel open
    until it is.

    Signals:
        text_changed(str): the text changed (typed on the keys or a real keyboard).
        done(str): "Klaar" (or Enter): the text as typed.
        cancelled(): "Terug".
    """

    text_changed = Signal(str)
    done = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme, pictograms: Path, parent: QWidget) -> None:
        super().__init__("text_entry", "Typen", "Typ met de toetsen op het scherm.", parent)
        self.max_length = 0
        self.check: Callable[[str], str | None] | None = None
        self.base_warning = ""
        self.back_button = staff_button("Terug", "entry_back", "Terug, zonder te typen.",
                                        "quiet", svg_icon(pictograms, "arrow-left",
                                                          theme.colors["ink"]))
        self.back_button.clicked.connect(self._cancel)
        self.title = staff_label("staff_title")
        self.hint = staff_label("staff_hint")
        self.warning = staff_label("staff_message")
        self.field = QLineEdit(objectName="entry_field")
        self.field.setAccessibleName("Tekst")
        self.field.setAccessibleDescription("Wat je typt.")
        self.field.textChanged.connect(self._changed)
        self.field.returnPressed.connect(self._done)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.counter = staff_label("staff_hint", wrap=False, align=right)
        self.counter.setObjectName("entry_counter")
        self.keyboard = Keyboard(self.field, theme, pictograms)
        self.keyboard.done.connect(self._done)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.hint)
        titles.addWidget(self.warning)
        header.addLayout(titles, 1)
        field_row = QHBoxLayout()
        field_row.addWidget(self.field, 1)
        field_row.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(field_row)
        layout.addWidget(self.keyboard, 1)
        self._layout = layout

    def open(self, title: str, hint: str, text: str = "", max_length: int = 60,
             warning: str = "", check: Callable[[str], str | None] | None = None) -> None:
        """Show the panel with ``text`` in the field, the cursor at its end.

        ``check`` (text -> Dutch problem or None) replaces the field's hard maximum:
        see the class."""
        set_text(self.title, title)
        set_text(self.hint, hint)
        self.hint.setVisible(bool(hint))
        self.base_warning, self.check = warning, check
        self.field.setAccessibleName(title)
        self.max_length = max_length
        self.field.setMaxLength(max_length if check is None else 32767)  # Qt's own maximum
        self.field.blockSignals(True)
        self.field.setText(text)
        self.field.blockSignals(False)
        self.field.end(False)
        self.keyboard.reset()
        self._count()
        self.cover()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_text(self, text: str) -> None:
        """Change the field from outside (no ``text_changed`` back)."""
        if text != self.field.text():
            self.field.blockSignals(True)
            self.field.setText(text)
            self.field.blockSignals(False)
            self._count()

    def text(self) -> str:
        return self.field.text()

    def _changed(self, text: str) -> None:
        self._count()
        self.text_changed.emit(text)

    def problem(self) -> str | None:
        """The check's Dutch message for the text as it is now (None: allowed, or no
        check, or nothing typed yet)."""
        text = self.field.text()
        if self.check is None or not clean_text(text):
            return None
        return self.check(text)

    def _count(self) -> None:
        # with a check, count as the text will be stored (spaces at the ends do not count)
        text = self.field.text()
        left = self.max_length - len(clean_text(text) if self.check else text)
        if left < 0:
            counted = "1 teken te veel" if left == -1 else f"{-left} tekens te veel"
        else:
            counted = "Nog 1 teken" if left == 1 else f"Nog {left} tekens"
        set_text(self.counter, counted)
        warning = say_once(self.problem(), self.base_warning)  # no sentence twice
        set_text(self.warning, warning)
        self.warning.setVisible(bool(warning))

    def _done(self) -> None:
        if self.problem() is not None:
            return  # the message is on screen already; "Terug" leaves without it
        self.hide()
        self.done.emit(self.field.text())

    def _cancel(self) -> None:
        self.hide()
        self.cancelled.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        margin = round(min(self.width(), self.height()) * 0.03)
        self._layout.setContentsMargins(margin, margin, margin, margin)
        self._layout.setSpacing(round(margin * 0.5))
        self.field.setMinimumHeight(control)
        self.back_button.setMinimumSize(max(self.back_button.sizeHint().width(), control),
                                        control)
        side = round(control * 0.45)
        self.back_button.setIconSize(QSize(side, side))
