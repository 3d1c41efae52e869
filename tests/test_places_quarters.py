"""Which place works, measured right: a session counts at least a quarter hour, and every
row's visits and staffed hours come from the same sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.places import PlaceComparison, PlaceStats, compare_places
from kiosk.core.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 8, 0)  # a Thursday

    def __call__(self) -> datetime:
        return self.now


def by_name(rows: tuple[PlaceStats, ...]) -> dict[str, PlaceStats]:
    return {row.name: row for row in rows}


def session(store: Store, clock: Clock, place: str, start: datetime, end: datetime,
            visits: list[datetime]) -> str:
    """A session from ``start`` to ``end`` (real times; the store rounds them down),
    with a visit at each of ``visits``."""
    clock.now = start
    session_id = store.start_session(place, "markt")
    for moment in visits:
        clock.now = moment
        store.finish_visit(store.start_visit(session_id), [])
    clock.now = end
    store.end_session(session_id)
    return session_id


def test_a_ten_minute_session_counts_a_quarter_hour(tmp_path: Path) -> None:
    clock = Clock()
    with Store.open(tmp_path / "k.db", clock=clock) as store:
        start = datetime(2026, 3, 5, 8, 0)
        session(store, clock, "Markt", start, start + timedelta(minutes=10),
                [start + timedelta(minutes=2), start + timedelta(minutes=7)])
        started, ended = store.db.execute("SELECT started, ended FROM session").fetchone()
        assert started == ended  # the store keeps quarter hours: 08:00 to 08:00
        result = compare_places(store)
    (markt,) = result.places
    assert markt.staffed_minutes == 15
    assert markt.staffed_hours == 0.25
    assert markt.visits_per_hour == 8.0
    (morning,) = result.parts_of_day
    (thursday,) = result.weekdays
    for row in (morning, thursday, result.total):
        assert (row.staffed_minutes, row.visits, row.visits_per_hour) == (15, 2, 8.0)


def test_a_short_session_no_longer_borrows_the_hours_of_another(tmp_path: Path) -> None:
    """The old code counted the short session's 51 visits over the other session's half
    hour in the morning row: "102,0 per uur"."""
    clock = Clock()
    with Store.open(tmp_path / "k.db", clock=clock) as store:
        busy = datetime(2026, 3, 5, 8, 0)  # Thursday, 10 minutes, 51 visits
        session(store, clock, "Station", busy, busy + timedelta(minutes=10),
                [busy + timedelta(seconds=10 * i) for i in range(51)])
        calm = datetime(2026, 3, 6, 9, 0)  # Friday, half an hour, no visits
        session(store, clock, "Bieb", calm, calm + timedelta(minutes=30), [])
        result = compare_places(store)
    (morning,) = result.parts_of_day
    assert (morning.visits, morning.staffed_minutes) == (51, 15 + 30)
    assert morning.visits_per_hour == 51 / 0.75 == 68.0  # not 51 / 0.5 = 102
    days = by_name(result.weekdays)
    assert (days["donderdag"].visits, days["donderdag"].staffed_minutes) == (51, 15)
    assert days["donderdag"].visits_per_hour == 204.0  # 51 visits in its quarter hour
    assert (days["vrijdag"].visits, days["vrijdag"].staffed_minutes) == (0, 30)
    places = by_name(result.places)
    assert places["Station"].visits_per_hour == 204.0
    assert places["Bieb"].visits_per_hour == 0.0


def test_a_visit_in_the_quarter_hour_of_the_end_counts_with_its_own_session(
        tmp_path: Path) -> None:
    """The morning session ends at 12:05 (stored 12:00) after a visit at 12:02 (stored
    12:00): that visit counts in the morning, where its session had staffed time, not
    over the afternoon session's hours."""
    clock = Clock()
    with Store.open(tmp_path / "k.db", clock=clock) as store:
        day = datetime(2026, 3, 5)
        session(store, clock, "Markt", day.replace(hour=11), day.replace(hour=12, minute=5),
                [day.replace(hour=11, minute=30), day.replace(hour=12, minute=2)])
        session(store, clock, "Zwembad", day.replace(hour=14), day.replace(hour=16),
                [day.replace(hour=15)])
        result = compare_places(store)
    parts = by_name(result.parts_of_day)
    assert (parts["ochtend"].visits, parts["ochtend"].staffed_minutes) == (2, 60)
    assert (parts["middag"].visits, parts["middag"].staffed_minutes) == (1, 120)
    assert parts["middag"].visits_per_hour == 0.5  # the Zwembad's own rate; was 1.0
    assert parts["middag"].sessions == 1


