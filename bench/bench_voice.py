"""The library's own voice: the delay from a tap (``Speaker.say``) to the first sound heard.

Run from the repository root (needs pulseaudio, pulseaudio-utils: scripts/system-deps.sh):

    .venv/bin/python bench/bench_voice.py              # 20 taps per case (about a minute)
    .venv/bin/python bench/bench_voice.py --runs 5     # quicker

A private PulseAudio server with a null sink (tests/sound.py) is the sound card; its
monitor is recorded with parec at 16 kHz while a stream of silence keeps its timeline
without holes. Just before each ``say()`` the bench notes how many samples the
recording holds; the first sample after that point louder than tests/sound.py's LOUD
(300, about -41 dBFS) is the first sound. The delay is (that sample - the noted one) /
16 kHz, so it includes the card's and parec's own buffering (10 ms fragments): an
upper bound on what a passer-by hears, give or take 10 ms.

Cases, each through the Speaker the kiosk uses (QMediaPlayer + QAudioOutput, FFmpeg):

1. a current recording of the library (here: espeak-ng speech saved through
   ``VoiceStore.save``, so trimmed and normalised as an imported or recorded voice is);
2. the pre-rendered computer voice (cache hit, after ``prepare``);
3. the computer voice synthesised live (a text new to the cache at every tap).

Prints a markdown table (docs/benchmarks.md, "The library's own voice").
"""

from __future__ import annotations

import argparse
import array
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sound import LOUD, RATE, virtual_sound_card  # noqa: E402

NUMBERS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the Qt event loop until ``condition()`` holds (or fail after ``timeout`` s)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("no answer in time")
        loop.exec()
    timer.stop()


def samples_so_far(recording: Path) -> int:
    return recording.stat().st_size // 2 if recording.exists() else 0


def first_sound_after(recording: Path, start: int) -> int | None:
    raw = recording.read_bytes()
    samples = array.array("h", raw[start * 2: len(raw) // 2 * 2])
    for i, sample in enumerate(samples):
        if abs(sample) > LOUD:
            return start + i
    return None


def measure(speaker, recording: Path, key: str, text: str) -> float:
    """Milliseconds from ``say(key, text)`` to the first loud sample recorded."""
    from PySide6.QtCore import QCoreApplication

    ended: list[str] = []
    speaker.finished.connect(ended.append)
    QCoreApplication.processEvents()  # what the last clip left queued runs first
    start = samples_so_far(recording)
    speaker.say(key, text)
    wait_until(lambda: key in ended, timeout=60)
    speaker.finished.disconnect(ended.append)
    end_time = time.monotonic() + 0.4  # the tail reaches the recording; then quiet again
    wait_until(lambda: time.monotonic() > end_time)
    found = first_sound_after(recording, start)
    if found is None:
        raise RuntimeError(f"{key}: nothing was heard")
    return (found - start) / RATE * 1000


def row(label: str, values: list[float]) -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.0f} | "
            f"{min(values):.0f} | {max(values):.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="taps per case")
    args = parser.parse_args()

    with virtual_sound_card() as card, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(card.env)  # before QtMultimedia connects to a sound server
        env = {**os.environ, **card.env}
        hush = subprocess.Popen(  # keeps the sink running: a recording without holes
            ["pacat", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1"],
            stdin=subprocess.PIPE, env=env)
        try:
            return run(args.runs, card.recording, Path(tmp), hush)
        finally:
            hush.kill()
            hush.wait()


def run(runs: int, recording: Path, tmp: Path, hush: subprocess.Popen) -> int:
    import threading

    from PySide6.QtCore import QCoreApplication

    from kiosk.speech.pcm import read_wav
    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.speaker import Speaker
    from kiosk.speech.synth import Synthesizer

    def feed_silence() -> None:
        chunk = bytes(RATE // 50 * 2)
        try:
            while True:
                hush.stdin.write(chunk)
                hush.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            return

    threading.Thread(target=feed_silence, daemon=True).start()
    app = QCoreApplication.instance() or QCoreApplication([])
    text = "Ik vind DigiD moeilijk."
    Synthesizer("nl").to_file("Ik vind DigiD best wel moeilijk.", tmp / "voice.wav")
    voice = VoiceStore(tmp / "voice", use_bundled=False)
    voice.save("digid", text, read_wav((tmp / "voice.wav").read_bytes()))
    speaker = Speaker(voice=voice, cache_dir=tmp / "cache")
    computer = [("eens", "Eens"), ("hulp", "Wil je hulp? Praat met ons."),
                ("formulieren", "Ik vind formulieren invullen moeilijk.")]
    speaker.prepare(computer)
    wait_until(lambda: not speaker._prepare_left, timeout=60)
    wait_until(lambda: samples_so_far(recording) > RATE)  # a second of silence first

    own = [measure(speaker, recording, "digid", text) for _ in range(runs)]
    cached = [measure(speaker, recording, *computer[i % len(computer)]) for i in range(runs)]
    live = [measure(speaker, recording, f"live-{i}",
                    f"Dit is zin {NUMBERS[i % 10]} van {NUMBERS[i // 10 % 10]} keer.")
            for i in range(runs)]
    speaker.shutdown()
    del app
    print("| tap (`Speaker.say`) to the first sound heard (ms) | taps | median | min | max |")
    print("|---|---|---|---|---|")
    print(row("own recording (eigen stem)", own))
    print(row("computer voice, pre-rendered (cache hit)", cached))
    print(row("computer voice, synthesised live", live))
    return 0


if __name__ == "__main__":
    sys.exit(main())
