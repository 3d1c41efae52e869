"""A failed save reaches people: a calm pause for passers-by, Dutch for staff, and it resumes.

The failure is made on purpose with a Recorder whose work raises SQLite's own
"database or disk is full" while ``full`` is set (a fake only for the failure;
the window, the store and the database are real). The last test fills a real
1 MB tmpfs when this machine allows mounting one.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import ALL, Options, apply_theme, build_window
from kiosk.core import recorder as recorder_module
from kiosk.core.clock import ManualClock
from kiosk.core.failures import save_failure
from kiosk.core.store import StoreError
from kiosk.gui.staff.notices import NONE_YET
from kiosk.gui.window import PROBE_SECONDS, RESUMED
from tests.conftest import run_kiosk
from tests.test_shell import click, make_shell, open_menu, start_at_the_market
from tests.test_staff_screens import SIZES, check_controls
from tests.test_window import answers_on_disk, begin, tap


class FullDiskRecorder(recorder_module.Recorder):
    """The real recorder; while ``full`` is set, every piece of work fails like a full disk."""

    full = False

    def _submit(self, work):
        def maybe_full(store):
            if self.full:
                raise sqlite3.OperationalError("database or disk is full")
            return work(store)

        return super()._submit(maybe_full)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def kiosk(qtbot, qapp, data_dir: Path, clock: ManualClock, monkeypatch):
    apply_theme(qapp)
    monkeypatch.setattr(recorder_module, "Recorder", FullDiskRecorder)
    window, recorder, _session = build_window(
        Options(data_dir=data_dir, location="Markt", speech=False, per_visit=ALL),
        monotonic=clock)
    assert isinstance(recorder, FullDiskRecorder)
    window.test_recorder = recorder
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    recorder.full = False
    recorder.close()


def probe(qtbot, kiosk, clock: ManualClock) -> None:
    """Let PROBE_SECONDS pass on the kiosk's clock and run its tick (no sleeping)."""
    clock.advance(PROBE_SECONDS)
    kiosk.tick()
    qtbot.waitUntil(lambda: not kiosk._probing, timeout=5000)


