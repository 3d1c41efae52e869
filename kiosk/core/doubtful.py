"""What outputs do with what they cannot trust: doubtful times and characters XML cannot carry.

**Doubtful times.** The merge keeps rows whose time the rulebook doubts
(:func:`kiosk.core.rules.is_doubtful`: before 2020, after tomorrow, or not a
stored time at all: a laptop whose clock was reset to 2000, a hostile 9999, an
old row). Every output counts such rows, but never on a date: wherever it
shows or groups by a day, a weekday, a part of the day or a period, the row
goes under :data:`UNKNOWN` ("tijd onbekend"). Each row is judged by the time
the output groups it by: the answers and visits of a session by the session's
start (they are counted on its day), a visit in "Welke plek werkt?" by its own
start, a conversation or signal there by its own time.

A date filter (``--since``/``--until``) never selects a session with a doubtful
start (:func:`plausible_sql`), and the command line refuses filter dates outside
the plausible range (:func:`filter_day_problem`).

The SQL expression and the Python test agree on every value (a test compares
them): a time is plausible when it has the stored form in ASCII digits, is a
real day on the quarter hour, and lies from :data:`kiosk.core.rules.EARLIEST`
up to (not including) the day after tomorrow.

**XML text.** XLSX is XML, and XML 1.0 cannot carry controls, U+FFFE/U+FFFF or
lone surrogates: one such character makes Excel refuse the whole file. The way
in refuses them (:func:`kiosk.core.rules.bad_char`), but an old or merged
database may still hold some, so every output that writes XML passes its text
through :func:`xml_safe`.

Pure Python; no Qt.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from kiosk.core import rules

#: Where an output puts a row whose time it cannot trust.
UNKNOWN = "tijd onbekend"
#: What :data:`UNKNOWN` means, for staff and coordinators (the outputs' notes, the guide).
UNKNOWN_NOTE = ("Tijd onbekend: de laptop had een verkeerde datum; de antwoorden tellen mee, "
                "maar niet bij een dag.")
#: What replaces a character XML cannot carry.
REPLACEMENT = "\ufffd"

#: Characters XML 1.0 cannot carry: C0 controls but tab, line feed and carriage
#: return; U+FFFE and U+FFFF; lone surrogates (Python keeps them in a str).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def is_doubtful(value: Any, today: date | None = None) -> bool:
    """:func:`kiosk.core.rules.is_doubtful` (which takes ASCII digits only, as SQLite)."""
    return rules.is_doubtful(value, today)


def moment_of(value: Any, today: date | None = None) -> datetime | None:
    """A stored time as a datetime when it can be trusted, else None."""
    return None if is_doubtful(value, today) else rules.parse_time(value)


def day_of(value: Any, today: date | None = None) -> str:
    """The day of a stored time (``YYYY-MM-DD``), or :data:`UNKNOWN` when it is doubtful."""
    return UNKNOWN if is_doubtful(value, today) else value[:10]


def shown_time(value: str | None, today: date | None = None) -> str | None:
    """A stored time as an output shows it: as stored, :data:`UNKNOWN` when doubtful;
    None (no end yet) stays None."""
    if value is None:
        return None
    return UNKNOWN if is_doubtful(value, today) else value


def plausible_sql(column: str, today: date | None = None) -> str:
    """An SQL expression, true exactly when ``column`` holds a time that is not doubtful.

    The bounds are written into the text (they come from dates, never from input).
    """
    earliest = rules.EARLIEST.strftime(rules.TIME_FORMAT)
    before = rules.latest(today).strftime(rules.TIME_FORMAT)
    return (
        f"(typeof({column}) = 'text' AND length({column}) = 16"
        f" AND {column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'"
        f" AND substr({column}, 15, 2) IN ('00', '15', '30', '45')"
        f" AND substr({column}, 12, 2) < '24'"
        f" AND date(substr({column}, 1, 10), '+0 days') IS substr({column}, 1, 10)"
        f" AND {column} >= '{earliest}' AND {column} < '{before}')"
    )


def range_sql(column: str, today: date | None = None) -> str:
    """A cheap SQL test (text comparison only): ``column`` lies in the plausible range.
    Every plausible time passes; so may a value that is not a time at all (an old row
    with seconds): check what it selects with :func:`moment_of`."""
    earliest = rules.EARLIEST.strftime(rules.TIME_FORMAT)
    before = rules.latest(today).strftime(rules.TIME_FORMAT)
    return f"({column} >= '{earliest}' AND {column} < '{before}')"


def day_sql(column: str, today: date | None = None) -> str:
    """An SQL expression: the day of ``column`` (``YYYY-MM-DD``), or :data:`UNKNOWN`."""
    return (f"(CASE WHEN {plausible_sql(column, today)} THEN substr({column}, 1, 10)"
            f" ELSE '{UNKNOWN}' END)")


def filter_day_problem(day: date, today: date | None = None) -> str | None:
    """A Dutch message when ``day`` cannot be a date filter (before 2020 or after
    tomorrow: no session there can be trusted), else None."""
    if rules.plausible_day(day, today):
        return None
    first = rules.EARLIEST.date()
    last = rules.latest(today).date().toordinal() - 1
    return (f"{day.isoformat()} kan niet: de kiosk telt alleen sessies van "
            f"{first.isoformat()} tot en met {date.fromordinal(last).isoformat()} (morgen). "
            "Kies een datum daartussen.")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return XML_ILLEGAL.sub(REPLACEMENT, text)
