"""The kiosk database's schema: the migrations, the pragmas, and the checks that a file
is a kiosk database this code can read.

A database carries its schema version in ``PRAGMA user_version`` and the kiosk's mark
in ``PRAGMA application_id``. :func:`migrate` brings an older file up to date in one
transaction. Pure Python; no Qt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from kiosk.core.clock import Clock, quarter_hour
from kiosk.core.rules import new_id

#: Marks the file as a kiosk database (``PRAGMA application_id``; b"STLK").
APPLICATION_ID = 0x53544C4B
#: How long a statement waits for a lock held by another process, in ms.
BUSY_TIMEOUT_MS = 5000
SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")
#: The tables a merge copies, parents before children (foreign keys).
MERGED_TABLES = ("kiosk", "session", "visit", "answer", "referral", "conversation", "signal")

Migration = Callable[[sqlite_utils.Database], None]


class StoreError(Exception):
    """A database problem, with a message that names the file and the fix."""


def _schema_v1(db: sqlite_utils.Database) -> None:
    """Version 0 -> 1: the first schema."""
    db.executescript(
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE kiosk (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE session (
            id TEXT PRIMARY KEY,
            kiosk_id TEXT NOT NULL REFERENCES kiosk(id),
            location TEXT NOT NULL,
            place_kind TEXT NOT NULL,
            statement_set TEXT NOT NULL DEFAULT '',
            started TEXT NOT NULL,
            ended TEXT
        );
        CREATE TABLE visit (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id),
            started TEXT NOT NULL,
            finished TEXT,
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1))
        );
        CREATE TABLE answer (
            id TEXT PRIMARY KEY,
            visit_id TEXT REFERENCES visit(id),
            session_id TEXT NOT NULL REFERENCES session(id),
            statement_id TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('eens', 'oneens', 'weet_niet')),
            source TEXT NOT NULL CHECK (source IN ('touch', 'staff')),
            at TEXT NOT NULL
        );
        CREATE TABLE referral (
            id TEXT PRIMARY KEY,
            visit_id TEXT NOT NULL REFERENCES visit(id),
            session_id TEXT NOT NULL REFERENCES session(id),
            course_id TEXT NOT NULL,
            qr_shown INTEGER NOT NULL CHECK (qr_shown IN (0, 1)),
            printed INTEGER NOT NULL DEFAULT 0 CHECK (printed IN (0, 1))
        );
        -- The tally index: source is the last column so the tally query is
        -- answered from the index alone (a covering index).
        CREATE INDEX answer_tally ON answer (session_id, statement_id, answer, source);
        CREATE UNIQUE INDEX answer_one_per_visit ON answer (visit_id, statement_id)
            WHERE visit_id IS NOT NULL;
        CREATE INDEX visit_session ON visit (session_id);
        CREATE INDEX referral_session ON referral (session_id);
        """
    )


def _schema_v2(db: sqlite_utils.Database) -> None:
    """Version 1 -> 2: a session keeps its statements per visit (NULL: all of them,
    which is what every session before this version asked)."""
    db.execute("ALTER TABLE session ADD COLUMN per_visit INTEGER CHECK (per_visit >= 1)")


def _schema_v3(db: sqlite_utils.Database) -> None:
    """Version 2 -> 3: conversations and signals, logged by staff during a session."""
    db.executescript(
        """
        CREATE TABLE conversation (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id),
            at TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '',
            referred_kind TEXT NOT NULL DEFAULT ''
                CHECK (referred_kind IN ('', 'course', 'partner')),
            referred_to TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE signal (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES session(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX conversation_session ON conversation (session_id);
        CREATE INDEX signal_session ON signal (session_id);
        """
    )


def _schema_v4(db: sqlite_utils.Database) -> None:
    """Version 3 -> 4: a change counter on every merged row, so a merge carries changes.

    Every row starts at version 1; any UPDATE that does not set the version itself
    adds one (a trigger, so no code path can forget it). A merge lets the higher
    version win; clocks of different laptops never need to agree.
    """
    for table in MERGED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        db.execute(
            f"CREATE TRIGGER {table}_version AFTER UPDATE ON {table}"
            f" WHEN NEW.version = OLD.version"
            f" BEGIN UPDATE {table} SET version = OLD.version + 1 WHERE id = NEW.id; END"
        )


def _schema_v5(db: sqlite_utils.Database) -> None:
    """Version 4 -> 5: a session keeps its approach (an id from ``approaches.toml``;
    "" for none, which is what every session before this version had)."""
    db.execute("ALTER TABLE session ADD COLUMN approach TEXT NOT NULL DEFAULT ''")


#: ``MIGRATIONS[i]`` brings a database from schema version ``i`` to ``i + 1``.
MIGRATIONS: list[Migration] = [_schema_v1, _schema_v2, _schema_v3, _schema_v4, _schema_v5]
SCHEMA_VERSION = len(MIGRATIONS)


def configure(db: sqlite_utils.Database, synchronous: str) -> None:
    """Pragmas for every connection; reading user_version first finds a non-SQLite file."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA user_version").fetchone()
    db.execute("PRAGMA journal_mode = WAL").fetchone()
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute("PRAGMA foreign_keys = ON")


def migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Apply the missing migrations, in one transaction."""
    with db.atomic():
        version = check_version(db, "main", path)
        for step in MIGRATIONS[version:]:
            step(db)
        if version < SCHEMA_VERSION:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def check_version(db: sqlite_utils.Database, schema: str, path: Path) -> int:
    """The schema version of a kiosk database; StoreError if it is not one this code can use."""
    version = db.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
    application_id = db.execute(f"PRAGMA {schema}.application_id").fetchone()[0]
    tables = db.execute(f"SELECT count(*) FROM {schema}.sqlite_master").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} is gemaakt door een nieuwere versie van de kiosk (schema {version}; "
            f"deze kiosk kent tot en met {SCHEMA_VERSION}); werk de kiosk bij."
        )
    if (version == 0 and tables) or (version > 0 and application_id != APPLICATION_ID):
        raise StoreError(
            f"{path} is een SQLite-database, maar geen database van de kiosk. "
            "Kies het databasebestand van de kiosk zelf (kiosk.db)."
        )
    return version



def ensure_kiosk(db: sqlite_utils.Database, clock: Clock) -> str:
    """This laptop's kiosk id: created with the database, kept in ``meta``."""
    with db.atomic():
        row = db.execute("SELECT value FROM meta WHERE key = 'kiosk_id'").fetchone()
        if row:
            return row[0]
        kiosk_id = new_id()
        db.execute(
            "INSERT INTO kiosk (id, name, created) VALUES (?, ?, ?)",
            [kiosk_id, f"kiosk-{kiosk_id[:8]}", quarter_hour(clock())],
        )
        db.execute("INSERT INTO meta (key, value) VALUES ('kiosk_id', ?)", [kiosk_id])
        return kiosk_id



def database_error_message(path: Path, error: sqlite3.Error) -> str:
    if "not a database" in str(error) or "malformed" in str(error):
        return (
            f"{path} is geen database van de kiosk (geen leesbaar SQLite-bestand: {error}). "
            "Kies een ander bestand, of zet dit bestand ergens anders neer; dan begint de "
            "kiosk een nieuwe database."
        )
    return (
        f"De kiosk kan de database {path} niet gebruiken: {error}. "
        "Kijk of je het bestand en de map mag lezen en schrijven."
    )

