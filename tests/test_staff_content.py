"""Inhoud in the staff menu: the content as a workbook to and from a USB stick, checked,
previewed, installed and put back, and the next session using it without a restart.

The real start of ``kiosk run`` (:func:`kiosk.app.start`: shell, recorder, reload) with
a real data folder; the USB stick is a temporary folder that the drive listing
presents as a stick (as tests/test_shell.py does); workbooks are real files written
with :func:`write_workbook` and edited with openpyxl.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from kiosk import paths
from kiosk.app import Options, start
from kiosk.core.content.install import PREVIOUS
from kiosk.core.content.workbook import read_workbook
from kiosk.core.pin import PinStore
from kiosk.gui.staff.content_work import (
    NO_PREVIOUS,
    READY,
    RESTORED,
    content_files,
    export_name,
)
from kiosk.gui.staff.save import EJECT
from kiosk.gui.storage import Drive
from kiosk.logs import Notices

PIN = "480263"
STICK = "KIOSKSTICK"
OLD = "Ik vind brieven van de gemeente moeilijk."
NEW = "Ik vind brieven van de gemeente lastig."
WAIT = 30_000


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, tmp_path: Path, monkeypatch):
    yield from started_kiosk(qtbot, data_dir, tmp_path, monkeypatch, speech=False)


@pytest.fixture
def speaking_kiosk(qtbot, qapp, data_dir: Path, tmp_path: Path, monkeypatch):
    yield from started_kiosk(qtbot, data_dir, tmp_path, monkeypatch, speech=True)


def started_kiosk(qtbot, data_dir: Path, tmp_path: Path, monkeypatch, speech: bool):
    """``kiosk run`` up to the start screen after the PIN, with a folder as USB stick."""
    from kiosk.gui import storage

    stick = tmp_path / "stick"
    stick.mkdir()
    real = storage.drive_lister
    monkeypatch.setattr(storage, "drive_lister", lambda folder, sticks=None: real(
        folder, sticks=lambda: [Drive(stick, STICK, 8_000_000_000)]))
    PinStore(data_dir / "staff.json").set_pin(PIN)
    started = start(Options(data_dir=data_dir, windowed=True, speech=speech), Notices())
    started.quit = lambda _code: None  # the tests' event loop goes on
    started.stick = stick
    shell = started.shell
    qtbot.addWidget(shell)
    shell.resize(1366, 768)
    qtbot.waitUntil(lambda: shell.attached, timeout=WAIT)
    for digit in PIN:
        click(qtbot, shell.pin.keys[digit])
    click(qtbot, shell.pin.keys["ok"])
    qtbot.waitUntil(lambda: shell.page == "start", timeout=WAIT)
    yield started
    shell.kiosk_mode = False
    shell._close_window()
    shell.close()
    started.stop()


def open_inhoud(qtbot, shell):
    shell.show_menu()
    click(qtbot, shell.menu.buttons["content_requested"])
    assert shell.page == "content"
    return shell.content_screen


def kiosk_workbook(path: Path, text: str | None = None, cell: str = "B2") -> Path:
    """The built-in content as a workbook at ``path``; ``text`` put into stellingen!``cell``."""
    from kiosk.core.content.workbook import write_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(content_files([paths.default_content_dir()]), path)
    if text is not None:
        book = openpyxl.load_workbook(path)
        assert book["stellingen"]["B2"].value == OLD
        book["stellingen"][cell] = text
        book.save(path)
    return path


def choose_workbook(qtbot, screen, name: str) -> None:
    """Inhoud van USB-stick: the stick, then the workbook called ``name``."""
    click(qtbot, screen.import_button)
    qtbot.waitUntil(lambda: any(d.label == STICK for d in screen.drive_list.drives),
                    timeout=WAIT)
    stick = next(p for p, b in screen.drive_list.buttons.items() if STICK in b.text())
    click(qtbot, screen.drive_list.buttons[stick])
    qtbot.waitUntil(lambda: screen.state == "files", timeout=WAIT)
    index = next(i for i, book in enumerate(screen.workbooks) if book.name == name)
    click(qtbot, screen.file_buttons[index])
    qtbot.waitUntil(lambda: screen.state in ("problems", "preview"), timeout=WAIT)


def test_the_content_goes_to_the_stick_as_a_workbook_that_reads_back(qtbot, kiosk) -> None:
    shell = kiosk.shell
    screen = open_inhoud(qtbot, shell)
    qtbot.waitUntil(lambda: screen.restore_button.line.text() == NO_PREVIOUS,
                    timeout=WAIT)
    assert not screen.restore_button.isEnabled()  # nothing installed yet: said why
    click(qtbot, screen.export_button)
    qtbot.waitUntil(lambda: shell.page == "content_save", timeout=WAIT)
    save = screen.save_screen
    qtbot.waitUntil(lambda: kiosk.stick in save.drive_list.buttons, timeout=WAIT)
    click(qtbot, save.drive_list.buttons[kiosk.stick])
    qtbot.waitUntil(lambda: save.state in ("done", "failed"), timeout=WAIT)
    assert save.state == "done", save.result_text.text()
    assert save.result_title.text() == EJECT
    written = kiosk.stick / export_name(date.today())
    assert [p.name for p in kiosk.stick.iterdir()] == [written.name]
    content, _files = read_workbook(written)
    assert content.statement_text("brieven-gemeente") == OLD
    assert content.sets.keys() == shell.content.sets.keys()
    assert content.courses == shell.content.courses
    click(qtbot, save.done_button)
    assert shell.page == "menu"


def test_a_workbook_with_a_problem_shows_its_cell_and_installs_nothing(qtbot, kiosk,
                                                                       data_dir) -> None:
    kiosk_workbook(kiosk.stick / "Mijn map" / "inhoud.xlsx", "Ik vind brieven niet leuk.")
    screen = open_inhoud(qtbot, kiosk.shell)
    choose_workbook(qtbot, screen, "Mijn map/inhoud.xlsx")
    assert screen.state == "problems"
    where, what, fix = screen.problem_labels[0]
    assert where.text() == "Werkblad stellingen, cel B2"
    assert '"niet"' in what.text()
    assert fix.text().startswith("Zo los je het op: Schrijf de stelling positief")
    assert screen.problems_scroll.verticalScrollBar().value() == 0
    assert not (data_dir / "content").exists()
    assert not (data_dir / PREVIOUS).exists()
    click(qtbot, screen.back_button)  # back to the list of workbooks
    assert screen.state == "files"


def test_a_file_that_is_no_workbook_gets_a_dutch_message(qtbot, kiosk, data_dir) -> None:
    (kiosk.stick / "kapot.xlsx").write_text("Dit is geen werkmap.\n", encoding="utf-8")
    screen = open_inhoud(qtbot, kiosk.shell)
    choose_workbook(qtbot, screen, "kapot.xlsx")
    assert screen.state == "problems"
    _where, what, fix = screen.problem_labels[0]
    assert what.text() == "Wat is er mis: Dit is geen werkmap die de kiosk kan lezen."
    assert "Excel-werkmap (.xlsx)" in fix.text()
    assert "Traceback" not in what.text() + fix.text()
    assert not (data_dir / "content").exists()


def test_an_edited_workbook_previews_installs_and_the_next_session_shows_it_then_undo(
        qtbot, kiosk, data_dir) -> None:
    shell = kiosk.shell
    kiosk_workbook(kiosk.stick / "inhoud-nieuw.xlsx", NEW)
    screen = open_inhoud(qtbot, shell)
    choose_workbook(qtbot, screen, "inhoud-nieuw.xlsx")
    assert screen.state == "preview", screen.subtitle.text()
    preview = screen.preview
    assert preview.words.text() == NEW  # the first statement, as the passer-by sees it
    assert not preview.picture.pixmap.isNull()
    assert preview.picture.pixmap.width() == shell.width()  # laid out at the kiosk's size
    assert not preview.listen_button.isEnabled()  # no speech in this kiosk: said, not hidden
    pages = len(preview.pages)
    for _ in range(pages - 1):
        click(qtbot, preview.next_button)
    assert preview.caption.text().startswith("Eindscherm")  # the courses' end screens last
    assert not preview.next_button.isEnabled()

    with qtbot.waitSignal(shell.content_changed, timeout=WAIT):
        click(qtbot, screen.use_button)
    assert screen.state == "done"
    assert screen.result_title.text() == READY
    qtbot.waitUntil(lambda: shell.content.statement_text("brieven-gemeente") == NEW,
                    timeout=WAIT)  # reloaded, without a restart
    assert (data_dir / PREVIOUS).is_dir()
    click(qtbot, screen.done_button)
    assert shell.page == "menu"

    # the next session, started on the (new) start screen, shows the new text
    click(qtbot, shell.menu.buttons["new_session_requested"])
    start_screen = shell.start_screen
    assert shell.page == "start"
    click(qtbot, start_screen.locations.buttons["Weekmarkt"])
    click(qtbot, start_screen.speech.buttons["0"])
    click(qtbot, start_screen.per_visit.buttons["0"])  # every statement of the set
    with qtbot.waitSignal(shell.session_started, timeout=WAIT):
        click(qtbot, start_screen.start_button)
    window = shell.window
    window.start_visit()
    shown = []
    while window.visit.current is not None and window.visit.current.id != "brieven-gemeente":
        shown.append(window.statement_screen.text.text())
        window.answer("weet_niet")
        qtbot.waitUntil(lambda: not window.bridge.pending, timeout=WAIT)
    assert window.statement_screen.text.text() == NEW
    assert OLD not in shown
    shell.end_session()

    # Vorige inhoud terugzetten: the old text is back for the session after
    screen = open_inhoud(qtbot, shell)
    qtbot.waitUntil(screen.restore_button.isEnabled, timeout=WAIT)
    click(qtbot, screen.restore_button)
    qtbot.waitUntil(lambda: screen.question is not None, timeout=WAIT)
    with qtbot.waitSignal(shell.content_changed, timeout=WAIT):
        click(qtbot, screen.question.buttons["yes"])
    qtbot.waitUntil(lambda: screen.state == "done", timeout=WAIT)
    assert screen.result_title.text() == RESTORED
    qtbot.waitUntil(lambda: shell.content.statement_text("brieven-gemeente") == OLD,
                    timeout=WAIT)


def test_a_changed_library_toml_is_used_without_a_restart_and_moves_the_outbox(
        qtbot, kiosk, data_dir, tmp_path) -> None:
    """What the settings screen does (write ``<data>/content/library.toml``, emit
    ``content_changed``): the kiosk reads it again and writes its copy to the new outbox."""
    shell = kiosk.shell
    sync = tmp_path / "Sync"
    sync.mkdir()
    own = data_dir / "content"
    own.mkdir()
    text = (paths.default_content_dir() / "library.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Bibliotheek"', 'name = "Bibliotheek Oost"')
    text = text.replace("\n[qr]", f'\noutbox = "{sync}"\n\n[qr]')
    (own / "library.toml").write_text(text, encoding="utf-8")
    assert shell.content.library.name == "Bibliotheek"
    shell.content_changed.emit()
    qtbot.waitUntil(lambda: shell.content.library.name == "Bibliotheek Oost", timeout=WAIT)
    qtbot.waitUntil(lambda: any(sync.glob("*.db")), timeout=WAIT)  # the new outbox, at once
    assert shell.start_screen.content is shell.content


@pytest.mark.no_qt_log  # FFmpeg's audio thread may log as the test ends (test_window_speech)
def test_luister_in_the_preview_says_the_statement_with_the_kiosks_own_voice(
        qtbot, speaking_kiosk) -> None:
    shell = speaking_kiosk.shell
    speaker = shell.speaker
    kiosk_workbook(speaking_kiosk.stick / "inhoud-nieuw.xlsx", NEW)
    screen = open_inhoud(qtbot, shell)
    choose_workbook(qtbot, screen, "inhoud-nieuw.xlsx")
    preview = screen.preview
    assert preview.listen_button.isEnabled()
    assert preview.listen_button.text() == "Luister"
    with qtbot.waitSignal(speaker.started, timeout=WAIT) as started:
        click(qtbot, preview.listen_button)
    assert started.args == ["brieven-gemeente"]  # as the passer-by will hear it
    click(qtbot, screen.back_button)  # leaving the preview stops the voice
    assert speaker.playing is None


def test_the_workbooks_on_a_stick_are_regular_files_one_folder_deep_and_bounded(
        tmp_path: Path) -> None:
    import os

    from kiosk.core.content import finding

    stick = tmp_path / "stick"
    (stick / "map" / "diep").mkdir(parents=True)
    for name in ("a.xlsx", "b.ODS", "notes.txt", ".verborgen.xlsx", "~$a.xlsx",
                 "map/c.xlsx", "map/diep/d.xlsx", ".kiosk-bezig-x.xlsx"):
        (stick / name).write_bytes(b"x")
    (stick / "e.xlsx").mkdir()  # a folder with a workbook's name
    (stick / "link.xlsx").symlink_to(stick / "a.xlsx")
    os.mkfifo(stick / "pijp.xlsx")  # would block a reader: never listed, never opened
    assert sorted(b.name for b in finding.find_workbooks(stick)) == [
        "a.xlsx", "b.ODS", "map/c.xlsx"]
    for number in range(finding.MAX_FOUND + 10):
        (stick / f"veel-{number:03d}.xlsx").write_bytes(b"x")
    assert len(finding.find_workbooks(stick)) == finding.MAX_FOUND
    assert finding.find_workbooks(tmp_path / "weg") == []  # a stick pulled out: nothing
