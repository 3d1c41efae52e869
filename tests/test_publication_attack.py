"""The public outputs, attacked as a reader with a pencil would (issue 18).

The attack is differencing by interval propagation: every exact count the output
breaks down is an unknown with a lower and an upper bound (from what is printed, and
>= 0), every sum the output prints or that is inherent (a row is the sum of its cells,
a total the sum over places, dates and statements, screen + staff = all, the same rows
broken down two ways add up to the same total) is an equality, and the bounds are
tightened again and again until nothing changes. A cell whose interval shrinks to one
value has been worked back.

- Against the OLD rule ("<5" beside exact totals) the attack works: the issue's example
  (eens <5, oneens 7, weet niet 0, total 9) gives eens = 2.
- Against publication control (:mod:`kiosk.core.publication`) it finds nothing, over
  random data sets made with the real store and written by the real export functions:
  as a reader of the public JSON and CSV (with its side files), and as an insider who
  knows the rounding and the order of the atoms (every running sum within 2 of a
  multiple of 5).
- The report reads its numbers from :func:`kiosk.core.publication.publish`
  (``test_report.py``); here its first page and the public workbook are checked too.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kiosk.app import Options, load_content
from kiosk.core.export import (
    Labels,
    conversations_to_csv,
    percent,
    referrals_to_csv,
    signals_to_csv,
    to_csv,
    to_json,
)
from kiosk.core.places import compare_places
from kiosk.core.publication import MAX_ERROR, STEP, controlled_round, publish
from kiosk.core.store import Store
from kiosk.core.summary import session_rows
from kiosk.core.tallies import Tallies, tallies
from kiosk.core.xlsx import export_xlsx
from kiosk.gui.report import build_report
from tests.conftest import run_kiosk

INFINITE = 10**9
ANSWERS = ("eens", "oneens", "weet_niet")
SOURCES = ("touch", "staff")
STATEMENTS = ("digid", "formulieren", "computer", "bijsluiter")
PLACES = (("Weekmarkt", "markt"), ("Zwembad", "zwembad"), ("Bieb", "bibliotheek"))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# -- the attack: interval propagation over linear equalities ---------------------------


class Attack:
    """Unknowns with integer bounds, equalities ``total = sum(parts)``, tightened to a
    fixpoint."""

    def __init__(self) -> None:
        self.low: dict[Any, int] = {}
        self.high: dict[Any, int] = {}
        self.sums: list[tuple[Any, list[Any]]] = []
        #: Sums over nothing (no rows at all): 0 by the output's shape, not a count.
        self.empty: set[Any] = set()

    def unknown(self, name: Any, low: int = 0, high: int = INFINITE) -> Any:
        if name in self.low:
            self.bound(name, low, high)
        else:
            self.low[name], self.high[name] = max(0, low), high
        return name

    def bound(self, name: Any, low: int, high: int) -> None:
        self.low[name] = max(self.low[name], low)
        self.high[name] = min(self.high[name], high)

    def equal(self, total: Any, parts: Iterable[Any]) -> None:
        parts = list(parts)
        if not parts:
            self.empty.add(total)
        self.sums.append((total, parts))

    def run(self) -> None:
        for _round in range(10_000):
            changed = False
            for total, parts in self.sums:
                low = sum(self.low[p] for p in parts)
                high = sum(self.high[p] for p in parts)
                if low > self.low[total] or high < self.high[total]:
                    self.bound(total, low, high)
                    changed = True
                for part in parts:
                    others_low = low - self.low[part]
                    others_high = high - self.high[part]
                    new_low = self.low[total] - others_high
                    new_high = self.high[total] - others_low
                    if new_low > self.low[part] or new_high < self.high[part]:
                        self.bound(part, new_low, new_high)
                        low = sum(self.low[p] for p in parts)
                        high = sum(self.high[p] for p in parts)
                        changed = True
            assert all(self.low[n] <= self.high[n] for n in self.low), "no solution: unsound"
            if not changed:
                return
        raise AssertionError("no fixpoint")

    def pinned(self, names: Iterable[Any]) -> dict[Any, int]:
        grown = True
        while grown:  # a sum of sums over nothing is over nothing too
            before = len(self.empty)
            self.empty |= {t for t, parts in self.sums if set(parts) <= self.empty}
            grown = len(self.empty) > before
        return {n: self.low[n] for n in names
                if self.low[n] == self.high[n] and n not in self.empty}


def new_rule(value: Any, atoms: int = 1) -> tuple[int, int]:
    """What a published count says about the truth: each atom is within 4 of it, so a sum
    of ``atoms`` atoms within 4 * atoms (a run of consecutive atoms: within 4)."""
    assert isinstance(value, int), value
    assert value % STEP == 0, value
    return value - MAX_ERROR * atoms, value + MAX_ERROR * atoms


def old_rule(value: Any, atoms: int = 1) -> tuple[int, int]:
    """The old rule: "<5" is 1 to 4; a number is exact."""
    return (1, 4) if value == "<5" else (value, value)


# -- reading the outputs as the attacker ------------------------------------------------


def attack_json(document: dict, rule) -> tuple[Attack, dict[Any, Any]]:
    """Every relation the JSON publishes or implies. Returns the attack and, per unknown
    exact cell, its key (to compare with the truth)."""
    attack, cells = Attack(), {}

    def known(name: Any, value: Any, atoms: int = 1) -> Any:
        attack.unknown(name, *rule(value, atoms))
        return name

    totals = document["totals"]
    grand: dict[Any, list] = {(s, a): [] for s in SOURCES for a in ANSWERS}
    for g, group in enumerate(document["groups"]):
        for statement in group["statements"]:
            key = (group["location"], group["date"], statement["id"])
            for source in SOURCES:
                for answer in ANSWERS:
                    cell = known(("answer", *key, source, answer), statement[source][answer])
                    cells[cell] = cell
                    grand.setdefault((source, answer), []).append(cell)
                known(("touchtotal" if source == "touch" else "stafftotal", *key),
                      statement[source]["total"], 3)
                attack.equal(("touchtotal" if source == "touch" else "stafftotal", *key),
                             [("answer", *key, source, a) for a in ANSWERS])
            for answer in ANSWERS:
                known(("both", *key, answer), statement[answer], 2)
                attack.equal(("both", *key, answer),
                             [("answer", *key, s, answer) for s in SOURCES])
            known(("total", *key), statement["total"], 6)
            attack.equal(("total", *key), [("both", *key, a) for a in ANSWERS])
            attack.equal(("total", *key), [("touchtotal", *key), ("stafftotal", *key)])
        visits = known(("visits", g), group["visits"])
        done = known(("completed", g), group["completed_visits"], 10)
        attack.equal(visits, [done, attack.unknown(("not completed", g))])
    for (source, answer), parts in grand.items():
        name = known(("grand", source, answer), totals[source][answer], len(parts))
        attack.equal(name, parts)
    for answer in ANSWERS:
        name = known(("grand", answer), totals[answer], 2 * len(document["groups"]) * 4)
        attack.equal(name, [("grand", s, answer) for s in SOURCES])
    groups = range(len(document["groups"]))
    name = known("grand visits", totals["visits"], len(document["groups"]))
    attack.equal(name, [("visits", g) for g in groups])
    # the sessions break the same visits down another way
    by_group: dict[tuple, list] = {}
    for s, session in enumerate(document["sessions"]):
        assert "id" not in session
        cell = known(("session visits", s), session["visits"])
        cells[cell] = cell
        by_group.setdefault((session["location"], session["date"]), []).append(cell)
    for g, group in enumerate(document["groups"]):
        parts = by_group.get((group["location"], group["date"]), [])
        if parts:
            attack.equal(("visits", g), parts)
    for kind in ("conversations", "signals"):
        parts = []
        for i, entry in enumerate(document[kind]):
            cell = known((kind, i), entry["count"])
            cells[cell] = cell
            parts.append(cell)
        total = known((kind, "total"), totals[kind], 10**6)
        attack.equal(total, [*parts, attack.unknown((kind, "not listed"))])
    for referral in document["referrals"]:
        course = referral["course"]
        cell = known(("suggested", course), referral["suggested"])
        cells[cell] = cell
        for part in ("qr_shown", "printed"):
            known((part, course), referral[part], 2)
            attack.equal(cell, [(part, course), attack.unknown((part, "not", course))])
    return attack, cells


def truth_of_json(exact: Tallies, key: Any) -> int:
    """The exact value of an attacked JSON cell (for the cells kept in ``cells``)."""
    if key[0] == "answer":
        _kind, location, day, statement, source, answer = key
        row = next(r for r in exact.rows
                   if (r.location, r.date, r.statement_id) == (location, day, statement))
        return getattr(getattr(row, source), answer)
    raise KeyError(key)


def attack_csv(files: dict[str, str]) -> Attack:
    """The CSV export (and its side files) as an attacker reads them."""
    attack = Attack()

    def rows(text: str) -> list[dict[str, str]]:
        header, *body = list(csv.reader(io.StringIO(text), delimiter=";"))
        return [dict(zip(header, row, strict=True)) for row in body]

    by_group: dict[tuple, list] = {}
    for i, row in enumerate(rows(files["answers"])):
        assert row["uitvoer"] == "publiek"
        cells = {}
        for answer, column in zip(ANSWERS, ("eens", "oneens", "weet niet"), strict=True):
            cells[answer] = attack.unknown(("answer", i, answer), *new_rule(int(row[column]), 2))
            if int(row["totaal"]):
                assert int(row["% " + column]) == percent(int(row[column]), int(row["totaal"]))
        total = attack.unknown(("total", i), *new_rule(int(row["totaal"]), 6))
        attack.equal(total, cells.values())
        touch = attack.unknown(("touch", i), *new_rule(int(row["via scherm"]), 3))
        staff = attack.unknown(("staff", i), *new_rule(int(row["via medewerker"]), 3))
        attack.equal(total, [touch, staff])
        group = (row["plek"], row["datum"])
        attack.unknown(("visits", group), *new_rule(int(row["bezoeken"])))
        by_group.setdefault(group, []).append(total)
    for side in ("referrals", "conversations", "signals"):
        for i, row in enumerate(rows(files[side])):
            assert row["uitvoer"] == "publiek"
            for column, value in row.items():
                if column in ("voorgesteld", "QR-code getoond", "geprint", "aantal"):
                    attack.unknown((side, i, column), *new_rule(int(value)))
    return attack


# -- random data through the real store -------------------------------------------------


@st.composite
def data_sets(draw) -> list[dict]:
    """Sessions: place, day, hour, answers (touch and staff), conversations, signals."""
    small = st.integers(0, 12)
    sessions = []
    for _ in range(draw(st.integers(1, 5))):
        sessions.append({
            "place": draw(st.sampled_from(PLACES)),
            "day": draw(st.integers(0, 3)),
            "hour": draw(st.sampled_from((9, 11, 14, 19))),
            "visits": [[(s, draw(st.sampled_from(ANSWERS))) for s in STATEMENTS
                        if draw(st.booleans())] for _ in range(draw(st.integers(0, 8)))],
            "completed": draw(st.booleans()),
            "staff": [(s, a, draw(small)) for s in STATEMENTS for a in ANSWERS
                      if draw(st.integers(0, 3)) == 0],
            "conversations": draw(st.integers(0, 6)),
            "signals": [draw(st.sampled_from(("geldzorgen", "website-gemeente", "anders")))
                        for _ in range(draw(st.integers(0, 6)))],
            "printed": draw(st.booleans()),
        })
    return sessions


def build(db: Path, sessions: list[dict]) -> None:
    now = [datetime(2026, 3, 2)]
    with Store.open(db, clock=lambda: now[0]) as store:
        for plan in sessions:
            start = datetime(2026, 3, 2, plan["hour"]) + timedelta(days=plan["day"])
            now[0] = start
            (place, kind) = plan["place"]
            session = store.start_session(place, kind, "taalhuis")
            for index, answers in enumerate(plan["visits"]):
                now[0] = start + timedelta(minutes=20 * index)
                visit = store.start_visit(session)
                for statement, answer in answers:
                    store.record_answer(visit, statement, answer)
                referrals = store.finish_visit(visit, ["digisterker"] if index % 2 else
                                               ["taalhuis", "digisterker"],
                                               qr_shown=index % 3 != 0,
                                               completed=plan["completed"] or index % 2 == 0)
                if plan["printed"] and referrals:
                    store.mark_printed(referrals[0])
            for statement, answer, count in plan["staff"]:
                if count:
                    store.add_staff_tally(session, statement, answer, count)
            for index in range(plan["conversations"]):
                if index % 2:
                    store.log_conversation(session, "digitaal", "partner", "digitaal-hulpplein")
                else:
                    store.log_conversation(session)
            for signal in plan["signals"]:
                store.log_signal(session, signal, "iets" if signal == "anders" else "")
            now[0] = start + timedelta(hours=3)
            store.end_session(session)


def exact_tallies(db: Path) -> Tallies:
    with closing(sqlite3.connect(db)) as conn:
        return tallies(conn)


def same_rows_add_up_the_same(published, exact_places) -> None:
    """Tables that break the same rows down differently (per place, kind of place, part of
    the day, weekday, session, place and day) add up to the same published totals."""
    places, counted = published.places, published.tallies
    for name in ("visits", "visits_with_eens", "referrals_shown", "referrals_printed",
                 "conversations", "signals"):
        totals = {group: sum(getattr(s, name) for s in rows) for group, rows in places.groups()}
        assert len(set(totals.values())) == 1, (name, totals)
        assert all(getattr(s, name) % STEP == 0 for _g, rows in places.groups() for s in rows)
    visits = places.total.visits
    assert visits == counted.totals.visits == sum(s.visits for s in published.sessions) \
        == sum(s.visits for s in counted.sessions)
    assert places.total.conversations == len(counted.conversations) \
        == sum(s.conversations for s in published.sessions)
    assert places.total.signals == len(counted.signals)
    assert places.total.referrals_shown == sum(r.qr_shown for r in counted.referrals)
    # staffed hours and sessions are not people: exact, as the internal table has them
    for group, rows in places.groups():
        exact_rows = dict(exact_places.groups())[group]
        assert [(s.name, s.sessions, s.staffed_minutes) for s in rows] == [
            (s.name, s.sessions, s.staffed_minutes) for s in exact_rows]


def insider_attack(published) -> None:
    """The strongest reader: knows the method and the order of the atoms, so knows every
    running sum to within 2 (C_k in [R_k - 2, R_k + 2]); every published number is a sum of
    published atoms, so that is all there is to know. No atom may be pinned."""
    for hierarchy in published.hierarchies.values():
        attack = Attack()
        before, running = None, 0
        for k, value in enumerate(hierarchy.published):
            running += value
            attack.unknown(("x", k))
            attack.unknown(("C", k), running - STEP // 2, running + STEP // 2)
            attack.equal(("C", k), [("x", k)] if before is None else [before, ("x", k)])
            before = ("C", k)
        if hierarchy.name == "answers":  # a printed row has at least one answer
            rows: dict[tuple, list] = {}
            for k, a in enumerate(hierarchy.attributes):
                rows.setdefault((a["location"], a["date"], a["statement"]), []).append(("x", k))
            for key, parts in rows.items():
                attack.equal(attack.unknown(("row", key), 1), parts)
        attack.run()
        assert attack.pinned(("x", k) for k in range(len(hierarchy.published))) == {}, \
            hierarchy.name
        # the truth is inside what the attacker knows (the rule is sound)
        running = 0
        for k, value in enumerate(hierarchy.exact):
            running += value
            assert attack.low[("C", k)] <= running <= attack.high[("C", k)]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data_sets())
def test_no_hidden_cell_comes_back_from_the_public_outputs(sessions: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "kiosk.db"
        build(db, sessions)
        with closing(sqlite3.connect(db)) as conn:
            exact = tallies(conn)
            places, rows = compare_places(conn), session_rows(conn)
    labels = Labels()
    published = publish(exact, labels.statement_key, places, rows)
    same_rows_add_up_the_same(published, places)

    # the public JSON, as a reader: nothing pinned that was not printed as it is
    text = to_json(exact, str, date(2026, 4, 1), publiek=True)
    assert not UUID.search(text)
    assert "<5" not in text
    document = json.loads(text)
    attack, cells = attack_json(document, new_rule)
    attack.run()
    for cell in cells:
        if cell[0] == "answer":  # the truth is inside the attacker's interval
            truth = truth_of_json(exact, cell)
            assert attack.low[cell] <= truth <= attack.high[cell], cell
    assert attack.pinned(attack.low) == {}

    # the public CSV and its side files
    files = {"answers": to_csv(exact, str, publiek=True),
             "referrals": referrals_to_csv(exact, publiek=True),
             "conversations": conversations_to_csv(exact, labels, publiek=True),
             "signals": signals_to_csv(exact, labels, publiek=True)}
    for name, text in files.items():
        assert "<5" not in text, name
        assert not UUID.search(text), name
    attack = attack_csv(files)
    attack.run()
    assert attack.pinned(attack.low) == {}

    # every published total is the sum of the published cells below it
    statements = [s for g in document["groups"] for s in g["statements"]]
    for answer in ANSWERS:
        assert document["totals"][answer] == sum(s[answer] for s in statements)
        for source in SOURCES:
            assert document["totals"][source][answer] == sum(s[source][answer]
                                                             for s in statements)
    assert document["totals"]["visits"] == sum(g["visits"] for g in document["groups"]) \
        == sum(s["visits"] for s in document["sessions"])
    assert document["totals"]["conversations"] == sum(
        c["count"] for c in document["conversations"])

    # the insider, on every hierarchy (answers, visits, referrals, conversations, signals)
    insider_attack(published)


def test_controlled_rounding_keeps_runs_within_four() -> None:
    values = [2, 1, 0, 4, 7, 3, 0, 0, 1, 12, 5]
    rounded = controlled_round(values)
    assert all(r % STEP == 0 and r >= 0 for r in rounded)
    assert [r for v, r in zip(values, rounded, strict=True) if v == 0] == [0, 0, 0]
    for start in range(len(values)):
        for stop in range(start + 1, len(values) + 1):
            assert abs(sum(rounded[start:stop]) - sum(values[start:stop])) <= MAX_ERROR


# -- the attack has teeth: the old rule gives counts away --------------------------------


def old_json(exact: Tallies) -> dict:
    """The public JSON as the old rule made it: 1 to 4 as "<5", everything else exact."""
    document = json.loads(to_json(exact, str, date(2026, 4, 1)))

    def hide(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: hide(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [hide(v, key) for v in node]
        if isinstance(node, int) and not isinstance(node, bool) and key != "per_visit":
            return "<5" if 0 < node < 5 else node
        return node

    document = hide(document)
    document["conversations"], document["signals"] = [], []  # internal lists: not attacked
    for session in document["sessions"]:
        del session["id"]
    return document


def test_the_attack_works_against_the_old_rule(tmp_path: Path) -> None:
    """The issue's example: eens <5, oneens 7, weet niet 0, total 9 -> eens is 2."""
    now = [datetime(2026, 3, 2, 10)]
    with Store.open(db := tmp_path / "kiosk.db", clock=lambda: now[0]) as store:
        session = store.start_session("Weekmarkt", "markt", "taalhuis")
        for answer in ["eens"] * 2 + ["oneens"] * 7:
            visit = store.start_visit(session)
            store.record_answer(visit, "formulieren", answer)
            store.finish_visit(visit, [])
        store.end_session(session)
    exact = exact_tallies(db)

    old = old_json(exact)
    statement = old["groups"][0]["statements"][0]
    assert (statement["eens"], statement["oneens"], statement["total"]) == ("<5", 7, 9)
    attack, cells = attack_json(old, old_rule)
    attack.run()
    key = ("answer", "Weekmarkt", "2026-03-02", "formulieren", "touch", "eens")
    assert attack.pinned([key]) == {key: 2}

    # the same attack on the new public JSON learns nothing exact
    attack, cells = attack_json(json.loads(to_json(exact, str, date(2026, 4, 1),
                                                   publiek=True)), new_rule)
    attack.run()
    assert attack.pinned(attack.low) == {}


