"""Merging other laptops' databases into this one: every good file, never the bad with it.

A merged file is hostile until checked (it came through a sync folder or a USB stick):

- **Only a regular file** of at most :data:`MAX_FILE_BYTES` is read. It is copied
  into a private folder first and read there through a separate read-only
  connection (``mode=ro&immutable=1``), so nothing is ever written into the sync
  folder: no ``-wal`` or ``-shm``, whatever happens.
- **Only tables**: each merged name must be a real table in ``sqlite_master``
  (a VIEW named ``answer``, even a recursive one, is refused), with at most
  :data:`MAX_ROWS` rows, and the whole file is read within :data:`MAX_SECONDS`.
- **Every row** is checked as if typed at the kiosk (:mod:`kiosk.core.rowcheck`,
  which uses the one rulebook :mod:`kiosk.core.rules`), and must belong to rows
  that exist.
- **Who may change what.** A file may add new rows of any kiosk. It may change an
  existing row (a higher version) only when that row belongs to the kiosk that
  wrote the file (``meta.kiosk_id``): the session's kiosk owns the session and
  everything in it. It never renames another kiosk, and never changes this
  laptop's own rows.
- **Repairs, not drops.** A session or visit that ends before it starts (a laptop
  clock that went back) is merged with its end set to its start, and said so.
  Rows dated before 2020 or after tomorrow are kept and named in the summary;
  outputs count them under "tijd onbekend".
- **Short write locks.** Rows are written in batches of :data:`BATCH_ROWS`, each
  its own short ``BEGIN IMMEDIATE`` transaction, so a kiosk writing to the same
  database is never paused for long (``bench/bench_merge.py`` measures it). A
  merge that is cut off halfway is finished by running it again: merging is
  idempotent.

A file that cannot be merged is skipped with a Dutch reason and the others are
merged all the same; :attr:`MergeReport.failed` tells the command line to exit 1.
Pure Python; no Qt.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core import rules
from kiosk.core.files import _pid_alive as pid_alive
from kiosk.core.rowcheck import (
    BAD_NUMBER,
    CLASH,
    MISSING_PARENT,
    NOT_OWNER,
    PARENTS,
    row_problem,
)
from kiosk.core.schema import MERGED_TABLES, StoreError, check_version

#: The largest file a merge reads (a year of a busy stand is a few tens of MB).
MAX_FILE_BYTES = 2 * 1024**3
#: The most rows of one table a merge reads from one file.
MAX_ROWS = 10_000_000
#: The longest a merge spends reading one file, in seconds.
MAX_SECONDS = 600.0
#: Rows written per transaction: short enough that a kiosk on the same database
#: waits a fraction of a second, long enough that a merge of 600,000 answers is quick.
BATCH_ROWS = 2000
#: Rows per transaction when no other process writes to the database (fewer commits).
SOLO_BATCH_ROWS = 50_000
#: After each full batch beside a running kiosk the merge checkpoints the WAL (so
#: the kiosk's next commit does not inherit that work), then leaves the database
#: alone this long.
#: SQLite's busy handler polls (at most every 100 ms), it does not queue: without a
#: gap longer than one poll, a kiosk waiting to save could be starved for seconds by
#: back-to-back batches (measured: 4.0 s at 2,000 rows without a gap).
YIELD_SECONDS = 0.11

#: The time column of each table that says when the row happened (for "tijd onbekend").
TIME_COLUMN = {"kiosk": "created", "session": "started", "visit": "started", "answer": "at",
               "referral": None, "conversation": "at", "signal": "at"}
#: The end column that must not lie before the start (repaired when it does).
END_COLUMN = {"session": ("started", "ended"), "visit": ("started", "finished")}


@dataclass
class MergeReport:
    """What a merge did, per merged file: rows added, updated (a newer version came in),
    refused (with the reason), conflicts (same id and version, other content), repaired
    (an end before its start), doubtful (a time before 2020 or after tomorrow), and the
    files skipped whole, with the reason."""

    added: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Rows that were there and came in with a higher version (changes carried).
    updated: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Rows refused, per reason (see kiosk.core.rowcheck), per file.
    refused: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: (table, id) of rows with the same version but other content: reported, not merged.
    conflicts: dict[Path, list[tuple[str, str]]] = field(default_factory=dict)
    #: Rows merged with their end set to their start (the clock went back), per table.
    repaired: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Rows merged with a time that cannot be right, per table ("tijd onbekend").
    doubtful: dict[Path, dict[str, int]] = field(default_factory=dict)
    #: Files that were not merged, with the reason.
    skipped: dict[Path, str] = field(default_factory=dict)
    #: What SQLite or the system said about a skipped file (English; command line only).
    details: dict[Path, str] = field(default_factory=dict)
    #: Files passed over without fault (this kiosk's own database).
    passed: dict[Path, str] = field(default_factory=dict)
    #: The name of the kiosk that wrote each merged file ("Kiosk bakfiets"), as merged.
    names: dict[Path, str] = field(default_factory=dict)

    #: table -> (one, many): the Dutch words of :meth:`lines` (a class constant, no field).
    WORDS = {"kiosk": ("kiosk", "kiosks"), "session": ("sessie", "sessies"),
             "visit": ("bezoek", "bezoeken"), "answer": ("antwoord", "antwoorden"),
             "referral": ("verwijzing", "verwijzingen"),
             "conversation": ("gesprek", "gesprekken"), "signal": ("signaal", "signalen")}

    def totals(self) -> dict[str, int]:
        """New rows per table over all files."""
        return {t: sum(counts.get(t, 0) for counts in self.added.values())
                for t in MERGED_TABLES}

    @property
    def refused_rows(self) -> int:
        return sum(n for reasons in self.refused.values() for n in reasons.values())

    @property
    def failed(self) -> bool:
        """True when something was left out: a file skipped, or a row refused."""
        return bool(self.skipped) or self.refused_rows > 0

    def counted(self, n: int, table: str) -> str:
        one, many = self.WORDS.get(table, (table, table))
        return f"{n} {one if n == 1 else many}"

    def lines(self) -> list[str]:
        """A readable summary in Dutch, one block per file (for ``kiosk merge``)."""
        out: list[str] = []
        for path in self.added:
            added = {t: n for t, n in self.added[path].items() if n}
            updated = {t: n for t, n in self.updated.get(path, {}).items() if n}
            out.append(f"{path} ({self.names[path]}):" if path in self.names else f"{path}:")
            out.append("  nieuw: " + (", ".join(self.counted(n, t) for t, n in added.items())
                                      or "niets nieuws"))
            if updated:
                out.append("  bijgewerkt (daar nieuwer): "
                           + ", ".join(self.counted(n, t) for t, n in updated.items()))
            repaired = {t: n for t, n in self.repaired.get(path, {}).items() if n}
            if repaired:
                out.append("  hersteld: " + ", ".join(self.counted(n, t) for t, n in
                                                       repaired.items())
                           + " eindigde voor het begin (de klok van die laptop ging terug); "
                           "het einde is nu gelijk aan het begin")
            doubtful = {t: n for t, n in self.doubtful.get(path, {}).items() if n}
            if doubtful:
                out.append("  tijd onbekend: " + ", ".join(self.counted(n, t) for t, n in
                                                           doubtful.items())
                           + " met een datum voor 2020 of na morgen (de klok van die laptop "
                           "stond verkeerd); ze tellen mee, maar niet bij een dag")
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
        for path, reason in self.passed.items():
            out.append(f"{path}: niet samengevoegd: {reason}")
        for path, reason in self.skipped.items():
            detail = f" (melding: {self.details[path]})" if path in self.details else ""
            out.append(f"{path}: OVERGESLAGEN: {reason}{detail}")
        if self.failed:
            files = len(self.skipped)
            rows = self.refused_rows
            parts = ([f"{files} {'bestand' if files == 1 else 'bestanden'} overgeslagen"]
                     if files else []) + ([f"{rows} {'regel' if rows == 1 else 'regels'} "
                                           "geweigerd"] if rows else [])
            out.append(f"Niet alles is samengevoegd: {' en '.join(parts)}. De rest is wel "
                       "samengevoegd. Los het op (zie hierboven) en voeg daarna opnieuw "
                       "samen: wat er al is, komt er niet dubbel in.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def merge_into(conn: sqlite3.Connection, own_path: Path, own_kiosk: str,
               paths: Iterable[Path], batch_rows: int = BATCH_ROWS,
               others: Callable[[], bool] | None = None) -> MergeReport:
    """Merge the kiosk databases ``paths`` (files, or folders of ``*.db`` files) into
    the database on ``conn`` (this laptop's store at ``own_path``, kiosk ``own_kiosk``).

    ``others``: asked after each full batch; True when another process (a running
    kiosk) writes to the same database, which then gets a checkpointed WAL and a gap
    (:data:`YIELD_SECONDS`) to save in. None: nobody else writes (the kiosk's own
    staff screen merges on its one writer).

    Never raises for one bad file: it is listed in :attr:`MergeReport.skipped`.
    Raises StoreError only when nothing can be read at all (a folder without files,
    a name that does not exist).
    """
    report = MergeReport()
    files = _files(paths)
    _remove_stale_copies(own_path.parent)
    for path in files:
        if _same_file(path, own_path):
            report.passed[path] = "dit is de eigen database van deze kiosk"
            continue
        try:
            with _private_copy(path, own_path.parent) as source:
                _merge_file(conn, source, path, own_kiosk, report, batch_rows, others)
        except StoreError as error:
            report.skipped[path] = str(error)
            if getattr(error, "detail", ""):
                report.details[path] = error.detail
            for part in (report.added, report.updated, report.refused, report.conflicts,
                         report.repaired, report.doubtful):
                part.pop(path, None)
    return report


def _files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        given = Path(given).absolute()
        if given.is_dir():
            found = sorted(p for p in given.glob("*.db") if not p.name.startswith("."))
            if not found:
                raise StoreError(f"Samenvoegen van {given} lukt niet: in de map staan "
                                 "geen .db-bestanden.")
            files.extend(found)
        else:
            files.append(given)
    return files


#: The private folder of a merge's copies, in the data folder (this user's only).
_COPY_PREFIX = ".merge-{pid}-"


def _remove_stale_copies(data: Path) -> None:
    """Remove the private copies of merges that were killed (their process is gone)."""
    try:
        entries = list(data.iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(".merge-") or not entry.is_dir() or entry.is_symlink():
            continue
        pid = name.split("-")[1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _private_copy(path: Path, data: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a private copy of ``path`` (and its ``-wal``), made
    in a folder of its own in the data folder ``data`` (this user's only).

    The copy is read without following a FIFO or a device; only a regular file of
    bounded size is taken. A ``-wal`` beside it (a live database) is folded into
    the copy first, in the private folder.
    """
    with tempfile.TemporaryDirectory(prefix=_COPY_PREFIX.format(pid=os.getpid()),
                                     dir=data) as folder:
        copy = Path(folder) / "other.db"
        _copy_regular(path, copy, "het bestand")
        wal = Path(str(path) + "-wal")
        if wal.exists() and _copy_regular(wal, Path(str(copy) + "-wal"), "het -wal-bestand"):
            try:
                with closing(sqlite3.connect(copy)) as fold:
                    fold.execute("PRAGMA journal_mode = DELETE").fetchone()
            except sqlite3.Error as error:
                raise _unreadable(error) from None
        try:
            conn = sqlite3.connect(copy.as_uri() + "?mode=ro&immutable=1", uri=True,
                                   isolation_level=None)
        except sqlite3.Error as error:
            raise _unreadable(error) from None
        try:
            yield conn
        finally:
            conn.close()


def _copy_regular(source: Path, dest: Path, what: str) -> int:
    """Copy ``source`` (a regular file, at most MAX_FILE_BYTES) to ``dest``; its size."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise StoreError(f"{what} bestaat niet. Kijk of de naam en de map kloppen.") from None
    except PermissionError:
        raise StoreError(f"{what} mag niet gelezen worden. Vraag de beheerder om leesrechten, "
                         "of zet het bestand in je eigen map.") from None
    except OSError as error:
        raise SkippedFile(f"{what} kan niet gelezen worden. Kijk of het bestand er nog "
                          "staat en of je het mag lezen.", str(error.strerror)) from None
    with open(fd, "rb", closefd=True) as reader:
        info = os.fstat(reader.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{what} is geen gewoon bestand (maar een apparaat, pijp of map). "
                             "Zet er een echt .db-bestand neer.")
        if info.st_size > MAX_FILE_BYTES:
            raise StoreError(f"{what} is te groot ({info.st_size // 1024**2} MB; hooguit "
                             f"{MAX_FILE_BYTES // 1024**2} MB). Is het wel een bestand van "
                             "de kiosk?")
        with open(dest, "wb") as writer:
            copied = 0
            while chunk := reader.read(1024 * 1024):
                copied += len(chunk)
                if copied > MAX_FILE_BYTES:
                    raise StoreError(f"{what} groeit tijdens het lezen; probeer het later "
                                     "opnieuw, als de synchronisatie klaar is.")
                writer.write(chunk)
    return copied


class SkippedFile(StoreError):
    """A file that cannot be merged: a Dutch reason (for staff too), and ``detail``, the
    words of SQLite or the system (English), which only ``kiosk merge`` prints."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.detail = detail


def _unreadable(error: BaseException) -> SkippedFile:
    text = str(error)
    if "not a database" in text or "malformed" in text or "file is not" in text:
        return SkippedFile("het is geen leesbare database van de kiosk (leeg, half "
                           "overgekomen of beschadigd). Wacht tot de synchronisatie klaar is, "
                           "of haal het bestand opnieuw van die laptop.", text)
    return SkippedFile("het bestand kan niet gelezen worden. Haal het opnieuw van die "
                       "laptop.", text)


def _merge_file(conn: sqlite3.Connection, source: sqlite3.Connection, path: Path,
                own_kiosk: str, report: MergeReport, batch_rows: int,
                others: Callable[[], bool] | None) -> None:
    deadline = time.monotonic() + MAX_SECONDS
    source.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        tables = _check_source(source, path)
        writer = _meta_kiosk(source, tables)
        merger = _FileMerge(conn, source, path, own_kiosk, writer, batch_rows, others)
        for table in MERGED_TABLES:
            if table in tables:
                merger.table(table, tables[table])
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise StoreError(f"het lezen duurde langer dan {MAX_SECONDS:g} seconden; het "
                             "bestand is te groot of vreemd gemaakt.") from None
        raise _unreadable(error) from None
    except sqlite3.DatabaseError as error:
        raise _unreadable(error) from None
    report.added[path] = merger.added
    report.updated[path] = merger.updated
    report.refused[path] = dict(merger.refused)
    report.conflicts[path] = merger.conflicts
    report.repaired[path] = merger.repaired
    report.doubtful[path] = merger.doubtful
    if writer and (named := conn.execute("SELECT name FROM main.kiosk WHERE id = ?",
                                         [writer]).fetchone()):
        report.names[path] = named[0]  # checked by the rulebook on its way in


def _check_source(source: sqlite3.Connection, path: Path) -> dict[str, list[str]]:
    """The merged tables the file has, with their columns; StoreError for a file that
    is not a kiosk database, is damaged, or dresses something else up as a table."""
    version = check_version(source, "main", path)
    if version == 0:
        raise StoreError("het bestand is leeg: geen database van de kiosk. Wacht tot de "
                         "synchronisatie klaar is, of haal het bestand opnieuw.")
    result = source.execute("PRAGMA quick_check").fetchall()
    if [row[0] for row in result] != ["ok"]:
        raise SkippedFile("het bestand is beschadigd. Haal het opnieuw van die laptop.",
                          "; ".join(str(r[0]) for r in result[:3]))
    kinds = dict(source.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                f"({', '.join('?' * len(MERGED_TABLES))})", MERGED_TABLES))
    tables: dict[str, list[str]] = {}
    for table in MERGED_TABLES:
        kind = kinds.get(table)
        if kind is None:
            continue  # an older kiosk's file lacks newer tables
        sql = source.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
        if kind != "table" or (sql and str(sql[0]).upper().startswith("CREATE VIRTUAL")):
            raise StoreError(f'"{table}" is in dit bestand geen gewone tabel maar een {kind}; '
                             "zo maakt de kiosk geen bestanden. Het bestand is niet gelezen.")
        tables[table] = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
        rows = source.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if rows > MAX_ROWS:
            raise StoreError(f"de tabel {table} heeft {rows} regels (hooguit {MAX_ROWS}); "
                             "zo veel maakt geen kiosk.")
    return tables


