"""Conversations and signals that staff log during a session: the store, the Recorder and
the merge (no Qt)."""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from concurrent.futures import Future
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.model import FREE_TEXT_MAX, OTHER_SIGNAL, REFERRAL_KINDS
from kiosk.core.recorder import Recorder
from kiosk.core.store import MERGED_TABLES, Store
from tests.test_store import FakeClock, rows, v1_database, v2_database

#: An "Anders" text as staff would type it (with the spaces a quick typist leaves).
OTHER_TEXT = "  Veel vragen over  de energietoeslag "
STORED_TEXT = "Veel vragen over de energietoeslag"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path, clock=FakeClock(datetime(2026, 5, 12, 10, 44, 59))) as opened:
        yield opened


@pytest.fixture
def session(store: Store) -> str:
    return store.start_session("Weekmarkt", "markt", "taalhuis")


def test_the_contract_constants() -> None:
    assert OTHER_SIGNAL == "anders"
    assert FREE_TEXT_MAX == 140
    assert REFERRAL_KINDS == ("", "course", "partner")
    assert MERGED_TABLES[-2:] == ("conversation", "signal")  # after their parent, session


def test_a_session_with_two_conversations_and_three_signals(store: Store, session: str,
                                                            db_path: Path) -> None:
    assert store.session_log_counts(session) == (0, 0)
    plain = store.log_conversation(session)
    referred = store.log_conversation(session, topic="geld", referred_kind="partner",
                                      referred_to="schuldhulp")
    assert store.session_log_counts(session) == (2, 0)
    signals = [store.log_signal(session, "geldzorgen"),
               store.log_signal(session, "website-gemeente"),
               store.log_signal(session, OTHER_SIGNAL, OTHER_TEXT)]
    assert store.session_log_counts(session) == (2, 3)
    for row_id in (plain, referred, *signals):
        assert uuid.UUID(row_id).version == 4

    # on disk (another connection), times to the quarter hour like the answers
    assert rows(db_path, "SELECT id, session_id, at, topic, referred_kind, referred_to"
                " FROM conversation ORDER BY rowid") == [
        (plain, session, "2026-05-12T10:30", "", "", ""),
        (referred, session, "2026-05-12T10:30", "geld", "partner", "schuldhulp"),
    ]
    assert rows(db_path, "SELECT id, session_id, at, kind, text FROM signal ORDER BY rowid") == [
        (signals[0], session, "2026-05-12T10:30", "geldzorgen", ""),
        (signals[1], session, "2026-05-12T10:30", "website-gemeente", ""),
        (signals[2], session, "2026-05-12T10:30", "anders", STORED_TEXT),
    ]

    other = store.start_session("Zwembad", "zwembad")  # counts are per session
    store.log_conversation(other, referred_kind="course", referred_to="digisterker")
    assert store.session_log_counts(other) == (1, 0)
    assert store.session_log_counts(session) == (2, 3)
    assert store.session_log_counts("no-such-session") == (0, 0)


