"""The "Sessie klaar" screen: conversations and signals (by kind, by name), and a session
shorter than a quarter hour shown as one quarter hour."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk import paths
from kiosk.app import Options, apply_theme, load_content
from kiosk.core.model import Content
from kiosk.core.store import Store
from kiosk.core.summary import SignalCount, dutch_span, session_summary
from kiosk.gui.staff.summary import SessionSummary
from kiosk.gui.theme import Theme
from tests.test_store import v1_database


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)
    return Theme.load(paths.ui_dir())


@pytest.fixture
def content(data_dir: Path) -> Content:
    return load_content(Options(data_dir=data_dir), lambda message: None)


def ten_minutes_with_signals(path: Path) -> tuple[Store, str]:
    """A session of ten minutes (stored 10:00 to 10:00): one visit, two conversations,
    signals geldzorgen x2, digid-problemen, anders (with a text); another session's signal
    that must not count."""
    moments = iter([datetime(2026, 3, 5, 10, 2)] * 3 + [datetime(2026, 3, 5, 10, 12)] * 100)
    store = Store.open(path, clock=lambda: next(moments))
    session = store.start_session("Weekmarkt", "markt", "taalhuis")
    visit = store.start_visit(session)
    store.record_answer(visit, "digid", "eens")
    store.finish_visit(visit, ["digisterker"])
    store.log_conversation(session)
    store.log_conversation(session)
    for kind in ("geldzorgen", "digid-problemen", "geldzorgen"):
        store.log_signal(session, kind)
    store.log_signal(session, "anders", "Te weinig computers")
    store.end_session(session)
    other = store.start_session("Zwembad", "zwembad", "taalhuis")
    store.log_signal(other, "eenzaamheid")
    return store, session


def test_the_summary_counts_conversations_and_signals_by_name(content, data_dir) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    store, session = ten_minutes_with_signals(data_dir / "kiosk.db")
    with store:
        data = session_summary(store, session, content)
    assert (data.started, data.ended) == ("2026-03-05T10:00", "2026-03-05T10:00")
    assert data.conversations == 2
    assert data.signals == (
        SignalCount("geldzorgen", content.signals["geldzorgen"].name, 2),
        SignalCount("anders", "Anders", 1),
        SignalCount("digid-problemen", content.signals["digid-problemen"].name, 1),
    )
    assert data.signal_total == 4


def test_a_file_from_before_conversations_has_none(content, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v1_database(path)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        (session,) = [row[0] for row in conn.execute("SELECT id FROM session")]
        data = session_summary(conn, session, content)
    assert (data.conversations, data.signals, data.signal_total) == (0, (), 0)


def test_a_session_shows_at_least_a_quarter_hour() -> None:
    assert dutch_span("2026-03-05T08:00", "2026-03-05T08:00") == "5 maart 2026, 08:00 tot 08:15"
    assert dutch_span("2026-03-05T08:00", "2026-03-05T09:30") == "5 maart 2026, 08:00 tot 09:30"
    assert dutch_span("2026-03-05T08:00", None) == "5 maart 2026, 08:00"
    assert dutch_span("2026-03-05T23:45", "2026-03-05T23:45") == (
        "5 maart 2026, 23:45 tot 6 maart 2026, 00:00")
    assert dutch_span("2026-03-05T08:00", "9999-12-31T23:45") == (
        "5 maart 2026, 08:00 tot tijd onbekend")


@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920)], ids=["1366x768", "portrait"])
def test_the_screen_shows_conversations_and_signals(qtbot, theme, content, data_dir,
                                                    tmp_path, size) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    store, session = ten_minutes_with_signals(data_dir / "kiosk.db")
    with store:
        data = session_summary(store, session, content)
    screen = SessionSummary(theme, paths.pictogram_dir())
    qtbot.addWidget(screen)
    screen.show_summary(data)
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    QApplication.processEvents()
    assert screen.subtitle.text() == "Weekmarkt (markt), 5 maart 2026, 10:00 tot 10:15"
    assert screen.numbers["conversations"].text() == "2"
    assert screen.notes["conversations"].text() == "4 signalen"
    assert screen.signals_title.isVisible()
    geld, digid = content.signals["geldzorgen"].name, content.signals["digid-problemen"].name
    assert screen.signals_line.text() == f"{geld}: 2,  Anders: 1,  {digid}: 1"
    assert screen.signals_line.accessibleName() == screen.signals_line.text()
    assert "Te weinig" not in screen.signals_line.text()  # the kind, not the free text
    # a standing screen puts the four tiles in two rows of two
    rows = {card.geometry().top() for card in screen.cards}
    assert len(rows) == (2 if size[0] < size[1] else 1)
    for label in (screen.signals_line, *screen.numbers.values(), *screen.notes.values()):
        assert label.geometry().bottom() < screen.done_button.geometry().top()
    picture = screen.grab()
    assert (picture.width(), picture.height()) == size
    assert picture.save(str(tmp_path / "summary.png"))


def test_without_signals_the_line_is_hidden(qtbot, theme, content, tmp_path) -> None:
    with Store.open(tmp_path / "k.db", clock=lambda: datetime(2026, 3, 5, 10, 0)) as store:
        session = store.start_session("Weekmarkt", "markt", "taalhuis")
        store.log_signal(session, "geldzorgen")
        store.end_session(session)
        quiet = store.start_session("Bieb", "bibliotheek", "taalhuis")
        store.end_session(quiet)
        busy, calm = (session_summary(store, s, content) for s in (session, quiet))
    screen = SessionSummary(theme, paths.pictogram_dir())
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    screen.show_summary(busy)
    assert screen.notes["conversations"].text() == "1 signaal"
    assert screen.signals_line.isVisible()
    screen.show_summary(calm)
    assert (screen.numbers["conversations"].text(), screen.notes["conversations"].text()) == (
        "0", "0 signalen")
    assert not screen.signals_title.isVisible()
    assert not screen.signals_line.isVisible()
