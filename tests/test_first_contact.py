"""Heard from the first contact: Luister on the attract screen, the spoken invitation
every few minutes (library.toml ``invitation_minutes``), the idle screen read aloud.

The real window (kiosk.app.build_window) with a real Speaker (espeak-ng, QMediaPlayer
playing silently in real time), a ManualClock and a real SQLite database.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk import paths
from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.core.content import load_content
from kiosk.gui.window import IDLE_AFTER
from kiosk.speech.phrases import PHRASES, speakable_items
from tests.conftest import run_kiosk
from tests.test_touch import finger_tap

# FFmpeg's audio thread may still log when a test ends; pytest-qt's message
# handler swap then races it (see kiosk/speech/playback.py).
pytestmark = pytest.mark.no_qt_log

INVITATION = "Doe mee! Tik op het scherm. Je hoort een zin. Ben je het eens, of oneens?"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def open_kiosk(qtbot, qapp, data_dir: Path, clock: ManualClock):
    apply_theme(qapp)
    window, recorder, _ = build_window(Options(data_dir=data_dir, per_visit=ALL),
                                       monotonic=clock)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    heard: list[str] = []
    window.speaker.requested.connect(heard.append)
    window.heard = heard
    return window, recorder


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, clock):
    window, recorder = open_kiosk(qtbot, qapp, data_dir, clock)
    yield window
    window.close()
    recorder.close()


def visits(data_dir: Path) -> int:
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        return db.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        db.close()


def test_the_invitation_is_a_fixed_phrase_staff_can_record() -> None:
    assert PHRASES["uitnodiging"] == INVITATION
    content = load_content(paths.default_content_dir())
    keys = [key for key, _ in speakable_items(content, content.statement_set())]
    for key in ("uitnodiging", "nog-daar", "nog-daar-tijd", "stoppen", "ga-door"):
        assert key in keys  # the Inspreken screen lists speakable_items


def test_luister_reads_the_invitation_and_starts_no_visit(qtbot, kiosk, clock,
                                                          data_dir) -> None:
    button = kiosk.attract.speak_button
    assert button.isVisible()
    assert button.text() == "Luister"
    clock.advance(1)
    with qtbot.waitSignal(kiosk.speaker.started, timeout=10_000) as started:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert started.args == ["uitnodiging"]
    assert kiosk.heard == ["uitnodiging"]
    assert kiosk.current_screen == "attract"
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)  # anywhere else: a visit
    assert kiosk.current_screen == "statement"
    assert visits(data_dir) == 0  # a visit is stored from its first answer on


def test_a_finger_on_luister_reads_and_a_finger_elsewhere_starts(qtbot, kiosk, clock) -> None:
    clock.advance(1)
    finger_tap(kiosk, kiosk.attract.speak_button)
    assert kiosk.heard == ["uitnodiging"]
    assert kiosk.current_screen == "attract"
    clock.advance(1)
    finger_tap(kiosk, kiosk.attract.title)
    assert kiosk.current_screen == "statement"


def test_luister_is_as_big_as_the_statement_screens(qtbot, kiosk) -> None:
    attract, statement = kiosk.attract.speak_button, kiosk.statement_screen.speak_button
    assert attract.height() >= statement.minimumHeight() > 0
    assert attract.width() >= statement.minimumWidth() > 0
    kiosk.set_paused(True)
    assert not attract.isVisible()  # "Even pauze": nothing to invite to


def test_the_invitation_sounds_every_n_minutes_on_the_attract_screen_only(
        qtbot, kiosk, clock) -> None:
    kiosk.invitation_minutes = 2
    clock.advance(119)
    kiosk.tick()
    assert kiosk.heard == []
    clock.advance(1)
    kiosk.tick()
    assert kiosk.heard == ["uitnodiging"]
    kiosk.speaker.stop()
    clock.advance(60)
    kiosk.tick()
    assert kiosk.heard == ["uitnodiging"]  # not again before two more minutes
    clock.advance(60)
    kiosk.tick()
    assert kiosk.heard == ["uitnodiging"] * 2
    kiosk.speaker.stop()

    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)  # a visit starts
    kiosk.heard.clear()
    for _ in range(2):  # a visit: statements, then "Ben je er nog?", never the invitation
        clock.advance(IDLE_AFTER / 2)
        kiosk.tick()
    assert kiosk.current_screen == "idle"
    assert "uitnodiging" not in kiosk.heard
    kiosk.speaker.stop()

    kiosk.to_attract()
    kiosk.heard.clear()
    kiosk.quiet_while = lambda: True  # staff have the quick bar open over the kiosk
    clock.advance(121)
    kiosk.tick()
    kiosk.quiet_while = lambda: False
    kiosk.hide()  # a staff screen is open: the kiosk is not on screen
    clock.advance(121)
    kiosk.tick()
    assert kiosk.heard == []


def test_no_invitation_when_it_is_off(qtbot, kiosk, clock) -> None:
    assert kiosk.invitation_minutes == 0  # the default: off
    for _ in range(60):
        clock.advance(60)
        kiosk.tick()
    assert kiosk.heard == []


def test_the_library_setting_reaches_the_window(qtbot, qapp, data_dir, clock) -> None:
    own = paths.user_content_dir(data_dir)
    own.mkdir(parents=True)
    text = (paths.default_content_dir() / "library.toml").read_text(encoding="utf-8")
    (own / "library.toml").write_text(
        text.replace("volume = 80", "volume = 80\ninvitation_minutes = 5"), encoding="utf-8")
    window, recorder = open_kiosk(qtbot, qapp, data_dir, clock)
    try:
        assert window.invitation_minutes == 5
        clock.advance(5 * 60)
        window.tick()
        assert window.heard == ["uitnodiging"]
    finally:
        window.close()
        recorder.close()


def test_the_idle_screen_says_question_countdown_and_buttons_once(qtbot, kiosk,
                                                                  clock) -> None:
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)
    kiosk.heard.clear()
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    assert kiosk.current_screen == "idle"
    screen = kiosk.idle_screen
    assert kiosk.heard == ["nog-daar"]
    assert kiosk.speaker.queue == ["nog-daar-tijd", "stoppen", "ga-door"]
    # what is said is what is shown
    assert PHRASES["nog-daar"] == screen.title.text()
    assert PHRASES["nog-daar-tijd"] == screen.countdown.text() + "."
    assert PHRASES["stoppen"] == screen.stop_button.accessibleName()
    assert PHRASES["ga-door"] == screen.continue_button.accessibleName()
    qtbot.waitUntil(lambda: len(kiosk.heard) == 4, timeout=30_000)
    assert kiosk.heard == ["nog-daar", "nog-daar-tijd", "stoppen", "ga-door"]
    for _ in range(4):
        clock.advance(2)
        kiosk.tick()
    assert kiosk.current_screen == "idle"
    assert len(kiosk.heard) == 4  # once per idle screen


def test_kiosk_check_refuses_invitation_minutes_99(tmp_path: Path) -> None:
    folder = tmp_path / "inhoud"
    shutil.copytree(paths.default_content_dir(), folder)
    library = folder / "library.toml"
    library.write_text(library.read_text(encoding="utf-8").replace(
        "volume = 80", "volume = 80\ninvitation_minutes = 99"), encoding="utf-8")
    result = run_kiosk("check", str(folder))
    assert result.returncode != 0
    assert "invitation_minutes moet een heel getal van 0 tot 60 zijn (is nu 99)" in \
        result.stdout + result.stderr


def test_instellingen_saves_the_invitation_and_it_loads(qtbot, qapp, data_dir: Path,
                                                        tmp_path: Path, monkeypatch) -> None:
    from kiosk.app import load_content as app_content
    from kiosk.gui.staff.settings_screen import SAVED
    from tests.test_shell import click, enter_pin, make_shell

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shells = make_shell(qtbot, qapp, data_dir)
    shell = next(shells)
    try:
        enter_pin(qtbot, shell, twice=True)
        qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
        click(qtbot, shell.start_screen.menu_button)
        click(qtbot, shell.menu.buttons["settings_requested"])
        screen = shell.settings_screen
        words = [b.text() for b in screen.invitation.buttons.values()]
        assert words == ["Uit", "2 min", "5 min", "10 min"]
        assert screen.invitation.value() == "0"  # off unless the library asks
        click(qtbot, screen.invitation.buttons["5"])
        with qtbot.waitSignal(shell.content_changed, timeout=10_000):
            click(qtbot, screen.save_button)
        assert screen.done_line.text() == SAVED
        content = app_content(Options(data_dir=data_dir), pytest.fail)
        assert content.library.invitation_minutes == 5
        assert "invitation_minutes = 5" in (
            paths.user_content_dir(data_dir) / "library.toml").read_text(encoding="utf-8")
        screen.open(content.library, None)
        assert screen.invitation.value() == "5"  # shown again as saved
    finally:
        next(shells, None)
