"""Instellingen: staff make the kiosk their library's own, by touch.

The real shell (kiosk mode) with a real data folder, PIN file, recorder and SQLite
database, as tests/test_shell.py builds it; taps on the on-screen keyboard's keys.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.app import Options, load_content, outbox_folder
from kiosk.core.databases import describe_database
from kiosk.core.library_settings import library_file
from kiosk.core.settings import SessionSettings
from kiosk.core.store import Store
from kiosk.gui.keyboard import BACKSPACE, DONE, MORE, SHIFT, SPACE
from kiosk.gui.outbox import Outbox
from kiosk.gui.staff.merge import file_words, merge_summary
from kiosk.gui.staff.settings_screen import SAVED
from kiosk.gui.staff.start import StaffStartScreen
from kiosk.gui.staff.widgets import TouchScrollArea, scrollbar_px
from kiosk.gui.theme import Theme
from tests.test_shell import click, enter_pin, make_shell


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with two sync tools' folders (Syncthing and Dropbox), not the others."""
    folder = tmp_path / "home"
    (folder / "Sync").mkdir(parents=True)
    (folder / "Dropbox").mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path, home: Path):
    yield from make_shell(qtbot, qapp, data_dir)


@pytest.fixture
def screen(qtbot, shell):
    """Instellingen, opened as staff do: PIN, Menu, Instellingen."""
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    click(qtbot, shell.start_screen.menu_button)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=5000)
    click(qtbot, shell.menu.buttons["settings_requested"])
    assert shell.page == "settings"
    screen = shell.settings_screen
    qtbot.waitUntil(lambda: screen.kiosk_name.startswith("kiosk-"), timeout=5000)
    return screen


def press(qtbot, screen, *keys: str) -> None:
    for key in keys:
        click(qtbot, screen.entry.keyboard.keys[key])


def type_text(qtbot, screen, text: str) -> None:
    """Tap ``text`` on the on-screen keys: capitals with shift, é and & on the é&? page."""
    for ch in text:
        if ch == " ":
            press(qtbot, screen, SPACE)
        elif ch in "é&":
            press(qtbot, screen, MORE, ch)
        elif ch.isupper():
            press(qtbot, screen, SHIFT, ch.lower())
        else:
            press(qtbot, screen, ch)


def retype(qtbot, screen, field: str, text: str) -> None:
    """Tap the field, wipe what is there, tap ``text``, then "Klaar"."""
    click(qtbot, screen.fields[field])
    assert screen.entry.isVisible()
    for _ in range(len(screen.entry.text())):
        press(qtbot, screen, BACKSPACE)
    type_text(qtbot, screen, text)
    assert screen.entry.text() == text
    press(qtbot, screen, DONE)
    assert not screen.entry.isVisible()


def save(qtbot, shell, screen) -> None:
    with qtbot.waitSignal(shell.content_changed, timeout=10_000):
        click(qtbot, screen.save_button)
    assert screen.done_line.text() == SAVED


def test_a_name_with_e_acute_and_ampersand_is_typed_saved_and_loads(qtbot, shell, screen,
                                                                    data_dir: Path) -> None:
    retype(qtbot, screen, "name", "Bibliotheek Café & Co")
    assert screen.fields["name"].accessibleName().endswith("Bibliotheek Café & Co")
    assert not library_file(data_dir).exists()  # nothing is written before Bewaren
    save(qtbot, shell, screen)
    assert screen.done_line.isVisible()
    assert not screen.problem.isVisible()
    content = load_content(Options(data_dir=data_dir), pytest.fail)
    assert content.library.name == "Bibliotheek Café & Co"
    assert "Instellingen bewaard." in shell.menu.status.text()
    click(qtbot, screen.back_button)  # saved: straight back to the menu
    assert shell.page == "menu"


def test_a_bad_value_is_refused_with_a_dutch_reason_and_nothing_is_written(
        qtbot, shell, screen, data_dir: Path) -> None:
    click(qtbot, screen.fields["name"])
    screen.entry.field.selectAll()
    qtbot.keyClicks(screen.entry.field, "B" * 70)  # a real keyboard: the field takes it
    press(qtbot, screen, DONE)
    assert screen.entry.isVisible()  # "Klaar" waits until it fits
    assert "Te lang: 70 tekens. Het mag 60 tekens zijn." in screen.entry.warning.text()
    click(qtbot, screen.entry.back_button)

    click(qtbot, screen.fields["kiosk"])
    qtbot.keyClicks(screen.entry.field, "<b>")
    assert "Haal de tekens < en > weg." in screen.entry.warning.text()
    click(qtbot, screen.entry.back_button)

    screen.values["address"] = "<b>Markt 1</b>"  # however it got there: Bewaren checks
    click(qtbot, screen.save_button)
    assert screen.problem.isVisible()
    assert screen.problem.text() == "Adres: Haal de tekens < en > weg."
    assert not library_file(data_dir).exists()
    assert not screen.busy


