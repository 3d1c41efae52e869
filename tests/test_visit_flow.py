"""The passer-by's visit at a market pace: a few statements, "Klaar" at any moment,
an end screen that is always reached once something was answered, and read aloud.

The real window, real clicks, a real SQLite file; a manual clock for the timers.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk import paths
from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.window import IDLE_AFTER, IDLE_COUNTDOWN, WALK_AWAY_END_SECONDS
from kiosk.speech.phrases import LIBRARY_KEY, course_key
from tests.conftest import run_kiosk

# FFmpeg's audio thread may still log when a test ends; pytest-qt's message
# handler swap then races it (see kiosk/speech/playback.py).
pytestmark = pytest.mark.no_qt_log


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def open_kiosk(qtbot, qapp, data_dir: Path, clock: ManualClock, **options):
    apply_theme(qapp)
    settings = {"data_dir": data_dir, "location": "Markt", "speech": False, **options}
    window, recorder, session = build_window(Options(**settings), monotonic=clock,
                                             rng=random.Random(7))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, recorder, session


@pytest.fixture
def kiosk(qtbot, qapp, data_dir, clock):
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock)
    yield window
    window.close()
    recorder.close()


def rows(data_dir: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(data_dir / "kiosk.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def begin(qtbot, kiosk, clock) -> None:
    clock.advance(1)
    qtbot.mouseClick(kiosk.attract, Qt.MouseButton.LeftButton)
    assert kiosk.current_screen == "statement"


def tap(qtbot, kiosk, clock, answer: str) -> None:
    clock.advance(1)
    with qtbot.waitSignal(kiosk.answer_saved, timeout=10_000):
        qtbot.mouseClick(kiosk.statement_screen.buttons[answer], Qt.MouseButton.LeftButton)


def click(qtbot, kiosk, clock, widget) -> None:
    clock.advance(1)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("per_visit", [1, 3, 5])
def test_a_visit_has_the_chosen_number_of_statements(qtbot, qapp, data_dir, clock, per_visit):
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=per_visit)
    try:
        begin(qtbot, window, clock)
        for index in range(per_visit):
            assert window.current_screen == "statement"
            assert window.statement_screen.dots.accessibleName() == \
                f"Vraag {index + 1} van {per_visit}"
            tap(qtbot, window, clock, "eens")
        assert window.current_screen == "end"  # per_visit answers, per_visit taps
        qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=10_000)
        assert rows(data_dir, "SELECT per_visit FROM session") == [(per_visit,)]
        assert rows(data_dir, "SELECT completed FROM visit") == [(1,)]
        assert len(rows(data_dir, "SELECT * FROM answer")) == per_visit
    finally:
        window.close()
        recorder.close()


def test_all_statements_per_visit_is_the_whole_set(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=ALL)
    try:
        begin(qtbot, window, clock)
        total = len(window.statement_set.statements)
        assert window.statement_screen.dots.accessibleName() == f"Vraag 1 van {total}"
        assert [s.id for s in window.visit.statements] == \
            [s.id for s in window.statement_set.statements]
        qtbot.waitUntil(lambda: rows(data_dir, "SELECT per_visit FROM session") == [(None,)])
    finally:
        window.close()
        recorder.close()


def test_the_library_chooses_three_by_default(kiosk) -> None:
    assert kiosk.per_visit == 3


def test_klaar_appears_after_the_first_answer_and_ends_the_visit(
        qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    finish = kiosk.statement_screen.finish_button
    assert not finish.isVisible()  # nothing to end yet
    tap(qtbot, kiosk, clock, "eens")
    assert finish.isVisible()
    assert finish.accessibleName() == "Klaar"
    click(qtbot, kiosk, clock, finish)
    assert kiosk.current_screen == "end"
    assert kiosk.end_screen.course_name.text()  # a course that fits the one answer
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    assert rows(data_dir, "SELECT completed, finished IS NOT NULL FROM visit") == [(0, 1)]
    shown = rows(data_dir, "SELECT qr_shown FROM referral")
    assert shown
    assert all(qr == 1 for (qr,) in shown)


def test_idle_after_an_answer_shows_the_end_screen_for_its_time(
        qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "oneens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    assert kiosk.current_screen == "idle"
    clock.advance(IDLE_COUNTDOWN)
    kiosk.tick()
    assert kiosk.current_screen == "end"  # whoever comes back still sees where to go
    qtbot.waitUntil(lambda: kiosk.bridge.pending == 0, timeout=10_000)
    assert rows(data_dir, "SELECT completed FROM visit") == [(0,)]
    assert rows(data_dir, "SELECT count(*) FROM referral WHERE qr_shown = 1")[0][0] >= 1
    # nobody came back: briefly (tests/test_walk_away.py), not END_SECONDS
    clock.advance(WALK_AWAY_END_SECONDS - 1)
    kiosk.tick()
    assert kiosk.current_screen == "end"
    clock.advance(1)
    kiosk.tick()
    assert kiosk.current_screen == "attract"


def test_idle_without_an_answer_goes_back_to_the_start(qtbot, kiosk, clock, data_dir) -> None:
    begin(qtbot, kiosk, clock)
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    clock.advance(IDLE_COUNTDOWN)
    kiosk.tick()
    assert kiosk.current_screen == "attract"
    assert rows(data_dir, "SELECT count(*) FROM visit") == [(0,)]


def test_stopping_after_an_answer_still_shows_the_courses(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    clock.advance(IDLE_AFTER)
    kiosk.tick()
    click(qtbot, kiosk, clock, kiosk.idle_screen.stop_button)
    assert kiosk.current_screen == "end"


def test_the_answer_given_is_marked_and_shown_in_the_dots(qtbot, kiosk, clock) -> None:
    screen = kiosk.statement_screen
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "oneens")
    assert screen.dots.answers[0] == "oneens"  # the first dot shows the answer taken
    assert screen.taken == "oneens"  # marked a moment over the next statement
    clock.advance(1)
    qtbot.waitUntil(lambda: screen.taken is None)  # then its timer takes the mark away
    assert screen.buttons["oneens"].icon().cacheKey() != \
        screen._chosen_icons["oneens"].cacheKey()  # the new statement starts unmarked
    click(qtbot, kiosk, clock, screen.back_button)
    assert screen.buttons["oneens"].icon().cacheKey() == \
        screen._chosen_icons["oneens"].cacheKey()  # back: what was chosen is marked
    assert screen.buttons["eens"].icon().cacheKey() == screen._icons["eens"].cacheKey()


def test_a_disabled_back_button_is_not_drawn(qtbot, kiosk, clock) -> None:
    begin(qtbot, kiosk, clock)
    back = kiosk.statement_screen.back_button
    assert not back.isEnabled()
    image = back.grab().toImage()
    corner = image.pixelColor(2, 2)
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    assert middle == corner  # no arrow, no frame: only the background


def test_wat_is_dat_shows_and_reads_the_word_help(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=ALL,
                                     speech=True)
    try:
        screen = window.statement_screen
        with_help = [s for s in window.statement_set.statements if s.uitleg]
        assert with_help, "the default set explains its hard words"
        begin(qtbot, window, clock)
        while window.visit.current.uitleg == "":
            assert not screen.explain_button.isVisible()
            tap(qtbot, window, clock, "weet_niet")
        statement = window.visit.current
        assert screen.explain_button.isVisible()
        assert not screen.uitleg.isVisible()
        with qtbot.waitSignal(window.speaker.requested, timeout=10_000,
                              check_params_cb=lambda key: key == f"uitleg-{statement.id}"):
            click(qtbot, window, clock, screen.explain_button)
        assert screen.uitleg.isVisible()
        assert screen.uitleg.text() == statement.uitleg
    finally:
        window.close()
        recorder.close()


def test_the_end_screen_reads_every_line_in_order(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=1,
                                     speech=True)
    try:
        speaker = window.speaker
        heard: list[str] = []
        speaker.started.connect(heard.append)
        begin(qtbot, window, clock)
        tap(qtbot, window, clock, "eens")
        course = window.end_screen.shown
        expected = ["dank", "cursus", course_key(course), "scan", "hulp", LIBRARY_KEY]
        assert [speaker.playing or speaker._pending[0], *speaker.queue] == expected
        with qtbot.waitSignal(speaker.finished, timeout=90_000,
                              check_params_cb=lambda key: key == LIBRARY_KEY):
            pass
        assert heard[-len(expected):] == expected  # every line was played, top to bottom
        assert window.end_screen.title.text() == "Dank je wel! Dit past bij jou."
        shown = [window.end_screen.title.text(),
                 window.end_screen.course_name.text(), window.end_screen.hint.text(),
                 window.end_screen.people.text(), window.end_screen.library.text()]
        assert all(shown)
        assert window.end_screen.people.text() == "Wil je hulp? Praat met ons."
        assert window.content.library.name in window.end_screen.library.text()
    finally:
        window.close()
        recorder.close()


def test_the_other_course_is_shown_and_read(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=ALL,
                                     speech=True)
    try:
        begin(qtbot, window, clock)
        while window.current_screen == "statement":
            tap(qtbot, window, clock, "eens")  # agreeing with everything: two courses fit
        end = window.end_screen
        assert end.other_course.isVisible()
        other = end.courses[1]
        with qtbot.waitSignal(window.speaker.requested, timeout=10_000,
                              check_params_cb=lambda key: key == course_key(other)):
            click(qtbot, window, clock, end.other_course)
        assert end.shown is other
        assert end.course_name.text() == other.name
        assert window.speaker.queue == ["scan"]
    finally:
        window.close()
        recorder.close()


def test_holding_klaar_says_what_it_does(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, speech=True)
    try:
        begin(qtbot, window, clock)
        tap(qtbot, window, clock, "eens")
        clock.advance(1)
        finish = window.statement_screen.finish_button
        with qtbot.waitSignal(window.speaker.requested, timeout=10_000,
                              check_params_cb=lambda key: key == "klaar-vroeg"):
            QTest.mousePress(finish, Qt.MouseButton.LeftButton)
        QTest.mouseRelease(finish, Qt.MouseButton.LeftButton)
        assert window.current_screen == "statement"  # holding to listen does not end it
    finally:
        window.close()
        recorder.close()


def hostile_content(tmp_path: Path) -> Path:
    """The default content with an ampersand and markup in names and statements."""
    folder = tmp_path / "content"
    shutil.copytree(paths.default_content_dir(), folder)
    courses = folder / "courses.toml"
    courses.write_text(courses.read_text(encoding="utf-8").replace(
        'name = "Digisterker"', 'name = "Digi & <b>Sterker</b>"'), encoding="utf-8")
    library = folder / "library.toml"
    library.write_text(library.read_text(encoding="utf-8").replace(
        # the library's own texts refuse < and > (they are typed on the Instellingen screen
        # under the name rules); an ampersand and quotes stay as written
        'name = "Bibliotheek"', 'name = "Bieb & Co \'t Hof"'), encoding="utf-8")
    return folder


def test_ampersands_and_markup_in_content_show_as_written(
        qtbot, qapp, data_dir, clock, tmp_path) -> None:
    from kiosk.gui.widgets import TouchButton

    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=ALL,
                                     content_dir=hostile_content(tmp_path))
    try:
        content = window.content
        assert content.courses["digisterker"].name == "Digi & <b>Sterker</b>"
        end = window.end_screen
        for course in content.courses.values():  # every course on the end screen's label
            end.show_courses([course, content.courses[content.default_course]])
            assert end.course_name.text() == course.name
            assert end.course_name.textFormat() == Qt.TextFormat.PlainText
            assert end.course_line.text() == course.line
        end.show_courses([content.courses["taalhuis"], content.courses["digisterker"]])
        assert isinstance(end.other_course, TouchButton)
        assert end.other_course.shown_text() == "Of: Digi & <b>Sterker</b>"
        assert end.other_course.accessibleName() == "Of: Digi & <b>Sterker</b>"
        assert window.attract.library.text() == "Bieb & Co 't Hof"
        assert window.attract.library.textFormat() == Qt.TextFormat.PlainText
        assert "Bieb & Co 't Hof" in end.library.text()
        screen = window.statement_screen
        for statement in window.statement_set.statements:
            screen.show_statement(statement, 0, 1)
            assert screen.text.text() == statement.text
            assert screen.text.textFormat() == Qt.TextFormat.PlainText
    finally:
        window.close()
        recorder.close()


def test_klik_en_tik_keeps_its_ampersand_on_a_button() -> None:
    from kiosk.gui.widgets import TouchButton, plain

    button = TouchButton(plain("Of: Klik & Tik"))
    assert button.shown_text() == "Of: Klik & Tik"
    assert button.text() == "Of: Klik && Tik"  # Qt's way to show one "&"


def test_thirty_visits_of_three_cover_the_set_evenly(tmp_path) -> None:
    data = tmp_path / "rotation"
    result = run_kiosk("simulate", "--visits", "30", "--per-visit", "3", "--seed", "5",
                       "--no-speech", "--size", "1024x768", "--data-dir", str(data),
                       timeout=300)
    assert result.returncode == 0, result.stderr
    counts = dict(rows(data, "SELECT statement_id, count(*) FROM answer GROUP BY 1"))
    statements = [s.id for s in _default_set().statements]
    assert set(counts) == set(statements)  # every statement was answered
    assert max(counts.values()) - min(counts.values()) <= 2
    assert rows(data, "SELECT count(*) FROM visit") == [(30,)]
    assert rows(data, "SELECT per_visit FROM session") == [(3,)]


def _default_set():
    from kiosk.core.content import load_content

    return load_content(paths.default_content_dir()).statement_set()


def test_klaar_on_the_end_screen_says_goodbye(qtbot, qapp, data_dir, clock) -> None:
    window, recorder, _ = open_kiosk(qtbot, qapp, data_dir, clock, per_visit=1, speech=True)
    try:
        begin(qtbot, window, clock)
        tap(qtbot, window, clock, "eens")
        with qtbot.waitSignal(window.speaker.requested, timeout=10_000,
                              check_params_cb=lambda key: key == "klaar"):
            click(qtbot, window, clock, window.end_screen.next_button)
        assert window.current_screen == "attract"
        assert window.speaker.queue == []  # the end screen's reading stopped
    finally:
        window.close()
        recorder.close()


def test_per_visit_on_the_command_line(tmp_path) -> None:
    bad = run_kiosk("simulate", "--per-visit", "0", "--data-dir", str(tmp_path / "bad"))
    assert bad.returncode == 2
    assert "kies een heel getal vanaf 1, of 'alle'" in bad.stderr
    assert "Traceback" not in bad.stderr
    data = tmp_path / "all"
    result = run_kiosk("simulate", "--visits", "1", "--per-visit", "all", "--no-speech",
                       "--size", "1024x768", "--data-dir", str(data), timeout=300)
    assert result.returncode == 0, result.stderr
    assert rows(data, "SELECT per_visit FROM session") == [(None,)]
    assert rows(data, "SELECT count(*) FROM answer") == [(len(_default_set().statements),)]
