"""The store: schema, pragmas, anonymous times, the one-answer-per-statement rule, the Recorder."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from concurrent.futures import Future
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.core.recorder import Recorder
from kiosk.core.schema import _schema_v1, _schema_v2
from kiosk.core.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Store,
    StoreError,
)


class FakeClock:
    """A clock the test sets; remembers the threads it was read from."""

    def __init__(self, now: datetime = datetime(2026, 3, 14, 14, 29, 59)):
        self.now = now
        self.threads: set[str] = set()

    def __call__(self) -> datetime:
        self.threads.add(threading.current_thread().name)
        return self.now


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read with a separate, short-lived connection (what is on disk)."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def v1_database(path: Path, location: str = "Markt", version: int = 1
                ) -> dict[str, list[tuple]]:
    """A kiosk database of schema version 1 (before ``session.per_visit``), made with
    the first migration only, with a few rows; returns the rows per table.

    ``version=2``: the schema before conversations and signals (the first two migrations;
    the session then has ``per_visit`` 3)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tag = location.lower()

    def u(name: str) -> str:  # a row id as the kiosk writes them (a UUID), fixed per name
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}-{tag}"))

    session = (u("s"), u("k"), location, "markt", "taalhuis", "2025-11-03T09:00",
               "2025-11-03T12:00")
    data = {
        "kiosk": [(u("k"), f"kiosk-{tag}", "2025-11-03T09:00")],
        "session": [session if version == 1 else (*session, 3)],
        "visit": [(u("v1"), u("s"), "2025-11-03T09:15", "2025-11-03T09:15", 1),
                  (u("v2"), u("s"), "2025-11-03T09:30", None, 0)],
        "answer": [(u("a1"), u("v1"), u("s"), "digid", "eens", "touch", "2025-11-03T09:15"),
                   (u("a2"), u("v2"), u("s"), "digid", "oneens", "touch", "2025-11-03T09:30"),
                   (u("a3"), None, u("s"), "geld", "eens", "staff", "2025-11-03T11:00")],
        "referral": [(u("r1"), u("v1"), u("s"), "digisterker", 1, 1)],
    }
    with closing(sqlite3.connect(path)) as conn:
        db = sqlite_utils.Database(conn)
        _schema_v1(db)
        if version == 2:
            _schema_v2(db)
        db.execute("INSERT INTO meta VALUES ('kiosk_id', ?)", [u("k")])
        for table, table_rows in data.items():
            marks = ", ".join("?" * len(table_rows[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    return data


def v2_database(path: Path, location: str = "Markt") -> dict[str, list[tuple]]:
    """A kiosk database of schema version 2 (before conversations and signals): the
    schema of the kiosks in use when version 3 came."""
    return v1_database(path, location, version=2)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path, clock=FakeClock()) as opened:
        yield opened


# -- opening -------------------------------------------------------------------


def test_open_creates_folder_file_and_schema(store: Store, db_path: Path) -> None:
    assert db_path.is_file()
    names = "SELECT name FROM sqlite_master WHERE sql IS NOT NULL AND type = ?"
    tables = {name for (name,) in rows(db_path, names, ("table",))}
    assert tables == {"meta", "kiosk", "session", "visit", "answer", "referral", "conversation",
                      "signal"}
    indexes = {name for (name,) in rows(db_path, names, ("index",))}
    assert indexes == {"answer_tally", "answer_one_per_visit", "visit_session", "referral_session",
                       "conversation_session", "signal_session"}
    assert rows(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db_path, "PRAGMA application_id") == [(APPLICATION_ID,)]


def test_kiosk_id_is_created_once_and_kept(db_path: Path) -> None:
    with Store.open(db_path) as first:
        kiosk_id = first.kiosk_id
    with Store.open(db_path) as again:
        assert again.kiosk_id == kiosk_id
    assert rows(db_path, "SELECT id FROM kiosk") == [(kiosk_id,)]
    assert rows(db_path, "SELECT value FROM meta WHERE key='kiosk_id'") == [(kiosk_id,)]


def test_wal_full_and_foreign_keys_are_in_effect(store: Store) -> None:
    def pragma(name: str):
        return store.db.execute(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") > 0


def test_synchronous_normal_can_be_chosen(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db", synchronous="NORMAL") as store:
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1
    with pytest.raises(ValueError, match="synchronous"):
        Store.open(tmp_path / "k.db", synchronous="OFF; DROP TABLE answer")


def test_a_version_1_database_is_upgraded_and_keeps_every_row(db_path: Path) -> None:
    before = v1_database(db_path)
    assert SCHEMA_VERSION == 5
    with Store.open(db_path) as store:
        assert store.kiosk_id == before["kiosk"][0][0]  # the same kiosk, no second one
        db = store.db
        for table, table_rows in before.items():
            if table == "session":
                continue
            # every row kept, at version 1 (the change counter of schema 4)
            assert db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == [
                (*row, 1) for row in sorted(table_rows)]
        assert db.execute("SELECT * FROM session").fetchall() == [
            (*before["session"][0], None, 1, "")]  # per_visit NULL: every statement, as it
        # was; approach "": none (schema 5)
        assert store.session_counts(before["session"][0][0]) == {"digid": 2}
        new = store.start_session("Bieb", per_visit=3)
    assert rows(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db_path, "SELECT id, per_visit FROM session ORDER BY started") == [
        (before["session"][0][0], None), (new, 3)]
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, "SELECT count(*) FROM conversation") == [(0,)]  # v1 -> v3 in one go
    with Store.open(db_path) as again:  # opening once more changes nothing
        assert again.db.execute("SELECT count(*) FROM session").fetchone()[0] == 2


def test_a_version_2_database_is_upgraded_and_keeps_every_row(db_path: Path) -> None:
    """Today's kiosks (schema 2): every row stays, the conversation and signal tables
    come empty, and the store logs into them at once."""
    before = v2_database(db_path)
    assert rows(db_path, "PRAGMA user_version") == [(2,)]
    with Store.open(db_path, clock=FakeClock()) as store:
        assert store.kiosk_id == before["kiosk"][0][0]
        for table, table_rows in before.items():
            approach = ("",) if table == "session" else ()  # schema 5: no approach
            assert store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == [
                (*row, 1, *approach) for row in sorted(table_rows)]
        assert store.session_log_counts(before["session"][0][0]) == (0, 0)
        store.log_conversation(before["session"][0][0], "digitaal", "course", "digisterker")
        store.log_signal(before["session"][0][0], "anders", "Veel vragen over de energietoeslag")
        assert store.session_log_counts(before["session"][0][0]) == (1, 1)
    assert rows(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    assert rows(db_path, "SELECT count(*) FROM answer") == [(len(before["answer"]),)]
    with Store.open(db_path) as again:  # opening once more changes nothing
        assert again.session_log_counts(before["session"][0][0]) == (1, 1)
        assert again.db.execute("SELECT count(*) FROM session").fetchone()[0] == 1


def test_newer_schema_version_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="nieuwere versie.*werk de kiosk bij") as error:
        Store.open(db_path)
    assert str(db_path) in str(error.value)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Dit is geen database.\n" * 200)
    with pytest.raises(StoreError, match="geen database van de kiosk") as error:
        Store.open(path)
    assert str(path) in str(error.value)
    assert path.read_text().startswith("Dit is geen database.")  # left as it was


def test_another_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="geen database van de kiosk"):
        Store.open(path)


# -- writing -------------------------------------------------------------------


def test_times_are_rounded_down_to_the_quarter_hour(db_path: Path) -> None:
    clock = FakeClock(datetime(2026, 3, 14, 14, 29, 59))
    with Store.open(db_path, clock=clock) as store:
        session = store.start_session("Markt", "markt")
        visit = store.start_visit(session)
        store.record_answer(visit, "s1", "eens")
        clock.now = datetime(2026, 3, 14, 14, 30, 0)
        store.finish_visit(visit, ["c1"])
        clock.now = datetime(2026, 3, 14, 16, 59, 1)
        store.end_session(session)
    assert rows(db_path, "SELECT started, ended FROM session") == [
        ("2026-03-14T14:15", "2026-03-14T16:45")
    ]
    assert rows(db_path, "SELECT started, finished FROM visit") == [
        ("2026-03-14T14:15", "2026-03-14T14:30")
    ]
    assert rows(db_path, "SELECT at FROM answer") == [("2026-03-14T14:15",)]
    assert rows(db_path, "SELECT created FROM kiosk") == [("2026-03-14T14:15",)]


def test_second_answer_to_a_statement_replaces_the_first(store: Store, db_path: Path) -> None:
    visit = store.start_visit(store.start_session("Bieb"))
    first = store.record_answer(visit, "s1", "eens")
    store.record_answer(visit, "s2", "eens")
    second = store.record_answer(visit, "s1", "weet_niet")
    assert second == first  # the row keeps its id
    assert rows(db_path, "SELECT id, answer FROM answer WHERE statement_id = 's1'") == [
        (first, "weet_niet")
    ]
    assert rows(db_path, "SELECT count(*) FROM answer") == [(2,)]


def test_the_same_statement_in_two_visits_gives_two_rows(store: Store, db_path: Path) -> None:
    session = store.start_session("Bieb")
    store.record_answer(store.start_visit(session), "s1", "eens")
    store.record_answer(store.start_visit(session), "s1", "eens")
    assert rows(db_path, "SELECT count(*) FROM answer") == [(2,)]


@pytest.mark.parametrize("answer", ["ja", "EENS", "weet niet", ""])
def test_invalid_answers_raise_value_error(store: Store, answer: str) -> None:
    visit = store.start_visit(store.start_session("Bieb"))
    with pytest.raises(ValueError, match="answer must be one of"):
        store.record_answer(visit, "s1", answer)


def test_unknown_ids_raise_value_error(store: Store) -> None:
    with pytest.raises(ValueError, match="No visit"):
        store.record_answer("no-such-visit", "s1", "eens")
    with pytest.raises(ValueError, match="No session"):
        store.start_visit("no-such-session")
    with pytest.raises(ValueError, match="No session"):
        store.end_session("no-such-session")
    with pytest.raises(ValueError, match="No session"):
        store.add_staff_tally("no-such-session", "s1", "eens")
    with pytest.raises(ValueError, match="No referral"):
        store.mark_printed("no-such-referral")
    with pytest.raises(ValueError, match="place_kind"):
        store.start_session("Bieb", "kroeg")
    with pytest.raises(ValueError, match="naam van de plek"):
        store.start_session("   ")


@pytest.mark.parametrize("per_visit", [None, 1, 3, 5, 40])
def test_a_session_keeps_its_statements_per_visit(store: Store, db_path: Path, per_visit) -> None:
    session = store.start_session("Markt", "markt", "taalhuis", per_visit=per_visit)
    assert rows(db_path, "SELECT per_visit FROM session WHERE id = ?", (session,)) == [
        (per_visit,)]


def test_per_visit_default_is_all(store: Store, db_path: Path) -> None:
    store.start_session("Markt")
    assert rows(db_path, "SELECT per_visit FROM session") == [(None,)]


@pytest.mark.parametrize("bad", [0, -3, 2.5, "3", True])
def test_a_bad_per_visit_is_refused(store: Store, db_path: Path, bad) -> None:
    with pytest.raises(ValueError, match="per_visit"):
        store.start_session("Markt", per_visit=bad)
    assert rows(db_path, "SELECT count(*) FROM session") == [(0,)]


def test_session_counts_are_touch_answers_per_statement(store: Store) -> None:
    session = store.start_session("Markt")
    other = store.start_session("Bieb")
    first, second = store.start_visit(session), store.start_visit(session)
    store.record_answer(first, "s1", "eens")
    store.record_answer(first, "s1", "oneens")  # a changed answer counts once
    store.record_answer(first, "s2", "eens")
    store.record_answer(second, "s1", "weet_niet")
    store.add_staff_tally(session, "s3", "eens", count=4)  # the beanbag game: not in a visit
    store.record_answer(store.start_visit(other), "s2", "eens")
    assert store.session_counts(session) == {"s1": 2, "s2": 1}
    assert store.session_counts(other) == {"s2": 1}
    assert store.session_counts("no-such-session") == {}


def test_staff_tallies_are_rows_without_visit(store: Store, db_path: Path) -> None:
    session = store.start_session("Zwembad", "zwembad")
    ids = store.add_staff_tally(session, "s3", "oneens", count=4)
    assert len(set(ids)) == 4
    assert rows(db_path, "SELECT visit_id, session_id, source, answer, count(*) FROM answer") == [
        (None, session, "staff", "oneens", 4)
    ]
    with pytest.raises(ValueError, match="count"):
        store.add_staff_tally(session, "s3", "oneens", count=0)


def test_finish_visit_records_referrals(store: Store, db_path: Path) -> None:
    session = store.start_session("Bieb")
    visit = store.start_visit(session)
    referrals = store.finish_visit(visit, ["digisterker", "taalcafe"], qr_shown=False)
    store.mark_printed(referrals[1])
    assert rows(db_path, "SELECT completed, finished IS NOT NULL FROM visit") == [(1, 1)]
    assert rows(
        db_path, "SELECT id, visit_id, session_id, course_id, qr_shown, printed FROM referral"
        " ORDER BY course_id"
    ) == [
        (referrals[0], visit, session, "digisterker", 0, 0),
        (referrals[1], visit, session, "taalcafe", 0, 1),
    ]


def test_a_visit_left_early_is_finished_not_completed(store: Store, db_path: Path) -> None:
    session = store.start_session("Bieb", per_visit=3)
    visit = store.start_visit(session)
    store.record_answer(visit, "s1", "eens")
    referrals = store.finish_visit(visit, ["digisterker"], completed=False)
    assert rows(db_path, "SELECT completed, finished FROM visit") == [(0, "2026-03-14T14:15")]
    assert rows(db_path, "SELECT id, course_id, qr_shown, printed FROM referral") == [
        (referrals[0], "digisterker", 1, 0)]  # the end screen showed the course anyway
    with pytest.raises(ValueError, match="No visit"):
        store.finish_visit("no-such-visit", [], completed=False)


def test_a_cut_off_visit_keeps_its_answers(db_path: Path) -> None:
    store = Store.open(db_path)
    visit = store.start_visit(store.start_session("Markt", "markt"))
    store.record_answer(visit, "s1", "eens")
    store.record_answer(visit, "s2", "oneens")
    # Before the store is closed, another connection already sees both answers on disk.
    assert rows(db_path, "SELECT count(*) FROM answer WHERE visit_id = ?", (visit,)) == [(2,)]
    store.close()
    with Store.open(db_path) as reopened:
        db = reopened.db
        assert db.execute("SELECT finished, completed FROM visit").fetchall() == [(None, 0)]
        assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 2


# -- the Recorder --------------------------------------------------------------


def test_recorder_writes_on_its_own_thread_and_futures_resolve(db_path: Path) -> None:
    clock = FakeClock()
    with Recorder(db_path, clock) as recorder:
        session = recorder.start_session("Markt", "markt")
        visit = recorder.start_visit(session)  # a future as the id: no waiting here
        answers = [recorder.record_answer(visit, f"s{i}", "eens") for i in range(3)]
        replaced = recorder.record_answer(visit, "s0", "oneens")
        tally = recorder.add_staff_tally(session, "s1", "weet_niet", 2)
        referrals = recorder.finish_visit(visit, ["c1"])
        printed = recorder.mark_printed(referrals.result(timeout=10)[0])
        ended = recorder.end_session(session)
        futures = [session, visit, *answers, replaced, tally, referrals, printed, ended]
        assert all(isinstance(f, Future) for f in futures)
        assert replaced.result(timeout=10) == answers[0].result(timeout=10)
        assert len(tally.result(timeout=10)) == 2
        assert printed.result(timeout=10) is None
        assert ended.result(timeout=10) is None
        assert isinstance(recorder.kiosk_id.result(timeout=10), str)
    assert threading.current_thread().name not in clock.threads
    assert all(name.startswith("kiosk-store") for name in clock.threads)
    assert rows(db_path, "SELECT statement_id, answer, source FROM answer ORDER BY 1, 3") == [
        ("s0", "oneens", "touch"), ("s1", "weet_niet", "staff"), ("s1", "weet_niet", "staff"),
        ("s1", "eens", "touch"), ("s2", "eens", "touch"),
    ]
    assert rows(db_path, "SELECT printed FROM referral") == [(1,)]


def test_recorder_passes_per_visit_completed_and_session_counts(db_path: Path) -> None:
    with Recorder(db_path, FakeClock()) as recorder:
        session = recorder.start_session("Markt", "markt", "taalhuis", per_visit=5)
        everything = recorder.start_session("Bieb")
        early = recorder.start_visit(session)
        recorder.record_answer(early, "s1", "eens")
        recorder.finish_visit(early, ["c1"], completed=False)
        whole = recorder.start_visit(session)
        recorder.record_answer(whole, "s1", "oneens")
        recorder.record_answer(whole, "s2", "eens")
        done = recorder.finish_visit(whole, ["c1"])
        counts = recorder.session_counts(session)
        bad = recorder.start_session("Markt", per_visit=0)
        assert isinstance(counts, Future)
        assert counts.result(timeout=10) == {"s1": 2, "s2": 1}
        assert len(done.result(timeout=10)) == 1
        with pytest.raises(ValueError, match="per_visit"):
            bad.result(timeout=10)
        ids = (session.result(timeout=10), everything.result(timeout=10))
    assert rows(db_path, "SELECT id, per_visit FROM session ORDER BY per_visit") == [
        (ids[1], None), (ids[0], 5)]
    assert rows(db_path, "SELECT completed FROM visit ORDER BY completed") == [(0,), (1,)]


def test_recorder_errors_surface_on_the_futures(db_path: Path) -> None:
    with Recorder(db_path) as recorder:
        visit = recorder.start_visit(recorder.start_session("Bieb"))
        bad = recorder.record_answer(visit, "s1", "misschien")
        good = recorder.record_answer(visit, "s1", "eens")
        with pytest.raises(ValueError, match="answer must be one of"):
            bad.result(timeout=10)
        assert good.result(timeout=10)


def test_recorder_reports_a_database_it_cannot_open(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 1000)
    with Recorder(path) as recorder:
        with pytest.raises(StoreError, match="broken.db"):
            recorder.start_session("Bieb").result(timeout=10)
