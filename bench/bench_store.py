"""Store benchmarks: answer commit latency, and tallies + export over 1,000,000 answers.

Run from the repository root:

    .venv/bin/python bench/bench_store.py            # full run (about a minute)
    .venv/bin/python bench/bench_store.py --quick    # smaller numbers, for a smoke test

Prints markdown tables (pasted into docs/benchmarks.md, section "Store").
The databases live in a temporary folder next to this script's working
directory's temp (``--dir`` to choose the disk: fsync latency depends on it).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.core.export import export  # noqa: E402
from kiosk.core.store import Store  # noqa: E402
from kiosk.core.tallies import tallies  # noqa: E402

ANSWERS = ("eens", "oneens", "weet_niet")


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# -- answer commit latency ---------------------------------------------------


def commit_latencies(folder: Path, synchronous: str, calls: int) -> list[float]:
    """Milliseconds per ``record_answer`` (each one a committed transaction)."""
    path = folder / f"latency-{synchronous.lower()}.db"
    with Store.open(path, synchronous=synchronous) as store:
        session = store.start_session("Bibliotheek Centrum", "bibliotheek")
        visit = store.start_visit(session)
        latencies = []
        for i in range(calls):
            if i % 15 == 0:
                visit = store.start_visit(session)
            answer = ANSWERS[i % 3]
            start = time.perf_counter()
            store.record_answer(visit, f"s{i % 15}", answer)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def latency_table(folder: Path, calls: int) -> str:
    lines = [
        "| synchronous | calls | median (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mode in ("FULL", "NORMAL"):
        values = commit_latencies(folder, mode, calls)
        lines.append(
            f"| {mode} | {calls} | {statistics.median(values):.2f} | "
            f"{percentile(values, 0.95):.2f} | {percentile(values, 0.99):.2f} | {max(values):.2f} |"
        )
    return "\n".join(lines)


# -- tallies and export over many answers ------------------------------------


def fake_uuid(rng: random.Random) -> str:
    """A UUID-shaped random id from a seeded generator: faster than uuid4() for a million rows."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def generate(path: Path, answers: int, locations: int = 5, sessions_per_location: int = 40,
             statements: int = 15) -> int:
    """Fill a new kiosk database with ``answers`` answers (one transaction, executemany)."""
    with Store.open(path) as store:
        kiosk_id = store.kiosk_id
    rng = random.Random(42)
    sessions = []
    first_day = date(2026, 1, 5)
    for loc in range(locations):
        for k in range(sessions_per_location):
            day = first_day + timedelta(days=k)
            sessions.append((fake_uuid(rng), kiosk_id, f"Locatie {loc + 1}", "markt", "basis",
                             f"{day.isoformat()}T10:00", f"{day.isoformat()}T16:00"))
    visits_total = answers // statements
    visit_rows, answer_rows = [], []
    for v in range(visits_total):
        session = sessions[v % len(sessions)]
        visit_id = fake_uuid(rng)
        visit_rows.append((visit_id, session[0], session[5], session[5], 1))
        for s in range(statements):
            answer_rows.append((fake_uuid(rng), visit_id, session[0], f"s{s + 1:02d}",
                                rng.choice(ANSWERS), "touch", session[5]))
    # Bulk load: no journal, rows in primary-key order, secondary indexes built afterwards.
    answer_rows.sort()
    visit_rows.sort()
    conn = sqlite3.connect(path, isolation_level=None)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -500000")
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    conn.executemany("INSERT INTO session VALUES (?, ?, ?, ?, ?, ?, ?)", sessions)
    conn.executemany("INSERT INTO visit VALUES (?, ?, ?, ?, ?)", visit_rows)
    conn.executemany("INSERT INTO answer VALUES (?, ?, ?, ?, ?, ?, ?)", answer_rows)
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return len(answer_rows)


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


#: The straightforward query: join every answer to its session, then group (a temp B-tree sort).
ONE_LEVEL_SQL = """
SELECT s.location, substr(s.started, 1, 10), a.statement_id, a.answer, a.source, count(*)
FROM answer AS a JOIN session AS s ON s.id = a.session_id
GROUP BY 1, 2, 3, 4, 5
"""


def python_count(path: Path) -> int:
    """The obvious alternative: fetch every answer and count in Python."""
    counter: Counter[tuple[str, str, str, str, str]] = Counter()
    conn = sqlite3.connect(path)
    try:
        for row in conn.execute(
            "SELECT s.location, substr(s.started, 1, 10), a.statement_id, a.answer, a.source"
            " FROM answer AS a JOIN session AS s ON s.id = a.session_id"
        ):
            counter[row] += 1
    finally:
        conn.close()
    return len(counter)


def export_table(folder: Path, answers: int) -> str:
    path = folder / "export.db"
    gen_seconds, count = timed(lambda: generate(path, answers))
    out_csv, out_json = folder / "tallies.csv", folder / "tallies.json"
    text = lambda statement_id: f"Stelling {statement_id}"  # noqa: E731
    results = []
    with Store.open(path) as store:
        t, result = timed(lambda: tallies(store))
        results.append(("tallies() (covering index, SQL GROUP BY)", t))
        t, _ = timed(lambda: export(result, text, "csv", out_csv))
        results.append(("export CSV (from the tallies)", t))
        t, _ = timed(lambda: export(result, text, "json", out_json))
        results.append(("export JSON (from the tallies)", t))
        t, _ = timed(lambda: export(tallies(store), text, "csv", out_csv))
        results.append(("**tallies() + CSV export, end to end**", t))
        t, filtered = timed(lambda: tallies(store, location="Locatie 3",
                                            since=date(2026, 1, 10), until=date(2026, 1, 19)))
        results.append(("tallies() for one location, 10 days", t))
        t, _ = timed(lambda: store.db.execute(ONE_LEVEL_SQL).fetchall())
        results.append(("alternative: one GROUP BY over the join (index, no pre-count)", t))
        store.db.execute("DROP INDEX answer_tally")
        t, unindexed = timed(lambda: tallies(store))
        results.append(("alternative: the same query without the index", t))
        assert unindexed.rows == result.rows, "the query without index must count the same"
    t, _ = timed(lambda: python_count(path))
    results.append(("alternative: fetch all rows, count in Python (collections.Counter)", t))
    totals = result.totals
    assert totals.answers.total == count, (totals.answers.total, count)
    header = (
        f"{count:,} answers, {totals.visits:,} visits, {len(result.groups())} location-days, "
        f"{len(result.rows)} tally rows; generated in {gen_seconds:.1f} s "
        f"({path.stat().st_size / 1e6:.0f} MB)\n\n"
    )
    lines = ["| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.3f} |" for name, seconds in results]
    return header + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="300 calls instead of 2000, 100k answers instead of 1M")
    parser.add_argument("--dir", type=Path, default=None, help="folder for the test databases")
    args = parser.parse_args()
    calls, answers = (300, 100_000) if args.quick else (2000, 1_000_000)
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-store-") as tmp:
        folder = Path(tmp)
        print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
              f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
              f"{datetime.now():%Y-%m-%d}, databases in {folder.parent}\n")
        print("### Answer commit latency (`Store.record_answer`, one transaction each)\n")
        print(latency_table(folder, calls))
        print(f"\n### Tallies and export over {answers:,} answers\n")
        print(export_table(folder, answers))


if __name__ == "__main__":
    main()
