"""Recordings travel with the content: ``inhoud-stem/`` beside ``inhoud.xlsx``, both ways.

``kiosk content export/import/restore`` as a coordinator runs them, and the staff
screen's "Inhoud naar USB-stick", "Inhoud van USB-stick" -> Gebruiken and "Vorige
inhoud terugzetten" on the real ``kiosk run`` start (as tests/test_staff_content.py
drives it). The recordings are test tones saved in the real voice store; ``kiosk
voice list`` says what the kiosk makes of them. The outbox never carries them.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.core.content.install import PREVIOUS
from kiosk.gui.staff.content_work import READY, RECORDINGS_BACK, RESTORED, export_name
from kiosk.gui.staff.save import EJECT
from kiosk.speech.pcm import read_wav
from kiosk.speech.phrases import speakable_items
from kiosk.speech.recordings import INDEX, VoiceStore, voice_dir
from kiosk.speech.travel import VOICE_PREVIOUS, folder_beside
from tests.conftest import run_kiosk
from tests.test_staff_content import WAIT, choose_workbook, click, open_inhoud, started_kiosk
from tests.voice_tools import tone_wav

QUIET_QT = {"QT_LOGGING_RULES": "qt.multimedia.*=false"}
DIGID = "Ik vind DigiD moeilijk."
CHANGED = "Ik vind DigiD lastig."


def kiosk(*args: str):
    return run_kiosk(*args, env=QUIET_QT)


def _explain(result) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def texts() -> dict[str, str]:
    return dict(speakable_items(load_content(paths.default_content_dir())))


def record(data: Path, tmp_path: Path, keys: dict[str, float]) -> VoiceStore:
    """Save a test tone as the recording of each key (seconds long), as "Inspreken" does."""
    store, said = VoiceStore.in_data(data), texts()
    for index, (key, seconds) in enumerate(keys.items()):
        wav = tone_wav(tmp_path / f"toon-{key}.wav", seconds, freq=440.0 + 110 * index)
        store.save(key, said[key], read_wav(wav.read_bytes()))
    return store


def states(data: Path) -> dict[str, str]:
    result = kiosk("voice", "list", "--data-dir", str(data))
    assert result.returncode == 0, _explain(result)
    return {key: state for key, state, _text in
            (line.split("\t") for line in result.stdout.splitlines())}


def export(data: Path, workbook: Path):
    result = kiosk("content", "export", str(workbook), "--data-dir", str(data))
    assert result.returncode == 0, _explain(result)
    return result


def set_statement(workbook: Path, old: str, new: str) -> None:
    """Change a statement's text in the workbook, as a coordinator does in Excel."""
    book = openpyxl.load_workbook(workbook)
    cells = [c for row in book["stellingen"].iter_rows() for c in row if c.value == old]
    assert len(cells) == 1
    cells[0].value = new
    book.save(workbook)


def test_export_writes_the_recordings_beside_the_workbook(tmp_path: Path) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0, "eens": 0.5})
    result = export(data, usb / "inhoud.xlsx")
    folder = usb / "inhoud-stem"
    assert f"2 opnamen van de eigen stem geschreven naar {folder}" in result.stdout
    assert sorted(p.name for p in usb.iterdir()) == ["inhoud-stem", "inhoud.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == ["digid.wav", "eens.wav", INDEX]
    assert folder_beside(usb / "inhoud.xlsx") == folder


def test_no_recordings_no_folder_and_an_old_export_of_that_name_goes(tmp_path: Path) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    result = export(data, usb / "inhoud.xlsx")
    assert "opnamen" not in result.stdout
    assert [p.name for p in usb.iterdir()] == ["inhoud.xlsx"]

    store = record(data, tmp_path, {"digid": 1.0})
    export(data, usb / "inhoud.xlsx")
    assert (usb / "inhoud-stem" / "digid.wav").is_file()
    store.delete("digid")  # thrown away: the next export must not carry it any more
    export(data, usb / "inhoud.xlsx")
    assert [p.name for p in usb.iterdir()] == ["inhoud.xlsx"]

    (usb / "inhoud-stem").mkdir()  # a folder of the coordinator's own, by chance that name
    (usb / "inhoud-stem" / "brief.docx").write_bytes(b"x")
    result = kiosk("content", "export", str(usb / "inhoud.xlsx"), "--data-dir", str(data))
    assert result.returncode == 1, _explain(result)
    assert "er staat al iets anders met die naam" in result.stderr
    assert (usb / "inhoud-stem" / "brief.docx").is_file()  # never removed


def test_import_on_a_fresh_data_folder_brings_them_back(tmp_path: Path) -> None:
    data, usb, other = tmp_path / "data", tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0, "eens": 0.5})
    export(data, usb / "inhoud.xlsx")
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    assert "ingelezen: digid.wav -> digid: eigen stem, 1,0 s" in result.stdout
    assert (f"2 opnamen van de eigen stem ingelezen uit {usb / 'inhoud-stem'}"
            in result.stdout), _explain(result)
    found = states(other)
    assert found["digid"] == found["eens"] == "eigen stem"
    assert found["oneens"] == "computerstem"


