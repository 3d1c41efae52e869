"""Turven bekijken: the stored staff tallies, per session, newest first (read-only)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.history import SessionTally
from kiosk.core.summary import dutch_moment
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.widgets import (
    PLACE_KIND_NAMES,
    StaffScreen,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme

log = logging.getLogger(__name__)


def throws(count: int) -> str:
    return "1 worp" if count == 1 else f"{count} worpen"


class TallyHistoryScreen(StaffScreen):
    """What staff counted at the stand in earlier sessions.

    Args:
        load: reads the stored tallies (on the one writer); returns a future list.
        statement_text: a statement's text from its id.

    Signals:
        back_requested(): "Terug".
        loaded(): the list is shown (tests wait on it).
    """

    back_requested = Signal()
    loaded = Signal()

    def __init__(self, theme: Theme, pictograms: Path,
                 load: Callable[[], Future], statement_text: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__("tally_history", "Turven bekijken",
                         "De worpen die eerder zijn geteld.", theme, pictograms, parent)
        self.load, self.statement_text = load, statement_text
        self.bridge = FutureBridge(self)
        self.sessions: list[SessionTally] = []
        self.back_button = staff_button("Terug", "history_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = staff_label("staff_title", "Turven: wat eerder is geteld")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        self.rows = QWidget(objectName="history_rows")
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = touch_scroll_area("history_scroll", self.rows,
                                        "Per sessie de getelde worpen.")
        self.empty = staff_label("staff_text", "Even kijken…")
        self.empty.setObjectName("history_empty")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll, 1)

    def open(self) -> None:
        """Read the tallies again and show them."""
        set_text(self.empty, "Even kijken…")
        self.empty.setVisible(True)
        self.bridge.watch(self.load(), self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        log.warning("reading the tallies failed: %s", error)
        set_text(self.empty, "De getelde worpen kunnen nu niet gelezen worden.")

    def _show(self, sessions: list[SessionTally]) -> None:
        self.sessions = list(sessions)
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows_layout.setSpacing(round(self.control * 0.15))
        for session in sessions:
            self.rows_layout.addWidget(self._card(session))
        self.rows_layout.addStretch(1)
        set_text(self.empty, "Er is nog niets geturfd." if not sessions else "")
        self.empty.setVisible(not sessions)
        self.loaded.emit()

    def _card(self, session: SessionTally) -> QWidget:
        card = QWidget(objectName="staff_card")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        kind = PLACE_KIND_NAMES.get(session.place_kind, session.place_kind).lower()
        heading = (f"{session.location} ({kind}), {dutch_moment(session.started)}: "
                   f"{throws(session.total)}")
        card.setAccessibleName(heading)
        card.setAccessibleDescription("De getelde worpen van deze sessie.")
        box = QVBoxLayout(card)
        margin = round(self.control * 0.2)
        box.setContentsMargins(margin, margin, margin, margin)
        box.addWidget(staff_label("staff_section", heading))
        for line in session.lines:
            statement = self.statement_text(line.statement_id).rstrip(".")
            text = (f"{statement}: {line.eens} eens, {line.oneens} oneens, "
                    f"{line.weet_niet} weet niet")
            row: QLabel = staff_label("tally_text", text)
            box.addWidget(row)
        return card
