"""Speech benchmarks: render everything from a cold cache; tap-to-playback-start.

Run from the repository root:

    .venv/bin/python bench/bench_speech.py             # full run (about a minute)
    .venv/bin/python bench/bench_speech.py --says 10   # quicker

Prints markdown tables (for docs/benchmarks.md, section "Speech") on stdout;
Qt and FFmpeg log lines go to stderr. Qt runs offscreen; with no sound card
QMediaPlayer plays silently in real time, so playback timings are real.

Measured through the :class:`~kiosk.speech.speaker.Speaker` the GUI uses:

1. ``prepare`` of every item of the default content (statements of every set,
   fixed phrases, courses) with an empty cache: wall time until the last
   ``progress``; the number of items and the seconds of audio made.
2. Tap to playback start on a cache hit: ``say()`` to the player's
   ``PlayingState`` (the Speaker's ``started``), and to the first
   ``positionChanged`` past 0 (audio is flowing), over ``--says`` taps.
3. The same, synthesising on demand (each text new to an empty cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6 import __version__ as pyside_version  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import paths  # noqa: E402
from kiosk.core.content import load_content  # noqa: E402
from kiosk.speech.phrases import speakable_items  # noqa: E402
from kiosk.speech.speaker import Speaker  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the Qt event loop until ``condition()`` holds (or fail after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the speaker did not answer in time")
        loop.exec()
    timer.stop()


def render_cold(items: list[tuple[str, str]], cache: Path) -> tuple[float, float]:
    """Seconds to prepare ``items`` into an empty ``cache``, and seconds of audio made."""
    speaker = Speaker(cache_dir=cache)
    wait_until(lambda: speaker.worker._lane.busy_since is None)  # the engine is up
    progress: list[tuple[int, int]] = []
    speaker.progress.connect(lambda done, total: progress.append((done, total)))
    start = time.perf_counter()
    speaker.prepare(items)
    wait_until(lambda: bool(progress) and progress[-1][0] == progress[-1][1], timeout=300)
    elapsed = time.perf_counter() - start
    speaker.shutdown()
    audio = 0.0
    for path in cache.glob("*.wav"):
        with wave.open(str(path)) as wav:
            audio += wav.getnframes() / wav.getframerate()
    return elapsed, audio


def tap_latencies(speaker: Speaker, items: list[tuple[str, str]], says: int
                  ) -> tuple[list[float], list[float]]:
    """Milliseconds from ``say()`` to PlayingState, and to the first position past 0."""
    to_playing: list[float] = []
    to_sound: list[float] = []
    marks: dict[str, float] = {}
    speaker.started.connect(lambda key: marks.setdefault("playing", time.perf_counter()))
    speaker.player.positionChanged.connect(
        lambda position: marks.setdefault("sound", time.perf_counter()) if position > 0 else None
    )
    for i in range(says):
        key, text = items[i % len(items)]
        marks.clear()
        start = time.perf_counter()
        speaker.say(key, text)
        wait_until(lambda: "sound" in marks, timeout=60)
        to_playing.append((marks["playing"] - start) * 1000)
        to_sound.append((marks["sound"] - start) * 1000)
    speaker.stop()
    return to_playing, to_sound


def row(label: str, values: list[float]) -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.1f} | "
            f"{percentile(values, 0.95):.1f} | {max(values):.1f} |")


def espeak_version() -> str:
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True,
                             timeout=10).stdout
    except OSError:
        return "espeak-ng not found"
    return out.split("Data at")[0].strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--says", type=int, default=50, help="taps per measurement")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    content = load_content(paths.default_content_dir())
    items = speakable_items(content)
    statements = [(s.id, s.text) for s in content.statement_set().statements]

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-speech-") as tmp:
        folder = Path(tmp)
        elapsed, audio = render_cold(items, folder / "cold")

        warm = Speaker(cache_dir=folder / "cold")
        warm.prepare(items)  # all cache hits: fills the Speaker's memory of rendered files
        wait_until(lambda: not warm._prepare_left)
        hit_playing, hit_sound = tap_latencies(warm, statements, args.says)
        warm.shutdown()

        cold = Speaker(cache_dir=folder / "on-demand")
        wait_until(lambda: cold.worker._lane.busy_since is None)
        fresh = [(f"{key}-{i}", f"{text} ({i + 1})") for i in range(args.says)
                 for key, text in statements][: args.says]  # every text new to the cache
        miss_playing, miss_sound = tap_latencies(cold, fresh, args.says)
        cold.shutdown()
    del app

    print("## Speech\n")
    print(f"{platform.platform()}, Python {platform.python_version()}, PySide6 "
          f"{pyside_version}, {espeak_version()}, Qt offscreen, no sound card.\n")
    print("| render the default content, cold cache | items | seconds | audio (s) |")
    print("|---|---|---|---|")
    print(f"| `Speaker.prepare(speakable_items(content))` | {len(items)} | {elapsed:.2f} | "
          f"{audio:.0f} |\n")
    print("| tap to playback start (ms) | says | median | p95 | max |")
    print("|---|---|---|---|---|")
    print(row("cache hit: `say()` to PlayingState", hit_playing))
    print(row("cache hit: `say()` to first position > 0", hit_sound))
    print(row("synthesised on demand: `say()` to PlayingState", miss_playing))
    print(row("synthesised on demand: `say()` to first position > 0", miss_sound))
    target = percentile(hit_playing, 0.95)
    print(f"\nTarget p95 < 150 ms on a cache hit (to PlayingState): "
          f"{'met' if target < 150 else 'NOT met'} ({target:.1f} ms).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
