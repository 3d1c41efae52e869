"""Outputs never replace the kiosk's own files.

Every command that writes a file for people to take away (``kiosk export``,
``report``, ``backup``, ``slip``, ``speech say``/``render``) calls
:func:`check_output_path` before it writes anything. It refuses:

- the kiosk's own files, wherever the path leads (a symlink, a hard link, a
  bind mount, another spelling on a case-insensitive disk): the database and
  its ``-wal``/``-shm``/``-journal``, the PIN file ``staff.json``, the last
  session's settings, the folder lock, the log folder, the data folder's own
  content and the last good content; plus any file the caller names (an open
  database elsewhere);
- anything inside a data folder (also a new file whose folder is inside it),
  because the data folder is the kiosk's own (the house plan: "outputs never
  land inside the data folder").

A caller may name ``allowed`` folders: dedicated subfolders the kiosk itself
designates for outputs (the staff screens' ``exports/``, a speech cache that
the platform puts under the data folder, as Windows does). Files there pass
the "inside the data folder" rule, but never the own-files rule, and such a
folder only counts when it is a real subfolder: not the data folder itself,
not its logs or content.

Pure Python, no Qt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from kiosk import APP_NAME, paths

#: Where to go instead, said in every refusal.
ELSEWHERE = "Kies een andere plek, bijvoorbeeld je map Documenten of een USB-stick."

#: The kiosk's own entries in a data folder and what staff call them. Folders
#: (``is_folder``) protect everything inside them too.
OWN_ENTRIES: tuple[tuple[str, str, bool], ...] = (
    (paths.DB_NAME, "de database", False),
    (f"{paths.DB_NAME}-wal", "een hulpbestand van de database", False),
    (f"{paths.DB_NAME}-shm", "een hulpbestand van de database", False),
    (f"{paths.DB_NAME}-journal", "een hulpbestand van de database", False),
    ("staff.json", "het pincodebestand", False),
    (paths.SETTINGS_NAME, "de instellingen van de laatste sessie", False),
    ("kiosk.lock", "het slot van de gegevensmap", False),
    ("content-last-good.json", "de laatste goede inhoud", False),
    ("logs", "het logboek", True),
    ("content", "de eigen inhoud van de kiosk", True),
)
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class OutputRefused(ValueError):
    """An output path the kiosk will not write to; the message is Dutch, for the user.

    Attributes:
        path: the path as given.
        own: the kiosk's file or folder it would have replaced or landed in.
    """

    def __init__(self, message: str, path: Path, own: Path) -> None:
        super().__init__(message)
        self.path = path
        self.own = own


def kiosk_data_dirs(chosen: str | os.PathLike[str] | None = None) -> list[Path]:
    """Every data folder a kiosk on this account may be using.

    ``chosen`` (a command's ``--data-dir``), the folder the kiosk uses without
    one ($KIOSK_DATA_DIR, else the user data folder), and the user data folder
    itself: an export from a copy of the data must not replace the live one.
    """
    found = [paths.data_dir(chosen), paths.data_dir(None),
             Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))]
    unique: dict[str, Path] = {}
    for folder in found:
        unique.setdefault(_key(_resolved(folder)), folder)
    return list(unique.values())


def _resolved(path: Path) -> Path:
    """``path`` absolute, with every symlink followed (also a dangling last one)."""
    return Path(os.path.realpath(os.path.abspath(os.path.expanduser(path))))


def _key(path: Path) -> str:
    return os.path.normcase(str(path))


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names: by identity when both exist, else by resolved path."""
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return _key(_resolved(a)) == _key(_resolved(b))


def _within(target: Path, folder: Path) -> bool:
    """``target`` is ``folder`` or inside it (``target`` already resolved).

    Compared by path, then by identity of ``target``'s existing ancestors, so a
    bind mount of the folder or another spelling of it is caught too.
    """
    folder_key = _key(_resolved(folder))
    if any(_key(p) == folder_key for p in (target, *target.parents)):
        return True
    try:
        folder_info = os.stat(folder)
    except OSError:
        return False
    for ancestor in (target, *target.parents):
        try:
            if os.path.samestat(os.stat(ancestor), folder_info):
                return True
        except OSError:
            continue
    return False


def _own_entries(data_dirs: list[Path], own_files: Iterable[os.PathLike[str] | str]
                 ) -> list[tuple[Path, str, bool]]:
    entries = [(folder / name, what, is_folder)
               for folder in data_dirs for name, what, is_folder in OWN_ENTRIES]
    for own in own_files:
        own = Path(own)
        database = own.suffix.lower() == ".db"
        entries.append((own, "de database" if database else "een bestand van de kiosk", False))
        if database:
            entries.extend((Path(f"{own}{side}"), "een hulpbestand van de database", False)
                           for side in SQLITE_SIDE_FILES)
    return entries


def _dedicated(folder: Path, data_dirs: list[Path],
               own: list[tuple[Path, str, bool]]) -> bool:
    """``folder`` is a real subfolder for outputs: not a data folder (or above one),
    not the logs or the content, nor inside them."""
    resolved = _resolved(folder)
    if any(_within(_resolved(data), folder) for data in data_dirs):
        return False
    return not any(is_folder and (_within(resolved, path) or _within(_resolved(path), folder))
                   for path, _what, is_folder in own)


def check_output_path(target: str | os.PathLike[str],
                      data_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                      own_files: Iterable[str | os.PathLike[str]] = (), *,
                      allowed: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse ``target`` when writing it could replace or land among the kiosk's files.

    Call it before anything is written (before making a folder, too). ``target``
    may be a file or a folder, need not exist, and may be a symlink.

    Args:
        data_dir: the data folder, or several (see :func:`kiosk_data_dirs`).
        own_files: more of the kiosk's files to protect, wherever they are (an
            open database: its ``-wal``/``-shm``/``-journal`` are protected too).
        allowed: dedicated output folders inside a data folder (see the module).

    Returns:
        ``target`` as a Path, when it may be written.

    Raises:
        OutputRefused: with a Dutch message that names the file and where to go instead.
    """
    given = Path(target)
    if isinstance(data_dir, str | os.PathLike):
        data_dirs = [Path(data_dir)]
    else:
        data_dirs = [Path(d) for d in data_dir]
    resolved = _resolved(given)
    own = _own_entries(data_dirs, own_files)
    via = "" if _key(resolved) == _key(Path(os.path.abspath(given))) else f" (via {given})"
    for path, what, is_folder in own:
        if _same_file(resolved, path):
            raise OutputRefused(f"Dit bestand is van de kiosk zelf ({what}): "
                                f"{_resolved(path)}{via}. {ELSEWHERE}", given, path)
        if is_folder and _within(resolved, path):
            raise OutputRefused(f"{resolved}{via} ligt in een map van de kiosk zelf ({what}). "
                                f"{ELSEWHERE}", given, path)
    if any(_within(resolved, folder) and _dedicated(folder, data_dirs, own)
           for folder in allowed):
        return given
    for folder in data_dirs:
        if _within(resolved, folder):
            where = ("is de gegevensmap van de kiosk" if _same_file(resolved, folder)
                     else f"ligt in de gegevensmap van de kiosk ({_resolved(folder)})")
            raise OutputRefused(
                f"{given} {where}. Daar "
                f"bewaart de kiosk zijn eigen bestanden, zoals de database en het "
                f"pincodebestand. {ELSEWHERE}", given, folder)
    return given


def check_output_paths(targets: Iterable[str | os.PathLike[str]],
                       data_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                       own_files: Iterable[str | os.PathLike[str]] = (), *,
                       allowed: Iterable[str | os.PathLike[str]] = ()) -> None:
    """:func:`check_output_path` for each of ``targets`` (a CSV export writes four)."""
    data_dirs = ([data_dir] if isinstance(data_dir, str | os.PathLike) else list(data_dir))
    own = list(own_files)
    allowed = list(allowed)
    for target in targets:
        check_output_path(target, data_dirs, own, allowed=allowed)
