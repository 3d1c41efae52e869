"""The screens a passer-by meets: attract, statement, end (thanks and course), idle.

Screens present and forward taps as signals; the window decides what happens.
Sizes that must hold in centimetres are set from the screen's logical DPI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEasingCurve, QRect, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QMouseEvent, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import Course, Statement
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import Pictogram, ProgressDots, QrCode, _svg_bytes

ANSWER_MIN_MM = 32  # answer targets: at least 3 cm high (we keep a margin)
CONTROL_MIN_MM = 21  # every other control: at least 2 cm
HOLD_MS = 1000  # holding an answer this long says its word instead of answering


def svg_icon(folder: Path, name: str, color: str, size: int = 160) -> QIcon:
    """A pictogram as an icon, rendered once at ``size`` pixels."""
    renderer = QSvgRenderer(_svg_bytes(folder / f"{name}.svg", color))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


def label(name: str, text: str = "", wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    widget = QLabel(text, objectName=name, alignment=align)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def button(text: str, name: str, description: str, icon: QIcon | None = None) -> QPushButton:
    """A touch button: a word and a pictogram, named for tests and assistive tech."""
    widget = QPushButton(text, objectName=name)
    widget.setAccessibleName(text)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    if icon is not None:
        widget.setIcon(icon)
    return widget


class AttractScreen(QWidget):
    """Invites from a distance; a tap anywhere starts a visit.

    Signals:
        start(): the screen was tapped.
    """

    start = Signal()

    def __init__(self, pictograms: Path, theme: Theme, library: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract_screen")
        self.setAccessibleName("Begin")
        self.setAccessibleDescription("Tik ergens op het scherm om te beginnen.")
        self.pictogram = Pictogram(pictograms, theme.colors["ink"], theme.colors["warm"])
        self.pictogram.set_name("hand-tap")
        self.title = label("attract_title", "Doe mee!")
        self.line = label("attract_line", "Eens of oneens?\nTik op het scherm.")
        self._library = library
        self.library = label("attract_library", library)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.pictogram, 5)
        layout.addWidget(self.title)
        layout.addWidget(self.line)
        layout.addStretch(1)
        layout.addWidget(self.library)
        # gentle movement: the hand bobs up and down, slowly
        self._motion = QVariantAnimation(self, startValue=0.0, endValue=1.0, duration=1400,
                                         loopCount=-1)
        self._motion.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._motion.valueChanged.connect(self._move)

    def set_paused(self, paused: bool) -> None:
        self.title.setText("Even pauze" if paused else "Doe mee!")
        self.line.setText("We zijn zo terug." if paused else "Eens of oneens?\nTik op het scherm.")
        self.pictogram.set_name("coffee" if paused else "hand-tap")

    def show_preparing(self, done: int, total: int) -> None:
        """Staff see speech being prepared at the start of a session (small, at the bottom)."""
        self.library.setText(self._library if done >= total
                             else f"{self._library} · geluid klaarzetten {done} van {total}")

    def _move(self, value: float) -> None:
        self.pictogram.lift = math.sin(value * math.pi)
        self.pictogram.update()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._motion.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._motion.stop()
        super().hideEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.start.emit()


class StatementScreen(QWidget):
    """One statement: pictogram, text, Eens / Oneens, a quieter Weet ik niet.

    Signals:
        answered(str): "eens", "oneens" or "weet_niet" was tapped.
        back(): "Terug" was tapped.
        speak(): "Luister" was tapped.
        held(str): an answer button was held for a second (say its word; no answer).
    """

    answered = Signal(str)
    back = Signal()
    speak = Signal()
    held = Signal(str)

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statement_screen")
        self._pictograms, self._ink = pictograms, theme.colors["ink"]
        # holding an answer for a second says its word, and does not answer
        self._hold = QTimer(self, singleShot=True, interval=HOLD_MS)
        self._hold.timeout.connect(self._on_hold)
        self._holding: str | None = None
        self._held = False
        ink, white = theme.colors["ink"], theme.colors["on_dark"]
        self.back_button = button("Terug", "back", "Ga terug naar de vorige zin.",
                                  svg_icon(pictograms, "arrow-left", ink))
        self.back_button.clicked.connect(self.back)
        self.speak_button = button("Luister", "speak", "Hoor de zin nog een keer.",
                                   svg_icon(pictograms, "speaker-high", ink))
        self.speak_button.clicked.connect(self.speak)
        self.dots = ProgressDots(theme.colors["dot_done"], theme.colors["dot_todo"])
        self.dots.setObjectName("progress")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.dots, 1)
        top.addWidget(self.speak_button)

        self.pictogram = Pictogram(pictograms, ink, theme.colors["warm"])
        self.pictogram.setObjectName("statement_pictogram")
        self.text = label("statement_text")
        self.peer_line = label("peer_line")
        self.peer_line.setAccessibleName("")

        self.buttons: dict[str, QPushButton] = {}
        answers = QHBoxLayout()
        for answer, text, icon, description in (
            ("eens", "Eens", "thumbs-up", "Ja, dat vind ik ook."),
            ("oneens", "Oneens", "thumbs-down", "Nee, dat vind ik niet."),
        ):
            widget = button(text, f"answer_{answer}", description,
                            svg_icon(pictograms, icon, white))
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.buttons[answer] = widget
            answers.addWidget(widget, 1)
        unsure = button("Weet ik niet", "answer_weet_niet", "Ik weet het niet, of sla over.",
                        svg_icon(pictograms, "question", ink))
        self.buttons["weet_niet"] = unsure
        for answer, widget in self.buttons.items():
            widget.pressed.connect(lambda a=answer: self._pressed(a))
            widget.clicked.connect(lambda _=False, a=answer: self._clicked(a))
        unsure_row = QHBoxLayout()
        unsure_row.addStretch(1)
        unsure_row.addWidget(unsure, 2)
        unsure_row.addStretch(1)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.pictogram, 6)
        self.layout_.addWidget(self.text, 1)
        self.layout_.addWidget(self.peer_line)
        self.layout_.addLayout(answers, 4)
        self.layout_.addLayout(unsure_row)

    def _pressed(self, answer: str) -> None:
        self._holding, self._held = answer, False
        self._hold.start()

    def _on_hold(self) -> None:
        if self._holding and self.buttons[self._holding].isDown():
            self._held = True
            self.held.emit(self._holding)

    def _clicked(self, answer: str) -> None:
        self._hold.stop()
        held, self._held, self._holding = self._held, False, None
        if not held:
            self.answered.emit(answer)

    def set_sound(self, available: bool) -> None:
        """A visible "no sound" mark on the speaker button when speech does not work."""
        name, text = ("speaker-high", "Luister") if available else ("speaker-slash", "Geen geluid")
        self.speak_button.setIcon(svg_icon(self._pictograms, name, self._ink))
        self.speak_button.setText(text)
        self.speak_button.setAccessibleName(text)

    def show_statement(self, statement: Statement, position: int, total: int) -> None:
        self.pictogram.set_name(statement.pictogram)
        self.text.setText(statement.text)
        self.text.setAccessibleName(statement.text)
        self.dots.set_progress(position, total)
        self.back_button.setEnabled(position > 0)
        self.peer_line.setText("")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        margin = round(min(self.width(), self.height()) * 0.03)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(round(margin * 0.6))
        control = math.ceil(CONTROL_MIN_MM * mm)
        for widget in (self.back_button, self.speak_button):
            widget.setMinimumSize(round(control * 1.9), control)
            widget.setIconSize(QSize(round(control * 0.5), round(control * 0.5)))
        self.buttons["weet_niet"].setMinimumHeight(control)
        self.buttons["weet_niet"].setIconSize(QSize(round(control * 0.5), round(control * 0.5)))
        answer = max(math.ceil(ANSWER_MIN_MM * mm), round(self.height() * 0.16))
        for key in ("eens", "oneens"):
            self.buttons[key].setMinimumHeight(answer)
            self.buttons[key].setIconSize(QSize(round(answer * 0.5), round(answer * 0.5)))
        self.pictogram.setMinimumHeight(round(self.height() * 0.18))
        super().resizeEvent(event)
        self._reserve_text_height()

    def set_longest_text(self, text: str) -> None:
        """Keep room for the set's longest statement, so the layout never jumps."""
        self._longest = text
        self._reserve_text_height()

    def _reserve_text_height(self) -> None:
        longest = getattr(self, "_longest", "")
        width = self.width() - 2 * self.layout_.contentsMargins().left()
        if not longest or width <= 0:
            return
        self.text.ensurePolished()
        metrics = QFontMetrics(self.text.font())
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, longest).height()
        self.text.setMinimumHeight(needed + metrics.lineSpacing() // 2)


class EndScreen(QWidget):
    """Thanks, the course that fits with its QR code, and a way to finish.

    Printing (:func:`kiosk.gui.printing.attach_printing`) adds its button with
    :meth:`set_print_button`, sets :attr:`link` (the QR code's address, with the
    session's tags) and shows its kind line with :meth:`show_print_line`.

    Signals:
        done(): "Klaar" was tapped.
        course_shown(object): a course (:class:`Course`) is now on the screen.
    """

    done = Signal()
    course_shown = Signal(object)

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("end_screen")
        self._pictograms, self._ink = pictograms, theme.colors["ink"]
        self.courses: list[Course] = []
        #: The address the QR code holds for a course (printing adds the session's tags).
        self.link: Callable[[Course], str] = lambda course: course.url
        self.print_button: QPushButton | None = None
        self.title = label("thanks_title", "Dank je wel!")
        self.course_pictogram = Pictogram(pictograms, self._ink, theme.colors["warm"])
        self.course_name = label("course_name")
        self.course_line = label("course_line")
        self.other_course = button("", "other_course", "Laat de andere cursus zien.")
        self.other_course.clicked.connect(self._swap)
        card = QWidget(objectName="course_card")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.course_pictogram, 3)
        card_layout.addWidget(self.course_name)
        card_layout.addWidget(self.course_line)
        card_layout.addWidget(self.other_course)
        self.card = card

        self.qr = QrCode()
        self.qr.setObjectName("course_qr")
        self.qr.setAccessibleName("QR-code")
        self.hint = label("qr_hint", "Scan de code met je telefoon.")
        qr_column = QVBoxLayout()
        qr_column.addWidget(self.qr, 1)
        qr_column.addWidget(self.hint)

        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.addWidget(card, 1)
        self.middle.addLayout(qr_column, 1)

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
        self.layout_.addWidget(self.print_line)
        self.layout_.addLayout(bottom)

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
        self.course_line.setText(course.line)
        self.qr.set_url(self.link(course))
        self.qr.setAccessibleDescription(f"Link naar {course.name}")
        others = [c for c in self.courses if c is not course]
        self.other_course.setVisible(bool(others))
        if others:
            self.other_course.setText(f"Of: {others[0].name}")
            self.other_course.setAccessibleName(f"Of: {others[0].name}")
        self.show_print_line("")
        self.course_shown.emit(course)

    def _swap(self) -> None:
        if len(self.courses) > 1:
            self._show((self.courses.index(self.shown) + 1) % len(self.courses))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        portrait = self.height() > self.width()
        self.middle.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        margin = round(min(self.width(), self.height()) * 0.03)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(margin)
        self.middle.setSpacing(margin)
        control = math.ceil(CONTROL_MIN_MM * mm)
        self.next_button.setMinimumHeight(max(control, round(self.height() * 0.12)))
        self.next_button.setIconSize(QSize(round(control * 0.6), round(control * 0.6)))
        if self.print_button is not None:
            self.print_button.setMinimumHeight(self.next_button.minimumHeight())
            self.print_button.setIconSize(self.next_button.iconSize())
        self.other_course.setMinimumHeight(control)
        self.qr.setMinimumSize(round(50 * mm), round(50 * mm))  # 5 cm: scans from a step away
        super().resizeEvent(event)


