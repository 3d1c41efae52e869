"""First painted screen after process start (offscreen, warm cache), against bare Qt.

Runs ``python -m kiosk run --windowed`` with KIOSK_EXIT_AFTER_FIRST_PAINT=1 and
times from launch until the PIN pad (the first screen of ``kiosk run``) has
painted, and until "ready": content, database, speech and staff screens built
behind it. Beside it, in the same run and alternating, a bare PySide6 window
with one label (the floor any Qt program pays here) and the alternative the
kiosk used before: everything built before the first paint
(KIOSK_STARTUP=eager, the same code path, the order changed).

Python byte code is cached as on a user's machine (``__pycache__`` written on
the warm-up run, or the .pyc files of the bundle), whatever
PYTHONDONTWRITEBYTECODE says in this shell.

    .venv/bin/python bench/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("Ik vind brieven van de gemeente moeilijk.")
class P(QObject):
    def eventFilter(self, obj, event):
        if obj is label and event.type() == QEvent.Type.Paint:
            print("first-paint", flush=True); QTimer.singleShot(0, app.quit)
        return False
p = P(); app.installEventFilter(p)
label.resize(1366, 768); label.show()
app.exec()
"""


def timings(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from launch to each line the process prints ("first-paint", "ready")."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    assert proc.stdout is not None
    watchdog = threading.Timer(60, proc.kill)  # a start that never paints fails, never hangs
    watchdog.start()
    seen: dict[str, float] = {}
    for line in proc.stdout:
        seen.setdefault(line.strip(), time.perf_counter() - start)
    proc.wait(timeout=30)
    watchdog.cancel()
    if "first-paint" not in seen:
        raise RuntimeError(f"{command} never painted")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=data,
                   KIOSK_EXIT_AFTER_FIRST_PAINT="1")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        kiosk = [sys.executable, "-m", "kiosk", "run", "--windowed", "--location", "bench"]
        commands = {
            "kiosk run (PIN pad first, the rest after)": (kiosk, env),
            "alternative: kiosk run, all built before the first paint": (
                kiosk, dict(env, KIOSK_STARTUP="eager")),
            "bare PySide6 label": ([sys.executable, "-c", BARE], env),
        }
        for command, command_env in commands.values():
            timings(command, command_env)  # warm the file cache and write the byte code
        results: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, command_env) in commands.items():
                results[name].append(timings(command, command_env))
    bare = statistics.median(r["first-paint"] for r in results["bare PySide6 label"])
    print(f"| {args.runs} runs, alternating | first paint, median | max | × bare "
          "| ready (all built), median |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        paint = [r["first-paint"] for r in runs]
        ready = [r["ready"] for r in runs if "ready" in r]
        ready_text = f"{statistics.median(ready):.3f} s" if ready else "–"
        print(f"| {name} | {statistics.median(paint):.3f} s | {max(paint):.3f} s "
              f"| {statistics.median(paint) / bare:.2f} | {ready_text} |")


if __name__ == "__main__":
    main()
