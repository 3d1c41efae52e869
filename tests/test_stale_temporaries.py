"""Backups remove their own stale temporary files on the next run (issue 17).

A backup killed with ``kill -9`` leaves its temporary copy
(``.<name>.<pid>.<random>.tmp``) under a name no later backup uses again. The
next write into that folder removes every such file of a process that no
longer runs, and nothing else: not a user's own dotfiles, not a write in
progress, not another program's file that only looks alike.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk import paths
from kiosk.core.files import remove_stale_temporaries, replacing
from kiosk.core.store import Store
from tests.conftest import ROOT, run_kiosk


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_next_write_removes_every_stale_temporary_of_the_same_kind(tmp_path: Path) -> None:
    dead = dead_pid()
    stale = [f".backup-1.db.{dead}.abcdefgh.tmp", f".backup-1.db.{dead}.abcdefgh.tmp-journal",
             f".kiosk-2024.db.{dead}.x_9k2m1q.tmp", f".a.b.1.db.{dead}.zzzzzzzz.tmp"]
    kept = [
        ".bashrc", ".notes.2024.txt", f".rapport.pdf.{dead}.abcdefgh.pdf",  # another suffix
        f".kort.db.{dead}.abc.tmp",  # not mkstemp's 8 random characters
        f".Hoofd.db.{dead}.ABCDEFGH.tmp",  # mkstemp uses lower case only
        f".bezig.db.{os.getpid()}.abcdefgh.tmp",  # a write in progress
        ".groot.db.99999999999999999999999.abcdefgh.tmp",  # no process has that number
        f".backup-1.db.{dead}.abcdefgh.tmp.bak",
    ]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"half")
    link = f".link.db.{dead}.abcdefgh.tmp"
    (tmp_path / link).symlink_to(tmp_path / ".bashrc")  # a symlink is never swept
    (tmp_path / "backup-1.db").write_bytes(b"a user's file")

    with replacing(tmp_path / "backup-3.db", suffix=".tmp") as temporary:
        temporary.write_bytes(b"whole")

    assert hidden(tmp_path) == sorted([*kept, link])
    assert (tmp_path / "backup-1.db").read_bytes() == b"a user's file"
    assert (tmp_path / "backup-3.db").read_bytes() == b"whole"


def test_only_the_targets_own_without_clean_folder(tmp_path: Path) -> None:
    dead = dead_pid()
    other = f".ander.db.{dead}.abcdefgh.tmp"
    own = f".doel.db.{dead}.abcdefgh.tmp"
    for name in (other, own):
        (tmp_path / name).write_bytes(b"half")
    with replacing(tmp_path / "doel.db", clean_folder=False) as temporary:
        temporary.write_bytes(b"whole")
    assert hidden(tmp_path) == [other]
    assert remove_stale_temporaries(tmp_path / "iets.db", ".tmp") == [tmp_path / other]


def big_database(data_dir: Path, megabytes: int) -> Path:
    """A kiosk database made large with a filler table, so that a backup takes a while."""
    db = data_dir / paths.DB_NAME
    with Store.open(db) as store:
        store.start_session("Markt", "markt")
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE filler (data BLOB)")
        connection.executemany("INSERT INTO filler VALUES (randomblob(1048576))",
                               [()] * megabytes)
    return db


def test_killed_backups_leave_nothing_after_the_next_backup(data_dir: Path,
                                                            tmp_path: Path) -> None:
    """Five backups at once, each stopped as soon as its temporary copy appears (so none
    sweeps another's while it still runs), then all killed with SIGKILL: their
    temporaries stay. The next backup removes every one of them."""
    data_dir.mkdir(parents=True)
    big_database(data_dir, 48)
    folder = tmp_path / "reservekopie"
    folder.mkdir()
    backups = {f"kopie-{n}.db": subprocess.Popen(
        [sys.executable, "-m", "kiosk", "backup", "-o", str(folder / f"kopie-{n}.db"), "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in range(5)}
    copying: set[str] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(
            name not in copying and backup.poll() is None for name, backup in backups.items()):
        for name, backup in backups.items():
            if name not in copying and any(n.startswith(f".{name}.") for n in hidden(folder)):
                backup.send_signal(signal.SIGSTOP)  # halfway through its copy
                copying.add(name)
        time.sleep(0.001)
    for backup in backups.values():
        backup.send_signal(signal.SIGKILL)
        backup.wait(timeout=60)
    left = [n for n in hidden(folder) if n.endswith(".tmp")]
    assert len(copying) >= 3, "fewer than three backups could be stopped halfway"
    assert len(left) == len(copying)  # what kill -9 leaves behind

    result = run_kiosk("backup", "-o", str(folder / "laatste.db"))

    assert result.returncode == 0, result.stderr
    assert hidden(folder) == []  # every stale temporary is gone
    assert (folder / "laatste.db").stat().st_size > 48 * 1024 * 1024


def test_one_killed_backup_is_cleaned_by_the_next_one(data_dir: Path, tmp_path: Path) -> None:
    """Backups one after another: each killed one's temporary is gone after the next."""
    data_dir.mkdir(parents=True)
    big_database(data_dir, 48)
    folder = tmp_path / "reservekopie"
    folder.mkdir()
    killed = 0
    for attempt in range(10):
        name = f"kopie-{attempt}.db"
        backup = subprocess.Popen([sys.executable, "-m", "kiosk", "backup", "-o",
                                   str(folder / name), "-q"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while backup.poll() is None and time.monotonic() < deadline:
            if any(n.startswith(f".{name}.") for n in hidden(folder)):
                backup.send_signal(signal.SIGKILL)  # halfway through its copy
                break
            time.sleep(0.001)
        backup.wait(timeout=60)
        if backup.returncode == -signal.SIGKILL and not (folder / name).exists():
            killed += 1
            # at most this one's temporary is left: the earlier ones were swept
            assert all(n.startswith(f".{name}.") for n in hidden(folder))
        if killed >= 3:
            break
    assert killed >= 3, "no backup could be killed halfway"
