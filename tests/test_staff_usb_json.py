"""The staff menu's "Exporteren" writes JSON beside the CSV and XLSX: internal, like them.

The real shell with a real store and recorder (see tests/test_shell.py); a temporary
folder is the USB stick.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.app import Options, load_content
from kiosk.core.store import Store
from kiosk.gui.staff import EJECT
from kiosk.gui.staff.actions import export_to_folder
from tests.test_shell import click, make_shell, save_to_stick, start_at_the_market
from tests.test_staff_kiosk_mode import end_the_session, menu_again_without_a_session


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path):
    yield from make_shell(qtbot, qapp, data_dir)


def test_the_menu_export_writes_json_on_the_stick(qtbot, shell, data_dir) -> None:
    shell.exporter = lambda folder: export_to_folder(data_dir / "kiosk.db", shell.content,
                                                     folder)
    start_at_the_market(qtbot, shell)
    window = shell.window
    window.test_clock.advance(1)
    click(qtbot, window.attract)
    window.test_clock.advance(1)
    with qtbot.waitSignal(window.answer_saved, timeout=5000):
        click(qtbot, window.statement_screen.buttons["eens"])
    end_the_session(qtbot, shell)
    menu_again_without_a_session(qtbot, shell)
    click(qtbot, shell.menu.buttons["export_requested"])
    assert shell.save_screen.subtitle.text() == "Exporteren. De cijfers, als CSV, Excel en JSON."
    save_to_stick(qtbot, shell)
    assert shell.save_screen.result_title.text() == EJECT
    day = datetime.now().date().isoformat()
    names = sorted(path.name for path in shell.usb.iterdir())
    assert f"stellingen-{day}.json" in names
    assert not [name for name in names if name.startswith(".")]  # no half-written files
    assert shell.usb / f"stellingen-{day}.json" in shell.save_screen.files
    document = json.loads((shell.usb / f"stellingen-{day}.json").read_text(encoding="utf-8"))
    assert document["metadata"]["audience"] == "intern"  # the same choice as the CSV
    (group,) = document["groups"]
    assert group["location"] == "Weekmarkt"
    assert document["totals"]["eens"] == 1
    (session,) = document["sessions"]
    assert session["id"]  # internal: with ids, like the CSV's session column


def test_the_folder_gets_exact_json_beside_csv_and_xlsx(tmp_path: Path) -> None:
    """The produce function on its own: exact (internal) counts in the JSON, like the CSV."""
    data_dir = tmp_path / "data"
    content = load_content(Options(data_dir=data_dir), lambda message: None)
    data_dir.mkdir(parents=True, exist_ok=True)
    with Store.open(data_dir / "kiosk.db",
                    clock=lambda: datetime(2026, 3, 5, 10, 0)) as store:
        session = store.start_session("Zwembad", "zwembad", "taalhuis")
        for answer in ("eens", "eens", "oneens"):
            store.record_answer(store.start_visit(session), "digid", answer)
        store.add_staff_tally(session, "digid", "eens", 2)
        store.end_session(session)
    folder = tmp_path / "stick"
    folder.mkdir()
    export_to_folder(data_dir / "kiosk.db", content, folder)
    stamp = date.today().isoformat()
    document = json.loads((folder / f"stellingen-{stamp}.json").read_text(encoding="utf-8"))
    statement = document["groups"][0]["statements"][0]
    assert (statement["id"], statement["eens"], statement["oneens"], statement["total"]) == (
        "digid", 4, 1, 5)  # exact: internal, small counts are not hidden
    assert (statement["touch"]["eens"], statement["staff"]["eens"]) == (2, 2)
    with open(folder / f"stellingen-{stamp}.csv", encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0][-1] == "uitvoer"
    assert table[1][-1] == document["metadata"]["audience"]
    assert sorted(p.suffix for p in folder.iterdir() if p.stem == f"stellingen-{stamp}") == [
        ".csv", ".json", ".xlsx"]
