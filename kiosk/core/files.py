"""Writing files so that a reader never sees half of one, even after a power cut.

Every output the kiosk hands over (exports, the report, backups, slips as PDF)
is complete or absent: it is written under a temporary name in the target's
own folder, checked, flushed to disk, and only then renamed into place. A
failure (a full disk, a refused write, a check that fails) leaves nothing
under the final name and no temporary file; a process killed halfway leaves at
most a temporary file named after its process id, which the next write into
the same folder removes (see :func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: Temporary files are ``.<name>.<pid>.<random><suffix>`` beside the target.
_TEMP_PREFIX = ".{name}.{pid}."
#: The random part :func:`tempfile.mkstemp` puts in a name (8 of ``[a-z0-9_]``).
_RANDOM = r"[a-z0-9_]{8}"


class IncompleteFile(OSError):
    """A written file failed its check (truncated, empty, not what the writer promised)."""


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0o666 less the umask.

    A temporary file from :func:`tempfile.mkstemp` is 0o600; a file renamed
    from it would keep that, and a coordinator's colleague could not read it.
    """
    try:  # Linux: read the umask without changing it (os.umask would, for every thread)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # Windows: os.kill(pid, 0) would end that process; leave the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):  # no process has such a number: not our file
        return True
    except (PermissionError, OSError):
        return True  # someone else's process: leave its file alone
    return True


def _temporary_pattern(suffix: str) -> re.Pattern[str]:
    """Names :func:`replacing` gives temporary files with ``suffix``, of any target.

    Strictly ``.<name>.<pid>.<8 random characters of mkstemp><suffix>``, perhaps
    followed by SQLite's ``-journal``/``-wal``/``-shm``: a user's own dotfile
    (``.bashrc``, ``.notes.2024.txt``) never has this form.
    """
    return re.compile(r"\.(.+)\.(?P<pid>\d+)\." + _RANDOM + re.escape(suffix)
                      + r"(?:-journal|-wal|-shm)?", re.DOTALL)


def _ours(entry: os.DirEntry[str]) -> bool:
    """A regular file (not a symlink) of this user's: only those are swept folder-wide."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (os.name != "posix" or info.st_uid == os.getuid())


def remove_stale_temporaries(target: Path, suffix: str | None = None) -> list[Path]:
    """Remove temporary files left by a process that no longer runs.

    Always those for ``target`` (any suffix). With ``suffix``, also those of any
    other name in ``target``'s folder that :func:`replacing` made with that
    suffix (strictly its form, regular files of this user's only): each backup
    has a new name, so a killed backup's temporary is never "the same target"
    again. Returns the files removed. Files of running processes (another write
    in progress) are left alone.
    """
    target = Path(target)
    same_target = re.compile(r"^\." + re.escape(target.name) + r"\.(?P<pid>\d+)\.")
    any_target = _temporary_pattern(suffix) if suffix is not None else None
    removed = []
    try:
        with os.scandir(target.parent) as listing:
            entries = [entry for entry in listing if entry.name.startswith(".")]
    except OSError:
        return removed
    for entry in entries:
        match = same_target.match(entry.name)
        if match is None and any_target is not None:
            match = any_target.fullmatch(entry.name)
            if match is not None and not _ours(entry):
                match = None
        if match is None or _pid_alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
        for side in ("-journal", "-wal", "-shm"):  # SQLite's files beside a killed copy
            Path(str(path) + side).unlink(missing_ok=True)
    return removed


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows, or a folder we may not open: the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (FAT on a stick) refuse fsync on a folder
    finally:
        os.close(fd)


@contextmanager
def replacing(target: Path, suffix: str = ".tmp", mode: int | None = None,
              check: Callable[[Path], None] | None = None,
              overwrite: bool = True, clean_folder: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on success it replaces ``target``.

    The block writes the temporary file (by any means: Python, Qt, a library);
    then ``check`` (if given) inspects it and raises to refuse it, the file is
    flushed to disk, given ``mode`` if set, and moved into place with
    ``os.replace``; the folder is flushed too. If anything raises, the
    temporary file is removed and ``target`` is untouched. ``suffix`` matters
    to writers that look at it (a ``.pdf`` for QPrinter, a ``.wav`` for speech
    engines).

    Args:
        mode: the file's mode; :func:`file_mode` for files people take away
            (the temporary file is 0o600 otherwise).
        check: called with the written temporary file; raise (e.g.
            :class:`IncompleteFile`) to refuse it.
        overwrite: False: raise FileExistsError instead of replacing an
            existing ``target`` (checked again just before the rename).
        clean_folder: also remove what killed writes of other targets left in
            this folder with the same ``suffix`` (a killed backup's temporary
            under its own, never repeated, name); False: only ``target``'s.

    Raises:
        OSError: the folder cannot be written, the disk is full, or ``check`` refused.
        FileExistsError: ``target`` exists and ``overwrite`` is False.
    """
    target = Path(target)
    if not overwrite and target.exists():
        raise FileExistsError(17, "the file already exists", str(target))
    remove_stale_temporaries(target, suffix if clean_folder else None)
    fd, name = tempfile.mkstemp(dir=target.parent,
                                prefix=_TEMP_PREFIX.format(name=target.name, pid=os.getpid()),
                                suffix=suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        if check is not None:
            check(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        if not overwrite and target.exists():
            raise FileExistsError(17, "the file already exists", str(target))
        os.replace(temporary, target)
        fsync_folder(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def check_pdf(path: Path, min_bytes: int = 500) -> None:
    """Raise :class:`IncompleteFile` unless ``path`` looks like a whole PDF.

    A whole PDF starts with ``%PDF-``, ends with ``%%EOF`` (give or take a
    line end) and is more than a few hundred bytes. Qt's PDF writer reports
    success on a full disk and leaves a truncated file: this catches that.
    """
    path = Path(path)
    size = path.stat().st_size
    if size < min_bytes:
        raise IncompleteFile(f"de PDF is onvolledig ({size} bytes)")
    with open(path, "rb") as pdf:
        head = pdf.read(5)
        pdf.seek(max(0, size - 64))
        tail = pdf.read()
    if head != b"%PDF-" or b"%%EOF" not in tail.rstrip()[-16:]:
        raise IncompleteFile(f"de PDF is onvolledig ({size} bytes, zonder einde)")


def write_text(target: Path, text: str, encoding: str = "utf-8", newline: str | None = None,
               mode: int | None = None) -> None:
    """Write ``text`` to ``target`` atomically (see :func:`replacing`)."""
    with replacing(target, mode=mode) as temporary:
        with open(temporary, "w", encoding=encoding, newline=newline) as file:
            file.write(text)
