"""Counts beside the tallies: one session's summary, sessions, and referrals per course.

:func:`session_summary` feeds the screen staff see when they end a session.
:func:`session_rows` and :func:`referrals_per_course` feed the report and the
XLSX export; they filter sessions exactly like :func:`kiosk.core.tallies.tallies`
(on the session's start date, inclusive, and its location). A doubtful time
(:mod:`kiosk.core.doubtful`) is shown as "tijd onbekend", never as a date.

Plain SQL over the store's tables (session, visit, answer, referral, conversation,
signal); no Qt.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from kiosk.core.doubtful import UNKNOWN, day_of, moment_of, plausible_sql
from kiosk.core.model import OTHER_SIGNAL, Content
from kiosk.core.places import staffed_end
from kiosk.core.store import Store
from kiosk.core.tallies import (
    Tallies,
    _connection,
    _per_visit_column,
    _session_filter,
    has_table,
)

StoreOrDb = Store | sqlite_utils.Database | sqlite3.Connection
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def dutch_date(day: date) -> str:
    """``day`` the Dutch way: "5 maart 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_moment(stored: str) -> str:
    """A stored time (``YYYY-MM-DDTHH:MM``) the Dutch way: "5 maart 2026, 10:15";
    "tijd onbekend" when it is doubtful (a wrong clock, not a time at all)."""
    moment: datetime | None = moment_of(stored)
    if moment is None:
        return UNKNOWN
    return f"{dutch_date(moment.date())}, {moment:%H:%M}"


def dutch_span(started: str, ended: str | None) -> str:
    """A session's time the Dutch way: "5 maart 2026, 08:00 tot 08:15". Stored times are
    rounded down to the quarter hour, so the end is at least a quarter hour after the start
    (like :func:`kiosk.core.places.staffed_end`); a doubtful end is "tijd onbekend"."""
    when = dutch_moment(started)
    if ended is None:
        return when
    start, end = moment_of(started), moment_of(ended)
    if end is None:
        return f"{when} tot {UNKNOWN}"
    if start is not None:
        end = staffed_end(start, end)
        if end.date() != start.date():
            return f"{when} tot {dutch_moment(end.strftime('%Y-%m-%dT%H:%M'))}"
    return f"{when} tot {end:%H:%M}"


def dutch_day(day: str) -> str:
    """A day as outputs group by it (``YYYY-MM-DD``, or "tijd onbekend") the Dutch way:
    "5 maart 2026"; anything that is not a day: "tijd onbekend"."""
    try:
        return dutch_date(date.fromisoformat(day))
    except (TypeError, ValueError):
        return UNKNOWN


def statement_words(per_visit: int | None) -> str:
    """Statements per visit in Dutch: "1 zin", "3 zinnen", "alle zinnen" (None)."""
    if per_visit is None:
        return "alle zinnen"
    return "1 zin" if per_visit == 1 else f"{per_visit} zinnen"


def per_visit_words(per_visit: int | None) -> str:
    """Statements per visit as a short Dutch phrase: "3 zinnen per bezoek"."""
    return f"{statement_words(per_visit)} per bezoek"


@dataclass(frozen=True)
class StatementCount:
    """How often a statement got *eens*, out of all its answers (touch and staff)."""

    statement_id: str
    text: str
    eens: int
    answers: int


@dataclass(frozen=True)
class CourseCount:
    """Referrals to one course: shown on screen, and how many of them printed."""

    course_id: str
    name: str
    referrals: int
    printed: int


@dataclass(frozen=True)
class SignalCount:
    """Signals of one kind staff logged in a session, with the kind's name."""

    kind: str
    name: str
    count: int


@dataclass(frozen=True)
class SessionSummaryData:
    """What a session brought, for the staff's end-of-session screen."""

    session_id: str
    location: str
    place_kind: str
    statement_set: str
    started: str  # YYYY-MM-DDTHH:MM, to the quarter hour
    ended: str | None
    visits: int
    completed_visits: int
    touch_answers: int
    staff_answers: int
    referrals: int
    printed: int
    #: The statements with the most *eens*, most first (at most ``top``; none with 0).
    top_eens: tuple[StatementCount, ...]
    courses: tuple[CourseCount, ...]
    #: Statements per visit; None: every statement of the set (:func:`per_visit_words`).
    per_visit: int | None = None
    #: Conversations staff logged in the session.
    conversations: int = 0
    #: Signals staff logged, per kind (by name), most first.
    signals: tuple[SignalCount, ...] = ()

    @property
    def answers(self) -> int:
        """Touch and staff answers together."""
        return self.touch_answers + self.staff_answers

    @property
    def signal_total(self) -> int:
        """All signals of the session, every kind."""
        return sum(s.count for s in self.signals)


@dataclass(frozen=True)
class SessionRow:
    """One session with its counts (a row of the report's and the XLSX's session view)."""

    session_id: str
    location: str
    place_kind: str
    statement_set: str
    started: str
    ended: str | None
    visits: int
    completed_visits: int
    touch_answers: int
    staff_answers: int
    referrals: int
    #: Statements per visit; None: every statement of the set.
    per_visit: int | None = None
    #: Conversations and signals staff logged in the session.
    conversations: int = 0
    signals: int = 0

    @property
    def date(self) -> str:
        """The start date, YYYY-MM-DD, or "tijd onbekend" when the start is doubtful."""
        return day_of(self.started)


