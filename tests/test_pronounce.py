"""The pronunciation list (content/uitspraak.toml): what the voice says for a written form.

espeak-ng reads "Klik & Tik" as "Klik *and* Tik": it switches to English for "&".
The list turns "&" into "en" before synthesis; the screen keeps the written form.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from kiosk import paths
from kiosk.core.content import ContentError, load_content
from kiosk.core.content.workbook import read_workbook, write_workbook
from kiosk.speech.pronounce import spoken
from kiosk.speech.speaker import Speaker
from kiosk.speech.synth import Synthesizer


def phonemes(text: str) -> str:
    """espeak-ng's phonemes for ``text`` in the kiosk's Dutch voice; a language
    switch shows as ``(en)``."""
    done = subprocess.run(["espeak-ng", "-v", "nl", "-q", "-x", text], capture_output=True,
                          text=True, timeout=30, check=True)
    return done.stdout


def test_the_built_in_list_keeps_klik_en_tik_dutch() -> None:
    content = load_content()
    assert "(en)" in phonemes("Klik & Tik")  # espeak switches to English without the list
    said = spoken("Klik & Tik", content.pronunciations)
    assert said == "Klik en Tik"
    assert "(en)" not in phonemes(said) and "and" not in phonemes(said)


@pytest.mark.parametrize(("text", "said"), [
    ("Kijk op Oefenen.nl!", "Kijk op Oefenen punt nl!"),
    ("Ik heb geen digid.", "Ik heb geen Digi-dee."),  # case is ignored
    ("Taal & rekenen", "Taal en rekenen"),
    ("DigiDag in Nederland", "DigiDag in Nederland"),  # whole words only
])
def test_written_forms_become_spoken_forms(text: str, said: str) -> None:
    assert spoken(text, load_content().pronunciations) == said


def test_the_longest_form_wins() -> None:
    table = {"&": "en", "Klik & Tik": "Klik-en-Tik"}
    assert spoken("Klik & Tik & meer", table) == "Klik-en-Tik en meer"


def copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(paths.default_content_dir(), folder)
    return folder


def test_kiosk_check_names_a_bad_entry_with_its_line(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "uitspraak.toml").write_text(
        '[[pronounce]]\nwritten = "&"\nspoken = "en"\n\n'
        '[[pronounce]]\nwritten = "&"\nspoken = "and"\n\n'
        '[[pronounce]]\nwritten = "DigiD"\nspoken = "' + "d" * 81 + '"\n', encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(folder)
    text = str(error.value)
    assert 'uitspraak.toml:6: pronounce nr. 2: written "&" staat er twee keer' in text
    assert ("uitspraak.toml:11: pronounce nr. 3: spoken is te lang (81 tekens, hooguit 80). "
            "Oplossing: maak het korter: de uitspraak is voor één woord of teken.") in text

    cli = subprocess.run([str(Path(".venv/bin/kiosk").resolve()), "check", str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 1 and "uitspraak.toml:6" in cli.stdout + cli.stderr
    assert "Traceback" not in cli.stdout + cli.stderr


def test_content_without_the_file_still_loads(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "uitspraak.toml").unlink()
    assert load_content(folder).pronunciations == {}


def test_the_workbook_carries_the_list(tmp_path: Path) -> None:
    import openpyxl

    from kiosk.core.content import ContentReader

    content_dir = copy_content(tmp_path)
    book = tmp_path / "inhoud.xlsx"
    write_workbook(ContentReader(paths.pictogram_names()).parse_dirs([content_dir])[0], book)
    sheet = openpyxl.load_workbook(book)["uitspraak"]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert ("&", "en") in rows and ("Oefenen.nl", "Oefenen punt nl") in rows
    assert read_workbook(book)[0].pronunciations == load_content().pronunciations


class Recording(Synthesizer):
    """The real synthesizer, keeping the texts it was given."""

    texts: list[str] = []

    def to_file(self, text: str, path: Path, timeout: float = 30.0) -> Path:
        Recording.texts.append(text)
        return super().to_file(text, path, timeout)


@pytest.mark.no_qt_log
def test_the_speaker_synthesises_the_spoken_form(qtbot: QtBot, tmp_path: Path) -> None:
    Recording.texts = []
    speaker = Speaker(engine_factory=Recording, cache_dir=tmp_path / "cache",
                      pronunciations=load_content().pronunciations)
    try:
        with qtbot.waitSignal(speaker.finished, timeout=20_000):
            speaker.say("cursus-klik-en-tik", "Klik & Tik. Oefen op Oefenen.nl.")
        assert Recording.texts == ["Klik en Tik. Oefen op Oefenen punt nl."]
    finally:
        speaker.shutdown()
        shiboken6.delete(speaker)
