"""Merging the databases of several kiosks, and backups."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core import store as store_module
from kiosk.core.store import MERGED_TABLES, SCHEMA_VERSION, Store, StoreError
from kiosk.core.tallies import Counts, tallies
from tests.conftest import on_small_disk
from tests.test_store import v1_database


def clock() -> datetime:
    return datetime(2026, 5, 12, 11, 3)


def make_kiosk(path: Path, location: str, visits: int, staff: int = 0,
               per_visit: int | None = 3) -> str:
    """A kiosk database with ``visits`` visits of two answers each; returns its kiosk id."""
    with Store.open(path, clock=clock) as store:
        session = store.start_session(location, "markt", per_visit=per_visit)
        for i in range(visits):
            visit = store.start_visit(session)
            store.record_answer(visit, "s1", "eens" if i % 2 else "oneens")
            store.record_answer(visit, "s2", "weet_niet")
            store.finish_visit(visit, ["c1"])
        if staff:
            store.add_staff_tally(session, "s1", "eens", staff)
        store.end_session(session)
        return store.kiosk_id


def counts(store: Store) -> dict[str, int]:
    return {table: store.db[table].count for table in MERGED_TABLES}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_kiosks(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a" / "kiosk.db", tmp_path / "b" / "kiosk.db"
    make_kiosk(a, "Markt", visits=3, staff=2)
    make_kiosk(b, "Zwembad", visits=4)
    return a, b


def test_merge_gives_the_sum_and_twice_changes_nothing(two_kiosks, tmp_path: Path) -> None:
    a, b = two_kiosks
    with Store.open(a) as store_a, Store.open(b) as store_b:
        before_a, before_b = counts(store_a), counts(store_b)
        rows_a, rows_b = tallies(store_a).rows, tallies(store_b).rows
    with Store.open(tmp_path / "central.db") as central:
        report = central.merge([a, b])
        assert report.added[a.resolve()] == before_a
        assert report.added[b.resolve()] == before_b
        assert report.totals() == {t: before_a[t] + before_b[t] for t in MERGED_TABLES}
        merged = counts(central)
        assert merged == {
            t: before_a[t] + before_b[t] + (1 if t == "kiosk" else 0) for t in MERGED_TABLES
        }  # plus the central kiosk's own row
        merged_tallies = tallies(central)
        assert merged_tallies.rows == tuple(sorted(rows_a + rows_b, key=lambda r: r.location))

        again = central.merge([a, b, a])
        assert all(n == 0 for per_file in again.added.values() for n in per_file.values())
        assert counts(central) == merged
        assert tallies(central) == merged_tallies


def test_merge_carries_statements_per_visit(two_kiosks, tmp_path: Path) -> None:
    a, b = two_kiosks
    make_kiosk(c := tmp_path / "c" / "kiosk.db", "Bieb", visits=1, per_visit=None)
    with Store.open(tmp_path / "central.db") as central:
        central.merge([a, b, c])
        assert central.db.execute(
            "SELECT location, per_visit FROM session ORDER BY location").fetchall() == [
            ("Bieb", None), ("Markt", 3), ("Zwembad", 3)]


def test_merge_accepts_an_older_kiosks_version_1_file(two_kiosks, tmp_path: Path) -> None:
    """A laptop that was not updated yet: its file (schema 1, no per_visit) merges as it is."""
    a, _ = two_kiosks
    old = tmp_path / "old" / "kiosk.db"
    data = v1_database(old, "Buurthuis")
    before = digest(old)
    with Store.open(a) as store_a:
        own = counts(store_a)
        report = store_a.merge([old])
        # a v1 file has no conversation or signal table: nothing from those
        assert report.added[old.resolve()] == {t: len(data.get(t, [])) for t in MERGED_TABLES}
        assert counts(store_a) == {t: own[t] + len(data.get(t, [])) for t in MERGED_TABLES}
        assert store_a.db.execute(
            "SELECT location, per_visit FROM session ORDER BY location").fetchall() == [
            ("Buurthuis", None), ("Markt", 3)]  # the old sessions asked every statement
        merged = store_a.db.execute(
            "SELECT * FROM answer WHERE session_id = ? ORDER BY id",
            [data["session"][0][0]]).fetchall()
        # version 1: as first written
        assert merged == [(*row, 1) for row in sorted(data["answer"])]
        assert sum(store_a.merge([old]).totals().values()) == 0  # twice changes nothing
    assert digest(old) == before  # the old file is left as it was (not upgraded)
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)


def test_merge_into_a_kiosk_that_has_data(two_kiosks) -> None:
    a, b = two_kiosks
    with Store.open(a) as store_a:
        store_a.merge([b])
        result = tallies(store_a)
        ids = {row[0] for row in store_a.db.execute("SELECT id FROM kiosk")}
    assert {r.location for r in result.rows} == {"Markt", "Zwembad"}
    assert result.totals.touch == Counts(eens=1 + 2, oneens=2 + 2, weet_niet=3 + 4)
    assert result.totals.staff == Counts(eens=2)
    assert len(ids) == 2  # the other kiosk's row came along


def test_merge_does_not_change_the_other_file(two_kiosks) -> None:
    a, b = two_kiosks
    before = digest(b)
    with Store.open(a) as store_a:
        store_a.merge([b])
    assert digest(b) == before


def test_merging_its_own_file_is_a_no_op(two_kiosks) -> None:
    a, _ = two_kiosks
    with Store.open(a) as store_a:
        before = counts(store_a)
        report = store_a.merge([a])
        assert counts(store_a) == before
    assert report.added == {}
    assert a.resolve() in report.passed  # said, but not a failure: nothing was left out
    assert not report.failed


@pytest.mark.parametrize("kind", ["not sqlite", "other sqlite", "newer", "empty sqlite", "missing"])
def test_a_file_that_is_not_a_kiosk_database_is_skipped_and_the_good_one_merged(
    two_kiosks, tmp_path: Path, kind: str
) -> None:
    """One bad file in the folder (half-synced, empty, foreign, newer) never blocks the
    others: they are merged, the bad one is named with its reason, and the merge says
    something was left out (the command line then exits 1)."""
    a, b = two_kiosks
    bad = tmp_path / "bad.db"
    if kind == "not sqlite":
        bad.write_text("plek;datum\nMarkt;2026-05-12\n" * 100)
    elif kind == "other sqlite":
        with closing(sqlite3.connect(bad)) as conn:
            conn.execute("CREATE TABLE answer (id TEXT)")
    elif kind == "newer":
        make_kiosk(bad, "Toekomst", visits=1)
        with closing(sqlite3.connect(bad)) as conn:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    elif kind == "empty sqlite":
        sqlite3.connect(bad).close()
    with Store.open(a) as store_a, Store.open(b) as store_b:
        expected = {t: n + counts(store_b)[t] for t, n in counts(store_a).items()}
    with Store.open(a) as store_a:
        report = store_a.merge([bad, b])
        assert counts(store_a) == expected  # the good file is merged all the same
    assert report.failed
    assert list(report.skipped) == [bad]
    assert f"{bad}: OVERGESLAGEN" in str(report)
    if kind == "newer":
        assert "werk de kiosk bij" in report.skipped[bad]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["a", "b"] + ([] if kind == "missing" else ["bad.db"])  # no -wal/-shm


def test_a_row_the_database_refuses_is_refused_alone(two_kiosks, monkeypatch) -> None:
    """A row that clashes with the database (here: the parent check switched off on
    purpose, so the foreign keys refuse the orphans) is counted as refused; the rows
    around it are merged."""
    from kiosk.core import merge as merge_module

    a, b = two_kiosks
    with closing(sqlite3.connect(b)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE referral SET visit_id = ? WHERE rowid = 1",
                     ["0b0b0b0b-0000-4000-8000-000000000000"])
        conn.commit()
    monkeypatch.setattr(merge_module, "PARENTS", {t: () for t in merge_module.PARENTS})
    with Store.open(a) as store_a, Store.open(b) as store_b:
        referrals = counts(store_a)["referral"] + counts(store_b)["referral"]
    with Store.open(a) as store_a:
        report = store_a.merge([b])
        assert counts(store_a)["referral"] == referrals - 1
    assert report.refused[b] == {merge_module.CLASH: 1}
    assert report.failed


# -- backup --------------------------------------------------------------------


def test_backup_is_a_checked_copy(two_kiosks, tmp_path: Path) -> None:
    a, _ = two_kiosks
    dest = tmp_path / "usb" / "backup-2026-05-12.db"
    with Store.open(a) as store_a:
        store_a.backup(dest)
        original = tallies(store_a)
        original_counts = counts(store_a)
    with closing(sqlite3.connect(dest)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Store.open(dest) as copy:
        assert tallies(copy) == original
        assert counts(copy) == original_counts


def test_backup_refuses_to_overwrite(two_kiosks, tmp_path: Path) -> None:
    a, _ = two_kiosks
    dest = tmp_path / "backup.db"
    dest.write_text("an older backup")
    with Store.open(a) as store_a:
        with pytest.raises(StoreError, match="bestaat al") as error:
            store_a.backup(dest)
    assert str(dest) in str(error.value)
    assert dest.read_text() == "an older backup"


def test_backup_that_fails_its_check_is_reported(two_kiosks, tmp_path: Path, monkeypatch) -> None:
    a, _ = two_kiosks
    monkeypatch.setattr(store_module, "_integrity_check", lambda path: "*** in database main ***")
    with Store.open(a) as store_a:
        with pytest.raises(StoreError, match="niet door de controle"):
            store_a.backup(tmp_path / "backup.db")


def test_a_backup_can_be_merged_and_adds_nothing_new(two_kiosks, tmp_path: Path) -> None:
    a, b = two_kiosks
    dest = tmp_path / "backup-b.db"
    with Store.open(b) as store_b:
        store_b.backup(dest)
    with Store.open(a) as store_a:
        first = store_a.merge([b]).totals()
        assert sum(first.values()) > 0
        assert sum(store_a.merge([dest]).totals().values()) == 0


def test_merge_leaves_no_files_beside_the_other_database(two_kiosks) -> None:
    a, b = two_kiosks
    before = sorted(p.name for p in b.parent.iterdir())
    with Store.open(a) as store_a:
        store_a.merge([b])
    assert sorted(p.name for p in b.parent.iterdir()) == before == ["kiosk.db"]


def test_merge_reads_answers_still_in_the_other_files_wal(tmp_path: Path) -> None:
    """A copy of a running kiosk: kiosk.db plus kiosk.db-wal, not yet checkpointed."""
    live, copy = tmp_path / "live" / "kiosk.db", tmp_path / "stick" / "kiosk.db"
    copy.parent.mkdir()
    with Store.open(live) as running:
        visit = running.start_visit(running.start_session("Markt", "markt"))
        answer = running.record_answer(visit, "s1", "eens")
        assert Path(f"{live}-wal").stat().st_size > 0
        for suffix in ("", "-wal"):
            Path(f"{copy}{suffix}").write_bytes(Path(f"{live}{suffix}").read_bytes())
    with Store.open(tmp_path / "central.db") as central:
        assert central.merge([copy]).totals()["answer"] == 1
        assert central.db.execute("SELECT id FROM answer").fetchall() == [(answer,)]


# -- backup: complete or absent ------------------------------------------------

BACKUP_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from kiosk.core.store import Store
with Store.open(Path(sys.argv[1])) as store:
    print("start", flush=True)
    store.backup(Path(sys.argv[2]))
print("done", flush=True)
"""


