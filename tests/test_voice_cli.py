"""``kiosk voice list/import/export/play`` as a coordinator runs them, with a virtual sound card.

The test tone (440 Hz) stands in for a recorded voice: what the card plays is
recorded (tests/sound.py) and checked for that tone, so "played" means heard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk import paths
from tests.conftest import run_kiosk
from tests.sound import virtual_sound_card
from tests.voice_tools import loud_part, sox, tone_share, tone_wav

QUIET_QT = {"QT_LOGGING_RULES": "qt.multimedia.*=false"}


def _explain(result) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def voice(*args: str, env: dict[str, str] | None = None):
    return run_kiosk("voice", *args, env={**QUIET_QT, **(env or {})})


def states(data: Path, *extra: str) -> dict[str, tuple[str, str]]:
    result = voice("list", "--data-dir", str(data), *extra)
    assert result.returncode == 0, _explain(result)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 3 for row in rows), result.stdout
    return {key: (state, text) for key, state, text in rows}


def changed_content(tmp_path: Path) -> Path:
    """A content folder whose statement "digid" says something else."""
    folder = tmp_path / "changed"
    (folder / "sets").mkdir(parents=True)
    source = (paths.default_content_dir() / "sets" / "taalhuis.toml").read_text(encoding="utf-8")
    assert 'text = "Ik vind DigiD moeilijk."' in source
    (folder / "sets" / "taalhuis.toml").write_text(
        source.replace('text = "Ik vind DigiD moeilijk."', 'text = "Ik vind DigiD lastig."'),
        encoding="utf-8")
    return folder


def play(data: Path, key: str, *extra: str):
    with virtual_sound_card() as card:
        result = voice("play", key, "--data-dir", str(data), *extra, env=card.env)
        heard = loud_part(card.recording.read_bytes())
    return result, heard


def test_an_imported_tone_is_what_the_kiosk_plays_until_the_text_changes(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    tone_wav(folder / "digid.wav", 1.5, amplitude=0.05, silence_before=0.7)
    result = voice("import", str(folder), "--data-dir", str(data))
    assert result.returncode == 0, _explain(result)
    assert "ingelezen: digid.wav -> digid: eigen stem" in result.stdout
    assert states(data)["digid"] == ("eigen stem", "Ik vind DigiD moeilijk.")
    assert states(data)["eens"] == ("computerstem", "Eens")

    result, heard = play(data, "digid")
    assert result.returncode == 0, _explain(result)
    assert result.stdout.startswith("afgespeeld: digid (eigen stem"), _explain(result)
    assert len(heard) / 16000 == pytest.approx(1.5, abs=0.3), "trimmed: the tone, no silence"
    assert tone_share(heard) > 0.8, "the card must play the recording (a 440 Hz tone)"

    changed = changed_content(tmp_path)
    assert states(data, "--content", str(changed))["digid"] == (
        "verouderd", "Ik vind DigiD lastig.")
    result, heard = play(data, "digid", "--content", str(changed))
    assert result.returncode == 0, _explain(result)
    assert result.stdout.startswith("afgespeeld: digid (computerstem"), _explain(result)
    assert len(heard) > 0.5 * 16000, "the computer voice must be heard"
    assert tone_share(heard) < 0.2, "a stale recording must not be played"


def test_refused_files_are_named_with_a_reason(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    (folder / "digid.wav").write_text("Dit is tekst, geen geluid.\n", encoding="utf-8")
    tone_wav(folder / "x.wav", 1.0)
    tone_wav(folder / "eens.wav", 25.0, rate=8000)
    tone_wav(folder / "oneens.wav", 1.0)
    sox(str(folder / "oneens.wav"), str(folder / "nog-daar.flac"))
    sox(str(folder / "oneens.wav"), str(folder / "dank.ogg"))
    (folder / "notities.txt").write_text("lijstje\n", encoding="utf-8")
    result = voice("import", str(folder), "--data-dir", str(data))
    assert result.returncode == 1, _explain(result)
    err = result.stderr
    assert "geweigerd: digid.wav: geen geluid" in err, _explain(result)
    assert "geweigerd: x.wav: onbekende sleutel 'x'" in err, _explain(result)
    assert "geweigerd: eens.wav: te lang: 25 seconden geluid (hooguit 20)" in err, _explain(result)
    assert "geweigerd: notities.txt: geen geluidsbestand" in err, _explain(result)
    assert "Traceback" not in result.stdout + err
    assert "3 opnamen ingelezen" in result.stdout
    assert "4 bestanden geweigerd" in result.stdout
    found = states(data)
    assert [found[key][0] for key in ("oneens", "nog-daar", "dank")] == ["eigen stem"] * 3
    assert found["digid"][0] == found["eens"][0] == "computerstem"


def test_export_carries_recordings_to_another_laptop(tmp_path: Path) -> None:
    data, folder, usb = tmp_path / "data", tmp_path / "in", tmp_path / "usb"
    folder.mkdir()
    tone_wav(folder / "digid.wav", 1.0)
    tone_wav(folder / "Eens.wav", 0.5)
    assert voice("import", str(folder), "--data-dir", str(data)).returncode == 0
    result = voice("export", str(usb), "--data-dir", str(data))
    assert result.returncode == 0, _explain(result)
    assert result.stdout.strip() == f"2 opnamen geschreven naar {usb}"
    assert sorted(p.name for p in usb.iterdir()) == ["digid.wav", "eens.wav", "voice.json"]

    other = tmp_path / "other"  # whose statement "digid" says something else
    (other / "content").mkdir(parents=True)
    shutil.copytree(changed_content(tmp_path), other / "content", dirs_exist_ok=True)
    result = voice("import", str(usb), "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    assert "digid: verouderd (de tekst is veranderd sinds de opname)" in result.stdout
    found = states(other)
    assert found["digid"][0] == "verouderd"
    assert found["eens"][0] == "eigen stem"


def test_export_never_writes_into_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = voice("export", str(data / "voice"), "--data-dir", str(data))
    assert result.returncode == 2, _explain(result)
    result = voice("export", str(tmp_path / "usb"), "--data-dir", str(data))
    assert result.returncode == 1, _explain(result)
    assert "geen eigen opnamen" in result.stderr


def test_play_refuses_an_unknown_key_in_dutch(tmp_path: Path) -> None:
    result = voice("play", "bestaat-niet", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1, _explain(result)
    assert "onbekende sleutel 'bestaat-niet'" in result.stderr
    assert "Traceback" not in result.stderr


def test_play_without_a_sound_device_says_so(tmp_path: Path) -> None:
    from tests.sound import no_sound_env

    result = voice("play", "eens", "--data-dir", str(tmp_path / "data"),
                   env=no_sound_env(tmp_path))
    assert result.returncode == 1, _explain(result)
    assert "geen geluidsapparaat gevonden" in result.stderr, _explain(result)


def test_import_waits_for_the_kiosk_to_close(tmp_path: Path) -> None:
    """A running kiosk keeps its own copy of the index: importing beside it is refused."""
    from kiosk.core.lock import DataFolderLock

    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    tone_wav(folder / "digid.wav", 1.0)
    with DataFolderLock(data).acquire():
        result = voice("import", str(folder), "--data-dir", str(data))
    assert result.returncode == 2, _explain(result)
    assert "een andere kiosk gebruikt de gegevensmap" in result.stderr
    assert not (data / "voice" / "digid.wav").exists()
