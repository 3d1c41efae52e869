"""Memory over a long day (issue 13): nothing piles up per visit or per session.

``bench/bench_memory.py`` measures RSS over 10,000 simulated visits; these tests
check, without timing anything, what would make it grow: Qt objects, signal
connections and the simulator's own bookkeeping stay the same size however
many visits pass, and a session's window is let go of when the session ends.
"""

from __future__ import annotations

import gc
import re
import statistics
import sys
import weakref
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication

from kiosk import memory
from kiosk.app import Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from tests.conftest import run_kiosk

MB = r"\d+,\d MB"


# -- kiosk simulate --rss ---------------------------------------------------------


def test_simulate_rss_prints_the_memory_at_the_start_and_at_the_end(tmp_path: Path) -> None:
    result = run_kiosk("simulate", "--visits", "3", "--rss", "--seed", "1", "--no-speech",
                       "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("geheugen")]
    assert len(lines) == 2, result.stdout  # every 1000 visits: none in 3
    assert re.fullmatch(f"geheugen bij de start: {MB}", lines[0])
    assert re.fullmatch(f"geheugen aan het eind \\(3 bezoeken\\): {MB}", lines[1])


def test_simulate_rss_n_prints_every_n_visits(tmp_path: Path) -> None:
    result = run_kiosk("simulate", "--visits", "3", "--rss", "1", "--seed", "1", "--no-speech",
                       "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    said = [line.split(":")[0] for line in result.stdout.splitlines()
            if line.startswith("geheugen")]
    assert said == ["geheugen bij de start", "geheugen na 1 bezoek", "geheugen na 2 bezoeken",
                    "geheugen na 3 bezoeken", "geheugen aan het eind (3 bezoeken)"]


def test_simulate_rss_refuses_zero(tmp_path: Path) -> None:
    result = run_kiosk("simulate", "--rss", "0", "--data-dir", str(tmp_path / "data"))
    assert result.returncode != 0
    assert "--rss moet minstens 1 zijn" in result.stderr


def test_the_memory_line_is_dutch_with_a_decimal_comma(tmp_path: Path, monkeypatch) -> None:
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmPeak:\t  200000 kB\nVmRSS:\t  121037 kB\n")
    monkeypatch.setattr(memory, "STATUS", status)
    assert memory.rss_line("na 1000 bezoeken") == "geheugen na 1000 bezoeken: 118,2 MB"


def test_without_proc_the_peak_is_shown_and_said_to_be_the_peak(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(memory, "STATUS", tmp_path / "missing")
    line = memory.rss_line("bij de start")
    if sys.platform.startswith("win"):  # no resource module there either
        assert line == "geheugen bij de start: niet beschikbaar op dit systeem"
    else:
        assert re.fullmatch(f"geheugen bij de start: {MB} \\(hoogste tot nu toe\\)", line)


def test_without_any_source_it_says_not_available(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(memory, "STATUS", tmp_path / "missing")
    monkeypatch.setitem(sys.modules, "resource", None)  # import resource: ImportError
    assert memory.rss_line("bij de start") == (
        "geheugen bij de start: niet beschikbaar op dit systeem")


def test_the_simulators_latency_lists_stay_bounded() -> None:
    from kiosk.simulate import KEEP, Latencies

    values = Latencies()
    for index in range(5 * KEEP):
        values.append(float(index % 1000))
    values.append(5000.0)
    assert len(values) == KEEP  # a 10,000-visit run keeps no more than a 400-visit run
    assert values.seen == 5 * KEEP + 1
    assert values.max == 5000.0  # the maximum stays exact
    assert 400 <= statistics.median(values) <= 600  # a fair sample: the true median is 499.5


# -- the window: many visits leave what one visit left ------------------------------


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def objects(window) -> Counter[str]:
    """The window's Qt objects by class (its widgets, timers, animations, media player)."""
    return Counter(type(child).__name__ for child in window.findChildren(QObject))


def connections(window) -> dict[str, int]:
    signals = {"answer_saved": "2answer_saved(QString,QString)",
               "screen_changed": "2screen_changed(QString)",
               "visit_finished": "2visit_finished(QVariantList)"}
    counts = {name: window.receivers(signature) for name, signature in signals.items()}
    speaker = window.speaker
    for name, signature in (("started", "2started(QString)"), ("finished", "2finished(QString)"),
                            ("unavailable", "2unavailable(QString)")):
        counts[f"speaker.{name}"] = speaker.receivers(signature)
    return counts


def visit(qtbot, window, clock: ManualClock) -> None:
    """One visit with the keys of a button box: start, answer every statement, Klaar."""
    def key(which: Qt.Key) -> None:
        clock.advance(1)
        qtbot.keyClick(window, which)

    key(Qt.Key.Key_Return)
    assert window.current_screen == "statement"
    answers = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3)
    turn = 0
    while window.current_screen == "statement":
        key(answers[turn % 3])
        turn += 1
        qtbot.waitUntil(lambda: not window._busy, timeout=5000)
    assert window.current_screen == "end"
    key(Qt.Key.Key_Return)
    assert window.current_screen == "attract"


@pytest.mark.no_qt_log  # FFmpeg's audio thread may log as the test ends (test_window_speech)
def test_many_visits_leave_the_same_qt_objects_and_connections_as_one(
        qtbot, qapp, data_dir: Path, clock: ManualClock) -> None:
    apply_theme(qapp)
    window, recorder, _ = build_window(Options(data_dir=data_dir), monotonic=clock)
    qtbot.addWidget(window)
    try:
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        visit(qtbot, window, clock)
        qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=5000)
        after_one = objects(window), connections(window), len(QApplication.topLevelWidgets())
        for _ in range(30):
            visit(qtbot, window, clock)
        qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=5000)
        after_many = objects(window), connections(window), len(QApplication.topLevelWidgets())
        assert after_many == after_one
        assert after_many[0]["QMediaPlayer"] == 1  # one player for every clip
        assert len(window.findChildren(QMediaPlayer)) == 1
    finally:
        window.close()
        recorder.close()


# -- kiosk run: a session's window is let go of when the session ends ------------------


class SharedSpeaker(QObject):
    """What a window needs of the Speaker, which in ``kiosk run`` outlives every session."""

    unavailable = Signal(str)
    progress = Signal(int, int)
    available = True

    def say(self, key: str, text: str) -> None:
        pass

    def say_all(self, items) -> None:
        pass

    def stop(self) -> None:
        pass


def test_ended_sessions_windows_are_freed_and_speech_failing_later_is_harmless(
        qtbot, qapp, data_dir: Path) -> None:
    speaker = SharedSpeaker()
    ended = []
    for _ in range(3):  # three sessions, one window each, one Speaker for the day
        window, recorder, _ = build_window(Options(data_dir=data_dir, speech=False))
        window.attach_speaker(speaker)
        ended.append(weakref.ref(window))
        window.close()
        window.deleteLater()  # what KioskShell does when a session ends
        recorder.close()
        del window
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window, recorder, _ = build_window(Options(data_dir=data_dir, speech=False))
    qtbot.addWidget(window)
    try:
        window.attach_speaker(speaker)
        gc.collect()
        assert [ref() is None for ref in ended] == [True, True, True]  # none kept alive
        assert speaker.receivers("2unavailable(QString)") == 1  # only this session's window
        speaker.unavailable.emit("De spraak werkt niet.")  # no error from an old window
        assert window.statement_screen.speak_button.shown_text() == "Geen geluid"
    finally:
        window.close()
        recorder.close()