def test_the_old_rule_gives_many_cells_away_on_a_small_data_set(tmp_path: Path) -> None:
    sessions = [
        {"place": place, "day": day, "hour": 10,
         "visits": [[(s, ANSWERS[(i + j + day) % 3]) for j, s in enumerate(STATEMENTS)
                     if (i + j) % (2 + day) == 0] for i in range(6)],
         "completed": True, "staff": [("digid", "eens", 3)], "conversations": 1,
         "signals": ["geldzorgen"], "printed": False}
        for place in PLACES for day in range(2)
    ]
    build(db := tmp_path / "kiosk.db", sessions)
    exact = exact_tallies(db)
    attack, cells = attack_json(old_json(exact), old_rule)
    attack.run()
    hidden = [c for c in cells if c[0] == "answer" and 0 < truth_of_json(exact, c) < 5]
    recovered = attack.pinned(hidden)
    assert len(recovered) >= 5  # with "<5" beside exact totals, hidden counts come back
    assert all(value == truth_of_json(exact, cell) for cell, value in recovered.items())

    attack, cells = attack_json(json.loads(to_json(exact, str, date(2026, 4, 1),
                                                   publiek=True)), new_rule)
    attack.run()
    assert attack.pinned(attack.low) == {}
    insider_attack(publish(exact))


