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
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.freetext import say_once
from kiosk.core.rules import TOO_LONG, clean_text
from kiosk.gui.staff.widgets import Overlay, set_text, staff_button, staff_label
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, svg_icon

SHIFT, BACKSPACE, SPACE, DONE, MORE = "shift", "backspace", "space", "done", "more"
#: The digits, always shown; a special key is named (see above).
TOP: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", BACKSPACE)
#: Letters as on a Dutch (US-International qwerty) laptop.
LETTERS: tuple[tuple[str, ...], ...] = (
    ("q", "w", "e", "r", "t", "y", "u", "i", "o", "p"),
    ("a", "s", "d", "f", "g", "h", "j", "k", "l", "-", "'"),
    ("z", "x", "c", "v", "b", "n", "m", ",", "."),
)
#: The "é&?" page: the accented letters Dutch needs, then the signs.
SIGNS: tuple[tuple[str, ...], ...] = (
    ("é", "ë", "è", "ê", "ï", "ö", "ü", "á", "à", "ç"),
    ("&", "?", "!", ":", ";", "/", "@", "(", ")", '"'),
    ("ó", "ô", "ú", "û", "ä", "ñ", "€", "%", "+", "#"),
)
#: Always shown, under the page.
BOTTOM: tuple[str, ...] = (SHIFT, MORE, SPACE, DONE)
#: Every row, top to bottom, as the two pages show them.
ROWS: tuple[tuple[str, ...], ...] = (TOP, *LETTERS, *SIGNS, BOTTOM)
#: How many key widths a key takes; a row is at most :data:`ROW_UNITS` wide.
WIDTHS = {BACKSPACE: 2, SHIFT: 3, MORE: 2, SPACE: 4, DONE: 3}
ROW_UNITS = 12
#: A key is at least this wide and high (a fingertip; the staff screens' other controls
#: are bigger: :data:`~kiosk.gui.widgets.CONTROL_MIN_MM`).
KEY_MIN_MM = 12
#: Word, object name, description and pictogram of the special keys.
SPECIAL = {
    BACKSPACE: ("Wissen", "key_backspace", "Haal het laatste teken weg.", "backspace"),
    SHIFT: ("Hoofdletter", "key_shift",
            "De volgende letter wordt een hoofdletter. Twee keer: alles hoofdletters.",
            "arrow-fat-up"),
    MORE: ("é&?", "key_more",
           "Letters met accent en tekens. Eén keer: voor het volgende teken. "
           "Twee keer: ze blijven.", ""),
    SPACE: ("Spatie", "key_space", "Een spatie.", ""),
    DONE: ("Klaar", "key_done", "Klaar met typen.", "check"),
}
#: Object names (``key_<name>``) of the keys that are not a plain a-z or 0-9; spoken
#: with the underscores as spaces.
KEY_NAMES = {
    "-": "streepje", "'": "apostrof", ",": "komma", ".": "punt",
    "é": "e_accent_aigu", "ë": "e_trema", "è": "e_accent_grave", "ê": "e_accent_circonflexe",
    "ï": "i_trema", "ö": "o_trema", "ü": "u_trema", "á": "a_accent_aigu",
    "à": "a_accent_grave", "ç": "c_cedille", "ó": "o_accent_aigu",
    "ô": "o_accent_circonflexe", "ú": "u_accent_aigu", "û": "u_accent_circonflexe",
    "ä": "a_trema", "ñ": "n_tilde", "&": "en_teken", "?": "vraagteken",
    "!": "uitroepteken", ":": "dubbele_punt", ";": "puntkomma", "/": "schuine_streep",
    "@": "apenstaart", "(": "haakje_openen", ")": "haakje_sluiten", '"': "aanhalingsteken",
    "€": "euro", "%": "procent", "+": "plus", "#": "hekje",
}
_OLD_NAMES = {"-": "minus"}
#: Why a key was not typed: the text is full.
FULL = "Nog 0 tekens over. Er past niets meer bij."  # object names kept from the first keyboard


def key_name(key: str) -> str:
    """The object name of a key: ``key_a``, ``key_1``, ``key_komma``, ``key_e_trema``,
    ``key_shift``."""
    if key in SPECIAL:
        return SPECIAL[key][1]
    return f"key_{_OLD_NAMES.get(key) or KEY_NAMES.get(key, key)}"


def key_min_px(dpi: float) -> int:
    """The smallest key side in pixels at a logical ``dpi``: :data:`KEY_MIN_MM`."""
    return math.ceil(KEY_MIN_MM * dpi / 25.4)