class IdleScreen(QWidget):
    """"Ben je er nog?" with a countdown; the visit is hidden behind it.

    Signals:
        resume(): "Ja, ik ga door" was tapped.
        stop(): "Stoppen" was tapped.
    """

    resume = Signal()
    stop = Signal()

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idle_screen")
        self.pictogram = Pictogram(pictograms, theme.colors["ink"], theme.colors["warm"])
        self.pictogram.set_name("hourglass-medium")
        self.title = label("idle_title", "Ben je er nog?")
        self.countdown = label("idle_countdown")
        self.continue_button = button("Ja, ik ga door", "idle_continue",
                                      "Ga verder waar je was.",
                                      svg_icon(pictograms, "check-circle",
                                               theme.colors["on_dark"]))
        self.continue_button.clicked.connect(self.resume)
        self.stop_button = button("Stoppen", "idle_stop", "Stop. Je antwoorden zijn bewaard.",
                                  svg_icon(pictograms, "x-circle", theme.colors["ink"]))
        self.stop_button.clicked.connect(self.stop)
        row = QHBoxLayout()
        row.addWidget(self.stop_button, 1)
        row.addWidget(self.continue_button, 2)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.pictogram, 3)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.countdown)
        self.layout_.addLayout(row, 1)

    def set_remaining(self, seconds: int) -> None:
        text = "Nog 1 seconde" if seconds == 1 else f"Nog {seconds} seconden"
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        margin = round(min(self.width(), self.height()) * 0.04)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        control = math.ceil(CONTROL_MIN_MM * mm)
        for widget in (self.continue_button, self.stop_button):
            widget.setMinimumHeight(max(control, round(self.height() * 0.16)))
            widget.setIconSize(QSize(round(control * 0.6), round(control * 0.6)))
        super().resizeEvent(event)
