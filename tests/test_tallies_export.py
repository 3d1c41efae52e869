"""Tallies (counting with filters) and export (CSV for Dutch Excel, JSON)."""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import re
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.core.export import (
    CONVERSATIONS_HEADER,
    CSV_HEADER,
    REFERRALS_CSV_HEADER,
    SIGNALS_HEADER,
    ExportError,
    export,
    neutralise,
    per_visit_cell,
    referrals_path,
)
from kiosk.core.store import Store
from kiosk.core.summary import per_visit_words, session_rows, session_summary, statement_words
from kiosk.core.tallies import (
    Counts,
    ReferralCount,
    Tallies,
    TallyRow,
    VisitCount,
    tallies,
)
from tests.test_store import v1_database

TEXTS = {"s1": "Ik vind formulieren invullen lastig", "s2": "Ik betaal graag met mijn telefoon"}


def text(statement_id: str) -> str:
    return TEXTS.get(statement_id, statement_id)


class SettableClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0)

    def __call__(self) -> datetime:
        return self.now


def fill(store: Store, clock: SettableClock) -> None:
    """Three sessions on three days at two locations (3, all and 1 statements per visit)."""
    clock.now = datetime(2026, 3, 2, 10, 7)
    markt = store.start_session("Markt Zwolle", "markt", per_visit=3)
    first = store.start_visit(markt)
    store.record_answer(first, "s1", "eens")
    store.record_answer(first, "s2", "oneens")
    second = store.start_visit(markt)
    store.record_answer(second, "s1", "eens")
    store.record_answer(second, "s2", "weet_niet")
    store.finish_visit(second, ["c1"])
    store.add_staff_tally(markt, "s1", "oneens", count=3)

    clock.now = datetime(2026, 3, 5, 23, 50)  # answers after midnight count for the session's day
    bieb = store.start_session("Bibliotheek", "bibliotheek")
    clock.now = datetime(2026, 3, 6, 0, 20)
    store.record_answer(store.start_visit(bieb), "s1", "oneens")

    clock.now = datetime(2026, 3, 9, 13, 0)
    later = store.start_session("Markt Zwolle", "markt", per_visit=1)
    store.record_answer(store.start_visit(later), "s2", "eens")


@pytest.fixture
def store(tmp_path: Path):
    clock = SettableClock()
    with Store.open(tmp_path / "kiosk.db", clock=clock) as opened:
        fill(opened, clock)
        yield opened


ALL_ROWS = (
    TallyRow("Bibliotheek", "2026-03-05", "s1", touch=Counts(0, 1, 0)),
    TallyRow("Markt Zwolle", "2026-03-02", "s1", touch=Counts(2, 0, 0), staff=Counts(0, 3, 0)),
    TallyRow("Markt Zwolle", "2026-03-02", "s2", touch=Counts(0, 1, 1)),
    TallyRow("Markt Zwolle", "2026-03-09", "s2", touch=Counts(1, 0, 0)),
)
ALL_VISITS = (
    VisitCount("Bibliotheek", "2026-03-05", 1, 0),
    VisitCount("Markt Zwolle", "2026-03-02", 2, 1),
    VisitCount("Markt Zwolle", "2026-03-09", 1, 0),
)


BIEB_5 = ("Bibliotheek", "2026-03-05")
MARKT_2 = ("Markt Zwolle", "2026-03-02")
MARKT_9 = ("Markt Zwolle", "2026-03-09")


# -- tallies -------------------------------------------------------------------


def test_tallies_count_per_location_day_and_statement(store: Store) -> None:
    result = tallies(store)
    assert result.rows == ALL_ROWS
    assert result.visits == ALL_VISITS
    assert result.rows[1].answers == Counts(2, 3, 0)
    totals = result.totals
    assert totals.touch == Counts(3, 2, 1)
    assert totals.staff == Counts(0, 3, 0)
    assert totals.answers.total == 9
    assert (totals.visits, totals.completed) == (4, 1)


