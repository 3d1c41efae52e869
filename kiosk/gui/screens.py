"""The screens a passer-by meets: attract, statement, end (thanks and course), idle, pause.

Screens present and forward taps as signals; the window decides what happens.
Sizes that must hold in centimetres are set from the screen's logical DPI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEasingCurve, QRect, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QMouseEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import Course, Library, Statement
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import (  # noqa: F401 - svg_icon, label: also from here
    ANSWER_MIN_MM,
    CONTROL_MIN_MM,
    Pictogram,
    ProgressDots,
    QrCode,
    TouchButton,
    _svg_bytes,
    label,
    plain,
    svg_icon,
)
from kiosk.speech.phrases import PHRASES, library_lines

HOLD_MS = 1000  # holding an answer this long says its word instead of answering


def button(text: str, name: str, description: str, icon: QIcon | None = None) -> TouchButton:
    """A touch button: a word and a pictogram, named for tests and assistive tech.

    ``text`` is shown literally ("Klik & Tik" keeps its ``&``).
    """
    widget = TouchButton(plain(text), objectName=name)
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
        self.library.setAccessibleName(library)
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

    Beside "Weet ik niet": "Wat is dat?" (only when the statement has word
    help) and "Klaar" (from the first answer on: straight to the courses).

    Signals:
        answered(str): "eens", "oneens" or "weet_niet" was tapped.
        back(): "Terug" was tapped.
        speak(): "Luister" was tapped.
        explain(): "Wat is dat?" was tapped (the word help is now shown).
        finish(): "Klaar" was tapped.
        held(str): a button was held for a second (say its word; nothing else
            happens): an answer, or "klaar-vroeg" for "Klaar".
    """

    answered = Signal(str)
    back = Signal()
    speak = Signal()
    explain = Signal()
    finish = Signal()
    held = Signal(str)

    #: answer -> (word, pictogram, description), in screen order
    ANSWER_LOOK = {
        "eens": ("Eens", "thumbs-up", "Ja, dat vind ik ook."),
        "oneens": ("Oneens", "thumbs-down", "Nee, dat vind ik anders."),
        "weet_niet": ("Weet ik niet", "question", "Ik weet het niet, of sla over."),
    }

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statement_screen")
        self._pictograms, self._ink = pictograms, theme.colors["ink"]
        # holding a button for a second says its word, and does not press it
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
        marks = {answer: (theme.colors[color], _white_renderer(pictograms, icon, white, self))
                 for answer, color, icon in (("eens", "eens", "thumbs-up"),
                                             ("oneens", "oneens", "thumbs-down"),
                                             ("weet_niet", "muted", "question"))}
        self.dots = ProgressDots(theme.colors["dot_done"], theme.colors["dot_todo"], marks)
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
        self.peer_line.hide()
        #: the word help ("DigiD is ..."), shown under the statement after "Wat is dat?"
        self.uitleg = label("uitleg_line")
        self.uitleg.hide()
        self.statement: Statement | None = None

        self.buttons: dict[str, QPushButton] = {}
        self._icons: dict[str, QIcon] = {}
        chosen_color = {"eens": white, "oneens": white, "weet_niet": ink}
        answers = QHBoxLayout()
        for answer, (text, icon, description) in self.ANSWER_LOOK.items():
            color = white if answer != "weet_niet" else ink
            self._icons[answer] = svg_icon(pictograms, icon, color)
            widget = button(text, f"answer_{answer}", description, self._icons[answer])
            self.buttons[answer] = widget
            if answer != "weet_niet":
                widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                answers.addWidget(widget, 1)
        self._chosen_icons = {answer: svg_icon(pictograms, "check-circle", color)
                              for answer, color in chosen_color.items()}
        self.explain_button = button("Wat is dat?", "explain", "Hoor wat het woord betekent.",
                                     svg_icon(pictograms, "info", ink))
        self.explain_button.clicked.connect(self._explain)
        self.finish_button = button("Klaar", "finish_early",
                                    "Stop hier. Dan zie je wat bij jou past.",
                                    svg_icon(pictograms, "flag-checkered", ink))
        holdable = {**self.buttons, "klaar-vroeg": self.finish_button}
        for key, widget in holdable.items():
            widget.pressed.connect(lambda k=key: self._pressed(k))
            widget.clicked.connect(lambda _=False, k=key: self._clicked(k))
        #: Wat is dat? | Weet ik niet | Klaar; in portrait Weet ik niet above the other two
        self.bottom = QGridLayout()
        self._portrait: bool | None = None
        for widget in (self.explain_button, self.buttons["weet_niet"], self.finish_button):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the row never jumps
            widget.setSizePolicy(policy)
        self._place_bottom(portrait=False)
        self.explain_button.hide()
        self.finish_button.hide()

        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.pictogram, 6)
        self.layout_.addWidget(self.text, 1)
        self.layout_.addWidget(self.peer_line)
        self.layout_.addWidget(self.uitleg)
        self.layout_.addLayout(answers, 4)
        self.layout_.addLayout(self.bottom)

    def _place_bottom(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        explain, unsure, finish = (self.explain_button, self.buttons["weet_niet"],
                                   self.finish_button)
        for widget in (explain, unsure, finish):
            self.bottom.removeWidget(widget)
        if portrait:
            self.bottom.addWidget(unsure, 0, 0, 1, 2)
            self.bottom.addWidget(explain, 1, 0)
            self.bottom.addWidget(finish, 1, 1)
        else:
            self.bottom.addWidget(explain, 0, 0)
            self.bottom.addWidget(unsure, 0, 1)
            self.bottom.addWidget(finish, 0, 2)
        for column in range(3):
            self.bottom.setColumnStretch(column, 1 if column < (2 if portrait else 3) else 0)

    def _pressed(self, key: str) -> None:
        self._holding, self._held = key, False
        self._hold.start()

    def _on_hold(self) -> None:
        holding = self._holding
        widget = self.finish_button if holding == "klaar-vroeg" else self.buttons.get(holding or "")
        if holding and widget is not None and widget.isDown():
            self._held = True
            self.held.emit(holding)

    def _clicked(self, key: str) -> None:
        self._hold.stop()
        held, self._held, self._holding = self._held, False, None
        if held:
            return
        if key == "klaar-vroeg":
            self.finish.emit()
        else:
            self.answered.emit(key)

    def _explain(self) -> None:
        if self.statement is not None and self.statement.uitleg:
            self.peer_line.setText("")
            self.peer_line.hide()
            self.uitleg.show()
            self.explain.emit()

    def show_peer_line(self, text: str) -> None:
        """The kind "Jij en N anderen" line (only while the word help is closed)."""
        if not self.uitleg.isVisible():
            self.peer_line.setText(text)
            self.peer_line.setVisible(bool(text))

    def mark_chosen(self, answer: str | None) -> None:
        """Mark ``answer``'s button with a check (the answer just given, or given before)."""
        for key, widget in self.buttons.items():
            widget.setIcon(self._chosen_icons[key] if key == answer else self._icons[key])

    def set_sound(self, available: bool) -> None:
        """A visible "no sound" mark on the speaker button when speech does not work."""
        name, text = ("speaker-high", "Luister") if available else ("speaker-slash", "Geen geluid")
        self.speak_button.setIcon(svg_icon(self._pictograms, name, self._ink))
        self.speak_button.set_plain_text(text)

    def show_statement(self, statement: Statement, position: int, total: int,
                       answers: list[str | None] | None = None, can_finish: bool = False) -> None:
        """Show ``statement`` (number ``position`` of ``total`` in this visit).

        Args:
            answers: the answer given to each statement of the visit so far (None: none);
                the dots show them, and this statement's earlier answer is marked.
            can_finish: show "Klaar" (the visit has at least one answer).
        """
        answers = answers or []
        self.statement = statement
        self.pictogram.set_name(statement.pictogram)
        self.text.setText(statement.text)
        self.text.setAccessibleName(statement.text)
        self.dots.set_progress(position, total, answers)
        self.back_button.setEnabled(position > 0)
        self.peer_line.setText("")
        self.peer_line.hide()  # no empty line: the room goes to the pictogram
        self.uitleg.hide()
        self.uitleg.setText(statement.uitleg)
        self.uitleg.setAccessibleName(statement.uitleg)
        self.explain_button.setVisible(bool(statement.uitleg))
        self.finish_button.setVisible(can_finish)
        self.mark_chosen(answers[position] if position < len(answers) else None)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        margin = round(min(self.width(), self.height()) * 0.03)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(round(margin * 0.6))
        control = math.ceil(CONTROL_MIN_MM * mm)
        icon = QSize(round(control * 0.5), round(control * 0.5))
        self._place_bottom(portrait=self.height() > self.width())
        self.bottom.setSpacing(round(margin * 0.6))
        for widget in (self.back_button, self.speak_button):
            widget.setIconSize(icon)
            width = min(widget.sizeHint().width(), round(self.width() * 0.3))
            widget.setMinimumSize(max(round(control * 1.9), width), control)
        for widget in (self.buttons["weet_niet"], self.explain_button, self.finish_button):
            widget.setMinimumHeight(control)
            widget.setIconSize(icon)
        answer = max(math.ceil(ANSWER_MIN_MM * mm), round(self.height() * 0.16))
        for key in ("eens", "oneens"):
            self.buttons[key].setMinimumHeight(answer)
            self.buttons[key].setIconSize(QSize(round(answer * 0.5), round(answer * 0.5)))
        # the pictogram is the statement for people who read little: never a stamp
        self.pictogram.setMinimumHeight(max(round(self.height() * 0.15), round(28 * mm)))
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


def _white_renderer(folder: Path, name: str, color: str, parent: QWidget) -> QSvgRenderer:
    return QSvgRenderer(_svg_bytes(folder / f"{name}.svg", color), parent)


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
        card_layout.addWidget(self.course_pictogram, 0, 0, 2, 1)
        card_layout.addWidget(self.course_name, 0, 1)
        card_layout.addWidget(self.course_line, 1, 1)
        card_layout.addWidget(self.other_course, 2, 0, 1, 2)
        card_layout.setColumnStretch(0, 1)
        card_layout.setColumnStretch(1, 4)
        card_layout.setRowStretch(0, 1)
        card_layout.setRowStretch(1, 1)
        self.card = card

        self.qr = QrCode()
        self.qr.setObjectName("course_qr")
        self.qr.setAccessibleName("QR-code")
        self.hint = label("qr_hint", PHRASES["scan"])
        qr_column = QVBoxLayout()
        qr_column.addWidget(self.qr, 1)
        qr_column.addWidget(self.hint)

        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.addWidget(card, 3)  # the words need the room; the QR code keeps 5 cm
        self.middle.addLayout(qr_column, 2)

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

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        portrait = self.height() > self.width()
        self.middle.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        margin = round(min(self.width(), self.height()) * 0.025)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(round(margin * 0.7))
        self.middle.setSpacing(margin)
        control = math.ceil(CONTROL_MIN_MM * mm)
        self.next_button.setMinimumHeight(max(control, round(self.height() * 0.11)))
        self.next_button.setIconSize(QSize(round(control * 0.6), round(control * 0.6)))
        if self.print_button is not None:
            self.print_button.setMinimumHeight(self.next_button.minimumHeight())
            self.print_button.setIconSize(self.next_button.iconSize())
        self.other_course.setMinimumHeight(control)
        self.other_course.setIconSize(QSize(round(control * 0.45), round(control * 0.45)))
        side = max(control, round(self.height() * 0.08))
        self.people_pictogram.setFixedSize(side, side)
        self.qr.setMinimumSize(round(50 * mm), round(50 * mm))  # 5 cm: scans from a step away
        super().resizeEvent(event)


class PauseScreen(QWidget):
    """"Even pauze. Vraag de medewerker.": the kiosk cannot save right now.

    Calm, no details and no buttons: a tap does nothing. Staff read what is
    wrong in the staff menu; the kiosk goes on by itself when saving works again.
    """

    TITLE = "Even pauze."
    LINE = "Vraag de medewerker."

    def __init__(self, pictograms: Path, theme: Theme, large_text: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pause_screen")
        self.theme, self.large_text = theme, large_text
        self.setAccessibleName(self.TITLE)
        self.setAccessibleDescription(self.LINE)
        self.pictogram = Pictogram(pictograms, theme.colors["ink"], theme.colors["warm"])
        self.pictogram.set_name("hand-waving")
        self.title = label("pause_title", self.TITLE)
        self.line = label("pause_line", self.LINE)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.pictogram, 5)
        layout.addWidget(self.title)
        layout.addWidget(self.line)
        layout.addStretch(1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # the type sizes of the attract screen's title and line, for this screen size
        sizes = self.theme.sizes(self.width(), self.height(), self.large_text)
        self.title.setStyleSheet(f"font-size: {sizes['title']}px; font-weight: bold;")
        self.line.setStyleSheet(f"font-size: {sizes['body']}px;")
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
        self.row = QHBoxLayout()
        self.row.addWidget(self.stop_button, 1)
        self.row.addWidget(self.continue_button, 2)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.pictogram, 3)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.countdown)
        self.layout_.addSpacing(0)  # keeps the countdown off the buttons (see resizeEvent)
        self.layout_.addLayout(self.row, 1)

    def set_remaining(self, seconds: int) -> None:
        text = "Nog 1 seconde" if seconds == 1 else f"Nog {seconds} seconden"
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        mm = px_per_mm(self)
        margin = round(min(self.width(), self.height()) * 0.04)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(margin // 2)
        spacer = self.layout_.itemAt(3).spacerItem()
        if spacer is not None:  # the gap between the countdown and the buttons
            spacer.changeSize(0, margin)
        self.row.setSpacing(margin)
        control = math.ceil(CONTROL_MIN_MM * mm)
        for widget in (self.continue_button, self.stop_button):
            widget.setMinimumHeight(max(control, round(self.height() * 0.16)))
            widget.setIconSize(QSize(round(control * 0.6), round(control * 0.6)))
        super().resizeEvent(event)
