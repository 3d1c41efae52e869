"""The kiosk's database: one SQLite file, one connection, one writer.

Durability: WAL with ``synchronous=FULL`` and every write committed before the
method returns, so an answer the screen has acknowledged is on disk and survives
``kill -9`` and power loss.

Anonymity: no names, no free text from passers-by, and every stored time is
rounded down to the quarter hour (:func:`kiosk.core.clock.quarter_hour`). The one
free text, an "Anders" signal typed by staff, is checked by
:mod:`kiosk.core.freetext` and never appears in a log or an error message.

Merging: every row has a UUID4 text primary key, so the databases of several
laptops merge with ``INSERT OR IGNORE`` and a merge run twice changes nothing.

The connection belongs to the thread that opened the store (sqlite3 checks
this); :class:`kiosk.core.recorder.Recorder` runs a store on a worker thread.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from kiosk.core.clock import Clock, quarter_hour, system_clock
from kiosk.core.content import ID_PATTERN
from kiosk.core.files import IncompleteFile, file_mode, replacing
from kiosk.core.freetext import clean_free_text, free_text_problem
from kiosk.core.model import ANSWERS, OTHER_SIGNAL, PLACE_KINDS, REFERRAL_KINDS, SOURCES
from kiosk.core.rowcheck import BAD_NUMBER, MISSING_PARENT, PARENTS, row_problem
from kiosk.paths import private_dir

#: Marks the file as a kiosk database (``PRAGMA application_id``; b"STLK").
APPLICATION_ID = 0x53544C4B
#: How long a statement waits for a lock held by another process, in ms.
BUSY_TIMEOUT_MS = 5000
SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")
#: The tables a merge copies, parents before children (foreign keys).
MERGED_TABLES = ("kiosk", "session", "visit", "answer", "referral", "conversation", "signal")
#: The longest id the store takes for a topic, a referral target or a signal kind.
MAX_ID_CHARS = 64

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


#: ``MIGRATIONS[i]`` brings a database from schema version ``i`` to ``i + 1``.
MIGRATIONS: list[Migration] = [_schema_v1, _schema_v2, _schema_v3, _schema_v4]
SCHEMA_VERSION = len(MIGRATIONS)


def new_id() -> str:
    """A fresh row id (UUID4 text)."""
    return str(uuid.uuid4())


@dataclass
class MergeReport:
    """What a merge did, per merged file: rows added, updated (a newer version came in),
    refused (with the reason), and conflicts (same id and version, other content)."""

    added: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Rows that were there and came in with a higher version (changes carried).
    updated: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Rows refused, per reason (see kiosk.core.rowcheck), per file.
    refused: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: (table, id) of rows with the same version but other content: reported, not merged.
    conflicts: dict[Path, list[tuple[str, str]]] = field(default_factory=dict)
    #: Files that were not merged, with the reason (for example the store's own file).
    skipped: dict[Path, str] = field(default_factory=dict)

    #: table -> (one, many): the Dutch words of :meth:`lines` (a class constant, no field).
    WORDS = {"kiosk": ("kiosk", "kiosks"), "session": ("sessie", "sessies"),
             "visit": ("bezoek", "bezoeken"), "answer": ("antwoord", "antwoorden"),
             "referral": ("verwijzing", "verwijzingen"),
             "conversation": ("gesprek", "gesprekken"), "signal": ("signaal", "signalen")}

    def totals(self) -> dict[str, int]:
        """New rows per table over all files."""
        return {t: sum(counts.get(t, 0) for counts in self.added.values())
                for t in MERGED_TABLES}

    def lines(self) -> list[str]:
        """A readable summary in Dutch, one block per file (for ``kiosk merge``)."""

        def counted(n: int, table: str) -> str:
            one, many = self.WORDS.get(table, (table, table))
            return f"{n} {one if n == 1 else many}"

        out: list[str] = []
        for path in self.added:
            added = {t: n for t, n in self.added[path].items() if n}
            updated = {t: n for t, n in self.updated.get(path, {}).items() if n}
            out.append(f"{path}:")
            out.append("  nieuw: " + (", ".join(counted(n, t) for t, n in added.items())
                                      or "niets nieuws"))
            if updated:
                out.append("  bijgewerkt (daar nieuwer): "
                           + ", ".join(counted(n, t) for t, n in updated.items()))
            for reason, count in self.refused.get(path, {}).items():
                out.append(f"  {count} {'regel' if count == 1 else 'regels'} overgeslagen: "
                           f"{reason}")
            conflicts = self.conflicts.get(path, [])
            if conflicts:
                shown = ", ".join(f"{self.WORDS.get(t, (t,))[0]} {i}" for t, i in conflicts[:5])
                more = f" en nog {len(conflicts) - 5}" if len(conflicts) > 5 else ""
                out.append(f"  {len(conflicts)} {'regel' if len(conflicts) == 1 else 'regels'} "
                           "met dezelfde versie maar een andere inhoud (deze laptop houdt "
                           f"zijn eigen versie): {shown}{more}")
        for path, reason in self.skipped.items():
            out.append(f"{path}: niet samengevoegd: {reason}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


class Store:
    """The kiosk's database. Create it with :meth:`Store.open`."""

    def __init__(self, db: sqlite_utils.Database, path: Path, clock: Clock, kiosk_id: str):
        self._db = db
        self.path = path
        self._clock = clock
        self._kiosk_id = kiosk_id

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: Path, clock: Clock = system_clock, synchronous: str = "FULL") -> Store:
        """Open (or create) the database at ``path`` and bring its schema up to date.

        ``synchronous`` is ``"FULL"`` in the kiosk; the benchmark compares ``"NORMAL"``.
        """
        if synchronous not in SYNCHRONOUS_MODES:
            raise ValueError(f"synchronous must be one of {SYNCHRONOUS_MODES}, not {synchronous!r}")
        path = Path(path).resolve()
        try:
            private_dir(path.parent)  # the data folder is this user's only (0700)
            conn = sqlite3.connect(path.as_uri(), uri=True, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"De kiosk kan zijn database {path} niet maken: {error}. "
                "Kijk of de map bestaat en of je erin mag schrijven, of kies een ander bestand."
            ) from error
        try:
            db = sqlite_utils.Database(conn, execute_plugins=False)
            _configure(db, synchronous)
            _migrate(db, path)
            kiosk_id = _ensure_kiosk(db, clock)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(_database_error_message(path, error)) from error
        except BaseException:
            conn.close()
            raise
        return cls(db, path, clock, kiosk_id)

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL into the file)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------

    @property
    def kiosk_id(self) -> str:
        """This laptop's own id, created once with the database."""
        return self._kiosk_id

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils database, for reading (tallies, tests)."""
        return self._db

    def _now(self) -> str:
        return quarter_hour(self._clock())

    # -- writing -------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One transaction, committed (and on disk) when the block ends."""
        try:
            with self._db.atomic():
                yield self._db
        except sqlite3.IntegrityError as error:
            raise ValueError(f"Refused by the database: {error}") from error

    def start_session(
        self, location: str, place_kind: str = "anders", statement_set: str = "",
        per_visit: int | None = None,
    ) -> str:
        """Start a session at ``location`` (typed by staff); returns its id.

        ``per_visit``: statements per visit (None: all of the set).
        """
        location = location.strip()
        if not location:
            raise ValueError("A session needs a location")
        if place_kind not in PLACE_KINDS:
            raise ValueError(f"place_kind must be one of {PLACE_KINDS}, not {place_kind!r}")
        if per_visit is not None and (isinstance(per_visit, bool)
                                      or not isinstance(per_visit, int) or per_visit < 1):
            raise ValueError(f"per_visit must be None (all) or at least 1, not {per_visit!r}")
        session_id = new_id()
        with self._write() as db:
            db.execute(
                "INSERT INTO session (id, kiosk_id, location, place_kind, statement_set, started,"
                " per_visit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [session_id, self._kiosk_id, location, place_kind, statement_set, self._now(),
                 per_visit],
            )
        return session_id

    def session_counts(self, session_id: str) -> dict[str, int]:
        """Visits that answered each statement in this session (touch answers), for the
        rotation of a session that goes on."""
        rows = self._db.execute(
            "SELECT statement_id, count(*) FROM answer WHERE session_id = ? AND source = 'touch'"
            " GROUP BY statement_id", [session_id]).fetchall()
        return dict(rows)

    def end_session(self, session_id: str) -> None:
        """Mark the session ended (now, to the quarter hour)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE session SET ended = ? WHERE id = ?", [self._now(), session_id]
            )
            _require_one(cursor, "session", session_id)

    def start_visit(self, session_id: str) -> str:
        """Start one passer-by's run through the statements; returns the visit id."""
        visit_id = new_id()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO visit (id, session_id, started)"
                " SELECT ?, id, ? FROM session WHERE id = ?",
                [visit_id, self._now(), session_id],
            )
            _require_one(cursor, "session", session_id)
        return visit_id

    def record_answer(
        self, visit_id: str, statement_id: str, answer: str, source: str = "touch"
    ) -> str:
        """Record an answer to a statement in a visit; returns the answer's id.

        One answer per statement per visit: a second answer to the same
        statement in the same visit REPLACES the first (the person went back
        and changed their mind). The row keeps its id; its answer, source and
        time are updated. The write is committed before this returns, so a
        visit cut off halfway keeps the answers given so far.
        """
        _check_answer(statement_id, answer, source)
        with self._write() as db:
            rows = db.execute(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " SELECT ?, visit.id, visit.session_id, ?, ?, ?, ? FROM visit WHERE visit.id = ?"
                " ON CONFLICT (visit_id, statement_id) WHERE visit_id IS NOT NULL"
                " DO UPDATE SET answer = excluded.answer, source = excluded.source,"
                " at = excluded.at"
                " RETURNING id",
                [new_id(), statement_id, answer, source, self._now(), visit_id],
            ).fetchall()
            if not rows:
                raise ValueError(f"No visit with id {visit_id!r}")
        return rows[0][0]

    def add_staff_tally(
        self, session_id: str, statement_id: str, answer: str, count: int = 1
    ) -> list[str]:
        """Add ``count`` answers counted by staff (beanbag throws); returns their ids."""
        _check_answer(statement_id, answer, "staff")
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        ids = [new_id() for _ in range(count)]
        now = self._now()
        with self._write() as db:
            if not db.execute("SELECT 1 FROM session WHERE id = ?", [session_id]).fetchone():
                raise ValueError(f"No session with id {session_id!r}")
            db.conn.executemany(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " VALUES (?, NULL, ?, ?, ?, 'staff', ?)",
                [(answer_id, session_id, statement_id, answer, now) for answer_id in ids],
            )
        return ids

    def finish_visit(
        self, visit_id: str, suggested_courses: Sequence[str], qr_shown: bool = True,
        completed: bool = True,
    ) -> list[str]:
        """Mark the visit finished; record one referral per course.

        ``completed``: every statement of the visit was answered. A visit that
        ended early ("Klaar", or nobody came back) is finished, not completed,
        and its referrals are recorded all the same: the end screen showed them.

        Returns the referral ids, in the order of ``suggested_courses``.
        """
        ids = [new_id() for _ in suggested_courses]
        with self._write() as db:
            cursor = db.execute(
                "UPDATE visit SET finished = ?, completed = ? WHERE id = ?",
                [self._now(), int(bool(completed)), visit_id],
            )
            _require_one(cursor, "visit", visit_id)
            db.conn.executemany(
                "INSERT INTO referral (id, visit_id, session_id, course_id, qr_shown)"
                " SELECT ?, id, session_id, ?, ? FROM visit WHERE id = ?",
                [
                    (referral_id, course_id, int(qr_shown), visit_id)
                    for referral_id, course_id in zip(ids, suggested_courses, strict=True)
                ],
            )
        return ids

    def mark_printed(self, referral_id: str) -> None:
        """Note that the slip for this referral was printed."""
        with self._write() as db:
            cursor = db.execute("UPDATE referral SET printed = 1 WHERE id = ?", [referral_id])
            _require_one(cursor, "referral", referral_id)

    def peer_count(self, visit_id: str, statement_id: str, answer: str) -> int:
        """How many other visits of this visit's session gave the same answer (touch only).

        For the kind "Jij en N anderen" line; the screen hides small numbers.
        """
        row = self._db.execute(
            "SELECT count(*) FROM answer WHERE session_id = (SELECT session_id FROM visit"
            " WHERE id = ?) AND statement_id = ? AND answer = ? AND source = 'touch'"
            " AND visit_id != ?",
            [visit_id, statement_id, answer, visit_id],
        ).fetchone()
        return int(row[0])

    # -- conversations and signals (logged by staff) --------------------------

    def log_conversation(
        self, session_id: str, topic: str = "", referred_kind: str = "", referred_to: str = ""
    ) -> str:
        """Note one conversation held at the stand; returns its id.

        ``topic``: a theme id of the set, or "". ``referred_kind``: "" (not referred),
        "course" or "partner"; ``referred_to`` is then the course or partner id (and ""
        when not referred). The store does not check the ids against the content:
        content changes, and a merged file comes from another laptop's content.
        """
        _check_id(topic, "topic", allow_empty=True)
        if referred_kind not in REFERRAL_KINDS:
            raise ValueError(f"referred_kind must be one of {REFERRAL_KINDS}, "
                             f"not {referred_kind!r}")
        if referred_kind:
            _check_id(referred_to, "referred_to")
        elif referred_to:
            raise ValueError("referred_to must be empty when referred_kind is empty")
        conversation_id = new_id()
        with self._write() as db:
            _require_session(db, session_id)
            db.execute(
                "INSERT INTO conversation (id, session_id, at, topic, referred_kind, referred_to)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [conversation_id, session_id, self._now(), topic, referred_kind, referred_to],
            )
        return conversation_id

    def log_signal(self, session_id: str, kind: str, text: str = "") -> str:
        """Note one signal heard at the stand; returns its id.

        ``kind``: a signal id of ``signals.toml``, or :data:`~kiosk.core.model.OTHER_SIGNAL`
        ("anders") with a short free ``text``, which is stored as
        :func:`~kiosk.core.freetext.clean_free_text` makes it. A bad text raises
        ValueError with the Dutch message for staff
        (:func:`~kiosk.core.freetext.free_text_problem`); other kinds take no text.
        """
        _check_id(kind, "kind")
        if kind == OTHER_SIGNAL:
            if problem := free_text_problem(text):
                raise ValueError(problem)
            text = clean_free_text(text)
        elif clean_free_text(text):
            raise ValueError(f"Only the signal kind {OTHER_SIGNAL!r} takes a text, not {kind!r}")
        else:
            text = ""
        signal_id = new_id()
        with self._write() as db:
            _require_session(db, session_id)
            db.execute(
                "INSERT INTO signal (id, session_id, at, kind, text) VALUES (?, ?, ?, ?, ?)",
                [signal_id, session_id, self._now(), kind, text],
            )
        return signal_id

    def session_log_counts(self, session_id: str) -> tuple[int, int]:
        """(conversations, signals) logged in this session so far (0, 0 for an unknown id)."""
        row = self._db.execute(
            "SELECT (SELECT count(*) FROM conversation WHERE session_id = ?),"
            " (SELECT count(*) FROM signal WHERE session_id = ?)",
            [session_id, session_id],
        ).fetchone()
        return int(row[0]), int(row[1])

    # -- backup and merge ----------------------------------------------------

    def backup(self, dest: Path) -> None:
        """Write a consistent copy to ``dest`` (a new file) and check it.

        The copy is made with ``VACUUM INTO`` under a temporary name beside
        ``dest``, opened read-only for ``PRAGMA integrity_check``, flushed to
        disk, and only then renamed to ``dest``: complete or absent. A failure
        (a full disk, a kill halfway) leaves nothing under ``dest``, so the next
        attempt is not refused. The copy follows the umask (0644 under 022):
        it is made to be taken away.
        """
        dest = Path(dest).resolve()
        if dest.exists():
            raise StoreError(
                f"Het reservekopiebestand {dest} bestaat al; de kiosk overschrijft het niet. "
                "Kies een nieuwe bestandsnaam, of zet de oude kopie eerst ergens anders."
            )
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with replacing(dest, suffix=".tmp", mode=file_mode(), check=_checked_backup,
                           overwrite=False) as temporary:
                try:
                    self._db.execute("VACUUM INTO ?", [str(temporary)])
                finally:
                    _remove_side_files(temporary)
        except FileExistsError as error:
            raise StoreError(
                f"Het reservekopiebestand {dest} bestaat al; de kiosk overschrijft het niet. "
                "Kies een nieuwe bestandsnaam, of zet de oude kopie eerst ergens anders."
            ) from error
        except IncompleteFile as error:
            raise StoreError(
                f"De reservekopie {dest} kwam niet door de controle ({error}); er is niets "
                "geschreven. Maak de kopie opnieuw, op een andere schijf als het weer mislukt."
            ) from error
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"De reservekopie {dest} kon niet worden geschreven: {error}. Er is niets "
                "geschreven. Kijk of de schijf ruimte heeft en of je in de map mag schrijven."
            ) from error

    def snapshot(self, folder: Path) -> Path:
        """A consistent copy of this database as ``<folder>/<kiosk name>.db`` for a sync
        tool to carry (the outbox), replacing the previous one.

        Made like :meth:`backup` (``VACUUM INTO`` a temporary name, checked,
        flushed, renamed), so a sync tool never sees a half-written file and the
        live database is never what is synced. Returns the file.
        """
        name = self._db.execute("SELECT name FROM kiosk WHERE id = ?",
                                [self._kiosk_id]).fetchone()[0]
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name) or "kiosk"
        dest = Path(folder).resolve() / f"{safe}.db"
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with replacing(dest, suffix=".tmp", mode=file_mode(),
                           check=_checked_backup) as temporary:
                try:
                    self._db.execute("VACUUM INTO ?", [str(temporary)])
                finally:
                    _remove_side_files(temporary)
        except IncompleteFile as error:
            raise StoreError(f"De kopie voor de outbox {dest} kwam niet door de controle "
                             f"({error}); de vorige kopie blijft staan.") from error
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"De kopie voor de outbox {dest} kon niet worden geschreven: "
                             f"{error}. De vorige kopie blijft staan; kijk of de map bestaat "
                             "en ruimte heeft.") from error
        return dest

    def merge(self, paths: Iterable[Path]) -> MergeReport:
        """Copy the rows of other kiosks' databases into this one.

        Each file is attached read-only and checked first (a kiosk database of
        a schema version this code knows), then merged row by row in one
        transaction per file (see :meth:`_merge_attached`): the newer version of
        a row wins, bad rows are refused and counted. Merging a file twice
        changes nothing; this store's own file is skipped. A folder stands for
        every ``*.db`` file in it.
        """
        report = MergeReport()
        files: list[Path] = []
        for given in paths:
            given = Path(given).resolve()
            if given.is_dir():
                found = sorted(p for p in given.glob("*.db") if p.is_file())
                if not found:
                    raise StoreError(f"Samenvoegen van {given} lukt niet: in de map staan "
                                     "geen .db-bestanden.")
                files.extend(found)
            else:
                files.append(given)
        for path in files:  # check every file before changing anything
            if not _same_file(path, self.path):
                with self._attached(path):
                    _check_attached(self._db, path)
        for path in files:
            if _same_file(path, self.path):
                report.skipped[path] = "dit is de eigen database van deze kiosk"
                continue
            with self._attached(path):
                self._merge_attached(path, report)
        return report

    @contextmanager
    def _attached(self, path: Path) -> Iterator[None]:
        """Attach ``path`` read-only as ``other``; detach and tidy up afterwards."""
        if not path.is_file():
            raise StoreError(f"Samenvoegen van {path} lukt niet: dat bestand bestaat niet. "
                             "Kijk of de naam en de map kloppen.")
        side_files = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        created = [side for side in side_files if not side.exists()]
        try:
            self._db.execute("ATTACH DATABASE ? AS other", [path.as_uri() + "?mode=ro"])
        except sqlite3.Error as error:
            raise StoreError(_database_error_message(path, error)) from error
        try:
            yield
        finally:
            self._db.execute("DETACH DATABASE other")
            _remove_empty_wal(created)

    def _merge_attached(self, path: Path, report: MergeReport) -> None:
        """Merge the attached file, table by table, parents first, in one transaction.

        Each row is checked as if typed at the kiosk (kiosk.core.rowcheck) and must
        belong to rows that exist; a new id is added, a higher version replaces the
        row (the newer state wins), the same version with other content is a
        conflict (reported; this laptop's row stays), a lower version is older.
        """
        added: dict[str, int] = {}
        updated: dict[str, int] = {}
        refused: Counter[str] = Counter()
        conflicts: list[tuple[str, str]] = []
        known: dict[str, set[str]] = {}
        try:
            with self._db.atomic() as db:
                for table in MERGED_TABLES:
                    ours = list(db[table].columns_dict)
                    theirs = {row[1] for row in
                              db.execute(f"PRAGMA other.table_info({table})").fetchall()}
                    local = dict(db.execute(f"SELECT id, version FROM main.{table}").fetchall())
                    known[table] = set(local)
                    added[table] = updated[table] = 0
                    if not theirs:  # an older kiosk's file lacks newer tables
                        continue
                    # an older kiosk's file lacks newer columns: they keep their defaults
                    columns = [c for c in ours if c in theirs]
                    their_version = "o.version" if "version" in theirs else "1"
                    data = [c for c in columns if c not in ("id", "version")]
                    differs = " OR ".join(f"m.{c} IS NOT o.{c}" for c in data) or "0"
                    clashing = {row[0] for row in db.execute(
                        f"SELECT o.id FROM other.{table} o JOIN main.{table} m ON m.id = o.id"
                        f" WHERE m.version = {their_version} AND ({differs})")}
                    inserts, updates = [], []
                    select = ", ".join(columns)
                    for values in db.execute(f"SELECT {select} FROM other.{table}"):
                        row = dict(zip(columns, values, strict=True))
                        row.setdefault("version", 1)
                        mine = local.get(row["id"])
                        if (mine is not None and isinstance(row["version"], int)
                                and row["version"] <= mine and row["id"] not in clashing):
                            continue  # already here, as new or newer: nothing enters
                        reason = row_problem(table, row)
                        if reason is None and not isinstance(row["version"], int):
                            reason = BAD_NUMBER
                        if reason is None and any(
                                row.get(column) not in known[parent]
                                and not (nullable and row.get(column) is None)
                                for column, parent, nullable in PARENTS[table]):
                            reason = MISSING_PARENT
                        if reason is not None:
                            refused[reason] += 1
                            continue
                        if mine is None:
                            inserts.append(row)
                            local[row["id"]] = row["version"]
                            known[table].add(row["id"])
                        elif row["version"] > mine:
                            updates.append(row)
                        elif row["id"] in clashing:
                            conflicts.append((table, row["id"]))
                    names = list(columns) + ([] if "version" in columns else ["version"])
                    if inserts:
                        db.conn.executemany(
                            f"INSERT INTO main.{table} ({', '.join(names)})"
                            f" VALUES ({', '.join('?' * len(names))})",
                            [[row[c] for c in names] for row in inserts])
                    if updates:
                        sets = ", ".join(f"{c} = ?" for c in names if c != "id")
                        db.conn.executemany(
                            f"UPDATE main.{table} SET {sets} WHERE id = ?",
                            [[row[c] for c in names if c != "id"] + [row["id"]]
                             for row in updates])
                    added[table], updated[table] = len(inserts), len(updates)
        except sqlite3.Error as error:
            raise StoreError(
                f"Samenvoegen van {path} lukte niet: {error}. Niets uit dit bestand is "
                "samengevoegd; probeer een reservekopie van het bestand, of laat het weg."
            ) from error
        report.added[path] = added
        report.updated[path] = updated
        report.refused[path] = dict(refused)
        report.conflicts[path] = conflicts


