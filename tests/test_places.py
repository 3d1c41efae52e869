"""Which place works: sessions compared per place, kind, part of the day and weekday."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.core.places import (
    OPEN_SESSIONS_NOTE,
    PlaceStats,
    compare_places,
    part_of_day,
    place_kind_name,
)
from kiosk.core.store import Store
from tests.test_store import v1_database


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 10, 0)  # a Thursday

    def __call__(self) -> datetime:
        return self.now

    def at(self, *when: int) -> None:
        self.now = datetime(2026, 3, *when)


@pytest.fixture
def store(tmp_path: Path):
    """Three sessions:

    - Weekmarkt (markt), Thursday 10:00-14:00: visits at 10:30 (eens, two referrals, one
      printed) and 13:00 (oneens, one referral); a conversation at 13:15;
    - Buurthuis (wijkcentrum), Friday 17:00 to Saturday 01:00: a visit at 18:30 (eens), a
      signal at 00:15 on Saturday;
    - Weekmarkt again, Saturday 19:00, never ended: its last row (a signal) at 20:30.
    """
    clock = Clock()
    with Store.open(tmp_path / "kiosk.db", clock=clock) as opened:
        clock.at(5, 10, 0)
        markt = opened.start_session("Weekmarkt", "markt")
        clock.at(5, 10, 30)
        first = opened.start_visit(markt)
        opened.record_answer(first, "digid", "eens")
        opened.record_answer(first, "formulieren", "oneens")
        referrals = opened.finish_visit(first, ["digisterker", "taalhuis"])
        opened.mark_printed(referrals[0])
        clock.at(5, 13, 0)
        second = opened.start_visit(markt)
        opened.record_answer(second, "digid", "oneens")
        opened.finish_visit(second, ["taalhuis"])
        opened.add_staff_tally(markt, "digid", "eens", 5)  # not a visit
        clock.at(5, 13, 15)
        opened.log_conversation(markt, "digitaal")
        clock.at(5, 14, 0)
        opened.end_session(markt)

        clock.at(6, 17, 0)
        buurthuis = opened.start_session("Buurthuis", "wijkcentrum")
        clock.at(6, 18, 30)
        opened.record_answer(opened.start_visit(buurthuis), "digid", "eens")
        clock.at(7, 0, 15)
        opened.log_signal(buurthuis, "geldzorgen")
        clock.at(7, 1, 0)
        opened.end_session(buurthuis)

        clock.at(7, 19, 0)
        open_session = opened.start_session("Weekmarkt", "markt")
        clock.at(7, 20, 30)
        opened.log_signal(open_session, "digid-problemen")
        yield opened


def by_name(rows: tuple[PlaceStats, ...]) -> dict[str, PlaceStats]:
    return {row.name: row for row in rows}


def test_parts_of_the_day() -> None:
    moments = {(0, 0): "ochtend", (11, 59): "ochtend", (12, 0): "middag", (17, 45): "middag",
               (18, 0): "avond", (23, 59): "avond"}
    for (hour, minute), part in moments.items():
        assert part_of_day(datetime(2026, 3, 5, hour, minute)) == part


def test_places_and_kinds(store: Store) -> None:
    result = compare_places(store)
    places = by_name(result.places)
    assert list(places) == ["Buurthuis", "Weekmarkt"]  # by name
    markt = places["Weekmarkt"]
    assert (markt.kind, markt.sessions, markt.open_sessions) == ("markt", 2, 1)
    # 4 hours on Thursday; the open session counts to the end of its last row's quarter hour
    assert markt.staffed_minutes == 4 * 60 + 105
    assert (markt.visits, markt.visits_with_eens) == (2, 1)
    assert (markt.referrals_shown, markt.referrals_printed) == (3, 1)
    assert (markt.conversations, markt.signals) == (1, 1)
    assert markt.visits_per_hour == pytest.approx(2 / (345 / 60))
    buurthuis = places["Buurthuis"]
    assert (buurthuis.staffed_minutes, buurthuis.visits, buurthuis.signals) == (8 * 60, 1, 1)
    kinds = by_name(result.kinds)
    assert list(kinds) == ["Markt", "Wijkcentrum"]  # in the order of the kinds of place
    assert kinds["Markt"].staffed_minutes == markt.staffed_minutes
    assert result.open_sessions == 1
    assert result.total.visits == 3
    assert result.total.staffed_minutes == 345 + 480
    assert "laatste" in OPEN_SESSIONS_NOTE


def test_parts_of_the_day_and_weekdays_cut_the_staffed_time(store: Store) -> None:
    result = compare_places(store)
    parts = by_name(result.parts_of_day)
    assert list(parts) == ["ochtend", "middag", "avond"]
    # Thursday 10-12 + Saturday 00-01; Thursday 12-14 + Friday 17-18;
    # Friday 18-24 + Saturday 19:00-20:45 (open)
    assert [parts[p].staffed_minutes for p in parts] == [180, 180, 360 + 105]
    assert [parts[p].visits for p in parts] == [1, 1, 1]  # 10:30, 13:00, 18:30
    assert [parts[p].visits_with_eens for p in parts] == [1, 0, 1]
    assert [parts[p].referrals_shown for p in parts] == [2, 1, 0]  # at their visit's time
    assert [parts[p].conversations for p in parts] == [0, 1, 0]
    assert [parts[p].signals for p in parts] == [1, 0, 1]  # 00:15 Saturday, 20:30 Saturday
    assert [parts[p].sessions for p in parts] == [2, 2, 2]  # sessions that touch that part
    days = by_name(result.weekdays)
    assert list(days) == ["donderdag", "vrijdag", "zaterdag"]
    assert [days[d].staffed_minutes for d in days] == [240, 420, 60 + 105]
    assert [days[d].sessions for d in days] == [1, 1, 2]
    assert [days[d].open_sessions for d in days] == [0, 0, 1]
    # every view adds up to the same whole
    for rows in (result.places, result.kinds, result.parts_of_day, result.weekdays):
        assert sum(r.staffed_minutes for r in rows) == result.total.staffed_minutes
        assert sum(r.visits for r in rows) == result.total.visits
        assert sum(r.signals for r in rows) == result.total.signals


def test_filters_select_sessions_like_the_tallies(store: Store) -> None:
    only_markt = compare_places(store, location="Weekmarkt")
    assert [p.name for p in only_markt.places] == ["Weekmarkt"]
    friday_on = compare_places(store, since=date(2026, 3, 6))
    assert [p.name for p in friday_on.places] == ["Buurthuis", "Weekmarkt"]
    assert friday_on.total.visits == 1  # the Thursday market is left out
    assert compare_places(store, until=date(2026, 3, 4)).places == ()


def test_a_place_with_sessions_of_two_kinds_names_both(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db", clock=lambda: datetime(2026, 3, 5, 10, 0)) as store:
        store.start_session("Plein", "anders")
        store.start_session("Plein", "markt")
        (plein,) = compare_places(store).places
    assert plein.kind == "markt/anders"
    assert place_kind_name(plein.kind) == "Markt/Anders"
    assert place_kind_name("zwembad") == "Zwembad"


def test_a_session_without_rows_or_end_counts_no_time(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db", clock=lambda: datetime(2026, 3, 5, 10, 0)) as store:
        store.start_session("Markt", "markt")
        result = compare_places(store)
    (markt,) = result.places
    assert (markt.sessions, markt.open_sessions, markt.staffed_minutes) == (1, 1, 0)
    assert markt.visits_per_hour is None
    assert [p.name for p in result.parts_of_day] == ["ochtend"]


def test_a_file_from_before_conversations_read_only(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v1_database(path)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        result = compare_places(conn)
    (markt,) = result.places
    assert (markt.staffed_minutes, markt.visits, markt.visits_with_eens) == (180, 2, 1)
    assert (markt.referrals_shown, markt.referrals_printed, markt.signals) == (1, 1, 0)
