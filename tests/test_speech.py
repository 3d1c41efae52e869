"""Speech with the real engine (espeak-ng): the voice, WAV files, the cache, the command line."""

from __future__ import annotations

import argparse
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.cli import speech as cli
from kiosk.core.content import load_content
from kiosk.speech import synth
from kiosk.speech.cache import SpeechCache, cache_key
from kiosk.speech.pcm import read_wav
from kiosk.speech.phrases import PHRASES, speakable_items
from kiosk.speech.recordings import VoiceStore
from kiosk.speech.synth import SpeechError, Synthesizer, Voice, list_voices

ONE = "Ik vind brieven van de gemeente moeilijk."
SIX = " ".join([
    ONE,
    "Ik vind formulieren invullen lastig.",
    "Ik wil mijn kind graag voorlezen.",
    "Ik reken liever niet uit mijn hoofd.",
    "Korting uitrekenen in de winkel vind ik lastig.",
    "Ik wil meer overzicht over mijn geld.",
])


def speech(*argv: str) -> int:
    """Run ``kiosk speech ARGV`` through the parser and run() of kiosk.cli.speech."""
    parser = argparse.ArgumentParser(prog="kiosk")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return cli.run(parser.parse_args(["speech", *argv]))


def wav_seconds(path: Path) -> float:
    """Length in seconds; also checks the header's frame count matches the data on disk."""
    with wave.open(str(path)) as wav:
        frames, rate, width = wav.getnframes(), wav.getframerate(), wav.getsampwidth()
        data = wav.readframes(frames)
    assert len(data) == frames * width * 1, "header promises more frames than the file holds"
    assert path.stat().st_size == 44 + len(data), "bytes after the data the header counts"
    return frames / rate


class CountingSynthesizer(Synthesizer):
    """The real synthesizer, counting its syntheses."""

    calls = 0

    def to_file(self, text: str, path: Path, timeout: float = 30.0) -> Path:
        CountingSynthesizer.calls += 1
        return super().to_file(text, path, timeout)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> type[CountingSynthesizer]:
    CountingSynthesizer.calls = 0
    monkeypatch.setattr(synth, "Synthesizer", CountingSynthesizer)
    return CountingSynthesizer


# -- the voice ---------------------------------------------------------------------


def test_the_dutch_espeak_voice_is_chosen() -> None:
    assert Synthesizer("nl").voice.id == "gmw/nl"


def test_voices_lists_every_voice_and_marks_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    assert speech("voices") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(list_voices()) > 50
    marked = [line for line in lines if line.startswith("*")]
    assert len(marked) == 1
    assert marked[0].split()[1] == "gmw/nl"


def test_a_missing_dutch_voice_gives_the_message_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    english_only = [Voice("gmw/en", "English (Great Britain)", ("en-gb",))]
    monkeypatch.setattr(synth, "_voices_of", lambda engine: english_only)
    with pytest.raises(SpeechError, match="Geen Nederlandse stem gevonden: installeer espeak-ng"):
        Synthesizer("nl")

    assert speech("voices") == 1
    out, err = capsys.readouterr()
    assert out.startswith("  gmw/en")
    assert err.startswith("kiosk speech: Geen Nederlandse stem gevonden")
    assert len(err.strip().splitlines()) == 1

    assert speech("say", ONE, "-o", str(tmp_path / "x.wav")) == 1
    err = capsys.readouterr().err
    assert "Geen Nederlandse stem" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.wav").exists()


# -- say ---------------------------------------------------------------------------------


def test_say_writes_a_wav_that_grows_with_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lengths = {}
    for name, text in [("word", "Eens"), ("one", ONE), ("six", SIX)]:
        out = tmp_path / f"{name}.wav"
        assert speech("say", text, "-o", str(out)) == 0
        assert capsys.readouterr().out.startswith(f"geschreven: {out} (")
        lengths[name] = wav_seconds(out)
    assert 0.2 < lengths["word"] < lengths["one"] < lengths["six"]
    assert 1.0 < lengths["one"] < 5.0
    # six sentences are written completely, not cut off where runAndWait() returns
    assert 4.5 * lengths["one"] < lengths["six"] < 8 * lengths["one"]


def test_six_sentences_are_complete_every_time(tmp_path: Path) -> None:
    synthesizer = Synthesizer("nl")
    one = wav_seconds(synthesizer.to_file(ONE, tmp_path / "one.wav"))
    for i in range(5):
        assert wav_seconds(synthesizer.to_file(SIX, tmp_path / f"six{i}.wav")) > 4.5 * one


def test_say_reports_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert speech("say", "  ", "-o", str(tmp_path / "x.wav")) == 2
    assert speech("say", ONE, "-o", str(tmp_path / "no" / "such" / "x.wav")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "kiosk speech: de tekst is leeg; zet hem tussen aanhalingstekens",
        f"kiosk speech: map niet gevonden: {tmp_path / 'no' / 'such'}",
    ]


# -- the cache and render ------------------------------------------------------------


