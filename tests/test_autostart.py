"""``kiosk autostart on|off``: the XDG autostart entry (Linux) and the Startup script (Windows)."""

from __future__ import annotations

import configparser
import shlex
import sys
from pathlib import Path, PureWindowsPath

import pytest

from kiosk import autostart
from tests.conftest import run_kiosk


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_entry_goes_to_xdg_config_home(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert autostart.entry_path("linux", env, home=tmp_path / "home") == \
        tmp_path / "cfg" / "autostart" / "stellingenkiosk.desktop"


@pytest.mark.parametrize("value", ["", "relative/config"])
def test_an_empty_or_relative_xdg_config_home_falls_back_to_dot_config(
        tmp_path: Path, value: str) -> None:
    path = autostart.entry_path("linux", {"XDG_CONFIG_HOME": value}, home=tmp_path)
    assert path == tmp_path / ".config" / "autostart" / "stellingenkiosk.desktop"


def test_the_windows_entry_is_a_cmd_in_the_startup_folder() -> None:
    path = autostart.entry_path("win32", {"APPDATA": r"C:\Users\balie\AppData\Roaming"})
    assert path == PureWindowsPath(
        r"C:\Users\balie\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup"
        r"\stellingenkiosk.cmd")


def test_windows_without_appdata_is_an_error() -> None:
    with pytest.raises(OSError, match="APPDATA"):
        autostart.entry_path("win32", {})


def test_the_windows_script_starts_the_kiosk_and_returns() -> None:
    text = autostart.windows_cmd([r"C:\Program Files\Stellingenkiosk\stellingenkiosk.exe", "run"])
    assert text.startswith("@echo off\r\n")
    assert '\r\nstart "" "C:\\Program Files\\Stellingenkiosk\\stellingenkiosk.exe" run\r\n' in text


def test_on_then_off_on_linux(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    command = ["/opt/stellingenkiosk/stellingenkiosk", "run"]
    message = autostart.enable("linux", env, command=command)
    path = tmp_path / "cfg" / "autostart" / "stellingenkiosk.desktop"
    assert "aangezet" in message
    assert str(path) in message
    entry = _entry(path)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "/opt/stellingenkiosk/stellingenkiosk run"
    assert entry["Terminal"] == "false"
    assert "bijgewerkt" in autostart.enable("linux", env, command=command)
    assert not list(path.parent.glob("*.tmp"))
    assert "uitgezet" in autostart.disable("linux", env)
    assert not path.exists()
    assert "stond al uit" in autostart.disable("linux", env)


def test_on_then_off_writes_the_windows_script(tmp_path: Path) -> None:
    """On paths only: the script lands where Windows would look (tested on any OS)."""
    env = {"APPDATA": str(tmp_path / "Roaming")}
    autostart.enable("win32", env, command=[r"C:\Kiosk\stellingenkiosk.exe", "run"])
    path = Path(autostart.entry_path("win32", env))
    assert path.read_bytes().count(b"\r\n") == 3
    assert "uitgezet" in autostart.disable("win32", env)
    assert not path.exists()


def test_a_path_with_spaces_survives_desktop_quoting(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    autostart.enable("linux", env, command=["/home/balie/mijn kiosk/stellingenkiosk", "run"])
    exec_line = _entry(tmp_path / "autostart" / "stellingenkiosk.desktop")["Exec"]
    assert exec_line == '"/home/balie/mijn kiosk/stellingenkiosk" run'
    assert shlex.split(exec_line) == ["/home/balie/mijn kiosk/stellingenkiosk", "run"]


def test_the_kiosk_opens_on_the_staff_start_screen() -> None:
    """No --location (that skips the start screen) and no --windowed: full screen, PIN first."""
    command = autostart.launch_command()
    assert command[-1] == "run"
    assert "--location" not in command
    assert "--windowed" not in command
    assert command[0] == sys.executable


def test_the_command_line(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "HOME": str(tmp_path / "home")}
    path = tmp_path / "cfg" / "autostart" / "stellingenkiosk.desktop"
    off = run_kiosk("autostart", "off", env=env)
    assert off.returncode == 0, off.stderr
    assert "stond al uit" in off.stdout
    on = run_kiosk("autostart", "on", env=env)
    assert on.returncode == 0, on.stderr
    assert "aangezet" in on.stdout
    assert _entry(path)["Exec"].endswith(" -m kiosk run")
    off = run_kiosk("autostart", "off", env=env)
    assert off.returncode == 0, off.stderr
    assert "uitgezet" in off.stdout
    assert not path.exists()
    wrong = run_kiosk("autostart", "maybe", env=env)
    assert wrong.returncode == 2
    assert "ongeldige keuze" in wrong.stderr


@pytest.mark.parametrize("program", ["/opt/stellingenkiosk/stellingenkiosk",
                                     "/home/an de Vries/kiosk/.venv/bin/python"])
def test_the_entry_validates_and_is_skipped_once_the_program_is_gone(
        tmp_path: Path, program: str) -> None:
    """TryExec names the program: after ``apt remove`` desktops skip the entry (issue 21),
    and Debian 12's desktop-file-validate accepts it."""
    import shutil
    import subprocess

    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    autostart.enable("linux", env, command=[program, "run"])
    path = tmp_path / "cfg" / "autostart" / "stellingenkiosk.desktop"
    assert _entry(path)["TryExec"] == program
    validate = shutil.which("desktop-file-validate")
    assert validate, "desktop-file-validate is missing: scripts/system-deps.sh test installs it"
    checked = subprocess.run([validate, str(path)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not checked.stdout.strip(), checked.stdout + checked.stderr