# -- helpers -----------------------------------------------------------------


def _configure(db: sqlite_utils.Database, synchronous: str) -> None:
    """Pragmas for every connection; reading user_version first finds a non-SQLite file."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA user_version").fetchone()
    db.execute("PRAGMA journal_mode = WAL").fetchone()
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute("PRAGMA foreign_keys = ON")


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Apply the missing migrations, in one transaction."""
    with db.atomic():
        version = _check_version(db, "main", path)
        for step in MIGRATIONS[version:]:
            step(db)
        if version < SCHEMA_VERSION:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check_version(db: sqlite_utils.Database, schema: str, path: Path) -> int:
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


def _check_attached(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse an attached file that is not a kiosk database of this schema version."""
    try:
        version = _check_version(db, "other", path)
    except sqlite3.DatabaseError as error:
        raise StoreError(_database_error_message(path, error)) from error
    if version == 0:
        raise StoreError(f"Samenvoegen van {path} lukt niet: het bestand is leeg, geen "
                         "database van de kiosk.")
    # An older schema merges as it is: _merge_attached copies the columns it has.


def _ensure_kiosk(db: sqlite_utils.Database, clock: Clock) -> str:
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


def _check_answer(statement_id: str, answer: str, source: str) -> None:
    if not statement_id:
        raise ValueError("statement_id must not be empty")
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}, not {answer!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")


def _check_id(value: str, name: str, allow_empty: bool = False) -> None:
    """``value`` must be an id (lowercase letters, digits, hyphens; short), or "" if allowed."""
    if allow_empty and value == "":
        return
    if not isinstance(value, str) or len(value) > MAX_ID_CHARS or not ID_PATTERN.fullmatch(value):
        empty = " or empty" if allow_empty else ""
        raise ValueError(f"{name} must be an id (lowercase letters, digits and hyphens, at most "
                         f"{MAX_ID_CHARS} characters){empty}, not {value!r}")


def _require_session(db: sqlite_utils.Database, session_id: str) -> None:
    if not db.execute("SELECT 1 FROM session WHERE id = ?", [session_id]).fetchone():
        raise ValueError(f"No session with id {session_id!r}")


def _require_one(cursor: sqlite3.Cursor, table: str, row_id: str) -> None:
    if cursor.rowcount != 1:
        raise ValueError(f"No {table} with id {row_id!r}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _remove_empty_wal(created: list[Path]) -> None:
    """Remove the -wal and -shm files a read-only attach left beside a WAL database.

    Only files that did not exist before the attach (so no other connection
    had the database open), and only when the -wal holds nothing.
    """
    wal = next((p for p in created if p.name.endswith("-wal")), None)
    if wal is None or not wal.exists() or wal.stat().st_size > 0:
        return
    for side in created:
        side.unlink(missing_ok=True)


def _checked_backup(path: Path) -> None:
    """Refuse a backup copy that is empty or fails ``PRAGMA integrity_check``."""
    if path.stat().st_size == 0:
        raise IncompleteFile("the copy is empty")
    result = _integrity_check(path)
    _remove_side_files(path)
    if result != "ok":
        raise IncompleteFile(result)


def _remove_side_files(path: Path) -> None:
    for side in ("-journal", "-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)


def _integrity_check(path: Path) -> str:
    """``PRAGMA integrity_check`` of a file, opened read-only ("ok" when healthy)."""
    try:
        with closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        return str(error)
    return "; ".join(row[0] for row in rows)


def _database_error_message(path: Path, error: sqlite3.Error) -> str:
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
