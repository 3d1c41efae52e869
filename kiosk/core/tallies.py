"""Counting the answers: per location, per day (the session's start date), per statement.

A session whose start is doubtful (:mod:`kiosk.core.doubtful`: a laptop with a
wrong date, a hostile file) is counted on the day "tijd onbekend", with all its
answers, visits, conversations and signals; a date filter never selects it.

Touch answers (taps on the kiosk) and staff answers (beanbag throws counted by
staff) are counted separately; :attr:`TallyRow.answers` adds them up.

Referrals (the courses the end screen suggested) are counted per course: how
often suggested, how often with the QR code shown, how often a slip was printed.

Sessions are listed one by one with their statements per visit (``per_visit``):
at 3 per visit a statement gets answers from only some of the visitors, which
a reader of the counts needs to know.

Conversations and signals (logged by staff, schema 3) are listed one row each,
with the place and date of their session: there are few of them, and every
export groups them its own way. A database from before schema 3, read without
the store (read-only, so not upgraded), simply has none.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlite_utils

from kiosk.core.doubtful import UNKNOWN, day_of, day_sql, plausible_sql
from kiosk.core.store import Store

#: Answers per (session, statement, answer, source), straight from the covering
#: index ``answer_tally`` in index order (no sorting), then summed per
#: (location, day, statement). Sessions are few; answers are many.
TALLY_SQL = """
SELECT s.location, {day} AS day, a.statement_id, a.answer, a.source,
       sum(a.n) AS n
FROM (
    SELECT session_id, statement_id, answer, source, count(*) AS n
    FROM answer
    WHERE session_id IN (SELECT id FROM session WHERE {where})
    GROUP BY session_id, statement_id, answer, source
) AS a
JOIN session AS s ON s.id = a.session_id
GROUP BY s.location, day, a.statement_id, a.answer, a.source
"""

VISITS_SQL = """
SELECT s.location, {day} AS day, count(v.id), coalesce(sum(v.completed), 0)
FROM session AS s JOIN visit AS v ON v.session_id = s.id
WHERE s.id IN (SELECT id FROM session WHERE {where})
GROUP BY s.location, day
ORDER BY s.location, day
"""

REFERRALS_SQL = """
SELECT course_id, count(*), coalesce(sum(qr_shown), 0), coalesce(sum(printed), 0)
FROM referral
WHERE session_id IN (SELECT id FROM session WHERE {where})
GROUP BY course_id
ORDER BY course_id
"""

CONVERSATIONS_SQL = """
SELECT c.id, c.session_id, s.location, s.place_kind, {day}, c.at,
       c.topic, c.referred_kind, c.referred_to
FROM conversation AS c JOIN session AS s ON s.id = c.session_id
WHERE s.id IN (SELECT id FROM session WHERE {where})
ORDER BY s.location, {doubtful}, s.started, c.at, c.id
"""

SIGNALS_SQL = """
SELECT g.id, g.session_id, s.location, s.place_kind, {day}, g.at,
       g.kind, g.text
FROM signal AS g JOIN session AS s ON s.id = g.session_id
WHERE s.id IN (SELECT id FROM session WHERE {where})
ORDER BY s.location, {doubtful}, s.started, g.at, g.id
"""

#: Visits per (session, quarter hour, completed, with an eens): the finest breakdown
#: of visits, from which a public output derives every visit count it prints
#: (:mod:`kiosk.core.publication`).
VISIT_ATOMS_SQL = """
SELECT v.session_id, v.started, v.completed,
       EXISTS (SELECT 1 FROM answer AS a WHERE a.visit_id = v.id AND a.answer = 'eens'),
       count(*)
