"""One dedicated thread that renders speech into the cache, watched by a watchdog.

The engine (pyttsx3) lives on one ``threading.Thread``; requests wait in a
queue (urgent ones at the front); results come back to the GUI thread by Qt
signal. A watchdog on the GUI thread checks, a few times a second, how long the
current synthesis has taken: past ``hang_limit`` the thread is declared hung and
abandoned (it is a daemon thread: it never blocks exit, and anything it still
reports is ignored) and a fresh thread with a fresh engine takes over the queue.
Nothing here ever waits on the worker from the GUI thread.

Every text taken into the queue ends in exactly one ``rendered`` or ``failed``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.speech.cache import SpeechCache
from kiosk.speech.synth import Engine, SpeechError

HANG_LIMIT = 10.0  # seconds one synthesis (or starting the engine) may take
MAX_RESTARTS = 3  # hangs in a row before speech is given up for this run
HUNG_MESSAGE = "De spraak reageerde niet en is opnieuw gestart."
GAVE_UP_MESSAGE = (
    "De spraak reageert niet meer. De kiosk werkt verder met opgenomen geluid of zonder "
    "geluid. Start de kiosk opnieuw; helpt dat niet, installeer espeak-ng opnieuw."
)


class _Lane:
    """One worker thread's state; the watchdog reads it from the GUI thread."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.lock = threading.Lock()  # held only for a few lines on either side, never for a job
        self.abandoned = False
        self.busy_since: float | None = None  # time.monotonic() when the current job began
        self.text: str | None = None  # the text being rendered


