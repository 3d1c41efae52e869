"""The XLSX export: opened with openpyxl, its sums equal the database's; no formulas get in."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.app import Options, load_content
from kiosk.core import files as files_module
from kiosk.core.export import (
    CONVERSATIONS_HEADER,
    CSV_HEADER,
    REFERRALS_CSV_HEADER,
    SIGNALS_HEADER,
    ExportError,
)
from kiosk.core.model import Content
from kiosk.core.store import Store
from kiosk.core.tallies import tallies
from kiosk.core.xlsx import (
    PLACE_HEADERS,
    REFERRAL_HEADERS,
    SESSION_HEADERS,
    STATEMENT_HEADERS,
    export_xlsx,
)

EVIL = "=HYPERLINK(\"http://x\",\"klik\")"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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
              ("+31 markt", "markt", datetime(2026, 4, 2, 14, 0)),
              ("Weekmarkt", "markt", datetime(2026, 4, 9, 10, 0))]
    answers = ("eens", "oneens", "weet_niet")
    with Store.open(db, clock=lambda: now[0]) as store:
        for number, (place, kind, moment) in enumerate(places):
            now[0] = moment
            session = store.start_session(place, kind, "taalhuis",
                                          per_visit=(3, None, 1, 5)[number])
            for index in range(4 + number * 3):
                now[0] = moment + timedelta(minutes=20 * index)
                visit = store.start_visit(session)
                for offset, statement in enumerate(("digid", "formulieren", "computer")):
                    store.record_answer(visit, statement, answers[(index + offset) % 3])
                if index % 2 == 0:
                    courses = ["digisterker", "taalhuis"][: 1 + index % 4 // 2]
                    ids = store.finish_visit(visit, courses)
                    if index % 4 == 0:
                        store.mark_printed(ids[0])
            store.add_staff_tally(session, "digid", "eens", 2 + number)
            for _ in range(number + 1):
                store.log_conversation(session, "digitaal", "partner", "digitaal-hulpplein")
            store.log_conversation(session)
            store.log_signal(session, "geldzorgen")
            if number == 1:
                store.log_signal(session, "anders", "=1+1 op de website")
            if number < 3:  # the last session has no end: it counts until its last row
                store.end_session(session)
    # a control character, as an old database may hold (the way in refuses it now)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE session SET location = location || char(1)"
                     " WHERE location = '+31 markt'")
    conn.close()


def column(sheet, header: str) -> list:
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def rows_of(sheet, per: str) -> list[dict]:
    """The plekken sheet's rows of one group, as header -> value."""
    headers = [cell.value for cell in sheet[1]]
    return [dict(zip(headers, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == per]


def db_count(db: Path, sql: str, params: tuple = ()) -> int:
    with sqlite3.connect(db) as conn:
        value = conn.execute(sql, params).fetchone()[0]
    conn.close()
    return int(value or 0)


def all_cells(workbook) -> list:
    return [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows()
            for cell in row]


def test_every_sheet_sums_to_the_database(content: Content, data_dir: Path, tmp_path: Path):
    db = data_dir / "kiosk.db"
    fill(db)
    out = tmp_path / "tellingen.xlsx"
    with Store.open(db) as store:
        export_xlsx(tallies(store), content.statement_text, out, store,
                    course_name=course_name(content), generated=date(2026, 5, 1),
                    content=content)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["info", "stellingen", "plekken", "aanpak", "sessies",
                                   "verwijzingen", "gesprekken", "signalen"]
    statements, places = workbook["stellingen"], workbook["plekken"]
    sessions, referrals = workbook["sessies"], workbook["verwijzingen"]
    assert [c.value for c in statements[1]] == list(STATEMENT_HEADERS)
    assert [c.value for c in places[1]] == list(PLACE_HEADERS)
    assert [c.value for c in sessions[1]] == list(SESSION_HEADERS)
    assert [c.value for c in referrals[1]] == list(REFERRAL_HEADERS)
    # the same words as the CSV export's headers
    assert list(REFERRAL_HEADERS) == list(REFERRALS_CSV_HEADER)
    assert set(STATEMENT_HEADERS) - {"thema", "stelling", "tekst"} <= set(CSV_HEADER)
    assert [c.value for c in workbook["gesprekken"][1]] == list(CONVERSATIONS_HEADER)
    assert [c.value for c in workbook["signalen"][1]] == [*SIGNALS_HEADER, "vrije tekst"]

    for answer, header in (("eens", "eens"), ("oneens", "oneens"), ("weet_niet", "weet niet")):
        expected = db_count(db, "SELECT count(*) FROM answer WHERE answer = ?", (answer,))
        assert sum(column(statements, header)) == expected
    answers = db_count(db, "SELECT count(*) FROM answer")
    staff = db_count(db, "SELECT count(*) FROM answer WHERE source = 'staff'")
    assert sum(column(statements, "totaal")) == answers
    assert sum(column(statements, "via medewerker")) == staff
    assert sum(column(statements, "via scherm")) == answers - staff
    # in the order of the set, with the theme's name; percentages are real percentages
    # ("computer" is not in the content: last, without a theme)
    assert column(statements, "stelling") == ["formulieren", "digid", "computer"]
    assert column(statements, "thema") == ["Lezen en schrijven", "Digitaal", None]  # empty
    assert column(statements, "tekst") == [content.statement_text(s)
                                           for s in column(statements, "stelling")]
    for row in range(2, statements.max_row + 1):
        cells = {h: statements.cell(row=row, column=i + 1)
                 for i, h in enumerate(STATEMENT_HEADERS)}
        assert cells["% eens"].number_format == "0%"
        assert cells["% eens"].value == pytest.approx(
            round(cells["eens"].value / cells["totaal"].value, 2), abs=0.006)

    visits = db_count(db, "SELECT count(*) FROM visit")
    completed = db_count(db, "SELECT sum(completed) FROM visit")
    conversations = db_count(db, "SELECT count(*) FROM conversation")
    signals = db_count(db, "SELECT count(*) FROM signal")
    for per in ("plek", "soort plek", "dagdeel", "weekdag"):  # every view adds up to the whole
        group = rows_of(places, per)
        assert sum(r["bezoeken"] for r in group) == visits, per
        assert sum(r["gesprekken"] for r in group) == conversations, per
        assert sum(r["signalen"] for r in group) == signals, per
        assert sum(r["verwijzingen getoond"] for r in group) == db_count(
            db, "SELECT sum(qr_shown) FROM referral"), per
        assert sum(r["geprint"] for r in group) == db_count(
            db, "SELECT sum(printed) FROM referral"), per
    staffed = [sum(r["bemande uren"] for r in rows_of(places, per))
               for per in ("plek", "soort plek", "dagdeel", "weekdag")]
    assert staffed == [staffed[0]] * 4
    by_place = {r["naam"]: r for r in rows_of(places, "plek")}
    assert by_place["Weekmarkt"]["sessies"] == 2
    assert by_place["Weekmarkt"]["sessies zonder einde"] == 1
    assert by_place["Weekmarkt"]["soort plek"] == "Markt"
    assert [r["naam"] for r in rows_of(places, "dagdeel")] == ["ochtend", "middag"]  # no evening
    assert sum(column(sessions, "bezoeken")) == visits
    assert sum(column(sessions, "afgemaakt")) == completed
    assert sessions.max_row - 1 == db_count(db, "SELECT count(*) FROM session")
    assert sum(column(sessions, "via medewerker")) == staff
    assert sum(column(sessions, "verwijzingen")) == db_count(db, "SELECT count(*) FROM referral")
    assert sum(column(sessions, "gesprekken")) == conversations
    assert sum(column(sessions, "signalen")) == signals
    assert set(column(sessions, "stellingen")) == {content.sets["taalhuis"].name}
    assert sum(column(referrals, "voorgesteld")) == db_count(db, "SELECT count(*) FROM referral")
    assert sum(column(referrals, "geprint")) == db_count(db, "SELECT sum(printed) FROM referral")
    assert "Digisterker" in column(referrals, "naam")
    assert sum(column(workbook["gesprekken"], "aantal")) == conversations
    assert "Digitaal Hulpplein" in column(workbook["gesprekken"], "verwezen naar")
    assert sum(column(workbook["signalen"], "aantal")) == signals
    assert "=1+1 op de website" in column(workbook["signalen"], "vrije tekst")  # as typed

    started = column(sessions, "begin")
    assert started[0] == datetime(2026, 3, 5, 10, 0)  # a real date cell, to the quarter hour
    assert sessions.cell(row=2, column=5).number_format == "yyyy-mm-dd hh:mm"
    assert column(sessions, "zinnen per bezoek") == [3, "alle", 1, 5]  # numbers stay numbers
    info = {row[0]: row[1] for row in workbook["info"].iter_rows(min_row=2, values_only=True)}
    assert info["uitvoer"] == "intern"
    assert info["gemaakt op"] == "2026-05-01"
    assert info["plek"] == "alle plekken"
    assert "tot 2 cursussen" in info["verwijzingen"]
    assert info["sessies zonder einde"].startswith("1. ")
    assert workbook.properties.keywords == "intern"
    assert "intern" in workbook.properties.title
    # no internal ids: no UUID in any cell
    assert not any(isinstance(v, str) and UUID.search(v) for v in all_cells(workbook))


def test_text_cells_cannot_run_as_formulas(content: Content, data_dir: Path, tmp_path: Path):
    """A formula-looking text is a text cell shown as typed (no visible ');
    Excel's quote prefix keeps it text when someone edits the cell."""
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
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate}"
                    assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
    place_names = [r["naam"] for r in rows_of(workbook["plekken"], "plek")]
    assert EVIL in place_names
    assert "+31 markt\ufffd" in place_names  # as typed, the control character replaced
    assert EVIL in column(workbook["sessies"], "plek")
    assert EVIL in column(workbook["gesprekken"], "plek")
    assert "=1+1 op de website" in column(workbook["signalen"], "vrije tekst")


FORMULA_LOOKING = ("=1+1", "+31 6 12345678", "-2+3", "@x")


def test_a_spreadsheet_shows_formula_looking_names_as_typed(content: Content,
                                                            tmp_path: Path) -> None:
    """Read back by openpyxl and by LibreOffice (converted to CSV): the text as typed,
    never computed (2, 1) and with no leading '."""
    with Store.open(tmp_path / "k.db", clock=lambda: datetime(2026, 3, 5, 10, 0)) as store:
        for place in FORMULA_LOOKING:
            session = store.start_session(place, "markt", "taalhuis")
            store.record_answer(store.start_visit(session), "digid", "eens")
            store.end_session(session)
        out = tmp_path / "plekken.xlsx"
        export_xlsx(tallies(store), content.statement_text, out, store)
    sheet = load_workbook(out)["sessies"]
    cells = [row[SESSION_HEADERS.index("plek")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(FORMULA_LOOKING)
    assert {(c.data_type, c.quotePrefix) for c in cells} == {("s", True)}

    profile = tmp_path / "lo-profile"  # a private LibreOffice profile: tests run side by side
    converted = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,"
         "false,false,-1", "--outdir", str(tmp_path / "csv"), str(out)],
        capture_output=True, text=True, timeout=240, check=False)
    assert converted.returncode == 0, converted.stderr
    table = (tmp_path / "csv" / "plekken-sessies.csv").read_text(encoding="utf-8")
    shown = [row[SESSION_HEADERS.index("plek")]
             for row in csv.reader(io.StringIO(table), delimiter=";")][1:]
    assert sorted(shown) == sorted(FORMULA_LOOKING)  # as typed: no ', not 2 or 1


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
    assert [r["naam"] for r in rows_of(workbook["plekken"], "plek")] == ["Weekmarkt"]
    assert column(workbook["sessies"], "begin") == [datetime(2026, 4, 9, 10, 0)]
    assert column(workbook["sessies"], "zinnen per bezoek") == [5]
    assert sum(column(workbook["stellingen"], "totaal")) == db_count(
        db, f"SELECT count(*) FROM answer WHERE session_id IN ({session})")
    assert sum(column(workbook["verwijzingen"], "voorgesteld")) == db_count(
        db, f"SELECT count(*) FROM referral WHERE session_id IN ({session})")
    assert sum(column(workbook["gesprekken"], "aantal")) == db_count(
        db, f"SELECT count(*) FROM conversation WHERE session_id IN ({session})")
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
    assert workbook.sheetnames == ["info", "stellingen", "verwijzingen", "gesprekken",
                                   "signalen"]
    assert sum(column(workbook["signalen"], "aantal")) == db_count(
        db, "SELECT count(*) FROM signal")


def test_an_empty_database_gives_headers_only(
    content: Content, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "leeg.xlsx"
    with Store.open(data_dir / "kiosk.db") as store:
        export_xlsx(tallies(store), content.statement_text, out, store)
    workbook = load_workbook(out)
    for title in ("stellingen", "plekken", "sessies", "verwijzingen", "gesprekken", "signalen"):
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
    with pytest.raises(ExportError, match="bestaat niet"):
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
