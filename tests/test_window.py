"""The real kiosk window, driven with real clicks (pytest-qt, offscreen)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.app import Options, apply_theme, build_window
from tests.conftest import zbar_decode


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path):
    apply_theme(qapp)
    window, recorder, session_id = build_window(Options(data_dir=data_dir, location="Markt"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    recorder.close()


def answers_on_disk(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "kiosk.db") as db:
        rows = db.execute("SELECT statement_id, answer FROM answer ORDER BY rowid").fetchall()
    db.close()
    return rows


def tap(qtbot, kiosk, answer: str) -> None:
    with qtbot.waitSignal(kiosk.answer_saved, timeout=5000) as saved:
        qtbot.mouseClick(kiosk.statement_screen.buttons[answer], Qt.MouseButton.LeftButton)
    assert saved.args[1] == answer


def test_a_visit_is_recorded_tap_by_tap_and_ends_with_a_course(qtbot, kiosk, data_dir) -> None:
    statements = kiosk.statement_set.statements
    assert kiosk.statement_screen.text.text() == statements[0].text
    assert kiosk.statement_screen.pictogram.name == statements[0].pictogram
    assert kiosk.statement_screen.progress.text() == f"1 van {len(statements)}"

    for index, statement in enumerate(statements):
        assert kiosk.statement_screen.text.text() == statement.text
        answer = "eens" if statement.id == "digid" else "oneens"
        tap(qtbot, kiosk, answer)
        # each answer is on disk the moment the screen moves on
        assert len(answers_on_disk(data_dir)) == index + 1

    assert kiosk.current_screen == "thanks"
    assert kiosk.thanks_screen.course_name.text() == "Digisterker"
    assert kiosk.thanks_screen.qr.url == "https://www.digisterker.nl"
    assert dict(answers_on_disk(data_dir))["digid"] == "eens"


def test_the_next_visit_starts_fresh(qtbot, kiosk, data_dir) -> None:
    for _ in kiosk.statement_set.statements:
        tap(qtbot, kiosk, "eens")
    with qtbot.waitSignal(kiosk.screen_changed) as shown:
        qtbot.mouseClick(kiosk.thanks_screen.next_button, Qt.MouseButton.LeftButton)
    assert shown.args == ["statement"]
    assert kiosk.visit.answers == {}
    assert kiosk.statement_screen.progress.text().startswith("1 van")
    tap(qtbot, kiosk, "oneens")
    with sqlite3.connect(data_dir / "kiosk.db") as db:
        visits = db.execute("SELECT count(*) FROM visit").fetchone()[0]
    db.close()
    assert visits == 2


def test_a_double_tap_records_one_answer(qtbot, kiosk, data_dir) -> None:
    button = kiosk.statement_screen.buttons["eens"]
    with qtbot.waitSignal(kiosk.answer_saved, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # before the save is acknowledged
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0)
    assert len(answers_on_disk(data_dir)) == 1
    assert kiosk.visit.position == 1


def test_a_visit_cut_off_halfway_keeps_its_answers(qtbot, kiosk, data_dir) -> None:
    tap(qtbot, kiosk, "eens")
    tap(qtbot, kiosk, "oneens")
    kiosk.start_visit()  # the person walks away; the kiosk resets
    assert [a for _, a in answers_on_disk(data_dir)] == ["eens", "oneens"]


def test_every_button_has_a_name_for_tests_and_assistive_tech(kiosk) -> None:
    buttons = kiosk.findChildren(QPushButton)
    assert len(buttons) >= 3
    for button in buttons:
        assert button.objectName(), button.text()
        assert button.accessibleName(), button.objectName()
    assert {b.objectName() for b in buttons} >= {"answer_eens", "answer_oneens", "next_visit"}


def test_the_qr_code_on_the_end_screen_decodes_to_the_course_url(
    qtbot, kiosk, tmp_path
) -> None:
    for statement in kiosk.statement_set.statements:
        tap(qtbot, kiosk, "eens" if statement.id == "rekeningen" else "oneens")
    assert kiosk.current_screen == "thanks"
    png = tmp_path / "end.png"
    assert kiosk.grab().save(str(png))
    assert zbar_decode(png) == ["https://www.geldfit.nl"]
