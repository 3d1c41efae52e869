"""The tap-to-next-statement path stays within a frame (issue 20): what was moved off it.

- A visit's row is committed without a sync of its own; the first answer's commit
  (synchronous=FULL) syncs the write-ahead log and carries it to the disk too. Every
  later commit is FULL again.
- The statement is read aloud after it is painted: the speech request waits for the
  paint, and a tap or the end of the visit before then says nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.core.store import Store

pytestmark = pytest.mark.no_qt_log


def test_a_visit_is_committed_with_its_first_answer_and_full_sync_stays(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "kiosk.db")
    try:
        session = store.start_session("Markt", "markt")
        visit = store.start_visit(session)
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again
        store.record_answer(visit, "brieven-gemeente", "eens")
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        store.close()
    # both rows are in the file, read by another connection
    db = sqlite3.connect(tmp_path / "kiosk.db")
    try:
        assert db.execute("SELECT count(*) FROM visit WHERE id = ?", [visit]).fetchone() == (1,)
        assert db.execute("SELECT answer FROM answer WHERE visit_id = ?",
                          [visit]).fetchall() == [("eens",)]
    finally:
        db.close()


def test_a_store_opened_normal_stays_normal(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "kiosk.db", synchronous="NORMAL")
    try:
        store.start_visit(store.start_session("Markt", "markt"))
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1
    finally:
        store.close()


class Order(QObject):
    """Notes, in order, the statement text's paints and the speech requests."""

    def __init__(self, text) -> None:
        super().__init__()
        self.text, self.seen = text, []

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.text and event.type() == QEvent.Type.Paint:
            self.seen.append("paint")
        return False


def test_the_statement_is_read_after_it_is_painted(qtbot, qapp, data_dir: Path) -> None:
    apply_theme(qapp)
    clock = ManualClock()
    window, recorder, _ = build_window(Options(data_dir=data_dir, per_visit=ALL),
                                       monotonic=clock)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    order = Order(window.statement_screen.text)
    qapp.installEventFilter(order)
    window.speaker.requested.connect(lambda key: order.seen.append(f"say {key}"))
    try:
        clock.advance(1)
        qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
        first = window.visit.current.id
        qtbot.waitUntil(lambda: f"say {first}" in order.seen, timeout=10_000)
        assert "paint" in order.seen[:order.seen.index(f"say {first}")]
        order.seen.clear()
        clock.advance(1)
        with qtbot.waitSignal(window.answer_saved, timeout=10_000):
            qtbot.mouseClick(window.statement_screen.buttons["eens"],
                             Qt.MouseButton.LeftButton)
        second = window.visit.current.id
        qtbot.waitUntil(lambda: f"say {second}" in order.seen, timeout=10_000)
        assert "paint" in order.seen[:order.seen.index(f"say {second}")]
        # shown, then the kiosk goes back to the start before it is read: nothing is said
        order.seen.clear()
        window.back()
        window.to_attract()
        qtbot.wait(50)
        assert not [seen for seen in order.seen if seen.startswith("say")]
    finally:
        qapp.removeEventFilter(order)
        window.close()
        recorder.close()