def session_summary(
    store_or_db: StoreOrDb, session_id: str, content: Content, top: int = 3
) -> SessionSummaryData:
    """Summarise one session. Raises ValueError when there is no such session."""
    conn = _connection(store_or_db)
    session = conn.execute(
        "SELECT location, place_kind, statement_set, started, ended,"
        f" {_per_visit_column(conn, 'session')} FROM session WHERE id = ?",
        [session_id],
    ).fetchone()
    if session is None:
        raise ValueError(f"No session with id {session_id!r}")
    visits, completed = conn.execute(
        "SELECT count(*), coalesce(sum(completed), 0) FROM visit WHERE session_id = ?",
        [session_id],
    ).fetchone()
    by_source = dict(conn.execute(
        "SELECT source, count(*) FROM answer WHERE session_id = ? GROUP BY source", [session_id]
    ).fetchall())
    statement_rows = conn.execute(
        "SELECT statement_id, sum(answer = 'eens'), count(*) FROM answer WHERE session_id = ?"
        " GROUP BY statement_id", [session_id],
    ).fetchall()
    order = _statement_order(content, session[2])
    ranked = sorted(
        (row for row in statement_rows if row[1] > 0),
        key=lambda row: (-row[1], order.get(row[0], len(order)), row[0]),
    )
    top_eens = tuple(
        StatementCount(sid, content.statement_text(sid), int(eens), int(total))
        for sid, eens, total in ranked[:top]
    )
    courses = _course_counts(
        conn.execute(
            "SELECT course_id, count(*), sum(printed) FROM referral WHERE session_id = ?"
            " GROUP BY course_id", [session_id],
        ).fetchall(),
        content,
    )
    return SessionSummaryData(
        session_id=session_id, location=session[0], place_kind=session[1],
        statement_set=session[2], started=session[3], ended=session[4],
        visits=int(visits), completed_visits=int(completed),
        touch_answers=int(by_source.get("touch", 0)), staff_answers=int(by_source.get("staff", 0)),
        referrals=sum(c.referrals for c in courses), printed=sum(c.printed for c in courses),
        top_eens=top_eens, courses=courses, per_visit=session[5],
        conversations=_session_count(conn, "conversation", session_id),
        signals=_signal_counts(conn, session_id, content),
    )


def _session_count(conn: sqlite3.Connection, table: str, session_id: str) -> int:
    """The session's rows in ``table``; 0 for a file from before schema 3."""
    if not has_table(conn, table):
        return 0
    return int(conn.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?",
                            [session_id]).fetchone()[0])


def _signal_counts(conn: sqlite3.Connection, session_id: str,
                   content: Content) -> tuple[SignalCount, ...]:
    """The session's signals per kind, named as staff chose them, most first."""
    if not has_table(conn, "signal"):
        return ()
    rows = conn.execute("SELECT kind, count(*) FROM signal WHERE session_id = ? GROUP BY kind",
                        [session_id]).fetchall()
    counts = [
        SignalCount(kind, "Anders" if kind == OTHER_SIGNAL else (
            content.signals[kind].name if kind in content.signals else kind), int(n))
        for kind, n in rows
    ]
    return tuple(sorted(counts, key=lambda s: (-s.count, s.name.casefold())))


def referrals_per_course(
    counted: Tallies, content: Content | None = None
) -> tuple[CourseCount, ...]:
    """The tallies' referrals per course (same filters), with names, most first."""
    return _course_counts(
        [(r.course_id, r.suggested, r.printed) for r in counted.referrals], content
    )


def session_rows(
    store_or_db: StoreOrDb,
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
) -> tuple[SessionRow, ...]:
    """Every session the filters select, oldest first, with its counts."""
    conn = _connection(store_or_db)
    where, params = _session_filter(since, until, location)
    rows = conn.execute(
        f"""
        SELECT s.id, s.location, s.place_kind, s.statement_set, s.started, s.ended,
            (SELECT count(*) FROM visit WHERE session_id = s.id),
            (SELECT coalesce(sum(completed), 0) FROM visit WHERE session_id = s.id),
            (SELECT count(*) FROM answer WHERE session_id = s.id AND source = 'touch'),
            (SELECT count(*) FROM answer WHERE session_id = s.id AND source = 'staff'),
            (SELECT count(*) FROM referral WHERE session_id = s.id),
            {_per_visit_column(conn)},
            {_count_column(conn, "conversation")},
            {_count_column(conn, "signal")}
        FROM session AS s
        WHERE s.id IN (SELECT id FROM session WHERE {where})
        ORDER BY NOT {plausible_sql("s.started")}, s.started, s.location, s.id
        """,
        params,
    ).fetchall()
    return tuple(SessionRow(*row) for row in rows)


def _count_column(conn: sqlite3.Connection, table: str) -> str:
    """The session's rows in ``table``; 0 for a file from before schema 3 read read-only."""
    if not has_table(conn, table):
        return "0"
    return f"(SELECT count(*) FROM {table} WHERE session_id = s.id)"


def _course_counts(rows: list[tuple], content: Content | None) -> tuple[CourseCount, ...]:
    courses = content.courses if content is not None else {}
    counts = [
        CourseCount(course_id, courses[course_id].name if course_id in courses else course_id,
                    int(n), int(printed or 0))
        for course_id, n, printed in rows
    ]
    return tuple(sorted(counts, key=lambda c: (-c.referrals, c.name.casefold())))


def _statement_order(content: Content, set_id: str) -> dict[str, int]:
    """Statement id -> position in the session's set (ties in the ranking keep set order)."""
    statement_set = content.sets.get(set_id)
    if statement_set is None:
        return {}
    return {s.id: i for i, s in enumerate(statement_set.statements)}
