"""`kiosk run` paints the PIN pad first and builds the rest right after.

The real start (:func:`kiosk.app.start`, what ``kiosk run`` calls before the
event loop) with a real data folder, PIN file and database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from kiosk.app import Options, start
from kiosk.core.pin import PinStore
from kiosk.logs import Notices
from tests.conftest import run_kiosk

PIN = "480263"


class PaintWatch(QObject):
    """Notes what was built when the PIN pad painted for the first time."""

    def __init__(self, shell, data_dir: Path) -> None:
        super().__init__()
        self.shell, self.data_dir = shell, data_dir
        self.seen: dict[str, bool] | None = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if self.seen is None and obj is self.shell.pin and event.type() == QEvent.Type.Paint:
            self.seen = {"attached": self.shell.attached,
                         "database": (self.data_dir / "kiosk.db").exists()}
        return False


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path):
    PinStore(data_dir / "staff.json").set_pin(PIN)
    options = Options(data_dir=data_dir, location="Markt Oost", place_kind="markt",
                      windowed=True, speech=False)
    started = start(options, Notices())  # shown; the event loop has not painted yet
    started.quit = lambda _code: None  # the tests' event loop goes on
    watch = PaintWatch(started.shell, data_dir)
    qapp.installEventFilter(watch)
    started.watch = watch
    qtbot.addWidget(started.shell)
    yield started
    qapp.removeEventFilter(watch)
    started.shell.kiosk_mode = False
    started.shell._close_window()
    started.shell.close()
    started.stop()


def type_pin(qtbot, shell) -> None:
    for digit in PIN:
        qtbot.mouseClick(shell.pin.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.pin.keys["ok"], Qt.MouseButton.LeftButton)


def test_the_pin_pad_paints_before_content_and_database_are_loaded(qtbot, kiosk,
                                                                   data_dir: Path) -> None:
    shell = kiosk.shell
    qtbot.waitUntil(lambda: kiosk.watch.seen is not None, timeout=20_000)
    assert kiosk.watch.seen == {"attached": False, "database": False}
    qtbot.waitUntil(lambda: shell.attached, timeout=20_000)  # right after that first paint
    assert not kiosk.failure
    type_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=20_000)  # --location: straight in
    with sqlite3.connect(data_dir / "kiosk.db") as conn:
        places = conn.execute("SELECT location, place_kind FROM session").fetchall()
    conn.close()
    assert places == [("Markt Oost", "markt")]


def test_a_pin_typed_before_the_rest_is_built_is_not_lost(qtbot, kiosk) -> None:
    shell = kiosk.shell
    assert not shell.attached  # nothing has painted yet: the event loop has not run
    shell.pin.accepted.emit()  # the PIN pad's answer arrives first
    assert shell.page == "pin"
    qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=20_000)


def test_an_unknown_statement_set_ends_the_start_with_its_reason(qtbot, qapp,
                                                                  data_dir: Path) -> None:
    started = start(Options(data_dir=data_dir, windowed=True, speech=False,
                            statement_set="bestaat-niet"), Notices())
    quits: list[int] = []
    started.quit = quits.append
    qtbot.addWidget(started.shell)
    try:
        qtbot.waitUntil(lambda: bool(started.failure), timeout=20_000)
        assert "bestaat-niet" in str(started.failure[0])
        assert quits == [1]
        assert not started.shell.attached
    finally:
        started.shell.kiosk_mode = False
        started.stop()


def test_kiosk_run_with_an_unknown_set_says_so_without_a_traceback(data_dir: Path) -> None:
    result = run_kiosk("run", "--windowed", "--set", "bestaat-niet",
                       env={"QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(data_dir)},
                       timeout=60)
    assert result.returncode == 1
    assert "bestaat-niet" in result.stderr
    assert "Traceback" not in result.stderr
