"""The road from the stand to the coordinator: nothing a laptop stored is lost on the
way, and nothing a file brings can hurt the coordinator's database (issue 17).

The clock tests run a real store under libfaketime (Debian ``faketime``, installed by
scripts/system-deps.sh) and move that process's clock mid-session.
"""

from __future__ import annotations

import glob
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.core import rules
from kiosk.core.merge import MergeReport
from kiosk.core.rowcheck import BAD_ID, BAD_NUMBER, NOT_OWNER
from kiosk.core.store import MERGED_TABLES, Store
from tests.conftest import run_kiosk

HERE = Path(__file__).resolve().parent
FAKETIME = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))


def table_rows(path: Path, table: str, where: str = "", params: tuple = ()) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table} {where}", params).fetchall(),
                      key=repr)


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file()}


class ClockedKiosk:
    """tests/clock_writer.py under libfaketime: a store on a clock the test moves."""

    def __init__(self, db: Path, clock_file: Path) -> None:
        assert FAKETIME, "libfaketime is missing: scripts/system-deps.sh test installs it"
        self.clock_file = clock_file
        self.set_clock("+0")
        env = {**os.environ, "LD_PRELOAD": FAKETIME[0], "FAKETIME_TIMESTAMP_FILE": str(clock_file),
               "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "clock_writer.py"), str(db)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=env)

    def set_clock(self, offset: str) -> None:
        self.clock_file.write_text(offset + "\n")

    def do(self, line: str) -> str:
        assert self.process.stdin
        assert self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer.startswith("ok "), f"{line!r} -> {answer!r}"
        return answer.split()[1]

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0
        assert self.process.stdout
        self.process.stdout.close()


def a_stand(kiosk: ClockedKiosk, jump: str) -> list[str]:
    """A morning at the market with the clock moved by ``jump`` halfway; the clock times."""
    seen = [kiosk.do("session Weekmarkt Centrum")]
    for statement in ("digid", "formulieren", "rekenen"):
        kiosk.do("visit")
        kiosk.do(f"answer {statement} eens")
        kiosk.do("finish")
    kiosk.set_clock(jump)
    seen.append(kiosk.do("visit"))
    for statement in ("digid", "formulieren", "rekenen"):
        kiosk.do(f"answer {statement} oneens")
    kiosk.do("finish")
    kiosk.do("tally digid eens 4")
    kiosk.do("conversation")
    kiosk.do("signal")
    seen.append(kiosk.do("end"))
    kiosk.close()
    return seen


@pytest.mark.parametrize("jump", ["-3600", "+3600"])
def test_a_clock_that_jumps_mid_session_loses_no_answer_at_the_coordinator(
        tmp_path: Path, jump: str) -> None:
    laptop = tmp_path / "laptop" / "kiosk.db"
    laptop.parent.mkdir()
    seen = a_stand(ClockedKiosk(laptop, tmp_path / "clock"), jump)
    assert (seen[1] < seen[0]) == (jump == "-3600")  # the clock really moved
    (started, ended), = [(r[5], r[6]) for r in table_rows(laptop, "session")]
    assert ended >= started  # stored in order, even when the clock went back
    assert all(r[2] >= started for r in table_rows(laptop, "visit"))

    merged = run_kiosk("merge", str(laptop.parent), "--data-dir", str(tmp_path / "central"))
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "overgeslagen" not in merged.stdout.lower()
    central = tmp_path / "central" / "kiosk.db"
    for table in MERGED_TABLES[1:]:
        assert table_rows(central, table) == table_rows(laptop, table), table
    assert len(table_rows(central, "answer")) == 6 + 4


def test_an_older_laptops_session_that_ends_before_it_starts_is_repaired(tmp_path: Path) -> None:
    """Files from laptops without the fix: end before start is merged with end = start."""
    laptop = tmp_path / "old" / "kiosk.db"
    with Store.open(laptop) as store:
        session = store.start_session("Zwembad", "zwembad")
        visit = store.start_visit(session)
        for n in range(450 // 3):
            store.record_answer(visit, f"s{n}", "eens")
        store.finish_visit(visit, ["taalhuis"])
        store.end_session(session)
    with closing(sqlite3.connect(laptop)) as conn:  # what an older kiosk wrote
        conn.execute("UPDATE session SET started = '2026-10-25T02:45', ended = '2026-10-25T02:00'")
        conn.execute("UPDATE visit SET started = '2026-10-25T02:45', finished = '2026-10-25T02:15'")
        conn.commit()
    merged = run_kiosk("merge", str(laptop), "--data-dir", str(tmp_path / "central"))
    assert merged.returncode == 0, merged.stdout
    assert "hersteld: 1 sessie, 1 bezoek eindigde voor het begin" in merged.stdout
    central = tmp_path / "central" / "kiosk.db"
    assert len(table_rows(central, "answer")) == 150
    assert [r[5:7] for r in table_rows(central, "session")] == [
        ("2026-10-25T02:45", "2026-10-25T02:45")]


# -- hostile and broken files --------------------------------------------------------------


def make_laptop(path: Path, place: str = "Markt", answers: int = 3) -> str:
    with Store.open(path) as store:
        session = store.start_session(place, "markt")
        visit = store.start_visit(session)
        for n in range(answers):
            store.record_answer(visit, f"s{n}", "eens")
        store.finish_visit(visit, ["taalhuis"])
        store.end_session(session)
        return store.kiosk_id


def test_a_recursive_view_named_answer_is_refused_at_once(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    make_laptop(sync / "good.db")
    make_laptop(sync / "evil.db", "Bieb")
    with closing(sqlite3.connect(sync / "evil.db")) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DROP TABLE answer")
        conn.execute("CREATE VIEW answer AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
                     "SELECT n + 1 FROM r) SELECT printf('%d', n) AS id FROM r")
        conn.commit()
    before = folder_state(sync)
    merged = run_kiosk("merge", str(sync), "--data-dir", str(tmp_path / "c"), timeout=120)
    assert merged.returncode == 1
    assert "evil.db: OVERGESLAGEN" in merged.stdout
    assert 'geen gewone tabel maar een view' in merged.stdout
    assert len(table_rows(tmp_path / "c" / "kiosk.db", "answer")) == 3  # good.db merged
    assert folder_state(sync) == before  # nothing written into the sync folder


def test_one_empty_or_half_synced_file_never_blocks_the_others(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    make_laptop(sync / "laptop-1.db", "Markt", 3)
    make_laptop(sync / "laptop-2.db", "Zwembad", 5)
    (sync / "leeg.db").write_bytes(b"")
    whole = (sync / "laptop-2.db").read_bytes()
    (sync / "half.db").write_bytes(whole[: len(whole) // 2])
    os.mkfifo(sync / "pijp.db")
    (sync / "nul.db").symlink_to("/dev/zero")
    before = folder_state(sync)
    merged = run_kiosk("merge", str(sync), "--data-dir", str(tmp_path / "c"), timeout=120)
    assert merged.returncode == 1
    out = merged.stdout
    for name in ("leeg.db", "half.db", "pijp.db", "nul.db"):
        assert f"{name}: OVERGESLAGEN" in out
    assert "geen gewoon bestand" in out  # the FIFO and /dev/zero: not read, no hang
    assert "Niet alles is samengevoegd: 4 bestanden overgeslagen" in out
    assert len(table_rows(tmp_path / "c" / "kiosk.db", "answer")) == 8  # both good laptops
    assert folder_state(sync) == before
    assert sorted(p.name for p in sync.iterdir()) == sorted(
        ["laptop-1.db", "laptop-2.db", "leeg.db", "half.db", "pijp.db", "nul.db"])


def test_a_live_database_with_its_wal_is_read_without_touching_the_folder(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    with Store.open(sync / "live.db") as live:  # a kiosk still running on the synced file
        session = live.start_session("Markt", "markt")
        live.record_answer(live.start_visit(session), "digid", "eens")
        assert (sync / "live.db-wal").stat().st_size > 0  # the answer is in the WAL only
        before = folder_state(sync)
        with Store.open(tmp_path / "c" / "kiosk.db") as central:
            report = central.merge([sync])
            assert central.db.execute("SELECT count(*) FROM answer").fetchone() == (1,)
        assert not report.failed
        assert folder_state(sync) == before


def test_a_killed_merge_leaves_nothing_in_the_sync_folder(tmp_path: Path) -> None:
    sync, central = tmp_path / "sync", tmp_path / "c"
    make_laptop(sync / "big.db", answers=1)
    with closing(sqlite3.connect(sync / "big.db")) as conn:  # a season of answers
        session, visit = conn.execute("SELECT session_id, id FROM visit").fetchone()
        conn.executemany(
            "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
            " VALUES (?, NULL, ?, 'digid', 'eens', 'staff', '2026-05-12T10:00')",
            [(str(uuid.uuid4()), session) for _ in range(200_000)])
        conn.commit()
    before = folder_state(sync)
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "merge", str(sync), "--data-dir",
                                str(central)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=HERE.parent)
    deadline = time.monotonic() + 120
    while not any(central.glob(".merge-*")) and process.poll() is None:
        assert time.monotonic() < deadline, "the merge never started"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert folder_state(sync) == before
    again = run_kiosk("merge", str(sync), "--data-dir", str(central))
    assert again.returncode == 0, again.stdout
    assert not list(central.glob(".merge-*"))  # the killed merge's copy is swept
    assert len(table_rows(central / "kiosk.db", "answer")) == 200_001


def test_beside_a_running_kiosk_the_merge_says_so_and_leaves_it_gaps(tmp_path: Path) -> None:
    from kiosk.core import merge as merge_module
    from kiosk.core.lock import DataFolderLock, folder_in_use

    laptop, central = tmp_path / "laptop.db", tmp_path / "c"
    make_laptop(laptop, answers=40)
    assert not folder_in_use(central)
    with DataFolderLock(central):  # a kiosk runs on the coordinator's folder
        merged = run_kiosk("merge", str(laptop), "--data-dir", str(central))
    assert merged.returncode == 0, merged.stdout
    assert merged.stdout.startswith("Er draait een kiosk op deze gegevensmap")
    assert not folder_in_use(central)  # the probe left no lock behind
    gaps: list[float] = []
    with Store.open(central / "kiosk.db") as store:
        original = merge_module.time.sleep
        merge_module.time.sleep = gaps.append
        try:
            store.merge([laptop], batch_rows=10, others=lambda: True)
        finally:
            merge_module.time.sleep = original
    # 40 answers in batches of 10, rows of the other tables under 10: one gap per full batch
    assert gaps == [merge_module.YIELD_SECONDS] * 4


# -- who may change what -----------------------------------------------------------------


def copy_row(from_file: Path, dest: Path, table: str, **changes) -> None:
    """Put ``from_file``'s first row of ``table`` into ``dest``, changed."""
    with closing(sqlite3.connect(from_file)) as src, closing(sqlite3.connect(dest)) as dst:
        cursor = src.execute(f"SELECT * FROM {table} LIMIT 1")
        row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
        row.update(changes)
        dst.execute("PRAGMA foreign_keys = OFF")
        dst.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(row)}) VALUES "
                    f"({', '.join('?' * len(row))})", list(row.values()))
        dst.commit()


def test_a_file_changes_only_rows_of_its_own_kiosk(tmp_path: Path) -> None:
    laptop_b, evil = tmp_path / "b.db", tmp_path / "evil.db"
    kiosk_b = make_laptop(laptop_b)
    make_laptop(evil, "Bieb")
    central_path = tmp_path / "c" / "kiosk.db"
    with Store.open(central_path) as central:
        central.merge([laptop_b])
        own = central.kiosk_id
        # evil.db claims a newer version of laptop b's answer, renames b and the coordinator
        copy_row(laptop_b, evil, "answer", answer="oneens", version=99)
        copy_row(laptop_b, evil, "kiosk", name="gehackt", version=99)
        copy_row(central_path, evil, "kiosk", name="ook gehackt", version=99)
        report = central.merge([evil])
        assert report.refused[evil] == {NOT_OWNER: 3}
        assert central.db.execute("SELECT DISTINCT answer FROM answer WHERE session_id IN "
                                  "(SELECT id FROM session WHERE kiosk_id = ?)",
                                  [kiosk_b]).fetchall() == [("eens",)]
        names = dict(central.db.execute("SELECT id, name FROM kiosk"))
        assert "gehackt" not in names.values()
        assert "ook gehackt" not in names.values()
        assert names[own].startswith("kiosk-")
        # laptop b's own later copy does carry its change
        with closing(sqlite3.connect(laptop_b)) as conn:
            conn.execute("UPDATE answer SET answer = 'weet_niet' WHERE rowid = 1")
            conn.commit()
        again = central.merge([laptop_b])
        assert again.updated[laptop_b]["answer"] == 1
        assert not again.failed


@pytest.mark.parametrize(("changes", "reason"), [
    ({"id": "CON"}, BAD_ID),
    ({"id": "COM1.txt"}, BAD_ID),
    ({"id": "9" * 64}, BAD_ID),
    ({"id": str(uuid.uuid4()).upper()}, BAD_ID),
    ({"id": str(uuid.uuid4()), "version": -5}, BAD_NUMBER),
    ({"id": str(uuid.uuid4()), "version": 2**63 - 1}, BAD_NUMBER),
    ({"id": str(uuid.uuid4()), "version": 1.5}, BAD_NUMBER),
    ({"id": str(uuid.uuid4()), "statement_id": "../../etc"}, BAD_ID),
])
def test_ids_and_versions_the_kiosk_never_writes_are_refused(
        tmp_path: Path, changes: dict, reason: str) -> None:
    laptop = tmp_path / "laptop.db"
    make_laptop(laptop)
    copy_row(laptop, laptop, "answer", visit_id=None, source="staff", **changes)
    with Store.open(tmp_path / "c" / "kiosk.db") as central:
        report = central.merge([laptop])
        assert report.refused[laptop] == {reason: 1}
        assert central.db.execute("SELECT count(*) FROM answer").fetchone() == (3,)


def test_rows_dated_2000_or_9999_are_kept_and_named(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    make_laptop(laptop)
    for at in ("9999-12-31T23:45", "2000-01-01T00:00"):
        copy_row(laptop, laptop, "answer", id=str(uuid.uuid4()), at=at, visit_id=None,
                 source="staff")
    merged = run_kiosk("merge", str(laptop), "--data-dir", str(tmp_path / "c"))
    assert merged.returncode == 0, merged.stdout
    assert "tijd onbekend: 2 antwoorden met een datum voor 2020 of na morgen" in merged.stdout
    assert len(table_rows(tmp_path / "c" / "kiosk.db", "answer")) == 5


def test_the_summary_says_what_was_left_out() -> None:
    report = MergeReport()
    report.added[Path("a.db")] = dict.fromkeys(MERGED_TABLES, 0)
    assert not report.failed
    report.skipped[Path("b.db")] = "het bestand is leeg."
    assert report.failed
    assert str(report).splitlines()[-2:] == [
        "b.db: OVERGESLAGEN: het bestand is leeg.",
        "Niet alles is samengevoegd: 1 bestand overgeslagen. De rest is wel samengevoegd. "
        "Los het op (zie hierboven) en voeg daarna opnieuw samen: wat er al is, komt er niet "
        "dubbel in."]


def test_what_the_store_may_write_the_rulebook_decides() -> None:
    assert rules.is_row_id(rules.new_id())
    with pytest.raises(ValueError, match="Te lang: 61 tekens"):
        _session_named("x" * 61)
    with pytest.raises(ValueError, match="< en >"):
        _session_named("Markt <b>")
    with pytest.raises(ValueError, match="U\\+FFFF"):
        _session_named("Markt \uffff")


def _session_named(name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "k.db") as store:
        store.start_session(name, "markt")


def test_the_staff_merge_list_describes_a_hostile_file_at_once_and_writes_nothing(
        tmp_path: Path) -> None:
    """The staff screen lists the files on a stick before the merge: a VIEW named
    ``session`` that never ends is named as not a kiosk file, and a live database with
    its ``-wal`` gets no ``-shm`` written beside it."""
    from kiosk.core.databases import find_databases

    stick = tmp_path / "stick"
    make_laptop(stick / "evil.db")
    with closing(sqlite3.connect(stick / "evil.db")) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DROP TABLE session")
        conn.execute("CREATE VIEW session AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
                     "SELECT n + 1 FROM r) SELECT n AS started FROM r")
        conn.commit()
    with Store.open(stick / "live.db") as live:
        live.start_session("Markt", "markt")
        before = folder_state(stick)
        described = {info.path.name: info for info in find_databases(stick)}
        assert folder_state(stick) == before
    assert described["evil.db"].problem == "Geen kiosk-bestand."
    assert not described["live.db"].damaged
