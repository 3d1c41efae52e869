"""How long a visit takes at a market pace: taps and seconds from the first tap to the end screen.

Drives the real window (offscreen, real clicks, a real database) for each
choice of statements per visit, and counts the taps and the simulated seconds
from the tap on "Doe mee!" to the end screen with the course and its QR code.

Two paces, in the same run:
- market: 5 s per statement (read or hear it, decide, tap), the pace seen at
  a stand;
- listening: the passer-by hears every statement read aloud to its end
  (espeak-ng, the kiosk's own voice) and then takes 1.5 s to tap.

The last row is someone in a hurry: one answer, then "Klaar" (1 s).

Run: ``.venv/bin/python bench/bench_visit_length.py``
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import wave
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MARKET_PACE = 5.0  # seconds per statement
DECIDE = 1.5  # seconds to tap after the statement was heard
ATTRACT_TAP = 1.0  # from walking up to the first tap
VISITS = 20  # visits per setting: the rotation changes which statements (and how long)


def spoken_seconds(texts: list[str]) -> dict[str, float]:
    """How long espeak-ng reads each text (the kiosk's own synthesizer)."""
    from kiosk.speech.synth import Synthesizer

    synth = Synthesizer("nl")
    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        for index, text in enumerate(texts):
            path = synth.to_file(text, Path(folder) / f"{index}.wav")
            with wave.open(str(path)) as clip:
                seconds[text] = clip.getnframes() / clip.getframerate()
    return seconds


def measure(per_visit: int, speech: dict[str, float],
            leave_after: int | None = None) -> tuple[list[int], list[float], list[float]]:
    """Taps, market seconds and listening seconds per visit; ``leave_after``: tap "Klaar"
    after that many answers (a passer-by in a hurry)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kiosk.app import Options, build_window
    from kiosk.core.clock import ManualClock

    taps, market, listening = [], [], []
    with tempfile.TemporaryDirectory() as data:
        clock = ManualClock()
        window, recorder, _ = build_window(
            Options(data_dir=Path(data), location="Markt", speech=False, per_visit=per_visit),
            monotonic=clock, rng=random.Random(1))
        window.resize(1366, 768)
        window.show()
        try:
            for _ in range(VISITS):
                count, seconds_market, seconds_listening = 1, ATTRACT_TAP, ATTRACT_TAP
                clock.advance(ATTRACT_TAP)
                QTest.mouseClick(window.attract, Qt.MouseButton.LeftButton)
                while window.current_screen == "statement":
                    if leave_after is not None and len(window.visit.answers) == leave_after:
                        clock.advance(1)
                        QTest.mouseClick(window.statement_screen.finish_button,
                                         Qt.MouseButton.LeftButton)
                        count += 1
                        seconds_market += 1
                        seconds_listening += 1
                        break
                    statement = window.visit.current
                    seconds_market += MARKET_PACE
                    seconds_listening += speech[statement.text] + DECIDE
                    clock.advance(MARKET_PACE)
                    saved = len(window.visit.answers)
                    QTest.mouseClick(window.statement_screen.buttons["eens"],
                                     Qt.MouseButton.LeftButton)
                    count += 1
                    while (len(window.visit.answers) == saved
                           and window.current_screen == "statement"):
                        QTest.qWait(1)  # the answer is on disk before the screen moves on
                assert window.current_screen == "end"
                taps.append(count)
                market.append(seconds_market)
                listening.append(seconds_listening)
                clock.advance(1)
                QTest.mouseClick(window.end_screen.next_button, Qt.MouseButton.LeftButton)
        finally:
            window.close()
            recorder.close()
    return taps, market, listening


def main() -> int:
    from kiosk import paths
    from kiosk.app import create_qt_app
    from kiosk.core.content import load_content

    create_qt_app()
    statements = load_content(paths.default_content_dir()).statement_set().statements
    speech = spoken_seconds([s.text for s in statements])
    print(f"{len(statements)} statements in the default set; spoken length "
          f"{min(speech.values()):.1f}-{max(speech.values()):.1f} s "
          f"(median {statistics.median(speech.values()):.1f} s); {VISITS} visits each\n")
    print("| statements per visit | taps to the end screen | seconds at 5 s per statement "
          "| seconds hearing each statement + 1.5 s |")
    print("|---|---|---|---|")
    for per_visit, name, leave in ((1, "1", None), (3, "3", None), (5, "5", None),
                                   (0, f"all ({len(statements)})", None),
                                   (3, "3, leaving with Klaar after the first", 1)):
        taps, market, listening = measure(per_visit, speech, leave)
        print(f"| {name} | {statistics.median(taps):.0f} | {statistics.median(market):.0f} "
              f"| {statistics.median(listening):.1f} (max {max(listening):.1f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
