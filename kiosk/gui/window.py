"""The kiosk window: attract, statements, end, idle; then the next visit.

The window presents and forwards; the visit's state lives in
:class:`kiosk.core.visit.Visit` and every answer goes to the recorder (the one
writer, on its own thread). A tap is acknowledged (the next statement appears)
only once the recorder has committed it to disk.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QEvent, QObject, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QKeyEvent, QPixmapCache
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.failures import SaveFailure, probe, save_failure
from kiosk.core.model import Content, StatementSet
from kiosk.core.recorder import Recorder
from kiosk.core.rotation import Rotation
from kiosk.core.visit import Visit
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.fit import PageStack
from kiosk.gui.screens import AttractScreen, EndScreen, IdleScreen, PauseScreen, StatementScreen
from kiosk.gui.theme import Theme
from kiosk.gui.widgets import PIXMAP_CACHE_KB
from kiosk.gui.window_time import (  # noqa: F401 - the times: also from here
    END_SECONDS,
    IDLE_AFTER,
    IDLE_COUNTDOWN,
    INVITATION_KEY,
    PROBE_SECONDS,
    WALK_AWAY_END_SECONDS,
    KioskTimes,
)
from kiosk.speech.phrases import PHRASES, course_key, course_text, end_screen_items, uitleg_key

if TYPE_CHECKING:
    from kiosk.speech.speaker import Speaker

TAP_FILTER = 0.6  # taps this soon after a screen change are ignored
TICK_MS = 250
#: Pictograms of the next statements are rendered this long after one is shown
#: (after its paint, before the next tap).
PREPARE_AFTER_MS = 40
#: A statement is read aloud this long after it is shown. The player's commands are
#: queued events, and Qt paints only after the queued events (its paint request has a
#: low priority): started at once, opening the clip (FFmpeg) came before the new
#: statement's paint and pushed it past a frame on a busy 2-core machine.
SPEAK_AFTER_MS = 1
PEERS_MINIMUM = 5  # "Jij en N anderen" only when N >= this (small counts identify)
RESUMED = "Opslaan lukt weer. De kiosk gaat verder."
PAUSE_KEY = "pauze-opslaan"  # what the pause screen says aloud

log = logging.getLogger("kiosk.window")

KEYS = {  # a physical button box, or a keyboard
    key.value: action for key, action in (
        (Qt.Key.Key_1, "eens"), (Qt.Key.Key_2, "oneens"), (Qt.Key.Key_3, "weet_niet"),
        (Qt.Key.Key_4, "speak"), (Qt.Key.Key_Left, "back"), (Qt.Key.Key_Backspace, "back"),
        (Qt.Key.Key_Return, "go"), (Qt.Key.Key_Enter, "go"), (Qt.Key.Key_Space, "go"),
        (Qt.Key.Key_Right, "go"),
    )
}
TOUCH_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                QEvent.Type.TouchBegin)


class KioskWindow(KioskTimes, QWidget):
    """The passer-by's kiosk.

    Signals:
        screen_changed(str): "attract", "statement", "end" or "idle" became visible.
        statement_shown(str): a statement (its id) appeared; speech listens to this.
        answer_saved(str, str): statement id and answer are on disk.
        visit_finished(list): the visit reached the end screen; the suggested course ids.
        referrals_recorded(dict): course id -> referral id, once the end screen's
            suggestions are on disk (a printed slip marks its referral).
        speak_requested(str): the passer-by asked to hear the statement (its id) again.
        store_failed(str): saving failed: what is wrong and what to do, in Dutch for
            staff. Passers-by see the calm pause screen until saving works again.
        store_recovered(): saving works again; the kiosk went on by itself.
    """

    screen_changed = Signal(str)
    statement_shown = Signal(str)
    answer_saved = Signal(str, str)
    visit_finished = Signal(list)
    referrals_recorded = Signal(dict)
    speak_requested = Signal(str)
    store_failed = Signal(str)
    store_recovered = Signal()

    def __init__(
        self,
        content: Content,
        statement_set: StatementSet,
        recorder: Recorder,
        session_id: str,
        pictograms: Path,
        theme: Theme,
        *,
        clock: Callable[[], float] = time.monotonic,
        large_text: bool = False,
        show_peers: bool = False,
        speaker: Speaker | None = None,
        read_aloud: bool = True,
        per_visit: int | None = None,
        rng: random.Random | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_window")
        self.setWindowTitle("Stellingenkiosk")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.content, self.statement_set = content, statement_set
        self.recorder, self.session_id = recorder, session_id
        self.theme, self.large_text, self.show_peers = theme, large_text, show_peers
        self.clock = clock
        #: Speech (None: silent). ``read_aloud``: read each statement when it appears.
        self.speaker, self.read_aloud = speaker, read_aloud
        #: Read the invitation every this many minutes while the attract screen waits
        #: untouched (0: never); from library.toml, staff change it on "Instellingen".
        self.invitation_minutes = content.library.invitation_minutes
        #: True while staff have something open over the kiosk (the quick bar): no invitation.
        self.quiet_while: Callable[[], bool] = lambda: False
        self._invited_at = clock()
        #: The end screen shows a visit nobody came back to (see WALK_AWAY_END_SECONDS).
        self._walked_away = False
        #: The finished visit on the end screen, and the courses whose QR code was shown.
        self._end_ref: Future[str] | None = None
        self._qr_seen: set[str] = set()
        self.owns_speaker = False  # True: shut the speaker down when the window closes
        self.paused = False
        self.bridge = FutureBridge(self)
        #: picks each visit's statements: the least-answered of this session first
        self.rotation = Rotation(statement_set.statements, per_visit, rng=rng)
        self.per_visit = per_visit
        self.visit = Visit(statement_set.statements)
        self._visit_ref: Future[str] | None = None  # the stored visit, from its first answer
        self._busy = False
        self._changed_at = -TAP_FILTER
        self._last_touch = clock()
        self._entered_at = clock()
        self._swallow_release = False
        #: While saving fails: why (else None). The writes that failed wait in
        #: ``_retries`` and are tried again every PROBE_SECONDS (see :meth:`tick`).
        self.failure: SaveFailure | None = None
        self._retries: list[tuple[Callable[[], Future], Callable]] = []
        self._before_fault = "attract"
        self._acknowledge: list[Callable[[], None]] = []
        self._probe_at = 0.0
        self._probing = False

        self.attract = AttractScreen(pictograms, theme, content.library.name)
        self.statement_screen = StatementScreen(pictograms, theme, clock=clock)
        self.statement_screen.set_longest_text(
            max((s.text for s in statement_set.statements), key=len)
        )
        self.end_screen = EndScreen(pictograms, theme)
        self.end_screen.set_library(content.library)
        self.idle_screen = IdleScreen(pictograms, theme)
        self.pause_screen = PauseScreen(pictograms, theme, large_text)
        self.stack = PageStack(self)  # hidden screens laid out for this size too
        self._screens = {"attract": self.attract, "statement": self.statement_screen,
                         "end": self.end_screen, "idle": self.idle_screen,
                         "pause": self.pause_screen}
        for screen in self._screens.values():
            self.stack.addWidget(screen)

        self.attract.start.connect(self.start_visit)
        self.attract.listen.connect(self.invite)
        self.statement_screen.answered.connect(self.answer)
        self.statement_screen.back.connect(self.back)
        self.statement_screen.speak.connect(self._speak)
        self.statement_screen.held.connect(self.say_phrase)
        self.statement_screen.explain.connect(self._explain)
        self.statement_screen.finish.connect(self.finish_early)
        if speaker is not None:
            self.attach_speaker(speaker)
        self.end_screen.done.connect(self._done)
        self.end_screen.swapped.connect(self._read_course)
        self.end_screen.swapped.connect(self._qr_shown)
        self.idle_screen.resume.connect(self._resume)
        self.idle_screen.stop.connect(self._leave)

        self._fade = self._fader(self.statement_screen.pictogram)
        self._read_next = QTimer(self, singleShot=True, interval=SPEAK_AFTER_MS)
        self._read_next.timeout.connect(self._read_statement)
        # pictograms rendered ahead, one per turn of the event loop (see _prepare_next)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self._to_prepare: list[str] = []
        self._preparer = QTimer(self, singleShot=True)
        self._preparer.timeout.connect(self._prepare_next)
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        QApplication.instance().installEventFilter(self)
        from kiosk.gui.touch import install_palm_guard

        install_palm_guard()  # a palm on the screen answers nothing
        self._show("attract")

    # -- screens -------------------------------------------------------------

    @property
    def current_screen(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, screen in self._screens.items() if screen is current)

    def _show(self, name: str) -> None:
        self.stack.setCurrentWidget(self._screens[name])
        self._changed_at = self._entered_at = self.clock()
        if name != "end":
            self._walked_away = False
        self.screen_changed.emit(name)

    def _fader(self, pictogram) -> QVariantAnimation:
        """A short fade-in of the pictogram: the screen visibly moves on.

        Painted with the painter's opacity (no graphics effect, which would
        render the widget twice), so a tap during the fade still paints at once.
        """
        fade = QVariantAnimation(self, startValue=0.1, endValue=1.0, duration=220)
        fade.setEasingCurve(QEasingCurve.Type.OutCubic)

        def step(value: float) -> None:
            pictogram.opacity = value
            pictogram.update()

        fade.valueChanged.connect(step)
        return fade

    def _show_statement(self) -> None:
        visit = self.visit
        statement = visit.current
        assert statement is not None
        self.statement_screen.show_statement(
            statement, visit.position, visit.total,
            answers=[visit.answers.get(s.id) for s in visit.statements],
            can_finish=bool(visit.answers))
        self._fade.stop()
        self._fade.start()
        if self.current_screen != "statement":
            self._show("statement")
        else:
            self._changed_at = self.clock()
        self.statement_shown.emit(statement.id)
        if self.read_aloud:  # after the statement's first paint (see SPEAK_AFTER_MS)
            self._read_next.start()
        # the rest of this visit first, then the whole set: a tap then shows a
        # pictogram that is already rendered at this size
        upcoming = [s.pictogram for s in visit.statements[visit.position:]]
        self._to_prepare = list(dict.fromkeys(
            [*upcoming, *(s.pictogram for s in self.statement_set.statements)]))
        self._preparer.start(PREPARE_AFTER_MS)

    def _prepare_next(self) -> None:
        """Render one waiting pictogram; the next one on the next turn of the event loop."""
        if self._to_prepare and self.current_screen == "statement":
            self.statement_screen.pictogram.prepare([self._to_prepare.pop(0)])
            if self._to_prepare:
                self._preparer.start(0)

    def attach_speaker(self, speaker: Speaker) -> None:
        """Speak through ``speaker``; show "Geen geluid" when it has no voice."""
        self.speaker = speaker
        # A method, not a lambda: Qt drops the connection when this window is deleted.
        # The Speaker outlives each session's window (``kiosk run``); a lambda kept every
        # old window alive and, once speech failed, raised on its deleted widgets.
        speaker.unavailable.connect(self._sound_lost)
        speaker.progress.connect(self.attract.show_preparing)
        self.statement_screen.set_sound(speaker.available)

    def _sound_lost(self, _message: str) -> None:
        self.statement_screen.set_sound(False)

    def _say(self, key: str, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(key, text)

    def say_phrase(self, key: str) -> None:
        """Say one of the fixed phrases (:data:`~kiosk.speech.phrases.PHRASES`)."""
        self._say(key, PHRASES[key])

    def _hush(self) -> None:
        self._read_next.stop()
        if self.speaker is not None:
            self.speaker.stop()

    def _read_statement(self) -> None:
        """Read the statement on screen aloud (shown a moment ago)."""
        statement = self.visit.current
        if statement is not None and self.current_screen == "statement":
            self._say(statement.id, statement.text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.setStyleSheet(self.theme.stylesheet(self.width(), self.height(), self.large_text))
        super().resizeEvent(event)
        self.statement_screen._reserve_text_height()  # the new type size needs new room

    # -- the visit -----------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        """Staff pause the stand: "Even pauze" on the attract screen, taps do nothing."""
        self.paused = paused
        self.to_attract()
        self.attract.set_paused(paused)

    def start_visit(self) -> None:
        """A fresh visit: the next person never sees the previous person's answers."""
        if self.paused or self.failure is not None:
            return
        self.visit = Visit(self.rotation.pick())
        self._visit_ref = None
        self._busy = False
        self._last_touch = self.clock()
        self._show_statement()

    def to_attract(self) -> None:
        """Back to the start; whatever was answered is already on disk."""
        self.visit = Visit(self.statement_set.statements)
        self._visit_ref = None
        self._busy = False
        self._hush()
        if self.failure is not None:  # saving still fails: the pause screen stays
            self._before_fault = "attract"
            if self.current_screen != "pause":
                self._show("pause")
            return
        self._show("attract")

    def answer(self, value: str) -> None:
        if self._busy or self.visit.finished or self.current_screen != "statement":
            return  # one answer per statement: taps during the save are ignored
        self._busy = True
        self._hush()  # a new tap stops current speech
        visit = self.visit
        self.statement_screen.mark_chosen(value)  # seen at once, while the answer is saved
        statement = visit.current
        assert statement is not None
        statement_id = statement.id

        def write() -> Future:
            # the visit is stored at its first answer: an untouched screen makes no rows.
            # A visit whose start failed is started again when the answer is retried.
            ref = self._visit_ref
            if ref is None or (ref.done() and ref.exception() is not None):
                ref = self.recorder.start_visit(self.session_id)
                if visit is self.visit:
                    self._visit_ref = ref
            return self.recorder.record_answer(ref, statement_id, value)

        self._write(write, lambda _answer_id: self._answer_saved(visit, value))

    def _answer_saved(self, visit: Visit, value: str) -> None:
        if visit is not self.visit:
            return  # a late acknowledgement from a visit that was already reset
        current = visit.current
        if current is not None and current.id not in visit.answers:
            self.rotation.answered(current.id)  # a changed answer counts once
        statement = visit.answer(value)
        self._busy = False
        self.answer_saved.emit(statement.id, value)
        if visit.finished:
            self._finish()
            return
        self._show_statement()
        if self.show_peers and value in ("eens", "oneens"):
            self.bridge.watch(
                self.recorder.peer_count(self._visit_ref, statement.id, value),
                lambda count: self._peer_line(visit, count),
                lambda exc: log.warning("reading the peer count failed: %s", exc),
            )

    def _peer_line(self, visit: Visit, count: int) -> None:
        if visit is self.visit and count >= PEERS_MINIMUM:
            line = f"Jij en {count} anderen dachten net hetzelfde."
            self.statement_screen.show_peer_line(line)

    def back(self) -> None:
        if self._busy or self.current_screen != "statement":
            return
        if self.visit.back():
            self._show_statement()

    def _speak(self) -> None:
        statement = self.visit.current
        if statement is not None:
            self.speak_requested.emit(statement.id)
            self._say(statement.id, statement.text)

    def _explain(self) -> None:
        statement = self.visit.current
        if statement is not None and statement.uitleg:
            self._say(uitleg_key(statement), statement.uitleg)

    def finish_early(self) -> None:
        """"Klaar" on a statement: straight to the courses that fit the answers so far."""
        if self._busy or self.current_screen != "statement" or not self.visit.answers:
            return
        self._finish()

    def _leave(self) -> None:
        """The visit ends before its last statement ("Stoppen", or nobody came back):
        with answers, the end screen still shows what fits; without, start over."""
        if self.visit.answers and self._visit_ref is not None:
            self._finish()
        else:
            self.to_attract()

    def _finish(self) -> None:
        """The end screen: the courses that fit, read aloud top to bottom.

        The visit is stored as completed only when every statement was answered.
        """
        completed = self.visit.finished
        self._busy = False
        courses = self.visit.suggestions(self.content)
        self.end_screen.show_courses(courses)
        self._show("end")
        self._hush()
        if self.read_aloud and self.speaker is not None:
            self.speaker.say_all(end_screen_items(courses[0], self.content.library))
        course_ids = [c.id for c in courses]
        visit_ref = self._visit_ref
        assert visit_ref is not None
        # only the first course's QR code is on the screen now; another one counts as
        # shown once "Of: ..." shows it (see _qr_shown)
        shown = [index == 0 for index in range(len(course_ids))]
        self._end_ref, self._qr_seen = visit_ref, set(course_ids[:1])
        self._write(
            lambda: self.recorder.finish_visit(visit_ref, course_ids, qr_shown=shown,
                                               completed=completed),
            lambda ids: self.referrals_recorded.emit(dict(zip(course_ids, ids, strict=True))),
        )
        self.visit_finished.emit(course_ids)

    def _read_course(self, course) -> None:
        """The other course was tapped: read it, and how to take it home."""
        if self.speaker is not None:
            self.speaker.say_all([(course_key(course), course_text(course)),
                                  ("scan", PHRASES["scan"])])

    def _qr_shown(self, course) -> None:
        """"Of: ..." showed another course's QR code: its referral now counts as shown."""
        visit_ref = self._end_ref
        if visit_ref is None or course.id in self._qr_seen or self.current_screen != "end":
            return
        self._qr_seen.add(course.id)
        self._write(lambda: self.recorder.mark_qr_shown(visit_ref, course.id),
                    lambda _none: None)

    def _done(self) -> None:
        """The end screen's "Klaar": back to the start, with a short goodbye."""
        self.to_attract()
        if self.read_aloud:
            self.say_phrase("klaar")

    def _resume(self) -> None:
        self._last_touch = self.clock()
        self._show_statement()

    # -- saving fails, and works again --------------------------------------------

    def _write(self, write: Callable[[], Future], on_done: Callable) -> None:
        """Queue ``write()`` on the recorder; ``on_done(result)`` once it is on disk.

        A write that fails waits to be tried again (see :meth:`probe_store`):
        nothing the screen did not acknowledge is claimed as saved.
        """
        self.bridge.watch(write(), on_done, lambda exc: self._write_failed(exc, write, on_done))

    def _write_failed(self, exc: BaseException, write: Callable[[], Future],
                      on_done: Callable) -> None:
        self._retries.append((write, on_done))
        self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        failure = save_failure(exc)
        changed = self.failure is None or failure.kind != self.failure.kind
        if self.failure is None:
            self._before_fault = self.current_screen
            self._show("pause")
            # heard as well as seen (a stop first: a tap stopped nothing here)
            self._say(PAUSE_KEY, f"{PauseScreen.TITLE} {PauseScreen.LINE}")
            log.error("saving failed, the kiosk pauses: %s", failure.detail,
                      extra={"notice": failure.text})
        elif changed:
            log.error("saving still fails: %s", failure.detail, extra={"notice": failure.text})
        self.failure = failure
        self._probe_at = self.clock()
        if changed:
            self.store_failed.emit(failure.text)

    def probe_store(self) -> None:
        """Try the failed writes again (or a no-op write); resume when they succeed."""
        if self.failure is None or self._probing:
            return
        self._probing = True
        self._probe_at = self.clock()
        if self._retries:
            write, on_done = self._retries[0]
            self.bridge.watch(write(), lambda result: self._retried(on_done, result),
                              self._probe_failed)
        else:
            self.bridge.watch(self.recorder.run(probe), lambda _none: self._recovered(),
                              self._probe_failed)

    def _retried(self, on_done: Callable, result) -> None:
        """A waiting write is on disk now; acknowledged (in order) once all of them are."""
        self._probing = False
        if self.failure is None:
            return
        self._retries.pop(0)
        self._acknowledge.append(lambda: on_done(result))
        if self._retries:
            self.probe_store()  # the next waiting write, at once
        else:
            self._recovered()

    def _probe_failed(self, exc: BaseException) -> None:
        self._probing = False
        if self.failure is not None:
            self._fail(exc)

    def _recovered(self) -> None:
        self._probing = False
        self.failure = None
        log.warning("saving works again; the kiosk goes on", extra={"notice": RESUMED})
        self._last_touch = self.clock()
        if self.current_screen == "pause":
            self._show(self._before_fault)
        acknowledge, self._acknowledge = self._acknowledge, []
        for then in acknowledge:
            then()
        self.store_recovered.emit()

    # -- input ---------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        QApplication.instance().removeEventFilter(self)
        self._ticker.stop()
        if self.speaker is not None and self.owns_speaker:
            self.speaker.shutdown()
        super().closeEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Note every touch; ignore taps that come too soon after a screen change."""
        kind = event.type()
        if kind in TOUCH_EVENTS and self._mine(obj):
            self._last_touch = self.clock()
            if self.clock() - self._changed_at < TAP_FILTER:
                self._swallow_release = True
                return True
            if self._walked_away and self.current_screen == "end":
                # someone new: a fresh visit, not the last person's print or course
                self._swallow_release = True
                self.start_visit()
                return True
        elif kind == QEvent.Type.MouseButtonRelease and self._swallow_release:
            if self._mine(obj):
                self._swallow_release = False
                return True
        return False

    def _mine(self, obj: QObject) -> bool:
        """``obj`` is this window or a widget on it, and it is on screen."""
        return isinstance(obj, QWidget) and self.isVisible() and (
            obj is self or self.isAncestorOf(obj)
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        action = KEYS.get(event.key())
        if action is None or event.isAutoRepeat():
            return super().keyPressEvent(event)
        self._last_touch = self.clock()
        if self.clock() - self._changed_at < TAP_FILTER:
            return
        screen = self.current_screen
        if screen == "attract" or (screen == "end" and self._walked_away):
            self.start_visit()
        elif screen == "statement":
            if action in ("eens", "oneens", "weet_niet"):
                self.answer(action)
            elif action == "back":
                self.back()
            elif action == "speak":
                self._speak()
        elif screen == "end" and action == "go":
            self._done()
        elif screen == "idle" and action == "go":
            self._resume()
