"""Where staff keep exports and reports: USB sticks, and the data folder's ``exports/``.

The drive listing is a plain function returning :class:`Drive` records, so the
screens take it as an argument and tests present a temporary folder as a USB
stick. :func:`removable_drives` is the real one: ``QStorageInfo`` mounts under
``/media`` and ``/run/media`` on Linux, ``/Volumes`` on macOS, and the drive
letters Windows calls removable.

:func:`write_into` writes files so that "klaar" is true when staff read it:
the files are made in a hidden folder on the same drive, flushed to disk,
renamed into place, the drive is synced, and every file is read back and
compared before it returns.

A stick pulled out after it was listed must not turn into a folder on the
laptop: its mount point stays behind as an empty folder on the laptop's own
disk, and files written there would be "klaar" but not on the stick. So a
stick's :class:`Drive` remembers the device of its root when it was listed
(``st_dev``), and writing checks before and after that the folder is still a
mount point of that same device (:func:`check_still_there`); if not, nothing
is left behind and staff read "De USB-stick is er niet meer."
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EXPORTS_FOLDER = "exports"
STAGING_PREFIX = ".kiosk-bezig-"
LINUX_MOUNTS = ("/media/", "/run/media/")
GONE = "De USB-stick is er niet meer. Steek hem er weer in en probeer het opnieuw."


@dataclass(frozen=True)
class Drive:
    """A place to save to or read from.

    Attributes:
        path: the folder (a stick's mount point, or the exports folder).
        label: the name staff see ("KINGSTON", "Deze laptop").
        free: bytes free, or None when unknown.
        removable: a USB stick (True), or this laptop's own exports folder (False).
        read_only: the kiosk cannot write here.
        device: for a stick, the device of its root when it was listed (``st_dev``):
            writing checks that the stick is still mounted there. None: no such check
            (this laptop's exports folder, or a test's folder standing in for a stick).
    """

    path: Path
    label: str
    free: int | None = None
    removable: bool = True
    read_only: bool = False
    device: int | None = None


DriveLister = Callable[[], list[Drive]]


def dutch_size(size: int | None) -> str:
    """Bytes the Dutch way: "14,2 GB vrij", "850 MB vrij" ("" when unknown)."""
    if size is None or size < 0:
        return ""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
            return f"{text.replace('.', ',')} {unit} vrij"
    return f"{size} bytes vrij"


def _windows_removable(root: str) -> bool:
    """True when Windows calls the drive at ``root`` ("E:/") removable (a USB stick)."""
    import ctypes

    drive_removable = 2
    path = root.replace("/", "\\").rstrip("\\") + "\\"  # GetDriveTypeW wants "E:\\"
    return ctypes.windll.kernel32.GetDriveTypeW(path) == drive_removable  # type: ignore[attr-defined]


def is_removable_mount(root: str, platform: str = sys.platform) -> bool:
    """True for a mount point where the system puts USB sticks."""
    if platform.startswith("linux"):
        return root.startswith(LINUX_MOUNTS)
    if platform == "darwin":
        return root.startswith("/Volumes/")
    if platform == "win32":
        return len(root) <= 3 and root[1:2] == ":" and _windows_removable(root)
    return False


def removable_drives() -> list[Drive]:
    """The USB sticks (and other removable drives) mounted now, by label."""
    from PySide6.QtCore import QStorageInfo

    drives = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        # the path first: other mounts (a slow network share) are never asked anything
        if not is_removable_mount(root) or not (volume.isValid() and volume.isReady()):
            continue
        label = volume.name() or volume.displayName() or Path(root).name or root
        try:
            device = os.stat(root).st_dev
        except OSError:
            continue  # gone again already
        drives.append(Drive(Path(root), label, volume.bytesAvailable(), True,
                            volume.isReadOnly(), device))
    return sorted(drives, key=lambda drive: drive.label.casefold())


def exports_drive(data_dir: Path) -> Drive:
    """The data folder's ``exports/``: always there, also without a USB stick."""
    folder = data_dir / EXPORTS_FOLDER
    try:
        free = shutil.disk_usage(folder if folder.exists() else data_dir).free
    except OSError:
        free = None
    return Drive(folder, "Deze laptop", free, removable=False)


def drive_lister(data_dir: Path, sticks: DriveLister = removable_drives) -> DriveLister:
    """Sticks first, then the exports folder: what the save and merge screens list."""
    return lambda: [*sticks(), exports_drive(data_dir)]


# -- writing -----------------------------------------------------------------------


Progress = Callable[[int, int, str], None]  # (done, total, what is happening)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk; not possible on Windows."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (FAT on some kernels) refuse: os.sync follows
    finally:
        os.close(fd)


class DriveGone(OSError):
    """The stick is not mounted where it was listed any more (pulled out, or another one)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(errno.ENODEV, "the USB stick is no longer mounted there", str(folder))


def check_still_there(folder: Path, device: int | None) -> None:
    """Raise :class:`DriveGone` unless ``folder`` is still a mount point of ``device``.

    ``device`` None: nothing to check (not a stick).
    """
    if device is None:
        return
    try:
        here = os.stat(folder).st_dev
    except OSError as error:
        raise DriveGone(folder) from error
    if here != device or not os.path.ismount(folder):
        raise DriveGone(folder)


def stage(folder: Path, create: bool = True, device: int | None = None) -> Path:
    """A new hidden folder inside ``folder`` to write files into (the same drive).

    Args:
        create: make ``folder`` if it is missing. Never for a stick: a stick pulled
            out leaves no folder, and making one would write to the laptop instead.
        device: the stick's device when it was listed (see :func:`check_still_there`).

    Raises:
        OSError: the folder is missing (and not to be made) or cannot be written;
            :class:`DriveGone` when it is no longer the stick that was listed.
    """
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise DriveGone(folder) if device is not None else OSError(
            errno.ENOENT, "the drive is not there", str(folder))
    check_still_there(folder, device)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    try:  # the stick may have gone between the check and the mkdir
        if device is not None and os.stat(staging).st_dev != device:
            raise DriveGone(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _digest(path: Path, from_disk: bool = False) -> str:
    """SHA-256 of a file; ``from_disk``: drop the cached pages first, so the bytes come
    from the drive itself and not from memory (where the kernel allows it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if from_disk and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _made(staging: Path) -> tuple[list[Path], list[Path]]:
    """(what ``produce`` made: files and folders at the top, every file to write)."""
    entries = sorted(p for p in staging.iterdir() if not p.name.startswith("."))
    tops = [p for p in entries if p.is_file() or (p.is_dir() and not p.is_symlink())]
    files: list[Path] = []
    for top in tops:  # a folder (recordings beside a workbook) goes as a whole, one level deep
        files += sorted(p for p in top.iterdir() if p.is_file()) if top.is_dir() else [top]
    return tops, files


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def finish(folder: Path, staging: Path, progress: Progress | None = None,
           device: int | None = None) -> list[Path]:
    """Flush every file in ``staging``, move them into ``folder``, sync the drive, and
    read every file back.

    A folder in ``staging`` (one level deep: its files) goes into ``folder`` as a
    whole and replaces a folder of that name there (put back if writing fails).
    ``device``: the stick's device when it was listed; before and after writing,
    ``folder`` must still be a mount point of it (see :func:`check_still_there`).

    Returns:
        The files (and folders) now in ``folder``, each file read back and equal to
        what was made.

    Raises:
        OSError: something could not be written (a full or removed stick), or a
            file read back differs; then none of the files is left in ``folder``.
    """
    report = progress or (lambda done, total, text: None)
    finals: list[Path] = []
    aside: list[tuple[Path, Path]] = []  # (a folder that was there, where it waits)
    try:
        check_still_there(folder, device)
        tops, files = _made(staging)
        if not files:
            raise OSError(errno.EIO, "no files were written")
        total = len(files) + 2
        digests: dict[str, str] = {}
        for index, path in enumerate(files):
            report(index, total, f"Bestand {index + 1} van {len(files)} wegschrijven: {path.name}")
            with open(path, "rb+") as written:
                os.fsync(written.fileno())
            digests[str(path.relative_to(staging))] = _digest(path)
        for top in tops:
            if top.is_dir():
                _fsync_folder(top)
        report(len(files), total, "Veilig afronden…")
        check_still_there(folder, device)
        for path in tops:
            final = folder / path.name
            if path.is_dir() and final.is_dir() and not final.is_symlink():
                waiting = staging / f".oud-{path.name}"
                os.replace(final, waiting)
                aside.append((final, waiting))
            os.replace(path, final)
            finals.append(final)
        _fsync_folder(folder)
        if hasattr(os, "sync"):
            os.sync()
        check_still_there(folder, device)
        report(len(files) + 1, total, "Nalezen…")
        for rel, digest in digests.items():
            final = folder / rel
            if device is not None and os.stat(final).st_dev != device:
                raise DriveGone(folder)
            if _digest(final, from_disk=True) != digest:
                raise OSError(errno.EIO, f"{rel} read back differs from what was written")
        check_still_there(folder, device)
        report(total, total, "Klaar")
        return finals
    except BaseException:
        for final in finals:  # never half a result, nor files on the laptop under a mount point
            _remove(final)
        for final, waiting in aside:  # what was there before comes back
            try:
                os.replace(waiting, final)
            except OSError:
                pass
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def write_into(folder: Path, produce: Callable[[Path], object],
               progress: Progress | None = None, create: bool = True,
               device: int | None = None) -> list[Path]:
    """``produce(staging)`` writes its files; then :func:`finish` puts them in ``folder``.

    ``create``: see :func:`stage` (False for a USB stick). ``device``: the stick's
    device when it was listed (:attr:`Drive.device`).
    """
    report = progress or (lambda done, total, text: None)
    report(0, 0, "Bestanden maken…")
    staging = stage(folder, create, device)
    try:
        produce(staging)
    except BaseException:
        discard(staging)
        raise
    return finish(folder, staging, report, device)


def problem_text(error: BaseException, removable: bool = True) -> str:
    """What went wrong, in Dutch, for staff (the details go to the log)."""
    where = "de USB-stick" if removable else "deze laptop"
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"Er is geen plek meer op {where}. Maak ruimte of kies een andere."
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"De kiosk mag niet schrijven op {where}. Kies een andere plek."
        if removable and error.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
            return GONE
        if error.errno in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO):
            return (f"{where[0].upper()}{where[1:]} is weg of werkt niet goed. "
                    "Steek de USB-stick er opnieuw in en probeer het nog een keer."
                    if removable else "De map op deze laptop werkt niet. Vraag hulp.")
    return "Er ging iets mis. Probeer het nog een keer, of vraag hulp."
