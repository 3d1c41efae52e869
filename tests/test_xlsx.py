"""The XLSX export: opened with openpyxl, its sums equal the database's; no formulas get in."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.app import Options, load_content
from kiosk.core import files as files_module
from kiosk.core.export import ExportError
from kiosk.core.model import Content
from kiosk.core.store import Store
from kiosk.core.tallies import tallies
from kiosk.core.xlsx import (
    LOCATION_HEADERS,
    REFERRAL_HEADERS,
    SESSION_HEADERS,
    STATEMENT_HEADERS,
    export_xlsx,
)

EVIL = "=HYPERLINK(\"http://x\",\"klik\")"


@pytest.fixture
def content(data_dir: Path) -> Content:
    return load_content(Options(data_dir=data_dir), lambda message: None)


def course_name(content: Content):
    return lambda course_id: (content.courses[course_id].name if course_id in content.courses
                              else course_id)


def fill(db: Path) -> None:
    now = [datetime(2026, 3, 5, 10, 10)]
    places = [("Weekmarkt", "markt", datetime(2026, 3, 5, 10, 10)),
              (EVIL, "anders", datetime(2026, 3, 12, 9, 0)),
              ("+31 markt\x01", "markt", datetime(2026, 4, 2, 14, 0)),
              ("Weekmarkt", "markt", datetime(2026, 4, 9, 10, 0))]
    answers = ("eens", "oneens", "weet_niet")
    with Store.open(db, clock=lambda: now[0]) as store:
        for number, (place, kind, moment) in enumerate(places):
            now[0] = moment
            session = store.start_session(place, kind, "taalhuis",
                                          per_visit=(3, None, 1, 5)[number])
            for index in range(4 + number * 3):
                visit = store.start_visit(session)
                for offset, statement in enumerate(("digid", "formulieren", "computer")):
                    store.record_answer(visit, statement, answers[(index + offset) % 3])
                if index % 2 == 0:
                    courses = ["digisterker", "taalhuis"][: 1 + index % 4 // 2]
                    ids = store.finish_visit(visit, courses)
                    if index % 4 == 0:
                        store.mark_printed(ids[0])
            store.add_staff_tally(session, "digid", "eens", 2 + number)
            store.end_session(session)


def column(sheet, header: str) -> list:
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def db_count(db: Path, sql: str, params: tuple = ()) -> int:
    with sqlite3.connect(db) as conn:
        value = conn.execute(sql, params).fetchone()[0]
    conn.close()
    return int(value or 0)


def test_every_sheet_sums_to_the_database(content: Content, data_dir: Path, tmp_path: Path):
    db = data_dir / "kiosk.db"
    fill(db)
    out = tmp_path / "tellingen.xlsx"
    with Store.open(db) as store:
        export_xlsx(tallies(store), content.statement_text, out, store,
                    course_name=course_name(content), generated=date(2026, 5, 1))
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["stellingen", "plekken", "sessies", "verwijzingen", "info"]
    statements, places = workbook["stellingen"], workbook["plekken"]
    sessions, referrals = workbook["sessies"], workbook["verwijzingen"]
    assert [c.value for c in statements[1]] == list(STATEMENT_HEADERS)
    assert [c.value for c in places[1]] == list(LOCATION_HEADERS)
    assert [c.value for c in sessions[1]] == list(SESSION_HEADERS)
    assert [c.value for c in referrals[1]] == list(REFERRAL_HEADERS)

    for answer, header in (("eens", "eens"), ("oneens", "oneens"), ("weet_niet", "weet niet")):
        expected = db_count(db, "SELECT count(*) FROM answer WHERE answer = ?", (answer,))
        assert sum(column(statements, header)) == expected
        assert sum(column(places, header)) == expected
    answers = db_count(db, "SELECT count(*) FROM answer")
    staff = db_count(db, "SELECT count(*) FROM answer WHERE source = 'staff'")
    assert sum(column(statements, "totaal")) == answers == sum(column(places, "totaal"))
    assert sum(column(statements, "via medewerker")) == staff
    assert sum(column(statements, "via scherm")) == answers - staff
    assert set(column(statements, "tekst")) == {
        content.statement_text(s) for s in ("digid", "formulieren", "computer")}

    visits = db_count(db, "SELECT count(*) FROM visit")
    completed = db_count(db, "SELECT sum(completed) FROM visit")
    assert sum(column(places, "bezoeken")) == visits == sum(column(sessions, "bezoeken"))
    assert sum(column(places, "afgemaakt")) == completed == sum(column(sessions, "afgemaakt"))
    assert sum(column(places, "sessies")) == db_count(db, "SELECT count(*) FROM session") == \
        len(column(sessions, "sessie-id"))
    assert sum(column(sessions, "antwoorden via medewerker")) == staff
    assert sum(column(sessions, "verwijzingen")) == db_count(db, "SELECT count(*) FROM referral")
    assert sum(column(referrals, "verwijzingen")) == db_count(db, "SELECT count(*) FROM referral")
    assert sum(column(referrals, "geprint")) == db_count(db, "SELECT sum(printed) FROM referral")
    assert "Digisterker" in column(referrals, "naam")

    started = column(sessions, "begin")
    assert started[0] == datetime(2026, 3, 5, 10, 0)  # a real date cell, to the quarter hour
    assert sessions.cell(row=2, column=5).number_format == "yyyy-mm-dd hh:mm"
    assert column(sessions, "zinnen per bezoek") == [3, "alle", 1, 5]  # numbers stay numbers
    info = {row[0]: row[1] for row in workbook["info"].iter_rows(min_row=2, values_only=True)}
    assert info["gemaakt op"] == "2026-05-01"
    assert info["plek"] == "alle plekken"


def test_text_cells_cannot_run_as_formulas(content: Content, data_dir: Path, tmp_path: Path):
    db = data_dir / "kiosk.db"
    fill(db)
    out = tmp_path / "tellingen.xlsx"
    with Store.open(db) as store:
        export_xlsx(tallies(store), content.statement_text, out, store)
    workbook = load_workbook(out)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    place_names = column(workbook["plekken"], "plek")
    assert "'" + EVIL in place_names
    assert "'+31 markt" in place_names  # neutralised, and the control character dropped
    assert "'" + EVIL in column(workbook["sessies"], "plek")


def test_filters_select_the_same_sessions_as_the_tallies(
    content: Content, data_dir: Path, tmp_path: Path
) -> None:
    db = data_dir / "kiosk.db"
    fill(db)
    out = tmp_path / "weekmarkt-april.xlsx"
    with Store.open(db) as store:
        counted = tallies(store, since=date(2026, 4, 1), until=date(2026, 4, 30),
                          location="Weekmarkt")
        export_xlsx(counted, content.statement_text, out, store)
    workbook = load_workbook(out)
    session = "SELECT id FROM session WHERE location = 'Weekmarkt' AND started >= '2026-04-01'"
    assert column(workbook["plekken"], "plek") == ["Weekmarkt"]
    with sqlite3.connect(db) as conn:
        session_ids = [row[0] for row in conn.execute(session)]
    conn.close()
    assert len(session_ids) == 1
    assert column(workbook["sessies"], "sessie-id") == session_ids
    assert column(workbook["sessies"], "zinnen per bezoek") == [5]
    assert sum(column(workbook["stellingen"], "totaal")) == db_count(
        db, f"SELECT count(*) FROM answer WHERE session_id IN ({session})")
    assert sum(column(workbook["verwijzingen"], "verwijzingen")) == db_count(
        db, f"SELECT count(*) FROM referral WHERE session_id IN ({session})")
    info = {row[0]: row[1] for row in workbook["info"].iter_rows(min_row=2, values_only=True)}
    assert (info["vanaf"], info["tot en met"], info["plek"]) == (
        "2026-04-01", "2026-04-30", "Weekmarkt")


def test_without_the_database_only_the_tally_sheets(
    content: Content, data_dir: Path, tmp_path: Path
) -> None:
    db = data_dir / "kiosk.db"
    fill(db)
    out = tmp_path / "t.xlsx"
    with Store.open(db) as store:
        export_xlsx(tallies(store), content.statement_text, out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["stellingen", "plekken", "info"]
    assert set(column(workbook["plekken"], "sessies")) == {None}
    visits = db_count(db, "SELECT count(*) FROM visit")
    assert sum(column(workbook["plekken"], "bezoeken")) == visits


def test_an_empty_database_gives_headers_only(
    content: Content, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "leeg.xlsx"
    with Store.open(data_dir / "kiosk.db") as store:
        export_xlsx(tallies(store), content.statement_text, out, store)
    workbook = load_workbook(out)
    for title in ("stellingen", "plekken", "sessies", "verwijzingen"):
        assert workbook[title].max_row == 1


def test_a_failed_write_leaves_the_old_file_and_no_litter(
    content: Content, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = data_dir / "kiosk.db"
    fill(db)
    folder = tmp_path / "usb"
    folder.mkdir()
    out = folder / "t.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match="does not exist"):
        with Store.open(db) as store:
            export_xlsx(tallies(store), content.statement_text, tmp_path / "nope" / "t.xlsx")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module.os, "replace", fail)
    with pytest.raises(ExportError, match="No space left"):
        with Store.open(db) as store:
            export_xlsx(tallies(store), content.statement_text, out, store)
    assert out.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["t.xlsx"]
