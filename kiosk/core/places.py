"""Which place works? Sessions compared per place, kind of place, part of the day and weekday.

For every group: staffed hours (session start to end), visits, visits per staffed
hour, visits with at least one *eens*, referrals shown (QR code on the end
screen) and printed, conversations and signals.

- A session counts for its place and kind of place as a whole. For the part of
  the day (ochtend before 12:00, middag 12:00-18:00, avond from 18:00) and the
  weekday its staffed time is cut at those hours and at midnight, and every row
  counts at its own time: a visit (and its referrals) when it started, a
  conversation or signal when it was logged.
- Every session counts at least one quarter hour (stored times are rounded down:
  a 10-minute session from 08:00 is stored as 08:00 to 08:00, and counts 08:00 to
  08:15). A row stored outside its session's staffed time (before the start, or
  in the quarter hour of the end) counts at the nearest minute of it, so a part
  of the day's or weekday's visits per hour are the visits of the sessions in
  that row over the staffed hours of those same sessions.
- A session without an end (the laptop was switched off, or it still runs)
  counts until the end of the quarter hour of its last row (answer, visit,
  conversation or signal; stored times are rounded down to the quarter hour),
  or not at all when it has no rows. :attr:`PlaceComparison.open_sessions`
  says how many did, so every output can say so.
- A doubtful time (:mod:`kiosk.core.doubtful`: a laptop with a wrong date, a
  hostile file) is never a part of the day or a weekday: a session with a
  doubtful start counts for its place and kind, with no staffed time, and
  under "tijd onbekend" (:data:`UNKNOWN`) in the parts of the day and the
  weekdays; so does a visit, conversation or signal with a doubtful time of its
  own. A session whose end is doubtful counts until its last row, like one
  without an end (but is not called open).

The sessions are selected like :func:`kiosk.core.tallies.tallies` selects them
(start date, inclusive, and location). Plain SQL, no Qt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta

import sqlite_utils

from kiosk.core.doubtful import UNKNOWN, moment_of, plausible_sql, range_sql
from kiosk.core.model import PLACE_KINDS
from kiosk.core.store import Store
from kiosk.core.tallies import _connection, _session_filter, has_table

#: The parts of the day, in order, with the hour each one starts.
PARTS_OF_DAY: tuple[tuple[str, int], ...] = (("ochtend", 0), ("middag", 12), ("avond", 18))
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
#: The kinds of place as staff see them on the start screen.
PLACE_KIND_NAMES = {
    "markt": "Markt", "supermarkt": "Supermarkt", "zwembad": "Zwembad",
    "wijkcentrum": "Wijkcentrum", "bibliotheek": "Bibliotheek", "anders": "Anders",
}
#: The weekday key of "tijd onbekend": after zondag.
UNKNOWN_DAY = len(WEEKDAYS)
#: Stored times are rounded down to this: a row happened within the quarter after its time.
QUARTER = timedelta(minutes=15)
#: One sentence for every output that has sessions without an end.
OPEN_SESSIONS_NOTE = (
    "Sessies zonder einde (de laptop ging uit, of de sessie loopt nog) tellen tot het "
    "kwartier van hun laatste antwoord, bezoek, gesprek of signaal."
)

StoreOrDb = Store | sqlite_utils.Database | sqlite3.Connection


def staffed_end(start: datetime, end: datetime) -> datetime:
    """The end of a session's staffed time: at least one quarter hour after its start
    (times are stored rounded down, so a 10-minute session ends on its start)."""
    return max(end, start + QUARTER)


def part_of_day(moment: datetime) -> str:
    """"ochtend" before 12:00, "middag" from 12:00 to 18:00, "avond" from 18:00."""
    name = PARTS_OF_DAY[0][0]
    for part, hour in PARTS_OF_DAY:
        if moment.hour >= hour:
            name = part
    return name


def place_kind_name(kind: str) -> str:
    """A kind of place as a word ("Markt"); an unknown kind as it is stored; several kinds
    (a place whose sessions differed, "markt/anders") as "Markt/Anders"."""
    return "/".join(PLACE_KIND_NAMES.get(k, k) for k in kind.split("/"))


@dataclass(frozen=True)
class PlaceStats:
    """What one group of sessions brought (a place, a kind of place, a part of the day,
    a weekday)."""

    name: str
    #: The kind of place, for a place ("" for the other groups); a place whose sessions
    #: named different kinds has them all, joined by "/" in the order of PLACE_KINDS.
    kind: str = ""
    sessions: int = 0
    #: Of those, sessions without an end (counted until their last row).
    open_sessions: int = 0
    staffed_minutes: int = 0
    visits: int = 0
    visits_with_eens: int = 0
    referrals_shown: int = 0
    referrals_printed: int = 0
    conversations: int = 0
    signals: int = 0

    @property
    def staffed_hours(self) -> float:
        return self.staffed_minutes / 60

    @property
    def visits_per_hour(self) -> float | None:
        """Visits per staffed hour; None when no staffed time was counted."""
        return self.visits / self.staffed_hours if self.staffed_minutes > 0 else None

    def __add__(self, other: PlaceStats) -> PlaceStats:
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name)
                  for f in fields(self) if f.name not in ("name", "kind")}
        return replace(self, **counts)


@dataclass(frozen=True)
class PlaceComparison:
    """The groups, each in a fixed order (places by name, kinds, parts of the day and
    weekdays in their own order); a group with no session time and no rows is left out."""

    places: tuple[PlaceStats, ...] = ()
    kinds: tuple[PlaceStats, ...] = ()
    parts_of_day: tuple[PlaceStats, ...] = ()
    weekdays: tuple[PlaceStats, ...] = ()
    #: Sessions without an end among the selected ones.
    open_sessions: int = 0
    total: PlaceStats = field(default_factory=lambda: PlaceStats("totaal"))
    #: Session id -> its staffed time, to place a row in a part of the day and weekday
    #: (:meth:`_Session.within`; :mod:`kiosk.core.publication` counts rows the same way).
    sessions_by_id: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def unknown_times(self) -> bool:
        """Whether some rows are counted under "tijd onbekend" (a doubtful time)."""
        return any(s.name == UNKNOWN for s in (*self.parts_of_day, *self.weekdays))

    def groups(self) -> Iterator[tuple[str, tuple[PlaceStats, ...]]]:
        """("plek" | "soort plek" | "dagdeel" | "weekdag", its rows)."""
        yield "plek", self.places
        yield "soort plek", self.kinds
        yield "dagdeel", self.parts_of_day
        yield "weekdag", self.weekdays


@dataclass(frozen=True)
class _Session:
    location: str
    kind: str
    #: None: a doubtful start (no staffed time, "tijd onbekend").
    start: datetime | None
    end: datetime | None
    is_open: bool

    def within(self, moment: datetime | None) -> datetime | None:
        """``moment`` moved into the staffed time (a row stored before the start or in the
        end's quarter hour), so a row counts in a part of the day and weekday where its
        own session has staffed time; None (doubtful) stays None."""
        if moment is None or self.start is None or self.end is None or self.end <= self.start:
            return moment
        return min(max(moment, self.start), self.end - timedelta(minutes=1))

    @property
    def minutes(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return int((self.end - self.start).total_seconds() // 60)

    def pieces(self) -> Iterator[tuple[datetime, int]]:
        """(piece start, minutes) of the staffed time, cut at midnight, 12:00 and 18:00."""
        if self.start is None or self.end is None:
            return
        moment = self.start
        while moment < self.end:
            day = datetime.combine(moment.date(), datetime.min.time())
            cuts = [day + timedelta(hours=hour) for _part, hour in PARTS_OF_DAY[1:]]
            cuts.append(day + timedelta(days=1))
            cut = min(c for c in cuts if c > moment)
            stop = min(cut, self.end)
            yield moment, int((stop - moment).total_seconds() // 60)
            moment = stop


def staffed_sessions(conn: sqlite3.Connection, selected: str, params: dict
                     ) -> dict[str, _Session]:
    """The sessions ``selected`` (an SQL query of session ids) with their staffed time:
    at least a quarter hour; a session without an end (or with a doubtful one) until
    its last trusted row; a doubtful start, no staffed time. Also used by
    :mod:`kiosk.core.approaches`, so both count the same hours."""
    rows = conn.execute(
        f"SELECT id, location, place_kind, started, ended FROM session WHERE id IN ({selected})",
        params,
    ).fetchall()
    last_rows = _last_rows(conn, selected, params)
    sessions: dict[str, _Session] = {}
    for session_id, place, kind, started, ended in rows:
        start = moment_of(started)
        if start is None:
            sessions[session_id] = _Session(place, kind, None, None, ended is None)
            continue
        end = moment_of(ended) if ended is not None else None
        if end is None:  # no end, or a doubtful one: until the last row that can be trusted
            last = moment_of(last_rows.get(session_id))
            if last is None:  # no row to go by: no staffed time
                sessions[session_id] = _Session(place, kind, start, start, ended is None)
                continue
            end = last + QUARTER
        sessions[session_id] = _Session(place, kind, start, staffed_end(start, end),
                                        ended is None)
    return sessions


def compare_places(
    store_or_db: StoreOrDb,
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
) -> PlaceComparison:
    """Compare the sessions the filters select (see the module's docstring)."""
    conn = _connection(store_or_db)
    where, params = _session_filter(since, until, location)
    selected = f"SELECT id FROM session WHERE {where}"
    sessions = staffed_sessions(conn, selected, params)

    places: dict[str, PlaceStats] = {}
    kinds: dict[str, PlaceStats] = {}
    parts: dict[str, PlaceStats] = {}
    days: dict[int, PlaceStats] = {}

    def add(group: dict, key, name: str, stats: PlaceStats, kind: str = "") -> None:
        group[key] = group.get(key, PlaceStats(name, kind)) + stats

    for session in sessions.values():
        whole = PlaceStats("", sessions=1, open_sessions=int(session.is_open),
                           staffed_minutes=session.minutes)
        add(places, session.location, session.location, whole, session.kind)
        add(kinds, session.kind, place_kind_name(session.kind), whole)
        one = PlaceStats("", sessions=1, open_sessions=int(session.is_open))
        if session.start is None:
            add(parts, UNKNOWN, UNKNOWN, one)
            add(days, UNKNOWN_DAY, UNKNOWN, one)
            continue
        touched: set[tuple[str, int]] = set()
        pieces = list(session.pieces()) or [(session.start, 0)]
        for moment, minutes in pieces:
            part, weekday = part_of_day(moment), moment.weekday()
            add(parts, part, part, PlaceStats("", staffed_minutes=minutes))
            add(days, weekday, WEEKDAYS[weekday], PlaceStats("", staffed_minutes=minutes))
            touched.add((part, weekday))
        for part in {p for p, _ in touched}:
            add(parts, part, part, one)
        for weekday in {d for _, d in touched}:
            add(days, weekday, WEEKDAYS[weekday], one)

    for session_id, at, stats in _events(conn, selected, params):
        session = sessions.get(session_id)
        if session is None:
            continue
        moment = session.within(moment_of(at))
        add(places, session.location, session.location, stats, session.kind)
        add(kinds, session.kind, place_kind_name(session.kind), stats)
        if moment is None:
            add(parts, UNKNOWN, UNKNOWN, stats)
            add(days, UNKNOWN_DAY, UNKNOWN, stats)
            continue
        add(parts, part_of_day(moment), part_of_day(moment), stats)
        add(days, moment.weekday(), WEEKDAYS[moment.weekday()], stats)

    kind_order = {kind: index for index, kind in enumerate(PLACE_KINDS)}
    part_order = {part: index for index, (part, _hour) in enumerate(PARTS_OF_DAY)}
    part_order[UNKNOWN] = len(part_order)
    kinds_of_place: dict[str, set[str]] = {}
    for session in sessions.values():
        kinds_of_place.setdefault(session.location, set()).add(session.kind)
    for name, found in kinds_of_place.items():
        ordered = sorted(found, key=lambda k: (kind_order.get(k, 99), k))
        places[name] = replace(places[name], kind="/".join(ordered))
    place_rows = tuple(places[name] for name in sorted(places, key=lambda n: (n.casefold(), n)))
    total = sum(place_rows, PlaceStats("totaal"))
    return PlaceComparison(
        places=place_rows,
        kinds=tuple(kinds[k] for k in sorted(kinds, key=lambda k: (kind_order.get(k, 99), k))),
        parts_of_day=tuple(parts[p] for p in sorted(parts, key=part_order.__getitem__)),
        weekdays=tuple(days[d] for d in sorted(days)),
        open_sessions=sum(s.is_open for s in sessions.values()),
        total=total,
        sessions_by_id=sessions,
    )


def _last_rows(conn: sqlite3.Connection, selected: str, params: dict) -> dict[str, str]:
    """Session id -> the time of its last row that can be trusted (doubtful times left
    out; '' for none), for the sessions without an end or with a doubtful one.

    First with the cheap range test (a text comparison); only a session whose latest
    time in range is still not a time (an old row) is asked again with the whole test.
    """
    def last(test) -> str:
        times = [
            f"(SELECT max(at) FROM answer WHERE session_id = s.id AND {test('at')})",
            f"(SELECT max(started) FROM visit WHERE session_id = s.id AND {test('started')})",
            f"(SELECT max(finished) FROM visit WHERE session_id = s.id"
            f" AND {test('finished')})",
        ]
        for table in ("conversation", "signal"):
            if has_table(conn, table):
                times.append(f"(SELECT max(at) FROM {table} WHERE session_id = s.id"
                             f" AND {test('at')})")
        return "max(" + ", ".join(f"coalesce({t}, '')" for t in times) + ")"

    where = (f"(s.ended IS NULL OR NOT {plausible_sql('s.ended')})"
             f" AND s.id IN ({selected})")
    found = dict(conn.execute(f"SELECT s.id, {last(range_sql)} FROM session AS s WHERE {where}",
                              params).fetchall())
    again = [sid for sid, at in found.items() if at and moment_of(at) is None]
    for session_id in again:
        found[session_id] = conn.execute(
            f"SELECT {last(plausible_sql)} FROM session AS s WHERE s.id = :session_id",
            {"session_id": session_id}).fetchone()[0]
    return found


def _events(conn: sqlite3.Connection, selected: str,
            params: dict) -> Iterable[tuple[str, str, PlaceStats]]:
    """(session id, time, what happened then), summed per session and quarter hour."""
    for session_id, at, visits, with_eens in conn.execute(
        "SELECT v.session_id, v.started, count(*), sum(EXISTS (SELECT 1 FROM answer AS a"
        " WHERE a.visit_id = v.id AND a.answer = 'eens'))"
        f" FROM visit AS v WHERE v.session_id IN ({selected}) GROUP BY v.session_id, v.started",
        params,
    ):
        yield session_id, at, PlaceStats("", visits=visits, visits_with_eens=int(with_eens))
    for session_id, at, shown, printed in conn.execute(
        "SELECT r.session_id, v.started, coalesce(sum(r.qr_shown), 0),"
        " coalesce(sum(r.printed), 0) FROM referral AS r JOIN visit AS v ON v.id = r.visit_id"
        f" WHERE r.session_id IN ({selected}) GROUP BY r.session_id, v.started",
        params,
    ):
        yield session_id, at, PlaceStats("", referrals_shown=shown, referrals_printed=printed)
    for table, key in (("conversation", "conversations"), ("signal", "signals")):
        if not has_table(conn, table):
            continue
        for session_id, at, n in conn.execute(
            f"SELECT session_id, at, count(*) FROM {table}"
            f" WHERE session_id IN ({selected}) GROUP BY session_id, at",
            params,
        ):
            yield session_id, at, PlaceStats("", **{key: n})
