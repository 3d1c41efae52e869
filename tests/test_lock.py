"""One kiosk per data folder: a second kiosk says so and exits 2; a crash leaves no stuck lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.lock import LOCK_NAME, DataFolderLock, FolderInUse
from tests.conftest import ROOT, run_kiosk


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first = DataFolderLock(tmp_path).acquire()
    with pytest.raises(FolderInUse, match="een andere kiosk gebruikt de gegevensmap"):
        DataFolderLock(tmp_path).acquire()
    first.release()
    with DataFolderLock(tmp_path) as again:
        assert again.held
    assert (tmp_path / LOCK_NAME).is_file()  # the file stays; only the OS lock matters


def _start_kiosk(data: Path) -> subprocess.Popen:
    """A real ``kiosk run`` (offscreen) holding ``data``; returns once it holds the folder."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    holder = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--no-speech", "--windowed",
         "--data-dir", str(data)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    log = data / "logs" / "kiosk.log"  # written right after the lock is taken
    deadline = time.monotonic() + 60
    while not (log.is_file() and "log started" in log.read_text(encoding="utf-8")):
        assert holder.poll() is None, "the first kiosk ended early"
        assert time.monotonic() < deadline, "the first kiosk did not start"
        time.sleep(0.05)
    return holder


def test_a_second_kiosk_on_the_same_folder_says_so_and_exits_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = _start_kiosk(data)
    try:
        for command in ("simulate", "run"):
            second = run_kiosk(command, "--no-speech", "--data-dir", str(data),
                               env={"QT_QPA_PLATFORM": "offscreen"}, timeout=60)
            assert second.returncode == 2, second.stderr
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1, second.stderr
            assert "een andere kiosk gebruikt de gegevensmap" in lines[0]
            assert "Traceback" not in second.stderr
        # another folder is free
        other = run_kiosk("simulate", "--visits", "1", "--seed", "1", "--no-speech",
                          "--data-dir", str(tmp_path / "other"), timeout=120)
        assert other.returncode == 0, other.stderr
    finally:
        holder.kill()
        holder.wait(30)


def test_a_kiosk_killed_with_sigkill_does_not_leave_the_folder_stuck(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = _start_kiosk(data)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(30)
    assert (data / LOCK_NAME).is_file()  # left behind, but not locked any more
    result = run_kiosk("simulate", "--visits", "1", "--seed", "1", "--no-speech",
                       "--data-dir", str(data), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "gesimuleerd: 1 bezoek," in result.stdout
