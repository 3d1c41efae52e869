"""The screens a passer-by meets: attract, statement, end (thanks and course), idle, pause.

Screens present and forward taps as signals; the window decides what happens.
Sizes that must hold in centimetres are set from the screen's logical DPI.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEasingCurve,
    QRect,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QMouseEvent, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import Statement
from kiosk.gui.end_screen import EndScreen  # noqa: F401 - a passer-by screen too
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.widgets import (  # noqa: F401 - svg_icon, label: also from here
    ANSWER_MIN_MM,
    CONTROL_MIN_MM,
    Pictogram,
    ProgressDots,
    QrCode,
    TouchButton,
    _svg_bytes,
    button,
    label,
    plain,
    svg_icon,
)
from kiosk.speech.phrases import PHRASES, countdown_text

HOLD_MS = 1000  # holding an answer this long says its word instead of answering
#: The answer just taken stays marked (check mark and ring) this long over the next
#: statement, while it fades in: the passer-by sees the tap was taken.
MARK_SECONDS = 0.32


class AttractScreen(QWidget):
    """Invites from a distance; a tap anywhere starts a visit, but on "Luister".

    Signals:
        start(): the screen was tapped.
        listen(): "Luister" was tapped: hear the invitation (no visit starts).
    """

    start = Signal()
    listen = Signal()

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
        #: top right, as on the statement screen: hear the invitation before the first tap
        self.speak_button = button("Luister", "attract_speak",
                                   "Hoor wat je hier kunt doen. Er begint nog niets.",
                                   svg_icon(pictograms, "speaker-high", theme.colors["ink"]))
        self.speak_button.clicked.connect(self.listen)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.speak_button)
        layout = QVBoxLayout(self)
        self.layout_ = layout
        layout.addLayout(top)
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
        self.speak_button.setVisible(not paused)  # nothing to invite to during a pause

    def show_preparing(self, done: int, total: int) -> None:
        """Staff see speech being prepared at the start of a session (small, at the bottom)."""
        self.library.setText(self._library if done >= total
                             else f"{self._library} · geluid klaarzetten {done} van {total}")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # sized as the statement screen's Luister: at least a finger, and its word whole
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        margin = round(min(self.width(), self.height()) * 0.03)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.speak_button.setIconSize(QSize(round(control * 0.5), round(control * 0.5)))
        width = min(self.speak_button.sizeHint().width(), round(self.width() * 0.3))
        self.speak_button.setMinimumSize(max(round(control * 1.9), width), control)
        super().resizeEvent(event)

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

    def __init__(self, pictograms: Path, theme: Theme, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("statement_screen")
        #: the answer just taken (marked until MARK_SECONDS after the next statement
        #: appeared), and the mark the statement on screen has of its own
        self.clock = clock
        self.taken: str | None = None
        self._own_mark: str | None = None
        self._mark_until: float | None = None
        self._mark_timer = QTimer(self, singleShot=True)
        self._mark_timer.timeout.connect(self._mark_due)
        self._pictograms, self._ink = pictograms, theme.colors["ink"]
        self._theme = theme
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
        self._rings = {answer: QColor(color) for answer, color in chosen_color.items()}
        answers = QHBoxLayout()
        for answer, (text, icon, description) in self.ANSWER_LOOK.items():
            color = white if answer != "weet_niet" else ink
            self._icons[answer] = svg_icon(pictograms, icon, color)
            widget = button(text, f"answer_{answer}", description, self._icons[answer])
            self.buttons[answer] = widget
            if answer != "weet_niet":
                widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                answers.addWidget(widget, 1)
        # the check mark of an answer taken: a solid disc in the word's colour with the
        # check cut out in the button's colour (a thin outline read as just another icon)
        button_color = {"eens": theme.colors["eens"], "oneens": theme.colors["oneens"],
                        "weet_niet": theme.colors["quiet"]}
        self._chosen_icons = {answer: _check_icon(pictograms, button_color[answer], color)
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
            self._hold_pictogram(extra=True)  # first: showing lays the screen out at once
            self.uitleg.show()
            self.explain.emit()

    def show_peer_line(self, text: str) -> None:
        """The kind "Jij en N anderen" line (only while the word help is closed)."""
        if not self.uitleg.isVisible():
            self.peer_line.setText(text)
            self._hold_pictogram(extra=bool(text))
            self.peer_line.setVisible(bool(text))
            self._hold_pictogram()

    def mark_chosen(self, answer: str) -> None:
        """The answer just tapped: its button gets a check mark and a ring at once, while
        the answer is saved, and keeps them MARK_SECONDS over the next statement."""
        self.taken, self._mark_until = answer, None
        self._mark_timer.stop()
        self._set_marks(answer, ring=True)

    def _set_marks(self, answer: str | None, ring: bool = False) -> None:
        """Mark ``answer``'s button with a check (and with ``ring``: a ring), none other."""
        for key, widget in self.buttons.items():
            icon = self._chosen_icons[key] if key == answer else self._icons[key]
            if icon.cacheKey() != widget.icon().cacheKey():
                widget.setIcon(icon)
            widget.set_ring(self._rings[key] if ring and key == answer else None)

    def _mark_due(self) -> None:
        """The taken answer's time is up (the clock says so): the statement's own marks."""
        if self._mark_until is None:
            return
        left = self._mark_until - self.clock()
        if left > 0:  # a clock that runs slower than the timer (simulated time)
            self._mark_timer.start(max(1, math.ceil(left * 1000)))
            return
        self.release_mark()

    def release_mark(self) -> None:
        """End the taken answer's mark now; the statement shows its own marks."""
        self._mark_timer.stop()
        self.taken, self._mark_until = None, None
        self._set_marks(self._own_mark)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.taken is not None:  # the end screen, a pause, a new visit: no old mark
            self.release_mark()
        super().hideEvent(event)

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
        self._hold_pictogram()
        self._own_mark = answers[position] if position < len(answers) else None
        if self.taken is not None:  # the answer just taken stays marked a moment
            self._mark_until = self.clock() + MARK_SECONDS
            self._mark_timer.start(round(MARK_SECONDS * 1000))
        else:
            self._set_marks(self._own_mark)

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
        self.text.setMinimumHeight(_text_height(self.text.font(), longest, width))
        self._fit_pictogram(longest, width)

    def _fit_pictogram(self, longest: str, width: int) -> None:
        """The pictogram gets the room that is left with the set's longest statement in
        large text, with normal text too: large text never makes it smaller (the
        answers give up their extra room instead)."""
        large = self._theme.sizes(self.width(), self.height(), True)
        font = QFont(self.text.font())
        font.setPixelSize(large["statement"])
        margins, spacing = self.layout_.contentsMargins(), max(0, self.layout_.spacing())
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(self))
        # Terug, Luister and the row under the answers, as high as in large text (ui/kiosk.qss:
        # a line of the quiet buttons' type, padding 0.3em each side, a 3 px border, 2 spare)
        quiet = QFont(self.back_button.font())
        quiet.setPixelSize(large["quiet_button"])
        row = max(control, QFontMetrics(quiet).height() + 2 * round(0.3 * large["quiet_button"])
                  + 8)
        top = row
        rows = 2 if self._portrait else 1
        bottom = rows * row + (rows - 1) * max(0, self.bottom.spacing())
        answers = self.buttons["eens"].minimumHeight()
        room = (self.height() - margins.top() - margins.bottom() - 4 * spacing - top
                - _text_height(font, longest, width) - answers - bottom)
        self._picture_room = max(room, math.ceil(28 * px_per_mm(self)))
        self._hold_pictogram()

    def _hold_pictogram(self, extra: bool | None = None) -> None:
        """The pictogram keeps its room exactly; it gives some up only while the word help
        or the peers line is shown under the statement (``extra``: about to be shown)."""
        room = getattr(self, "_picture_room", 0)
        if not room:
            return
        smallest = math.ceil(28 * px_per_mm(self))
        if extra is None:
            extra = self.uitleg.isVisibleTo(self) or self.peer_line.isVisibleTo(self)
        self.pictogram.setMinimumHeight(smallest if extra else room)
        self.pictogram.setMaximumHeight(room)