def rows_per_session(result: PlaceComparison) -> dict[str, dict[str, PlaceStats]]:
    return {group: {row.name: row for row in rows} for group, rows in result.groups()
            if group in ("dagdeel", "weekdag")}


def assert_rows_come_from_their_own_sessions(store: Store, places: list[str]) -> None:
    """Each part-of-day and weekday row is exactly the sum of what each session (one per
    place) brings to it, and no session brings visits to a row without its hours."""
    whole = rows_per_session(compare_places(store))
    alone = [rows_per_session(compare_places(store, location=p)) for p in places]
    for group, rows in whole.items():
        for name, row in rows.items():
            pieces = [one[group][name] for one in alone if name in one[group]]
            assert row.visits == sum(p.visits for p in pieces)
            assert row.staffed_minutes == sum(p.staffed_minutes for p in pieces)
            assert row.sessions == sum(p.sessions for p in pieces)
            for piece in pieces:
                if piece.visits:
                    assert piece.staffed_minutes > 0, (group, name, piece)


def test_each_row_adds_up_from_its_sessions(tmp_path: Path) -> None:
    clock = Clock()
    with Store.open(tmp_path / "k.db", clock=clock) as store:
        day = datetime(2026, 3, 5)
        session(store, clock, "A", day.replace(hour=11, minute=50),
                day.replace(hour=12, minute=10),  # stored 11:45 to 12:00
                [day.replace(hour=11, minute=55), day.replace(hour=12, minute=5)])
        session(store, clock, "B", day.replace(hour=12), day.replace(hour=13),
                [day.replace(hour=12, minute=30)])
        session(store, clock, "C", day.replace(hour=23, minute=50),
                day.replace(day=6, hour=0, minute=5),  # 23:45 to 00:00 the next day
                [day.replace(day=6, hour=0, minute=1)])
        result = compare_places(store)
        parts = by_name(result.parts_of_day)
        assert {p: (parts[p].visits, parts[p].staffed_minutes) for p in parts} == {
            "ochtend": (2, 15), "middag": (1, 60), "avond": (1, 15)}
        days = by_name(result.weekdays)
        assert {d: (days[d].visits, days[d].staffed_minutes) for d in days} == {
            "donderdag": (4, 90)}  # C's visit at 00:01 Friday counts in its Thursday quarter
        assert_rows_come_from_their_own_sessions(store, ["A", "B", "C"])


QUARTERS = st.integers(min_value=0, max_value=4 * 24 * 3)  # three days of quarter hours


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(QUARTERS, st.integers(0, 12), st.lists(st.integers(-20, 200),
                                                                   max_size=5)),
                min_size=1, max_size=4))
def test_no_row_counts_visits_over_another_sessions_hours(tmp_path_factory, plan) -> None:
    """Random sessions (0 to 3 hours, some shorter than a quarter hour) with visits at
    random minutes, some before the start or after the end."""
    clock = Clock()
    path = tmp_path_factory.mktemp("q") / "k.db"
    base = datetime(2026, 3, 5)
    places = [f"Plek {i}" for i in range(len(plan))]
    with Store.open(path, clock=clock) as store:
        for place, (quarter, length, offsets) in zip(places, plan, strict=True):
            start = base + timedelta(minutes=15 * quarter + 3)
            end = start + timedelta(minutes=15 * length + 10 * (length == 0))
            session(store, clock, place, start, end,
                    sorted(start + timedelta(minutes=m) for m in offsets))
        assert_rows_come_from_their_own_sessions(store, places)
        total = compare_places(store).total
        assert total.staffed_minutes >= 15 * len(plan)
