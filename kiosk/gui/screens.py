"""The screens a passer-by sees: one statement at a time, then thanks and a course."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import Course, Statement
from kiosk.gui.widgets import Pictogram, QrCode, _svg_bytes

INK = "#1f3a5f"


def svg_icon(folder: Path, name: str, color: str, size: int = 128) -> QIcon:
    """A pictogram as an icon, rendered once at ``size`` pixels."""
    renderer = QSvgRenderer(_svg_bytes(folder / f"{name}.svg", color))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


def big_button(text: str, name: str, description: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.setAccessibleDescription(description)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return button


class StatementScreen(QWidget):
    """One statement: pictogram, text, and two big answers.

    Signals:
        answered(str): the passer-by tapped an answer ("eens" or "oneens").
    """

    answered = Signal(str)

    def __init__(self, pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statement_screen")
        self.progress = QLabel(objectName="progress", alignment=Qt.AlignmentFlag.AlignCenter)
        self.pictogram = Pictogram(pictograms, INK)
        self.pictogram.setObjectName("statement_pictogram")
        self.text = QLabel(objectName="statement_text", alignment=Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(32)
        for answer, label, icon, description in (
            ("eens", "Eens", "thumbs-up", "Ik ben het eens met de zin."),
            ("oneens", "Oneens", "thumbs-down", "Ik ben het niet eens met de zin."),
        ):
            button = big_button(label, f"answer_{answer}", description)
            button.setIcon(svg_icon(pictograms, icon, "#ffffff"))
            button.clicked.connect(lambda _=False, a=answer: self.answered.emit(a))
            self.buttons[answer] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 40)
        layout.setSpacing(16)
        layout.addWidget(self.progress)
        layout.addWidget(self.pictogram, 4)
        layout.addWidget(self.text, 2)
        layout.addLayout(row, 3)

    def show_statement(self, statement: Statement, position: int, total: int) -> None:
        self.pictogram.set_name(statement.pictogram)
        self.text.setText(statement.text)
        self.text.setAccessibleName(statement.text)
        self.progress.setText(f"{position + 1} van {total}")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        side = max(48, self.height() // 9)
        for button in self.buttons.values():
            button.setIconSize(QSize(side, side))
        super().resizeEvent(event)


class ThanksScreen(QWidget):
    """Thanks, the course that fits, and its QR code.

    Signals:
        done(): the passer-by is finished (tap on "Klaar").
    """

    done = Signal()

    def __init__(self, pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thanks_screen")
        title = QLabel("Dank je wel!", objectName="thanks_title",
                       alignment=Qt.AlignmentFlag.AlignCenter)
        self.course_pictogram = Pictogram(pictograms, INK)
        self.course_name = QLabel(objectName="course_name")
        self.course_line = QLabel(objectName="course_line")
        self.course_line.setWordWrap(True)
        self.qr = QrCode()
        self.qr.setObjectName("course_qr")
        self.qr.setAccessibleName("QR-code")
        self.hint = QLabel("Scan de code met je telefoon.", objectName="qr_hint",
                           alignment=Qt.AlignmentFlag.AlignCenter)
        self.next_button = big_button("Klaar", "next_visit", "Klaar. De volgende mag.")
        self.next_button.setIcon(svg_icon(pictograms, "check-circle", "#ffffff"))
        self.next_button.setIconSize(QSize(64, 64))
        self.next_button.clicked.connect(self.done)

        course_text = QVBoxLayout()
        course_text.addStretch(1)
        course_text.addWidget(self.course_name)
        course_text.addWidget(self.course_line)
        course_text.addStretch(1)
        card = QHBoxLayout()
        card.addWidget(self.course_pictogram, 1)
        card.addLayout(course_text, 2)
        qr_column = QVBoxLayout()
        qr_column.addWidget(self.qr, 1)
        qr_column.addWidget(self.hint)
        card.addLayout(qr_column, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 40)
        layout.addWidget(title)
        layout.addLayout(card, 5)
        layout.addWidget(self.next_button, 1)

    def show_courses(self, courses: list[Course]) -> None:
        course = courses[0]
        self.course_pictogram.set_name(course.pictogram)
        self.course_name.setText(course.name)
        self.course_line.setText(course.line)
        self.qr.set_url(course.url)
        self.qr.setAccessibleDescription(f"Link naar {course.name}: {course.url}")
