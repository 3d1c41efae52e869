"""The end screen: thanks, the course that fits with its QR code, the people at the stand."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import Course, Library
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import (
    CONTROL_MIN_MM,
    Pictogram,
    QrCode,
    button,
    label,
    svg_icon,
)
from kiosk.speech.phrases import PHRASES, library_lines


class EndScreen(QWidget):
    """Thanks, the course that fits with its QR code, the people at the stand.

    Printing (:func:`kiosk.gui.printing.attach_printing`) adds its button with
    :meth:`set_print_button`, sets :attr:`link` (the QR code's address, with the
    session's tags) and shows its kind line with :meth:`show_print_line`.

    Signals:
        done(): "Klaar" was tapped.
        course_shown(object): a course (:class:`Course`) is now on the screen.
        swapped(object): the passer-by tapped the other course; it is now shown.
    """

    done = Signal()
    course_shown = Signal(object)
    swapped = Signal(object)

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("end_screen")
        self._pictograms, self._ink = pictograms, theme.colors["ink"]
        self.courses: list[Course] = []
        #: The address the QR code holds for a course (printing adds the session's tags).
        self.link: Callable[[Course], str] = lambda course: course.url
        self.print_button: QPushButton | None = None
        # "Dank je wel! Dit past bij jou." read as two phrases, shown as one line
        self.title = label("thanks_title", f"{PHRASES['dank']} {PHRASES['cursus']}")
        self.course_pictogram = Pictogram(pictograms, self._ink, theme.colors["warm"])
        self.course_name = label("course_name")
        self.course_line = label("course_line")
        self.other_course = button("", "other_course", "Laat de andere cursus zien.",
                                   svg_icon(pictograms, "swap", self._ink))
        self.other_course.clicked.connect(self._swap)
        card = QWidget(objectName="course_card")
        card_layout = QGridLayout(card)  # the pictogram beside the name: room on small screens
        card_layout.setRowStretch(0, 1)  # name and line together in the middle: no gap
        card_layout.addWidget(self.course_pictogram, 1, 0, 2, 1, Qt.AlignmentFlag.AlignCenter)
        card_layout.addWidget(self.course_name, 1, 1)
        card_layout.addWidget(self.course_line, 2, 1)
        card_layout.setRowStretch(3, 1)
        card_layout.setColumnStretch(1, 1)
        self.course_pictogram.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.card_layout = card_layout
        self.card = card

        self.qr = QrCode()
        self.qr.setObjectName("course_qr")
        self.qr.setAccessibleName("QR-code")
        self.qr.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.hint = label("qr_hint", PHRASES["scan"])
        #: beside the QR code in portrait: "Scan de code" and the other course
        self.qr_side = QVBoxLayout()
        self.qr_side.addStretch(1)
        self.qr_side.addWidget(self.hint)
        self.qr_side.addStretch(1)
        #: the QR code over "Scan de code"; in portrait side by side
        self.qr_box = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.qr_box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        self.qr_box.addLayout(self.qr_side, 1)
        self._portrait: bool | None = None

        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.addWidget(card, 1)  # the words take what the QR code leaves
        self.middle.addLayout(self.qr_box, 0)
        self._arrange(portrait=False)

        # the people: the conversation at the stand is the real referral
        self.people_pictogram = Pictogram(pictograms, self._ink, theme.colors["warm"])
        self.people_pictogram.set_name("users-three")
        self.people_pictogram.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.people = label("people_line", PHRASES["hulp"], align=Qt.AlignmentFlag.AlignLeft
                            | Qt.AlignmentFlag.AlignVCenter)
        self.library = label("library_line", "", align=Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter)
        people_text = QVBoxLayout()
        people_text.setSpacing(0)
        people_text.addWidget(self.people)
        people_text.addWidget(self.library)
        people_row = QHBoxLayout()
        people_row.addWidget(self.people_pictogram)
        people_row.addLayout(people_text, 1)
        people = QWidget(objectName="people_card")
        people.setLayout(people_row)
        self.people_card = people

        #: Room for the print button (see set_print_button); empty without printing.
        self.print_slot = QHBoxLayout()
        #: A kind line when a slip cannot be printed ("Vraag het aan de medewerker").
        self.print_line = label("print_line")
        self.print_line.hide()
        self.next_button = button("Klaar", "next_visit", "Klaar. Dan mag de volgende.",
                                  svg_icon(pictograms, "check-circle", theme.colors["on_dark"]))
        self.next_button.clicked.connect(self.done)
        bottom = QHBoxLayout()
        bottom.addLayout(self.print_slot, 1)
        bottom.addWidget(self.next_button, 1)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.title)
        self.layout_.addLayout(self.middle, 1)
        self.layout_.addWidget(self.people_card)
        self.layout_.addWidget(self.print_line)
        self.layout_.addLayout(bottom)

    def set_library(self, library: Library) -> None:
        """The library's name, address (or "ask staff") and hours, under the people line."""
        text = " · ".join(library_lines(library))
        self.library.setText(text)
        self.library.setAccessibleName(text)

    def set_print_button(self, widget: QPushButton) -> None:
        """Put the print button beside "Klaar" (sized like it on every resize)."""
        self.print_button = widget
        self.print_slot.addWidget(widget)

    def show_print_line(self, text: str) -> None:
        """Show (or with "" hide) the kind line about printing."""
        self.print_line.setText(text)
        self.print_line.setAccessibleName(text)
        self.print_line.setVisible(bool(text))

    def show_courses(self, courses: list[Course]) -> None:
        """Show the best course with its QR code; a second one is a tap away."""
        self.courses = list(courses)
        self._show(0)

    def _show(self, index: int) -> None:
        course = self.courses[index]
        self.shown = course
        self.course_pictogram.set_name(course.pictogram)
        self.course_name.setText(course.name)
        self.course_name.setAccessibleName(course.name)
        self.course_line.setText(course.line)
        self.course_line.setAccessibleName(course.line)
        self.qr.set_url(self.link(course))
        self.qr.setAccessibleDescription(f"Link naar {course.name}")
        others = [c for c in self.courses if c is not course]
        self.other_course.setVisible(bool(others))
        if others:
            self.other_course.set_plain_text(f"Of: {others[0].name}")
        self.show_print_line("")
        self.course_shown.emit(course)

    def _swap(self) -> None:
        if len(self.courses) > 1:
            self._show((self.courses.index(self.shown) + 1) % len(self.courses))
            self.swapped.emit(self.shown)

    def _arrange(self, portrait: bool) -> None:
        """Landscape: the card beside the QR code, "Of: ..." under the course. Portrait:
        the card above the QR code, "Scan de code" and "Of: ..." beside the code."""
        if portrait == self._portrait:
            return
        self._portrait = portrait
        self.middle.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self.qr_box.setDirection(
            QBoxLayout.Direction.LeftToRight if portrait else QBoxLayout.Direction.TopToBottom
        )
        self.card_layout.removeWidget(self.other_course)
        self.qr_side.removeWidget(self.other_course)
        if portrait:
            self.qr_side.insertWidget(2, self.other_course)
        else:
            self.card_layout.addWidget(self.other_course, 4, 0, 1, 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        width, height = self.width(), self.height()
        self._arrange(portrait=height > width)
        # The QR code and the pictogram are sized from the screen alone, never from
        # the text: large text takes its room from the words' own space.
        self.qr.setFixedSize(*[qr_side(width, height, mm)] * 2)
        side = round(min(width, height) * 0.16)
        self.course_pictogram.setFixedSize(side, side)
        margin = round(min(self.width(), self.height()) * 0.025)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(round(margin * 0.7))
        self.middle.setSpacing(margin)
        inner = round(margin * 0.5)
        self.card_layout.setContentsMargins(inner, inner, inner, inner)
        self.card_layout.setVerticalSpacing(0)
        control = math.ceil(CONTROL_MIN_MM * mm)
        self.next_button.setMinimumHeight(max(control, round(self.height() * 0.09)))
        self.next_button.setIconSize(QSize(round(control * 0.6), round(control * 0.6)))
        if self.print_button is not None:
            self.print_button.setMinimumHeight(self.next_button.minimumHeight())
            self.print_button.setIconSize(self.next_button.iconSize())
        self.other_course.setMinimumHeight(control)
        self.other_course.setIconSize(QSize(round(control * 0.45), round(control * 0.45)))
        side = max(control, round(self.height() * 0.08))
        self.people_pictogram.setFixedSize(side, side)
        super().resizeEvent(event)


#: The QR code is never smaller than this on the screen: a phone scans it from a step away.
QR_MIN_MM = 35


def qr_side(width: int, height: int, mm: float) -> int:
    """The QR code's side in pixels on a ``width`` x ``height`` screen (``mm``: pixels
    per millimetre): a share of the screen, at least :data:`QR_MIN_MM`; text size
    plays no part."""
    if height > width:  # portrait; a squarer one (768x1024) has less height to spare
        share = (min(height * 0.32, width * 0.55) if height >= 1.5 * width
                 else min(height * 0.22, width * 0.45))
    else:
        share = min(height * 0.40, width * 0.30)
    return max(round(share), math.ceil(QR_MIN_MM * mm))
