"""One rulebook, proved: whatever the kiosk accepts on the way in, the coordinator's
merge accepts too, row for row.

Hypothesis generates what the input side takes: place names of any printable Unicode
up to the limit (accents, emoji, right-to-left scripts, & and quotes), "Anders" texts
staff may type, and a laptop clock that jumps back and forth (summer time, an NTP
correction, a laptop that thinks it is 2000). The laptop stores them through the
store's own methods; its snapshot is merged into a coordinator, which must then hold
exactly the laptop's rows: nothing refused, nothing repaired, nothing lost.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core import rules
from kiosk.core.freetext import free_text_problem
from kiosk.core.model import ANSWERS, PLACE_KINDS
from kiosk.core.store import MERGED_TABLES, Store

#: Every printable character (the rulebook's own definition), any script.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
NAMES = st.text(PRINTABLE, min_size=1, max_size=rules.MAX_NAME + 5).filter(
    lambda name: rules.name_problem(name) is None)
FREE_TEXTS = st.text(PRINTABLE, min_size=1, max_size=150).filter(
    lambda text: free_text_problem(text) is None)
#: Clock jumps in minutes: back an hour, forward an hour, a few minutes, back to 2000.
JUMPS = st.one_of(st.sampled_from([-60, 60, -15, 15, -7 * 24 * 60]),
                  st.integers(-180, 180), st.just("2000"))
STEPS = st.lists(st.tuples(st.sampled_from(["visit", "answer", "finish", "tally",
                                            "conversation", "signal", "end"]),
                           JUMPS, st.sampled_from(ANSWERS)), max_size=12)


class JumpingClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 10, 25, 2, 40)

    def jump(self, minutes: int | str) -> None:
        if minutes == "2000":
            self.now = datetime(2000, 1, 1, 0, 5)
        else:
            self.now += timedelta(minutes=minutes)

    def __call__(self) -> datetime:
        return self.now


def everything(store: Store) -> dict[str, list[tuple]]:
    return {table: sorted(store.db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in MERGED_TABLES}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(name=NAMES, kind=st.sampled_from(PLACE_KINDS), text=FREE_TEXTS, steps=STEPS)
def test_what_the_kiosk_stores_the_coordinator_merges_row_for_row(
        name: str, kind: str, text: str, steps: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = JumpingClock()
        laptop = Store.open(Path(folder) / "laptop" / "kiosk.db", clock=clock)
        session = laptop.start_session(name, kind, "taalhuis", per_visit=3)
        visit = None
        for action, jump, answer in steps:
            clock.jump(jump)
            if action == "visit" or (action in ("answer", "finish") and visit is None):
                visit = laptop.start_visit(session)
            elif action == "answer":
                laptop.record_answer(visit, "digid", answer)
            elif action == "finish":
                laptop.finish_visit(visit, ["digisterker", "klik-en-tik"], completed=False)
                visit = None
            elif action == "tally":
                laptop.add_staff_tally(session, "formulieren", answer, 2)
            elif action == "conversation":
                laptop.log_conversation(session, "digitaal", "partner", "bibliotheek-west")
            elif action == "signal":
                laptop.log_signal(session, "anders", text)
            elif action == "end":
                laptop.end_session(session)
        copy = laptop.snapshot(Path(folder) / "outbox")
        expected = everything(laptop)
        laptop.close()

        with Store.open(Path(folder) / "central" / "kiosk.db") as central:
            own = central.kiosk_id
            report = central.merge([copy.parent])
            merged = everything(central)
        assert not report.failed, str(report)
        assert not any(report.repaired[copy].values())
        merged["kiosk"] = [row for row in merged["kiosk"] if row[0] != own]
        assert merged == expected
