"""`kiosk run --per-visit N --volume V`: what the start screen preselects (issue 20).

Before, the start screen preselected library.toml's 3 statements and 80% although
the command line said otherwise. The command line wins over library.toml and over
the last session's choices; without it the library's choices (or the last session's)
stand. One default volume everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.app import Options, start
from kiosk.cli import build_parser
from kiosk.cli.kiosk import options_from
from kiosk.core.model import DEFAULT_VOLUME
from kiosk.core.pin import PinStore
from kiosk.core.settings import SETTINGS_FILE, SessionSettings, save_last
from kiosk.logs import Notices

PIN = "480263"
WAIT = 30_000


def start_screen(qtbot, data_dir: Path, options: Options):
    """``kiosk run`` up to the start screen, after the PIN."""
    PinStore(data_dir / "staff.json").set_pin(PIN)
    started = start(options, Notices())
    started.quit = lambda _code: None
    shell = started.shell
    qtbot.addWidget(shell)
    shell.resize(1366, 768)
    qtbot.waitUntil(lambda: shell.attached, timeout=WAIT)
    for digit in PIN:
        qtbot.mouseClick(shell.pin.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.pin.keys["ok"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=WAIT)
    return started


@pytest.fixture
def stop():
    running = []
    yield running.append
    for started in running:
        started.shell.kiosk_mode = False
        started.shell.close()
        started.stop()


def test_the_command_line_is_what_the_start_screen_preselects(qtbot, data_dir, stop) -> None:
    args = build_parser().parse_args(["run", "--windowed", "--no-speech", "--per-visit", "5",
                                      "--volume", "40", "--data-dir", str(data_dir)])
    started = start_screen(qtbot, data_dir, options_from(args))
    stop(started)
    screen = started.shell.start_screen
    assert screen.per_visit.value() == "5"
    assert screen.volume == 40


def test_the_command_line_wins_over_the_last_session(qtbot, data_dir, stop) -> None:
    save_last(data_dir / SETTINGS_FILE, SessionSettings(location="Markt", per_visit=1,
                                                        volume=90))
    started = start_screen(qtbot, data_dir, Options(data_dir=data_dir, windowed=True,
                                                    speech=False, per_visit=0, volume=0.3))
    stop(started)
    screen = started.shell.start_screen
    assert screen.per_visit.value() == "0"  # "Alle"
    assert screen.volume == 30


def test_without_the_command_line_the_library_chooses(qtbot, data_dir, stop) -> None:
    args = build_parser().parse_args(["run", "--windowed", "--no-speech",
                                      "--data-dir", str(data_dir)])
    started = start_screen(qtbot, data_dir, options_from(args))
    stop(started)
    screen = started.shell.start_screen
    assert screen.per_visit.value() == "3"
    assert screen.volume == DEFAULT_VOLUME  # library.toml's volume is the same default


def test_location_on_the_command_line_starts_with_the_librarys_volume(data_dir) -> None:
    from kiosk.app import load_content

    options = Options(data_dir=data_dir, location="Markt")
    assert load_content(options, lambda _m: None).library.volume == DEFAULT_VOLUME
    louder = Options(data_dir=data_dir, location="Markt", volume=0.9)
    assert load_content(louder, lambda _m: None).library.volume == 90
