"""The PIN pad: choose a PIN the first time, then enter it before every staff screen.

The pad checks the PIN through the :class:`~kiosk.core.pin.PinStore` it is given,
on an executor (scrypt and the file write take tens of milliseconds: not on the
GUI thread).
"""

from __future__ import annotations

import math
from concurrent.futures import Executor
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.pin import MAX_DIGITS, MIN_DIGITS, PinStore, WeakPinError, pin_problem
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.widgets import StaffScreen, staff_button, staff_label
from kiosk.gui.theme import Theme

LOCK_TICK_MS = 250


def wait_text(left: float) -> str:
    """How long the lock still holds, rounded up: "Nog 5 minuten wachten".

    Seconds below a minute ("Nog 40 seconden wachten"), else whole minutes.
    """
    seconds = max(1, math.ceil(left))
    if seconds < 60:
        return "Nog 1 seconde wachten" if seconds == 1 else f"Nog {seconds} seconden wachten"
    minutes = math.ceil(seconds / 60)
    return "Nog 1 minuut wachten" if minutes == 1 else f"Nog {minutes} minuten wachten"


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
    wrong tries the keys are locked and the pad counts down (:func:`wait_text`:
    "Nog 5 minuten wachten", the last minute in seconds). Keyboard: digits, Backspace (wissen), Enter (OK), Escape (terug).

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
            self._say(f"Te vaak fout. {wait_text(left)}.")
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


