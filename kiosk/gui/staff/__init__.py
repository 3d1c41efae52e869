"""The staff's screens, one per module; the shared staff widgets live in :mod:`.widgets`.

PIN pad, session start, staff menu, beanbag tally (and its history), session
summary, saving to a USB stick, merging other laptops' files, and the staff
time-out. Screens present and forward taps as signals; the shell decides what
happens (the menu holds no business logic). The PIN pad checks the PIN, and
the save and merge screens write and read files, on the executor they are given.
"""

from kiosk.gui.staff.history import TallyHistoryScreen
from kiosk.gui.staff.idle import STAFF_TIMEOUT_S, WARNING_S, IdleWarning, IdleWatch, warning_text
from kiosk.gui.staff.menu import (
    MENU_ACTIONS,
    MENU_PLACES,
    MENU_PLACES_PORTRAIT,
    NO_SESSION_PLACES,
    NO_SESSION_PLACES_PORTRAIT,
    StaffMenu,
)
from kiosk.gui.staff.merge import MergeScreen, merge_summary
from kiosk.gui.staff.pin import LOCK_TICK_MS, PinDots, PinPad
from kiosk.gui.staff.save import EJECT, ON_LAPTOP, SaveJob, SaveScreen
from kiosk.gui.staff.start import NEW_LOCATION, StaffStartScreen
from kiosk.gui.staff.summary import SessionSummary
from kiosk.gui.staff.tally import TallyCounter, TallyScreen
from kiosk.gui.staff.widgets import (
    ANSWER_NAMES,
    PLACE_KIND_NAMES,
    TALLY_MAX,
    VOLUME_STEP,
    ChoiceGroup,
    Overlay,
    Question,
    StaffScreen,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)

__all__ = [
    "ANSWER_NAMES", "EJECT", "LOCK_TICK_MS", "MENU_ACTIONS", "MENU_PLACES",
    "MENU_PLACES_PORTRAIT", "NEW_LOCATION", "NO_SESSION_PLACES", "NO_SESSION_PLACES_PORTRAIT",
    "ON_LAPTOP", "PLACE_KIND_NAMES", "STAFF_TIMEOUT_S", "TALLY_MAX", "VOLUME_STEP", "WARNING_S",
    "ChoiceGroup", "IdleWarning", "IdleWatch", "MergeScreen", "Overlay", "PinDots", "PinPad",
    "Question", "SaveJob", "SaveScreen", "SessionSummary", "StaffMenu", "StaffScreen",
    "StaffStartScreen", "TallyCounter", "TallyHistoryScreen", "TallyScreen", "merge_summary",
    "set_text", "staff_button", "staff_label", "touch_scroll_area", "warning_text",
]
