"""Property: whatever two laptops do, and however often and in whatever order their
copies are merged (noon copies, evening copies, twice), the central database ends with
the same tallies as one laptop that did all of it.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.model import ANSWERS
from kiosk.core.store import Store

STATEMENTS = ("digid", "korting", "formulieren", "bijsluiter")
ACTIONS = ("session", "visit", "answer", "answer", "answer", "finish", "tally", "end",
           "conversation", "signal", "snapshot", "snapshot")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 12, 9, 0)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now


class Laptop:
    """One kiosk laptop doing what a stand does, in the order it is told."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.store = Store.open(folder / f"{name}.db", clock=Clock())
        self.session: str | None = None
        self.visit: str | None = None
        self.copies: list[Path] = []

    def do(self, action: str, rng: random.Random) -> None:
        store = self.store
        if action == "session" or self.session is None:
            self.session = store.start_session(rng.choice(["Markt", "Zwembad"]), "markt")
            self.visit = None
        elif action == "visit" or (action in ("answer", "finish") and self.visit is None):
            self.visit = store.start_visit(self.session)
        elif action == "answer":  # a new answer, or a changed one (the same statement)
            store.record_answer(self.visit, rng.choice(STATEMENTS), rng.choice(ANSWERS))
        elif action == "finish":
            store.finish_visit(self.visit, ["digisterker"], completed=rng.random() < 0.5)
            self.visit = None
        elif action == "tally":
            store.add_staff_tally(self.session, rng.choice(STATEMENTS), rng.choice(ANSWERS),
                                  rng.randint(1, 3))
        elif action == "end":
            store.end_session(self.session)
            self.session = None
        elif action == "conversation":
            store.log_conversation(self.session, "digitaal", "course", "digisterker")
        elif action == "signal":
            store.log_signal(self.session, "geldzorgen")
        elif action == "snapshot":
            self.copy()

    def copy(self) -> None:
        dest = self.folder / f"{self.store.path.stem}-copy{len(self.copies)}.db"
        self.store.backup(dest)
        self.copies.append(dest)


def tallies(store: Store) -> dict[str, Counter]:
    db = store.db
    return {
        "answers": Counter(db.execute(
            "SELECT statement_id, answer, source FROM answer").fetchall()),
        "visits": Counter(db.execute("SELECT completed, finished IS NULL FROM visit").fetchall()),
        "sessions": Counter(db.execute("SELECT location, ended IS NULL FROM session").fetchall()),
        "referrals": Counter(db.execute("SELECT course_id FROM referral").fetchall()),
        "conversations": Counter(db.execute("SELECT topic FROM conversation").fetchall()),
        "signals": Counter(db.execute("SELECT kind FROM signal").fetchall()),
    }


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(actions=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from(ACTIONS)),
                        min_size=1, max_size=40),
       seed=st.integers(0, 2**32 - 1), repeats=st.integers(1, 2))
def test_merging_copies_in_any_order_gives_what_one_laptop_would_have(actions, seed, repeats):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        laptops = {"a": Laptop(folder, "a"), "b": Laptop(folder, "b")}
        try:
            for who, action in actions:
                laptops[who].do(action, rng)
            for laptop in laptops.values():
                laptop.copy()  # the evening copy
            expected = {key: Counter() for key in ("answers", "visits", "sessions",
                                                   "referrals", "conversations", "signals")}
            for laptop in laptops.values():
                for key, counts in tallies(laptop.store).items():
                    expected[key] += counts
            copies = [copy for laptop in laptops.values() for copy in laptop.copies]
            shuffled = copies * repeats
            rng.shuffle(shuffled)  # noon copies after evening ones, twice, in any order
            # first as a sync tool delivers them (each copy as it was made), then any order
            copies = copies + shuffled
            with Store.open(folder / "central.db") as central:
                for copy in copies:
                    central.merge([copy])
                got = tallies(central)
        finally:
            for laptop in laptops.values():
                laptop.store.close()
    assert got == expected
