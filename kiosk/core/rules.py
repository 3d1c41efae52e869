"""The one rulebook: what the kiosk may store.

Every way into the database calls these functions: the command line's
``--location``, content loading and ``kiosk check``, on-screen typing, the
store's own writes and the merge's row checks (:mod:`kiosk.core.rowcheck`).
So whatever the kiosk can store, the merge accepts, and nothing the merge
accepts can break an output (XML for XLSX and ODT, Qt rich text, dates).

The rules:

- **Text** (a place name, a kiosk name, an "Anders" signal's text) is stored
  clean (:func:`clean_text`: Unicode NFC, one space between words) and may hold
  any printable character (:meth:`str.isprintable`) and the plain space, but
  no ``<`` or ``>`` (Qt would read markup) and no stack of more than
  :data:`MAX_COMBINING_MARKS` accents on one letter. Characters that XML 1.0
  cannot carry (controls, U+FFFE/U+FFFF, lone surrogates) are never printable,
  so they never get in.
- **Ids**: a row id is a UUID as :func:`new_id` writes it (lowercase,
  hyphenated); an id from the content (a statement, course, theme, signal kind)
  is lowercase letters, digits and single hyphens, at most :data:`MAX_ID` long.
- **Times** are ``YYYY-MM-DDTHH:MM`` on the quarter hour (anonymity). A time is
  *doubtful* when it lies before :data:`EARLIEST` or after tomorrow: a laptop
  whose clock was reset, or a hostile file. Doubtful rows are kept, but counted
  under "tijd onbekend" by every output.
- **Versions** (the change counter of a merged row) are whole numbers from 1 to
  :data:`MAX_VERSION`.

Pure Python; no Qt. Messages are Dutch and short: staff and coordinators read them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from typing import Any

#: The most characters of a place name or a kiosk name (a line on a staff button).
MAX_NAME = 60
#: The most characters of an id from the content.
MAX_ID = 64
#: More accents than this on one letter is a stack, not a language (Vietnamese needs two).
MAX_COMBINING_MARKS = 2
#: Characters that would make a text markup where Qt guesses rich text.
MARKUP_CHARS = "<>"
#: The highest change counter a row may carry. Real rows change a handful of times
#: (a visit when it ends, a referral when its slip prints); a bound keeps a file from
#: claiming a version no later change could ever beat.
MAX_VERSION = 1_000_000
#: The earliest plausible time of a kiosk row: the kiosk did not exist before.
EARLIEST = datetime(2020, 1, 1)
#: The format of every stored time (quarter hours, no seconds).
TIME_FORMAT = "%Y-%m-%dT%H:%M"

#: A content id: lowercase letters and digits, single hyphens between them.
CONTENT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A row id as :func:`new_id` writes it (uuid4, lowercase, hyphenated).
ROW_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:(?:00|15|30|45)")

# -- Dutch messages (short, for staff typing a name and coordinators reading a check) --
EMPTY = "Typ eerst iets."
TOO_LONG = "Te lang: {n} tekens. Het mag {max} tekens zijn."
HIDDEN = "Er staat een onzichtbaar of ongeldig teken in de tekst (U+{code:04X}). " \
         "Typ de tekst opnieuw."
MARKUP = "Haal de tekens < en > weg."
STACKED = "Er staan te veel accenten op één letter. Typ de tekst opnieuw."


def new_id() -> str:
    """A fresh row id (UUID4 text): the only form :func:`is_row_id` accepts."""
    return str(uuid.uuid4())


# -- text ------------------------------------------------------------------


def clean_text(text: str) -> str:
    """``text`` as it is stored: Unicode NFC (an accent joined to its letter), every run
    of white space (tabs, line breaks, no-break spaces too) one space, none at the ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def bad_char(text: str) -> str | None:
    """The first character of ``text`` that may not be stored, else None.

    Allowed: printable characters (letters, marks, digits, punctuation, symbols of
    any script) and the plain space. Refused: controls (tabs and line breaks too),
    format characters, other spaces, lone surrogates, private-use and unassigned
    code points, and the non-characters U+FFFE/U+FFFF, which XML cannot carry.
    """
    return next((ch for ch in text if ch != " " and not ch.isprintable()), None)


def combining_stack(text: str) -> str | None:
    """The first letter of ``text`` with more than :data:`MAX_COMBINING_MARKS`
    combining marks on it (with its marks), else None."""
    start = run = 0
    for n, ch in enumerate(text):
        if unicodedata.category(ch).startswith("M"):
            run += 1
            if run > MAX_COMBINING_MARKS:
                end = n + 1
                while end < len(text) and unicodedata.category(text[end]).startswith("M"):
                    end += 1
                return text[start:end]
        else:
            start, run = n, 0
    return None


