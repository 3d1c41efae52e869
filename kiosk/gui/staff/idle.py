"""Staff screens close by themselves: after 60 s without a touch, with a 10 s warning.

:class:`IdleWatch` reads time from a clock it is given (``time.monotonic`` in
the kiosk, a :class:`~kiosk.core.clock.ManualClock` in tests) and is ticked by
a timer, so tests move time by hand and never sleep. :class:`IdleWarning` is
the warning over the whole kiosk: a tap anywhere on it keeps the menu open.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.gui.staff.widgets import Overlay, set_text, staff_button, staff_label
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, svg_icon

STAFF_TIMEOUT_S = 60.0
WARNING_S = 10.0
TICK_MS = 250


def warning_text(seconds: int) -> str:
    """"Over 10 seconden gaat het menu dicht. Tik om door te gaan." (1: "seconde")."""
    unit = "seconde" if seconds == 1 else "seconden"
    return f"Over {seconds} {unit} gaat het menu dicht. Tik om door te gaan."


class IdleWatch(QObject):
    """Counts the time since the last touch while it is armed.

    Args:
        clock: monotonic seconds.
        hold: while this returns True (work is being written) the time does not run.

    Signals:
        warn(int): the warning should show, with the whole seconds left (every tick).
        resumed(): a touch came during the warning: it should go away.
        expired(): the time is up.
    """

    warn = Signal(int)
    resumed = Signal()
    expired = Signal()

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 timeout: float = STAFF_TIMEOUT_S, warning: float = WARNING_S,
                 hold: Callable[[], bool] = lambda: False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock, self.timeout, self.warning, self.hold = clock, timeout, warning, hold
        self.armed = False
        self.warning_shown = False
        self._last = clock()
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self.tick)

    def arm(self) -> None:
        """Start counting from now (a staff screen appeared)."""
        self.armed = True
        self.touch()
        self._timer.start()

    def disarm(self) -> None:
        """Stop counting (the kiosk or the PIN pad is shown)."""
        self.armed = False
        self._timer.stop()
        self._end_warning()

    def touch(self) -> None:
        """Someone touched the screen: start counting again."""
        self._last = self.clock()
        self._end_warning()

    @property
    def idle_for(self) -> float:
        return self.clock() - self._last

    def tick(self) -> None:
        """Warn in the last seconds, expire at the end (runs from a timer)."""
        if not self.armed:
            return
        if self.hold():
            self.touch()
            return
        left = self.timeout - self.idle_for
        if left <= 0 and not self.warning_shown:
            # never close unannounced (the laptop slept, the timer was late): warn first
            self._last = self.clock() - (self.timeout - self.warning)
            left = self.warning
        if left <= 0:
            self._end_warning()
            self.disarm()
            self.expired.emit()
        elif left <= self.warning:
            self.warning_shown = True
            self.warn.emit(max(1, math.ceil(left)))

    def _end_warning(self) -> None:
        if self.warning_shown:
            self.warning_shown = False
            self.resumed.emit()


class IdleWarning(Overlay):
    """"Over 10 seconden gaat het menu dicht. Tik om door te gaan." over the whole kiosk.

    Signals:
        touched(): tapped anywhere (the menu stays open).
    """

    touched = Signal()

    def __init__(self, theme: Theme, pictograms: Path, parent: QWidget) -> None:
        super().__init__("idle_warning", "Het menu gaat zo dicht",
                         "Tik om door te gaan.", parent)
        self.setProperty("staff_overlay", True)
        self.pictogram = QLabel(objectName="idle_warning_pictogram")
        self.pictogram.setAccessibleName("Klok")
        self.pictogram.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._icon = svg_icon(pictograms, "timer", theme.colors["ink"])
        self.text = staff_label("staff_title", warning_text(10), align=Qt.AlignmentFlag.AlignCenter)
        self.text.setObjectName("idle_warning_text")
        self.go_on = staff_button("Doorgaan", "idle_warning_continue", "Het menu blijft open.",
                                  "accent", svg_icon(pictograms, "check", theme.colors["on_dark"]))
        self.go_on.clicked.connect(self._touched)
        self.card = QWidget(objectName="staff_card")
        self.card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self.card)
        box.addWidget(self.pictogram)
        box.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.go_on)
        row.addStretch(1)
        box.addLayout(row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.card)
        outer.addStretch(1)
        self.box, self.outer = box, outer

    def show_seconds(self, seconds: int) -> None:
        set_text(self.text, warning_text(seconds))
        self.setAccessibleName(self.text.text())
        if not self.isVisible():
            self.cover()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._touched()
        event.accept()

    def _touched(self) -> None:
        self.hide()
        self.touched.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        self.go_on.setMinimumSize(max(self.go_on.sizeHint().width(), round(control * 3)),
                                  round(control * 1.1))
        side = round(control * 0.45)
        self.go_on.setIconSize(QSize(side, side))
        self.pictogram.setPixmap(self._icon.pixmap(control, control))
        margin = round(control * 0.5)
        self.box.setContentsMargins(margin, margin, margin, margin)
        self.box.setSpacing(round(control * 0.25))
        self.outer.setContentsMargins(control * 2, control, control * 2, control)
