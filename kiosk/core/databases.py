"""Kiosk database files on a stick or in a folder: which kiosk, which dates, damaged or not.

The merge screen lists these before staff choose what to merge. Every file is
opened read-only and never changed; a file that is not a readable kiosk
database is described as such (with a Dutch reason), never raised.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.store import APPLICATION_ID, SCHEMA_VERSION

SUFFIX = ".db"
#: Folders on a stick that never hold kiosk files (system folders).
SKIPPED_FOLDERS = frozenset({"system volume information", "$recycle.bin", "lost+found"})
#: At most this many files are described (a stick full of databases stays quick).
MAX_FILES = 100


@dataclass(frozen=True)
class DatabaseInfo:
    """One ``.db`` file as the merge screen shows it.

    Attributes:
        kiosk_name: the name of the kiosk that made the file ("kiosk-1a2b3c4d").
        kiosk_id: that kiosk's id ("" when unreadable).
        kiosks: how many kiosks' rows the file holds (more than 1 after a merge).
        sessions: how many sessions it holds.
        first, last: the first and last session start (YYYY-MM-DDTHH:MM), or None.
        problem: why the file cannot be merged, in a few Dutch words ("" when it can).
    """

    path: Path
    kiosk_name: str = ""
    kiosk_id: str = ""
    kiosks: int = 0
    sessions: int = 0
    first: str | None = None
    last: str | None = None
    problem: str = ""

    @property
    def damaged(self) -> bool:
        return bool(self.problem)


#: The longest the description of one file may take, in seconds.
MAX_SECONDS = 10.0
#: What the listing reads: each must be a real table (a VIEW could run for ever).
READ_TABLES = ("meta", "kiosk", "session")


def _connect(path: Path) -> sqlite3.Connection:
    """Read-only and immutable: nothing, not even a ``-shm``, is written beside the file
    (rows still in a ``-wal`` are not counted here; the merge itself reads them), and
    every query stops after :data:`MAX_SECONDS`."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    deadline = time.monotonic() + MAX_SECONDS
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    return conn


def describe_database(path: Path) -> DatabaseInfo:
    """What is in ``path``, read-only; problems are described, not raised.

    A file with a ``-wal`` beside it (a kiosk still running on it) is described from a
    private copy of both, so that nothing is written beside the original.
    """
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        with tempfile.TemporaryDirectory(prefix="kiosk-describe-") as folder:
            copy = Path(folder) / "copy.db"
            try:
                shutil.copyfile(path, copy)
                shutil.copyfile(wal, Path(str(copy) + "-wal"))
                with closing(sqlite3.connect(copy)) as fold:  # fold the WAL in, privately
                    fold.execute("PRAGMA journal_mode = DELETE").fetchone()
            except (OSError, sqlite3.Error):
                return DatabaseInfo(path, problem="Beschadigd of geen kiosk-bestand.")
            return dataclasses.replace(_describe(copy), path=path)
    return _describe(path)


def _describe(path: Path) -> DatabaseInfo:
    path = Path(path)
    try:
        with closing(_connect(path)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application = conn.execute("PRAGMA application_id").fetchone()[0]
            if version == 0 or application != APPLICATION_ID:
                return DatabaseInfo(path, problem="Geen kiosk-bestand.")
            if version > SCHEMA_VERSION:
                return DatabaseInfo(path, problem="Nieuwere kiosk: werk deze bij.")
            check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                return DatabaseInfo(path, problem="Beschadigd.")
            kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                      "(?, ?, ?)", READ_TABLES))
            if any(kinds.get(table) != "table" for table in READ_TABLES):
                return DatabaseInfo(path, problem="Geen kiosk-bestand.")
            row = conn.execute("SELECT value FROM meta WHERE key = 'kiosk_id'").fetchone()
            kiosk_id = row[0] if row else ""
            named = conn.execute("SELECT name FROM kiosk WHERE id = ?", [kiosk_id]).fetchone()
            kiosks = conn.execute("SELECT count(*) FROM kiosk").fetchone()[0]
            sessions, first, last = conn.execute(
                "SELECT count(*), min(started), max(started) FROM session").fetchone()
    except sqlite3.DatabaseError:
        return DatabaseInfo(path, problem="Beschadigd of geen kiosk-bestand.")
    except OSError:
        return DatabaseInfo(path, problem="Niet te lezen.")
    name = named[0] if named else (f"kiosk-{kiosk_id[:8]}" if kiosk_id else path.stem)
    return DatabaseInfo(path, name, kiosk_id, kiosks, sessions, first, last)


def database_files(folder: Path, depth: int = 2) -> list[Path]:
    """``.db`` files in ``folder`` and its subfolders (``depth`` levels), hidden ones skipped."""
    found: list[Path] = []

    def walk(current: Path, level: int) -> None:
        try:
            entries = sorted(current.iterdir(), key=lambda p: p.name.casefold())
        except OSError:
            return
        for entry in entries:
            if len(found) >= MAX_FILES or entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    continue
                if entry.is_file() and entry.suffix.lower() == SUFFIX:
                    found.append(entry)
                elif (entry.is_dir() and level + 1 < depth
                      and entry.name.casefold() not in SKIPPED_FOLDERS):
                    walk(entry, level + 1)
            except OSError:
                continue

    walk(Path(folder), 0)
    return found


def find_databases(folder: Path) -> list[DatabaseInfo]:
    """Every kiosk database file under ``folder``, described (see :func:`describe_database`)."""
    return [describe_database(path) for path in database_files(folder)]