def text_problem(text: Any, limit: int = MAX_NAME) -> str | None:
    """What is wrong with ``text`` as it would be stored (after :func:`clean_text`), in
    Dutch for staff; None when it may be stored. A text that is not clean already
    (what a merged row must be) is checked as cleaned: use :func:`stored_text_ok`."""
    if not isinstance(text, str):
        return EMPTY
    text = clean_text(text)
    if not text:
        return EMPTY
    if len(text) > limit:
        return TOO_LONG.format(n=len(text), max=limit)
    if (ch := bad_char(text)) is not None:
        return HIDDEN.format(code=ord(ch))
    if any(ch in MARKUP_CHARS for ch in text):
        return MARKUP
    if combining_stack(text) is not None:
        return STACKED
    return None


def name_problem(name: Any) -> str | None:
    """What is wrong with a place name or a kiosk name (Dutch), or None."""
    return text_problem(name, MAX_NAME)


def stored_text_ok(value: Any, limit: int = MAX_NAME) -> bool:
    """True when ``value`` is a text exactly as the kiosk stores it: clean and allowed."""
    return (isinstance(value, str) and value == clean_text(value)
            and text_problem(value, limit) is None)


# -- ids -------------------------------------------------------------------


def is_row_id(value: Any) -> bool:
    """True for a row id as the kiosk writes them (a lowercase UUID)."""
    return isinstance(value, str) and ROW_ID.fullmatch(value) is not None


def is_content_id(value: Any) -> bool:
    """True for an id from the content (statement, course, theme, partner, signal kind)."""
    return (isinstance(value, str) and len(value) <= MAX_ID
            and CONTENT_ID.fullmatch(value) is not None)


# -- versions ----------------------------------------------------------------


def is_version(value: Any) -> bool:
    """True for a change counter the kiosk could have written (1 to :data:`MAX_VERSION`)."""
    return type(value) is int and 1 <= value <= MAX_VERSION


# -- times -----------------------------------------------------------------


def parse_time(value: Any) -> datetime | None:
    """A stored time as a datetime, or None when it is not one (wrong form, not a quarter
    hour, no such day)."""
    if not isinstance(value, str) or len(value) != 16:
        return None
    return _parse_time(value)


@functools.lru_cache(maxsize=8192)
def _parse_time(value: str) -> datetime | None:
    """Stored times repeat (quarter hours): a merge of 600,000 rows parses a few hundred."""
    if TIME.fullmatch(value) is None:
        return None
    try:
        return datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]),
                        int(value[14:16]))
    except ValueError:  # 2026-02-30T10:00, year 0000, hour 24
        return None


def is_time(value: Any) -> bool:
    """True for a time in the form the kiosk stores (any year; see :func:`is_doubtful`)."""
    return parse_time(value) is not None


def latest(today: date | None = None) -> datetime:
    """The first moment that is no longer plausible: the day after tomorrow, 00:00."""
    today = today or date.today()
    return datetime.combine(today + timedelta(days=2), datetime.min.time())


def is_doubtful(value: Any, today: date | None = None) -> bool:
    """True when a stored time cannot be trusted: before :data:`EARLIEST`, after
    tomorrow, or not a time at all. Outputs count such rows under "tijd onbekend"."""
    moment = parse_time(value)
    return moment is None or not EARLIEST <= moment < latest(today)


def plausible_day(day: date, today: date | None = None) -> bool:
    """True when ``day`` lies in the range outputs can count by date (2020 to tomorrow)."""
    return EARLIEST.date() <= day < latest(today).date()


def clock_problem(now: datetime, today_hint: date | None = None) -> str | None:
    """A Dutch warning for staff when this laptop's clock cannot be right, else None.

    ``now`` before :data:`EARLIEST` is surely wrong (a reset clock says 1 January
    2000 or 1970); ``today_hint`` (for example the newest time already in the
    database) catches a clock that is far behind what it said before.
    """
    day = f"{now.day} {_MONTHS[now.month - 1]} {now.year}"
    if now < EARLIEST:
        return (f"De klok van deze laptop staat op {day}. Zet de datum en tijd goed "
                "(instellingen van de laptop), anders kloppen de tijden in het rapport niet.")
    if today_hint is not None and now.date() < today_hint - timedelta(days=1):
        return (f"De klok van deze laptop staat op {day}, maar de kiosk was al op "
                f"{today_hint.day} {_MONTHS[today_hint.month - 1]} {today_hint.year} in "
                "gebruik. Zet de datum en tijd goed (instellingen van de laptop).")
    return None


_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def later_of(start: str, end: str) -> str:
    """``end``, or ``start`` when the clock went back in between (times in stored form
    compare as text): a stored end is never before its start."""
    return end if end >= start else start
