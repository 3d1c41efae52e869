"""Which approach works? Sessions compared per approach (``approaches.toml``).

Staff choose a session's approach on the start screen (a cargo bike at the market, a
digispot, an icebreaker, ...; "Geen" for none, stored as ""). Per approach:
sessions, staffed hours, visits per staffed hour, the share of visits with at least
one *eens*, and conversations and referrals (QR code shown on the end screen, as in
the places table) per 10 visits.

Staffed time is counted exactly as :mod:`kiosk.core.places` counts it for places (its
session pieces and rows are reused): a session counts at least a quarter hour, one
without an end counts until its last row, one with a doubtful start counts no time.

Also the names the exports use: :func:`approach_id` (the kiosk's own "geen" for ""),
:func:`approach_name`, and the approaches of a group of sessions (a place on a day).

Public numbers: every count (sessions, visits, visits with eens, conversations,
referrals) goes through :func:`public_count` and the ratios are computed from the
rounded counts, so no exact count can be worked back from a ratio.
Plain SQL and Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from kiosk.core.model import NO_APPROACH, NO_APPROACH_NAME, Content
from kiosk.core.places import StoreOrDb, _events, staffed_sessions
from kiosk.core.publication import publish, round_to_step
from kiosk.core.tallies import (
    Tallies,
    _approach_column,
    _connection,
    _session_filter,
    tallies,
)

#: The title of the report's section and the XLSX sheet.
TITLE = "Welke aanpak werkt?"
SHEET = "aanpak"
#: The columns of the XLSX sheet (and of the report's table, without "aanpak").
HEADERS = ("aanpak", "sessies", "bemande uren", "bezoeken", "bezoeken per uur",
           "% bezoeken met eens", "gesprekken", "gesprekken per 10 bezoeken",
           "verwijzingen", "verwijzingen per 10 bezoeken")
def public_count(count: int) -> int:
    """A count rounded to the nearest multiple of 5 (half up): the publication control's
    :func:`kiosk.core.publication.round_to_step`, for a count it has no atoms for."""
    return round_to_step(count)


# -- names ------------------------------------------------------------------------


def approach_id(stored: str) -> str:
    """The id an export shows: the stored id, or "geen" for a session without approach."""
    return stored or NO_APPROACH


def approach_name(stored: str, content: Content | None) -> str:
    """The approach's name ("Geen" for none); an id the content no longer has, as it is."""
    if stored in ("", NO_APPROACH):
        return NO_APPROACH_NAME
    found = content.approaches.get(stored) if content is not None else None
    return found.name if found else stored


def order_key(stored: str, content: Content | None) -> tuple:
    """The content's order, then ids the content does not know, then "Geen"."""
    order = list(content.approaches) if content is not None else []
    if stored in ("", NO_APPROACH):
        return (2, 0, "")
    return (0, order.index(stored), "") if stored in order else (1, 0, stored)


def group_approaches(tallies: Tallies, content: Content | None
                     ) -> dict[tuple[str, str], tuple[str, ...]]:
    """(place, date) -> the stored approaches of its sessions, each once, in order."""
    found: dict[tuple[str, str], set[str]] = {}
    for session in tallies.sessions:
        found.setdefault((session.location, session.date), set()).add(session.approach)
    return {key: tuple(sorted(ids, key=lambda a: order_key(a, content)))
            for key, ids in found.items()}


def approaches_cell(stored: Sequence[str], content: Content | None) -> str:
    """Approaches as one CSV/XLSX cell: names, joined by " / " ("" when none is known)."""
    return " / ".join(approach_name(a, content) for a in stored)


def approaches_json(stored: Sequence[str], content: Content | None) -> dict[str, str]:
    """``approach`` (ids, joined by "/") and ``approach_name`` for a JSON group or session."""
    return {"approach": "/".join(approach_id(a) for a in stored),
            "approach_name": approaches_cell(stored, content)}


# -- the comparison ---------------------------------------------------------------


@dataclass(frozen=True)
class ApproachStats:
    """What the sessions of one approach brought."""

    approach: str  # as stored: "" for none
    name: str
    sessions: int = 0
    staffed_minutes: int = 0
    visits: int = 0
    visits_with_eens: int = 0
    conversations: int = 0
    referrals: int = 0

    @property
    def staffed_hours(self) -> float:
        return self.staffed_minutes / 60

    @property
    def visits_per_hour(self) -> float | None:
        return self.visits / self.staffed_hours if self.staffed_minutes > 0 else None

    @property
    def eens_share(self) -> float | None:
        """Visits with an eens, as a fraction of the visits; None without visits."""
        return self.visits_with_eens / self.visits if self.visits else None

    @property
    def conversations_per_10(self) -> float | None:
        return 10 * self.conversations / self.visits if self.visits else None

    @property
    def referrals_per_10(self) -> float | None:
        return 10 * self.referrals / self.visits if self.visits else None

    def ratios_from(self, **counts: int) -> ApproachStats:
        """A copy with these counts (the ratios follow from them)."""
        return replace(self, **counts)