FROM visit AS v
WHERE v.session_id IN (SELECT id FROM session WHERE {where})
GROUP BY 1, 2, 3, 4
"""

#: Referrals per (course, session, quarter hour of the visit, QR shown, printed).
REFERRAL_ATOMS_SQL = """
SELECT r.course_id, r.session_id, v.started, r.qr_shown != 0, r.printed != 0, count(*)
FROM referral AS r LEFT JOIN visit AS v ON v.id = r.visit_id
WHERE r.session_id IN (SELECT id FROM session WHERE {where})
GROUP BY 1, 2, 3, 4, 5
"""

SESSIONS_SQL = """
SELECT s.id, s.location, s.place_kind, s.statement_set, s.started, s.ended, {per_visit},
       count(v.id), coalesce(sum(v.completed), 0), {approach}
FROM session AS s LEFT JOIN visit AS v ON v.session_id = s.id
WHERE s.id IN (SELECT id FROM session WHERE {where})
GROUP BY s.id
ORDER BY {doubtful}, s.started, s.location, s.id
"""


@dataclass(frozen=True)
class Counts:
    """How often each answer was given."""

    eens: int = 0
    oneens: int = 0
    weet_niet: int = 0

    @property
    def total(self) -> int:
        return self.eens + self.oneens + self.weet_niet

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.eens + other.eens, self.oneens + other.oneens, self.weet_niet + other.weet_niet
        )

    def plus(self, answer: str, n: int) -> Counts:
        """A copy with ``n`` more of ``answer``."""
        values = {"eens": self.eens, "oneens": self.oneens, "weet_niet": self.weet_niet}
        values[answer] += n
        return Counts(**values)


@dataclass(frozen=True)
class TallyRow:
    """The answers to one statement at one location on one day."""

    location: str
    date: str  # the session's start date, YYYY-MM-DD, or "tijd onbekend"
    statement_id: str
    touch: Counts = Counts()
    staff: Counts = Counts()

    @property
    def answers(self) -> Counts:
        """Touch and staff answers together."""
        return self.touch + self.staff


@dataclass(frozen=True)
class VisitCount:
    """Visits (passers-by at the kiosk) at one location on one day."""

    location: str
    date: str
    visits: int
    completed: int


@dataclass(frozen=True)
class ReferralCount:
    """How often one course was suggested, shown as a QR code, and printed on a slip."""

    course_id: str
    suggested: int
    qr_shown: int
    printed: int


@dataclass(frozen=True)
class SessionCount:
    """One session: where and when, its statements per visit, and its visits."""

    session_id: str
    location: str
    place_kind: str
    statement_set: str
    started: str  # YYYY-MM-DDTHH:MM, to the quarter hour
    ended: str | None
    #: Statements per visit; None: every statement of the set (and every session
    #: from before the kiosk asked fewer).
    per_visit: int | None
    visits: int
    completed: int
    #: The approach (an id from ``approaches.toml``); "" for none (and every session
    #: from before schema 5).
    approach: str = ""

    @property
    def date(self) -> str:
        """The session's start date, YYYY-MM-DD (the day its answers are counted on), or
        "tijd onbekend" when its start is doubtful."""
        return day_of(self.started)


@dataclass(frozen=True)
class ConversationRow:
    """One conversation staff held at the stand (no names: a topic and a referral)."""

    conversation_id: str
    session_id: str
    location: str
    place_kind: str
    date: str  # the session's start date, YYYY-MM-DD (like the answers), or "tijd onbekend"
    at: str  # YYYY-MM-DDTHH:MM, to the quarter hour, as stored (maybe doubtful)
    topic: str  # a theme id, or ""
    referred_kind: str  # "", "course" or "partner"
    referred_to: str  # a course or partner id, or ""


@dataclass(frozen=True)
class SignalRow:
    """One signal staff heard at the stand: a kind from signals.toml, or "anders" with a
    short free text typed by staff (internal: never in a public output)."""

    signal_id: str
    session_id: str
    location: str
    place_kind: str
    date: str
    at: str
    kind: str
    text: str = ""


@dataclass(frozen=True)
class VisitAtom:
    """Visits of one session in one quarter hour, completed or not, with or without an
    *eens* (the finest breakdown of visits, for publication control)."""

    session_id: str
    at: str | None  # the visit's start, as stored (maybe doubtful)
    completed: bool
    with_eens: bool
    count: int


@dataclass(frozen=True)
class ReferralAtom:
    """Referrals to one course in one session and quarter hour (the visit's start), by
    whether the QR code was shown and a slip printed."""

    course_id: str
    session_id: str
    at: str | None
    qr_shown: bool
    printed: bool
    count: int


@dataclass(frozen=True)
class Totals:
    touch: Counts
    staff: Counts
    visits: int
    completed: int

    @property
    def answers(self) -> Counts:
        return self.touch + self.staff


@dataclass(frozen=True)
class Tallies:
    """The counts for the filters used (``None`` means no filter)."""

    rows: tuple[TallyRow, ...]
    visits: tuple[VisitCount, ...]
    since: date | None = None
    until: date | None = None
    location: str | None = None
    #: Per course, sorted by course id (the same filters as the answers).
    referrals: tuple[ReferralCount, ...] = ()
    #: Every session the filters select, oldest first.
    sessions: tuple[SessionCount, ...] = ()
    #: Conversations and signals of the selected sessions, by location, session, time.
    conversations: tuple[ConversationRow, ...] = ()
    signals: tuple[SignalRow, ...] = ()
    #: The finest breakdowns of visits and referrals (:mod:`kiosk.core.publication`).
    visit_atoms: tuple[VisitAtom, ...] = ()
    referral_atoms: tuple[ReferralAtom, ...] = ()
    #: Counts already rounded for a public output (:func:`kiosk.core.publication.publish`).
    published: bool = False
    _visits_by_group: dict[tuple[str, str], VisitCount] = field(
        init=False, repr=False, compare=False
    )
    _per_visit_by_group: dict[tuple[str, str], tuple[int | None, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_group = {(v.location, v.date): v for v in self.visits}
        object.__setattr__(self, "_visits_by_group", by_group)
        per_visit: dict[tuple[str, str], set[int | None]] = {}
        for session in self.sessions:
            per_visit.setdefault((session.location, session.date), set()).add(session.per_visit)
        object.__setattr__(self, "_per_visit_by_group", {
            key: tuple(sorted(values, key=lambda n: (n is None, n or 0)))
            for key, values in per_visit.items()
        })

    def groups(self) -> list[tuple[str, str]]:
        """Every (location, date) with answers or visits, sorted."""
        keys = {(r.location, r.date) for r in self.rows} | set(self._visits_by_group)
        return sorted(keys)

    def visit_count(self, location: str, day: str) -> VisitCount:
        return self._visits_by_group.get((location, day), VisitCount(location, day, 0, 0))

    def per_visit(self, location: str, day: str) -> tuple[int | None, ...]:
        """The statements per visit of the sessions at ``location`` on ``day``: each
        different value once, numbers first, None (every statement) last; () if unknown."""
        return self._per_visit_by_group.get((location, day), ())

    @property
    def unknown_times(self) -> bool:
        """Whether some rows are counted on the day "tijd onbekend" (a doubtful start)."""
        return any(item.date == UNKNOWN for group in (
            self.rows, self.visits, self.sessions, self.conversations, self.signals)
            for item in group)

    @property
    def totals(self) -> Totals:
        touch = sum((r.touch for r in self.rows), Counts())
        staff = sum((r.staff for r in self.rows), Counts())
        return Totals(
            touch=touch,
            staff=staff,
            visits=sum(v.visits for v in self.visits),
            completed=sum(v.completed for v in self.visits),
        )


def tallies(
    store_or_db: Store | sqlite_utils.Database | sqlite3.Connection,
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
) -> Tallies:
    """Count the answers and visits, filtered on session date (inclusive) and location."""
    conn = _connection(store_or_db)
    where, params = _session_filter(since, until, location)
    day = day_sql("s.started")
    doubtful = f"NOT {plausible_sql('s.started')}"
    counts: dict[tuple[str, str, str], dict[str, Counts]] = {}
    for loc, day_, statement_id, answer, source, n in conn.execute(
        TALLY_SQL.format(where=where, day=day), params
    ):
        by_source = counts.setdefault((loc, day_, statement_id), {})
        by_source[source] = by_source.get(source, Counts()).plus(answer, n)
    rows = tuple(
        TallyRow(*key, touch=c.get("touch", Counts()), staff=c.get("staff", Counts()))
        for key, c in sorted(counts.items())
    )
    visits = tuple(
        VisitCount(*row)
        for row in conn.execute(VISITS_SQL.format(where=where, day=day), params)
    )
    referrals = tuple(
        ReferralCount(*row) for row in conn.execute(REFERRALS_SQL.format(where=where), params)
    )
    sessions_sql = SESSIONS_SQL.format(where=where, per_visit=_per_visit_column(conn),
                                       doubtful=doubtful, approach=_approach_column(conn))
    sessions = tuple(SessionCount(*row) for row in conn.execute(sessions_sql, params))
    conversations: tuple[ConversationRow, ...] = ()
    signals: tuple[SignalRow, ...] = ()
    if has_table(conn, "conversation"):
        conversations = tuple(ConversationRow(*row) for row in conn.execute(
            CONVERSATIONS_SQL.format(where=where, day=day, doubtful=doubtful), params))
    if has_table(conn, "signal"):
        signals = tuple(SignalRow(*row) for row in conn.execute(
            SIGNALS_SQL.format(where=where, day=day, doubtful=doubtful), params))
    visit_atoms = tuple(
        VisitAtom(sid, at, bool(done), bool(eens), n)
        for sid, at, done, eens, n in conn.execute(VISIT_ATOMS_SQL.format(where=where), params))
    referral_atoms = tuple(
        ReferralAtom(course, sid, at, bool(qr), bool(printed), n)
        for course, sid, at, qr, printed, n in conn.execute(
            REFERRAL_ATOMS_SQL.format(where=where), params))
    return Tallies(rows, visits, since, until, location, referrals, sessions,
                   conversations, signals, visit_atoms, referral_atoms)


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the database has ``table`` (a file from before schema 3 has no
    conversation or signal table when it is read without the store)."""
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone() is not None


def _per_visit_column(conn: sqlite3.Connection, alias: str = "s") -> str:
    """``<alias>.per_visit``; NULL (every statement) for a file from before schema 2 that
    is read without the store (read-only, so not upgraded)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(session)")}
    return f"{alias}.per_visit" if "per_visit" in columns else "NULL"


def _approach_column(conn: sqlite3.Connection, alias: str = "s") -> str:
    """``<alias>.approach``; '' (none) for a file from before schema 5 read without the
    store."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(session)")}
    return f"{alias}.approach" if "approach" in columns else "''"


def _session_filter(
    since: date | None, until: date | None, location: str | None
) -> tuple[str, dict[str, str]]:
    """A WHERE clause on table ``session`` (alias-free) and its parameters.

    A date filter selects only sessions whose start can be trusted: never one dated
    2000 or 9999 (:func:`kiosk.core.doubtful.plausible_sql`). Any date is safe here
    (``date.max`` too); the command line refuses the implausible ones with a message.
    """
    clauses = ["1"]
    params: dict[str, str] = {}
    if since is not None or until is not None:
        clauses.append(plausible_sql("started"))
    if since is not None:
        clauses.append("started >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        clauses.append("started < :before")
        params["before"] = (until + timedelta(days=1)).isoformat() if until < date.max \
            else "A"  # after every stored time
    if location is not None:
        clauses.append("location = :location")
        params["location"] = location
    return " AND ".join(clauses), params


def _connection(
    store_or_db: Store | sqlite_utils.Database | sqlite3.Connection,
) -> sqlite3.Connection:
    if isinstance(store_or_db, Store):
        return store_or_db.db.conn
    if isinstance(store_or_db, sqlite_utils.Database):
        return store_or_db.conn
    return store_or_db
