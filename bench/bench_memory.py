"""Memory over a long run: RSS of ``kiosk simulate --rss`` from visit 500 to visit 10,000.

    .venv/bin/python bench/bench_memory.py [--visits 10000] [--every 500]
                                           [--runs speech,old-lists,no-speech]

Runs the simulator offscreen, each run in a fresh data folder and a fresh
speech cache, and prints a markdown table of the resident memory every
``--every`` visits, the growth from visit 500 to the last visit in MB and in
KB per visit, and the wall time of each run. The runs:

- ``speech``: ``kiosk simulate`` as it is, speech on (every statement read aloud,
  one QMediaPlayer loading a clip per statement): the kiosk as a stand runs it.
- ``old-lists``: the same, but the simulator keeps its bookkeeping as it did
  before issue 13: every latency and every saved answer's id in lists that grow
  with each visit. The difference to ``speech`` is the simulator's own share of
  the growth, which is not the kiosk's.
- ``no-speech``: ``--no-speech``, the window and the store alone (not run by
  default; the difference to ``speech`` is what speech adds).

Target (issue 13): growth from visit 500 to visit 10,000 at most 10 MB (1 KB per visit).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: "geheugen na 1000 bezoeken: 118,2 MB" (kiosk/memory.py, kiosk/simulate.py)
LINE = re.compile(r"^geheugen na (?P<visits>\d+) bezoeke?n?: (?P<mb>\d+,\d) MB$")
START = re.compile(r"^geheugen bij de start: (?P<mb>\d+,\d) MB$")
BASE = 500  # the growth is counted from this visit on (start-up and warm-up before it)
RUNS = {"speech": [], "old-lists": [], "no-speech": ["--no-speech"]}
#: ``old-lists``: kiosk simulate with the bookkeeping it had before issue 13 (every
#: latency kept, and the id of every saved answer in a list).
OLD_LISTS = """
import sys
import kiosk.app
import kiosk.simulate

kiosk.simulate.KEEP = 10**12  # every latency kept, as in a plain list
build_window, ids = kiosk.app.build_window, []

def with_id_list(*args, **kwargs):
    window, recorder, session_id = build_window(*args, **kwargs)
    window.answer_saved.connect(lambda statement_id, _answer: ids.append(statement_id))
    return window, recorder, session_id

kiosk.app.build_window = with_id_list
from kiosk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(name: str, visits: int, every: int, seed: int) -> tuple[dict[int, float], float, float]:
    """RSS in MB after every ``every`` visits, RSS at the start, and the wall time."""
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                   KIOSK_CACHE_DIR=str(Path(folder) / "cache"))
        began = time.monotonic()
        start = ["-c", OLD_LISTS] if name == "old-lists" else ["-m", "kiosk"]
        result = subprocess.run(
            [sys.executable, *start, "simulate", "--visits", str(visits), "--seed", str(seed),
             "--rss", str(every), "--data-dir", str(Path(folder) / "data"), *RUNS[name]],
            capture_output=True, text=True, timeout=6 * 3600, env=env, cwd=ROOT,
        )
        seconds = time.monotonic() - began
    if result.returncode != 0:
        sys.exit(f"kiosk simulate failed ({result.returncode}):\n{result.stderr[-3000:]}")
    rss: dict[int, float] = {}
    start = float("nan")
    for line in result.stdout.splitlines():
        if m := LINE.match(line):
            rss[int(m["visits"])] = float(m["mb"].replace(",", "."))
        elif m := START.match(line):
            start = float(m["mb"].replace(",", "."))
    return rss, start, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", default="speech,old-lists",
                        help=f"comma-separated, from {', '.join(RUNS)} (default: %(default)s)")
    args = parser.parse_args()
    names = [name.strip() for name in args.runs.split(",") if name.strip()]
    if not names or any(name not in RUNS for name in names):
        sys.exit(f"--runs: choose from {', '.join(RUNS)}")
    if args.every < 1 or BASE % args.every or args.visits < BASE + args.every:
        sys.exit(f"--every must divide {BASE}, and --visits be at least {BASE} + --every")
    results = {name: run(name, args.visits, args.every, args.seed) for name in names}

    print(f"| visit | {' | '.join(f'RSS, {name}' for name in names)} |")
    print(f"|---:|{'---:|' * len(names)}")
    print(f"| start | {' | '.join(f'{results[n][1]:.1f} MB' for n in names)} |")
    checkpoints = sorted({v for n in names for v in results[n][0] if v >= BASE})
    for visit in checkpoints:
        cells = [f"{results[n][0][visit]:.1f} MB" if visit in results[n][0] else "" for n in names]
        print(f"| {visit} | {' | '.join(cells)} |")
    last = args.visits - args.visits % args.every
    growth = {n: results[n][0][last] - results[n][0][BASE] for n in names}
    print(f"| growth {BASE} → {last} | "
          f"{' | '.join(f'**{growth[n]:+.1f} MB**' for n in names)} |")
    print(f"| per visit | "
          f"{' | '.join(f'{growth[n] * 1024 / (last - BASE):+.2f} KB' for n in names)} |")
    print(f"| wall time | {' | '.join(f'{results[n][2] / 60:.1f} min' for n in names)} |")
    verdict = ", ".join(f"{n}: {'met' if growth[n] <= 10 * (last - BASE) / 9500 else 'MISSED'}"
                        for n in names)
    print(f"\nTarget ≤ 1 KB per visit from visit {BASE} (≤ 10 MB over 500 → 10,000): {verdict}")


if __name__ == "__main__":
    main()
