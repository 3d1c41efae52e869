"""The staff strip (the quick bar): a small bar over the kiosk for what staff log most,
between visitors.

The corner hold and the PIN open it while a session runs; right after a conversation
or signal logged from it, the corner opens it again without the PIN for a short
while (who may open it when: :mod:`kiosk.gui.staff.access`). It closes by itself
after :data:`STRIP_SECONDS`, or with "Sluiten"; both end that PIN-free while
(:attr:`StaffStrip.dismissed`).
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.staff.widgets import set_text, staff_button, staff_label
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, svg_icon

STRIP_SECONDS = 30


class StaffStrip(QWidget):
    """Gesprek +1 · Signaal · Menu · Sluiten, in a bar across the top of the kiosk.

    Signals:
        conversation_requested(): "Gesprek +1".
        signal_requested(): "Signaal".
        menu_requested(): "Menu" (the shell decides whether it asks for the PIN).
        dismissed(): closed with "Sluiten" or by its own time-out (not when staff tap
            one of its actions): staff are done, the next corner hold asks for the PIN.
    """

    conversation_requested = Signal()
    signal_requested = Signal()
    menu_requested = Signal()
    dismissed = Signal()

    def __init__(self, theme: Theme, pictograms: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("staff_strip")
        self.setAccessibleName("Medewerkers")
        self.setAccessibleDescription("Snel een gesprek of signaal noteren.")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        def icon(name: str, color: str = "ink"):
            return svg_icon(pictograms, name, theme.colors[color])

        self.conversation = staff_button("Gesprek +1", "strip_conversation",
                                         "Tel een gesprek bij de stand.", "accent",
                                         icon("chats-circle", "on_dark"))
        self.signal = staff_button("Signaal", "strip_signal", "Noteer een signaal.", "quiet",
                                   icon("megaphone"))
        self.menu = staff_button("Menu", "strip_menu", "Het menu, met de pincode.", "quiet",
                                 icon("squares-four"))
        self.close_button = staff_button("Sluiten", "strip_close", "Doe de balk dicht.",
                                         "quiet", icon("x-circle"))
        self.message = staff_label("staff_hint")
        self.conversation.clicked.connect(self.conversation_requested)
        self.signal.clicked.connect(self.signal_requested)
        self.menu.clicked.connect(self._menu)
        self.close_button.clicked.connect(self._dismiss)
        row = QHBoxLayout()
        for widget in (self.conversation, self.signal, self.menu):
            row.addWidget(widget, 2)
        row.addStretch(1)
        row.addWidget(self.close_button, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._timer = QTimer(self, singleShot=True, interval=STRIP_SECONDS * 1000)
        self._timer.timeout.connect(self._dismiss)
        self.hide()

    def open(self) -> None:
        """Show across the top of the kiosk, for :data:`STRIP_SECONDS`."""
        parent = self.parentWidget()
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        side = round(control * 0.45)
        for widget in (self.conversation, self.signal, self.menu, self.close_button):
            widget.setMinimumSize(control, control)
            widget.setIconSize(QSize(side, side))
        height = control + self.message.sizeHint().height() + round(control * 0.5)
        self.setGeometry(0, 0, parent.width(), height)
        self.show()
        self.raise_()
        self._timer.start()

    def set_message(self, text: str) -> None:
        """What was stored last (shown in the strip the next time it opens)."""
        set_text(self.message, text)

    def _menu(self) -> None:
        self.hide()
        self.menu_requested.emit()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)