def test_a_statement_changed_in_the_workbook_comes_back_stale(tmp_path: Path) -> None:
    data, usb, other = tmp_path / "data", tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0, "eens": 0.5})
    export(data, usb / "inhoud.xlsx")
    set_statement(usb / "inhoud.xlsx", DIGID, CHANGED)
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    assert "digid: verouderd (de tekst is veranderd sinds de opname)" in result.stdout
    assert "waarvan 1 verouderd" in result.stdout
    found = states(other)
    assert found["digid"] == "verouderd"  # the new text is spoken by the computer voice
    assert found["eens"] == "eigen stem"


def test_junk_in_the_folder_is_refused_by_name_and_the_rest_installed(tmp_path: Path) -> None:
    data, usb, other = tmp_path / "data", tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0, "eens": 0.5})
    export(data, usb / "inhoud.xlsx")
    folder = usb / "inhoud-stem"
    (folder / "oneens.wav").write_text("Dit is tekst, geen geluid.\n", encoding="utf-8")
    (folder / "notities.txt").write_text("lijstje\n", encoding="utf-8")
    tone_wav(folder / "bestaat-niet.wav", 0.5)
    (folder / "dank.wav").symlink_to(folder / "eens.wav")
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 1, _explain(result)  # like kiosk voice import
    err = result.stderr
    assert "geweigerd: inhoud-stem/oneens.wav: geen geluid" in err, _explain(result)
    assert "geweigerd: inhoud-stem/notities.txt: geen geluidsbestand" in err
    assert "geweigerd: inhoud-stem/bestaat-niet.wav: onbekende sleutel" in err
    assert "geweigerd: inhoud-stem/dank.wav: een snelkoppeling" in err
    assert "Traceback" not in result.stdout + err
    assert "2 opnamen van de eigen stem ingelezen" in result.stdout
    assert "4 bestanden geweigerd" in result.stdout
    found = states(other)  # the content and the good recordings are in
    assert found["digid"] == found["eens"] == "eigen stem"
    assert found["oneens"] == found["dank"] == "computerstem"


def test_a_workbook_with_problems_changes_nothing_recordings_included(tmp_path: Path) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0})
    export(data, usb / "inhoud.xlsx")
    other = tmp_path / "other"
    record(other, tmp_path, {"eens": 0.5})
    before = (voice_dir(other) / INDEX).read_bytes()
    set_statement(usb / "inhoud.xlsx", DIGID, "Ik vind DigiD niet leuk.")  # a negation
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 1, _explain(result)
    assert "stellingen!" in result.stderr
    assert (voice_dir(other) / INDEX).read_bytes() == before
    assert sorted(p.name for p in other.iterdir()) == ["voice"]  # no content, no voice.vorige
    assert states(other)["digid"] == "computerstem"