def compare_approaches(store_or_db: StoreOrDb, since: date | None = None,
                       until: date | None = None, location: str | None = None,
                       content: Content | None = None, *, publiek: bool = False
                       ) -> tuple[ApproachStats, ...]:
    """Per approach of the sessions the filters select (as :func:`kiosk.core.tallies.tallies`
    selects them), in the content's order, "Geen" last; approaches without sessions are
    left out. ``publiek``: the counts a public output may print (:func:`published`)."""
    exact = _compare(store_or_db, since, until, location, content)
    if not publiek:
        return exact
    return published(exact, tallies(store_or_db, since, until, location))


def published(rows: Sequence[ApproachStats], exact: Tallies) -> tuple[ApproachStats, ...]:
    """``rows`` as a public output prints them (``exact``: the same sessions' tallies).

    Visits and visits with an eens are sums of the publication control's rounded atoms
    (:func:`kiosk.core.publication.publish`), grouped by the approach of their session,
    so they reveal nothing the other public numbers do not. Referrals and conversations
    are the same when the publication control's atoms name their session, else the
    approach's total rounded to a multiple of 5. Sessions and staffed hours are about
    staff and stay exact (as in the places table); every ratio is computed from the
    published counts."""
    hierarchies = publish(exact).hierarchies
    approach_of = {s.session_id: s.approach for s in exact.sessions}

    def by_approach(name: str, where=lambda _a: True) -> dict[str, int] | None:
        hierarchy = hierarchies.get(name)
        if hierarchy is None or any("session" not in a for a in hierarchy.attributes):
            return None
        return hierarchy.sums(lambda a: approach_of.get(a["session"]), where)

    sums = {"visits": by_approach("visits"),
            "visits_with_eens": by_approach("visits", lambda a: a["with_eens"]),
            "referrals": by_approach("referrals", lambda a: a["qr_shown"]),
            "conversations": by_approach("conversations")}
    return tuple(row.ratios_from(**{
        name: found.get(row.approach, 0) if found is not None
        else public_count(getattr(row, name)) for name, found in sums.items()})
        for row in rows)


def _compare(store_or_db: StoreOrDb, since: date | None, until: date | None,
             location: str | None, content: Content | None) -> tuple[ApproachStats, ...]:
    conn = _connection(store_or_db)
    where, params = _session_filter(since, until, location)
    selected = f"SELECT id FROM session WHERE {where}"
    rows = conn.execute(
        f"SELECT s.id, {_approach_column(conn)} FROM session AS s"
        f" WHERE s.id IN ({selected})", params).fetchall()
    staffed = staffed_sessions(conn, selected, params)  # the hours "Welke plek werkt?" counts
    of_session: dict[str, str] = {}
    totals: dict[str, dict[str, int]] = {}
    for session_id, approach in rows:
        approach = approach or ""
        of_session[session_id] = approach
        counts = totals.setdefault(approach, {})
        counts["sessions"] = counts.get("sessions", 0) + 1
        counts["staffed_minutes"] = (counts.get("staffed_minutes", 0)
                                     + staffed[session_id].minutes)
    for session_id, _at, stats in _events(conn, selected, params):
        approach = of_session.get(session_id)
        if approach is None:
            continue
        counts = totals[approach]
        for name, value in (("visits", stats.visits), ("visits_with_eens", stats.visits_with_eens),
                            ("conversations", stats.conversations),
                            ("referrals", stats.referrals_shown)):
            counts[name] = counts.get(name, 0) + value
    return tuple(ApproachStats(a, approach_name(a, content), **totals[a])
                 for a in sorted(totals, key=lambda a: order_key(a, content)))




def total(rows: Iterable[ApproachStats]) -> ApproachStats:
    """All approaches together."""
    result = ApproachStats("", "Totaal")
    for row in rows:
        result = replace(result, **{name: getattr(result, name) + getattr(row, name) for name in (
            "sessions", "staffed_minutes", "visits", "visits_with_eens", "conversations",
            "referrals")})
    return result


def number(value: float | None, digits: int = 1) -> str:
    """A Dutch number ("2,5"); "-" when there is none."""
    return "-" if value is None else f"{value:.{digits}f}".replace(".", ",")


def hours(value: float) -> str:
    """Hours the Dutch way: "0,25", "3,5", "12"."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def table_cells(shown: ApproachStats) -> list:
    """One row of the XLSX sheet (numbers as numbers; a fraction for the "%" column)."""

    def ratio(value: float | None, digits: int = 1) -> float | None:
        return None if value is None else round(value, digits)

    return [shown.name, shown.sessions, round(shown.staffed_hours, 2), shown.visits,
            ratio(shown.visits_per_hour), ratio(shown.eens_share, 3), shown.conversations,
            ratio(shown.conversations_per_10), shown.referrals, ratio(shown.referrals_per_10)]


def approach_rows(store_or_db: StoreOrDb, selection: Tallies, content: Content | None,
                  publiek: bool) -> list[list]:
    """The XLSX sheet's rows: one per approach, then the total; the sessions are those
    ``selection``'s filters select."""
    rows = compare_approaches(store_or_db, selection.since, selection.until, selection.location,
                              content, publiek=publiek)
    return [table_cells(row) for row in (*rows, total(rows))] if rows else []
