"""Inspreken with a virtual microphone: staff record through the real shell, by taps.

Run by tests/test_voice_screen.py, each test in a process of its own (``python -m
pytest tests/voice_screen_mic.py::NAME``): QtMultimedia connects to the sound server
once per process, at its first use, so this module starts a private PulseAudio
server (tests/sound.py) before anything in the process touches QtMultimedia. Not
named ``test_*``, so the suite does not collect it into its own process.

The microphone is a real PulseAudio source. Qt lists no monitor sources as inputs,
so a tone is a null sink ("mic", ``paplay`` plays a 440 Hz tone into it) whose
monitor is remapped into a source of its own; silence is ``module-null-source``;
no microphone is no source at all (the card's output sink has only its monitor).
What the kiosk plays is heard on the card's own sink (recorded by ``parec``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.speech.pcm import loudness, read_wav
from kiosk.speech.recordings import COMPUTER, OWN, VoiceStore
from tests.sound import SoundCard, virtual_sound_card
from tests.test_shell import click, enter_pin, make_shell
from tests.voice_tools import loud_part, tone_share, tone_wav

pytestmark = pytest.mark.no_qt_log  # the players and the microphone log from Qt's threads

MIC = "virtmic"


@pytest.fixture(scope="session")
def card() -> Iterator[SoundCard]:
    with virtual_sound_card() as card:
        os.environ.update(card.env)  # before QtMultimedia's first use in this process
        yield card


def pactl(*args: str) -> str:
    result = subprocess.run(["pactl", *args], env=dict(os.environ), capture_output=True,
                            text=True, timeout=30, check=True)
    return result.stdout.strip()


@contextmanager
def microphone(card: SoundCard, kind: str, folder: Path) -> Iterator[None]:
    """A default input of ``kind``: "tone" (440 Hz, playing) or "silence"."""
    modules: list[str] = []
    player = None
    try:
        if kind == "tone":
            modules.append(pactl("load-module", "module-null-sink", "sink_name=mic"))
            modules.append(pactl("load-module", "module-remap-source", "master=mic.monitor",
                                 f"source_name={MIC}", "channels=1"))
            tone = tone_wav(folder / "mic-tone.wav", 60.0, amplitude=0.3)
            player = subprocess.Popen(["paplay", "--device=mic", str(tone)],
                                      env=dict(os.environ), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        else:
            modules.append(pactl("load-module", "module-null-source", f"source_name={MIC}",
                                 "rate=44100", "channels=1"))
        pactl("set-default-source", MIC)
        yield
    finally:
        if player is not None:
            player.terminate()
            player.wait(timeout=10)
        for module in reversed(modules):
            pactl("unload-module", module)


def wait_for_input(qtbot, present: bool) -> None:
    """Until Qt sees the default input come (or go)."""
    from PySide6.QtMultimedia import QMediaDevices

    qtbot.waitUntil(lambda: QMediaDevices.defaultAudioInput().isNull() != present,
                    timeout=10_000)


@pytest.fixture
def shell(qtbot, qapp, card, data_dir: Path):
    from kiosk.speech.speaker import Speaker

    shells = make_shell(qtbot, qapp, data_dir)
    shell = next(shells)
    # as kiosk run wires it: one Speaker, its store in the data folder
    speaker = shell.speaker = Speaker(voice=VoiceStore.in_data(data_dir))
    yield shell
    for _ in shells:  # the shell goes first, then the speaker (as kiosk run stops)
        pass
    speaker.shutdown()


@pytest.fixture
def screen(qtbot, shell):
    """Inspreken, opened as staff do: PIN, Menu, Inspreken."""
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    click(qtbot, shell.start_screen.menu_button)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=5000)
    click(qtbot, shell.menu.buttons["voice_requested"])
    assert shell.page == "voice"
    screen = shell.voice_screen
    screen.phrase_page.countdown_ms = 50  # 3, 2, 1 quickly
    return screen


def open_first_statement(qtbot, screen):
    phrase = screen.phrases[0]
    assert phrase.state == COMPUTER
    click(qtbot, screen.rows[phrase.key])
    assert screen.pages.currentWidget() is screen.phrase_page
    return phrase, screen.phrase_page


def heard_since(card: SoundCard, offset: int):
    raw = card.recording.read_bytes()[offset:]
    return loud_part(raw)


def test_a_take_of_a_tone_is_saved_and_the_kiosk_plays_it(qtbot, card, shell, screen,
                                                          data_dir: Path, tmp_path: Path):
    from kiosk.gui.staff.voice_phrase import SAVED, TAKE

    before = dict(screen.counts)
    with microphone(card, "tone", tmp_path):
        wait_for_input(qtbot, present=True)
        phrase, page = open_first_statement(qtbot, screen)
        click(qtbot, page.record_button)
        assert page.state == "countdown"
        assert page.privacy.isVisible()
        assert page.privacy.text() == "Je neemt je eigen stem op."
        qtbot.waitUntil(lambda: page.state == "recording", timeout=5000)
        assert page.privacy.isVisible()
        assert page.meter.isVisible()
        assert screen.busy
        assert shell._busy()
        qtbot.waitUntil(lambda: page.mic.seconds >= 1.5, timeout=15_000)
        assert page.meter.value > 0.3, "the meter shows the tone"
        click(qtbot, page.stop_button)
        qtbot.waitUntil(lambda: page.state == "take", timeout=20_000)
    assert page.hint.text() == TAKE
    assert not VoiceStore.in_data(data_dir).recordings(), "nothing is kept before Bewaren"

    offset = len(card.recording.read_bytes())
    with qtbot.waitSignal(screen.listener.finished, timeout=20_000):
        click(qtbot, page.listen_button)
    assert tone_share(heard_since(card, offset)) > 0.8, "Luister plays the take"

    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.state == "ready", timeout=20_000)
    assert page.hint.text() == SAVED, page.problem.text()

    stored = VoiceStore.in_data(data_dir).recording(phrase.key)  # as the next start reads it
    assert stored is not None
    assert stored.fits(phrase.text)
    assert stored.source == "microfoon"
    clip = read_wav(stored.path.read_bytes())
    assert clip.seconds >= 1.0
    assert tone_share(clip.samples, rate=clip.rate) > 0.8, "the recording is the tone"
    assert loudness(clip) == pytest.approx(-20.0, abs=1.5), "normalised"

    assert page.state_line.text().endswith("Eigen stem")
    click(qtbot, page.back_button)
    assert screen.counts[OWN] == before[OWN] + 1
    assert screen.counts[COMPUTER] == before[COMPUTER] - 1
    assert screen.rows[phrase.key].line.text() == "Stelling · Eigen stem"
    assert "Eigen stem: 1" in screen.counts_label.text()

    # the running kiosk uses it at once: no restart
    speaker = shell.speaker
    assert speaker.source(phrase.key, phrase.text) == OWN
    offset = len(card.recording.read_bytes())
    with qtbot.waitSignal(speaker.finished, timeout=20_000):
        speaker.say(phrase.key, phrase.text)
    heard = heard_since(card, offset)
    assert len(heard) / 16000 == pytest.approx(stored.seconds, abs=0.4)
    assert tone_share(heard) > 0.8, "the kiosk says the phrase with the recording"


def test_without_a_microphone_staff_read_why_and_can_record_once_one_is_plugged_in(
        qtbot, card, shell, screen, data_dir: Path, tmp_path: Path):
    from kiosk.gui.staff.voice_record import MICROPHONE_FAILED, NO_MICROPHONE

    wait_for_input(qtbot, present=False)
    _phrase, page = open_first_statement(qtbot, screen)
    click(qtbot, page.record_button)
    qtbot.waitUntil(lambda: page.state == "ready", timeout=5000)
    assert page.problem.isVisible()
    assert page.problem.text() == NO_MICROPHONE
    assert page.record_button.isVisible()
    assert page.back_button.isEnabled()

    with microphone(card, "tone", tmp_path):  # a headset plugged in: no restart needed
        wait_for_input(qtbot, present=True)
        click(qtbot, page.record_button)
        qtbot.waitUntil(lambda: page.state == "recording", timeout=5000)
        assert not page.problem.isVisible()
        qtbot.waitUntil(lambda: page.mic.seconds >= 0.5, timeout=15_000)
        click(qtbot, page.stop_button)
        qtbot.waitUntil(lambda: page.state == "take", timeout=20_000)
        first = page.take_file
        click(qtbot, page.again_button)  # "Opnieuw": 3, 2, 1 and a new take
        assert page.state == "countdown"
        assert not first.exists(), "the take thrown away is gone from the disk"
        qtbot.waitUntil(lambda: page.state == "recording", timeout=5000)
        qtbot.waitUntil(lambda: page.mic.seconds >= 0.5, timeout=15_000)
        click(qtbot, page.stop_button)
        qtbot.waitUntil(lambda: page.state == "take", timeout=20_000)
        assert page.take_file != first
        takes = page.take_file.parent
    click(qtbot, page.back_button)  # a take not saved: staff are asked
    question = screen.question
    assert question is not None
    assert question.objectName() == "voice_unsaved"
    click(qtbot, question.buttons["leave"])
    assert screen.pages.currentWidget() is screen.list_page
    assert not takes.exists(), "no recording of staff is left behind in a temporary folder"

    # unplugged again: Qt 6.11 may still list the source that went, but it does not open
    _phrase, page = open_first_statement(qtbot, screen)
    click(qtbot, page.record_button)
    qtbot.waitUntil(lambda: page.state == "ready", timeout=5000)
    assert page.problem.text() in (NO_MICROPHONE, MICROPHONE_FAILED)
    assert page.record_button.isVisible()
    assert not VoiceStore.in_data(data_dir).recordings()


def test_a_silent_take_is_refused_and_nothing_is_saved(qtbot, card, shell, screen,
                                                       data_dir: Path, tmp_path: Path):
    from kiosk.gui.staff.voice_record import NOTHING_HEARD

    with microphone(card, "silence", tmp_path):
        wait_for_input(qtbot, present=True)
        phrase, page = open_first_statement(qtbot, screen)
        page.mic.limit_seconds = 1.0  # it stops by itself at the limit (20 s in the kiosk)
        click(qtbot, page.record_button)
        qtbot.waitUntil(lambda: page.state == "recording", timeout=5000)
        qtbot.waitUntil(lambda: page.state == "ready", timeout=20_000)
    assert page.problem.text() == NOTHING_HEARD
    assert not page.save_button.isVisible()
    assert page.record_button.isVisible()
    assert VoiceStore.in_data(data_dir).recording(phrase.key) is None
    assert not list(data_dir.glob("voice/*.wav"))
    assert shell.speaker.source(phrase.key, phrase.text) == COMPUTER