def _text_height(font: QFont, text: str, width: int) -> int:
    """The height ``text`` needs, wrapped at ``width`` in ``font``, with half a line spare."""
    metrics = QFontMetrics(font)
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter
    return (metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text).height()
            + metrics.lineSpacing() // 2)


def _white_renderer(folder: Path, name: str, color: str, parent: QWidget) -> QSvgRenderer:
    return QSvgRenderer(_svg_bytes(folder / f"{name}.svg", color), parent)


def _check_icon(folder: Path, check: str, disc: str, size: int = 160) -> QIcon:
    """``check-circle`` as a solid ``disc`` with the check (and rim) in ``check``."""
    data = _svg_bytes(folder / "check-circle.svg", check, disc).replace(
        b'opacity="0.85"', b'opacity="1"')
    renderer = QSvgRenderer(QByteArray(data))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)




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
        # the words as they are read aloud (kiosk.gui.window reads them in this order)
        self.title = label("idle_title", PHRASES["nog-daar"])
        self.countdown = label("idle_countdown")
        self.continue_button = button(PHRASES["ga-door"], "idle_continue",
                                      "Ga verder waar je was.",
                                      svg_icon(pictograms, "check-circle",
                                               theme.colors["on_dark"]))
        self.continue_button.clicked.connect(self.resume)
        self.stop_button = button(PHRASES["stoppen"], "idle_stop",
                                  "Stop. Je antwoorden zijn bewaard.",
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
        text = countdown_text(seconds)
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