def test_logging_goes_on_after_the_session_ended(store: Store, session: str) -> None:
    """Staff may note a last conversation after "Sessie beëindigen"."""
    store.end_session(session)
    store.log_conversation(session)
    store.log_signal(session, "geldzorgen")
    assert store.session_log_counts(session) == (1, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("", "Typ eerst iets."),
    ("   ", "Typ eerst iets."),
    ("x" * 152, "Te lang: 152 tekens. Het mag 140 tekens zijn."),
    ("<b>Jan</b> heeft schulden", "Haal de tekens < en > weg."),
    ("Bel Jan op 06-12345678", "Haal het lange nummer weg. Geen namen of andere "
                               "persoonsgegevens."),
    ("Mail jan@example.nl", "Haal het e-mailadres weg. Geen namen of andere persoonsgegevens."),
    ("verborgen\u200bteken", "Er staat een onzichtbaar of ongeldig teken in de tekst (U+200B). "
     "Typ de tekst opnieuw."),
])
def test_a_bad_free_text_is_refused_with_the_dutch_message(
        store: Store, session: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        store.log_signal(session, OTHER_SIGNAL, text)
    assert store.session_log_counts(session) == (0, 0)  # nothing stored


def test_a_formula_is_stored_literally(store: Store, session: str) -> None:
    """Exports neutralise formulas; the store keeps what staff typed."""
    store.log_signal(session, OTHER_SIGNAL, '=HYPERLINK("https://example.com";"klik")')
    assert store.db.execute("SELECT text FROM signal").fetchall() == [
        ('=HYPERLINK("https://example.com";"klik")',)]


def test_the_free_text_is_never_logged(store: Store, session: str, db_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    secret, bad = "Zorgen om de huur van de flat", "Zorgen om <de huur>"
    with caplog.at_level(logging.DEBUG):
        store.log_signal(session, OTHER_SIGNAL, secret)
        with pytest.raises(ValueError, match="Haal de tekens") as refused:
            store.log_signal(session, OTHER_SIGNAL, bad)
        with pytest.raises(ValueError, match="Only the signal kind") as wrong_kind:
            store.log_signal(session, "geldzorgen", secret)
        with Recorder(db_path) as recorder:  # the same through the worker thread
            failed = recorder.log_signal(session, OTHER_SIGNAL, bad)
            assert isinstance(failed.exception(timeout=10), ValueError)
    for error in (refused.value, wrong_kind.value, failed.exception()):
        assert "huur" not in str(error)
    assert "huur" not in caplog.text


def test_only_anders_takes_a_text(store: Store, session: str) -> None:
    with pytest.raises(ValueError, match="Only the signal kind 'anders' takes a text"):
        store.log_signal(session, "geldzorgen", "en ook nog de huur")
    store.log_signal(session, "geldzorgen", "  ")  # blank is no text
    assert store.db.execute("SELECT kind, text FROM signal").fetchall() == [("geldzorgen", "")]


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"referred_kind": "huisarts"}, "referred_kind must be one of"),
    ({"referred_kind": "partner"}, "referred_to must be an id"),
    ({"referred_kind": "course", "referred_to": "Klik en Tik"}, "referred_to must be an id"),
    ({"referred_to": "schuldhulp"}, "referred_to must be empty when referred_kind is empty"),
    ({"topic": "Geld zorgen"}, "topic must be an id"),
    ({"topic": "x" * 65}, "at most 64 characters"),
    ({"topic": "geld\n"}, "topic must be an id"),
])
def test_a_bad_conversation_is_refused(store: Store, session: str, kwargs: dict,
                                       words: str) -> None:
    with pytest.raises(ValueError, match=words):
        store.log_conversation(session, **kwargs)
    assert store.session_log_counts(session) == (0, 0)


@pytest.mark.parametrize("kind", ["", "Geld zorgen", "geldzorgen ", "x" * 65])
def test_a_bad_signal_kind_is_refused(store: Store, session: str, kind: str) -> None:
    with pytest.raises(ValueError, match="kind must be an id"):
        store.log_signal(session, kind)


def test_an_unknown_session_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="No session with id 'nope'"):
        store.log_conversation("nope")
    with pytest.raises(ValueError, match="No session with id 'nope'"):
        store.log_signal("nope", "geldzorgen")
    with pytest.raises(ValueError, match="No session with id 'nope'"):
        store.log_signal("nope", OTHER_SIGNAL, "Een goede tekst")
    assert store.db.execute("SELECT count(*) FROM signal").fetchone() == (0,)


def test_the_recorder_logs_on_its_worker(db_path: Path) -> None:
    clock = FakeClock(datetime(2026, 5, 12, 16, 1))
    with Recorder(db_path, clock) as recorder:
        session = recorder.start_session("Bieb", "bibliotheek")  # a future is an id too
        first = recorder.log_conversation(session, "digitaal", "course", "digisterker")
        signal = recorder.log_signal(session, OTHER_SIGNAL, OTHER_TEXT)
        counts = recorder.session_log_counts(session)
        bad = recorder.log_signal(session, OTHER_SIGNAL, "x" * 141)
        assert isinstance(first, Future)
        assert counts.result(timeout=10) == (1, 1)
        assert str(bad.exception(timeout=10)) == "Te lang: 141 tekens. Het mag 140 tekens zijn."
        assert recorder.session_log_counts(session).result(timeout=10) == (1, 1)
        ids = first.result(), signal.result()
    assert clock.threads == {name for name in clock.threads if name.startswith("kiosk-store")}
    assert rows(db_path, "SELECT id, at, referred_to FROM conversation") == [
        (ids[0], "2026-05-12T16:00", "digisterker")]
    assert rows(db_path, "SELECT id, text FROM signal") == [(ids[1], STORED_TEXT)]


