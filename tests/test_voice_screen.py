"""Inspreken: the staff screen where staff record the kiosk's phrases with their own voice.

The real shell (kiosk mode) with a real data folder and real recordings in it
(tests/test_shell.py builds it); taps on the real buttons. Recording from a
microphone runs in processes of their own (tests/voice_screen_mic.py: a private
PulseAudio server with a virtual microphone, which QtMultimedia must meet at its
first use in a process).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.gui.fit import fit_problems
from kiosk.gui.staff.voice_phrase import DELETED, STATE_LINES
from kiosk.gui.staff.voice_record import (
    NOTHING_HEARD,
    SILENT_DBFS,
    prepare_take,
    to_pcm,
)
from kiosk.gui.staff.voice_screen import TO_DO
from kiosk.gui.staff.widgets import TouchScrollArea, scrollbar_px
from kiosk.speech.pcm import NotSound, Pcm, loudness, read_wav
from kiosk.speech.phrases import speakable_items
from kiosk.speech.recordings import COMPUTER, OWN, STALE, VoiceStore
from tests.conftest import ROOT
from tests.test_shell import click, enter_pin, make_shell
from tests.voice_tools import tone_wav

pytestmark = pytest.mark.no_qt_log  # the Speaker's player logs from FFmpeg's threads


@pytest.fixture
def recorded(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    """Before the shell starts: one phrase recorded, one recorded for a text since changed."""
    from kiosk.app import Options, load_content

    items = speakable_items(load_content(Options(data_dir=data_dir), pytest.fail))
    store = VoiceStore.in_data(data_dir)
    tone = read_wav(tone_wav(tmp_path / "tone.wav", 1.0).read_bytes())
    (own_key, own_text), (stale_key, _text) = items[1], items[3]
    store.save(own_key, own_text, tone)
    store.save(stale_key, "Een tekst van vroeger.", tone)
    return {"own": own_key, "stale": stale_key}


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path, recorded):
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
    """Inspreken, opened as staff do: PIN, Menu (no session), the "Inspreken" tile."""
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    click(qtbot, shell.start_screen.menu_button)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=5000)
    tile = shell.menu.buttons["voice_requested"]
    assert tile.isVisible()
    assert tile.text() == "Inspreken"
    click(qtbot, tile)
    assert shell.page == "voice"
    return shell.voice_screen


def test_every_phrase_is_listed_with_its_state_and_the_counts(qtbot, shell, screen,
                                                              recorded, data_dir: Path):
    items = speakable_items(shell.content)
    assert [p.key for p in screen.phrases] == [key for key, _ in items]
    assert set(screen.rows) == {key for key, _ in items}
    assert screen.counts == {OWN: 1, STALE: 1, COMPUTER: len(items) - 2}
    assert screen.counts_label.text() == (f"Eigen stem: 1 · Computerstem: {len(items) - 2} · "
                                          "Verouderd: 1")
    assert screen.rows[recorded["own"]].line.text() == f"Stelling · {STATE_LINES[OWN]}"
    assert screen.rows[recorded["stale"]].line.text() == f"Stelling · {STATE_LINES[STALE]}"
    assert screen.rows["eens"].line.text() == f"Vaste zin · {STATE_LINES[COMPUTER]}"
    assert screen.filters.buttons[TO_DO].text() == f"Nog niet ingesproken ({len(items) - 1})"

    area = screen.scroll
    assert isinstance(area, TouchScrollArea)
    assert area.verticalScrollBar().value() == 0  # the list opens at its top
    assert area.verticalScrollBar().maximum() > 0, "more phrases than fit: it scrolls"
    assert area.verticalScrollBar().width() >= scrollbar_px(area.logicalDpiY())


def test_the_filter_shows_only_what_is_not_recorded_yet(qtbot, shell, screen, recorded):
    area = screen.scroll
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    click(qtbot, screen.filters.buttons[TO_DO])
    shown = screen.shown_phrases()
    assert shown
    assert {p.state for p in shown} == {COMPUTER, STALE}
    assert set(screen.rows) == {p.key for p in shown}
    assert recorded["own"] not in screen.rows
    assert recorded["stale"] in screen.rows
    assert area.verticalScrollBar().value() == 0, "a new list starts at its top"
    click(qtbot, screen.filters.buttons["alle"])
    assert recorded["own"] in screen.rows


def test_a_phrase_shows_its_text_big_and_what_staff_can_do(qtbot, shell, screen, recorded):
    phrase = next(p for p in screen.phrases if p.key == recorded["own"])
    click(qtbot, screen.rows[phrase.key])
    page = screen.phrase_page
    assert screen.pages.currentWidget() is page
    assert page.text.text() == phrase.text
    assert page.text.objectName() == "voice_text"
    assert page.state_line.text() == f"Stelling · {STATE_LINES[OWN]}"
    visible = {b.objectName() for b in (page.record_button, page.stop_button, page.listen_button,
                                        page.save_button, page.again_button,
                                        page.delete_button) if b.isVisible()}
    assert visible == {"voice_record", "voice_listen", "voice_delete"}
    assert not page.privacy.isVisible()  # said while recording, see voice_screen_mic.py
    click(qtbot, page.back_button)
    assert screen.pages.currentWidget() is screen.list_page


def test_weggooien_asks_first_then_the_running_kiosk_uses_the_computer_voice(
        qtbot, shell, screen, recorded, data_dir: Path):
    key = recorded["own"]
    phrase = next(p for p in screen.phrases if p.key == key)
    speaker = shell.speaker
    assert speaker.source(key, phrase.text) == OWN
    wav = VoiceStore.in_data(data_dir).recording(key).path
    click(qtbot, screen.rows[key])
    page = screen.phrase_page

    click(qtbot, page.delete_button)
    question = screen.question
    assert question is not None
    assert question.objectName() == "voice_delete_question"
    click(qtbot, question.buttons["no"])  # "Nee, bewaren": nothing happens
    assert wav.exists()
    assert speaker.source(key, phrase.text) == OWN

    click(qtbot, page.delete_button)
    click(qtbot, screen.question.buttons["yes"])
    qtbot.waitUntil(lambda: page.hint.text() == DELETED, timeout=10_000)
    assert not wav.exists()
    assert VoiceStore.in_data(data_dir).recording(key) is None  # as the next start reads it
    assert speaker.source(key, phrase.text) == COMPUTER, "the running kiosk: no restart"
    assert page.state_line.text() == f"Stelling · {STATE_LINES[COMPUTER]}"
    assert not page.delete_button.isVisible()
    click(qtbot, page.back_button)
    assert screen.counts[OWN] == 0
    assert screen.counts[STALE] == 1
    assert screen.rows[key].line.text() == f"Stelling · {STATE_LINES[COMPUTER]}"


def test_volgende_zin_goes_to_the_next_phrase_not_recorded_yet(qtbot, shell, screen, recorded):
    first = screen.phrases[0]
    click(qtbot, screen.rows[first.key])
    page = screen.phrase_page
    assert page.next_button.isVisible()
    click(qtbot, page.next_button)  # the second is recorded: skipped
    assert page.phrase.key == screen.phrases[2].key


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (1080, 1920)])
def test_the_screens_fit_a_landscape_and_a_portrait_stand(qtbot, shell, screen, width, height):
    from PySide6.QtWidgets import QApplication

    shell.resize(width, height)
    qtbot.waitUntil(lambda: screen.width() > 0 and screen.height() > screen.width() if
                    height > width else screen.width() > screen.height(), timeout=5000)

    def check(what: str) -> None:
        for _ in range(3):  # the rows' heights follow their width: a layout pass or two
            QApplication.processEvents()
        assert fit_problems(shell, width, height, screen) == [], what

    check("the list")
    click(qtbot, screen.filters.buttons[TO_DO])
    check("the list, not recorded yet")
    longest = max(screen.phrases, key=lambda p: len(p.text))
    screen.open_phrase(longest)
    page = screen.phrase_page
    check("the longest phrase")
    for state in ("countdown", "recording", "take", "ready"):  # how each looks
        page._show_state(state)  # noqa: SLF001 - the layout of each state, no microphone here
        check(state)
    page.say(NOTHING_HEARD, problem=True)
    check("a problem")
    page._show_state("ready")  # noqa: SLF001
    click(qtbot, page.back_button)
    click(qtbot, screen.back_button)
    assert shell.page == "menu"
    for _ in range(3):
        QApplication.processEvents()
    assert fit_problems(shell, width, height, shell.menu) == [], "the menu with Inspreken"


# -- the take: silence, formats ------------------------------------------------------------

def _tone(amplitude: float, seconds: float = 1.0, rate: int = 44100) -> Pcm:
    import array

    return Pcm(array.array("h", (round(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / rate))
                                 for i in range(int(seconds * rate)))), rate)


def test_a_take_below_the_threshold_is_refused_and_a_voice_is_normalised() -> None:
    quiet = _tone(10 ** ((SILENT_DBFS - 10) / 20) * math.sqrt(2))  # a hiss at -55 dBFS
    with pytest.raises(NotSound) as refused:
        prepare_take(quiet)
    assert str(refused.value) == NOTHING_HEARD
    with pytest.raises(NotSound):
        prepare_take(Pcm(_tone(0).samples, 44100))
    clip = prepare_take(_tone(10 ** (-30 / 20) * math.sqrt(2)))  # speech from arm's length
    assert loudness(clip) == pytest.approx(-20.0, abs=0.5)


def test_what_a_microphone_gives_becomes_16_bit_mono() -> None:
    import array

    from PySide6.QtMultimedia import QAudioFormat

    def fmt(kind: QAudioFormat.SampleFormat, channels: int) -> QAudioFormat:
        result = QAudioFormat()
        result.setSampleRate(48000)
        result.setChannelCount(channels)
        result.setSampleFormat(kind)
        return result

    floats = array.array("f", [0.5, 0.5, -0.25, -0.25])
    pcm = to_pcm(floats.tobytes(), fmt(QAudioFormat.SampleFormat.Float, 2))
    assert list(pcm.samples) == [16384, -8192]
    assert pcm.rate == 48000
    ints = array.array("i", [1 << 30, -(1 << 30)])
    assert list(to_pcm(ints.tobytes(), fmt(QAudioFormat.SampleFormat.Int32, 1)).samples) == [
        16384, -16384]
    assert list(to_pcm(bytes([128, 192]), fmt(QAudioFormat.SampleFormat.UInt8, 1)).samples) == [
        0, 16384]


# -- a microphone: each case in a process of its own (see tests/voice_screen_mic.py) --------

MICROPHONE_CASES = (
    "test_a_take_of_a_tone_is_saved_and_the_kiosk_plays_it",
    "test_without_a_microphone_staff_read_why_and_can_record_once_one_is_plugged_in",
    "test_a_silent_take_is_refused_and_nothing_is_saved",
)


@pytest.mark.parametrize("case", MICROPHONE_CASES)
def test_recording_through_a_virtual_microphone(case: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"tests/voice_screen_mic.py::{case}"],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
