"""Intern or publiek, through the command line as a coordinator uses it: every format.

The default output is the coordinator's own: exact counts, free texts, "intern" in its
metadata. ``--publiek`` prints every count from 1 to 4 as "<5" (0 stays 0) and leaves
every free text out, in CSV, JSON, XLSX and the PDF report alike.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kiosk.core.store import Store
from tests.conftest import run_kiosk

FREE_TEXT = "=1+1 zei iemand over de balie"
#: Columns that are not counts of people or events: they keep their numbers.
NOT_COUNTS = {"zinnen per bezoek", "sessies", "sessies zonder einde", "bemande uren",
              "bezoeken per uur", "per_visit"}
SMALL = {1, 2, 3, 4}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """One market session: 6 visits; digid 6 eens (shown), formulieren 2 eens and 4 oneens
    (2 hidden); 2 conversations; a signal and an "Anders" signal with a formula-like text."""
    folder = tmp_path / "data"
    now = [datetime(2026, 3, 5, 10, 0)]
    with Store.open(folder / "kiosk.db", clock=lambda: now[0]) as store:
        session = store.start_session("=Weekmarkt", "markt", "taalhuis", per_visit=3)
        for index in range(6):
            visit = store.start_visit(session)
            store.record_answer(visit, "digid", "eens")
            store.record_answer(visit, "formulieren", "eens" if index < 2 else "oneens")
            store.finish_visit(visit, ["digisterker"])
        store.log_conversation(session, "digitaal", "partner", "digitaal-hulpplein")
        store.log_conversation(session, "digitaal", "partner", "digitaal-hulpplein")
        store.log_signal(session, "geldzorgen")
        store.log_signal(session, "anders", FREE_TEXT)
        now[0] = datetime(2026, 3, 5, 12, 0)
        store.end_session(session)
    return folder


def export(data: Path, out: Path, fmt: str, *extra: str) -> subprocess.CompletedProcess:
    result = run_kiosk("export", "--format", fmt, "-o", str(out), "--data-dir", str(data),
                       *extra)
    assert result.returncode == 0, result.stderr
    return result


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""),
                           delimiter=";"))


def csv_files(folder: Path) -> list[Path]:
    return [folder / f"t{suffix}.csv" for suffix in ("", "-verwijzingen", "-gesprekken",
                                                      "-signalen")]


def small_cells(header: list, rows: list[list]) -> list[tuple[str, Any]]:
    """(header, value) of every count from 1 to 4 (as a number or as text)."""
    found = []
    for row in rows:
        for name, value in zip(header, row, strict=True):
            if name in NOT_COUNTS or (isinstance(name, str) and name.startswith("%")):
                continue
            if value in SMALL or value in {str(n) for n in SMALL}:
                found.append((name, value))
    return found


def json_small(node: Any, key: str = "") -> list[tuple[str, int]]:
    if isinstance(node, dict):
        return [hit for k, v in node.items() for hit in json_small(v, k)]
    if isinstance(node, list):
        return [hit for v in node for hit in json_small(v, key)]
    if isinstance(node, int) and not isinstance(node, bool) and key not in NOT_COUNTS:
        return [(key, node)] if node in SMALL else []
    return []


def test_csv_publiek_hides_small_counts_and_free_text(data: Path, tmp_path: Path) -> None:
    intern, publiek = tmp_path / "intern", tmp_path / "publiek"
    intern.mkdir()
    publiek.mkdir()
    said = export(data, intern / "t.csv", "csv").stdout
    assert "intern" in said
    export(data, publiek / "t.csv", "csv", "--publiek")

    tables = {path.name: read_csv(path) for path in csv_files(publiek)}
    for name, (header, *rows) in tables.items():
        assert header[-1] == "uitvoer", name
        assert {row[-1] for row in rows} <= {"publiek"}, name
        assert small_cells(header, rows) == [], name
        assert "vrije tekst" not in header, name
    answers = tables["t.csv"]
    formulieren = next(row for row in answers[1:] if row[2] == "formulieren")
    cells = dict(zip(answers[0], formulieren, strict=True))
    assert (cells["eens"], cells["% eens"], cells["oneens"], cells["% oneens"]) == (
        "<5", "", "<5", "")  # a hidden count has no percentage beside it
    assert (cells["weet niet"], cells["totaal"]) == ("0", "6")  # 0 stays 0
    signals = tables["t-signalen.csv"]
    assert [row[3:5] for row in signals[1:]] == [["Geldzorgen", "<5"], ["Anders", "<5"]]
    for path in csv_files(publiek):
        assert "1+1" not in path.read_text(encoding="utf-8-sig")

    inside = {path.name: read_csv(path) for path in csv_files(intern)}
    for name, (_header, *rows) in inside.items():
        assert {row[-1] for row in rows} <= {"intern"}, name
    header, *rows = inside["t-signalen.csv"]
    assert header[-2:] == ["vrije tekst", "uitvoer"]
    assert ["Anders", "1", "'" + FREE_TEXT] == rows[1][3:6]  # exact, literal, neutralised
    assert rows[0][0] == "'=Weekmarkt"


def test_json_publiek(data: Path, tmp_path: Path) -> None:
    intern, publiek = tmp_path / "intern.json", tmp_path / "publiek.json"
    export(data, intern, "json")
    export(data, publiek, "json", "--publiek")
    document = json.loads(publiek.read_text(encoding="utf-8"))
    assert document["metadata"]["audience"] == "publiek"
    assert json_small(document) == []
    assert FREE_TEXT not in publiek.read_text(encoding="utf-8")
    assert document["signals"] == [
        {"location": "=Weekmarkt", "place_kind": "markt", "date": "2026-03-05",
         "kind": "geldzorgen", "name": "Geldzorgen", "count": "<5"},
        {"location": "=Weekmarkt", "place_kind": "markt", "date": "2026-03-05",
         "kind": "anders", "name": "Anders", "count": "<5"},
    ]  # counts per kind: no ids, no text, no times
    assert document["conversations"][0]["count"] == "<5"
    assert document["totals"]["visits"] == 6

    inside = json.loads(intern.read_text(encoding="utf-8"))
    assert inside["metadata"]["audience"] == "intern"
    assert {s["text"] for s in inside["signals"]} == {"", FREE_TEXT}  # literal
    assert all(len(s["id"]) == 36 for s in inside["signals"])  # the ids stay in JSON
    assert ("oneens", 4) in json_small(inside)


def test_xlsx_publiek(data: Path, tmp_path: Path) -> None:
    intern, publiek = tmp_path / "intern.xlsx", tmp_path / "publiek.xlsx"
    export(data, intern, "xlsx")
    export(data, publiek, "xlsx", "--publiek")
    workbook = load_workbook(publiek)
    assert workbook.sheetnames[0] == "info"
    info = {row[0]: row[1] for row in workbook["info"].iter_rows(values_only=True)}
    assert info["uitvoer"] == "publiek"
    assert workbook.properties.keywords == "publiek"
    for sheet in workbook.worksheets[1:]:
        header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert small_cells(header, rows) == [], sheet.title
        assert "vrije tekst" not in header
    values = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows()
              for cell in row]
    assert "<5" in values
    assert not any(isinstance(v, str) and "1+1" in v for v in values)

    inside = load_workbook(intern)
    info = {row[0]: row[1] for row in inside["info"].iter_rows(values_only=True)}
    assert info["uitvoer"] == "intern"
    assert inside.properties.keywords == "intern"
    texts = [row[-1] for row in inside["signalen"].iter_rows(min_row=2, values_only=True)]
    assert FREE_TEXT in texts  # XLSX: a text cell as typed (quote prefix, no ')


def test_report_publiek_and_free_text(data: Path, tmp_path: Path) -> None:
    publiek = tmp_path / "publiek.pdf"
    made = run_kiosk("report", "-o", str(publiek), "--data-dir", str(data), "--publiek")
    assert made.returncode == 0, made.stderr
    assert "publiek" in made.stdout
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(publiek), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Publiek: aantallen van 1 tot en met 4 staan er als <5" in text
    # formulieren: 2 and 4, both hidden: no chart with empty bars, one line
    assert "Te weinig antwoorden voor een grafiek: 6 antwoorden (eens <5, oneens <5, weet " \
        "niet 0)." in text
    assert "Eens 6 (100%)" in text  # digid
    assert "Geldzorgen <5" in text
    assert "Anders <5" in text
    assert "1+1" not in text
    assert "intern" not in text

    refused = run_kiosk("report", "-o", str(tmp_path / "x.pdf"), "--data-dir", str(data),
                        "--publiek", "--met-vrije-tekst")
    assert refused.returncode == 2
    assert "vrije tekst" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "x.pdf").exists()

    inside = tmp_path / "intern.pdf"
    made = run_kiosk("report", "-o", str(inside), "--data-dir", str(data), "--met-vrije-tekst")
    assert made.returncode == 0, made.stderr
    assert "intern" in made.stdout
    assert "vrije tekst" in made.stdout
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(inside), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert FREE_TEXT in text
    assert "Eens 2 (33%) Oneens 4 (67%)" in text