def test_a_full_disk_pauses_the_kiosk_and_it_resumes_by_itself(qtbot, kiosk, clock, data_dir):
    begin(qtbot, kiosk, clock)
    tap(qtbot, kiosk, clock, "eens")
    first = kiosk.visit.statements[0].id
    second = kiosk.visit.current.id
    assert answers_on_disk(data_dir) == [(first, "eens")]

    kiosk.test_recorder.full = True
    failures: list[str] = []
    kiosk.store_failed.connect(failures.append)
    clock.advance(1)
    qtbot.mouseClick(kiosk.statement_screen.buttons["oneens"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_screen == "pause", timeout=5000)
    assert failures == ["Opslaan lukt niet: de schijf is vol. Maak ruimte of gebruik een "
                        "andere map."]
    screen = kiosk.pause_screen
    assert screen.title.text() == "Even pauze."
    assert screen.line.text() == "Vraag de medewerker."
    assert screen.pictogram.isVisible()
    # not shown as saved: the statement did not move on, nothing is on disk
    assert kiosk.visit.current.id == second
    assert answers_on_disk(data_dir) == [(first, "eens")]
    # taps and keys on the pause screen do nothing
    clock.advance(1)
    qtbot.mouseClick(kiosk.pause_screen, Qt.MouseButton.LeftButton)
    qtbot.keyClick(kiosk, Qt.Key.Key_1)
    assert kiosk.current_screen == "pause"

    probe(qtbot, kiosk, clock)  # still full: still paused, said once
    assert kiosk.current_screen == "pause"
    assert len(failures) == 1

    kiosk.test_recorder.full = False
    with qtbot.waitSignal(kiosk.store_recovered, timeout=5000):
        probe(qtbot, kiosk, clock)
    # the failed answer was written when it was tried again, then acknowledged
    assert answers_on_disk(data_dir) == [(first, "eens"), (second, "oneens")]
    assert kiosk.current_screen == "statement"
    assert kiosk.visit.answers == {first: "eens", second: "oneens"}
    assert kiosk.failure is None


def test_saving_that_fails_on_the_end_screen_resumes_there(qtbot, kiosk, clock, data_dir):
    begin(qtbot, kiosk, clock)
    for _ in range(len(kiosk.visit.statements) - 1):
        tap(qtbot, kiosk, clock, "eens")
    kiosk.test_recorder.full = True
    clock.advance(1)
    qtbot.mouseClick(kiosk.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_screen == "pause", timeout=5000)
    kiosk.test_recorder.full = False
    referrals: list[dict] = []
    kiosk.referrals_recorded.connect(referrals.append)
    probe(qtbot, kiosk, clock)
    qtbot.waitUntil(lambda: kiosk.current_screen == "end", timeout=5000)
    qtbot.waitUntil(lambda: bool(referrals), timeout=5000)  # the visit's end is on disk too
    assert len(answers_on_disk(data_dir)) == len(kiosk.statement_set.statements)


def test_staff_pausing_during_a_failure_keeps_the_calm_screen_until_it_works(
        qtbot, kiosk, clock, data_dir):
    begin(qtbot, kiosk, clock)
    kiosk.test_recorder.full = True
    tap_at = kiosk.visit.current.id
    clock.advance(1)
    qtbot.mouseClick(kiosk.statement_screen.buttons["eens"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current_screen == "pause", timeout=5000)
    kiosk.to_attract()  # e.g. staff ended the visit: the pause screen stays
    assert kiosk.current_screen == "pause"
    clock.advance(1)
    kiosk.start_visit()
    assert kiosk.current_screen == "pause"
    kiosk.test_recorder.full = False
    probe(qtbot, kiosk, clock)
    qtbot.waitUntil(lambda: kiosk.current_screen == "attract", timeout=5000)
    # the answer the person gave is kept (in its own, unfinished visit)
    assert answers_on_disk(data_dir) == [(tap_at, "eens")]


@pytest.mark.parametrize(("error", "kind", "words"), [
    (sqlite3.OperationalError("database or disk is full"), "full", "de schijf is vol"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "readonly",
     "alleen-lezen"),
    (sqlite3.OperationalError("database is locked"), "locked", "bezet"),
    (sqlite3.OperationalError("disk I/O error"), "gone", "weg"),
    (OSError(errno.ENOSPC, "No space left on device"), "full", "de schijf is vol"),
    (OSError(errno.EROFS, "Read-only file system"), "readonly", "alleen-lezen"),
    (StoreError("De kiosk kan de database x niet gebruiken: database or disk is full."),
     "full", "vol"),
    (sqlite3.IntegrityError("UNIQUE constraint failed"), "other", "Opslaan lukt niet."),
])
def test_save_failures_are_explained_in_dutch_with_what_to_do(error, kind, words) -> None:
    failure = save_failure(error)
    assert failure.kind == kind
    assert words in failure.text
    assert failure.advice in failure.text  # what to do, always
    assert "database or disk" not in failure.text  # no English for staff


def test_staff_see_the_failure_in_the_menu_and_in_meldingen(qtbot, qapp, data_dir, monkeypatch):
    maker = make_shell(qtbot, qapp, data_dir)
    shell = next(maker)
    try:
        start_at_the_market(qtbot, shell)
        window = shell.window
        recorder = shell.recorder
        real_submit = recorder._submit
        full = {"on": True}

        def submit(work):  # the same fake: a full disk while "on"
            def maybe_full(store):
                if full["on"]:
                    raise sqlite3.OperationalError("database or disk is full")
                return work(store)
            return real_submit(maybe_full)

        monkeypatch.setattr(recorder, "_submit", submit)
        window.test_clock.advance(1)
        click(qtbot, window.attract)
        window.test_clock.advance(1)
        click(qtbot, window.statement_screen.buttons["eens"])
        qtbot.waitUntil(lambda: window.current_screen == "pause", timeout=5000)
        open_menu(qtbot, shell)
        assert shell.menu.status.text().startswith("Opslaan lukt niet: de schijf is vol.")
        assert shell.menu.buttons["notices_requested"].text() == "Meldingen (1)"
        click(qtbot, shell.menu.buttons["notices_requested"])
        assert shell.page == "notices"
        assert shell.notices_screen.lines[0].endswith(
            "Opslaan lukt niet: de schijf is vol. Maak ruimte of gebruik een andere map.")

        full["on"] = False
        window.test_clock.advance(PROBE_SECONDS)
        window.tick()
        qtbot.waitUntil(lambda: window.failure is None, timeout=5000)
        qtbot.waitUntil(lambda: RESUMED in shell.notices_screen.lines[0], timeout=5000)
        assert len(shell.notices_screen.lines) == 2  # newest first
        assert shell.menu.status.text() == RESUMED
        click(qtbot, shell.notices_screen.back_button)
        assert shell.page == "menu"
    finally:
        next(maker, None)


def _mount_tiny_tmpfs(where: Path) -> bool:
    if shutil.which("mount") is None:
        return False
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


def test_simulate_on_a_full_disk_says_so_in_one_line_and_exits_non_zero(tmp_path: Path):
    disk = tmp_path / "tiny"
    assert _mount_tiny_tmpfs(disk), "mounting a 1 MB tmpfs needs root: run the tests as root"
    try:
        (disk / "filler").write_bytes(bytes(600_000))  # room to open, not to keep going
        result = run_kiosk("simulate", "--visits", "2000", "--seed", "1", "--no-speech",
                           "--data-dir", str(disk / "data"), timeout=300)
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "timed out" not in result.stderr
        assert "de schijf is vol" in lines[0]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080", "portrait"])
def test_the_meldingen_tile_and_screen_fit_at_every_size(qtbot, qapp, data_dir, size) -> None:
    maker = make_shell(qtbot, qapp, data_dir)
    shell = next(maker)
    try:
        shell.resize(*size)
        qtbot.waitUntil(lambda: (shell.width(), shell.height()) == size, timeout=5000)
        start_at_the_market(qtbot, shell)
        open_menu(qtbot, shell)
        assert shell.menu.buttons["notices_requested"].text() == "Meldingen"
        check_controls(shell, "menu")
        click(qtbot, shell.menu.buttons["notices_requested"])
        assert shell.notices_screen.empty.text() == NONE_YET
        shell._failed(sqlite3.OperationalError("database is locked"))  # via the log
        qtbot.waitUntil(lambda: len(shell.notices_screen.lines) == 1, timeout=5000)
        assert "de database is bezet" in shell.notices_screen.lines[0]
        QApplication.processEvents()
        check_controls(shell, "notices")
        click(qtbot, shell.notices_screen.clear_button)
        assert shell.notices_screen.lines == []
        click(qtbot, shell.notices_screen.back_button)
        assert shell.menu.buttons["notices_requested"].text() == "Meldingen"
    finally:
        next(maker, None)


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080", "portrait"])
def test_the_pause_screen_reads_whole_at_every_size(qtbot, qapp, data_dir, size, large_text):
    from PySide6.QtWidgets import QLabel

    apply_theme(qapp)
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, large_text=large_text, speech=False), monotonic=ManualClock())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.stack.setCurrentWidget(window.pause_screen)
        QApplication.processEvents()
        assert window.current_screen == "pause"
        for label in window.pause_screen.findChildren(QLabel):
            if label.isVisible() and label.text():
                assert label.heightForWidth(label.width()) <= label.height() + 2, label.text()
        title = window.pause_screen.title
        assert title.fontInfo().pixelSize() > window.pause_screen.line.fontInfo().pixelSize()
        assert window.pause_screen.pictogram.height() / size[1] >= 0.25
    finally:
        window.close()
        recorder.close()


