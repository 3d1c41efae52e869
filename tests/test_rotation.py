"""Which statements a visit gets: balanced within a session, themes mixed, repeatable."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.core.model import Statement
from kiosk.core.rotation import Rotation


@pytest.fixture(scope="module")
def default_set() -> tuple[Statement, ...]:
    return load_content(paths.default_content_dir()).statement_set().statements


def themed(themes: int, each: int) -> list[Statement]:
    return [Statement(f"s{t}-{i}", f"Zin {t} {i}.", "question", f"thema-{t}")
            for t in range(themes) for i in range(each)]


def test_thirty_visits_of_three_answer_every_statement_evenly(default_set) -> None:
    assert len(default_set) == 15
    rotation = Rotation(default_set, 3, random.Random(1))
    for _ in range(30):
        for statement in rotation.pick():
            rotation.answered(statement.id)
    # 90 answers over 15 statements: every statement exactly 6 times (the issue allows 2 apart)
    assert rotation.counts == {s.id: 6 for s in default_set}
    assert max(rotation.counts.values()) - min(rotation.counts.values()) == 0


def test_counts_stay_within_one_after_any_number_of_visits(default_set) -> None:
    rotation = Rotation(default_set, 3, random.Random(5))
    for _ in range(31):
        for statement in rotation.pick():
            rotation.answered(statement.id)
        assert max(rotation.counts.values()) - min(rotation.counts.values()) <= 1


def test_visits_cut_short_still_stay_balanced(default_set) -> None:
    rng = random.Random(3)
    rotation = Rotation(default_set, 3, random.Random(4))
    for _ in range(30):
        picked = rotation.pick()
        for statement in picked[:rng.randint(1, 3)]:  # people leave after 1, 2 or 3
            rotation.answered(statement.id)
    counts = rotation.counts
    assert min(counts.values()) >= 1
    assert max(counts.values()) - min(counts.values()) <= 1  # the issue allows 2


def test_a_visit_mixes_themes_when_it_can() -> None:
    statements = themed(5, 3)
    rotation = Rotation(statements, 3, random.Random(2))
    mixed = 0
    for _ in range(60):
        before = dict(rotation.counts)
        picked = rotation.pick()
        themes = [s.theme for s in picked]
        mixed += len(set(themes)) == 3
        repeated = [s for s in picked if themes.count(s.theme) > 1]
        others = [s for s in statements if s not in picked and s.theme not in themes]
        for repeat in repeated:  # a theme twice only when every other theme was answered more
            assert all(before[o.id] > before[repeat.id] for o in others), themes
        for statement in picked[:2]:  # people often leave early
            rotation.answered(statement.id)
    assert mixed >= 50


@pytest.mark.parametrize("seed", range(20))
def test_five_themes_of_three_give_three_themes_every_visit(seed: int) -> None:
    statements = themed(5, 3)
    rotation = Rotation(statements, 3, random.Random(seed))
    for visit in range(45):
        picked = rotation.pick()
        assert len({s.theme for s in picked}) == 3, (visit, [s.id for s in picked])
        for statement in picked:
            rotation.answered(statement.id)
    assert set(rotation.counts.values()) == {9}


def test_a_theme_twice_is_not_asked_twice_in_a_row() -> None:
    statements = themed(2, 3)  # thema-0: s0-0..2, thema-1: s1-0..2
    counts = {"s0-0": 0, "s0-1": 0, "s0-2": 4, "s1-0": 1, "s1-1": 4, "s1-2": 4}
    picked = Rotation(statements, 3, random.Random(0), counts=counts).pick()
    # picked by count: s0-0, s0-1 (0 answers), s1-0 (1); asked with the themes apart
    assert [s.theme for s in picked] == ["thema-0", "thema-1", "thema-0"]
    assert picked[1].id == "s1-0"
    assert {picked[0].id, picked[2].id} == {"s0-0", "s0-1"}


def test_a_large_set_stays_fast_and_balanced() -> None:
    statements = [Statement(f"s{i}", "Zin.", "question", f"thema-{i % 40}")
                  for i in range(8000)]
    rotation = Rotation(statements, 5, random.Random(6))
    seen = set()
    for _ in range(200):
        picked = rotation.pick()
        assert len({s.theme for s in picked}) == 5
        for statement in picked:
            rotation.answered(statement.id)
            seen.add(statement.id)
    assert len(seen) == 1000  # 200 visits of 5: never a statement twice yet
    assert max(rotation.counts.values()) == 1


def test_least_answered_statements_come_first() -> None:
    statements = themed(1, 4)
    rotation = Rotation(statements, 2, random.Random(0),
                        counts={"s0-0": 5, "s0-1": 5, "s0-2": 1, "unknown": 9})
    assert {s.id for s in rotation.pick()} == {"s0-3", "s0-2"}


def test_all_gives_the_whole_set_in_its_order(default_set) -> None:
    assert Rotation(default_set, None).pick() == default_set
    assert Rotation(default_set, 99).pick() == default_set


def test_one_per_visit_walks_through_the_set(default_set) -> None:
    rotation = Rotation(default_set, 1, random.Random(8))
    seen = []
    for _ in range(len(default_set)):
        (statement,) = rotation.pick()
        rotation.answered(statement.id)
        seen.append(statement.id)
    assert Counter(seen) == Counter(s.id for s in default_set)  # each once, then again


def test_a_seed_repeats_the_same_visits(default_set) -> None:
    def run(seed: int) -> list[tuple[str, ...]]:
        rotation = Rotation(default_set, 3, random.Random(seed))
        visits = []
        for _ in range(10):
            picked = rotation.pick()
            visits.append(tuple(s.id for s in picked))
            rotation.answered(picked[0].id)
        return visits

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_a_set_of_one() -> None:
    only = themed(1, 1)
    for per_visit in (1, 3, None):
        rotation = Rotation(only, per_visit, random.Random(1))
        for _ in range(3):
            assert rotation.pick() == tuple(only)
            rotation.answered(only[0].id)
    assert rotation.counts == {only[0].id: 3}


def test_answers_to_unknown_statements_are_ignored() -> None:
    rotation = Rotation(themed(1, 2), 1, counts={"elders": 4})
    rotation.answered("elders")
    assert rotation.counts == {"s0-0": 0, "s0-1": 0}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Rotation([], 3)
    with pytest.raises(ValueError, match="per_visit"):
        Rotation(themed(1, 2), 0)