def test_restore_puts_the_recordings_from_before_back_with_the_content(tmp_path: Path) -> None:
    """The previous voice folder is kept beside content.vorige; restore swaps both."""
    data, usb, other = tmp_path / "data", tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    record(data, tmp_path, {"digid": 2.0, "eens": 0.5})
    export(data, usb / "inhoud.xlsx")
    own = record(other, tmp_path, {"digid": 1.0, "oneens": 0.5})
    assert own.recording("digid").seconds == pytest.approx(1.0, abs=0.05)
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    now = VoiceStore.in_data(other)
    assert now.recording("digid").seconds == pytest.approx(2.0, abs=0.05)  # the one that came
    assert now.recording("oneens") is not None  # recordings that did not come stay
    assert (other / VOICE_PREVIOUS).is_dir()
    assert (other / PREVIOUS).is_dir()

    result = kiosk("content", "restore", "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    assert "met de opnamen van de eigen stem van toen" in result.stdout
    back = VoiceStore.in_data(other)
    assert back.recording("digid").seconds == pytest.approx(1.0, abs=0.05)
    assert back.recording("eens") is None
    assert states(other)["digid"] == "eigen stem"

    result = kiosk("content", "restore", "--data-dir", str(other))  # and forward again
    assert result.returncode == 0, _explain(result)
    assert VoiceStore.in_data(other).recording("digid").seconds == pytest.approx(2.0, abs=0.05)

    # an install without recordings leaves them alone: a restore then changes only content
    shutil.rmtree(usb / "inhoud-stem")
    result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    assert result.returncode == 0, _explain(result)
    assert not (other / VOICE_PREVIOUS).exists()
    assert kiosk("content", "restore", "--data-dir", str(other)).returncode == 0
    assert VoiceStore.in_data(other).recording("digid").seconds == pytest.approx(2.0, abs=0.05)


def test_a_running_kiosk_keeps_its_recordings_the_cli_waits(tmp_path: Path) -> None:
    """The running kiosk keeps its own copy of the index: swapping the folder under it is
    refused (its own staff screen does it instead), and nothing changes."""
    from kiosk.core.lock import DataFolderLock

    data, usb, other = tmp_path / "data", tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    record(data, tmp_path, {"digid": 1.0})
    export(data, usb / "inhoud.xlsx")
    lock = DataFolderLock(other).acquire()
    try:
        result = kiosk("content", "import", str(usb / "inhoud.xlsx"), "--data-dir", str(other))
    finally:
        lock.release()
    assert result.returncode == 2, _explain(result)
    assert "een andere kiosk gebruikt de gegevensmap" in result.stderr
    assert not (other / "content").exists()
    assert not voice_dir(other).exists()


# -- the staff screen ----------------------------------------------------------------


@pytest.fixture
def speaking_kiosk_with_recordings(qtbot, qapp, data_dir: Path, tmp_path: Path, monkeypatch):
    record(data_dir, tmp_path, {"digid": 1.0, "eens": 0.5})
    yield from started_kiosk(qtbot, data_dir, tmp_path, monkeypatch, speech=True)


@pytest.mark.no_qt_log  # FFmpeg's audio thread may log as the test ends (test_window_speech)
def test_the_staff_screen_carries_the_recordings_both_ways_and_the_outbox_never(
        qtbot, speaking_kiosk_with_recordings, data_dir: Path, tmp_path: Path) -> None:
    kiosk_ = speaking_kiosk_with_recordings
    shell, stick = kiosk_.shell, kiosk_.stick
    speaker = shell.speaker
    assert speaker.source("digid", DIGID) == "eigen stem"

    # Inhoud naar USB-stick: the workbook and the folder of recordings beside it
    screen = open_inhoud(qtbot, shell)
    click(qtbot, screen.export_button)
    qtbot.waitUntil(lambda: shell.page == "content_save", timeout=WAIT)
    save = screen.save_screen
    name = export_name(date.today())
    folder_name = folder_beside(Path(name)).name
    assert f"2 opnamen van de eigen stem in de map {folder_name}" in save.subtitle.text()
    qtbot.waitUntil(lambda: stick in save.drive_list.buttons, timeout=WAIT)
    click(qtbot, save.drive_list.buttons[stick])
    qtbot.waitUntil(lambda: save.state in ("done", "failed"), timeout=WAIT)
    assert save.state == "done", save.result_text.text()
    assert save.result_title.text() == EJECT
    assert folder_name in save.result_text.text()
    assert sorted(p.name for p in stick.iterdir()) == [folder_name, name]
    assert sorted(p.name for p in (stick / folder_name).iterdir()) == [
        "digid.wav", "eens.wav", INDEX]
    click(qtbot, save.done_button)

    # thrown away on this laptop ("Weggooien"), then taken back from the stick
    for key in ("digid", "eens"):
        assert speaker.voice.delete(key)
    assert speaker.source("digid", DIGID) == "computerstem"
    (stick / folder_name / "notities.txt").write_text("lijstje\n", encoding="utf-8")
    screen = open_inhoud(qtbot, shell)
    choose_workbook(qtbot, screen, name)
    assert screen.state == "preview", screen.subtitle.text()
    assert "Er gaan 2 opnamen van de eigen stem mee." in screen.summary.text()
    with qtbot.waitSignal(shell.content_changed, timeout=WAIT):
        click(qtbot, screen.use_button)
    assert screen.state == "done", screen.result_text.text()
    assert screen.result_title.text() == READY
    words = screen.result_text.text()
    assert "2 opnamen van de eigen stem kwamen mee." in words
    assert "Niet gebruikt: notities.txt (geen geluidsbestand)." in words
    # the running kiosk plays them at once: its speaker shares the store, read again
    assert speaker.source("digid", DIGID) == "eigen stem"
    assert speaker.source("eens", "Eens") == "eigen stem"
    assert states(data_dir)["digid"] == "eigen stem"
    click(qtbot, screen.done_button)

    # Vorige inhoud terugzetten: the recordings of before the install (none) come back
    screen = open_inhoud(qtbot, shell)
    qtbot.waitUntil(screen.restore_button.isEnabled, timeout=WAIT)
    click(qtbot, screen.restore_button)
    qtbot.waitUntil(lambda: screen.question is not None, timeout=WAIT)
    with qtbot.waitSignal(shell.content_changed, timeout=WAIT):
        click(qtbot, screen.question.buttons["yes"])
    qtbot.waitUntil(lambda: screen.state == "done", timeout=WAIT)
    assert screen.result_title.text() == RESTORED
    assert screen.result_text.text().endswith(RECORDINGS_BACK)
    assert speaker.source("digid", DIGID) == "computerstem"
    assert (data_dir / VOICE_PREVIOUS / "digid.wav").is_file()  # kept for a swap back
    click(qtbot, screen.done_button)

    # the outbox: a copy of the database only, never a recording
    from kiosk.gui.outbox import Outbox

    shutil.copytree(data_dir / VOICE_PREVIOUS, voice_dir(data_dir), dirs_exist_ok=True)
    sync = tmp_path / "Sync"
    outbox = Outbox(shell.recorder, sync, parent=shell)
    with qtbot.waitSignal(outbox.written, timeout=WAIT) as written:
        outbox.write_now()
    copy = Path(written.args[0])
    assert [p.name for p in sync.iterdir()] == [copy.name]
    assert copy.suffix == ".db"
    body = copy.read_bytes()
    assert b"RIFF" not in body
    assert b"WAVEfmt" not in body
    recording = (voice_dir(data_dir) / "digid.wav").read_bytes()
    assert recording[44:4096] not in body


def test_the_save_screen_writes_a_folder_whole_and_replaces_an_earlier_one(
        tmp_path: Path, monkeypatch) -> None:
    """:func:`kiosk.gui.storage.write_into` carries a folder beside the files: read back,
    replacing the folder of that name (no stale recording stays), and when writing fails
    nothing new is left and the earlier folder is back."""
    from kiosk.gui import storage

    stick = tmp_path / "stick"
    stick.mkdir()

    def produce(*keys: str):
        def write(staging: Path) -> None:
            (staging / "inhoud.xlsx").write_bytes(b"werkmap")
            (staging / "inhoud-stem").mkdir()
            for key in keys:
                (staging / "inhoud-stem" / f"{key}.wav").write_bytes(key.encode() * 100)
        return write

    written = storage.write_into(stick, produce("digid", "eens"), create=False)
    assert [p.name for p in written] == ["inhoud-stem", "inhoud.xlsx"]
    written = storage.write_into(stick, produce("oneens"), create=False)
    assert sorted(p.name for p in (stick / "inhoud-stem").iterdir()) == ["oneens.wav"]

    real = storage._digest
    monkeypatch.setattr(storage, "_digest", lambda path, from_disk=False: (
        "kapot" if from_disk and path.name == "dank.wav" else real(path, from_disk)))
    with pytest.raises(OSError, match="read back differs"):
        storage.write_into(stick, produce("dank"), create=False)
    assert sorted(p.name for p in stick.iterdir()) == ["inhoud-stem"]  # no half result
    assert sorted(p.name for p in (stick / "inhoud-stem").iterdir()) == ["oneens.wav"]