# -- merge -------------------------------------------------------------------------------


def laptop(path: Path, location: str, conversations: int, signals: list[tuple[str, str]]
           ) -> str:
    """A kiosk database with one session and its logs; returns the session id."""
    with Store.open(path, clock=FakeClock()) as store:
        session = store.start_session(location, "markt")
        for n in range(conversations):
            store.log_conversation(session, "geld" if n % 2 else "",
                                   "partner" if n % 2 else "", "welzijn" if n % 2 else "")
        for kind, text in signals:
            store.log_signal(session, kind, text)
        store.end_session(session)
        return session


def logged(store: Store) -> dict[str, list[tuple]]:
    return {table: store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("conversation", "signal")}


def test_two_laptops_merge_and_twice_changes_nothing(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "kiosk.db", tmp_path / "b" / "kiosk.db"
    session_a = laptop(a, "Markt", 2, [("geldzorgen", ""), (OTHER_SIGNAL, OTHER_TEXT)])
    session_b = laptop(b, "Zwembad", 3, [("digid-problemen", ""), ("eenzaamheid", ""),
                                         (OTHER_SIGNAL, "Brief over de WOZ niet begrepen")])
    with Store.open(a) as store_a, Store.open(b) as store_b:
        rows_a, rows_b = logged(store_a), logged(store_b)
    with Store.open(tmp_path / "central.db") as central:
        report = central.merge([a, b])
        assert report.added[a.resolve()]["conversation"] == 2
        assert report.added[b.resolve()]["signal"] == 3
        assert report.totals()["conversation"] == 5
        assert report.totals()["signal"] == 5
        merged = logged(central)
        assert merged == {t: sorted(rows_a[t] + rows_b[t]) for t in merged}
        assert central.session_log_counts(session_a) == (2, 2)
        assert central.session_log_counts(session_b) == (3, 3)
        assert (OTHER_SIGNAL, STORED_TEXT) in central.db.execute(
            "SELECT kind, text FROM signal").fetchall()
        again = central.merge([b, a])
        assert sum(again.totals().values()) == 0
        assert logged(central) == merged


def test_an_older_laptops_file_merges_without_conversations(tmp_path: Path) -> None:
    """Laptops not yet updated (schema 2, or 1) have no conversation or signal table:
    their rows merge, and the missing tables add nothing."""
    central_path = tmp_path / "central.db"
    laptop(central_path, "Markt", 1, [("geldzorgen", "")])
    v2, v1 = tmp_path / "v2" / "kiosk.db", tmp_path / "v1" / "kiosk.db"
    data_v2, data_v1 = v2_database(v2, "Buurthuis"), v1_database(v1, "Wijkcentrum")
    with Store.open(central_path) as central:
        before = logged(central)
        report = central.merge([v2, v1])
        for path, data in ((v2, data_v2), (v1, data_v1)):
            assert report.added[path.resolve()] == {t: len(data.get(t, [])) for t in MERGED_TABLES}
        assert logged(central) == before
        assert central.db.execute("SELECT count(*) FROM session").fetchone() == (3,)
        assert sum(central.merge([v2, v1]).totals().values()) == 0
    for path, version in ((v2, 2), (v1, 1)):  # the other files are left as they were
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA user_version").fetchone() == (version,)


def test_a_new_laptops_file_merges_into_an_upgraded_old_one(tmp_path: Path) -> None:
    """The coordinator's own database was made by the old kiosk: opening it upgrades it,
    then the new laptops' conversations and signals merge into it."""
    old, new = tmp_path / "coordinator.db", tmp_path / "new" / "kiosk.db"
    v2_database(old, "Bieb")
    session = laptop(new, "Markt", 2, [(OTHER_SIGNAL, OTHER_TEXT)])
    with Store.open(old) as coordinator:
        coordinator.merge([new])
        assert coordinator.session_log_counts(session) == (2, 1)
