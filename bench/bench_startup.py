"""First painted screen after process start (offscreen, warm cache).

Runs ``python -m kiosk run --windowed`` with KIOSK_EXIT_AFTER_FIRST_PAINT=1 and
times from launch until the statement text has painted. Beside it, in the same
run: a bare PySide6 window with one label (the floor any Qt app pays).

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


def time_to_first_paint(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    watchdog = threading.Timer(60, proc.kill)  # a start that never paints fails, never hangs
    watchdog.start()
    for line in proc.stdout:
        if line.strip() == "first-paint":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{command} never painted")
    proc.wait(timeout=30)
    watchdog.cancel()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=data,
                   KIOSK_EXIT_AFTER_FIRST_PAINT="1")
        kiosk = [sys.executable, "-m", "kiosk", "run", "--windowed", "--location", "bench"]
        bare = [sys.executable, "-c", BARE]
        time_to_first_paint(kiosk, env)  # warm the file cache
        time_to_first_paint(bare, env)
        results = {"kiosk run (first screen painted)": [], "bare PySide6 label": []}
        for _ in range(args.runs):
            results["kiosk run (first screen painted)"].append(time_to_first_paint(kiosk, env))
            results["bare PySide6 label"].append(time_to_first_paint(bare, env))
    print(f"| first painted screen, {args.runs} runs | median | max |")
    print("|---|---|---|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values):.3f} s | {max(values):.3f} s |")


if __name__ == "__main__":
    main()
