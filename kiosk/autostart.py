"""``kiosk autostart on|off``: open the kiosk by itself when this user logs in.

Linux (any XDG desktop: GNOME, KDE, Xfce, LXQt, Cinnamon): a desktop entry in
``$XDG_CONFIG_HOME/autostart/`` (default ``~/.config/autostart/``).
Windows: a small ``stellingenkiosk.cmd`` in the user's Startup folder
(``%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup``). A real ``.lnk``
shortcut needs COM (pywin32); a ``.cmd`` file needs nothing and is started the
same way at login.

The command started is ``<kiosk> run`` without ``--location``: the kiosk opens
full screen on the staff start screen (the PIN), as when staff start it by hand.
Messages are for library staff: Dutch, on stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PureWindowsPath

ENTRY_NAME = "stellingenkiosk"


def launch_command() -> list[str]:
    """How to start this kiosk: the frozen executable, else this Python with ``-m kiosk``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "run"]
    return [sys.executable, "-m", "kiosk", "run"]


def entry_path(platform: str = sys.platform, env: Mapping[str, str] | None = None,
               home: Path | None = None) -> Path | PureWindowsPath:
    """Where the autostart entry of this user lives."""
    env = os.environ if env is None else env
    if platform == "win32":
        appdata = env.get("APPDATA")
        if not appdata:
            raise OSError("APPDATA staat niet ingesteld: de map Opstarten is niet te vinden")
        return PureWindowsPath(appdata, "Microsoft", "Windows", "Start Menu", "Programs",
                               "Startup", ENTRY_NAME + ".cmd")
    config = env.get("XDG_CONFIG_HOME", "")
    # The XDG spec: a relative or empty XDG_CONFIG_HOME is invalid and ignored.
    base = Path(config) if config and Path(config).is_absolute() else \
        (home or Path.home()) / ".config"
    return base / "autostart" / (ENTRY_NAME + ".desktop")


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec asks."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
    # In a desktop file every backslash is itself escaped once more (string value).
    return '"' + escaped.replace("\\", "\\\\") + '"'


def desktop_entry(command: Sequence[str]) -> str:
    """The XDG autostart entry that runs ``command`` at login.

    ``TryExec`` names the program itself: once it is gone (``apt remove stellingenkiosk``
    removes /opt/stellingenkiosk, not this file in the user's home), desktops skip the
    entry instead of starting a missing program at every login.
    """
    exec_line = " ".join(_desktop_quote(arg) for arg in command)
    try_exec = command[0].replace("\\", "\\\\")  # a string value: only \\ is escaped
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Stellingenkiosk\n"
        "Comment=Start de kiosk bij het inloggen (eerst het startscherm met de pincode)\n"
        f"TryExec={try_exec}\n"
        f"Exec={exec_line}\n"
        "Icon=stellingenkiosk\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=5\n"
    )


def windows_cmd(command: Sequence[str]) -> str:
    """The Startup-folder script that runs ``command`` at login (CRLF line ends)."""
    quoted = " ".join(f'"{arg}"' if " " in arg or not arg else arg for arg in command)
    return "\r\n".join([
        "@echo off",
        "rem Stellingenkiosk: start de kiosk bij het inloggen. Uitzetten: stellingenkiosk "
        "autostart off",
        f'start "" {quoted}',
        "",
    ])


def enable(platform: str = sys.platform, env: Mapping[str, str] | None = None,
           home: Path | None = None, command: Sequence[str] | None = None) -> str:
    """Write the autostart entry; returns the message for the user."""
    path = Path(entry_path(platform, env, home))
    command = list(command or launch_command())
    text = windows_cmd(command) if platform == "win32" else desktop_entry(command)
    existed = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    newline = "" if platform == "win32" else None
    with open(temporary, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
    os.replace(temporary, path)
    done = "bijgewerkt" if existed else "aangezet"
    return (f"Automatisch starten is {done}: de kiosk opent vanzelf na het inloggen, "
            f"met eerst het startscherm (pincode).\n({path})")


def disable(platform: str = sys.platform, env: Mapping[str, str] | None = None,
            home: Path | None = None) -> str:
    """Remove the autostart entry; returns the message for the user (also when none was there)."""
    path = Path(entry_path(platform, env, home))
    try:
        path.unlink()
    except FileNotFoundError:
        return f"Automatisch starten stond al uit: er was niets om weg te halen.\n({path})"
    return f"Automatisch starten is uitgezet: de kiosk start niet meer vanzelf.\n({path})"

