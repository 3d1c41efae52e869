"""``kiosk simulate``: drive the real window through random visits.

The demo, the soak test and the latency benchmark in one. It runs offscreen
(unless a platform is set), sends real mouse events through Qt's input path,
and records every answer in the data folder like a real stand would.
"""

from __future__ import annotations

import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

from kiosk.app import Options, UsageError

log = logging.getLogger("kiosk.simulate")


class SaveFailed(Exception):
    """The kiosk could not save during the simulation; the message is one line."""


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"grootte '{text}' klopt niet; schrijf hem als 1920x1080 "
                         "(breedte x hoogte)") from None
    if width < 320 or height < 240:
        raise UsageError(f"grootte '{text}' is te klein; kies minstens 320x240")
    return width, height


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


#: While the simulator waits, the event loop wakes at least this often (milliseconds).
WAKE_MS = 5

#: Latencies kept per measure: every one up to this many, then a uniform sample of
#: this size (a long soak run must not grow the simulator's own bookkeeping).
KEEP = 2_000


class Latencies(list):
    """Latencies in milliseconds: all of them up to :data:`KEEP`, then a uniform
    random sample of :data:`KEEP` (reservoir sampling), so memory stays bounded;
    the maximum stays exact."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.max = float("nan")
        self._rng = random.Random(0)  # its own: the visits' random choices stay the same

    def append(self, value: float) -> None:
        self.seen += 1
        self.max = value if self.seen == 1 else max(self.max, value)
        if len(self) < KEEP:
            super().append(value)
        elif (index := self._rng.randrange(self.seen)) < KEEP:
            self[index] = value


class Stats:
    """Latencies in milliseconds."""

    def __init__(self) -> None:
        self.press = Latencies()  # tap -> pressed state painted
        self.next = Latencies()  # release -> next screen painted (answers: on disk)
        #: answers only: release -> the answer acknowledged as on disk (the commit's
        #: round trip through the recorder thread, part of ``next``)
        self.saved = Latencies()
        #: answers followed by another statement: release -> the next statement painted
        #: (the answer on disk, the answer mark and the fade-in under way)
        self.statement = Latencies()

    def line(self, name: str, values: Latencies) -> str:
        return (f"{name}: mediaan {statistics.median(values):.1f} ms, "
                f"p95 {_percentile(values, 95):.1f} ms, max {values.max:.1f} ms")


def simulate(options: Options, visits: int, seed: int | None, size: str,
             rss: int | None = None) -> int:
    """Run ``visits`` random visits through the real window; print latencies.

    ``rss``: also print the memory in use (:func:`kiosk.memory.rss_line`) at the start,
    after every ``rss`` visits and at the end (None: not).
    """
    width, height = _size(size)
    if visits < 1:
        raise UsageError("--visits moet minstens 1 zijn")
    if rss is not None and rss < 1:
        raise UsageError("--rss moet minstens 1 zijn")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.core.lock import DataFolderLock
    from kiosk.logs import setup as setup_logging

    folder_lock = DataFolderLock(options.data_dir).acquire()  # FolderInUse: exit 2
    logging_setup = setup_logging(options.data_dir, echo=False)
    try:
        return _simulate(options, visits, seed, width, height, rss or 0)
    finally:
        logging_setup.close()
        folder_lock.release()


def _warner(quiet: bool):
    def warn(message: str) -> None:
        log.warning("%s", message)
        if not quiet:
            print(message, file=sys.stderr)

    return warn


def _simulate(options: Options, visits: int, seed: int | None, width: int, height: int,
              rss: int = 0) -> int:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton, QWidget

    from kiosk.app import build_window, create_qt_app
    from kiosk.core.clock import ManualClock
    from kiosk.memory import rss_line

    app = create_qt_app()
    # Simulated time: a person takes a second per tap, so the tap filter (taps
    # within 0.6 s of a screen change are ignored) sees human pacing.
    clock = ManualClock()
    from kiosk.app import outbox_folder

    rng = random.Random(seed)
    window, recorder, session_id = build_window(options, monotonic=clock,
                                                warn=_warner(options.quiet),
                                                rng=random.Random(rng.random()))
    folder = outbox_folder(options, window.content)  # the content the window loaded
    window.resize(width, height)
    window.show()
    stats = Stats()

    class PaintProbe(QObject):
        """Remembers when each widget was last painted."""

        def __init__(self) -> None:
            super().__init__()
            self.painted: dict[int, float] = {}

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted[id(obj)] = time.perf_counter()
            return False

    probe = PaintProbe()
    app.installEventFilter(probe)

    # Waiting sleeps in the event loop until something happens, as the kiosk's own
    # event loop does (a loop that spins would take a whole core of two from the
    # recorder thread and the rest of the machine); the waker makes sure the loop
    # looks at the deadline now and then.
    waker = QTimer(interval=WAKE_MS)
    waker.start()
    spin = os.environ.get("KIOSK_SIMULATE_SPIN") == "1"  # the old way, to compare
    # a person's pace: wait this long (real time, in the event loop) after a screen has
    # painted before the next tap; 0 (the default) taps at once. 0.6 s is the fastest a
    # person can tap: the window's tap filter drops taps sooner than that.
    pace = float(os.environ.get("KIOSK_SIMULATE_PACE", "0") or 0)

    def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if window.failure is not None:  # a real kiosk would pause here: say why, stop
                failure = window.failure
                raise SaveFailed(f"{failure.text} ({failure.detail.split(': ', 1)[-1]})")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"simulate: timed out waiting for {what}")
            if spin:
                QApplication.processEvents()
            else:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def painted_after(widget: QWidget, moment: float) -> float | None:
        stamp = probe.painted.get(id(widget))
        return stamp if stamp is not None and stamp > moment else None

    saved = 0  # answers on disk (a count: a long run keeps no list of them)
    saved_at = 0.0

    def answer_saved(_statement_id: str, _answer: str) -> None:
        nonlocal saved, saved_at
        saved += 1
        saved_at = time.perf_counter()

    window.answer_saved.connect(answer_saved)

    def tap(button: QWidget, acknowledged: Callable[[], bool],
            next_widget: Callable[[], QWidget]) -> None:
        """Press and release ``button``; time the pressed state and the next screen."""
        if pace > 0:
            until = time.monotonic() + pace
            wait_until(lambda: time.monotonic() >= until, "a person's pace", timeout=pace + 10)
        clock.advance(1.0)
        centre = QPoint(button.width() // 2, button.height() // 2)
        start = time.perf_counter()
        QTest.mousePress(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        if isinstance(button, QPushButton):  # the attract screen has no pressed state
            wait_until(lambda: painted_after(button, start) is not None, "the pressed state")
            stats.press.append((painted_after(button, start) - start) * 1000)
        released = time.perf_counter()
        QTest.mouseRelease(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           centre)
        wait_until(acknowledged, "the tap to be handled")
        if saved_at > released:  # an answer: when it was acknowledged as on disk
            stats.saved.append((saved_at - released) * 1000)
        wait_until(lambda: painted_after(next_widget(), released) is not None, "the next screen")
        latency = (painted_after(next_widget(), released) - released) * 1000
        stats.next.append(latency)
        if saved_at > released and window.current_screen == "statement":
            stats.statement.append(latency)

    def next_after_answer() -> QWidget:
        if window.current_screen == "end":
            return window.end_screen.course_name
        return window.statement_screen.text

    wait_until(lambda: window.isVisible() and window.attract.isVisible(), "the first screen")
    if rss:
        print(rss_line("bij de start"), flush=True)
    try:
        for visit in range(1, visits + 1):
            tap(window.attract, lambda: window.current_screen == "statement",
                lambda: window.statement_screen.text)
            while window.current_screen == "statement":
                answer = rng.choice(("eens", "eens", "oneens", "oneens", "weet_niet"))
                count = saved
                tap(window.statement_screen.buttons[answer], lambda n=count: saved > n,
                    next_after_answer)
            tap(window.end_screen.next_button, lambda: window.current_screen == "attract",
                lambda: window.attract.title)
            if rss and visit % rss == 0:
                print(rss_line(f"na {visit} {'bezoek' if visit == 1 else 'bezoeken'}"),
                      flush=True)
        wait_until(lambda: window.bridge.pending == 0, "the last save")
        if rss:
            print(rss_line(f"aan het eind ({visits} {'bezoek' if visits == 1 else 'bezoeken'})"),
                  flush=True)
    finally:
        recorder.end_session(session_id)
        if folder is not None:  # the end of a session: the outbox gets its snapshot
            written = recorder.run(lambda store: store.snapshot(folder)).result(timeout=120)
            print(f"kopie in de outbox: {written}")
        recorder.close()
        window.close()
    answers = saved
    print(f"gesimuleerd: {visits} {'bezoek' if visits == 1 else 'bezoeken'}, {answers} "
          f"{'antwoord' if answers == 1 else 'antwoorden'} op {width}x{height}, "
          f"in {options.data_dir}")
    print(stats.line("tik tot ingedrukte knop", stats.press))
    print(stats.line("tik tot volgend scherm (antwoord opgeslagen)", stats.next))
    if stats.statement:
        print(stats.line("waarvan antwoord tot volgende stelling", stats.statement))
    if stats.saved:
        print(stats.line("waarvan tik tot antwoord opgeslagen", stats.saved))
    return 0