class Keyboard(QWidget):
    """The keys: they type into ``target`` (a QLineEdit).

    Two pages share the digits and the bottom row: the letters, and "é&?" (the
    accented letters and the signs). Why a page and not an accent key or
    press-and-hold: with one finger on a touch screen a page shows every letter as it
    will be typed, one tap each; a dead accent key asks staff to know which mark
    (´ ` ^ ¨) a letter needs and does nothing visible until the next tap; press-and-hold
    is invisible until found and asks for a slide. Like shift, one tap on "é&?" is for the
    next character only (the letters come back by themselves: "Café" is c a f, é&?, é),
    a second tap keeps the page (the key then says "abc"), a third goes back.

    Shift: one tap makes the next letter a capital (also É); a second tap keeps
    capitals on (caps lock); a third tap turns them off.

    ``refuse`` (the text as it would become -> a short Dutch reason, or None) may
    refuse a key: the character is not typed and ``refused`` says why.

    Signals:
        done(): "Klaar" was tapped.
        refused(str): a key was not typed, and why.
    """

    done = Signal()
    refused = Signal(str)

    def __init__(self, target: QLineEdit, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self.setAccessibleName("Toetsenbord")
        self.setAccessibleDescription("Tik de letters om te typen.")
        self.target = target
        self.refuse: Callable[[str], str | None] | None = None
        self.shift = "off"  # off, once, lock
        self.more = "off"  # the "é&?" page: off, once, lock
        self.keys: dict[str, QPushButton] = {}
        self.rows: list[QHBoxLayout] = []
        self.pages: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._row(TOP, theme, pictograms), 1)
        self.page_layouts: list[QVBoxLayout] = []
        for rows in (LETTERS, SIGNS):
            page = QWidget(objectName="keyboard_page")
            lines = QVBoxLayout(page)
            lines.setContentsMargins(0, 0, 0, 0)
            # no taller than its keys: spare room (a tall screen) goes below the keys
            lines.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)
            for row in rows:
                lines.addLayout(self._row(row, theme, pictograms), 1)
            self.pages.append(page)
            self.page_layouts.append(lines)
            layout.addWidget(page, len(rows))
        layout.addLayout(self._row(BOTTOM, theme, pictograms), 1)
        layout.addStretch(0)  # room the keys cannot use (a tall screen) stays below them
        self._layout = layout
        self._show_case()

    def _row(self, row: tuple[str, ...], theme: Theme, pictograms: Path) -> QHBoxLayout:
        line = QHBoxLayout()
        line.addStretch(1)
        for key in row:
            widget = self._make_key(key, theme, pictograms)
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
            if key == BACKSPACE:
                widget.setAutoRepeat(True)
                widget.setAutoRepeatDelay(500)
                widget.setAutoRepeatInterval(120)
            widget.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = widget
            line.addWidget(widget)
        line.addStretch(1)
        self.rows.append(line)
        return line

    @staticmethod
    def _make_key(key: str, theme: Theme, pictograms: Path) -> QPushButton:
        if key in SPECIAL:
            word, name, description, pictogram = SPECIAL[key]
            accent = key == DONE
            icon: QIcon | None = None
            if pictogram:
                icon = svg_icon(pictograms, pictogram, theme.colors["on_dark" if accent else "ink"])
            return staff_button(word, name, description,
                                "accent" if accent else "choice" if key in (SHIFT, MORE)
                                else "quiet", icon, checkable=key in (SHIFT, MORE))
        spoken = KEY_NAMES.get(key, key).replace("_", " ")
        widget = staff_button(key, key_name(key), f"Typ {spoken}.", "key")
        widget.setAccessibleName(spoken)
        return widget

    # -- typing ----------------------------------------------------------------

    def press(self, key: str) -> None:
        """One key: a character, or shift, "é&?", backspace, space, done."""
        if key == SHIFT:
            self.shift = {"off": "once", "once": "lock", "lock": "off"}[self.shift]
            self._show_case()
        elif key == MORE:
            self.more = {"off": "once", "once": "lock", "lock": "off"}[self.more]
            self._show_case()
        elif key == BACKSPACE:
            self.target.backspace()
        elif key == DONE:
            self.done.emit()
        else:
            text = " " if key == SPACE else key
            if self.shift != "off":
                text = text.upper()
            if self.refuse is not None and (reason := self.refuse(self._after(text))):
                self.refused.emit(reason)
                return
            self.target.insert(text)
            changed = False
            if self.shift == "once" and key.isalpha():
                self.shift, changed = "off", True
            if self.more == "once" and any(key in row for row in SIGNS):
                self.more, changed = "off", True
            if changed:
                self._show_case()

    def _after(self, text: str) -> str:
        """The target's text as it would be with ``text`` typed (over a selection)."""
        field = self.target
        current = field.text()
        if field.hasSelectedText():
            start = field.selectionStart()
            return current[:start] + text + current[start + len(field.selectedText()):]
        at = field.cursorPosition()
        return current[:at] + text + current[at:]

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
        more = self.keys[MORE]
        more.setChecked(self.more == "once")
        set_text(more, "abc" if self.more == "lock" else "é&?")
        more.setAccessibleName({"off": "Accenten en tekens", "once": "Accenten en tekens aan",
                                "lock": "Terug naar de letters"}[self.more])
        signs = self.more != "off"
        self.pages[0].setVisible(not signs)
        self.pages[1].setVisible(signs)

    def reset(self) -> None:
        """Small letters again, on the letters page."""
        self.shift = self.more = "off"
        self._show_case()

    # -- size --------------------------------------------------------------------

    def fit(self, control: int, key_min: int) -> None:
        """Keys of one width (a twelfth of the room, at least ``key_min``), at least
        ``control`` high (and never lower than ``key_min``)."""
        spacing = max(4, round(control * 0.08))
        self._layout.setSpacing(spacing)
        for lines in self.page_layouts:
            lines.setSpacing(spacing)
        for line in self.rows:
            line.setSpacing(spacing)
        # a row: the stretch at each end, keys and the spacing between all of them
        unit = max(key_min, (self.width() - (ROW_UNITS + 1) * spacing) / ROW_UNITS)
        side = round(control * 0.4)
        high = max(control, key_min)
        tallest = round(high * 1.4)  # a tall portrait screen: keys stay key-shaped
        for key, widget in self.keys.items():
            units = WIDTHS.get(key, 1)
            widget.setFixedWidth(math.floor(unit * units + spacing * (units - 1)))
            widget.setMinimumHeight(high)
            widget.setMaximumHeight(tallest)
            widget.setIconSize(QSize(side, side))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit(math.ceil(CONTROL_MIN_MM * px_per_mm(self)), key_min_px(self.logicalDpiY()))


