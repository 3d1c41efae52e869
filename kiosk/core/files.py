"""Writing files so that a reader never sees half of one, even after a power cut."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, suffix: str = ".tmp", mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on success it replaces ``target``.

    The block writes the temporary file (by any means: Python, Qt, a library);
    then it is flushed to disk, given ``mode`` if set, and moved into place with
    ``os.replace``. If the block raises, the temporary file is removed and
    ``target`` is untouched. ``suffix`` matters to writers that look at it
    (a ``.pdf`` for QPrinter, a ``.wav`` for speech engines).

    Raises:
        OSError: the folder cannot be written.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str, encoding: str = "utf-8", newline: str | None = None,
               mode: int | None = None) -> None:
    """Write ``text`` to ``target`` atomically (see :func:`replacing`)."""
    with replacing(target, mode=mode) as temporary:
        with open(temporary, "w", encoding=encoding, newline=newline) as file:
            file.write(text)
