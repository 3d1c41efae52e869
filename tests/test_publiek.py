"""Intern or publiek, through the command line as a coordinator uses it: every format.

The default output is the coordinator's own: exact counts, free texts, "intern" in its
metadata. ``--publiek`` prints every count rounded by publication control
(:mod:`kiosk.core.publication`: multiples of 5, totals and percentages from the rounded
counts), has no ids, and leaves every free text out, in CSV, JSON, XLSX and the PDF
report alike. The attack on those numbers is in ``test_publication_attack.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
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
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


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
    """(header, value) of every count that is not a multiple of 5, and every "<5"."""
    found = []
    for row in rows:
        for name, value in zip(header, row, strict=True):
            if name in NOT_COUNTS or (isinstance(name, str) and name.startswith("%")):
                continue
            if value == "<5":
                found.append((name, value))
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue
            if number % 5:
                found.append((name, value))
    return found


def json_small(node: Any, key: str = "") -> list[tuple[str, int]]:
    if isinstance(node, dict):
        return [hit for k, v in node.items() for hit in json_small(v, k)]
    if isinstance(node, list):
        return [hit for v in node for hit in json_small(v, key)]
    if isinstance(node, int) and not isinstance(node, bool) and key not in NOT_COUNTS:
        return [(key, node)] if node % 5 else []
    return [(key, node)] if node == "<5" else []


def test_csv_publiek_rounds_counts_and_hides_free_text(data: Path, tmp_path: Path) -> None:
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
    for row in answers[1:]:
        cells = {name: int(value) for name, value in zip(answers[0], row, strict=True)
                 if name in ("eens", "oneens", "weet niet", "totaal", "% eens",
                             "via scherm", "via medewerker") and value != ""}
        assert cells["totaal"] == cells["eens"] + cells["oneens"] + cells["weet niet"]
        assert cells["totaal"] == cells["via scherm"] + cells["via medewerker"]
        if cells["totaal"]:  # a percentage of the rounded counts
            assert cells["% eens"] == round(100 * cells["eens"] / cells["totaal"] + 1e-9)
    formulieren = next(row for row in answers[1:] if row[2] == "formulieren")
    cells = dict(zip(answers[0], formulieren, strict=True))
    assert cells["weet niet"] == "0"  # 0 stays 0
    # geldzorgen 1 and anders 1: both round to 0, and a count of 0 has no row
    assert tables["t-signalen.csv"][1:] == []
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
    assert document["metadata"]["rounding"].startswith("gecontroleerd afgerond")
    assert document["metadata"]["ids"] is False
    assert document["signals"] == []  # 1 and 1: rounded to 0, so no rows
    assert document["conversations"] == []  # 2: rounded to 0
    assert document["totals"]["visits"] == 5  # 6, rounded
    assert document["totals"]["signals"] == document["totals"]["conversations"] == 0
    assert not re.search(UUID, publiek.read_text(encoding="utf-8"))  # no ids of any kind
    assert all("id" not in session for session in document["sessions"])
    assert sum(s["visits"] for s in document["sessions"]) == document["totals"]["visits"]

    inside = json.loads(intern.read_text(encoding="utf-8"))
    assert inside["metadata"]["audience"] == "intern"
    assert {s["text"] for s in inside["signals"]} == {"", FREE_TEXT}  # literal
    assert all(len(s["id"]) == 36 for s in inside["signals"])  # the ids stay in JSON
    assert ("oneens", 4) in json_small(inside)
    assert re.search(UUID, intern.read_text(encoding="utf-8"))


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
    assert "<5" not in values
    assert info["afronding"].startswith("gecontroleerd afgerond")
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
    assert "Publiek: aantallen afgerond op veelvouden van 5" in text
    assert "<5" not in text
    assert "Geldzorgen" not in text  # 1 signal: rounded to 0, no row
    assert "Bezoekers bij de kiosk 5" in text  # 6, rounded
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