class TextEntry(Overlay):
    """Typing on a touch screen: a title, a hint, the text, "nog N tekens" and the keys.

    Covers its parent (a staff screen) while shown. Every change is passed on
    at once (``text_changed``), so nothing typed is lost when the panel closes
    for any reason.

    The field has no hard maximum (Qt would cut a pasted text without a word). The
    on-screen keys refuse a character past ``max_length`` and say so under the title
    (:data:`FULL`; the text stays as it was); a longer text from a physical keyboard or
    a paste is kept whole: the counter says how many characters are too many, the
    reason shows under the title, and "Klaar" keeps the panel open until it fits.
    With a ``check`` (for example :func:`kiosk.core.rules.name_problem`) its Dutch
    message shows as soon as the text is not allowed, and "Klaar" waits for it too.
    Characters are counted as they will be stored (:func:`~kiosk.core.rules.clean_text`).
    No sentence is shown twice (:func:`~kiosk.core.freetext.say_once`). The staff
    screens have no speech, so the reason is shown, not spoken.

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
        self.refusal = ""  # why the last key was not typed; gone with the next change
        self.keyboard = Keyboard(self.field, theme, pictograms)
        self.keyboard.done.connect(self._done)
        self.keyboard.refuse = self._refuse
        self.keyboard.refused.connect(self._refused)

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

        ``check`` (text -> Dutch problem or None): see the class."""
        set_text(self.title, title)
        set_text(self.hint, hint)
        self.hint.setVisible(bool(hint))
        self.base_warning, self.check = warning, check
        self.field.setAccessibleName(title)
        self.max_length = max_length
        self.field.setMaxLength(32767)  # Qt's own maximum: never cut a text without a word
        self.refusal = ""
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
        self.refusal = ""
        self._count()
        self.text_changed.emit(text)

    def problem(self) -> str | None:
        """The Dutch message for the text as it is now: too long, or the check's (None:
        allowed, or nothing typed yet)."""
        text = self.field.text()
        if not clean_text(text):
            return None
        if self.check is not None:
            return self.check(text)
        if (length := len(clean_text(text))) > self.max_length:
            return TOO_LONG.format(n=length, max=self.max_length)
        return None

    def _refuse(self, after: str) -> str | None:
        """Why a key may not add to the text (it would be longer than allowed), or None."""
        length = len(clean_text(after))
        if length > self.max_length and length > len(clean_text(self.field.text())):
            return FULL
        return None

    def _refused(self, reason: str) -> None:
        self.refusal = reason
        self._count()

    def _count(self) -> None:
        # count as the text will be stored (spaces at the ends do not count)
        text = self.field.text()
        left = self.max_length - len(clean_text(text))
        if left < 0:
            counted = "1 teken te veel" if left == -1 else f"{-left} tekens te veel"
        else:
            counted = "Nog 1 teken" if left == 1 else f"Nog {left} tekens"
        set_text(self.counter, counted)
        warning = say_once(self.refusal, self.problem(), self.base_warning)
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