def test_kiosk_export_publiek_on_the_command_line(tmp_path: Path) -> None:
    """One smoke test through the command line: the JSON a coordinator sends out."""
    build(tmp_path / "data" / "kiosk.db", [
        {"place": PLACES[0], "day": 0, "hour": 10,
         "visits": [[("digid", "eens")], [("digid", "oneens")], [("digid", "eens")]],
         "completed": True, "staff": [("digid", "oneens", 7)], "conversations": 2,
         "signals": ["geldzorgen"], "printed": True}])
    out = tmp_path / "publiek.json"
    made = run_kiosk("export", "--format", "json", "-o", str(out), "--data-dir",
                     str(tmp_path / "data"), "--publiek")
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert not UUID.search(text)
    assert "<5" not in text
    document = json.loads(text)
    assert document["metadata"]["rounding"].startswith("gecontroleerd afgerond")
    statement = document["groups"][0]["statements"][0]
    assert all(statement[k] % 5 == 0 for k in (*ANSWERS, "total"))
    assert statement["total"] == sum(statement[a] for a in ANSWERS)
    attack, _cells = attack_json(document, new_rule)
    attack.run()
    assert attack.pinned(attack.low) == {}


#: Columns of the workbook that are not counts of people or events.
NOT_COUNTS = {"sessies", "sessies zonder einde", "bemande uren", "bezoeken per uur",
              "zinnen per bezoek", "gesprekken per 10 bezoeken", "verwijzingen per 10 bezoeken"}