def test_the_kiosk_name_shows_in_the_merge_list_and_the_outbox_file(qtbot, shell, screen,
                                                                     data_dir: Path,
                                                                     tmp_path: Path) -> None:
    retype(qtbot, screen, "kiosk", "Kiosk bakfiets")
    save(qtbot, shell, screen)
    own = data_dir / "kiosk.db"
    with closing(sqlite3.connect(own)) as conn:
        assert conn.execute("SELECT name, version FROM kiosk").fetchone() == (
            "Kiosk bakfiets", 2)
    info = describe_database(own)
    assert info.kiosk_name == "Kiosk bakfiets"
    assert file_words(info, own=True)[0] == "Kiosk bakfiets (deze laptop)"

    outbox = Outbox(shell.recorder, tmp_path / "Sync" / "stellingenkiosk", parent=shell)
    with qtbot.waitSignal(outbox.written, timeout=10_000) as written:
        outbox.write_now()
    snapshot = Path(written.args[0])
    assert snapshot.name.startswith("Kiosk-bakfiets-")
    with Store.open(tmp_path / "centraal" / "kiosk.db") as coordinator:
        report = coordinator.merge([snapshot])
    assert "Van: Kiosk bakfiets." in merge_summary(report).splitlines()
    assert describe_database(tmp_path / "centraal" / "kiosk.db").kiosk_name.startswith("kiosk-")


def test_only_folders_that_exist_are_offered_and_the_choice_is_saved(
        qtbot, shell, screen, data_dir: Path, home: Path) -> None:
    qtbot.waitUntil(lambda: len(screen.outboxes.buttons) == 5, timeout=5000)  # the stick too
    words = [button.text() for button in screen.outboxes.buttons.values()]
    assert words == ["Syncthing", "Dropbox", "USB-stick KIOSKSTICK", "Geen map",
                     "Zelf typen…"]
    assert screen.outboxes.value() == ""  # Geen map: the built-in library.toml has none
    click(qtbot, screen.outboxes.buttons["~/Sync/stellingenkiosk"])
    assert "~/Sync/stellingenkiosk" in screen.outbox_line.text()
    save(qtbot, shell, screen)
    content = load_content(Options(data_dir=data_dir), pytest.fail)
    assert outbox_folder(Options(data_dir=data_dir), content) == (
        home / "Sync" / "stellingenkiosk")

    click(qtbot, screen.outboxes.buttons["typed"])  # Zelf typen…: the keyboard
    assert screen.entry.isVisible()
    for _ in range(len(screen.entry.text())):
        press(qtbot, screen, BACKSPACE)
    type_text(qtbot, screen, "kiosk")
    press(qtbot, screen, DONE)
    assert screen.entry.isVisible()  # not a whole folder
    assert "Typ de hele map" in screen.entry.warning.text()


def test_per_visit_and_volume_reach_the_start_screen(qtbot, shell, screen,
                                                     data_dir: Path) -> None:
    click(qtbot, screen.per_visit.buttons["5"])
    for _ in range(3):
        click(qtbot, screen.volume_down)
    assert screen.volume == 50
    save(qtbot, shell, screen)
    content = load_content(Options(data_dir=data_dir), pytest.fail)
    assert (content.library.per_visit, content.library.volume) == (5, 50)
    theme = Theme.load(paths.ui_dir())
    fresh = StaffStartScreen(content, [], theme, paths.pictogram_dir())  # no last session
    qtbot.addWidget(fresh)
    assert fresh.per_visit.value() == "5"
    assert fresh.volume == 50
    last = SessionSettings(location="Markt", volume=30, per_visit=1)
    kept = StaffStartScreen(content, [], theme, paths.pictogram_dir(), last)  # staff's last
    qtbot.addWidget(kept)
    assert (kept.per_visit.value(), kept.volume) == ("1", 30)


def test_leaving_with_changes_asks_first_and_the_list_scrolls_by_finger(qtbot, shell,
                                                                        screen) -> None:
    assert isinstance(screen.scroll, TouchScrollArea)
    bar = screen.scroll.verticalScrollBar()
    assert bar.sizeHint().width() >= scrollbar_px(bar.logicalDpiY())
    assert bar.value() == 0  # it opens at its top
    click(qtbot, screen.volume_up)
    click(qtbot, screen.back_button)
    assert screen.question is not None
    click(qtbot, screen.question.buttons["leave"])
    assert shell.page == "menu"
