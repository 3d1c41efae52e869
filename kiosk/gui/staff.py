"""The staff's screens: PIN pad, session start, staff menu, beanbag tally, session summary.

Screens present and forward taps as signals; the app decides what happens (the
staff menu holds no business logic). The one exception is the PIN pad, which
checks the PIN through the :class:`~kiosk.core.pin.PinStore` it is given, on
an executor (scrypt and the file write take tens of milliseconds: not on the
GUI thread).

Every control is at least 2 cm on screen, has an object name, an accessible
name and an accessible description. The look comes from ``ui/kiosk.qss`` (the
section "Staff screens"); a screen shown as its own window applies the theme
itself, inside the kiosk window it inherits the window's stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import ANSWERS, PLACE_KINDS, Content, Statement
from kiosk.core.pin import MAX_DIGITS, MIN_DIGITS, PinStore, WeakPinError, pin_problem
from kiosk.core.settings import DEFAULT_VOLUME, SessionSettings
from kiosk.core.summary import SessionSummaryData, dutch_moment
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.screens import CONTROL_MIN_MM, label, svg_icon
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import plain

PLACE_KIND_NAMES = {
    "markt": "Markt", "supermarkt": "Supermarkt", "zwembad": "Zwembad",
    "wijkcentrum": "Wijkcentrum", "bibliotheek": "Bibliotheek", "anders": "Anders",
}
ANSWER_NAMES = {"eens": "Eens", "oneens": "Oneens", "weet_niet": "Weet niet"}
NEW_LOCATION = "Nieuwe plek…"
VOLUME_STEP = 10
TALLY_MAX = 999
LOCK_TICK_MS = 250


def staff_button(text: str, name: str, description: str, kind: str = "quiet",
                 icon: QIcon | None = None, checkable: bool = False) -> QPushButton:
    """A staff control: a word (and a pictogram), styled by its ``staff`` property.

    ``kind`` is one of quiet, accent, choice, key, eens, oneens (see ui/kiosk.qss).
    """
    widget = QPushButton(plain(text), objectName=name)  # a place called "Kaas & Co" keeps its &
    widget.setProperty("staff", kind)
    widget.setAccessibleName(text)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    widget.setCheckable(checkable)
    if icon is not None:
        widget.setIcon(icon)
    return widget


def staff_label(name: str, text: str = "", wrap: bool = True,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                ) -> QLabel:
    widget = label(name, text, wrap, align)
    widget.setAccessibleName(text)
    return widget


def touch_scroll_area(name: str, content: QWidget, description: str) -> QScrollArea:
    """A scroll area that a finger drags (kinetic), with a wide scroll bar for a mouse."""
    area = QScrollArea(objectName=name)
    area.setAccessibleName("Lijst")
    area.setAccessibleDescription(description)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    # Touch only: a mouse click on a button inside stays a click.
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


class StaffScreen(QWidget):
    """Base of the staff screens: theme when shown as a window, 2 cm controls."""

    def __init__(self, name: str, accessible: str, description: str, theme: Theme,
                 pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setAccessibleDescription(description)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme, self.pictograms = theme, pictograms
        self._control = 0

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

    def fit_controls(self, control: int) -> None:
        """Give every button at least ``control`` pixels each way."""
        for widget in self.findChildren(QAbstractButton):
            widget.setMinimumSize(max(widget.minimumWidth(), control), control)
            side = round(control * 0.45)
            widget.setIconSize(QSize(side, side))


# -- PIN -----------------------------------------------------------------------


class PinDots(QWidget):
    """The typed digits as dots: filled for each digit, rings for the minimum still to go."""

    def __init__(self, ink: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pin_dots")
        self.setAccessibleName("Pincode")
        self.setAccessibleDescription("Hoeveel cijfers je hebt getypt.")
        self._ink = QColor(ink)
        self.count = 0
        self.setMinimumHeight(48)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_count(self, count: int) -> None:
        self.count = count
        self.setAccessibleName("Geen cijfers getypt" if count == 0 else
                               "1 cijfer getypt" if count == 1 else f"{count} cijfers getypt")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, 48)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        slots = max(MIN_DIGITS, self.count)
        diameter = min(self.height() * 0.6, self.width() / (slots * 1.7))
        gap = diameter * 0.7
        width = slots * diameter + (slots - 1) * gap
        x, y = (self.width() - width) / 2, (self.height() - diameter) / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index in range(slots):
            rect = QRectF(x + index * (diameter + gap), y, diameter, diameter)
            if index < self.count:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._ink)
                painter.drawEllipse(rect)
            else:
                pen = QPen(self._ink, max(2.0, diameter / 8))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                inset = pen.widthF() / 2
                painter.drawEllipse(rect.adjusted(inset, inset, -inset, -inset))


class PinPad(StaffScreen):
    """A numeric keypad with masked dots: choose a PIN (twice), or enter it.

    :meth:`reset` picks the mode: "setup" when the store has no PIN yet, else
    "enter". In setup the PIN is typed twice, checked for strength (the reason
    is shown in one Dutch line) and stored. Entry checks the PIN; after five
    wrong tries the keys are locked and the pad counts down "Nog N seconden
    wachten". Keyboard: digits, Backspace (wissen), Enter (OK), Escape (terug).

    Args:
        store: the PIN store (its hashing runs on ``executor``).
        executor: runs the PIN checks and writes, off the GUI thread (one worker).

    Signals:
        accepted(): the right PIN was entered, or a new PIN was stored.
        cancelled(): "Terug" (or Escape) was pressed.
        failed(str): the PIN file could not be read or written (message for the log).
    """

    accepted = Signal()
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, store: PinStore, executor: Executor, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__("pin_pad", "Pincode", "Typ de pincode van de medewerkers.",
                         theme, pictograms, parent)
        self.store, self._executor = store, executor
        self.bridge = FutureBridge(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.mode = "enter"
        self.busy = False
        self._typed = ""
        self._first = ""  # setup: the PIN typed the first time

        self.back_button = staff_button("Terug", "pin_back", "Terug, zonder pincode.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self._cancel)
        self.lock_pictogram = QLabel(objectName="pin_pictogram")
        self.lock_pictogram.setAccessibleName("Slot")
        self.lock_pictogram.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = staff_label("staff_title", align=Qt.AlignmentFlag.AlignCenter)
        self.hint = staff_label("staff_hint", align=Qt.AlignmentFlag.AlignCenter)
        self.message = staff_label("staff_message", align=Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleDescription("Wat er mis is, of hoe lang je moet wachten.")
        self.dots = PinDots(theme.colors["ink"])

        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        positions = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "wissen", "0", "ok"]
        for index, key in enumerate(positions):
            if key == "wissen":
                widget = staff_button("Wissen", "pin_wissen", "Haal het laatste cijfer weg.",
                                      "quiet", self.icon("backspace"))
            elif key == "ok":
                widget = staff_button("OK", "pin_ok", "Klaar met typen.", "accent",
                                      self.icon("check", "on_dark"))
            else:
                widget = staff_button(key, f"pin_{key}", f"Cijfer {key}.", "key")
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            widget.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = widget
            grid.addWidget(widget, index // 3, index % 3)
        self.grid = grid

        info = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        info.addLayout(top)
        info.addStretch(1)
        info.addWidget(self.lock_pictogram)
        info.addWidget(self.title)
        info.addWidget(self.hint)
        info.addWidget(self.dots)
        info.addWidget(self.message)
        info.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.body.addLayout(info, 1)
        self.body.addLayout(grid, 1)

        self._timer = QTimer(self, interval=LOCK_TICK_MS)
        self._timer.timeout.connect(self.tick)
        self.reset()

    # -- state ---------------------------------------------------------------

    @property
    def typed(self) -> int:
        """How many digits are typed (the digits themselves are not exposed)."""
        return len(self._typed)

    def reset(self) -> None:
        """Start over: set a PIN when there is none yet, else ask for it."""
        if self.store.is_set():
            self._enter_mode("enter")
        else:
            self.begin_setup()

    def begin_setup(self) -> None:
        """Choose a (new) PIN: type it, then type it again."""
        self._first = ""
        self._enter_mode("setup")

    def _enter_mode(self, mode: str) -> None:
        self.mode = mode
        self.busy = False
        self._clear()
        texts = {
            "enter": ("Pincode medewerker", "Typ de pincode. Druk dan op OK."),
            "setup": ("Kies een pincode", f"Kies minstens {MIN_DIGITS} cijfers. Druk dan op OK."),
            "confirm": ("Kies een pincode", "Typ dezelfde pincode nog een keer."),
        }
        title, hint = texts[mode]
        self._set_text(self.title, title)
        self._set_text(self.hint, hint)
        self._say("")
        self.tick()

    def _clear(self) -> None:
        self._typed = ""
        self.dots.set_count(0)

    def _say(self, text: str) -> None:
        self._set_text(self.message, text)

    @staticmethod
    def _set_text(widget: QLabel, text: str) -> None:
        widget.setText(text)
        widget.setAccessibleName(text)

    def tick(self) -> None:
        """Show the lock's countdown; open the keys when it is over."""
        left = self.store.locked_for() if self.mode == "enter" and self.store.is_set() else 0.0
        locked = left > 0
        for _key, widget in self.keys.items():
            widget.setEnabled(not locked and not self.busy)
        if locked:
            seconds = max(1, math.ceil(left))
            self._say("Te vaak fout. Nog 1 seconde wachten." if seconds == 1
                      else f"Te vaak fout. Nog {seconds} seconden wachten.")
            if not self._timer.isActive():
                self._timer.start()
        elif self._timer.isActive():
            self._timer.stop()
            self._say("Je kunt het weer proberen.")

    @property
    def locked(self) -> bool:
        return self._timer.isActive()

    # -- input ---------------------------------------------------------------

    def press(self, key: str) -> None:
        """A key of the pad: "0".."9", "wissen" or "ok"."""
        if self.busy or self.locked:
            return
        if key == "wissen":
            self._typed = self._typed[:-1]
            self.dots.set_count(len(self._typed))
        elif key == "ok":
            self._submit()
        elif key.isdigit() and len(key) == 1 and len(self._typed) < MAX_DIGITS:
            self._typed += key
            self.dots.set_count(len(self._typed))
            if self.message.text() and self.mode != "enter":
                self._say("")

    def _cancel(self) -> None:
        if not self.busy:
            self.reset()  # a half-chosen PIN is forgotten too
            self.cancelled.emit()

    def _submit(self) -> None:
        pin, self._typed = self._typed, ""
        self.dots.set_count(0)
        if self.mode == "setup":
            problem = pin_problem(pin)
            if problem:
                self._say(problem)
                return
            self._first = pin
            self._enter_mode("confirm")
        elif self.mode == "confirm":
            if pin != self._first:
                self._first = ""
                self._enter_mode("setup")
                self._say("De twee pincodes zijn niet gelijk. Begin opnieuw.")
                return
            self._work(self.store.set_pin, pin, self._stored)
        else:
            if not pin:
                self._say("Typ eerst de pincode.")
                return
            self._work(self.store.check, pin, self._checked)

    def _work(self, function, pin: str, done) -> None:
        self.busy = True
        self._say("Even kijken…")
        self.tick()
        self.bridge.watch(self._executor.submit(function, pin), done, self._error)

    def _stored(self, _result: object) -> None:
        self._first = ""
        self._enter_mode("enter")
        self.accepted.emit()

    def _checked(self, right: bool) -> None:
        self.busy = False
        if right:
            self._say("")
            self.tick()
            self.accepted.emit()
            return
        left = self.store.tries_left()
        self._say("Deze pincode klopt niet. Probeer het nog een keer." if left > 1 else
                  "Deze pincode klopt niet. Nog 1 keer proberen.")
        self.tick()

    def _error(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, WeakPinError):  # only when the strength rules changed
            self.begin_setup()
            self._say(error.reason)
            return
        self._say("Dit lukt nu niet. Vraag hulp aan de beheerder.")
        self.tick()
        self.failed.emit(str(error))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, text = event.key(), event.text()
        if event.isAutoRepeat():
            return
        if text.isdigit() and len(text) == 1 and text.isascii():
            self.press(text)
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.press("wissen")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("ok")
        elif key == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tick()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._clear()  # a PIN half typed never waits on a hidden pad
        super().hideEvent(event)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for widget in self.keys.values():
            widget.setMinimumSize(round(control * 1.5), control)
        side = round(control * 1.1)
        self.lock_pictogram.setPixmap(self.icon("lock-key").pixmap(side, side))
        self.dots.setMinimumHeight(round(control * 0.6))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        portrait = self.height() > self.width()
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                               else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
        self.grid.setSpacing(round(min(self.width(), self.height()) * 0.02))