def test_the_public_report_and_workbook_print_the_published_numbers(
    qapp, tmp_path: Path
) -> None:
    """The report's first page (read back with pdftotext) and every count of the public
    workbook are the published numbers: multiples of 5, totals as their sums."""
    sessions = [
        {"place": place, "day": day, "hour": 10 + 4 * day,
         "visits": [[(s, ANSWERS[(i + j) % 3]) for j, s in enumerate(STATEMENTS)
                     if (i + j) % 3] for i in range(3 + day)],
         "completed": day == 0, "staff": [("digid", "oneens", 7)], "conversations": 3,
         "signals": ["geldzorgen", "anders"], "printed": True}
        for place in PLACES for day in range(2)
    ]
    data = tmp_path / "data"
    build(db := data / "kiosk.db", sessions)
    content = load_content(Options(data_dir=data), lambda message: None)
    with closing(sqlite3.connect(db)) as conn:
        exact = tallies(conn)
        published = publish(exact, Labels(content).statement_key, compare_places(conn),
                            session_rows(conn))
    counted = published.tallies

    pdf = tmp_path / "rapport.pdf"
    build_report(db, content, pdf, publiek=True)
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                    capture_output=True, text=True).stdout.split())
    assert "<5" not in words
    assert not UUID.search(words)
    totals = counted.totals
    for line in (f"Bezoekers bij de kiosk {totals.visits}",
                 f"Antwoorden, totaal {totals.answers.total}",
                 f"Gesprekken gevoerd (geteld door medewerkers) {len(counted.conversations)}",
                 f"Signalen genoteerd (door medewerkers) {len(counted.signals)}"):
        assert line in words
    assert totals.visits % STEP == totals.answers.total % STEP == 0

    out = tmp_path / "publiek.xlsx"
    with closing(sqlite3.connect(db)) as conn:
        export_xlsx(exact, content.statement_text, out, conn, content=content, publiek=True)
    workbook = load_workbook(out)
    for sheet in workbook.worksheets[1:]:
        header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        for row in rows:
            for name, value in zip(header, row, strict=True):
                assert value != "<5"
                assert not (isinstance(value, str) and UUID.search(value))
                if isinstance(value, int) and name not in NOT_COUNTS \
                        and not str(name).startswith("%"):
                    assert value % STEP == 0, (sheet.title, name, value)
    places = [dict(zip(header, row, strict=True)) for header, *body in
              [list(workbook["plekken"].iter_rows(values_only=True))] for row in body]
    for group in ("plek", "dagdeel", "weekdag", "soort plek"):
        assert sum(p["bezoeken"] for p in places if p["per"] == group) == totals.visits, group
