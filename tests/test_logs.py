"""The log in the data folder: tracebacks, Qt's messages, staff notices; never what people typed."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from kiosk import logs
from tests.conftest import run_kiosk
from tests.test_shell import PIN, click, make_shell, rows


@pytest.fixture
def logged(data_dir: Path):
    setup = logs.setup(data_dir, echo=False)
    yield setup
    setup.close()


def text_of(data_dir: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return logs.log_path(data_dir).read_text(encoding="utf-8")


def test_the_log_rotates_in_the_data_folder(logged, data_dir: Path) -> None:
    assert logged.path == data_dir / "logs" / "kiosk.log"
    files = [h for h in logged.handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1
    assert (files[0].maxBytes, files[0].backupCount) == (1_000_000, 5)
    logging.getLogger("kiosk.test").warning("something to see")
    assert "WARNING kiosk.test [MainThread]: something to see" in text_of(data_dir)


def test_uncaught_exceptions_of_any_thread_go_to_the_log(logged, data_dir: Path) -> None:
    try:
        raise RuntimeError("boom in the main thread")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # what Python (and Qt's slots) call

    def crash() -> None:
        raise ValueError("boom in a worker")

    worker = threading.Thread(target=crash, name="kiosk-test-worker")
    worker.start()
    worker.join()
    text = text_of(data_dir)
    assert "CRITICAL kiosk [MainThread]: uncaught exception" in text
    assert "RuntimeError: boom in the main thread" in text
    assert "uncaught exception in thread kiosk-test-worker" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: boom in a worker" in text
    # staff see it in Dutch (once: a repeat is folded), without the English
    notices = logged.notices.newest_first()
    assert [n.text for n in notices] == [logs.CRASH_NOTICE]


def test_setup_and_close_restore_the_hooks(data_dir: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    setup = logs.setup(data_dir, echo=False)
    assert sys.excepthook is not before[0]
    setup.close()
    assert (sys.excepthook, threading.excepthook) == before


def test_qt_messages_go_to_the_log_without_the_offscreen_noise(qapp, logged, data_dir) -> None:
    from PySide6.QtCore import qWarning

    logs.install_qt_handler()
    qWarning("a message from Qt")
    qWarning("This plugin does not support propagateSizeHints()")
    text = text_of(data_dir)
    assert "WARNING qt" in text
    assert "a message from Qt" in text
    assert "propagateSizeHints" not in text
    assert all(n.text != "a message from Qt" for n in logged.notices.newest_first())


def test_notices_keep_the_newest_first_and_fold_repeats() -> None:
    notices = logs.Notices(limit=3)
    seen = []
    notices.listen(seen.append)
    for text in ("a", "b", "b", "c", "d"):
        notices.add(text)
    assert [n.text for n in notices.newest_first()] == ["d", "c", "b"]
    assert len(seen) == 5
    notices.clear()
    assert len(notices) == 0


SECRETS = ("Buurthuis Geheim", "mijn buurvrouw heeft geen internet thuis")


def test_nothing_a_person_typed_or_answered_reaches_the_log(qtbot, qapp, data_dir) -> None:
    setup = logs.setup(data_dir, echo=False)
    maker = make_shell(qtbot, qapp, data_dir)
    shell = next(maker)
    try:
        logs.install_qt_handler()
        # the PIN, chosen and entered on the pad
        for _ in range(2):
            for digit in PIN:
                click(qtbot, shell.pin.keys[digit])
            click(qtbot, shell.pin.keys["ok"])
            qtbot.waitUntil(lambda: shell.pin.mode != "setup" or shell.page != "pin",
                            timeout=10_000)
        qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
        start = shell.start_screen
        click(qtbot, start.locations.buttons[""])  # Nieuwe plek…
        start.entry.field.setText(SECRETS[0])
        click(qtbot, start.entry.keyboard.keys["done"])
        click(qtbot, start.speech.buttons["0"])
        with qtbot.waitSignal(shell.session_started, timeout=5000):
            click(qtbot, start.start_button)
        window = shell.window
        answers = []
        window.answer_saved.connect(lambda s, a: answers.append((s, a)))
        window.test_clock.advance(1)
        click(qtbot, window.attract)
        for value in ("eens", "oneens", "weet_niet"):
            if window.current_screen != "statement":
                break
            count = len(answers)
            window.test_clock.advance(1)
            click(qtbot, window.statement_screen.buttons[value])
            qtbot.waitUntil(lambda n=count: len(answers) > n, timeout=5000)
        # an "Anders" signal with free text, from the menu
        shell.ask_for_staff()
        for digit in PIN:
            click(qtbot, shell.pin.keys[digit])
        click(qtbot, shell.pin.keys["ok"])
        qtbot.waitUntil(lambda: shell.page == "menu", timeout=10_000)
        click(qtbot, shell.menu.buttons["signal_requested"])
        click(qtbot, shell.signals.buttons["anders"])
        shell.signals.entry.field.setText(SECRETS[1])
        click(qtbot, shell.signals.entry.keyboard.keys["done"])
        qtbot.waitUntil(lambda: "1 signaal" in shell.menu.status.text(), timeout=10_000)
        # and a failure and a crash, so the log has tracebacks and warnings in it
        shell._failed(OSError(28, "No space left on device"))
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        shell.recorder.run(lambda store: None).result()
        db = data_dir / "kiosk.db"
        assert rows(db, "SELECT location FROM session") == [(SECRETS[0],)]
        assert rows(db, "SELECT text FROM signal") == [(SECRETS[1],)]
        assert len(rows(db, "SELECT answer FROM answer")) == len(answers) >= 2
    finally:
        next(maker, None)
        setup.close()
    text = logs.log_path(data_dir).read_text(encoding="utf-8")
    assert "uncaught exception" in text
    assert "staff action failed" in text
    for secret in (*SECRETS, PIN):
        assert secret not in text
    for statement_id, _value in answers:  # no answer: neither the statement nor the choice
        assert statement_id not in text
    for value in ("oneens", "weet_niet"):
        assert value not in text


def test_kiosk_commands_keep_their_output_for_the_user(tmp_path: Path) -> None:
    """CLI output stays on stdout/stderr; ``simulate`` also writes the log."""
    data = tmp_path / "data"
    result = run_kiosk("simulate", "--visits", "1", "--seed", "3", "--no-speech",
                       "--data-dir", str(data), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "gesimuleerd: 1 bezoek," in result.stdout
    assert "log started" in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
