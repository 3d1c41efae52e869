"""Which approach works: approaches.toml, the session's approach (schema 5, merge), the start
screen, the exports and the report's section "Welke aanpak werkt?"."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk import paths
from kiosk.core import rowcheck
from kiosk.core.approaches import (
    ApproachStats,
    compare_approaches,
    public_count,
)
from kiosk.core.content import ContentError, load_content
from kiosk.core.export import export
from kiosk.core.model import Approach
from kiosk.core.store import SCHEMA_VERSION, Store
from kiosk.core.tallies import tallies
from kiosk.core.xlsx import export_xlsx
from kiosk.gui.report import build_report
from tests.conftest import run_kiosk

DEFAULT = paths.default_content_dir()
DAY = datetime(2026, 5, 12, 10, 0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEFAULT, tmp_path / "content"))


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


# -- content ----------------------------------------------------------------------


def test_the_default_approaches_load_in_file_order() -> None:
    content = load_content(DEFAULT)
    assert list(content.approaches) == [
        "bakfiets", "digispot", "ijsbreker", "spreekuur-partner", "koor"]
    assert content.approaches["koor"] == Approach(
        "koor", "Koor (Zingen en Digidingen)",
        "Eerst samen zingen, dan samen digitale dingen doen.")
    assert "geen" not in content.approaches  # the kiosk adds "Geen" itself


def test_a_folder_without_approaches_works(folder: Path, tmp_path: Path) -> None:
    (folder / "approaches.toml").unlink()
    assert load_content(folder).approaches == {}
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "approaches.toml").write_text(
        '[[approach]]\nid = "bieb-bus"\nname = "Biebbus"\nline = "Met de bus de wijk in."\n',
        encoding="utf-8")
    assert list(load_content(DEFAULT, mine).approaches) == ["bieb-bus"]


@pytest.mark.parametrize(("old", "new", "words"), [
    ('id = "digispot"', 'id = "Digi Spot"',
     ['id "Digi Spot" mag alleen kleine letters', 'gebruik bijvoorbeeld "digi-spot"']),
    ('id = "digispot"', 'id = "geen"',
     ['de id "geen" is al de eigen knop "Geen" van de kiosk', "geef hem een andere id"]),
    ('name = "Digispot"', 'name = "Geen"', ['de naam "Geen" is al de eigen knop']),
    ('id = "koor"', 'id = "digispot"', ['id "digispot" staat er twee keer']),
    ('name = "Digispot"', 'naam = "Digispot"', ['onbekend veld "naam"', 'bedoel je "name"?']),
    ('name = "Digispot"', 'name = "Digi<b>spot</b>"', ["name heeft het teken < of >"]),
    ('name = "Digispot"', 'name = "' + "Digispot " * 8 + '"', ["name is te lang"]),
    ('name = "Digispot"', 'name = 3', ["name moet tekst tussen dubbele aanhalingstekens"]),
])
def test_kiosk_check_names_a_bad_approach(folder: Path, old: str, new: str,
                                          words: list[str]) -> None:
    path = folder / "approaches.toml"
    line = edit(path, old, new)
    report = problems(folder)
    assert f"{path}:{line}:" in report, report
    assert "Oplossing: " in report
    for word in words:
        assert word in report, report


def test_kiosk_check_on_the_command_line(folder: Path) -> None:
    edit(folder / "approaches.toml", 'id = "digispot"', 'id = "geen"')
    result = run_kiosk("check", str(folder))
    assert result.returncode != 0
    assert "approaches.toml" in result.stdout + result.stderr
    assert 'de id "geen" is al de eigen knop "Geen"' in result.stdout + result.stderr
    good = run_kiosk("check")
    assert good.returncode == 0, good.stderr
    assert "5 aanpakken" in good.stdout


# -- the store: schema 5, merge ------------------------------------------------------


def clock() -> datetime:
    return DAY


def make_kiosk(path: Path, location: str, approach: str = "", visits: int = 2) -> str:
    with Store.open(path, clock=clock) as store:
        session = store.start_session(location, "markt", "taalhuis", per_visit=3,
                                      approach=approach)
        for i in range(visits):
            visit = store.start_visit(session)
            store.record_answer(visit, "digid", "eens" if i % 2 else "oneens")
            store.finish_visit(visit, ["digisterker"])
        store.end_session(session)
        return session


def as_version_4(path: Path) -> None:
    """Make a kiosk file as a kiosk before schema 5 wrote it (no approach column)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ALTER TABLE session DROP COLUMN approach")
        conn.execute("PRAGMA user_version = 4")
        conn.commit()


