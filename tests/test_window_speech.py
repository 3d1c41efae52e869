"""The window and the Speaker together: what is shown is heard, a tap stops it.

Real espeak-ng, real QMediaPlayer (it plays silently in real time here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.window import IDLE_AFTER

# FFmpeg's audio thread may still log when a test ends; pytest-qt's message
# handler swap then races it (see kiosk/speech/playback.py).
pytestmark = pytest.mark.no_qt_log


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, clock):
    apply_theme(qapp)
    window, recorder, _ = build_window(Options(data_dir=data_dir, per_visit=ALL), monotonic=clock)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    recorder.close()


def begin(qtbot, kiosk, clock) -> None:
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)


def test_showing_a_statement_asks_for_its_audio_and_it_plays(qtbot, kiosk, clock) -> None:
    speaker = kiosk.speaker
    with qtbot.waitSignal(speaker.started, timeout=10_000) as started:
        begin(qtbot, kiosk, clock)
    assert started.args == ["brieven-gemeente"]
    assert speaker.playing == "brieven-gemeente"


def test_a_tap_stops_the_speech_and_the_next_statement_is_read(qtbot, kiosk, clock) -> None:
    speaker = kiosk.speaker
    with qtbot.waitSignal(speaker.started, timeout=10_000):
        begin(qtbot, kiosk, clock)
    clock.advance(1)
    with qtbot.waitSignals([speaker.finished, speaker.started], timeout=10_000,
                           check_params_cbs=[lambda key: key == "brieven-gemeente",
                                             lambda key: key == "formulieren"]):
        qtbot.mouseClick(kiosk.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)


def test_the_speaker_button_repeats_the_statement(qtbot, kiosk, clock) -> None:
    speaker = kiosk.speaker
    begin(qtbot, kiosk, clock)
    clock.advance(1)
    with qtbot.waitSignal(speaker.requested, timeout=5000) as asked:
        qtbot.mouseClick(kiosk.statement_screen.speak_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["brieven-gemeente"]


def test_holding_an_answer_says_its_word_and_does_not_answer(qtbot, kiosk, clock) -> None:
    speaker = kiosk.speaker
    begin(qtbot, kiosk, clock)
    clock.advance(1)
    button = kiosk.statement_screen.buttons["oneens"]
    with qtbot.waitSignal(speaker.requested, timeout=5000,
                          check_params_cb=lambda key: key == "oneens"):
        QTest.mousePress(button, Qt.MouseButton.LeftButton)
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert kiosk.visit.position == 0  # holding to listen is not an answer
    assert kiosk.bridge.pending == 0


def test_the_idle_prompt_is_spoken(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    clock.advance(IDLE_AFTER)
    with qtbot.waitSignal(kiosk.speaker.requested, timeout=5000,
                          check_params_cb=lambda key: key == "nog-daar"):
        kiosk.tick()


def test_without_a_voice_the_kiosk_shows_no_sound_and_goes_on(qtbot, qapp, data_dir, clock):
    from kiosk.speech.speaker import Speaker
    from kiosk.speech.synth import SpeechError

    def no_voice(language: str):
        raise SpeechError("Geen Nederlandse stem gevonden.")

    apply_theme(qapp)
    window, recorder, _ = build_window(Options(data_dir=data_dir, speech=False, per_visit=ALL),
                                       monotonic=clock)
    qtbot.addWidget(window)
    speaker = Speaker(engine_factory=no_voice, cache_dir=data_dir / "cache")
    window.attach_speaker(speaker)
    try:
        qtbot.waitUntil(lambda: not speaker.available, timeout=5000)
        window.show()
        begin(qtbot, window, clock)
        assert window.statement_screen.speak_button.text() == "Geen geluid"
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=5000):
            qtbot.mouseClick(window.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)
    finally:
        window.close()
        recorder.close()


def test_staff_see_speech_being_prepared_on_the_attract_screen(qtbot, kiosk) -> None:
    kiosk.attract.show_preparing(3, 32)
    assert kiosk.attract.library.text().endswith("geluid klaarzetten 3 van 32")
    kiosk.attract.show_preparing(32, 32)
    assert kiosk.attract.library.text() == kiosk.content.library.name
