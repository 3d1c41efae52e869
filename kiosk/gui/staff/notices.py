"""Meldingen: the last problems from the log, newest first, in plain Dutch with what to do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.staff.widgets import (
    StaffScreen,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme
from kiosk.logs import Notice, Notices

NONE_YET = "Er zijn geen meldingen. Alles werkt."


class NoticesScreen(StaffScreen):
    """The staff's list of problems (:class:`kiosk.logs.Notices`), read-only.

    Signals:
        back_requested(): "Terug".
    """

    back_requested = Signal()

    def __init__(self, notices: Notices, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__("notices", "Meldingen", "Wat er misging, en wat je kunt doen.",
                         theme, pictograms, parent)
        self.notices = notices
        self.back_button = staff_button("Terug", "notices_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self.back_requested)
        self.clear_button = staff_button("Wissen", "notices_clear",
                                         "Haal de meldingen weg die je hebt gelezen.", "quiet",
                                         self.icon("trash"))
        self.clear_button.clicked.connect(self.clear)
        self.title = staff_label("staff_title", "Meldingen")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.clear_button)
        self.rows = QWidget(objectName="notices_rows")
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = touch_scroll_area("notices_scroll", self.rows,
                                        "De meldingen, de nieuwste bovenaan.")
        self.empty = staff_label("staff_text", NONE_YET)
        self.empty.setObjectName("notices_empty")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll, 1)
        self.lines: list[str] = []

    def refresh(self) -> None:
        """Show the notices as they are now, newest first."""
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        items = self.notices.newest_first()
        self.lines = [f"{notice.time} · {notice.text}" for notice in items]
        self.rows_layout.setSpacing(round(self.control * 0.15))
        for notice in items:
            self.rows_layout.addWidget(self._card(notice))
        self.rows_layout.addStretch(1)
        set_text(self.empty, "" if items else NONE_YET)
        self.empty.setVisible(not items)
        self.clear_button.setEnabled(bool(items))

    def clear(self) -> None:
        self.notices.clear()
        self.refresh()

    def _card(self, notice: Notice) -> QWidget:
        card = QWidget(objectName="staff_card")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        text = f"{notice.time} · {notice.text}"
        card.setAccessibleName(text)
        box = QVBoxLayout(card)
        margin = round(self.control * 0.2)
        box.setContentsMargins(margin, margin, margin, margin)
        box.addWidget(staff_label("staff_text", text))
        return card
