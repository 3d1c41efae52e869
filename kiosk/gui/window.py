"""The kiosk window: statement screens, then thanks, then the next visit."""

from __future__ import annotations

import sys
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QStackedLayout, QWidget

from kiosk.core.model import Content, StatementSet
from kiosk.core.recorder import Recorder
from kiosk.core.visit import Visit
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.screens import StatementScreen, ThanksScreen

THANKS_SECONDS = 45  # the end screen stays this long unless "Klaar" is tapped


class KioskWindow(QWidget):
    """Presents a visit and forwards taps to the recorder (the one writer).

    A tap is acknowledged (the next statement appears) only once the recorder
    has committed the answer to disk.

    Signals:
        screen_changed(str): "statement" or "thanks" became visible.
        answer_saved(str, str): statement id and answer are on disk.
        visit_finished(list): the visit ended; the suggested course ids.
        store_failed(str): the recorder reported an error (message for staff).
    """

    screen_changed = Signal(str)
    answer_saved = Signal(str, str)
    visit_finished = Signal(list)
    store_failed = Signal(str)

    def __init__(
        self,
        content: Content,
        statement_set: StatementSet,
        recorder: Recorder,
        session_id: str,
        pictograms: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_window")
        self.setWindowTitle("Stellingenkiosk")
        self.content = content
        self.statement_set = statement_set
        self.recorder = recorder
        self.session_id = session_id
        self.bridge = FutureBridge(self)
        self.visit = Visit(statement_set.statements)
        #: The stored visit: the recorder's future of its id (None until the first answer).
        self._visit_ref: Future[str] | None = None
        self._busy = False

        self.statement_screen = StatementScreen(pictograms)
        self.thanks_screen = ThanksScreen(pictograms)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.statement_screen)
        self.stack.addWidget(self.thanks_screen)
        self.statement_screen.answered.connect(self._on_answer)
        self.thanks_screen.done.connect(self.start_visit)
        self._thanks_timer = QTimer(self, singleShot=True, interval=THANKS_SECONDS * 1000)
        self._thanks_timer.timeout.connect(self.start_visit)
        self.start_visit()

    @property
    def current_screen(self) -> str:
        return "thanks" if self.stack.currentWidget() is self.thanks_screen else "statement"

    @Slot()
    def start_visit(self) -> None:
        """A fresh visit: the next person never sees the previous person's answers."""
        self._thanks_timer.stop()
        self.visit = Visit(self.statement_set.statements)
        self._visit_ref = None
        self._busy = False
        self._show_statement()

    def _show_statement(self) -> None:
        statement = self.visit.current
        assert statement is not None
        self.statement_screen.show_statement(statement, self.visit.position, self.visit.total)
        self.stack.setCurrentWidget(self.statement_screen)
        self.screen_changed.emit("statement")

    @Slot(str)
    def _on_answer(self, value: str) -> None:
        if self._busy or self.visit.finished:
            return  # one answer per statement: taps during the save are ignored
        self._busy = True
        visit = self.visit
        if self._visit_ref is None:
            # the visit is stored at its first answer: an untouched screen makes no rows
            self._visit_ref = self.recorder.start_visit(self.session_id)
        statement = visit.current
        assert statement is not None
        self.bridge.watch(
            self.recorder.record_answer(self._visit_ref, statement.id, value),
            lambda _answer_id: self._answer_saved(visit, value),
            self._store_error,
        )

    def _answer_saved(self, visit: Visit, value: str) -> None:
        if visit is not self.visit:
            return  # a late acknowledgement from a visit that was already reset
        statement = visit.answer(value)
        self._busy = False
        self.answer_saved.emit(statement.id, value)
        if visit.finished:
            self._finish()
        else:
            self._show_statement()

    def _finish(self) -> None:
        visit = self.visit
        courses = visit.suggestions(self.content)
        self.thanks_screen.show_courses(courses)
        self.stack.setCurrentWidget(self.thanks_screen)
        self._thanks_timer.start()
        course_ids = [c.id for c in courses]
        assert self._visit_ref is not None
        self.bridge.watch(
            self.recorder.finish_visit(self._visit_ref, course_ids, qr_shown=True),
            lambda _ids: None,
            self._store_error,
        )
        self.screen_changed.emit("thanks")
        self.visit_finished.emit(course_ids)

    def _store_error(self, exc: BaseException) -> None:
        self._busy = False
        message = f"Saving failed: {exc}"
        print(f"kiosk: {message}", file=sys.stderr)
        self.store_failed.emit(message)
