"""Reading a file that comes from outside: a regular file of bounded size, or nothing.

Content files, pictograms and the staff PIN file are read from folders other
people (or programs) can put things in. A FIFO named ``courses.toml`` would
make a plain ``open()`` wait forever for a writer, and a symlink to
``/dev/zero`` would make ``read()`` fill the memory. :func:`read_regular`
opens without blocking (``O_NONBLOCK``: a FIFO opens at once), checks what it
opened with ``fstat`` on the open descriptor (so a swap between a check and
the open changes nothing), and reads at most ``limit + 1`` bytes.

Errors are :class:`UnsafeFile` (an ``OSError``, so callers that already say
"cannot read" keep working), with a Dutch reason and fix for coordinators and
staff. A missing file is still ``FileNotFoundError``.

Standard library only; no Qt.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Content TOML files: the largest real set (8,000 statements) is about 2 MB.
CONTENT_LIMIT = 16 * 1024 * 1024
#: A pictogram (SVG): the kiosk's own are a few kB.
PICTOGRAM_LIMIT = 1024 * 1024
#: The staff PIN file: a few hundred bytes.
PIN_FILE_LIMIT = 64 * 1024


class UnsafeFile(OSError):
    """A file the kiosk will not read: not a regular file, too large, or not private.

    Attributes:
        path: the file.
        reason: what is wrong, in Dutch ("het is een pipe (FIFO), geen gewoon bestand").
        fix: what to do about it, in Dutch.
    """

    def __init__(self, path: Path, reason: str, fix: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.path = Path(path)
        self.reason = reason
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}. {self.fix}"


_REPLACE_FIX = "zet er een gewoon bestand neer (geen snelkoppeling naar een apparaat of pipe)"


def _kind(mode: int) -> str:
    """What a non-regular file is, in Dutch."""
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISFIFO(mode):
        return "een pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    if stat.S_ISSOCK(mode):
        return "een socket"
    return "een speciaal bestand"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def read_regular(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True,
                 private: bool = False) -> bytes:
    """The bytes of ``path``, when it is a regular file of at most ``limit`` bytes.

    Args:
        limit: the largest size accepted, in bytes.
        follow_symlinks: False: a symlink is refused (even one to a regular file).
        private: the file must belong to this user and be writable by nobody else
            (POSIX only; Windows has no such mode bits).

    Raises:
        FileNotFoundError: there is no such file.
        UnsafeFile: a FIFO, device, socket or folder; a symlink (``follow_symlinks``
            False); larger than ``limit``; not private (``private``).
        OSError: the file cannot be opened or read (permissions, I/O).
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():  # Windows
            raise UnsafeFile(path, "het is een snelkoppeling (symlink), geen gewoon bestand",
                             _REPLACE_FIX)
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise UnsafeFile(path, "het is een snelkoppeling (symlink), geen gewoon bestand",
                             _REPLACE_FIX) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(path, f"het is {_kind(info.st_mode)}, geen gewoon bestand",
                             _REPLACE_FIX)
        if private and os.name == "posix":
            if info.st_uid != os.getuid():
                raise UnsafeFile(path, "het bestand is niet van deze gebruiker",
                                 "het moet van de gebruiker zijn die de kiosk start")
            if info.st_mode & 0o022:
                raise UnsafeFile(path, "ook anderen mogen het bestand veranderen",
                                 "alleen de eigenaar mag erin schrijven (chmod 600)")
        too_large = UnsafeFile(path, f"het bestand is te groot (meer dan {_megabytes(limit)})",
                               "kijk of het het goede bestand is, of maak het kleiner")
        if info.st_size > limit:
            raise too_large
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while we read
            raise too_large
        return b"".join(chunks)
    finally:
        os.close(fd)