def _big_kiosk(path: Path, megabytes: int = 24) -> None:
    """A kiosk database with ``megabytes`` of filler, so a backup takes a while."""
    make_kiosk(path, "Markt", 3)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE filler (data BLOB)")
        conn.executemany("INSERT INTO filler VALUES (randomblob(1048576))",
                         [()] * megabytes)
        conn.commit()


def _is_valid_database(path: Path) -> bool:
    with closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_backup_killed_at_any_moment_leaves_a_whole_copy_or_none(tmp_path: Path) -> None:
    import random
    import subprocess
    import sys
    import time

    source, dest = tmp_path / "kiosk.db", tmp_path / "usb" / "backup.db"
    dest.parent.mkdir()
    _big_kiosk(source)
    root = str(Path(__file__).resolve().parent.parent)
    command = [sys.executable, "-c", BACKUP_SCRIPT, str(source), str(dest), root]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    whole = time.monotonic() - started
    dest.unlink()
    rng = random.Random(11)
    outcomes = {"absent": 0, "whole": 0}
    for _ in range(15):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, whole * 1.1))
        process.kill()
        process.communicate(timeout=60)
        if dest.exists():
            assert _is_valid_database(dest), "a killed backup left a broken file"
            outcomes["whole"] += 1
            dest.unlink()
        else:
            outcomes["absent"] += 1
    # the next backup is not refused, and it removes what the killed ones left
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    assert _is_valid_database(dest)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["backup.db"]


