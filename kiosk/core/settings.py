"""What staff chose on the start screen: one typed settings object for a session.

:class:`SessionSettings` is what the staff start screen emits and what the app
builds a session from. The last settings are kept in a small JSON file
(``<data_dir>/session.json``) so the start screen opens with them next time.

Standard library only; no Qt.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kiosk.core.files import write_text
from kiosk.core.model import DEFAULT_VOLUME, PLACE_KINDS
from kiosk.core.rules import is_content_id
from kiosk.paths import SETTINGS_NAME

#: The file name in the data folder.
SETTINGS_FILE = SETTINGS_NAME
# DEFAULT_VOLUME (80) is the model's: one default volume everywhere (the start screen, the
# menu, library.toml without ``volume``, ``kiosk run`` without ``--volume``).
#: Slip layouts (kiosk/gui/slip.py): receipt printer, A6, A4.
SLIP_SIZES = ("80mm", "a6", "a4")


@dataclass(frozen=True)
class SessionSettings:
    """A session as staff set it up.

    Attributes:
        location: where the stand is (typed by staff or from ``content/locations.toml``).
        place_kind: one of :data:`kiosk.core.model.PLACE_KINDS`.
        statement_set: the id of a statement set in the content.
        speech: read statements aloud.
        show_peers: show the kind "Jij en N anderen" line after an answer.
        printer: the printer's name; "" for no printer (no slips).
        volume: speech volume, 0..100.
        slip_size: the printed slip: "80mm" (receipt printer), "a6" or "a4".
        per_visit: statements per visit; 0: every statement of the set.
        approach: the session's approach (an id from ``approaches.toml``); "" for none.
    """

    location: str
    place_kind: str = "anders"
    statement_set: str = ""
    speech: bool = True
    show_peers: bool = False
    printer: str = ""
    volume: int = DEFAULT_VOLUME
    slip_size: str = "80mm"
    per_visit: int = 3
    approach: str = ""

    def __post_init__(self) -> None:
        location = " ".join(self.location.split())
        if not location:
            raise ValueError("A session needs a location")
        object.__setattr__(self, "location", location)
        if self.place_kind not in PLACE_KINDS:
            raise ValueError(f"place_kind must be one of {PLACE_KINDS}, not {self.place_kind!r}")
        if self.slip_size not in SLIP_SIZES:
            raise ValueError(f"slip_size must be one of {SLIP_SIZES}, not {self.slip_size!r}")
        if not 0 <= self.volume <= 100:
            raise ValueError(f"volume must be 0..100, not {self.volume}")
        if isinstance(self.per_visit, bool) or not isinstance(self.per_visit, int) \
                or self.per_visit < 0:
            raise ValueError(f"per_visit must be 0 (all) or more, not {self.per_visit!r}")
        if self.approach != "" and not is_content_id(self.approach):
            raise ValueError(f"approach must be a content id or '', not {self.approach!r}")

    @property
    def statements_per_visit(self) -> int | None:
        """Statements per visit for the window and the store; None: all."""
        return self.per_visit or None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionSettings:
        """Build from a dict; unknown keys are ignored. Raises ValueError/TypeError."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def load_last(path: Path) -> SessionSettings | None:
    """The settings saved by :func:`save_last`, or None (no file, or a bad one)."""
    try:
        return SessionSettings.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def save_last(path: Path, settings: SessionSettings) -> None:
    """Keep ``settings`` for the next start (atomic write). Raises OSError."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(settings.to_dict(), ensure_ascii=False, indent=2) + "\n")
