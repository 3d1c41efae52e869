"""Tap-to-paint latency through the real window, via ``kiosk simulate``.

    .venv/bin/python bench/bench_latency.py [--visits 100]

Runs the simulator offscreen at two screen sizes and prints a markdown table:
tap -> pressed state painted (the feedback a finger sees), and release -> next
statement painted (which includes committing the answer to disk with
synchronous=FULL on the recorder thread).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"^(?P<name>[^:]+): mediaan (?P<median>[\d.]+) ms, p95 (?P<p95>[\d.]+) ms, "
                  r"max (?P<max>[\d.]+) ms")


def run(size: str, visits: int) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as data:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "simulate", "--visits", str(visits), "--seed", "1",
             "--size", size, "--data-dir", data],
            capture_output=True, text=True, check=True, timeout=600,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
    return [m.groupdict() for line in result.stdout.splitlines() if (m := LINE.match(line))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100)
    args = parser.parse_args()
    print(f"| size | measure ({args.visits} visits) | median | p95 | max |")
    print("|---|---|---|---|---|")
    for size in ("1366x768", "1920x1080"):
        for row in run(size, args.visits):
            print(f"| {size} | {row['name']} | {row['median']} ms | {row['p95']} ms "
                  f"| {row['max']} ms |")


if __name__ == "__main__":
    main()
