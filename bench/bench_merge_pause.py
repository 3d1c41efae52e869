"""How long a merge pauses a kiosk that runs on the same database.

A coordinator merges a laptop's file of 600,000 answers (200,000 visits) into a data
folder where ``kiosk simulate`` drives the real window through visits (each answer
committed with ``synchronous=FULL``, as at the stand). The kiosk's own numbers say
how long it waited: the longest "tap to answer saved" while the merge ran.

Compared in the same run: the merge as built (short ``BEGIN IMMEDIATE`` batches of
``BATCH_ROWS`` rows) against the obvious alternative, one transaction for the whole
file (what the merge did before): with it the kiosk waits for the whole file, and
after ``BUSY_TIMEOUT_MS`` (5 s) it gives up saving ("Opslaan lukt niet").

Run: ``.venv/bin/python bench/bench_merge_pause.py [ANSWERS]``
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.core.merge import BATCH_ROWS  # noqa: E402
from kiosk.core.store import Store  # noqa: E402

STATEMENTS = ("digid", "korting", "formulieren")
#: Visits the simulated kiosk makes: enough to outlast the merge on a 2-core machine.
SIM_VISITS = 1500


def make_laptop(path: Path, answers: int) -> None:
    visits = answers // len(STATEMENTS)
    with Store.open(path, synchronous="NORMAL") as laptop:
        session = laptop.start_session("Markt", "markt", "taalhuis", per_visit=3)
        rows = [(str(uuid.uuid4()), session, "2026-05-12T09:00") for _ in range(visits)]
        with laptop.db.atomic():
            laptop.db.conn.executemany(
                "INSERT INTO visit (id, session_id, started) VALUES (?, ?, ?)", rows)
            laptop.db.conn.executemany(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " VALUES (?, ?, ?, ?, ?, 'touch', '2026-05-12T09:00')",
                ((str(uuid.uuid4()), visit, session, statement, "eens")
                 for visit, _, _ in rows for statement in STATEMENTS))


MERGE = """
import sys, time
from pathlib import Path
from kiosk.core.lock import folder_in_use
from kiosk.core.store import Store
db = Path(sys.argv[1])
store = Store.open(db)
start = time.perf_counter()
report = store.merge([Path(sys.argv[2])], batch_rows=int(sys.argv[3]),
                     others=lambda: folder_in_use(db.parent))  # as kiosk merge does
print(f"{time.perf_counter() - start:.2f} {report.totals()['answer']}")
"""


def one_run(laptop: Path, folder: Path, batch_rows: int) -> dict[str, str]:
    data = folder / f"central-{batch_rows}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    sim = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "simulate", "--visits", str(SIM_VISITS), "--data-dir",
         str(data), "--no-speech", "--location", "Bibliotheek", "--seed", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = data / "kiosk.db"
    while True:  # wait until the kiosk is answering
        if sim.poll() is not None:
            raise SystemExit(f"simulate stopped early: {sim.stderr.read()[-500:]}")
        try:
            with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
                if conn.execute("SELECT count(*) FROM answer").fetchone()[0] > 30:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    merge = subprocess.run([sys.executable, "-c", MERGE, str(db), str(laptop), str(batch_rows)],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    merge_end = time.monotonic()
    out, err = sim.communicate(timeout=1800)
    sim_end = time.monotonic()
    saved = re.search(r"waarvan tik tot antwoord opgeslagen: (.*)", out)
    problem = next((line for line in (out + err).splitlines() if "Opslaan" in line), "")
    return {
        "merge": merge.stdout.strip() or merge.stderr.strip()[-300:],
        "kiosk": saved.group(1) if saved else f"stopped: {problem or err[-300:]}",
        "outlasted": "yes" if sim_end > merge_end else "NO: raise SIM_VISITS",
        "exit": str(sim.returncode),
    }


def main() -> int:
    answers = int(sys.argv[1]) if len(sys.argv) > 1 else 600_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        laptop = folder / "laptop.db"
        start = time.perf_counter()
        make_laptop(laptop, answers)
        print(f"laptop file: {answers} answers, {laptop.stat().st_size / 1e6:.0f} MB, "
              f"made in {time.perf_counter() - start:.1f} s")
        for label, rows in ((f"batches of {BATCH_ROWS} rows (as built)", BATCH_ROWS),
                            ("one transaction for the file (before)", 10**9)):
            result = one_run(laptop, folder, rows)
            seconds, merged = (result["merge"].split() + ["?", "?"])[:2]
            print(f"{label}: merge {seconds} s ({merged} answers); kiosk tap -> answer saved: "
                  f"{result['kiosk']}; kiosk exit {result['exit']}; kiosk ran through the "
                  f"whole merge: {result['outlasted']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
