"""A palm on the screen taps nothing.

Qt turns the first finger of a touch into a mouse press and release, so a hand
resting on the screen (or a child's whole palm) would answer a statement. The
guard watches every touch: once three or more fingers are down at the same
time, the touch is a palm: any button it pressed is let go, and the mouse presses
and moves Qt makes from it are dropped until every finger is up, so its release
clicks nothing.
Two fingers still give one answer: Qt only makes mouse events for the first.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QEventPoint, QInputDevice
from PySide6.QtWidgets import QAbstractButton, QApplication

#: Fingers down at once that make a touch a palm.
PALM_POINTS = 3

_TOUCH = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate)
_MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
          QEvent.Type.MouseMove)


def _from_touch(event: QEvent) -> bool:
    device = event.device() if hasattr(event, "device") else None
    return device is not None and device.type() == QInputDevice.DeviceType.TouchScreen


class PalmGuard(QObject):
    """The application's event filter that drops the taps of a palm (see the module)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.palm = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in _TOUCH:
            down = [p for p in event.points() if p.state() != QEventPoint.State.Released]
            if kind == QEvent.Type.TouchBegin:
                self.palm = False
            if len(down) >= PALM_POINTS and not self.palm:
                self.palm = True
                self._let_go()
        elif kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel) and self.palm:
            # cleared after the release Qt makes from the last finger (it comes first)
            QApplication.postEvent(self, QEvent(QEvent.Type.User))
        elif self.palm and kind == QEvent.Type.MouseButtonRelease and _from_touch(event):
            self._let_go()  # the release passes: a button that is not down does not click
        elif self.palm and kind in _MOUSE and _from_touch(event):
            return True
        return False

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        self.palm = False

    @staticmethod
    def _let_go() -> None:
        """A button a finger of the palm pressed goes up without clicking."""
        for widget in QApplication.allWidgets():
            if isinstance(widget, QAbstractButton) and widget.isDown():
                widget.setDown(False)


def install_palm_guard() -> PalmGuard:
    """Install one guard on the application (again: the same one)."""
    app = QApplication.instance()
    guard = getattr(app, "_kiosk_palm_guard", None)
    if guard is None:
        guard = PalmGuard(app)
        app.installEventFilter(guard)
        app._kiosk_palm_guard = guard
    return guard
