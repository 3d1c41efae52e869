"""Why saving failed, in Dutch for staff; and a cheap check whether it works again.

Pure Python: the window maps a recorder's exception to a :class:`SaveFailure`
and probes the store through the recorder until writing works again.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

from kiosk.core.store import Store, StoreError

#: kind -> (what is wrong, what to do), for the staff menu and "Meldingen".
SAVE_FAILURES: dict[str, tuple[str, str]] = {
    "full": ("Opslaan lukt niet: de schijf is vol.",
             "Maak ruimte of gebruik een andere map."),
    "readonly": ("Opslaan lukt niet: de map is alleen-lezen.",
                 "Zet de USB-stick op schrijven of gebruik een andere map."),
    "locked": ("Opslaan lukt niet: de database is bezet.",
               "Sluit een ander programma dat de kiosk-database open heeft."),
    "gone": ("Opslaan lukt niet: de map met gegevens is weg.",
             "Steek de USB-stick er weer in, of start de kiosk opnieuw."),
    "other": ("Opslaan lukt niet.",
              "Start de kiosk opnieuw. Helpt dat niet, bel de coördinator."),
}


@dataclass(frozen=True)
class SaveFailure:
    """A failed save, explained."""

    kind: str  # a key of SAVE_FAILURES
    detail: str  # the technical message, for the log (never shown to passers-by)

    @property
    def text(self) -> str:
        """What is wrong and what to do, in one Dutch line."""
        problem, advice = SAVE_FAILURES[self.kind]
        return f"{problem} {advice}"

    @property
    def problem(self) -> str:
        return SAVE_FAILURES[self.kind][0]

    @property
    def advice(self) -> str:
        return SAVE_FAILURES[self.kind][1]


def save_failure(exc: BaseException) -> SaveFailure:
    """Map an error from the store (SQLite or the file system) to a :class:`SaveFailure`."""
    detail = f"{type(exc).__name__}: {exc}"
    return SaveFailure(_kind(exc), detail)


def _kind(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "readonly"
        if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
            return "gone"
        return "other"
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.Error | StoreError):
        if "full" in text or code == "SQLITE_FULL":
            return "full"
        if "readonly" in text or "read-only" in text or code.startswith("SQLITE_READONLY"):
            return "readonly"
        if "locked" in text or "busy" in text or code.startswith(("SQLITE_BUSY",
                                                                   "SQLITE_LOCKED")):
            return "locked"
        if "disk i/o" in text or "unable to open" in text or code.startswith(
                ("SQLITE_IOERR", "SQLITE_CANTOPEN")):
            return "gone"
    return "other"


def probe(store: Store) -> None:
    """A no-op write transaction: raises while the database cannot be written.

    ``BEGIN IMMEDIATE`` takes the write lock (a locked or read-only database
    fails here); ``ROLLBACK`` leaves everything as it was. A full disk is found
    by retrying the write that failed, which the window does first.
    """
    conn = store.db.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("ROLLBACK")
