"""Where the kiosk finds its assets and keeps its data.

Assets (``ui/``, ``content/``, ``audio/``) live at the repository root in a
checkout, and under ``kiosk/_assets/`` in a wheel and in the PyInstaller bundle
(``kiosk.spec`` puts them there), so one lookup serves all three.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kiosk import APP_NAME

DATA_DIR_ENV = "KIOSK_DATA_DIR"
CACHE_DIR_ENV = "KIOSK_CACHE_DIR"
DB_NAME = "kiosk.db"
#: the last session's settings, beside the database (kiosk.core.settings)
SETTINGS_NAME = "session.json"


def asset_root() -> Path:
    """The folder that holds ``ui/``, ``content/`` and ``audio/``."""
    package = Path(__file__).resolve().parent
    bundled = package / "_assets"
    if bundled.is_dir():
        return bundled
    return package.parent


def ui_dir() -> Path:
    return asset_root() / "ui"


def pictogram_dir() -> Path:
    return ui_dir() / "pictograms"


def default_content_dir() -> Path:
    return asset_root() / "content"


def default_audio_dir() -> Path:
    return asset_root() / "audio"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The database's folder: ``--data-dir``, else $KIOSK_DATA_DIR, else the user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def private_dir(folder: str | os.PathLike[str]) -> Path:
    """Make (or keep) ``folder`` private to this user (0700): the kiosk's data folder.

    Missing folders are made 0700. An existing folder is tightened only when it
    is this user's and holds nothing but the kiosk's own files (a kiosk database,
    its logs, ...), so pointing ``--data-dir`` at a shared folder never changes
    that folder for others. Files the coordinator takes away (exports, reports,
    backups) are written elsewhere and follow the umask.
    """
    path = Path(folder).expanduser()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
    if os.name != "posix":
        return path  # Windows: the user's profile folder is private already
    try:
        info = path.stat()
        ours = info.st_uid == os.getuid()
        kiosk_only = all(entry.name.startswith(KIOSK_ENTRIES) for entry in path.iterdir())
        if ours and kiosk_only and info.st_mode & 0o077:
            path.chmod(info.st_mode & 0o700 | 0o700)
    except OSError:
        pass  # a folder we may not change: the database still works
    return path


#: What the kiosk keeps in its data folder (names start with these).
KIOSK_ENTRIES = (DB_NAME, "logs", "content", "session.json", "staff.json", "kiosk.lock", ".",
                 "voice")


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    chosen = override or os.environ.get(CACHE_DIR_ENV)
    path = Path(chosen) if chosen else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def user_content_dir(data: Path) -> Path:
    """A coordinator's own content folder inside the data folder (used when it exists)."""
    return data / "content"


def pictogram_names() -> frozenset[str]:
    """Names of the pictograms the kiosk can show (``ui/pictograms/<name>.svg``)."""
    return frozenset(p.stem for p in pictogram_dir().glob("*.svg"))
