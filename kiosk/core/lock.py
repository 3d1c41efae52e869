"""One kiosk per data folder: an OS lock on ``kiosk.lock`` inside it.

The lock is held on an open file (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows), so the operating system drops it when the
process ends in any way, ``kill -9`` and power loss included: a crashed kiosk
never leaves the folder stuck. The file itself stays; only the lock matters.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOCK_NAME = "kiosk.lock"


class FolderInUse(Exception):
    """Another kiosk holds the data folder; the message is one line for the user."""


class DataFolderLock:
    """Holds the lock on ``folder/kiosk.lock`` from :meth:`acquire` until :meth:`release`."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DataFolderLock:
        """Take the lock, or raise :class:`FolderInUse` at once (never waits)."""
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise FolderInUse(
                f"een andere kiosk gebruikt de gegevensmap {self.path.parent} al; sluit die "
                "eerst, of wijs met --data-dir een andere map aan"
            ) from None
        # the holder's process id, for a person looking at the folder (not used to decide)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DataFolderLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def folder_in_use(folder: Path) -> bool:
    """True when another process (a running kiosk) holds the lock of ``folder``.

    A probe: takes the lock and gives it back at once, creates nothing. A merge asks
    this to know whether it must leave gaps for a kiosk that saves into the same
    database. (In the kiosk's own process the answer is True as well: ``flock``
    locks belong to the open file.)
    """
    try:
        fd = os.open(Path(folder) / LOCK_NAME, os.O_RDWR)
    except OSError:
        return False  # no lock file: no kiosk has used this folder yet
    try:
        _lock(fd)
    except OSError:
        return True
    else:
        _unlock(fd)
        return False
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