class SpeechWorker(QObject):
    """Renders texts to cached WAV files on one dedicated thread.

    Args:
        engine_factory: makes the engine; called on the worker thread (again after a hang).
        cache: where the WAV files go.
        hang_limit: seconds before a synthesis counts as hung.
        max_restarts: hangs in a row after which speech is given up.

    Signals:
        rendered(str text, str path, bool synthesised): the WAV for ``text`` is ready
            (``synthesised`` False: it came from the cache).
        failed(str text, str message): ``text`` could not be rendered.
        ready(str voice_id): the engine started with this voice.
        unavailable(str message): no engine, or it kept hanging; nothing more is rendered.
        restarted(str message): a hung thread was abandoned and a fresh one started.
    """

    rendered = Signal(str, str, bool)
    failed = Signal(str, str)
    ready = Signal(str)
    unavailable = Signal(str)
    restarted = Signal(str)

    # Emitted on the worker thread, delivered on the GUI thread (queued).
    _lane_ready = Signal(object, str)
    _lane_failed_to_start = Signal(object, str)
    _lane_result = Signal(object, str, str, bool, str)

    def __init__(
        self,
        engine_factory: Callable[[], Engine],
        cache: SpeechCache,
        hang_limit: float = HANG_LIMIT,
        max_restarts: int = MAX_RESTARTS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = engine_factory
        self._cache = cache
        self.hang_limit = hang_limit
        self._max_restarts = max_restarts
        self._queue: deque[str] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._hangs_in_a_row = 0
        self.problem = ""  # why speech is unavailable ("" while it works)
        self.restarts = 0
        queued = Qt.ConnectionType.QueuedConnection
        self._lane_ready.connect(self._on_lane_ready, queued)
        self._lane_failed_to_start.connect(self._on_lane_failed_to_start, queued)
        self._lane_result.connect(self._on_lane_result, queued)
        self._watchdog = QTimer(self, interval=max(20, min(250, int(hang_limit * 250))))
        self._watchdog.timeout.connect(self._check)
        self._lane = self._start_lane(1)

    # -- GUI thread ------------------------------------------------------------

    @property
    def available(self) -> bool:
        return not self._closed and not self.problem

    def request(self, text: str, urgent: bool = False) -> None:
        """Render ``text``; urgent requests go to the front of the queue."""
        if not self.available:
            self.failed.emit(text, self.problem or "speech is shut down")
            return
        with self._cond:
            if text in self._queue:
                if not urgent:
                    return
                self._queue.remove(text)
            if urgent:
                self._queue.appendleft(text)
            else:
                self._queue.append(text)
            self._cond.notify()

    def shutdown(self) -> None:
        """Stop taking work; the thread ends after its current job. Never waits."""
        self._watchdog.stop()
        with self._lane.lock:  # after this, the thread emits nothing more
            self._lane.abandoned = True
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()

    def _start_lane(self, number: int) -> _Lane:
        lane = _Lane(number)
        thread = threading.Thread(
            target=self._run, args=(lane,), name=f"speech-worker-{number}", daemon=True
        )
        lane.busy_since = time.monotonic()  # starting the engine counts as work
        thread.start()
        self._watchdog.start()
        return lane

    @Slot()
    def _check(self) -> None:
        """The watchdog: abandon the thread when its current job takes too long."""
        lane = self._lane
        with lane.lock:
            started = lane.busy_since
            if lane.abandoned or started is None or time.monotonic() - started < self.hang_limit:
                return
            lane.abandoned = True
            hung_text = lane.text
        self._hangs_in_a_row += 1
        if hung_text is not None:
            self.failed.emit(hung_text, HUNG_MESSAGE)
        if self._hangs_in_a_row > self._max_restarts:
            self._give_up(GAVE_UP_MESSAGE)
            return
        self.restarts += 1
        self._lane = self._start_lane(lane.number + 1)
        self.restarted.emit(HUNG_MESSAGE)

    def _give_up(self, message: str) -> None:
        self.problem = message
        self._watchdog.stop()
        with self._cond:
            left = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        self.unavailable.emit(message)
        for text in left:
            self.failed.emit(text, message)

    @Slot(object, str)
    def _on_lane_ready(self, lane: _Lane, voice_id: str) -> None:
        if lane is self._lane and not lane.abandoned:
            self.ready.emit(voice_id)

    @Slot(object, str)
    def _on_lane_failed_to_start(self, lane: _Lane, message: str) -> None:
        if lane is self._lane and not lane.abandoned:
            lane.abandoned = True
            self._give_up(message)

    @Slot(object, str, str, bool, str)
    def _on_lane_result(
        self, lane: _Lane, text: str, path: str, synthesised: bool, error: str
    ) -> None:
        if lane is not self._lane or lane.abandoned:
            return  # a late answer from an abandoned thread: already reported as failed
        self._hangs_in_a_row = 0
        if error:
            self.failed.emit(text, error)
        else:
            self.rendered.emit(text, path, synthesised)

    # -- worker thread -----------------------------------------------------------

    def _run(self, lane: _Lane) -> None:
        try:
            engine = self._factory()
        except Exception as exc:  # any engine failure becomes a message for staff
            message = str(exc) if isinstance(exc, SpeechError) else f"Spraak werkt niet: {exc}"
            with lane.lock:
                lane.busy_since = None
                if not lane.abandoned:
                    self._lane_failed_to_start.emit(lane, message)
            return
        with lane.lock:
            lane.busy_since = None
            if lane.abandoned:
                return
            self._lane_ready.emit(lane, engine.voice.id)
        while True:
            text = self._take(lane)
            if text is None:
                return
            with lane.lock:
                lane.text, lane.busy_since = text, time.monotonic()
            path, synthesised, error = "", False, ""
            try:
                found, synthesised = self._cache.render(text, engine)
                path = str(found)
            except Exception as exc:  # one bad text must not end the worker
                error = str(exc) or type(exc).__name__
            with lane.lock:
                lane.text, lane.busy_since = None, None
                if lane.abandoned:
                    return  # the watchdog already reported this text as failed
                self._lane_result.emit(lane, text, path, synthesised, error)

    def _take(self, lane: _Lane) -> str | None:
        """The next text to render; None when this thread should end."""
        with self._cond:
            while not self._queue and not self._closed and not lane.abandoned:
                self._cond.wait()
            if self._closed or lane.abandoned:
                return None
            return self._queue.popleft()
