"""Merging carries changes (the newer row wins), reports conflicts, and refuses bad rows.

Real SQLite files: laptops are Store objects on their own files, their copies are
made with the store's own backup, the central database merges them; then the
coordinator's commands run on the result as processes.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.rowcheck import BAD_TEXT, BAD_TIME, MISSING_PARENT
from kiosk.core.store import Store
from tests.conftest import run_kiosk


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 12, 9, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


def copy_of(store: Store, dest: Path) -> Path:
    store.backup(dest)
    return dest


def one(db: Store, sql: str):
    return db.db.execute(sql).fetchall()


def test_a_noon_copy_then_an_evening_copy_gives_the_evening_state(tmp_path: Path) -> None:
    clock = Clock()
    with Store.open(tmp_path / "laptop.db", clock=clock) as laptop:
        session = laptop.start_session("Markt", "markt", "taalhuis", per_visit=3)
        visit = laptop.start_visit(session)
        laptop.record_answer(visit, "digid", "eens")
        noon = copy_of(laptop, tmp_path / "noon.db")
        clock.advance(240)
        laptop.record_answer(visit, "digid", "oneens")  # went back and changed it
        laptop.finish_visit(visit, ["digisterker"])
        laptop.end_session(session)
        evening = copy_of(laptop, tmp_path / "evening.db")

    with Store.open(tmp_path / "central.db") as central:
        central.merge([noon])
        assert one(central, "SELECT answer FROM answer") == [("eens",)]
        report = central.merge([evening])
        assert report.updated[evening.resolve()]["answer"] == 1
        assert report.updated[evening.resolve()]["visit"] == 1
        assert report.updated[evening.resolve()]["session"] == 1
        assert one(central, "SELECT answer FROM answer") == [("oneens",)]
        assert one(central, "SELECT completed FROM visit") == [(1,)]
        assert one(central, "SELECT ended IS NOT NULL FROM session") == [(1,)]
        again = central.merge([noon, evening])  # older copies change nothing any more
        assert sum(again.totals().values()) == 0
        assert all(not n for counts in again.updated.values() for n in counts.values())
        assert one(central, "SELECT answer FROM answer") == [("oneens",)]


def test_the_same_version_with_other_content_is_a_conflict_not_a_silent_drop(tmp_path):
    with Store.open(tmp_path / "laptop.db") as laptop:
        session = laptop.start_session("Markt", "markt")
        visit = laptop.start_visit(session)
        laptop.record_answer(visit, "digid", "eens")
        copy = copy_of(laptop, tmp_path / "copy.db")
    with closing(sqlite3.connect(copy)) as db:  # edited by hand, version kept
        db.execute("DROP TRIGGER answer_version")
        db.execute("UPDATE answer SET answer = 'weet_niet'")
        db.commit()
    with Store.open(tmp_path / "central.db") as central:
        central.merge([tmp_path / "laptop.db"])
        report = central.merge([copy])
        assert report.conflicts[copy.resolve()] == [
            ("answer", one(central, "SELECT id FROM answer")[0][0])]
        assert one(central, "SELECT answer FROM answer") == [("eens",)]  # ours stays
        assert "1 regel met dezelfde versie maar een andere inhoud" in str(report)


def test_bad_rows_are_refused_and_counted_and_cannot_break_the_reports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "laptop" / "kiosk.db") as laptop:
        good = laptop.start_session("Markt", "markt")
        laptop.record_answer(laptop.start_visit(good), "digid", "eens")
        bad = laptop.start_session("Zwembad", "zwembad")
        laptop.record_answer(laptop.start_visit(bad), "digid", "oneens")
        odd = laptop.start_session("Bieb", "bibliotheek")
    laptop_db = tmp_path / "laptop" / "kiosk.db"
    with closing(sqlite3.connect(laptop_db)) as db:  # what a broken or hostile file holds
        db.execute("UPDATE session SET started = 'not-a-date' WHERE id = ?", [bad])
        db.execute("UPDATE session SET location = ? WHERE id = ?", ["\n=1+1", odd])
        db.commit()

    central_dir = tmp_path / "central"
    merged = run_kiosk("merge", str(tmp_path / "laptop"), "--data-dir", str(central_dir))
    assert merged.returncode == 1, merged.stderr  # merged what it could, and says not all
    out = merged.stdout
    assert "nieuw: 1 kiosk, 1 sessie, 1 bezoek, 1 antwoord" in out
    assert f"1 regel overgeslagen: {BAD_TIME}" in out
    assert f"1 regel overgeslagen: {BAD_TEXT}" in out
    assert f"2 regels overgeslagen: {MISSING_PARENT}" in out  # the bad session's visit and answer
    assert "MergeReport(" not in out  # a summary, not a Python repr

    assert "Niet alles is samengevoegd: 4 regels geweigerd" in out
    again = run_kiosk("merge", str(laptop_db), "--data-dir", str(central_dir))
    assert again.returncode == 1, again.stderr  # the bad rows are still left out
    assert "nieuw: niets nieuws" in again.stdout

    for args in (("export", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")),
                 ("export", "--format", "csv", "-o", str(tmp_path / "t.csv")),
                 ("report", "-o", str(tmp_path / "r.pdf"))):
        result = run_kiosk(*args, "--data-dir", str(central_dir))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert "=1+1" not in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")


def test_a_folder_without_databases_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_kiosk("merge", str(tmp_path / "empty"), "--data-dir", str(tmp_path / "c"))
    assert result.returncode == 1
    assert "geen .db-bestanden" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("copies", [1, 3])
def test_a_folder_of_copies_merges_every_db_once(tmp_path: Path, copies: int) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    for n in range(copies):
        with Store.open(tmp_path / f"l{n}.db") as laptop:
            session = laptop.start_session(f"Plek {n}", "markt")
            laptop.record_answer(laptop.start_visit(session), "digid", "eens")
        shutil.copy(tmp_path / f"l{n}.db", folder / f"laptop-{n}.db")
    with Store.open(tmp_path / "central.db") as central:
        report = central.merge([folder])
        assert report.totals()["answer"] == copies
        assert sum(central.merge([folder]).totals().values()) == 0