# -- starting a session --------------------------------------------------------


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


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.casefold()).strip("_") or "x"


class StaffStartScreen(StaffScreen):
    """Set up a session: place, kind of place, statements, speech, peers line, printer.

    Args:
        content: for the locations (``content/locations.toml``) and statement sets.
        printers: printer names to offer (the first is the default); "Geen printer" is added.
        last: the settings of the previous session, to start from.

    Signals:
        start_requested(SessionSettings): "Start" was tapped with these settings.
        quit_requested(): "Afsluiten" was tapped.
    """

    start_requested = Signal(object)
    quit_requested = Signal()

    def __init__(self, content: Content, printers: Sequence[str], theme: Theme,
                 pictograms: Path, last: SessionSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("staff_start", "Nieuwe sessie", "Kies de plek en de instellingen.",
                         theme, pictograms, parent)
        self.content = content
        self._known = {loc.name.casefold(): loc for loc in content.locations}
        self.volume = last.volume if last else DEFAULT_VOLUME

        self.quit_button = staff_button("Afsluiten", "start_quit", "Sluit de kiosk af.",
                                        "quiet", self.icon("power"))
        self.quit_button.clicked.connect(self.quit_requested)

        # where
        self.locations = ChoiceGroup("start_locations", "Waar staat de kiosk?", 3)
        for loc in content.locations:
            self.locations.add(loc.name, loc.name, f"location_{_slug(loc.name)}",
                               f"De kiosk staat bij: {loc.name}.")
        self.locations.add("", NEW_LOCATION, "location_new", "Typ de naam van een nieuwe plek.")
        self.locations.chosen.connect(self._location_chosen)
        self.new_location = QLineEdit(objectName="new_location")
        self.new_location.setPlaceholderText("Naam van de plek")
        self.new_location.setAccessibleName("Nieuwe plek")
        self.new_location.setAccessibleDescription("Typ de naam van de plek.")
        self.new_location.setMaxLength(60)
        self.new_location.setVisible(False)
        self.new_location.textChanged.connect(self._update)
        self.new_location.returnPressed.connect(self._start)
        self.kinds = ChoiceGroup("start_kinds", "Wat voor plek is het?", 3)
        for kind in PLACE_KINDS:
            self.kinds.add(kind, PLACE_KIND_NAMES.get(kind, kind.capitalize()), f"kind_{kind}",
                           f"Soort plek: {PLACE_KIND_NAMES.get(kind, kind)}.")
        self.kinds.chosen.connect(lambda _v: self._update())

        # what and how
        self.sets = ChoiceGroup("start_sets", "Welke stellingen?", 1)
        for set_id, statement_set in content.sets.items():
            self.sets.add(set_id, statement_set.name, f"set_{_slug(set_id)}",
                          f"Stellingen: {statement_set.name}, "
                          f"{len(statement_set.statements)} zinnen.")
        self.sets.chosen.connect(lambda _v: self._update())
        self.per_visit = ChoiceGroup("start_per_visit", "Zinnen per bezoek", 4)
        for value, text, description in (
                ("1", "1", "Eén zin per bezoek."), ("3", "3", "Drie zinnen per bezoek."),
                ("5", "5", "Vijf zinnen per bezoek."), ("0", "Alle", "Alle zinnen van de set.")):
            self.per_visit.add(value, text, f"per_visit_{value}", description)
        self.speech = ChoiceGroup("start_speech", "Zinnen voorlezen", 2)
        self.speech.add("1", "Aan", "speech_on", "Lees de zinnen voor.")
        self.speech.add("0", "Uit", "speech_off", "Lees de zinnen niet voor.")
        self.volume_down = staff_button("", "volume_down", "Zachter.", "quiet",
                                        self.icon("minus"))
        self.volume_down.setAccessibleName("Zachter")
        self.volume_up = staff_button("", "volume_up", "Harder.", "quiet", self.icon("plus"))
        self.volume_up.setAccessibleName("Harder")
        self.volume_label = staff_label("staff_value", align=Qt.AlignmentFlag.AlignCenter)
        self.volume_down.clicked.connect(lambda: self._set_volume(self.volume - VOLUME_STEP))
        self.volume_up.clicked.connect(lambda: self._set_volume(self.volume + VOLUME_STEP))
        self.peers = ChoiceGroup("start_peers", "Regel 'Jij en N anderen' laten zien", 2)
        self.peers.add("1", "Aan", "peers_on", "Laat zien hoeveel anderen hetzelfde dachten.")
        self.peers.add("0", "Uit", "peers_off", "Laat dat niet zien.")
        self.printers = ChoiceGroup("start_printers", "Welke printer?", 2)
        self.set_printers(printers, last.printer if last else None)
        self.slip_sizes = ChoiceGroup("start_slip_sizes", "Hoe groot is het briefje?", 3)
        for size, text, description in (("80mm", "Bon", "Bonnenprinter, 8 cm breed."),
                                        ("a6", "A6", "Een kwart A4."), ("a4", "A4", "Een A4.")):
            self.slip_sizes.add(size, text, f"slip_{size}", description)

        self.start_button = staff_button("Start", "start", "Start de kiosk met deze keuzes.",
                                         "accent", self.icon("play", "on_dark"))
        self.start_button.clicked.connect(self._start)
        self.problem = staff_label("staff_hint")

        left = QVBoxLayout()
        #: A warning for staff, e.g. broken content files (hidden when empty).
        self.notice = staff_label("staff_notice")
        self.notice.setVisible(False)
        left.addWidget(self.notice)
        left.addWidget(staff_label("staff_title", "Nieuwe sessie: waar staat de kiosk?"))
        left.addWidget(self.locations)
        left.addWidget(self.new_location)
        left.addWidget(staff_label("staff_section", "Wat voor plek is het?"))
        left.addWidget(self.kinds)
        right = QVBoxLayout()
        right.addWidget(staff_label("staff_section", "Welke stellingen?"))
        right.addWidget(self.sets)
        right.addLayout(self._row("Zinnen per bezoek", self.per_visit))
        right.addWidget(staff_label("staff_section", "Printer voor de briefjes"))
        right.addWidget(self.printers)
        right.addLayout(self._row("Briefje", self.slip_sizes))
        right.addLayout(self._row("Voorlezen", self.speech))
        volume = QHBoxLayout()
        volume.addWidget(self.volume_down)
        volume.addWidget(self.volume_label, 1)
        volume.addWidget(self.volume_up)
        right.addLayout(self._row("Geluid", volume))
        right.addLayout(self._row("Jij en N anderen", self.peers))
        form = QWidget(objectName="start_form")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        outer = QVBoxLayout(form)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.columns)
        outer.addStretch(1)  # everything at the top, side by side or one above the other
        self.forms = (left, right)
        self.scroll = touch_scroll_area("start_scroll", form, "Alle keuzes voor de sessie.")

        footer = QHBoxLayout()
        footer.addWidget(self.quit_button)
        footer.addWidget(self.problem, 2)
        footer.addWidget(self.start_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)
        self.apply(last)

    @staticmethod
    def _row(text: str, widget: QWidget | QHBoxLayout) -> QHBoxLayout:
        row = QHBoxLayout()
        name = staff_label("staff_section", text)
        row.addWidget(name, 2)
        if isinstance(widget, QWidget):
            row.addWidget(widget, 3)
        else:
            row.addLayout(widget, 3)
        return row

    # -- values --------------------------------------------------------------

    def set_printers(self, names: Sequence[str], chosen: str | None = None) -> None:
        """Offer these printers (plus "Geen printer"); keep ``chosen`` if it is one of them."""
        previous = chosen if chosen is not None else self.printers.value()
        self.printers.clear()
        for name in names:
            self.printers.add(name, name, f"printer_{_slug(name)}", f"Print de briefjes op {name}.")
        self.printers.add("", "Geen printer", "printer_none", "Geen briefjes printen.")
        if previous is not None and previous in self.printers.buttons:
            self.printers.select(previous)
        else:
            self.printers.select(names[0] if names else "")
        if self._control:
            self.fit_controls(self._control)

    def apply(self, settings: SessionSettings | None) -> None:
        """Show ``settings`` (the last session's), or the defaults."""
        default_set = self.content.statement_set().id
        per_visit = str(self.content.library.per_visit or 0)
        if settings is None:
            self.sets.select(default_set)
            self._select_per_visit(per_visit)
            self.speech.select("1")
            self.peers.select("0")
            self.kinds.select("anders")
            self.slip_sizes.select("80mm")
        else:
            known = self._known.get(settings.location.casefold())
            if known is not None:
                self.locations.select(known.name)
            else:
                self.locations.select("")
                self.new_location.setText(settings.location)
            self.new_location.setVisible(known is None)
            self.kinds.select(settings.place_kind)
            self.sets.select(settings.statement_set if settings.statement_set in self.sets.buttons
                             else default_set)
            self.speech.select("1" if settings.speech else "0")
            self.peers.select("1" if settings.show_peers else "0")
            if settings.printer in self.printers.buttons:
                self.printers.select(settings.printer)
            self.slip_sizes.select(settings.slip_size)
            self._select_per_visit(str(settings.per_visit))
        self._set_volume(settings.volume if settings else DEFAULT_VOLUME)
        self._update()

    def _select_per_visit(self, value: str) -> None:
        """Choose statements per visit; a number not offered (say 4, from library.toml)
        gets its own button, so the library's choice is never lost."""
        if value not in self.per_visit.buttons:
            self.per_visit.add(value, value, f"per_visit_{value}", f"{value} zinnen per bezoek.")
        self.per_visit.select(value)

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def location(self) -> str:
        """The chosen or typed place, as it will be stored ("" when none)."""
        chosen = self.locations.value()
        if chosen:
            return chosen
        typed = " ".join(self.new_location.text().split()) if chosen == "" else ""
        known = self._known.get(typed.casefold())
        return known.name if known else typed

    def settings(self) -> SessionSettings | None:
        """The settings on screen, or None while the place is missing."""
        location = self.location()
        set_id = self.sets.value()
        if not location or set_id is None:
            return None
        return SessionSettings(
            location=location, place_kind=self.kinds.value() or "anders",
            statement_set=set_id, speech=self.speech.value() != "0",
            show_peers=self.peers.value() == "1", printer=self.printers.value() or "",
            volume=self.volume, slip_size=self.slip_sizes.value() or "80mm",
            per_visit=int(self.per_visit.value() or 3),
        )

    def _location_chosen(self, value: str) -> None:
        new = value == ""
        self.new_location.setVisible(new)
        if new:
            self.new_location.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.kinds.select(self._known[value.casefold()].kind)
        self._update()

    def _set_volume(self, value: int) -> None:
        self.volume = min(100, max(0, value))
        text = f"{self.volume}%"
        self.volume_label.setText(text)
        self.volume_label.setAccessibleName(f"Geluid {text}")
        self.volume_down.setEnabled(self.volume > 0)
        self.volume_up.setEnabled(self.volume < 100)

    def _update(self) -> None:
        ready = self.settings() is not None
        self.start_button.setEnabled(ready)
        text = "" if ready else (
            "Typ de naam van de plek." if self.locations.value() == "" else "Kies eerst een plek."
        )
        self.problem.setText(text)
        self.problem.setAccessibleName(text)

    def _start(self) -> None:
        settings = self.settings()
        if settings is not None:
            self.start_requested.emit(settings)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        self.new_location.setMinimumHeight(control)
        for group in (self.locations, self.kinds, self.sets, self.speech, self.peers,
                      self.printers, self.slip_sizes):
            group.set_spacing(round(control * 0.12))
        for column in self.forms:
            column.setSpacing(round(control * 0.12))
            column.setAlignment(Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        portrait = self.height() > self.width()
        self.columns.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                  else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
        self.columns.setSpacing(round(min(self.width(), self.height()) * 0.04))


# -- the staff menu ------------------------------------------------------------


#: (signal name, object name, word, pictogram, description), in screen order.
MENU_ACTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("pause_requested", "menu_pause", "Pauze", "pause", "Zet de kiosk even stil."),
    ("switch_set_requested", "menu_switch_set", "Andere stellingen", "swap",
     "Kies andere stellingen."),
    ("tally_requested", "menu_tally", "Turven", "list-numbers",
     "Tel de worpen van het spel bij de stand."),
    ("end_session_requested", "menu_end_session", "Sessie beëindigen", "stop-circle",
     "Stop de sessie en zie de cijfers."),
    ("test_print_requested", "menu_test_print", "Testprint", "printer",
     "Print een briefje om de printer te testen."),
    ("export_requested", "menu_export", "Exporteren naar USB", "usb",
     "Zet de cijfers op een USB-stick."),
    ("report_requested", "menu_report", "Rapport maken", "file-text",
     "Maak een rapport (pdf) voor de gemeente."),
    ("merge_requested", "menu_merge", "Samenvoegen", "arrows-merge",
     "Voeg cijfers van een andere laptop toe."),
    ("quit_requested", "menu_quit", "Afsluiten", "power", "Sluit de kiosk af."),
)
#: Where each tile sits (row, column): the session, then the data, then the device;
#: Afsluiten alone in a corner, away from the rest. "volume" is (row, column, span).
MENU_PLACES = {
    "pause_requested": (0, 0), "switch_set_requested": (0, 1), "tally_requested": (0, 2),
    "end_session_requested": (0, 3), "export_requested": (1, 0), "report_requested": (1, 1),
    "merge_requested": (1, 2), "test_print_requested": (1, 3), "quit_requested": (2, 3),
    "volume": (2, 0, 2),
}
MENU_PLACES_PORTRAIT = {
    "pause_requested": (0, 0), "switch_set_requested": (0, 1), "tally_requested": (1, 0),
    "end_session_requested": (1, 1), "export_requested": (2, 0), "report_requested": (2, 1),
    "merge_requested": (3, 0), "test_print_requested": (3, 1), "quit_requested": (5, 1),
    "volume": (4, 0, 2),
}