@pytest.mark.parametrize(
    ("since", "until", "location", "groups"),
    [
        (date(2026, 3, 5), None, None, [BIEB_5, MARKT_9]),
        (None, date(2026, 3, 5), None, [BIEB_5, MARKT_2]),  # inclusive
        (date(2026, 3, 5), date(2026, 3, 5), None, [BIEB_5]),
        (None, None, "Markt Zwolle", [MARKT_2, MARKT_9]),
        (None, None, "Markt", []),  # exact match only
        (date(2026, 3, 3), date(2026, 3, 4), None, []),
        (date(2026, 3, 1), date(2026, 3, 9), "Markt Zwolle", [MARKT_2, MARKT_9]),
    ],
)
def test_tallies_filters(store: Store, since, until, location, groups) -> None:
    result = tallies(store, since=since, until=until, location=location)
    assert result.groups() == groups
    assert result.rows == tuple(r for r in ALL_ROWS if (r.location, r.date) in groups)
    assert result.visits == tuple(v for v in ALL_VISITS if (v.location, v.date) in groups)
    assert (result.since, result.until, result.location) == (since, until, location)


def test_tallies_list_the_sessions_with_their_statements_per_visit(store: Store) -> None:
    result = tallies(store)
    assert [(s.location, s.date, s.per_visit, s.visits, s.completed) for s in result.sessions] == [
        ("Markt Zwolle", "2026-03-02", 3, 2, 1),
        ("Bibliotheek", "2026-03-05", None, 1, 0),
        ("Markt Zwolle", "2026-03-09", 1, 1, 0),
    ]
    assert result.sessions[1].started == "2026-03-05T23:45"
    assert result.per_visit(*MARKT_2) == (3,)
    assert result.per_visit(*BIEB_5) == (None,)
    assert result.per_visit("Nergens", "2026-03-02") == ()
    filtered = tallies(store, location="Markt Zwolle", since=date(2026, 3, 3))
    assert [s.per_visit for s in filtered.sessions] == [1]


def test_sessions_of_one_day_that_differ_show_both(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db", clock=lambda: datetime(2026, 3, 2, 10, 0)) as store:
        for per_visit in (None, 5, 3, 3):
            visit = store.start_visit(store.start_session("Markt", per_visit=per_visit))
            store.record_answer(visit, "s1", "eens")
        result = tallies(store)
        export(result, text, "csv", tmp_path / "t.csv")
    assert result.per_visit("Markt", "2026-03-02") == (3, 5, None)
    table = read_csv(tmp_path / "t.csv")
    assert table[1][table[0].index("zinnen per bezoek")] == "3, 5, alle"
    assert [per_visit_cell(v) for v in ((3,), (None,), (), (1, None))] == [3, "alle", "", "1, alle"]


def test_tallies_read_a_version_1_file_without_upgrading_it(tmp_path: Path) -> None:
    """An older kiosk's file read as it is (read-only): its sessions asked every statement."""
    path = tmp_path / "old.db"
    data = v1_database(path)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        result = tallies(conn)
    assert [(s.session_id, s.per_visit, s.visits, s.completed) for s in result.sessions] == [
        (data["session"][0][0], None, 2, 1)]
    assert result.totals.answers.total == 3


def test_session_summary_and_rows_know_the_statements_per_visit(store: Store) -> None:
    content = load_content(paths.default_content_dir())
    rows = session_rows(store)
    assert [(r.location, r.per_visit) for r in rows] == [
        ("Markt Zwolle", 3), ("Bibliotheek", None), ("Markt Zwolle", 1)]
    assert [session_summary(store, r.session_id, content).per_visit for r in rows] == [3, None, 1]
    assert [per_visit_words(r.per_visit) for r in rows] == [
        "3 zinnen per bezoek", "alle zinnen per bezoek", "1 zin per bezoek"]
    assert statement_words(5) == "5 zinnen"


def test_tallies_accept_a_database_or_a_connection(store: Store) -> None:
    assert tallies(store.db).rows == ALL_ROWS
    with closing(sqlite3.connect(store.path)) as conn:
        assert tallies(conn).rows == ALL_ROWS


def test_tallies_of_an_empty_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as empty:
        result = tallies(empty)
    assert (result.rows, result.visits, result.groups()) == ((), (), [])
    assert result.totals.answers.total == 0


# -- CSV -----------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""),
                           delimiter=";"))


