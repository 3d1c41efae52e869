"""A full-screen Dutch message when the kiosk cannot start (a damaged PIN file).

Staff never see a terminal: what is wrong and what to do is on the screen, with
one button to close the kiosk.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.staff.widgets import staff_button
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import CONTROL_MIN_MM, Pictogram, label, svg_icon


class ProblemScreen(QWidget):
    """A title, what is wrong and what to do, and "Sluiten".

    Signals:
        closed(): "Sluiten" was tapped.
    """

    closed = Signal()

    def __init__(self, title: str, text: str, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problem_screen")
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = theme
        self.pictogram = Pictogram(pictograms, theme.colors["ink"], theme.colors["warm"])
        self.pictogram.set_name("warning-circle")
        self.title = label("staff_title", title)
        self.text = label("staff_text", text)
        self.text.setAccessibleName(text)
        self.close_button = staff_button("Sluiten", "problem_close", "Sluit de kiosk.",
                                         "accent", svg_icon(pictograms, "power",
                                                            theme.colors["on_dark"]))
        self.close_button.clicked.connect(self.closed)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pictogram, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.setStyleSheet(self.theme.stylesheet(self.width(), self.height()))
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        self.close_button.setMinimumSize(control * 3, control)
        self.close_button.setIconSize(QSize(round(control * 0.45), round(control * 0.45)))
        margin = round(min(self.width(), self.height()) * 0.05)
        self.layout().setContentsMargins(margin, margin, margin, margin)
        super().resizeEvent(event)