def backup_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    """Runs on a 256 KB tmpfs (``small_disk``), see the test below."""
    source = tmp_path / "kiosk.db"
    _big_kiosk(source, megabytes=1)
    dest = small_disk / "backup.db"
    with Store.open(source) as store:
        with pytest.raises(StoreError, match="Er is niets geschreven"):
            store.backup(dest)
        assert list(small_disk.iterdir()) == []
        # room again: the next attempt is not refused
        with closing(sqlite3.connect(source)) as conn:
            conn.execute("DROP TABLE filler")
            conn.commit()
        store.db.execute("VACUUM")
        store.backup(dest)
    assert _is_valid_database(dest)
    assert sorted(p.name for p in small_disk.iterdir()) == ["backup.db"]


def test_a_backup_on_a_full_disk_fails_and_leaves_nothing(tmp_path: Path) -> None:
    on_small_disk("tests.test_merge_backup:backup_on_a_full_disk", "256k", str(tmp_path))


def test_a_backup_that_fails_to_write_leaves_nothing(two_kiosks, tmp_path: Path,
                                                     monkeypatch) -> None:
    """The fake full disk: the copy's flush fails."""
    import os

    a, _ = two_kiosks
    dest = tmp_path / "backup.db"
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with Store.open(a) as store_a:
        with pytest.raises(StoreError, match="No space left"):
            store_a.backup(dest)
        assert list(tmp_path.glob("*backup*")) == []
        monkeypatch.setattr(os, "fsync", real_fsync)
        store_a.backup(dest)
    assert _is_valid_database(dest)


def test_a_backup_follows_the_umask(two_kiosks, tmp_path: Path) -> None:
    import os

    a, _ = two_kiosks
    old = os.umask(0o022)
    try:
        with Store.open(a) as store_a:
            store_a.backup(tmp_path / "backup.db")
    finally:
        os.umask(old)
    assert (tmp_path / "backup.db").stat().st_mode & 0o777 == 0o644
