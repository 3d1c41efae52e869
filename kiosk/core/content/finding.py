"""Finding content workbooks on a USB stick (or any folder) for the staff screen.

The top level and the folders one level down, regular files only (no links, no
devices), names ending in ``.xlsx`` or ``.ods``; hidden names (``.kiosk-bezig-…``,
``.~lock…#``) and Excel's lock files (``~$…``) are left out. Bounded: a stick
with thousands of files or folders is looked at only so far, so the listing
ends quickly. Standard library only; no Qt.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: What the staff screen offers: the kiosk reads .xlsx; an .ods gets a Dutch fix.
SUFFIXES = (".xlsx", ".ods")
#: At most this many entries are looked at per folder, this many folders one level
#: down, and this many workbooks returned.
MAX_ENTRIES = 2000
MAX_FOLDERS = 200
MAX_FOUND = 60


@dataclass(frozen=True)
class FoundWorkbook:
    """A workbook on the drive: its path, its name as staff read it (with its folder), its
    size in bytes and when it was last changed (seconds since the epoch)."""

    path: Path
    name: str
    size: int
    modified: float


def _visible(name: str) -> bool:
    return not name.startswith((".", "~$"))


def _entries(folder: Path) -> list[os.DirEntry]:
    out: list[os.DirEntry] = []
    try:
        with os.scandir(folder) as found:
            for entry in found:
                out.append(entry)
                if len(out) >= MAX_ENTRIES:
                    break
    except OSError:
        return []
    return out


def find_workbooks(folder: Path) -> list[FoundWorkbook]:
    """The workbooks in ``folder`` and its folders one level down, newest first."""
    found: list[FoundWorkbook] = []
    folders: list[tuple[Path, str]] = [(Path(folder), "")]
    looked = 0
    while folders and len(found) < MAX_FOUND:
        where, prefix = folders.pop(0)
        for entry in sorted(_entries(where), key=lambda e: e.name.casefold()):
            if not _visible(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if not prefix and looked < MAX_FOLDERS:
                    looked += 1
                    folders.append((Path(entry.path), f"{entry.name}/"))
                continue
            if (stat.S_ISREG(info.st_mode) and entry.name.lower().endswith(SUFFIXES)
                    and len(found) < MAX_FOUND):
                found.append(FoundWorkbook(Path(entry.path), prefix + entry.name,
                                           info.st_size, info.st_mtime))
    return sorted(found, key=lambda book: (-book.modified, book.name.casefold()))
