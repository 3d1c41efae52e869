"""kill -9 a writer at random moments: nothing acknowledged is lost, the file stays sound."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 50
TABLES = {"S": "session", "V": "visit", "A": "answer", "R": "referral"}


def run_and_kill(db: Path, acknowledged: dict[str, set[str]], rng: random.Random) -> int:
    """Start the writer, wait for a random number of acknowledged answers, SIGKILL it."""
    target = rng.randint(1, 60)
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    answers = 0
    try:
        while answers < target:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"writer stopped on its own: {proc.stderr.read()}")
            kind, row_id = line.split()
            acknowledged[kind].add(row_id)
            answers += kind == "A"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Lines already in the pipe were acknowledged too (printed after their commit).
        for line in proc.stdout.read().splitlines():
            kind, row_id = line.split()
            acknowledged[kind].add(row_id)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return answers


def check(db: Path, acknowledged: dict[str, set[str]]) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for kind, table in TABLES.items():
            stored = {row_id for (row_id,) in conn.execute(f"SELECT id FROM {table}")}
            missing = acknowledged[kind] - stored
            assert not missing, f"{len(missing)} acknowledged {table} rows lost"


@pytest.mark.slow
def test_kill_9_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    seed = random.randrange(2**32)
    print(f"random seed {seed}")  # shown by pytest if the test fails
    rng = random.Random(seed)
    acknowledged: dict[str, set[str]] = defaultdict(set)
    for _ in range(KILLS):
        run_and_kill(db, acknowledged, rng)
        check(db, acknowledged)
    assert len(acknowledged["A"]) >= KILLS
    assert len(acknowledged["S"]) == KILLS
