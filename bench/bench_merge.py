"""Merging a laptop's database of 135,000 answers (45,000 visits) into an empty central
database, then the same file again (nothing new: the common case when a synced folder
is merged every day).

Run: ``.venv/bin/python bench/bench_merge.py``
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from kiosk.core.store import Store

VISITS = 45_000
STATEMENTS = ("digid", "korting", "formulieren")


def make_laptop(path: Path) -> None:
    with Store.open(path, synchronous="NORMAL") as laptop:
        session = laptop.start_session("Markt", "markt", "taalhuis", per_visit=3)
        visits = [(str(uuid.uuid4()), session, "2026-05-12T09:00") for _ in range(VISITS)]
        answers = [(str(uuid.uuid4()), visit, session, statement,
                    random.choice(("eens", "oneens")), "touch", "2026-05-12T09:00")
                   for visit, _, _ in visits for statement in STATEMENTS]
        with laptop.db.atomic():
            laptop.db.conn.executemany(
                "INSERT INTO visit (id, session_id, started) VALUES (?, ?, ?)", visits)
            laptop.db.conn.executemany(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", answers)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_laptop(folder / "laptop.db")
        with Store.open(folder / "central.db") as central:
            start = time.perf_counter()
            report = central.merge([folder / "laptop.db"])
            first = time.perf_counter() - start
            start = time.perf_counter()
            central.merge([folder / "laptop.db"])
            again = time.perf_counter() - start
    print(f"{report.totals()['answer']} answers: first merge {first:.2f} s, "
          f"the same file again {again:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