class StaffMenu(StaffScreen):
    """The staff menu: one button per action, one signal per button; no logic here.

    Signals:
        pause_requested(): "Pauze" (while running).
        resume_requested(): "Verder" (the same button while paused, see :meth:`set_paused`).
        switch_set_requested(): "Andere stellingen".
        tally_requested(): "Turven".
        end_session_requested(): "Sessie beëindigen".
        test_print_requested(): "Testprint".
        export_requested(): "Exporteren naar USB".
        report_requested(): "Rapport maken".
        merge_requested(): "Samenvoegen".
        quit_requested(): "Afsluiten".
        back_requested(): "Terug naar kiosk".
        volume_changed(int): "−" or "+" of the volume, with the new volume (0..100).
    """

    pause_requested = Signal()
    resume_requested = Signal()
    switch_set_requested = Signal()
    tally_requested = Signal()
    end_session_requested = Signal()
    test_print_requested = Signal()
    export_requested = Signal()
    report_requested = Signal()
    merge_requested = Signal()
    quit_requested = Signal()
    back_requested = Signal()
    volume_changed = Signal(int)

    def __init__(self, theme: Theme, pictograms: Path, volume: int = DEFAULT_VOLUME,
                 parent: QWidget | None = None) -> None:
        super().__init__("staff_menu", "Menu voor medewerkers",
                         "Kies wat je wilt doen.", theme, pictograms, parent)
        self.paused = False
        self.volume = volume
        self.title = staff_label("staff_title", "Menu")
        self.session_line = staff_label("staff_text")
        self.back_button = staff_button("Terug naar kiosk", "menu_back",
                                        "Ga terug naar het scherm voor bezoekers.", "accent",
                                        self.icon("arrow-left", "on_dark"))
        self.back_button.clicked.connect(self.back_requested)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.session_line)
        header.addLayout(titles, 1)
        header.addWidget(self.back_button)

        self.buttons: dict[str, QToolButton] = {}
        grid = QGridLayout()
        for _index, (signal, name, text, icon, description) in enumerate(MENU_ACTIONS):
            tile = QToolButton(objectName=name)
            tile.setProperty("staff", "tile")
            tile.setText(text)
            tile.setIcon(self.icon(icon))
            tile.setAccessibleName(text)
            tile.setAccessibleDescription(description)
            tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            if signal == "pause_requested":
                tile.clicked.connect(self._pause_clicked)
            else:
                tile.clicked.connect(getattr(self, signal))
            self.buttons[signal] = tile
        self.grid = grid

        self.volume_down = staff_button("", "menu_volume_down", "Zachter.", "quiet",
                                        self.icon("minus"))
        self.volume_down.setAccessibleName("Zachter")
        self.volume_up = staff_button("", "menu_volume_up", "Harder.", "quiet", self.icon("plus"))
        self.volume_up.setAccessibleName("Harder")
        self.volume_label = staff_label("staff_value", align=Qt.AlignmentFlag.AlignCenter)
        self.volume_down.clicked.connect(lambda: self._change_volume(-VOLUME_STEP))
        self.volume_up.clicked.connect(lambda: self._change_volume(VOLUME_STEP))
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume_down)
        volume_row.addWidget(self.volume_label, 1)
        volume_row.addWidget(self.volume_up)
        volume_box = QWidget(objectName="staff_card")
        volume_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        volume_box.setAccessibleName("Geluid")
        volume_box.setAccessibleDescription("Zet de stem zachter of harder.")
        volume_box.setLayout(volume_row)
        self.volume_box = volume_box
        self._portrait: bool | None = None
        self._arrange(portrait=False)

        self.status = staff_label("staff_text")
        self.status.setAccessibleDescription("Wat er net is gebeurd.")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)
        self.set_volume(volume)

    def _arrange(self, portrait: bool) -> None:
        """Four columns on a landscape screen, two on a portrait one."""
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for widget in (*self.buttons.values(), self.volume_box):
            self.grid.removeWidget(widget)
        places = MENU_PLACES_PORTRAIT if portrait else MENU_PLACES
        for signal, tile in self.buttons.items():
            self.grid.addWidget(tile, *places[signal])
        row, column, span = places["volume"]
        self.grid.addWidget(self.volume_box, row, column, 1, span)
        for column in range(4):
            self.grid.setColumnStretch(column, 1 if column < (2 if portrait else 4) else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._arrange(self.height() > self.width())
        super().resizeEvent(event)

    def set_paused(self, paused: bool) -> None:
        """Show "Verder" instead of "Pauze" while the kiosk is paused."""
        self.paused = paused
        tile = self.buttons["pause_requested"]
        text = "Verder" if paused else "Pauze"
        tile.setText(text)
        tile.setAccessibleName(text)
        tile.setAccessibleDescription("Zet de kiosk weer aan." if paused
                                      else "Zet de kiosk even stil.")
        tile.setIcon(self.icon("play" if paused else "pause"))

    def set_volume(self, volume: int) -> None:
        """Show ``volume`` (0..100) without emitting ``volume_changed``."""
        self.volume = min(100, max(0, volume))
        text = f"Geluid {self.volume}%"
        self.volume_label.setText(text)
        self.volume_label.setAccessibleName(text)
        self.volume_down.setEnabled(self.volume > 0)
        self.volume_up.setEnabled(self.volume < 100)

    def set_session(self, text: str) -> None:
        """One line about the running session, e.g. "Weekmarkt · 12 bezoeken"."""
        self.session_line.setText(text)
        self.session_line.setAccessibleName(text)

    def set_status(self, text: str) -> None:
        """One line about what just happened, e.g. "Klaar: rapport.pdf staat op de USB-stick"."""
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def _pause_clicked(self) -> None:
        (self.resume_requested if self.paused else self.pause_requested).emit()

    def _change_volume(self, step: int) -> None:
        self.set_volume(self.volume + step)
        self.volume_changed.emit(self.volume)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for tile in self.buttons.values():
            tile.setMinimumSize(round(control * 1.6), round(control * 1.25))
            side = round(control * 0.5)
            tile.setIconSize(QSize(side, side))
        self.back_button.setMinimumWidth(round(control * 3.5))
        self.grid.setSpacing(round(control * 0.15))


# -- beanbag tally -------------------------------------------------------------


class TallyCounter(QWidget):
    """− count + for one answer to one statement.

    Signals:
        changed(int): the new count.
    """

    changed = Signal(int)

    def __init__(self, statement: Statement, answer: str, minus: QIcon, plus: QIcon,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        word = ANSWER_NAMES[answer]
        self.setObjectName(f"tally_{statement.id}_{answer}")
        self.setAccessibleName(f"{word}: {statement.text}")
        self.setAccessibleDescription(f"Aantal keer {word.lower()} bij deze zin.")
        self.count = 0
        self.minus = staff_button("", f"tally_{statement.id}_{answer}_minus",
                                  f"Eén minder {word.lower()} bij: {statement.text}",
                                  "quiet", minus)
        self.minus.setAccessibleName(f"{word} min 1")
        self.plus = staff_button("", f"tally_{statement.id}_{answer}_plus",
                                 f"Eén meer {word.lower()} bij: {statement.text}",
                                 "eens" if answer == "eens" else
                                 "oneens" if answer == "oneens" else "quiet", plus)
        self.plus.setAccessibleName(f"{word} plus 1")
        for widget, step in ((self.minus, -1), (self.plus, 1)):
            widget.setAutoRepeat(True)
            widget.setAutoRepeatDelay(600)
            widget.setAutoRepeatInterval(180)
            widget.clicked.connect(lambda _=False, s=step: self.set_count(self.count + s))
        self.number = staff_label("tally_count", "0", wrap=False,
                                  align=Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.minus)
        layout.addWidget(self.number)
        layout.addWidget(self.plus)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        count = min(TALLY_MAX, max(0, count))
        changed = count != self.count
        self.count = count
        self.number.setText(str(count))
        self.number.setAccessibleName(str(count))
        self.minus.setEnabled(count > 0)
        if changed:
            self.changed.emit(count)


class TallyScreen(StaffScreen):
    """The beanbag tally: per statement, − / + counters for Eens, Oneens, Weet niet.

    Signals:
        save_requested(list): [(statement_id, answer, count), ...] with every count > 0.
        cancelled(): "Terug" was tapped (nothing is saved).
    """

    save_requested = Signal(list)
    cancelled = Signal()

    def __init__(self, theme: Theme, pictograms: Path,
                 statements: Sequence[Statement] = (), parent: QWidget | None = None) -> None:
        super().__init__("tally_screen", "Turven",
                         "Tel de worpen van het spel bij de stand.", theme, pictograms, parent)
        self.counters: dict[tuple[str, str], TallyCounter] = {}
        self.back_button = staff_button("Terug", "tally_back", "Terug, zonder op te slaan.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self.cancelled)
        self.title = staff_label("staff_title", "Turven: de worpen bij de stand")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)

        self.columns = QGridLayout()
        self.columns.addWidget(staff_label("staff_section", "Zin"), 0, 0)
        for column, answer in enumerate(ANSWERS, start=1):
            self.columns.addWidget(staff_label("staff_section", ANSWER_NAMES[answer],
                                               align=Qt.AlignmentFlag.AlignCenter), 0, column)

        self.rows = QWidget(objectName="tally_rows")
        self.rows_layout = QGridLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = touch_scroll_area("tally_scroll", self.rows, "Alle zinnen met tellers.")

        self.total = staff_label("staff_text")
        self.save_button = staff_button("Opslaan", "tally_save", "Bewaar de getelde worpen.",
                                        "accent", self.icon("check", "on_dark"))
        self.save_button.clicked.connect(self._save)
        footer = QHBoxLayout()
        footer.addWidget(self.total, 2)
        footer.addWidget(self.save_button, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.columns)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)
        self.set_statements(statements)

    def set_statements(self, statements: Sequence[Statement]) -> None:
        """One row per statement (for example ``statement_set.statements``); counts reset."""
        for counter in self.counters.values():
            counter.deleteLater()
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.counters = {}
        minus, icons = self.icon("minus"), {
            "eens": self.icon("plus", "on_dark"), "oneens": self.icon("plus", "on_dark"),
            "weet_niet": self.icon("plus"),
        }
        for row, statement in enumerate(statements):
            text = staff_label("tally_text", statement.text)
            self.rows_layout.addWidget(text, row, 0)
            for column, answer in enumerate(ANSWERS, start=1):
                counter = TallyCounter(statement, answer, minus, icons[answer])
                counter.changed.connect(self._update)
                self.counters[(statement.id, answer)] = counter
                self.rows_layout.addWidget(counter, row, column)
        for column in range(4):
            self.rows_layout.setColumnStretch(column, 3 if column == 0 else 2)
            self.columns.setColumnStretch(column, 3 if column == 0 else 2)
        self._control = 0  # new buttons: size them at the next resize
        if self.width() > 0 and self.control:
            self._control = self.control
            self.fit_controls(self._control)
        self._update()

    def counts(self) -> list[tuple[str, str, int]]:
        """(statement_id, answer, count) for every counter above 0, in screen order."""
        return [(sid, answer, c.count) for (sid, answer), c in self.counters.items() if c.count]

    def reset(self) -> None:
        """All counters back to 0 (after the lead stored them)."""
        for counter in self.counters.values():
            counter.set_count(0)

    def _update(self, _count: int = 0) -> None:
        total = sum(c.count for c in self.counters.values())
        text = "Nog geen worpen geteld." if total == 0 else (
            "1 worp geteld." if total == 1 else f"{total} worpen geteld.")
        self.total.setText(text)
        self.total.setAccessibleName(text)
        self.save_button.setEnabled(total > 0)

    def _save(self) -> None:
        counts = self.counts()
        if counts:
            self.save_requested.emit(counts)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for counter in self.counters.values():
            counter.number.setMinimumWidth(round(control * 0.8))
        self.save_button.setMinimumWidth(round(control * 2.5))
        self.rows_layout.setVerticalSpacing(round(control * 0.15))
        self.rows_layout.setHorizontalSpacing(round(control * 0.3))
        self.columns.setHorizontalSpacing(round(control * 0.3))


# -- the end of a session ------------------------------------------------------


class SessionSummary(StaffScreen):
    """What the session brought: visits, answers, referrals, the statements most agreed with.

    Signals:
        done(): "Klaar" was tapped.
    """

    done = Signal()

    def __init__(self, theme: Theme, pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__("session_summary", "Sessie klaar",
                         "De cijfers van deze sessie.", theme, pictograms, parent)
        self.title = staff_label("staff_title", "Sessie klaar. Dank je wel!")
        self.subtitle = staff_label("staff_text")
        self.numbers: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for key, word in (("visits", "Bezoekers"), ("answers", "Antwoorden"),
                          ("referrals", "Verwijzingen")):
            card = QWidget(objectName="staff_card")
            card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            card.setAccessibleName(word)
            card.setAccessibleDescription(f"Aantal {word.lower()} in deze sessie.")
            box = QVBoxLayout(card)
            number = staff_label("staff_number", "0", align=Qt.AlignmentFlag.AlignCenter)
            number.setObjectName("staff_number")
            name = staff_label("staff_section", word, align=Qt.AlignmentFlag.AlignCenter)
            note = staff_label("staff_note", align=Qt.AlignmentFlag.AlignCenter)
            box.addWidget(number)
            box.addWidget(name)
            box.addWidget(note)
            self.numbers[key], self.notes[key] = number, note
            tiles.addWidget(card, 1)
        self.top_title = staff_label("staff_section", "Hier waren de meeste mensen het mee eens:")
        self.top_lines = [staff_label("staff_text") for _ in range(3)]
        self.done_button = staff_button("Klaar", "summary_done", "Terug naar het begin.",
                                        "accent", self.icon("check-circle", "on_dark"))
        self.done_button.clicked.connect(self.done)
        footer = QHBoxLayout()
        footer.addStretch(2)
        footer.addWidget(self.done_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(tiles)
        layout.addWidget(self.top_title)
        for line in self.top_lines:
            layout.addWidget(line)
        layout.addStretch(1)
        layout.addLayout(footer)

    def show_summary(self, data: SessionSummaryData) -> None:
        """Fill the screen from :func:`kiosk.core.summary.session_summary`."""
        when = dutch_moment(data.started)
        if data.ended:
            when += f" tot {data.ended[11:16]}"
        kind = PLACE_KIND_NAMES.get(data.place_kind, data.place_kind)
        self._set(self.subtitle, f"{data.location} ({kind.lower()}), {when}")
        self._set(self.numbers["visits"], str(data.visits))
        self._set(self.notes["visits"], f"{data.completed_visits} tot het einde")
        self._set(self.numbers["answers"], str(data.answers))
        self._set(self.notes["answers"], f"{data.staff_answers} geturfd" if data.staff_answers
                  else "op het scherm")
        self._set(self.numbers["referrals"], str(data.referrals))
        self._set(self.notes["referrals"], f"{data.printed} geprint")
        self.top_title.setVisible(bool(data.top_eens))
        for index, line in enumerate(self.top_lines):
            if index < len(data.top_eens):
                top = data.top_eens[index]
                times = "1 keer" if top.eens == 1 else f"{top.eens} keer"
                self._set(line, f"{index + 1}.  {top.text}  ({times} eens, van {top.answers})")
                line.setVisible(True)
            else:
                self._set(line, "")
                line.setVisible(False)

    @staticmethod
    def _set(widget: QLabel, text: str) -> None:
        widget.setText(text)
        widget.setAccessibleName(text)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        self.done_button.setMinimumHeight(round(control * 1.2))
