"""Publication control: the numbers a public output may print.

Every public output (``kiosk export --publiek`` as CSV, JSON or XLSX, ``kiosk
report --publiek`` and the staff menu's report) reads its counts from
:func:`publish`, never from the exact tallies. The method (explained for
coordinators in ``docs/privacy.md``) is *controlled rounding* to multiples of
:data:`STEP`:

- Each kind of row (answers, visits, referrals, conversations, signals) is one
  *hierarchy*. Its finest cells (*atoms*: e.g. the answers *eens* by touch to one
  statement at one place on one day) are put in a fixed order.
- The running sum ``C_k`` of the exact atoms is rounded to the nearest multiple
  of 5 (``R_k``; 0-2 -> 0, 3-7 -> 5, ...), and atom ``k`` is published as
  ``r_k = R_k - R_(k-1)``. Every published atom is a multiple of 5, a true 0
  stays 0, and any run of consecutive atoms sums to within 4 of the truth.
- Every total, row sum, split (screen/staff), percentage and per-place, per-date
  or per-part-of-day figure of a public output is a sum of published atoms of
  the same hierarchy (the outputs compute them from the published tallies this
  module returns). So nothing published says more than the ``R_k``, and each
  ``R_k`` only says that ``C_k`` lies in ``[R_k - 2, R_k + 2]``: no atom can be
  pinned to one value (the proof is in ``docs/privacy.md``; the attack in
  ``tests/test_publication_attack.py`` tries).

The atoms, in order:

- answers: statement (the set's order), answer, source, place, date;
- visits: place, date, session, completed, with an *eens*, part of the day and
  weekday of the visit (:mod:`kiosk.core.places` counts a visit at its own time);
- referrals: course, QR code shown, printed, place, date, session, part of day, weekday;
- conversations: place, date, kind of place, topic, referral, session, part of
  day, weekday;
- signals: place, date, kind of place, kind of signal, session, part of day, weekday.

Every atom knows its session, so a count per session (or per anything a session
has: its approach, its statements per visit) is a sum of published atoms too.
Session counts and staffed hours are about staff, not about passers-by, and
stay exact. Answers per session are not published (0 in the published session
rows; a public output leaves them out).

Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.core.doubtful import UNKNOWN, moment_of
from kiosk.core.model import ANSWERS
from kiosk.core.places import (
    PARTS_OF_DAY,
    PLACE_KIND_NAMES,
    UNKNOWN_DAY,
    WEEKDAYS,
    PlaceComparison,
    PlaceStats,
    part_of_day,
    place_kind_name,
)
from kiosk.core.tallies import (
    ConversationRow,
    Counts,
    ReferralCount,
    SignalRow,
    Tallies,
    TallyRow,
    VisitCount,
)

#: Every public count is a multiple of this.
STEP = 5
#: The largest difference between a published run of consecutive atoms and the truth.
MAX_ERROR = STEP - 1
ROUNDING_NOTE = ("gecontroleerd afgerond op veelvouden van 5; totalen zijn sommen van "
                 "afgeronde getallen")
SOURCES = ("touch", "staff")
_PART_INDEX = {part: index for index, (part, _hour) in enumerate(PARTS_OF_DAY)}


def round_to_step(total: int) -> int:
    """``total`` (>= 0) to the nearest multiple of :data:`STEP` (0-2 -> 0, 3-7 -> 5)."""
    return (total + STEP // 2) // STEP * STEP


def controlled_round(values: Iterable[int]) -> list[int]:
    """The published atoms for exact atoms ``values`` in order: the differences of the
    rounded running sums. Each is a multiple of :data:`STEP`, >= 0, and 0 for a 0."""
    published, running, before = [], 0, 0
    for value in values:
        running += value
        rounded = round_to_step(running)
        published.append(rounded - before)
        before = rounded
    return published


@dataclass(frozen=True)
class Hierarchy:
    """One kind of row: its atoms (``(order key, attributes)``) in order, exact and
    published. ``attributes`` says what the atom is (place, date, ...)."""

    name: str
    keys: tuple[tuple, ...]
    attributes: tuple[dict[str, Any], ...]
    exact: tuple[int, ...]
    published: tuple[int, ...]

    @classmethod
    def build(cls, name: str, atoms: Iterable[tuple[tuple, dict[str, Any], int]]) -> Hierarchy:
        """From ``(order key, attributes, exact count)``; equal keys are added up."""
        merged: dict[tuple, list] = {}
        for key, attributes, count in atoms:
            if key in merged:
                merged[key][1] += count
            else:
                merged[key] = [attributes, count]
        keys = tuple(sorted(merged, key=_sortable))
        exact = tuple(merged[key][1] for key in keys)
        return cls(name, keys, tuple(merged[key][0] for key in keys), exact,
                   tuple(controlled_round(exact)))

    def sums(self, group: Callable[[dict[str, Any]], Hashable | None],
             where: Callable[[dict[str, Any]], bool] = lambda _a: True) -> dict[Any, int]:
        """Published atoms added up per ``group(attributes)`` (None: left out)."""
        totals: dict[Any, int] = {}
        for attributes, value in zip(self.attributes, self.published, strict=True):
            key = group(attributes)
            if key is not None and where(attributes):
                totals[key] = totals.get(key, 0) + value
        return totals


def _sortable(key: tuple) -> tuple:
    """An order key that sorts with None (an unknown time) last."""
    return tuple((value is None, value if value is not None else 0) for value in key)


@dataclass(frozen=True)
class Published:
    """What a public output may print: the tallies (and, given them, the places and the
    sessions) with every count derived from the rounded atoms."""

    tallies: Tallies
    hierarchies: dict[str, Hierarchy]
    places: PlaceComparison | None = None
    #: Session rows (:class:`kiosk.core.summary.SessionRow`) with published visits,
    #: referrals, conversations and signals; answers per session are 0 (not published).
    sessions: tuple = field(default=())


def _when(at: str | None, session_id: str, windows: dict) -> dict[str, Any]:
    """The part of the day and weekday a row counts in: at its own time, moved into its
    session's staffed time as :func:`kiosk.core.places.compare_places` does (``windows``:
    its ``sessions_by_id``; empty without the places)."""
    moment = moment_of(at) if at else None
    session = windows.get(session_id)
    if session is not None:
        moment = session.within(moment)
    if moment is None:
        return {"part": UNKNOWN, "weekday": UNKNOWN_DAY}
    return {"part": part_of_day(moment), "weekday": moment.weekday()}


def _when_key(when: dict[str, Any]) -> tuple:
    return (_PART_INDEX.get(when["part"], len(_PART_INDEX)), when["weekday"])


def publish(tallies: Tallies, statement_key: Callable[[str], tuple] | None = None,
            places: PlaceComparison | None = None, sessions: Iterable = ()) -> Published:
    """The public version of ``tallies`` (and of ``places`` and the summary's session rows).

    Args:
        statement_key: the sort key of a statement id (the set's order); by id when None.
    """
    if tallies.published:
        raise ValueError("these tallies are published already")
    statement_key = statement_key or (lambda sid: (sid,))
    session_info = {s.session_id: (index, s) for index, s in enumerate(tallies.sessions)}
    windows = places.sessions_by_id if places is not None else {}
    hierarchies = {
        "answers": _answers(tallies, statement_key),
        "visits": _visits(tallies, session_info, windows),
        "referrals": _referrals(tallies, session_info, windows),
        "conversations": _conversations(tallies, session_info, windows),
        "signals": _signals(tallies, session_info, windows),
    }
    answers = hierarchies["answers"].sums(
        lambda a: (a["location"], a["date"], a["statement"], a["source"], a["answer"]))
    rows = []
    for row in tallies.rows:
        by_source = {}
        for source in SOURCES:
            by_source[source] = Counts(*(answers.get(
                (row.location, row.date, row.statement_id, source, answer), 0)
                for answer in ANSWERS))
        rows.append(TallyRow(row.location, row.date, row.statement_id,
                             touch=by_source["touch"], staff=by_source["staff"]))

    visits = hierarchies["visits"]
    per_group = visits.sums(lambda a: (a["location"], a["date"]))
    completed_group = visits.sums(lambda a: (a["location"], a["date"]), lambda a: a["completed"])
    visit_counts = tuple(VisitCount(v.location, v.date, per_group.get((v.location, v.date), 0),
                                    completed_group.get((v.location, v.date), 0))
                         for v in tallies.visits)
    per_session = visits.sums(lambda a: a["session"])
    completed_session = visits.sums(lambda a: a["session"], lambda a: a["completed"])
    session_counts = tuple(replace(s, visits=per_session.get(s.session_id, 0),
                                   completed=completed_session.get(s.session_id, 0))
                           for s in tallies.sessions)

    referrals = hierarchies["referrals"]
    suggested = referrals.sums(lambda a: a["course"])
    qr_shown = referrals.sums(lambda a: a["course"], lambda a: a["qr_shown"])
    printed = referrals.sums(lambda a: a["course"], lambda a: a["printed"])
    referral_counts = tuple(ReferralCount(r.course_id, suggested.get(r.course_id, 0),
                                          qr_shown.get(r.course_id, 0),
                                          printed.get(r.course_id, 0))
                            for r in tallies.referrals)

    public = replace(
        tallies, rows=tuple(rows), visits=visit_counts, referrals=referral_counts,
        sessions=session_counts,
        conversations=tuple(_rows(hierarchies["conversations"], _conversation_row)),
        signals=tuple(_rows(hierarchies["signals"], _signal_row)),
        visit_atoms=(), referral_atoms=(), published=True,
    )
    by_session = {name: hierarchies[name].sums(lambda a: a["session"])
                  for name in ("referrals", "conversations", "signals")}
    published_sessions = tuple(
        replace(s, visits=per_session.get(s.session_id, 0),
                completed_visits=completed_session.get(s.session_id, 0),
                touch_answers=0, staff_answers=0,
                **{name: sums.get(s.session_id, 0) for name, sums in by_session.items()})
        for s in sessions)
    return Published(public, hierarchies,
                     _places(places, hierarchies) if places is not None else None,
                     published_sessions)


# -- the hierarchies ---------------------------------------------------------------


def _answers(tallies: Tallies, statement_key: Callable[[str], tuple]) -> Hierarchy:
    def atoms():
        for row in tallies.rows:
            for source_index, source in enumerate(SOURCES):
                counts = getattr(row, source)
                for answer_index, answer in enumerate(ANSWERS):
                    yield ((*statement_key(row.statement_id), row.statement_id, answer_index,
                            source_index, row.location, row.date),
                           {"statement": row.statement_id, "answer": answer, "source": source,
                            "location": row.location, "date": row.date},
                           getattr(counts, answer))
    return Hierarchy.build("answers", atoms())


def _visits(tallies: Tallies, session_info: dict, windows: dict) -> Hierarchy:
    def atoms():
        for atom in tallies.visit_atoms:
            if atom.session_id not in session_info:
                continue
            index, session = session_info[atom.session_id]
            when = _when(atom.at, atom.session_id, windows)
            yield ((session.location, session.date, index, not atom.completed,
                    not atom.with_eens, *_when_key(when)),
                   {"location": session.location, "date": session.date,
                    "kind": session.place_kind, "session": session.session_id,
                    "per_visit": session.per_visit, "completed": atom.completed,
                    "with_eens": atom.with_eens, **when},
                   atom.count)
    return Hierarchy.build("visits", atoms())


def _referrals(tallies: Tallies, session_info: dict, windows: dict) -> Hierarchy:
    def atoms():
        for atom in tallies.referral_atoms:
            if atom.session_id not in session_info:
                continue
            index, session = session_info[atom.session_id]
            when = _when(atom.at, atom.session_id, windows)
            yield ((atom.course_id, not atom.qr_shown, not atom.printed, session.location,
                    session.date, index, *_when_key(when)),
                   {"course": atom.course_id, "qr_shown": atom.qr_shown,
                    "printed": atom.printed, "location": session.location,
                    "date": session.date, "kind": session.place_kind,
                    "session": session.session_id, **when},
                   atom.count)
    return Hierarchy.build("referrals", atoms())


def _conversations(tallies: Tallies, session_info: dict, windows: dict) -> Hierarchy:
    def atoms():
        for row in tallies.conversations:
            when = _when(row.at, row.session_id, windows)
            index = session_info.get(row.session_id, (len(session_info),))[0]
            yield ((row.location, row.date, row.place_kind, row.topic, row.referred_kind,
                    row.referred_to, index, *_when_key(when)),
                   {"location": row.location, "date": row.date, "kind": row.place_kind,
                    "topic": row.topic, "referred_kind": row.referred_kind,
                    "referred_to": row.referred_to, "session": row.session_id, **when},
                   1)
    return Hierarchy.build("conversations", atoms())


def _signals(tallies: Tallies, session_info: dict, windows: dict) -> Hierarchy:
    def atoms():
        for row in tallies.signals:
            when = _when(row.at, row.session_id, windows)
            index = session_info.get(row.session_id, (len(session_info),))[0]
            yield ((row.location, row.date, row.place_kind, row.kind, index, *_when_key(when)),
                   {"location": row.location, "date": row.date, "kind": row.place_kind,
                    "signal": row.kind, "session": row.session_id, **when},
                   1)
    return Hierarchy.build("signals", atoms())


def _conversation_row(a: dict[str, Any]) -> ConversationRow:
    """A published conversation: its session (for sums per session; never printed), no
    id, no time."""
    return ConversationRow("", a["session"], a["location"], a["kind"], a["date"], "",
                           a["topic"], a["referred_kind"], a["referred_to"])


def _signal_row(a: dict[str, Any]) -> SignalRow:
    return SignalRow("", a["session"], a["location"], a["kind"], a["date"], "", a["signal"])


def _rows(hierarchy: Hierarchy, make: Callable[[dict[str, Any]], Any]) -> Iterable:
    """One row (without ids, times or text) per published unit of each atom: every
    output counts them like the real rows, so its counts are sums of published atoms."""
    for attributes, value in zip(hierarchy.attributes, hierarchy.published, strict=True):
        row = make(attributes)
        for _ in range(value):
            yield row


# -- which place works -----------------------------------------------------------


_PLACE_COUNTS = {
    # field of PlaceStats: (hierarchy, only atoms where)
    "visits": ("visits", None),
    "visits_with_eens": ("visits", "with_eens"),
    "referrals_shown": ("referrals", "qr_shown"),
    "referrals_printed": ("referrals", "printed"),
    "conversations": ("conversations", None),
    "signals": ("signals", None),
}


def _places(places: PlaceComparison, hierarchies: dict[str, Hierarchy]) -> PlaceComparison:
    """``places`` with every count replaced by sums of published atoms; sessions and
    staffed hours stay exact (they count staff's time, not people)."""
    groupings: dict[str, Callable[[dict[str, Any]], Hashable]] = {
        "places": lambda a: a["location"],
        "kinds": lambda a: a["kind"],
        "parts_of_day": lambda a: a["part"],
        "weekdays": lambda a: a["weekday"],
    }
    names = {
        "places": lambda key: key,
        "kinds": place_kind_name,
        "parts_of_day": lambda key: key,
        "weekdays": lambda key: UNKNOWN if key == UNKNOWN_DAY else WEEKDAYS[key],
    }
    result: dict[str, tuple[PlaceStats, ...]] = {}
    for group, grouping in groupings.items():
        counts: dict[str, dict[Hashable, int]] = {}
        for name, (hierarchy, flag) in _PLACE_COUNTS.items():
            counts[name] = hierarchies[hierarchy].sums(
                grouping, (lambda a, f=flag: bool(a[f])) if flag else (lambda _a: True))
        exact_rows = getattr(places, group)
        keys = _group_keys(group, exact_rows)
        rows = []
        for key, stats in keys.items():
            rows.append(replace(stats, **{name: counts[name].pop(key, 0) for name in counts}))
        extra = {key for found in counts.values() for key in found}
        for key in sorted(extra, key=lambda k: (str(type(k)), k)):  # rows without a session
            rows.append(PlaceStats(names[group](key),
                                   **{name: counts[name].get(key, 0) for name in counts}))
        result[group] = tuple(rows)
    total = sum(result["places"], PlaceStats("totaal"))
    return replace(places, **result, total=total)


def _group_keys(group: str, rows: tuple[PlaceStats, ...]) -> dict[Hashable, PlaceStats]:
    """The atoms' key of each exact row: a place's name, a kind's id, a part's name, a
    weekday's number."""
    keys: dict[Hashable, PlaceStats] = {}
    for stats in rows:
        if group == "kinds":
            key: Hashable = next((kind for kind in _kinds_named(stats.name)), stats.name)
        elif group == "weekdays":
            key = UNKNOWN_DAY if stats.name == UNKNOWN else WEEKDAYS.index(stats.name)
        else:
            key = stats.name
        keys[key] = stats
    return keys


def _kinds_named(name: str) -> Iterable[str]:
    """The stored kind whose name is ``name`` ("Markt" -> "markt"; unknown kinds as stored)."""
    for kind, word in PLACE_KIND_NAMES.items():
        if word == name:
            yield kind
    yield name
