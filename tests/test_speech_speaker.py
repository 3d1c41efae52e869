"""The Speaker (pytest-qt): clips first, synthesis on a worker thread, playback, the watchdog.

QMediaPlayer plays silently, in real time, when there is no sound card.
Everything waits on signals; the only fakes are engines that hang or fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from kiosk.speech.pcm import read_wav
from kiosk.speech.phrases import PHRASES
from kiosk.speech.recordings import VoiceStore
from kiosk.speech.speaker import Speaker
from kiosk.speech.synth import Engine, SpeechError, Synthesizer, Voice
from kiosk.speech.worker import HUNG_MESSAGE

# pytest-qt swaps its Qt message handler when a test returns, while QMediaPlayer's
# FFmpeg threads may still log ("No audio device detected"); PySide then calls a
# cleared handler and the process crashes (seen here, about 1 run in 10). These
# tests leave Qt's messages alone, and shut their players down before deleting them.
pytestmark = pytest.mark.no_qt_log

SHORT = "Ik vind DigiD lastig."
LONG = " ".join(["Ik vind brieven van de gemeente moeilijk."] * 4)  # about 8 seconds


class Counting(Synthesizer):
    """The real synthesizer, counting its syntheses (shared count over restarts)."""

    calls = 0

    def to_file(self, text: str, path: Path, timeout: float = 30.0) -> Path:
        Counting.calls += 1
        return super().to_file(text, path, timeout)


class Hanging:
    """An engine whose synthesis never ends until the test releases it."""

    voice, rate, name = Voice("fake/nl", "Fake", ("nl",)), 100, "fake"

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def to_file(self, text: str, path: Path) -> Path:
        self.release.wait()
        raise SpeechError("released at the end of the test")


class Failing:
    """An engine that raises on every text."""

    voice, rate, name = Voice("fake/nl", "Fake", ("nl",)), 100, "fake"

    def to_file(self, text: str, path: Path) -> Path:
        raise RuntimeError("the engine crashed")


@pytest.fixture
def make_speaker(qtbot: QtBot) -> Iterator[Callable[..., Speaker]]:
    made: list[Speaker] = []
    Counting.calls = 0

    def make(**kwargs) -> Speaker:
        kwargs.setdefault("engine_factory", Counting)
        speaker = Speaker(**kwargs)
        made.append(speaker)
        return speaker

    yield make
    for speaker in made:
        speaker.shutdown()
        shiboken6.delete(speaker)  # the player and its threads go now, not at exit


def test_say_emits_requested_started_finished_and_plays(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    speaker = make_speaker()
    events: list[tuple[str, str]] = []
    for name in ("requested", "started", "finished"):
        getattr(speaker, name).connect(lambda key, name=name: events.append((name, key)))
    with qtbot.waitSignal(speaker.finished, timeout=10_000):
        speaker.say("digid", SHORT)
    assert events == [("requested", "digid"), ("started", "digid"), ("finished", "digid")]
    assert Counting.calls == 1
    assert Path(speaker.player.source().toLocalFile()).parent == speaker.worker._cache.folder
    assert speaker.playing is None

    # the second time comes from memory: it starts without a synthesis
    with qtbot.waitSignal(speaker.started, timeout=5_000):
        speaker.say("digid", SHORT)
    assert Counting.calls == 1


def test_say_during_playback_stops_the_earlier_one(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.started, timeout=10_000):
        speaker.say("lang", LONG)
    events: list[tuple[str, str]] = []
    speaker.started.connect(lambda key: events.append(("started", key)))
    speaker.finished.connect(lambda key: events.append(("finished", key)))
    with qtbot.waitSignal(speaker.started, timeout=10_000):
        speaker.say("eens", PHRASES["eens"])
    assert events == [("finished", "lang"), ("started", "eens")]
    assert speaker.playing == "eens"


def test_stop_stops_playback(make_speaker: Callable[..., Speaker], qtbot: QtBot) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.started, timeout=10_000):
        speaker.say("lang", LONG)
    assert speaker.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    with qtbot.waitSignal(speaker.finished, timeout=1_000) as blocker:
        speaker.stop()
    assert blocker.args == ["lang"]
    assert speaker.playing is None
    qtbot.waitUntil(
        lambda: speaker.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState,
        timeout=1_000,
    )


def test_a_stale_synthesis_is_not_played(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    speaker = make_speaker()
    started: list[str] = []
    speaker.started.connect(started.append)
    speaker.say("digid", SHORT)
    speaker.stop()  # tapped away before the synthesis was ready
    with qtbot.waitSignal(speaker.worker.rendered, timeout=10_000):
        pass
    speaker.say("lang", LONG)
    speaker.say("eens", PHRASES["eens"])  # the second tap wins over the first
    with qtbot.waitSignal(speaker.started, timeout=10_000) as blocker:
        pass
    assert blocker.args == ["eens"]
    with qtbot.waitSignal(speaker.finished, timeout=10_000):
        pass
    assert started == ["eens"]


def test_a_clip_wins_over_synthesis(
    make_speaker: Callable[..., Speaker], qtbot: QtBot, tmp_path: Path
) -> None:
    Synthesizer("nl").to_file("Dit is een opgenomen stem.", tmp_path / "recorded.wav")
    voice = VoiceStore(tmp_path / "voice", use_bundled=False)
    voice.save("digid", SHORT, read_wav((tmp_path / "recorded.wav").read_bytes()))
    speaker = make_speaker(voice=voice)
    assert speaker.recording_for("digid", SHORT) == tmp_path / "voice" / "digid.wav"
    assert speaker.recording_for("DigiD", SHORT) == tmp_path / "voice" / "digid.wav"
    with qtbot.waitSignal(speaker.started, timeout=5_000):
        speaker.say("digid", SHORT)
    assert Path(speaker.player.source().toLocalFile()) == tmp_path / "voice" / "digid.wav"
    assert Counting.calls == 0


def test_prepare_renders_everything_and_reports_progress(
    make_speaker: Callable[..., Speaker], qtbot: QtBot, tmp_path: Path
) -> None:
    items = list(PHRASES.items())
    speaker = make_speaker()
    progress: list[tuple[int, int]] = []
    speaker.progress.connect(lambda done, total: progress.append((done, total)))
    speaker.prepare(items)
    qtbot.waitUntil(lambda: progress[-1] == (len(items), len(items)), timeout=20_000)
    assert progress[0] == (0, len(items))
    assert [done for done, _ in progress] == list(range(len(items) + 1))
    assert Counting.calls == len(items)

    # a fresh Speaker (a new session) finds everything in the cache
    again = make_speaker()
    progress.clear()
    again.progress.connect(lambda done, total: progress.append((done, total)))
    again.prepare(items)
    qtbot.waitUntil(lambda: progress[-1] == (len(items), len(items)), timeout=20_000)
    assert Counting.calls == len(items)
    with qtbot.waitSignal(again.started, timeout=1_000):
        again.say("eens", PHRASES["eens"])  # from memory: plays at once


def test_a_hung_engine_never_freezes_the_gui_and_the_worker_is_restarted(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    release = threading.Event()
    engines: list[Engine] = []

    def factory(language: str) -> Engine:
        engine = Hanging(release) if not engines else Counting(language)
        engines.append(engine)
        return engine

    ticks: list[float] = []
    heartbeat = QTimer(interval=20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    try:
        speaker = make_speaker(engine_factory=factory, hang_limit=1.0)
        failed: list[tuple[str, str]] = []
        speaker.worker.failed.connect(lambda text, message: failed.append((text, message)))
        begin = time.monotonic()
        speaker.say("digid", SHORT)
        qtbot.waitUntil(lambda: speaker.worker.restarts == 1, timeout=10_000)
        waited = time.monotonic() - begin
        assert waited >= 1.0
        assert failed == [(SHORT, HUNG_MESSAGE)]
        # the GUI loop kept ticking all the while the engine hung
        during = [t for t in ticks if t >= begin]
        assert len(during) >= 0.5 * waited / 0.020
        assert max(b - a for a, b in zip(during, during[1:], strict=False)) < 0.5

        # the fresh worker, with a working engine, says the next text
        with qtbot.waitSignal(speaker.started, timeout=10_000) as blocker:
            speaker.say("eens", PHRASES["eens"])
        assert blocker.args == ["eens"]
        assert len(engines) == 2
        assert Counting.calls == 1
        assert speaker.available
    finally:
        heartbeat.stop()
        release.set()


def test_an_engine_that_keeps_hanging_is_given_up(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    release = threading.Event()
    try:
        speaker = make_speaker(engine_factory=lambda language: Hanging(release), hang_limit=0.2)
        with qtbot.waitSignal(speaker.unavailable, timeout=10_000) as blocker:
            speaker.say("digid", SHORT)
            speaker.prepare([("eens", "Eens"), ("oneens", "Oneens"), ("klaar", "Klaar")])
        assert blocker.args == [speaker.problem]
        assert not speaker.available
        assert speaker.worker.restarts == 3
        speaker.say("digid", SHORT)  # no crash, no sound
        assert speaker.playing is None
    finally:
        release.set()


def test_no_engine_still_plays_clips_and_never_raises(
    make_speaker: Callable[..., Speaker], qtbot: QtBot, tmp_path: Path
) -> None:
    Synthesizer("nl").to_file("Eens", tmp_path / "eens.wav")
    voice = VoiceStore(tmp_path / "voice", use_bundled=False)
    voice.save("eens", "Eens", read_wav((tmp_path / "eens.wav").read_bytes()))

    def no_dutch_voice(language: str) -> Engine:
        raise SpeechError("Geen Nederlandse stem gevonden: installeer espeak-ng")

    speaker = make_speaker(engine_factory=no_dutch_voice, voice=voice)
    qtbot.waitSignal(speaker.unavailable, timeout=5_000).wait()
    assert not speaker.available
    assert speaker.problem.startswith("Geen Nederlandse stem gevonden")

    progress: list[tuple[int, int]] = []
    speaker.progress.connect(lambda done, total: progress.append((done, total)))
    speaker.prepare([("eens", "Eens"), ("digid", SHORT)])
    assert progress == [(2, 2)]

    with qtbot.waitSignal(speaker.requested, timeout=1_000):
        speaker.say("digid", SHORT)  # nothing to play: silent, no error
    assert speaker.playing is None
    with qtbot.waitSignal(speaker.started, timeout=5_000):
        speaker.say("eens", "Eens")  # the recording plays
    assert speaker.playing == "eens"


def test_an_engine_that_raises_fails_that_text_only(
    make_speaker: Callable[..., Speaker], qtbot: QtBot
) -> None:
    speaker = make_speaker(engine_factory=lambda language: Failing())
    with qtbot.waitSignal(speaker.worker.failed, timeout=5_000) as blocker:
        speaker.say("digid", SHORT)
    assert blocker.args == [SHORT, "the engine crashed"]
    assert speaker.available
    assert speaker.playing is None
    assert list(speaker.worker._cache.folder.glob("*")) == []


def test_volume_is_kept_between_zero_and_one(make_speaker: Callable[..., Speaker]) -> None:
    speaker = make_speaker()
    assert speaker.volume == 1.0
    speaker.set_volume(0.25)
    assert speaker.volume == 0.25
    assert speaker.player.audioOutput().volume() == pytest.approx(0.25)
    speaker.set_volume(3)
    assert speaker.volume == 1.0
    speaker.set_volume(-1)
    assert speaker.volume == 0.0