def _write_until_full(fd: int) -> None:
    while True:
        os.write(fd, bytes(4096))


def _fill(disk: Path) -> Path:
    """Write zeros to ``disk`` until it is full; returns the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError, match="No space left"):
            _write_until_full(fd)
    finally:
        os.close(fd)
    return filler


def test_a_really_full_disk_pauses_the_kiosk_and_freeing_space_resumes_it(
        qtbot, qapp, tmp_path: Path, clock: ManualClock):
    """No fake: the data folder on a 4 MB tmpfs, filled up, then emptied again."""
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                             capture_output=True)
    assert mounted.returncode == 0, "mounting a small tmpfs needs root: run the tests as root"
    try:
        apply_theme(qapp)
        window, recorder, _ = build_window(
            Options(data_dir=disk / "data", location="Markt", speech=False, per_visit=ALL),
            monotonic=clock)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        try:
            begin(qtbot, window, clock)
            tap(qtbot, window, clock, "eens")
            first, second = window.visit.statements[0].id, window.visit.current.id
            filler = _fill(disk)
            clock.advance(1)
            qtbot.mouseClick(window.statement_screen.buttons["oneens"],
                             Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: window.current_screen == "pause", timeout=5000)
            assert window.failure.kind == "full"
            probe(qtbot, window, clock)
            assert window.current_screen == "pause"
            filler.unlink()
            with qtbot.waitSignal(window.store_recovered, timeout=5000):
                probe(qtbot, window, clock)
            assert window.current_screen == "statement"
            assert window.visit.answers == {first: "eens", second: "oneens"}
        finally:
            window.close()
            recorder.close()
        assert answers_on_disk(disk / "data") == [(first, "eens"), (second, "oneens")]
    finally:
        subprocess.run(["umount", str(disk)], check=False)
