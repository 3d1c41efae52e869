"""The end of a session: what it brought."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.summary import SessionSummaryData, dutch_span
from kiosk.gui.staff.widgets import PLACE_KIND_NAMES, StaffScreen, staff_button, staff_label
from kiosk.gui.theme import Theme


class SessionSummary(StaffScreen):
    """What the session brought: visits, answers, referrals, conversations and signals (by
    kind), the statements most agreed with.

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
        self.tiles = QGridLayout()
        self.cards: list[QWidget] = []
        for key, word in (("visits", "Bezoekers"), ("answers", "Antwoorden"),
                          ("referrals", "Verwijzingen"), ("conversations", "Gesprekken")):
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
            self.cards.append(card)
        self._columns = 0
        self._place_cards(len(self.cards))
        self.signals_title = staff_label("staff_section", "Signalen voor de gemeente:")
        self.signals_line = staff_label("staff_text")
        self.top_title = staff_label("staff_section", "Hier waren de meeste mensen het mee eens:")
        self.top_lines = [staff_label("staff_text") for _ in range(3)]
        self.done_button = staff_button("Klaar", "summary_done", "Naar het menu.",
                                        "accent", self.icon("check-circle", "on_dark"))
        self.done_button.clicked.connect(self.done)
        footer = QHBoxLayout()
        footer.addStretch(2)
        footer.addWidget(self.done_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self.tiles)
        layout.addWidget(self.signals_title)
        layout.addWidget(self.signals_line)
        layout.addWidget(self.top_title)
        for line in self.top_lines:
            layout.addWidget(line)
        layout.addStretch(1)
        layout.addLayout(footer)

    def show_summary(self, data: SessionSummaryData) -> None:
        """Fill the screen from :func:`kiosk.core.summary.session_summary`."""
        when = dutch_span(data.started, data.ended)
        kind = PLACE_KIND_NAMES.get(data.place_kind, data.place_kind)
        self._set(self.subtitle, f"{data.location} ({kind.lower()}), {when}")
        self._set(self.numbers["visits"], str(data.visits))
        self._set(self.notes["visits"], f"{data.completed_visits} tot het einde")
        self._set(self.numbers["answers"], str(data.answers))
        self._set(self.notes["answers"], f"{data.staff_answers} geturfd" if data.staff_answers
                  else "op het scherm")
        self._set(self.numbers["referrals"], str(data.referrals))
        self._set(self.notes["referrals"], f"{data.printed} geprint")
        self._set(self.numbers["conversations"], str(data.conversations))
        signals = data.signal_total
        self._set(self.notes["conversations"], "1 signaal" if signals == 1
                  else f"{signals} signalen")
        self.signals_title.setVisible(bool(data.signals))
        self.signals_line.setVisible(bool(data.signals))
        self._set(self.signals_line, ",  ".join(f"{s.name}: {s.count}" for s in data.signals))
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

    def _place_cards(self, columns: int) -> None:
        """The number tiles in one row, or two rows of two on a standing screen."""
        if columns == self._columns:
            return
        self._columns = columns
        for index, card in enumerate(self.cards):
            self.tiles.addWidget(card, index // columns, index % columns)
        for column in range(len(self.cards)):
            self.tiles.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._place_cards(2 if self.width() < self.height() else len(self.cards))
        super().resizeEvent(event)

    @staticmethod
    def _set(widget: QLabel, text: str) -> None:
        widget.setText(text)
        widget.setAccessibleName(text)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        self.done_button.setMinimumHeight(round(control * 1.2))