def _meta_kiosk(source: sqlite3.Connection, tables: dict[str, list[str]]) -> str | None:
    """The id of the kiosk that wrote the file (``meta.kiosk_id``), or None."""
    kind = source.execute("SELECT type FROM sqlite_master WHERE name = 'meta'").fetchone()
    if kind is None or kind[0] != "table":
        return None
    row = source.execute("SELECT value FROM meta WHERE key = 'kiosk_id'").fetchone()
    return row[0] if row and rules.is_row_id(row[0]) else None


class _FileMerge:
    """The merge of one file, table by table, in short batches."""

    def __init__(self, conn: sqlite3.Connection, source: sqlite3.Connection, path: Path,
                 own_kiosk: str, writer: str | None, batch_rows: int,
                 others: Callable[[], bool] | None = None) -> None:
        self.conn, self.source, self.path, self.others = conn, source, path, others
        self.own_kiosk, self.writer, self.batch_rows = own_kiosk, writer, batch_rows
        self.added = dict.fromkeys(MERGED_TABLES, 0)
        self.updated = dict.fromkeys(MERGED_TABLES, 0)
        self.repaired = dict.fromkeys(MERGED_TABLES, 0)
        self.doubtful = dict.fromkeys(MERGED_TABLES, 0)
        self.refused: Counter[str] = Counter()
        self.conflicts: list[tuple[str, str]] = []

    def table(self, table: str, theirs: list[str]) -> None:
        ours = [row[1] for row in self.conn.execute(f"PRAGMA main.table_info({table})")]
        # an older kiosk's file lacks newer columns: they keep their defaults
        columns = [c for c in ours if c in theirs]
        if "id" not in columns:
            return
        cursor = self.source.execute(
            f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} FROM \"{table}\"")
        shared = self.others is not None and self.others()
        while batch := cursor.fetchmany(self.batch_rows if shared else SOLO_BATCH_ROWS):
            self._batch(table, columns, [dict(zip(columns, values, strict=True))
                                         for values in batch])
            if len(batch) == (self.batch_rows if shared else SOLO_BATCH_ROWS):  # more to come
                shared = self.others is not None and self.others()
                if shared:  # a big file beside a running kiosk: let it save
                    self.conn.execute("PRAGMA main.wal_checkpoint(PASSIVE)").fetchall()
                    time.sleep(YIELD_SECONDS)

    def _batch(self, table: str, columns: list[str], rows: list[dict]) -> None:
        names = list(columns) + ([] if "version" in columns else ["version"])
        conn = self.conn
        insert = (f"INSERT INTO main.{table} ({', '.join(names)})"
                  f" VALUES ({', '.join('?' * len(names))})")
        update = (f"UPDATE main.{table} SET {', '.join(f'{c} = ?' for c in names if c != 'id')}"
                  " WHERE id = ?")
        conn.execute("BEGIN IMMEDIATE")
        try:
            inserts, updates = self._sort(table, rows)
            inserts = self._apply(insert, inserts, [[r[c] for c in names] for r in inserts])
            updates = self._apply(update, updates, [[r[c] for c in names if c != "id"]
                                                    + [r["id"]] for r in updates])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.added[table] += len(inserts)
        self.updated[table] += len(updates)

    def _apply(self, sql: str, rows: list[dict], params: list[list]) -> list[dict]:
        """Run ``sql`` for each row; the rows that went in. All at once, or, when one
        row clashes with a row already here (a second answer to the same statement in
        one visit), one at a time: the clashing rows are refused, the others go in."""
        if not rows:
            return rows
        self.conn.execute("SAVEPOINT rows")
        try:
            self.conn.executemany(sql, params)
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO rows")
        else:
            self.conn.execute("RELEASE rows")
            return rows
        self.conn.execute("RELEASE rows")
        done = []
        for row, values in zip(rows, params, strict=True):
            try:
                self.conn.execute(sql, values)
            except sqlite3.IntegrityError:
                self.refused[CLASH] += 1
            else:
                done.append(row)
        return done

    def _sort(self, table: str, rows: list[dict]) -> tuple[list[dict], list[dict]]:
        """Check a batch against the rulebook and this database: (new rows, changed rows).
        Runs inside the batch's write transaction."""
        ids = [row["id"] for row in rows if isinstance(row["id"], str)]
        local = self._local(table, ids)
        parents = self._parents(table, rows)
        inserts, updates = [], []
        for row in rows:
            row.setdefault("version", 1)
            mine = local.get(row["id"]) if isinstance(row["id"], str) else None
            repaired = self._repair(table, row)
            if mine is not None and rules.is_version(row["version"]) \
                    and row["version"] <= mine["version"]:
                if row["version"] == mine["version"] and any(
                        mine.get(c) != row.get(c) for c in row if c in mine and c != "version"):
                    self.conflicts.append((table, row["id"]))
                continue  # this laptop has this state, or a newer one, already
            reason = row_problem(table, row)
            if reason is None and not rules.is_version(row["version"]):
                reason = BAD_NUMBER
            if reason is None and any(
                    row.get(column) not in parents[column]
                    and not (nullable and row.get(column) is None)
                    for column, _parent, nullable in PARENTS[table]):
                reason = MISSING_PARENT
            if reason is None and mine is not None and not self._may_change(table, mine, row):
                reason = NOT_OWNER
            if reason is not None:
                self.refused[reason] += 1
                continue
            self.repaired[table] += repaired
            if mine is None:
                inserts.append(row)
                local[row["id"]] = dict(row)
                self._count_doubtful(table, row)
            else:
                updates.append(row)
        return inserts, updates

    def _local(self, table: str, ids: Sequence[str]) -> dict[str, dict]:
        """This database's rows with these ids (with the owning kiosk as ``_owner``)."""
        if not ids:
            return {}
        owner = {"kiosk": "t.id", "session": "t.kiosk_id"}.get(
            table, "(SELECT s.kiosk_id FROM main.session s WHERE s.id = t.session_id)")
        found: dict[str, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor = self.conn.execute(
                f"SELECT t.*, {owner} AS _owner FROM main.{table} t WHERE t.id IN "
                f"({', '.join('?' * len(chunk))})", chunk)
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                found[row["id"]] = row
        return found

    def _parents(self, table: str, rows: list[dict]) -> dict[str, set]:
        """For each parent column, the referenced ids that exist in this database."""
        known: dict[str, set] = {}
        for column, parent, _nullable in PARENTS[table]:
            wanted = sorted({row.get(column) for row in rows
                             if isinstance(row.get(column), str)})
            known[column] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                known[column].update(value for (value,) in self.conn.execute(
                    f"SELECT id FROM main.{parent} WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk))
        return known

    def _may_change(self, table: str, mine: dict, row: dict) -> bool:
        """A file changes an existing row only when the row belongs to the kiosk that
        wrote the file, and never one of this laptop's own rows; the change may not
        move the row to another kiosk or session."""
        owner = mine.get("_owner")
        if self.writer is None or owner != self.writer or owner == self.own_kiosk:
            return False
        if table == "session" and row.get("kiosk_id") != mine.get("kiosk_id"):
            return False
        return all(row.get(c) == mine.get(c) for c in ("session_id", "visit_id")
                   if c in mine and c in row)

    @staticmethod
    def _repair(table: str, row: dict) -> bool:
        """An end before its start (a clock that went back): the end becomes the start.
        True when the row was repaired."""
        if table not in END_COLUMN:
            return False
        start, end = END_COLUMN[table]
        if rules.is_time(row.get(start)) and rules.is_time(row.get(end)) \
                and row[end] < row[start]:
            row[end] = row[start]
            return True
        return False

    def _count_doubtful(self, table: str, row: dict) -> None:
        column = TIME_COLUMN.get(table)
        if column and rules.is_doubtful(row.get(column)):
            self.doubtful[table] += 1


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
