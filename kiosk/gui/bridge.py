"""Bring results of background work (concurrent.futures) back to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class FutureBridge(QObject):
    """Calls ``on_done(result)`` or ``on_error(exc)`` on the GUI thread when a future ends.

    Signals:
        _relay: carries a finished future and its callbacks into the GUI thread.
    """

    _relay = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay.connect(self._deliver)
        self.pending = 0

    def watch(
        self,
        future: Future[Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.pending += 1
        # add_done_callback runs on the worker thread: emitting from there
        # queues the call to this object's (the GUI) thread.
        future.add_done_callback(lambda f: self._relay.emit(f, on_done, on_error))

    @Slot(object, object, object)
    def _deliver(self, future: Future[Any], on_done: Callable, on_error: Callable) -> None:
        self.pending -= 1
        exc = future.exception()
        if exc is not None:
            on_error(exc)
        else:
            on_done(future.result())