def test_csv_is_for_dutch_excel(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "tallies.csv"
    export(tallies(store), text, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[-1] == ""  # every line ends in CRLF
    assert all("\n" not in line for line in lines)
    assert lines[0] == ";".join([*CSV_HEADER, "uitvoer"])
    assert lines[0].startswith("plek;datum;stelling;tekst;thema;eens;% eens;oneens;% oneens;"
                               "weet niet;% weet niet;totaal")
    # Numbers stay numbers: not quoted. No content given: no theme; percentages of the row.
    assert lines[2] == (
        "Markt Zwolle;2026-03-02;s1;Ik vind formulieren invullen lastig;;2;40;3;60;0;0;5;2;3;2;3;"
        "Geen;intern"
    )
    table = read_csv(out)
    assert table[0] == [*CSV_HEADER, "uitvoer"]
    assert [row[:3] for row in table[1:]] == [
        ["Bibliotheek", "2026-03-05", "s1"], ["Markt Zwolle", "2026-03-02", "s1"],
        ["Markt Zwolle", "2026-03-02", "s2"], ["Markt Zwolle", "2026-03-09", "s2"],
    ]
    assert table[3][5:-1] == ["0", "0", "1", "50", "1", "50", "2", "2", "0", "2", "3", "Geen"]
    assert table[0][-3:] == ["zinnen per bezoek", "aanpak", "uitvoer"]
    assert [row[-3] for row in table[1:]] == ["alle", "3", "3", "1"]  # per the row's sessions
    assert {row[-1] for row in table[1:]} == {"intern"}  # exact counts: the internal export


def one_row(location: str, statement_text: str = "Tekst") -> tuple[Tallies, dict[str, str]]:
    rows = (TallyRow(location, "2026-03-02", "s1", touch=Counts(1, 2, 3)),)
    return Tallies(rows, (VisitCount(location, "2026-03-02", 6, 5),)), {"s1": statement_text}


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formulas_in_location_and_text(tmp_path: Path, first: str) -> None:
    location = f'{first}HYPERLINK("http://evil.example","klik")'
    data, texts = one_row(location, statement_text=f"{first}1+1")
    out = tmp_path / "tallies.csv"
    export(data, texts.__getitem__, "csv", out)
    row = read_csv(out)[1]
    assert row[0] == "'" + location
    assert row[3] == f"'{first}1+1"
    # no sessions: statements per visit unknown
    assert row[5:] == ["1", "17", "2", "33", "3", "50", "6", "6", "0", "6", "", "", "intern"]


def test_csv_leaves_harmless_cells_alone(tmp_path: Path) -> None:
    data, texts = one_row("Wijkcentrum 't Hofje; zaal 2")
    out = tmp_path / "tallies.csv"
    export(data, texts.__getitem__, "csv", out)
    assert read_csv(out)[1][0] == "Wijkcentrum 't Hofje; zaal 2"  # quoted by csv, not changed
    assert neutralise("Markt") == "Markt"
    assert neutralise("") == ""
    assert neutralise("-5") == "'-5"


def test_csv_end_to_end_from_a_staff_typed_location(tmp_path: Path) -> None:
    with Store.open(tmp_path / "kiosk.db") as store:
        visit = store.start_visit(store.start_session("=cmd|' /C calc'!A0", "markt"))
        store.record_answer(visit, "s1", "eens")
        export(tallies(store), text, "csv", tmp_path / "out.csv")
    assert read_csv(tmp_path / "out.csv")[1][0] == "'=cmd|' /C calc'!A0"


# -- JSON ----------------------------------------------------------------------


def test_json_structure(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "tallies.json"
    data = tallies(store, since=date(2026, 3, 1), location="Markt Zwolle")
    export(data, text, "json", out, generated=date(2026, 4, 1))
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("{\n  ")  # indented
    document = json.loads(raw)
    assert document["generated"] == "2026-04-01"
    assert document["filters"] == {"since": "2026-03-01", "until": None, "location": "Markt Zwolle"}
    assert [(g["location"], g["date"], g["visits"], g["completed_visits"])
            for g in document["groups"]] == [
        ("Markt Zwolle", "2026-03-02", 2, 1), ("Markt Zwolle", "2026-03-09", 1, 0)
    ]
    s1 = document["groups"][0]["statements"][0]
    assert document["metadata"]["audience"] == "intern"
    assert document["metadata"]["rounding"] == "exact"
    assert s1 == {
        "id": "s1", "text": TEXTS["s1"], "theme": "", "theme_name": "",
        "eens": 2, "oneens": 3, "weet_niet": 0, "total": 5,
        "touch": {"eens": 2, "oneens": 0, "weet_niet": 0, "total": 2},
        "staff": {"eens": 0, "oneens": 3, "weet_niet": 0, "total": 3},
    }
    totals = document["totals"]
    assert (totals["total"], totals["visits"], totals["completed_visits"]) == (8, 3, 1)
    assert totals["staff"]["total"] == 3
    first, later = document["sessions"]
    assert first == {
        "id": first["id"], "location": "Markt Zwolle", "date": "2026-03-02",
        "place_kind": "markt", "statement_set": "", "started": "2026-03-02T10:00",
        "ended": None, "per_visit": 3, "visits": 2, "completed_visits": 1,
        "approach": "geen", "approach_name": "Geen",
    }
    assert (later["date"], later["per_visit"]) == ("2026-03-09", 1)


def test_json_per_visit_is_null_for_every_statement(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    export(tallies(store, location="Bibliotheek"), text, "json", out)
    assert [s["per_visit"] for s in json.loads(out.read_text(encoding="utf-8"))["sessions"]] == [
        None]
    assert '"per_visit": null' in out.read_text(encoding="utf-8")


def test_json_keeps_non_ascii_text(tmp_path: Path) -> None:
    data, texts = one_row("Café De Zwaan")
    export(data, texts.__getitem__, "json", tmp_path / "t.json")
    assert "Café De Zwaan" in (tmp_path / "t.json").read_text(encoding="utf-8")


# -- writing -------------------------------------------------------------------


def test_export_replaces_atomically_and_leaves_no_temp_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "tallies.csv"
    out.write_text("old")
    export(tallies(store), text, "csv", out)
    export(tallies(store), text, "json", folder / "tallies.json")
    assert sorted(p.name for p in folder.iterdir()) == [
        "tallies-gesprekken.csv", "tallies-signalen.csv", "tallies-verwijzingen.csv",
        "tallies.csv", "tallies.json"]
    assert read_csv(out)[0] == [*CSV_HEADER, "uitvoer"]
    umask = os.umask(0o022)
    os.umask(umask)
    for path in folder.iterdir():  # not the temporary file's 0600
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


def test_export_to_a_missing_folder_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "nope" / "tallies.csv"
    with pytest.raises(ExportError, match="bestaat niet") as error:
        export(tallies(store), text, "csv", out)
    assert str(out.parent) in str(error.value)


def test_export_rejects_an_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="csv"):
        export(tallies(store), text, "xlsx", tmp_path / "t.xlsx")  # type: ignore[arg-type]


# -- referrals -----------------------------------------------------------------


@pytest.fixture
def referred(tmp_path: Path):
    """Two sessions: four referrals at the market (one printed), two at the library."""
    clock = SettableClock()
    with Store.open(tmp_path / "referrals.db", clock=clock) as opened:
        markt = opened.start_session("Markt", "markt")
        first = opened.finish_visit(opened.start_visit(markt), ["digisterker", "geldfit"])
        opened.mark_printed(first[0])
        opened.finish_visit(opened.start_visit(markt), ["digisterker"])
        opened.finish_visit(opened.start_visit(markt), ["taalhuis"], qr_shown=False)
        clock.now = datetime(2026, 3, 9, 10, 0)
        bieb = opened.start_session("Bibliotheek", "bibliotheek")
        later = opened.finish_visit(opened.start_visit(bieb), ["geldfit", "=HYPERLINK(1)"])
        opened.mark_printed(later[0])
        opened.mark_printed(later[1])
        yield opened


COURSE_NAMES = {"digisterker": "Digisterker", "geldfit": "Geldfit", "taalhuis": "Taalhuis"}


def test_referrals_per_course_with_filters(referred: Store) -> None:
    assert tallies(referred).referrals == (
        ReferralCount("=HYPERLINK(1)", 1, 1, 1),
        ReferralCount("digisterker", 2, 2, 1),
        ReferralCount("geldfit", 2, 2, 1),
        ReferralCount("taalhuis", 1, 0, 0),
    )
    assert tallies(referred, location="Markt").referrals == (
        ReferralCount("digisterker", 2, 2, 1),
        ReferralCount("geldfit", 1, 1, 0),
        ReferralCount("taalhuis", 1, 0, 0),
    )
    assert tallies(referred, since=date(2026, 3, 10)).referrals == ()


def test_referrals_in_json(referred: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    written = export(tallies(referred, location="Bibliotheek"), text, "json", out,
                     course_name=lambda c: COURSE_NAMES.get(c, c))
    assert written == [out]
    assert json.loads(out.read_text(encoding="utf-8"))["referrals"] == [
        {"course": "=HYPERLINK(1)", "name": "=HYPERLINK(1)", "suggested": 1, "qr_shown": 1,
         "printed": 1},
        {"course": "geldfit", "name": "Geldfit", "suggested": 1, "qr_shown": 1, "printed": 1},
    ]


def test_referrals_csv_is_a_second_file(referred: Store, tmp_path: Path) -> None:
    out = tmp_path / "tallies.csv"
    written = export(tallies(referred), text, "csv", out,
                     course_name=lambda c: COURSE_NAMES.get(c, c))
    second = tmp_path / "tallies-verwijzingen.csv"
    assert written == [out, second, tmp_path / "tallies-gesprekken.csv",
                       tmp_path / "tallies-signalen.csv"]
    assert second.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_csv(second) == [
        [*REFERRALS_CSV_HEADER, "uitvoer"],
        ["'=HYPERLINK(1)", "'=HYPERLINK(1)", "1", "1", "1", "intern"],  # never a formula
        ["digisterker", "Digisterker", "2", "2", "1", "intern"],
        ["geldfit", "Geldfit", "2", "2", "1", "intern"],
        ["taalhuis", "Taalhuis", "1", "0", "0", "intern"],
    ]
    assert read_csv(out)[0] == [*CSV_HEADER, "uitvoer"]  # the answers file keeps its columns
    assert referrals_path(tmp_path / "export") == tmp_path / "export-verwijzingen.csv"


def test_referrals_of_an_empty_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as empty:
        result = tallies(empty)
    assert result.referrals == ()
    export(result, text, "csv", tmp_path / "t.csv")
    assert read_csv(tmp_path / "t-verwijzingen.csv") == [[*REFERRALS_CSV_HEADER, "uitvoer"]]
    assert read_csv(tmp_path / "t-gesprekken.csv") == [[*CONVERSATIONS_HEADER, "uitvoer"]]
    assert read_csv(tmp_path / "t-signalen.csv") == [[*SIGNALS_HEADER, "vrije tekst", "uitvoer"]]


# -- conversations and signals -----------------------------------------------------


@pytest.fixture
def logged(tmp_path: Path):
    """Conversations and signals at two places; free texts typed by staff; one row merged in
    from another laptop with a text today's kiosk refuses (markup)."""
    clock = SettableClock()
    with Store.open(tmp_path / "logged.db", clock=clock) as opened:
        markt = opened.start_session("Markt Zwolle", "markt")
        opened.log_conversation(markt, "digitaal", "partner", "digitaal-hulpplein")
        opened.log_conversation(markt, "digitaal", "partner", "digitaal-hulpplein")
        opened.log_conversation(markt)
        opened.log_signal(markt, "website-gemeente")
        opened.log_signal(markt, "anders", "=1+1 vroeg iemand bij de balie")
        clock.now = datetime(2026, 3, 9, 14, 20)
        bieb = opened.start_session("=Bibliotheek", "bibliotheek")
        opened.log_conversation(bieb, "geld", "course", "geldfit")
        opened.log_signal(bieb, "geldzorgen")
        opened.log_signal(bieb, "geldzorgen")
        opened.db.execute(
            "INSERT INTO signal (id, session_id, at, kind, text) VALUES (?, ?, ?, ?, ?)",
            ["merged-1", bieb, "2026-03-09T14:15", "anders", "<b>x</b>"])
        yield opened


@pytest.fixture(scope="module")
def content():
    return load_content(paths.default_content_dir())


def test_tallies_list_conversations_and_signals_with_place_and_date(logged: Store) -> None:
    result = tallies(logged)
    first = result.conversations[0]  # by location, then session start and time
    assert (first.location, first.place_kind, first.date, first.at, first.topic,
            first.referred_kind, first.referred_to) == (
        "=Bibliotheek", "bibliotheek", "2026-03-09", "2026-03-09T14:15", "geld", "course",
        "geldfit")
    assert sorted((c.location, c.topic) for c in result.conversations) == [
        ("=Bibliotheek", "geld"), ("Markt Zwolle", ""), ("Markt Zwolle", "digitaal"),
        ("Markt Zwolle", "digitaal")]
    assert sorted((s.location, s.kind, s.text) for s in result.signals) == [
        ("=Bibliotheek", "anders", "<b>x</b>"), ("=Bibliotheek", "geldzorgen", ""),
        ("=Bibliotheek", "geldzorgen", ""), ("Markt Zwolle", "anders",
                                              "=1+1 vroeg iemand bij de balie"),
        ("Markt Zwolle", "website-gemeente", "")]
    filtered = tallies(logged, location="Markt Zwolle")
    assert len(filtered.conversations) == 3
    assert len(filtered.signals) == 2
    assert tallies(logged, since=date(2026, 3, 10)).signals == ()


def test_tallies_of_a_file_from_before_conversations(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v1_database(path)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        result = tallies(conn)
        assert session_rows(conn)[0].conversations == 0
    assert (result.conversations, result.signals) == ((), ())


def test_conversations_and_signals_csv_use_names_and_stay_literal(
    logged: Store, content, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    written = export(tallies(logged), content.statement_text, "csv", out, content=content)
    conversations, signals = tmp_path / "export-gesprekken.csv", tmp_path / "export-signalen.csv"
    assert written[2:] == [conversations, signals]
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        assert b"\r\n" in path.read_bytes()
    assert read_csv(conversations) == [
        [*CONVERSATIONS_HEADER, "uitvoer"],
        ["'=Bibliotheek", "Bibliotheek", "2026-03-09", "Geld", "cursus",
         content.course_name("geldfit"), "1", "intern"],
        ["Markt Zwolle", "Markt", "2026-03-02", "Digitaal", "partner", "Digitaal Hulpplein",
         "2", "intern"],
        ["Markt Zwolle", "Markt", "2026-03-02", "", "", "", "1", "intern"],
    ]
    assert read_csv(signals) == [
        [*SIGNALS_HEADER, "vrije tekst", "uitvoer"],
        ["'=Bibliotheek", "Bibliotheek", "2026-03-09", "Geldzorgen", "2", "", "intern"],
        ["'=Bibliotheek", "Bibliotheek", "2026-03-09", "Anders", "1", "<b>x</b>", "intern"],
        ["Markt Zwolle", "Markt", "2026-03-02", "Website van de gemeente te moeilijk", "1", "",
         "intern"],
        ["Markt Zwolle", "Markt", "2026-03-02", "Anders", "1",
         "'=1+1 vroeg iemand bij de balie", "intern"],  # neutralised: never a formula
    ]
    for path in written:  # no internal ids (UUIDs) in any CSV file
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", path.read_text(encoding="utf-8-sig"))


def test_conversations_and_signals_json_keep_ids_and_texts(
    logged: Store, content, tmp_path: Path
) -> None:
    out = tmp_path / "t.json"
    export(tallies(logged), content.statement_text, "json", out, content=content)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["metadata"]["audience"] == "intern"
    assert document["metadata"]["free_text"] is True
    assert document["totals"]["conversations"] == 4
    assert document["totals"]["signals"] == 5
    first = document["conversations"][0]
    assert set(first) == {"id", "session", "location", "place_kind", "date", "at", "topic",
                          "topic_name", "referred_kind", "referred_to", "referred_name"}
    assert (first["topic_name"], first["referred_name"]) == (
        "Geld", content.course_name("geldfit"))
    texts = {s["text"] for s in document["signals"] if s["kind"] == "anders"}
    assert texts == {"<b>x</b>", "=1+1 vroeg iemand bij de balie"}  # literal, as typed
    assert {s["name"] for s in document["signals"]} >= {"Anders", "Geldzorgen"}
    assert "merged-1" in {s["id"] for s in document["signals"]}


def test_percentages_and_the_courses_per_visit() -> None:
    from kiosk.core.export import COURSES_PER_VISIT, percent
    from kiosk.core.model import Content
    from kiosk.core.visit import Visit

    assert [percent(n, 8) for n in (0, 1, 3, 4, 8)] == [0, 13, 38, 50, 100]
    assert percent(1, 0) is None
    assert percent(3, 10) == 30
    for function in (Visit.suggestions, Content.suggest):
        assert inspect.signature(function).parameters["limit"].default == COURSES_PER_VISIT