def table(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_start_session_stores_the_approach(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db", clock=clock) as store:
        one = store.start_session("Markt", "markt", approach="bakfiets")
        none = store.start_session("Markt", "markt")
        geen = store.start_session("Markt", "markt", approach="geen")
        for bad in ("Bak fiets", "<b>", None, 3):
            with pytest.raises(ValueError, match="approach"):
                store.start_session("Markt", "markt", approach=bad)
        rows = dict(store.db.execute("SELECT id, approach FROM session").fetchall())
    assert rows == {one: "bakfiets", none: "", geen: ""}
    assert SCHEMA_VERSION == 5


def test_a_version_4_database_is_upgraded_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    make_kiosk(path, "Markt", visits=3)
    as_version_4(path)
    before = {t: table(path, f"SELECT * FROM {t} ORDER BY id")
              for t in ("kiosk", "session", "visit", "answer", "referral")}
    assert table(path, "PRAGMA user_version") == [(4,)]
    with Store.open(path, clock=clock) as store:
        for name, rows in before.items():
            found = store.db.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()
            expected = [(*row, "") for row in rows] if name == "session" else rows
            assert found == expected, name
        store.start_session("Zwembad", "zwembad", approach="digispot")
    assert table(path, "PRAGMA user_version") == [(5,)]
    assert table(path, "PRAGMA integrity_check") == [("ok",)]
    assert table(path, "SELECT location, approach FROM session ORDER BY location") == [
        ("Markt", ""), ("Zwembad", "digispot")]


def test_merge_carries_the_approach_and_takes_a_version_4_file(tmp_path: Path) -> None:
    ours, new, old = (tmp_path / n / "kiosk.db" for n in ("a", "b", "c"))
    make_kiosk(ours, "Bieb", "koor")
    make_kiosk(new, "Markt", "bakfiets", visits=3)
    make_kiosk(old, "Buurthuis", visits=4)
    as_version_4(old)
    with Store.open(ours, clock=clock) as store:
        report = store.merge([new, old])
        assert report.added[new.resolve()]["session"] == 1
        assert report.added[old.resolve()]["session"] == 1
        assert store.db.execute(
            "SELECT location, approach FROM session ORDER BY location").fetchall() == [
            ("Bieb", "koor"), ("Buurthuis", ""), ("Markt", "bakfiets")]
        assert sum(store.merge([new, old]).totals().values()) == 0  # twice changes nothing
    assert table(old, "PRAGMA user_version") == [(4,)]  # the old file is left as it was


def test_the_merge_refuses_an_approach_that_is_not_an_id() -> None:
    row = {"kiosk_id": "00000000-0000-4000-8000-000000000000", "location": "Markt",
           "place_kind": "markt", "statement_set": "taalhuis", "started": "2026-05-12T10:00",
           "ended": None, "per_visit": 3}
    assert rowcheck._session(row) is None  # a file from before schema 5: no approach
    assert rowcheck._session({**row, "approach": ""}) is None
    assert rowcheck._session({**row, "approach": "bakfiets"}) is None
    for bad in ("Bak fiets", "=1+1", None, 3, "x" * 200):
        assert rowcheck._session({**row, "approach": bad}) == rowcheck.BAD_ID, bad


# -- numbers and exports --------------------------------------------------------------


def small_data(path: Path) -> None:
    """Two approaches and none:

    - bakfiets: 2 sessions of 1 hour (10:00-11:00), 6 visits, 4 with an eens,
      3 conversations, 6 QR codes shown;
    - digispot: 1 session 10:00-10:05 (stored 10:00-10:00: counts a quarter hour),
      2 visits, none with eens, no conversation;
    - geen: 1 session of 2 hours, 10 visits, 5 with eens, 1 conversation.
    """
    now = [DAY]
    with Store.open(path, clock=lambda: now[0]) as store:
        def session(location: str, approach: str, minutes: int, visits: int, eens: int,
                    talks: int) -> None:
            now[0] = DAY
            sid = store.start_session(location, "markt", "taalhuis", per_visit=1,
                                      approach=approach)
            for i in range(visits):
                visit = store.start_visit(sid)
                store.record_answer(visit, "digid", "eens" if i < eens else "oneens")
                store.finish_visit(visit, ["digisterker"])
            for _ in range(talks):
                store.log_conversation(sid, "digitaal")
            now[0] = DAY + timedelta(minutes=minutes)
            store.end_session(sid)

        session("Weekmarkt", "bakfiets", 60, 3, 2, 2)
        session("Zwembad", "bakfiets", 60, 3, 2, 1)
        session("Bieb", "digispot", 5, 2, 0, 0)
        session("Buurthuis", "", 120, 10, 5, 1)


def test_the_numbers_per_approach(tmp_path: Path) -> None:
    small_data(db := tmp_path / "k.db")
    content = load_content(DEFAULT)
    with Store.open(db) as store:
        rows = compare_approaches(store, content=content)
    assert rows == (
        ApproachStats("bakfiets", "Bakfiets op de markt", sessions=2, staffed_minutes=120,
                      visits=6, visits_with_eens=4, conversations=3, referrals=6),
        ApproachStats("digispot", "Digispot", sessions=1, staffed_minutes=15, visits=2,
                      visits_with_eens=0, conversations=0, referrals=2),
        ApproachStats("", "Geen", sessions=1, staffed_minutes=120, visits=10,
                      visits_with_eens=5, conversations=1, referrals=10),
    )
    bakfiets, digispot, geen = rows
    assert bakfiets.visits_per_hour == 3.0
    assert digispot.visits_per_hour == 8.0  # 2 visits in a quarter hour
    assert bakfiets.eens_share == pytest.approx(4 / 6)
    assert bakfiets.conversations_per_10 == 5.0
    assert geen.referrals_per_10 == 10.0


def test_public_numbers_are_rounded_and_ratios_come_from_them(tmp_path: Path) -> None:
    small_data(db := tmp_path / "k.db")
    with Store.open(db) as store:
        rows = compare_approaches(store, content=load_content(DEFAULT), publiek=True)
    for row in rows:
        for name in ("visits", "visits_with_eens", "conversations", "referrals"):
            assert getattr(row, name) % 5 == 0, (row, name)
        if row.visits:
            assert row.visits_per_hour == row.visits / row.staffed_hours
            assert row.eens_share == row.visits_with_eens / row.visits
    assert [r.sessions for r in rows] == [2, 1, 1]  # about staff: exact, like the places table
    assert [public_count(n) for n in (0, 1, 2, 3, 7, 8, 12)] == [0, 0, 0, 5, 5, 10, 10]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_csv_json_and_xlsx_carry_the_approach(tmp_path: Path) -> None:
    small_data(db := tmp_path / "k.db")
    content = load_content(DEFAULT)
    with Store.open(db) as store:
        counted = tallies(store)
        export(counted, content.statement_text, "csv", tmp_path / "t.csv", content=content)
        export(counted, content.statement_text, "json", tmp_path / "t.json", content=content)
        export_xlsx(counted, content.statement_text, tmp_path / "t.xlsx", store, content=content)
        export_xlsx(counted, content.statement_text, tmp_path / "p.xlsx", store, content=content,
                    publiek=True)

    table_rows = read_csv(tmp_path / "t.csv")
    column = table_rows[0].index("aanpak")
    assert {row[0]: row[column] for row in table_rows[1:]} == {
        "Weekmarkt": "Bakfiets op de markt", "Zwembad": "Bakfiets op de markt",
        "Bieb": "Digispot", "Buurthuis": "Geen"}

    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    groups = {g["location"]: (g["approach"], g["approach_name"]) for g in document["groups"]}
    assert groups["Bieb"] == ("digispot", "Digispot")
    assert groups["Buurthuis"] == ("geen", "Geen")
    sessions = {s["location"]: s["approach"] for s in document["sessions"]}
    assert sessions == {"Weekmarkt": "bakfiets", "Zwembad": "bakfiets", "Bieb": "digispot",
                        "Buurthuis": "geen"}

    workbook = load_workbook(tmp_path / "t.xlsx")
    sheet = workbook["aanpak"]
    header = [c.value for c in sheet[1]]
    found = {row[0]: dict(zip(header, row, strict=True))
             for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(found) == ["Bakfiets op de markt", "Digispot", "Geen", "Totaal"]
    assert found["Bakfiets op de markt"]["sessies"] == 2
    assert found["Bakfiets op de markt"]["bezoeken per uur"] == 3.0
    assert found["Bakfiets op de markt"]["gesprekken per 10 bezoeken"] == 5.0
    assert found["Digispot"]["bemande uren"] == 0.25
    assert found["Totaal"]["bezoeken"] == 18
    sessies = workbook["sessies"]
    approach = [c.value for c in sessies[1]].index("aanpak")
    assert sorted(row[approach] for row in sessies.iter_rows(min_row=2, values_only=True)) == [
        "Bakfiets op de markt", "Bakfiets op de markt", "Digispot", "Geen"]

    public = load_workbook(tmp_path / "p.xlsx")["aanpak"]
    visits = [c.value for c in public[1]].index("bezoeken")
    assert all(row[visits] % 5 == 0 for row in public.iter_rows(min_row=2, values_only=True))


def test_the_report_says_which_approach_works(qapp, tmp_path: Path) -> None:
    small_data(db := tmp_path / "k.db")
    content = load_content(DEFAULT)
    pdf = tmp_path / "rapport.pdf"
    build_report(db, content, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Welke aanpak werkt?" in text
    section = text[text.index("Welke aanpak werkt?"):]
    lines = {line.split("  ")[0].strip(): line.split() for line in section.splitlines()
             if line.strip()}
    bakfiets = next(v for k, v in lines.items() if k.startswith("Bakfiets op de markt"))
    # sessions, hours, visits, per hour, with eens, conversations and referrals per 10
    assert bakfiets[-7:] == ["2", "2", "6", "3,0", "67%", "5,0", "10,0"]
    digispot = next(v for k, v in lines.items() if k.startswith("Digispot"))
    assert digispot[-7:] == ["1", "0,25", "2", "8,0", "0%", "0,0", "10,0"]
    geen = next(v for k, v in lines.items() if k == "Geen")
    assert geen[-7:] == ["1", "2", "10", "5,0", "50%", "1,0", "10,0"]

    public = tmp_path / "publiek.pdf"
    build_report(db, content, public, publiek=True)
    text = subprocess.run(["pdftotext", "-layout", str(public), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Welke aanpak werkt?" in text
    assert "afgerond op vijftallen" in text


# -- the start screen ------------------------------------------------------------------


def test_a_tap_on_the_start_screen_stores_the_approach(qtbot, qapp, data_dir: Path) -> None:
    """The real shell, store and recorder: "Aanpak" starts on "Geen"; a tap on "Digispot"
    starts the session with that approach; the next start screen keeps it."""
    from tests.test_shell import click, enter_pin, make_shell

    shells = make_shell(qtbot, qapp, data_dir)
    shell = next(shells)
    try:
        enter_pin(qtbot, shell, twice=True)
        qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
        screen = shell.start_screen
        buttons = screen.approaches.buttons
        assert list(buttons) == ["", "bakfiets", "digispot", "ijsbreker", "spreekuur-partner",
                                 "koor"]
        assert screen.approaches.value() == ""  # "Geen" by default
        assert buttons[""].text() == "Geen"
        assert buttons["digispot"].accessibleDescription().startswith("Aanpak: Digispot.")
        click(qtbot, screen.locations.buttons["Weekmarkt"])
        click(qtbot, buttons["digispot"])
        click(qtbot, screen.speech.buttons["0"])
        with qtbot.waitSignal(shell.session_started, timeout=5000):
            click(qtbot, screen.start_button)
        assert shell.settings.approach == "digispot"
    finally:
        next(shells, None)
    assert table(data_dir / "kiosk.db", "SELECT location, approach FROM session") == [
        ("Weekmarkt", "digispot")]
