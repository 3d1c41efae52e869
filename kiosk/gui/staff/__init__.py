"""The staff's screens, one per module; the shared staff widgets live in :mod:`.widgets`.

PIN pad, session start, staff menu, beanbag tally (and its history), session
summary, saving to a USB stick, merging other laptops' files, and the staff
time-out. Screens present and forward taps as signals; the shell decides what
happens (the menu holds no business logic). The PIN pad checks the PIN, and
the save and merge screens write and read files, on the executor they are given.

The names below load their module on first use (PEP 562), so the PIN pad,
the kiosk's first screen, does not wait for the other screens' imports.
"""

from __future__ import annotations

import importlib

#: public name -> the module of this package that defines it
_WHERE = {
    "TallyHistoryScreen": "history",
    "STAFF_TIMEOUT_S": "idle",
    "WARNING_S": "idle",
    "IdleWarning": "idle",
    "IdleWatch": "idle",
    "warning_text": "idle",
    "MENU_ACTIONS": "menu",
    "MENU_PLACES": "menu",
    "MENU_PLACES_PORTRAIT": "menu",
    "NO_SESSION_PLACES": "menu",
    "NO_SESSION_PLACES_PORTRAIT": "menu",
    "StaffMenu": "menu",
    "MergeScreen": "merge",
    "merge_summary": "merge",
    "LOCK_TICK_MS": "pin",
    "PinDots": "pin",
    "PinPad": "pin",
    "EJECT": "save",
    "ON_LAPTOP": "save",
    "SaveJob": "save",
    "SaveScreen": "save",
    "NEW_LOCATION": "start",
    "StaffStartScreen": "start",
    "SessionSummary": "summary",
    "TallyCounter": "tally",
    "TallyScreen": "tally",
    "ANSWER_NAMES": "widgets",
    "PLACE_KIND_NAMES": "widgets",
    "TALLY_MAX": "widgets",
    "VOLUME_STEP": "widgets",
    "ChoiceGroup": "widgets",
    "Overlay": "widgets",
    "Question": "widgets",
    "StaffScreen": "widgets",
    "set_text": "widgets",
    "staff_button": "widgets",
    "staff_label": "widgets",
    "touch_scroll_area": "widgets",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