def test_speakable_items_cover_statements_courses_and_phrases() -> None:
    content = load_content(paths.default_content_dir())
    items = speakable_items(content)
    keys = [key for key, _ in items]
    assert len(keys) == len(set(keys))
    statements = [s for each in content.sets.values() for s in each.statements]
    assert items[: len(statements)] == [(s.id, s.text) for s in statements]
    assert set(PHRASES.items()) <= set(items)
    assert ("cursus-digisterker",
            "Digisterker. Leer online zaken regelen met de overheid, zoals DigiD.") in items
    assert {"eens", "oneens", "weet_niet", "nog-daar", "dank", "hulp", "bibliotheek"} <= set(keys)
    only_set = speakable_items(content, content.statement_set())
    explained = [s for s in statements if s.uitleg]
    assert explained  # the word help is prepared too
    assert len(only_set) == (len(statements) + len(PHRASES) + 1 + len(content.courses)
                             + len(explained))  # 1: the library's details


def test_a_second_render_synthesises_nothing(
    counting: type[CountingSynthesizer], capsys: pytest.CaptureFixture[str]
) -> None:
    total = len(speakable_items(load_content(paths.default_content_dir())))
    assert speech("render") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (
        f"{total} teksten: {total} nieuw gemaakt, 0 uit de spraakopslag, 0 opnamen")
    assert err.rstrip().endswith(f"] {total}/{total}")
    assert counting.calls == total
    files = sorted((paths.cache_dir() / "speech").iterdir())
    assert len(files) == total
    assert all(f.suffix == ".wav" for f in files)

    assert speech("render") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{total} teksten: 0 nieuw gemaakt, {total} uit de spraakopslag, 0 opnamen"
    )
    assert counting.calls == total


def test_render_takes_recordings_and_own_content_from_the_data_folder(
    counting: type[CountingSynthesizer], data_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    Synthesizer("nl").to_file("Opgenomen stem.", tmp_path / "recorded.wav")
    recorded = read_wav((tmp_path / "recorded.wav").read_bytes())
    voice = VoiceStore.in_data(data_dir)
    voice.save("digid", "Ik vind DigiD moeilijk.", recorded)
    voice.save("eens", "Eens", recorded)
    voice.save("oneens", "Niet eens", recorded)  # stale: the computer voice is rendered
    extra = tmp_path / "extra" / "sets"
    extra.mkdir(parents=True)
    (extra / "kort.toml").write_text(
        '[set]\nid = "kort"\nname = "Kort"\nlanguage = "nl"\n\n'
        '[[statement]]\nid = "lezen"\ntext = "Ik lees graag de krant."\n'
        'pictogram = "book-open-text"\ntheme = "lezen-schrijven"\n',
        encoding="utf-8",
    )
    total = len(speakable_items(load_content(paths.default_content_dir(), extra.parent)))
    assert speech("render", "--content", str(extra.parent)) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{total} teksten: {total - 2} nieuw gemaakt, 0 uit de spraakopslag, 2 opnamen"
    )
    assert counting.calls == total - 2


def test_render_reports_broken_content_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "courses.toml").write_text("[[course]\nid = 'x'\n", encoding="utf-8")
    assert speech("render", "--content", str(broken)) == 1
    err = capsys.readouterr().err
    assert "courses.toml" in err
    assert "Traceback" not in err
    assert speech("render", "--content", str(tmp_path / "missing")) == 2
    assert "inhoudsmap niet gevonden" in capsys.readouterr().err


def test_the_cache_key_changes_with_text_voice_rate_and_engine() -> None:
    base = cache_key("Eens", "gmw/nl", 200, "espeak")
    assert base == cache_key("Eens", "gmw/nl", 200, "espeak")
    others = {cache_key("Oneens", "gmw/nl", 200, "espeak"), cache_key("Eens", "gmw/en", 200,
              "espeak"), cache_key("Eens", "gmw/nl", 150, "espeak"),
              cache_key("Eens", "gmw/nl", 200, "sapi5")}
    assert base not in others
    assert len(others) == 4


class BrokenEngine:
    """An engine that writes half a file and then fails."""

    voice, rate, name = Voice("fake/nl", "Fake", ("nl",)), 100, "fake"

    def to_file(self, text: str, path: Path) -> Path:
        path.write_bytes(b"RIFF" + b"\0" * 100)
        raise SpeechError("engine broke")


def test_a_failed_synthesis_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    with pytest.raises(SpeechError, match="engine broke"):
        cache.render("Eens", BrokenEngine())
    assert list(cache.folder.iterdir()) == []
    assert cache.lookup("Eens", BrokenEngine()) is None


def test_the_cache_phrases_and_command_line_load_no_qt() -> None:
    """The GUI-free parts stay GUI-free: ``kiosk speech render`` needs no display."""
    code = (
        "import sys\n"
        "import kiosk.cli, kiosk.speech.cache, kiosk.speech.phrases, kiosk.speech.synth\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]"
