"""The kiosk's log: ``logs/kiosk.log`` in the data folder, and "Meldingen" for staff.

Standard-library logging only. :func:`setup` (once per process, by the commands
that open the data folder) adds a rotating file (1 MB × 5), routes uncaught
exceptions of every thread and Qt's own messages into it, and keeps the last
problems (WARNING and up) as :class:`Notices` in plain Dutch for the staff menu.

What is logged never holds an answer, a free text, a PIN or a typed place
name: code logs what happened ("an answer could not be saved") and technical
causes (SQLite's error text, paths), not what a person typed or tapped.
A record may carry ``extra={"notice": "<Dutch sentence for staff>"}``; it is
then shown in "Meldingen" as it is.
"""

from __future__ import annotations

import logging
import weakref
import logging.handlers
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOG_DIR = "logs"
LOG_NAME = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
#: Qt messages dropped entirely (the offscreen platform's chatter).
QT_NOISE = ("This plugin does not support propagateSizeHints()",)
#: Shown in "Meldingen" for a problem that has no Dutch sentence of its own.
GENERIC_NOTICE = ("Er ging iets mis in het programma. De kiosk werkt door. "
                  "Blijft het gebeuren, geef dan het logboek (map logs) aan de coördinator.")
CRASH_NOTICE = ("Er ging iets mis in het programma. Start de kiosk opnieuw als iets niet "
                "meer werkt, en geef het logboek (map logs) aan de coördinator.")

log = logging.getLogger("kiosk")


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIR / LOG_NAME


@dataclass(frozen=True)
class Notice:
    """One problem for staff: when, and what it means, in Dutch."""

    when: datetime
    text: str
    level: int = logging.WARNING

    @property
    def time(self) -> str:
        return self.when.strftime("%H:%M")


class Notices:
    """The last problems, newest last; thread-safe. Listeners are called on any thread."""

    def __init__(self, limit: int = 50) -> None:
        self._items: deque[Notice] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Notice], None]] = []

    def add(self, text: str, level: int = logging.WARNING,
            when: datetime | None = None) -> Notice:
        notice = Notice(when or datetime.now(), text, level)
        with self._lock:
            if self._items and self._items[-1].text == text:
                self._items.pop()  # the same problem again: keep only the newest
            self._items.append(notice)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)
        return notice

    def newest_first(self) -> list[Notice]:
        with self._lock:
            return list(reversed(self._items))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def listen(self, listener: Callable[[Notice], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def forget(self, listener: Callable[[Notice], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)


class NoticeHandler(logging.Handler):
    """Turns WARNING+ records into :class:`Notices` (their ``notice`` text, else generic)."""

    def __init__(self, notices: Notices) -> None:
        super().__init__(logging.WARNING)
        self.notices = notices

    def emit(self, record: logging.LogRecord) -> None:
        text = getattr(record, "notice", None)
        if not text:
            if record.name.startswith("qt"):
                return  # Qt's own warnings: in the file, not for staff
            text = CRASH_NOTICE if record.exc_info else GENERIC_NOTICE
        try:
            self.notices.add(text, record.levelno, datetime.fromtimestamp(record.created))
        except Exception:  # noqa: BLE001 - a notice must never break the caller
            self.handleError(record)


class _RotatingFile(logging.handlers.RotatingFileHandler):
    """The log file; a full or read-only disk must not put tracebacks on the screen."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging API
        pass


@dataclass
class Logging:
    """What :func:`setup` installed; :meth:`close` takes it away again (tests)."""

    path: Path | None
    notices: Notices
    handlers: list[logging.Handler]
    previous_hooks: tuple

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        sys.excepthook, threading.excepthook = self.previous_hooks


def setup(data_dir: Path | None, *, echo: bool = True, notices: Notices | None = None,
          keep_going: bool = True, complain: bool = True) -> Logging:
    """Log to ``data_dir/logs/kiosk.log`` (None: no file), and to stderr unless not ``echo``.

    Uncaught exceptions (any thread) are logged with their traceback. With
    ``keep_going`` the main thread's hook only logs (Qt then carries on with
    the next event, so the kiosk keeps running); without it the default hook
    runs too. A log that cannot be written is said on stderr (unless not
    ``complain``), and the program goes on without it.
    """
    notices = notices or Notices()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handlers: list[logging.Handler] = []
    path = None
    if data_dir is not None:
        path = log_path(data_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            file_handler = _RotatingFile(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        except OSError as exc:  # a read-only folder: go on without a file
            if complain:
                print(f"kiosk: kan het logboek {path} niet schrijven: {exc.strerror or exc}",
                      file=sys.stderr)
            path = None
        else:
            file_handler.setFormatter(logging.Formatter(FORMAT))
            handlers.append(file_handler)
    if echo:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter("kiosk: %(message)s"))
        handlers.append(stream)
    handlers.append(NoticeHandler(notices))
    for handler in handlers:
        root.addHandler(handler)
    previous = (sys.excepthook, threading.excepthook)

    def main_hook(kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous[0](kind, value, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, value, tb))
        if not keep_going:
            previous[0](kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.critical("uncaught exception in thread %s", name,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = main_hook
    threading.excepthook = thread_hook
    log.info("log started (%s)", path or "no file")
    return Logging(path, notices, handlers, previous)


def install_qt_handler() -> None:
    """Route Qt's messages into the log (logger ``qt``), dropping the offscreen noise."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context, message: str) -> None:
        if message in QT_NOISE:
            return
        category = getattr(context, "category", None) or "qt"
        qt_log.log(levels.get(kind, logging.WARNING), "%s: %s", category, message)

    qInstallMessageHandler(handler)


def weak_listener(method):
    """A listener for :meth:`Notices.listen` that does not keep ``method``'s object alive
    (the notices may outlive a window); a Qt object already gone is skipped."""
    ref = weakref.WeakMethod(method)

    def listener(notice) -> None:
        target = ref()
        if target is not None:
            try:
                target(notice)
            except RuntimeError:  # the Qt object is gone already
                pass

    return listener
