"""The library's own voice: the store, loudness and trimming, decoding, and the Speaker.

Real files, a real decoder (QtMultimedia's FFmpeg), a real synthesiser (espeak-ng),
and a virtual sound card (tests/sound.py) recorded to prove what is heard.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.core.safefile import UnsafeFile
from kiosk.speech import pcm
from kiosk.speech.cache import SpeechCache
from kiosk.speech.decode import decode_bytes, decode_file
from kiosk.speech.phrases import PHRASES, speakable_items
from kiosk.speech.recordings import (
    COMPUTER,
    INDEX,
    KEY,
    OWN,
    STALE,
    TooLong,
    VoiceStore,
    exported_hashes,
    text_hash,
)
from kiosk.speech.speaker import Speaker
from kiosk.speech.synth import Synthesizer
from tests.conftest import ROOT
from tests.sound import virtual_sound_card
from tests.voice_tools import lame, loud_part, m4a, sox, sox_rms_db, tone_share, tone_wav

pytestmark = pytest.mark.no_qt_log  # players log from FFmpeg's threads (test_speech_speaker)

TEXT = "Ik vind DigiD moeilijk."


@pytest.fixture
def app(qapp) -> QCoreApplication:
    return qapp


def read(path: Path) -> pcm.Pcm:
    return pcm.read_wav(path.read_bytes())


def store(tmp_path: Path) -> VoiceStore:
    return VoiceStore(tmp_path / "data" / "voice", use_bundled=False)


# -- phrases ---------------------------------------------------------------------------

def test_every_phrase_has_a_stable_file_name_key() -> None:
    content = load_content(paths.default_content_dir())
    items = speakable_items(content)
    keys = [key for key, _ in items]
    assert len(keys) == len(set(keys)), "a key names two texts"
    assert all(KEY.fullmatch(key) for key in keys), [k for k in keys if not KEY.fullmatch(k)]
    statements = {s.id for each in content.sets.values() for s in each.statements}
    assert statements <= set(keys)
    assert {f"cursus-{c}" for c in content.courses} <= set(keys)
    assert "bibliotheek" in keys
    assert set(PHRASES) <= set(keys)


def test_the_pause_screen_says_its_own_phrase() -> None:
    from kiosk.gui.screens import PauseScreen
    from kiosk.gui.window import PAUSE_KEY

    assert PHRASES[PAUSE_KEY] == f"{PauseScreen.TITLE} {PauseScreen.LINE}"


# -- loudness and trimming -------------------------------------------------------------

def test_a_quiet_and_a_loud_tone_end_up_equally_loud(tmp_path: Path) -> None:
    quiet = read(tone_wav(tmp_path / "quiet.wav", 2.0, amplitude=0.01))
    loud = read(tone_wav(tmp_path / "loud.wav", 2.0, amplitude=0.9))
    assert sox_rms_db(tmp_path / "loud.wav") - sox_rms_db(tmp_path / "quiet.wav") > 35
    for name, clip in (("quiet", quiet), ("loud", loud)):
        pcm.write_wav(tmp_path / f"{name}-n.wav", pcm.normalise(clip))
    levels = [sox_rms_db(tmp_path / f"{name}-n.wav") for name in ("quiet", "loud")]
    assert abs(levels[0] - levels[1]) < 1.0, levels
    assert all(abs(level - pcm.TARGET_DBFS) < 1.0 for level in levels), levels


def test_leading_and_trailing_silence_is_trimmed(tmp_path: Path) -> None:
    clip = read(tone_wav(tmp_path / "t.wav", 1.0, silence_before=0.8))
    clip.samples.extend([0] * 44100)  # a second of silence after it
    done = pcm.normalise(clip)
    first, last = pcm.sound_span(done)
    assert first / done.rate < 0.015, "the tone must start at once"
    assert abs(done.seconds - 1.0) < 0.1


def test_speech_and_a_tone_are_brought_to_the_same_level(tmp_path: Path) -> None:
    Synthesizer("nl").to_file(TEXT, tmp_path / "s.wav")
    speech = pcm.normalise(read(tmp_path / "s.wav"))
    tone = pcm.normalise(read(tone_wav(tmp_path / "t.wav", 1.0, amplitude=0.05)))
    assert abs(pcm.loudness(speech) - pcm.loudness(tone)) < 1.0
    assert pcm.peak_dbfs(speech) <= pcm.PEAK_CEILING_DBFS + 0.01


def test_the_computer_voice_is_normalised_and_trimmed_in_the_cache(tmp_path: Path) -> None:
    path, made = SpeechCache(tmp_path / "cache").render(TEXT, Synthesizer("nl"))
    assert made
    clip = read(path)
    assert abs(pcm.loudness(clip) - pcm.TARGET_DBFS) < 0.5
    assert pcm.sound_span(clip)[0] / clip.rate < 0.015


def test_silence_is_not_a_recording(tmp_path: Path) -> None:
    silent = pcm.Pcm(pcm.array.array("h", [0] * 44100), 44100)
    with pytest.raises(pcm.NotSound, match="stil"):
        store(tmp_path).save("digid", TEXT, silent)


# -- the store -----------------------------------------------------------------------

def test_a_recording_is_current_until_its_text_changes(tmp_path: Path) -> None:
    voice = store(tmp_path)
    assert voice.phrase("digid", TEXT).state == COMPUTER
    saved = voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.0)))
    assert saved.path == tmp_path / "data" / "voice" / "digid.wav"
    assert voice.current("DigiD", "  Ik vind DigiD\nmoeilijk. ") == saved.path  # same words
    assert voice.phrase("digid", TEXT).state == OWN
    assert voice.phrase("digid", "Ik vind DigiD lastig.").state == STALE
    assert voice.current("digid", "Ik vind DigiD lastig.") is None
    again = store(tmp_path)  # read back from the index on disk
    assert again.phrase("digid", TEXT).state == OWN
    assert again.recording("digid").text == TEXT
    assert VoiceStore.counts(again.phrases([("digid", TEXT), ("eens", "Eens")])) == {
        OWN: 1, COMPUTER: 1, STALE: 0}
    assert again.delete("digid")
    assert not again.delete("digid")
    assert not saved.path.exists()
    assert store(tmp_path).phrase("digid", TEXT).state == COMPUTER


def test_too_long_a_recording_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TooLong, match="te lang"):
        store(tmp_path).save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 21.0)))
    assert not (tmp_path / "data" / "voice" / "digid.wav").exists()


def test_a_damaged_index_counts_as_no_recordings(tmp_path: Path) -> None:
    voice = store(tmp_path)
    voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.0)))
    (voice.folder / INDEX).write_text("{not json", encoding="utf-8")
    assert store(tmp_path).phrase("digid", TEXT).state == COMPUTER
    (voice.folder / INDEX).write_text("[" * 100_000, encoding="utf-8")  # json recurses
    assert store(tmp_path).phrase("digid", TEXT).state == COMPUTER


def test_a_recording_removed_by_hand_is_not_played(tmp_path: Path) -> None:
    voice = store(tmp_path)
    voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.0)))
    (voice.folder / "digid.wav").unlink()
    assert store(tmp_path).current("digid", TEXT) is None


def test_an_export_keeps_the_text_each_recording_was_made_for(tmp_path: Path) -> None:
    voice = store(tmp_path)
    voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.0)))
    written = voice.export(tmp_path / "usb")
    assert written == [tmp_path / "usb" / "digid.wav"]
    assert exported_hashes(tmp_path / "usb") == {"digid": text_hash(TEXT)}
    assert read(written[0]).seconds == pytest.approx(1.0, abs=0.1)


def test_a_bundled_recording_plays_only_while_its_text_is_current(tmp_path: Path) -> None:
    bundled = VoiceStore(tmp_path / "bundled", use_bundled=False)
    bundled.save("eens", "Eens", read(tone_wav(tmp_path / "t.wav", 0.5)))
    voice = VoiceStore(tmp_path / "own", bundled=tmp_path / "bundled")
    assert voice.phrase("eens", "Eens").state == OWN
    assert voice.phrase("eens", "Eens").bundled
    assert voice.phrase("eens", "Ja").state == COMPUTER  # not the library's own: not stale
    assert voice.current("eens", "Ja") is None


# -- decoding -------------------------------------------------------------------------

def test_wav_flac_ogg_and_mp3_decode_to_mono_44k(app, tmp_path: Path) -> None:
    tone_wav(tmp_path / "t.wav", 1.5, channels=2, rate=48000)
    sox(str(tmp_path / "t.wav"), str(tmp_path / "t.flac"))
    sox(str(tmp_path / "t.wav"), str(tmp_path / "t.ogg"))
    lame(tmp_path / "t.wav", tmp_path / "t.mp3")
    for name in ("t.wav", "t.flac", "t.ogg", "t.mp3"):
        clip = decode_file(tmp_path / name)
        assert clip.rate == 44100, name
        assert clip.seconds == pytest.approx(1.5, abs=0.08), name
        assert pcm.loudness(clip) == pytest.approx(sox_rms_db(tmp_path / "t.wav"), abs=1.0)
        assert tone_share(clip.samples, rate=44100) > 0.9, name


def test_m4a_decodes(app, tmp_path: Path) -> None:
    clip = decode_file(m4a(tmp_path / "t.m4a", seconds=1.0))
    assert clip.seconds == pytest.approx(1.0, abs=0.1)
    assert tone_share(clip.samples, rate=44100) > 0.9


def test_hostile_files_are_refused_with_a_reason(app, tmp_path: Path) -> None:
    (tmp_path / "text.wav").write_text("Dit is geen geluid.\n", encoding="utf-8")
    with pytest.raises(pcm.NotSound, match="geen geluid"):
        decode_file(tmp_path / "text.wav")
    with pytest.raises(pcm.NotSound, match="leeg"):
        decode_bytes(b"")
    os.mkfifo(tmp_path / "pipe.wav")  # a plain open() would wait for a writer forever
    with pytest.raises(UnsafeFile, match="pipe"):
        decode_file(tmp_path / "pipe.wav")
    with open(tmp_path / "huge.wav", "wb") as huge:
        huge.truncate(64 * 1024 * 1024)
    with pytest.raises(UnsafeFile, match="te groot"):
        decode_file(tmp_path / "huge.wav")
    tone_wav(tmp_path / "long.wav", 40.0, rate=8000)
    with pytest.raises(pcm.NotSound, match="te lang"):
        decode_file(tmp_path / "long.wav")


# -- the Speaker ----------------------------------------------------------------------

def test_the_speaker_plays_a_current_recording_and_not_a_stale_one(
    qtbot: QtBot, tmp_path: Path
) -> None:
    voice = store(tmp_path)
    saved = voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.0)))
    speaker = Speaker(voice=voice)
    try:
        assert speaker.source("digid", TEXT) == OWN
        with qtbot.waitSignal(speaker.started, timeout=10_000):
            speaker.say("digid", TEXT)
        assert Path(speaker.player.source().toLocalFile()) == saved.path
        changed = "Ik vind DigiD lastig."
        assert speaker.source("digid", changed) == COMPUTER
        with qtbot.waitSignal(speaker.started, timeout=10_000):
            speaker.say("digid", changed)
        assert Path(speaker.player.source().toLocalFile()) != saved.path
        # a recording saved while the kiosk runs (the "Inspreken" screen) plays at once
        voice.save("eens", "Eens", read(tone_wav(tmp_path / "e.wav", 0.5)))
        with qtbot.waitSignal(speaker.started, timeout=10_000):
            speaker.say("eens", "Eens")
        assert Path(speaker.player.source().toLocalFile()) == voice.recording("eens").path
    finally:
        speaker.shutdown()


def test_the_speaker_plays_a_take_that_is_not_saved_yet(qtbot: QtBot, tmp_path: Path) -> None:
    take = tone_wav(tmp_path / "take.wav", 0.3)
    speaker = Speaker(voice=store(tmp_path))
    try:
        with qtbot.waitSignal(speaker.finished, timeout=10_000) as blocker:
            speaker.play_file("digid", take)
        assert blocker.args == ["digid"]
        assert Path(speaker.player.source().toLocalFile()) == take
    finally:
        speaker.shutdown()


def _say_through_card(data: Path, key: str, text: str):
    with virtual_sound_card() as card:
        result = subprocess.run(
            [sys.executable, "-m", "tests.voice_tools", str(data), key, text],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
            env={**os.environ, **card.env, "QT_LOGGING_RULES": "qt.multimedia.*=false"})
        heard = loud_part(card.recording.read_bytes())
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip(), heard


def test_the_sound_card_hears_the_recording_and_then_the_computer_voice(tmp_path: Path) -> None:
    voice = store(tmp_path)
    voice.save("digid", TEXT, read(tone_wav(tmp_path / "t.wav", 1.5)))
    played, heard = _say_through_card(tmp_path / "data", "digid", TEXT)
    assert played == OWN
    assert len(heard) / 16000 == pytest.approx(1.5, abs=0.3)
    assert tone_share(heard) > 0.8, "the recording (a 440 Hz tone) must be what is heard"

    played, heard = _say_through_card(tmp_path / "data", "digid", "Ik vind DigiD lastig.")
    assert played == COMPUTER
    assert len(heard) > 0.5 * 16000, "the computer voice must be heard"
    assert tone_share(heard) < 0.2, "a stale recording must not be played"
    assert math.isfinite(pcm.loudness(pcm.Pcm(heard, 16000)))


def test_the_store_and_the_command_line_load_no_qt() -> None:
    """The store works without Qt (a later content export carries recordings from core)."""
    code = ("import sys\nimport kiosk.cli.voice, kiosk.speech.recordings, kiosk.speech.pcm\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
