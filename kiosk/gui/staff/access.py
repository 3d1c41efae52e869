"""How staff get in during a session: the corner hold, the PIN, the quick bar, and logging
a conversation or signal from it; and kiosk mode keeping passers-by out.

A mixin of :class:`kiosk.gui.shell.KioskShell` (it uses the shell's pages, PIN pad,
recorder and strip); split out of the shell so that each module stays readable.

The quick bar ("Gesprek +1 · Signaal · Menu", :class:`~kiosk.gui.staff.strip.StaffStrip`)
exists so that staff at the stand log a conversation in a moment while the kiosk stays
up for passers-by. It used to open without the PIN for 2 minutes after any staff use,
also after staff had closed the menu or it had timed out: a passer-by who held the
corner for 3 s could then add conversations or "Anders" free text. Now:

- Holding the corner while a session runs asks for the PIN, and the PIN opens the quick
  bar over the kiosk ("Menu" on it then opens the menu without a second PIN). Logging a
  conversation is: hold, PIN, "Gesprek +1", "Opslaan", and the kiosk is back.
- Only staff who just logged from the quick bar (and went straight back to the kiosk)
  may open it again without the PIN, for :data:`QUICK_WINDOW_S` after that: never
  longer than the menu's own time-out (:data:`~kiosk.gui.staff.idle.STAFF_TIMEOUT_S`),
  and touches on the kiosk do not extend it. "Menu" then still asks for the PIN.
- Any other way back to the kiosk closes that at once: "Terug naar kiosk", "Pauze",
  a new session, the staff time-out, "Terug" on the PIN pad, and the quick bar's own
  "Sluiten" or time-out. The next corner hold asks for the PIN.
- Ctrl+Shift+M (a keyboard) asks for the PIN and opens the menu, as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.gui.staff.idle import STAFF_TIMEOUT_S
from kiosk.gui.theme import px_per_mm

GESTURE_CORNER_MM = 25  # the staff corner: top-left, this many millimetres square
GESTURE_HOLD_MS = 3000
#: After a conversation or signal logged from the quick bar, the corner opens the bar
#: again without the PIN for this long: never longer than the menu's own time-out.
QUICK_WINDOW_S = STAFF_TIMEOUT_S
#: The old name (tests and notes use it): the PIN-free time, now the quick window.
STAFF_GRACE_S = QUICK_WINDOW_S
#: Presses and keys that count as "someone is using the staff screens".
ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
            QEvent.Type.Wheel)


class StaffAccess:
    """The corner hold, the PIN's outcome, the quick bar and logging from it (a mixin of
    the shell; see the module docstring for who may open what without the PIN)."""

    def _init_access(self) -> None:
        self.gesture_hold_ms = GESTURE_HOLD_MS
        self._gesture_target: QObject | None = None
        self._swallow_release = False
        self._quick_until = float("-inf")  # the quick bar opens without the PIN until then
        self._bar_after_pin = False  # the bar is open because the PIN was just typed
        self._pin_for = "menu"  # where the PIN leads during a session: "menu" or "bar"
        self._log_return = "menu"  # where a logged conversation or signal goes back to

    def _connect_strip(self) -> None:
        self.strip.conversation_requested.connect(lambda: self._open_conversation("kiosk"))
        self.strip.signal_requested.connect(lambda: self._open_signal("kiosk"))
        self.strip.menu_requested.connect(self._strip_menu)
        self.strip.dismissed.connect(self.close_quick_access)

    # -- the PIN --------------------------------------------------------------

    def ask_for_staff(self, then: str = "menu") -> None:
        """The PIN pad: to choose a PIN the first time, then before every staff screen.

        ``then``: "bar" opens the quick bar after the PIN while a session runs (the
        corner hold), "menu" the menu (the keyboard shortcut, "Menu" on the bar).
        """
        self._pin_for = then
        self.pin.reset()
        # without a session the PIN pad is the lock: there is nothing to go back to
        self.pin.back_button.setVisible(self.window is not None)
        self.stack.setCurrentWidget(self.pin)
        self.pin.setFocus()

    def _pin_accepted(self) -> None:
        if not self.attached:
            self._pin_waiting = True
            return
        if self.window is None and self.preset is not None:
            preset, self.preset = self.preset, None
            self.start_session(preset)
        elif self.window is None and self.after_pin == "start":
            self._to_start()
        elif self.window is not None and self._pin_for == "bar":
            self.show_kiosk()
            self._bar_after_pin = True
            self.strip.open()
        else:
            self.show_menu()

    def _pin_cancelled(self) -> None:
        if self.window is not None:
            self.show_kiosk()

    # -- the quick bar ----------------------------------------------------------

    @property
    def quick_access(self) -> bool:
        """True while the corner opens the quick bar without the PIN."""
        return self.window is not None and self.monotonic() < self._quick_until

    def close_quick_access(self) -> None:
        """The next corner hold asks for the PIN (staff closed something, or it timed out)."""
        self._quick_until = float("-inf")
        self._bar_after_pin = False

    def _strip_menu(self) -> None:
        if self._bar_after_pin:  # the PIN was typed a moment ago
            self.show_menu()
        else:
            self.ask_for_staff("menu")

    # -- conversations and signals -----------------------------------------------

    def _open_conversation(self, back_to: str) -> None:
        if self.window is None:
            return
        self.strip.hide()
        self._log_return = back_to
        self.conversation.set_topics(self.window.statement_set)
        self.conversation.reset()
        self.stack.setCurrentWidget(self.conversation)

    def _open_signal(self, back_to: str) -> None:
        if self.window is None:
            return
        self.strip.hide()
        self._log_return = back_to
        self.signals.reset()
        self.stack.setCurrentWidget(self.signals)

    def _log_conversation(self, topic: str, kind: str, target: str) -> None:
        if self.session_id is None:
            return
        self.bridge.watch(self.recorder.log_conversation(self.session_id, topic, kind, target),
                          lambda _id: self._logged("Gesprek opgeslagen."), self._failed)

    def _log_signal(self, kind: str, text: str) -> None:
        if self.session_id is None:
            return
        self.bridge.watch(self.recorder.log_signal(self.session_id, kind, text),
                          lambda _id: self._logged("Signaal opgeslagen."), self._signal_refused)

    def _signal_refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValueError) and self.page == "signal":
            self.signals.open_text(str(exc))  # the store's own check: a Dutch reason
        else:
            self._failed(exc)

    def _logged(self, what: str) -> None:
        """Said only once it is on disk; with the session's totals so far."""
        if self.session_id is None:
            return
        self.bridge.watch(self.recorder.session_log_counts(self.session_id),
                          lambda counts: self._show_logged(what, *counts), self._failed)

    def _show_logged(self, what: str, conversations: int, signals: int) -> None:
        line = (f"{what} Deze sessie: {conversations} "
                f"{'gesprek' if conversations == 1 else 'gesprekken'}, {signals} "
                f"{'signaal' if signals == 1 else 'signalen'}.")
        self.status.emit(line)
        self.conversation.reset(line)
        self.signals.reset(line)
        if self.page in ("conversation", "signal"):
            self._log_back()
        self.strip.set_message(line)

    def _log_back(self) -> None:
        if self._log_return == "kiosk" and self.window is not None:
            self.show_kiosk()  # (closes quick access, as every way back to the kiosk does)
            # straight back from the quick bar: staff are at the stand; another one
            # within the window needs no PIN
            self._quick_until = self.monotonic() + QUICK_WINDOW_S
        else:
            self.show_menu()

    # -- kiosk mode: the corner hold ---------------------------------------------

    def _in_corner(self, obj: QObject, event) -> bool:
        if not isinstance(obj, QWidget) or not (obj is self or self.isAncestorOf(obj)):
            return False
        point = obj.mapTo(self, event.position().toPoint()) if obj is not self else (
            event.position().toPoint())
        corner = GESTURE_CORNER_MM * px_per_mm(self)
        return 0 <= point.x() <= corner and 0 <= point.y() <= corner

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The staff gesture (hold the top-left corner for 3 s); any touch keeps staff in."""
        kind = event.type()
        if kind in ACTIVITY and self.idle.armed:
            self.idle.touch()
        if kind == QEvent.Type.MouseButtonPress and self.page == "kiosk":
            if self._in_corner(obj, event):
                self._gesture_target = obj
                self._hold.start(self.gesture_hold_ms)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._hold.stop()
            if self._swallow_release and isinstance(obj, QWidget) and self.isAncestorOf(obj):
                self._swallow_release = False
                return True  # the hold was the gesture, not a tap on what lay under it
        return False

    def _gesture(self) -> None:
        target = self._gesture_target
        if isinstance(target, QAbstractButton):
            target.setDown(False)
        self._swallow_release = True
        if self.quick_access:
            self._bar_after_pin = False
            self.strip.open()  # staff logged from the bar a moment ago: no PIN again
        else:
            self.ask_for_staff("bar" if self.window is not None else "menu")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk_mode and event.key() == Qt.Key.Key_Escape:
            return  # no way out for a passer-by
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk_mode and not self._quitting:
            event.ignore()  # Alt+F4 or the window manager: only staff may close
            return
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    def show_kiosk_mode(self) -> None:
        """Full screen, frameless, on top (kiosk mode), or a plain window."""
        if self.kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
            self.showFullScreen()
        else:
            self.resize(1366, 768)
            self.show()
