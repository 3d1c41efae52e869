"""The kiosk's database: one SQLite file, one connection, one writer.

Durability: WAL with ``synchronous=FULL`` and every write committed before the
method returns, so an answer the screen has acknowledged is on disk and survives
``kill -9`` and power loss.

Anonymity: no names, no free text from passers-by, and every stored time is
rounded down to the quarter hour (:func:`kiosk.core.clock.quarter_hour`). The one
free text, an "Anders" signal typed by staff, is checked by
:mod:`kiosk.core.freetext` and never appears in a log or an error message.

One rulebook: what the store writes is checked by :mod:`kiosk.core.rules`, the same
functions the merge's row checks use, so whatever this kiosk stores, another
kiosk's merge accepts. Times are stored in order: a clock that went back never
makes an end before its start (the end is then the start).

The schema and its migrations live in :mod:`kiosk.core.schema`, the merge of other
laptops' files in :mod:`kiosk.core.merge`. The connection belongs to the thread
that opened the store (sqlite3 checks this); :class:`kiosk.core.recorder.Recorder`
runs a store on a worker thread.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import sqlite_utils

from kiosk.core import rules
from kiosk.core.clock import Clock, quarter_hour, system_clock
from kiosk.core.files import IncompleteFile, file_mode, replacing
from kiosk.core.freetext import clean_free_text, free_text_problem
from kiosk.core.merge import BATCH_ROWS, MergeReport, merge_into
from kiosk.core.model import (
    ANSWERS,
    NO_APPROACH,
    OTHER_SIGNAL,
    PLACE_KINDS,
    REFERRAL_KINDS,
    SOURCES,
)
from kiosk.core.rules import new_id
from kiosk.core.schema import (  # noqa: F401 - re-exported: the store's public names
    APPLICATION_ID,
    MERGED_TABLES,
    MIGRATIONS,
    SCHEMA_VERSION,
    SYNCHRONOUS_MODES,
    StoreError,
    configure,
    database_error_message,
    ensure_kiosk,
    migrate,
)
from kiosk.paths import private_dir

#: The longest id the store takes for a topic, a referral target or a signal kind.
MAX_ID_CHARS = rules.MAX_ID

__all__ = ["APPLICATION_ID", "MERGED_TABLES", "MIGRATIONS", "SCHEMA_VERSION", "MergeReport",
           "Store", "StoreError", "new_id"]


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
            configure(db, synchronous)
            migrate(db, path)
            kiosk_id = ensure_kiosk(db, clock)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(database_error_message(path, error)) from error
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

    def kiosk_name(self) -> str:
        """This laptop's kiosk name ("kiosk-1a2b3c4d" until staff name it)."""
        return self._db.execute("SELECT name FROM kiosk WHERE id = ?",
                                [self._kiosk_id]).fetchone()[0]

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

    @contextmanager
    def _unsynced(self) -> Iterator[None]:
        """The commit inside this block does not wait for the disk (synchronous=NORMAL);
        the mode of before (FULL in the kiosk) is back for the next one."""
        before = self._db.execute("PRAGMA synchronous").fetchone()[0]
        if before <= 1:
            yield
            return
        self._db.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            self._db.execute(f"PRAGMA synchronous = {int(before)}")

    def start_session(
        self, location: str, place_kind: str = "anders", statement_set: str = "",
        per_visit: int | None = None, approach: str = "",
    ) -> str:
        """Start a session at ``location`` (typed by staff); returns its id.

        ``per_visit``: statements per visit (None: all of the set). ``approach``: an id
        from ``approaches.toml``; "" (or "geen") for none.
        """
        if approach == NO_APPROACH:
            approach = ""
        if approach != "" and not rules.is_content_id(approach):
            raise ValueError(f"approach must be a content id or '', not {approach!r}")
        if problem := rules.name_problem(location):
            raise ValueError(f"De naam van de plek kan niet: {problem}")
        location = rules.clean_text(location)
        if place_kind not in PLACE_KINDS:
            raise ValueError(f"place_kind must be one of {PLACE_KINDS}, not {place_kind!r}")
        if per_visit is not None and (isinstance(per_visit, bool)
                                      or not isinstance(per_visit, int)
                                      or not 1 <= per_visit <= 1000):
            raise ValueError(f"per_visit must be None (all) or at least 1, not {per_visit!r}")
        session_id = new_id()
        with self._write() as db:
            db.execute(
                "INSERT INTO session (id, kiosk_id, location, place_kind, statement_set, started,"
                " per_visit, approach) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [session_id, self._kiosk_id, location, place_kind, statement_set, self._now(),
                 per_visit, approach],
            )
        return session_id

    def rename_kiosk(self, name: str) -> str:
        """Give this laptop's kiosk the name staff chose ("Kiosk bakfiets"); returns it as
        stored (:func:`kiosk.core.rules.clean_text`). The row's version goes up (the
        trigger), so a merge of this laptop's file carries the new name: a file may
        change its own kiosk's row. A name the rulebook refuses raises ValueError with
        the Dutch reason."""
        if problem := rules.name_problem(name):
            raise ValueError(problem)
        name = rules.clean_text(name)
        with self._write() as db:
            db.execute("UPDATE kiosk SET name = ? WHERE id = ? AND name != ?",
                       [name, self._kiosk_id, name])
        return name

    def session_counts(self, session_id: str) -> dict[str, int]:
        """Visits that answered each statement in this session (touch answers), for the
        rotation of a session that goes on."""
        rows = self._db.execute(
            "SELECT statement_id, count(*) FROM answer WHERE session_id = ? AND source = 'touch'"
            " GROUP BY statement_id", [session_id]).fetchall()
        return dict(rows)

    def end_session(self, session_id: str) -> None:
        """Mark the session ended (now, to the quarter hour; never before it started,
        even when the clock went back in between)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE session SET ended = max(?, started) WHERE id = ?",
                [self._now(), session_id]
            )
            _require_one(cursor, "session", session_id)

    def start_visit(self, session_id: str) -> str:
        """Start one passer-by's run through the statements; returns the visit id.

        The kiosk starts a visit at its first answer, and the visit row alone says
        nothing anyone did: it is committed without a sync of its own and reaches the
        disk with the next commit that syncs, the first answer's, whose sync of the
        write-ahead log carries the visit's frames written before it. A power cut in
        between loses only a visit without answers, which the screen never
        acknowledged; the first tap of a visit waits for one sync, not two
        (docs/benchmarks.md, "Tap-to-paint latency").
        """
        visit_id = new_id()
        with self._unsynced(), self._write() as db:
            cursor = db.execute(
                "INSERT INTO visit (id, session_id, started)"
                " SELECT ?, id, max(?, started) FROM session WHERE id = ?",
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
                " SELECT ?, visit.id, visit.session_id, ?, ?, ?, max(?, visit.started)"
                " FROM visit WHERE visit.id = ?"
                " ON CONFLICT (visit_id, statement_id) WHERE visit_id IS NOT NULL"
                " DO UPDATE SET answer = excluded.answer, source = excluded.source,"
                " at = max(excluded.at, answer.at)"
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
        with self._write() as db:
            now = rules.later_of(_require_session(db, session_id), self._now())
            db.conn.executemany(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " VALUES (?, NULL, ?, ?, ?, 'staff', ?)",
                [(answer_id, session_id, statement_id, answer, now) for answer_id in ids],
            )
        return ids

    def finish_visit(
        self, visit_id: str, suggested_courses: Sequence[str],
        qr_shown: bool | Sequence[bool] = True, completed: bool = True,
    ) -> list[str]:
        """Mark the visit finished; record one referral per course.

        ``qr_shown``: one flag for all, or one per course (the end screen shows the
        first course's QR code; another one only when the passer-by asks,
        :meth:`mark_qr_shown`).

        ``completed``: every statement of the visit was answered. A visit that
        ended early ("Klaar", or nobody came back) is finished, not completed,
        and its referrals are recorded all the same: the end screen showed them.

        Returns the referral ids, in the order of ``suggested_courses``.
        """
        ids = [new_id() for _ in suggested_courses]
        shown = ([bool(qr_shown)] * len(ids) if isinstance(qr_shown, bool)
                 else [bool(flag) for flag in qr_shown])
        if len(shown) != len(ids):
            raise ValueError(f"{len(shown)} qr_shown flags for {len(ids)} courses")
        with self._write() as db:
            cursor = db.execute(
                "UPDATE visit SET finished = max(?, started), completed = ? WHERE id = ?",
                [self._now(), int(bool(completed)), visit_id],
            )
            _require_one(cursor, "visit", visit_id)
            db.conn.executemany(
                "INSERT INTO referral (id, visit_id, session_id, course_id, qr_shown)"
                " SELECT ?, id, session_id, ?, ? FROM visit WHERE id = ?",
                [
                    (referral_id, course_id, int(flag), visit_id)
                    for referral_id, course_id, flag in zip(ids, suggested_courses, shown,
                                                            strict=True)
                ],
            )
        return ids

    def mark_qr_shown(self, visit_id: str, course_id: str) -> None:
        """Note that the QR code of the visit's suggested course ``course_id`` was shown."""
        with self._write() as db:
            cursor = db.execute("UPDATE referral SET qr_shown = 1 WHERE visit_id = ?"
                                " AND course_id = ?", [visit_id, course_id])
            _require_one(cursor, "referral", f"{visit_id}/{course_id}")

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
            now = rules.later_of(_require_session(db, session_id), self._now())
            db.execute(
                "INSERT INTO conversation (id, session_id, at, topic, referred_kind, referred_to)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [conversation_id, session_id, now, topic, referred_kind, referred_to],
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
            now = rules.later_of(_require_session(db, session_id), self._now())
            db.execute(
                "INSERT INTO signal (id, session_id, at, kind, text) VALUES (?, ?, ?, ?, ?)",
                [signal_id, session_id, now, kind, text],
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
        dest = Path(folder).resolve() / snapshot_name(self.kiosk_name(), self._kiosk_id)
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
        _remove_old_snapshots(dest, self._kiosk_id)
        return dest

    def merge(self, paths: Iterable[Path], batch_rows: int = BATCH_ROWS,
              others: Callable[[], bool] | None = None) -> MergeReport:
        """Copy the rows of other kiosks' databases into this one (see :mod:`kiosk.core.merge`).

        Every good file is merged; a file that cannot be is listed in
        :attr:`MergeReport.skipped` with the reason, and :attr:`MergeReport.failed`
        says something was left out. A folder stands for every ``*.db`` file in it.
        ``others``: see :func:`kiosk.core.merge.merge_into` (a kiosk running beside).
        """
        return merge_into(self._db.conn, self.path, self._kiosk_id, paths, batch_rows, others)


# -- helpers -----------------------------------------------------------------


def snapshot_name(name: str, kiosk_id: str) -> str:
    """The outbox file of a kiosk: its name made file-safe, then its short id, so two
    laptops both named "Kiosk" never overwrite each other's file in one sync folder:
    "Kiosk bakfiets" -> ``Kiosk-bakfiets-1a2b3c4d.db``; the unnamed ``kiosk-1a2b3c4d.db``."""
    short = kiosk_id[:8]
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9_]+", "-", plain).strip("-_")[:60].strip("-_")
    if not safe or safe.lower() == f"kiosk-{short}":
        return f"kiosk-{short}.db"
    return f"{safe}-{short}.db"


def _remove_old_snapshots(dest: Path, kiosk_id: str) -> None:
    """Remove this kiosk's snapshots under an earlier name (before staff renamed it) from
    the outbox, so the coordinator sees one file per laptop. Only ``*-<short id>.db``
    files whose database says they are this kiosk's (read-only); others stay."""
    for old in dest.parent.glob(f"*-{kiosk_id[:8]}.db"):
        if old.name == dest.name or old.is_symlink() or not old.is_file():
            continue
        try:
            with closing(sqlite3.connect(f"{old.as_uri()}?mode=ro&immutable=1",
                                         uri=True)) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'kiosk_id'").fetchone()
        except sqlite3.Error:
            continue
        if row and row[0] == kiosk_id:
            old.unlink(missing_ok=True)


def _check_answer(statement_id: str, answer: str, source: str) -> None:
    if not rules.is_content_id(statement_id):
        raise ValueError(f"statement_id must be a content id, not {statement_id!r}")
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}, not {answer!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")


def _check_id(value: str, name: str, allow_empty: bool = False) -> None:
    """``value`` must be an id (lowercase letters, digits, hyphens; short), or "" if allowed."""
    if allow_empty and value == "":
        return
    if not rules.is_content_id(value):
        empty = " or empty" if allow_empty else ""
        raise ValueError(f"{name} must be an id (lowercase letters, digits and hyphens, at most "
                         f"{MAX_ID_CHARS} characters){empty}, not {value!r}")


def _require_session(db: sqlite_utils.Database, session_id: str) -> str:
    """The session's start; ValueError when there is no such session."""
    row = db.execute("SELECT started FROM session WHERE id = ?", [session_id]).fetchone()
    if not row:
        raise ValueError(f"No session with id {session_id!r}")
    return row[0]


def _require_one(cursor: sqlite3.Cursor, table: str, row_id: str) -> None:
    if cursor.rowcount != 1:
        raise ValueError(f"No {table} with id {row_id!r}")




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

