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
        raise UsageError(f"size '{text}' should look like 1920x1080") from None
    if width < 320 or height < 240:
        raise UsageError(f"size '{text}' is too small; use at least 320x240")
    return width, height


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class Stats:
    """Latencies in milliseconds."""

    def __init__(self) -> None:
        self.press: list[float] = []  # tap -> pressed state painted
        self.next: list[float] = []  # release -> next screen painted (answers: on disk)

    def line(self, name: str, values: list[float]) -> str:
        return (f"{name}: median {statistics.median(values):.1f} ms, "
                f"p95 {_percentile(values, 95):.1f} ms, max {max(values):.1f} ms")


def simulate(options: Options, visits: int, seed: int | None, size: str) -> int:
    """Run ``visits`` random visits through the real window; print latencies."""
    width, height = _size(size)
    if visits < 1:
        raise UsageError("--visits must be at least 1")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.core.lock import DataFolderLock
    from kiosk.logs import setup as setup_logging

    folder_lock = DataFolderLock(options.data_dir).acquire()  # FolderInUse: exit 2
    logging_setup = setup_logging(options.data_dir, echo=False)
    try:
        return _simulate(options, visits, seed, width, height)
    finally:
        logging_setup.close()
        folder_lock.release()


def _warner(quiet: bool):
    def warn(message: str) -> None:
        log.warning("%s", message)
        if not quiet:
            print(message, file=sys.stderr)

    return warn


def _simulate(options: Options, visits: int, seed: int | None, width: int, height: int) -> int:
    from PySide6.QtCore import QEvent, QObject, QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton, QWidget

    from kiosk.app import build_window, create_qt_app
    from kiosk.core.clock import ManualClock

    app = create_qt_app()
    # Simulated time: a person takes a second per tap, so the tap filter (taps
    # within 0.6 s of a screen change are ignored) sees human pacing.
    clock = ManualClock()
    from kiosk.app import load_content, outbox_folder

    folder = outbox_folder(options, load_content(options, lambda _message: None))
    rng = random.Random(seed)
    window, recorder, session_id = build_window(options, monotonic=clock,
                                                warn=_warner(options.quiet),
                                                rng=random.Random(rng.random()))
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

    def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if window.failure is not None:  # a real kiosk would pause here: say why, stop
                failure = window.failure
                raise SaveFailed(f"saving failed ({failure.detail.split(': ', 1)[-1]}): "
                                 f"{failure.text}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"simulate: timed out waiting for {what}")
            QApplication.processEvents()

    def painted_after(widget: QWidget, moment: float) -> float | None:
        stamp = probe.painted.get(id(widget))
        return stamp if stamp is not None and stamp > moment else None

    saved: list[str] = []
    window.answer_saved.connect(lambda statement_id, _answer: saved.append(statement_id))

    def tap(button: QWidget, acknowledged: Callable[[], bool],
            next_widget: Callable[[], QWidget]) -> None:
        """Press and release ``button``; time the pressed state and the next screen."""
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
        wait_until(lambda: painted_after(next_widget(), released) is not None, "the next screen")
        stats.next.append((painted_after(next_widget(), released) - released) * 1000)

    def next_after_answer() -> QWidget:
        if window.current_screen == "end":
            return window.end_screen.course_name
        return window.statement_screen.text

    wait_until(lambda: window.isVisible() and window.attract.isVisible(), "the first screen")
    try:
        for _ in range(visits):
            tap(window.attract, lambda: window.current_screen == "statement",
                lambda: window.statement_screen.text)
            while window.current_screen == "statement":
                answer = rng.choice(("eens", "eens", "oneens", "oneens", "weet_niet"))
                count = len(saved)
                tap(window.statement_screen.buttons[answer], lambda n=count: len(saved) > n,
                    next_after_answer)
            tap(window.end_screen.next_button, lambda: window.current_screen == "attract",
                lambda: window.attract.title)
        wait_until(lambda: window.bridge.pending == 0, "the last save")
    finally:
        recorder.end_session(session_id)
        if folder is not None:  # the end of a session: the outbox gets its snapshot
            written = recorder.run(lambda store: store.snapshot(folder)).result(timeout=120)
            print(f"outbox: {written}")
        recorder.close()
        window.close()
    answers = len(saved)
    print(f"simulated {visits} visits, {answers} answers at {width}x{height} "
          f"into {options.data_dir}")
    print(stats.line("tap-to-paint (pressed state)", stats.press))
    print(stats.line("tap-to-next-screen (answer on disk)", stats.next))
    return 0
