"""Every new staff screen, as staff see it in the shell: named, big enough, and a picture.

Each screen is reached by real clicks at 1366x768, 1920x1080 and portrait; on
each, every visible control has a name and a description and is at least 2 cm
each way with its word uncut. The pictures at 1366x768 go to the folder in
``$KIOSK_STAFF_SCREENSHOTS`` (``docs/screenshots`` for the staff guide), else to
a temporary folder.
"""

from __future__ import annotations

import math
import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk.core.store import Store
from kiosk.gui.screens import CONTROL_MIN_MM
from kiosk.gui.staff.actions import export_to_folder
from kiosk.gui.staff.drives import NO_STICK
from kiosk.gui.theme import px_per_mm
from tests.test_shell import (
    click,
    enter_pin,
    make_shell,
    open_menu,
    save_to_stick,
    start_at_the_market,
    tap_menu,
)

SIZES = [(1366, 768), (1920, 1080), (1080, 1920)]


def check_controls(shell, label: str, controls_expected: bool = True) -> None:
    """Every control the staff can see now: named, described, 2 cm, its word whole."""
    mm = px_per_mm(shell)
    controls = [w for w in shell.findChildren(QWidget)
                if isinstance(w, QAbstractButton | QLineEdit) and w.isVisibleTo(shell)
                and _on_top(shell, w)]
    assert bool(controls) == controls_expected, label
    for control in controls:
        name = f"{label}/{control.objectName()}"
        assert control.objectName(), name
        assert control.accessibleName(), name
        assert control.accessibleDescription(), name
        assert control.height() >= math.floor(CONTROL_MIN_MM * mm) - 1, f"{name} height"
        assert control.width() >= math.floor(20 * mm), f"{name} width"
        if isinstance(control, QAbstractButton) and control.text():
            assert control.sizeHint().width() <= control.width() + 1, f"{name}: word cut"


def _on_top(shell, widget: QWidget) -> bool:
    """Not hidden behind another page of the shell's stack."""
    page = shell.stack.currentWidget()
    return page.isAncestorOf(widget) or shell.idle_warning.isAncestorOf(widget)


def picture(shell, out: Path, name: str, size: tuple[int, int], controls: bool = True) -> None:
    QApplication.processEvents()
    check_controls(shell, name, controls)
    image = shell.grab()
    assert (image.width(), image.height()) == size
    if size == (1366, 768):
        assert image.save(str(out / f"staff-{name}-1366x768.png"))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    chosen = os.environ.get("KIOSK_STAFF_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path


@pytest.fixture
def shell(qtbot, qapp, data_dir: Path):
    # a Thursday morning at the market, for the pictures
    yield from make_shell(qtbot, qapp, data_dir, wall_clock=lambda: datetime(2026, 3, 5, 10, 20))


def other_laptop(path: Path) -> None:
    with Store.open(path, clock=lambda: datetime(2026, 3, 5, 10, 20)) as store:
        session = store.start_session("Bibliotheek", "bibliotheek", "taalhuis")
        store.record_answer(store.start_visit(session), "digid", "eens")
        store.end_session(session)


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080", "portrait"])
def test_the_new_staff_screens(qtbot, shell, out, size) -> None:
    shell.exporter = lambda folder: export_to_folder(shell.recorder_path, shell.content, folder)
    shell.resize(*size)
    qtbot.waitUntil(lambda: (shell.width(), shell.height()) == size, timeout=5000)

    # the keyboard for a new place, on the start screen
    enter_pin(qtbot, shell, twice=True)
    qtbot.waitUntil(lambda: shell.page == "start", timeout=10_000)
    click(qtbot, shell.start_screen.locations.buttons[""])
    for key in ("shift", "b", "u", "u", "r", "t", "h", "u", "i", "s", "space"):
        click(qtbot, shell.start_screen.entry.keyboard.keys[key])
    picture(shell, out, "keyboard", size)
    click(qtbot, shell.start_screen.entry.keyboard.keys["done"])
    click(qtbot, shell.start_screen.locations.buttons["Weekmarkt"])
    shell.start_screen.set_printers(["Bonnenprinter_80mm"], "Bonnenprinter_80mm")
    picture(shell, out, "start", size)
    start_session(qtbot, shell)

    # Turven: back with counts on it
    open_menu(qtbot, shell)
    tap_menu(qtbot, shell, "tally_requested")
    for _ in range(3):
        click(qtbot, shell.tally.counters[("digid", "eens")].plus)
    click(qtbot, shell.tally.back_button)
    picture(shell, out, "tally-unsaved", size)
    click(qtbot, shell.tally.question.buttons["save"])
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=5000)
    picture(shell, out, "menu", size)

    # the time-out warning, over the menu
    shell.clock.advance(50)
    shell.idle.tick()
    picture(shell, out, "timeout", size)
    click(qtbot, shell.idle_warning)

    # "Sessie beëindigen?"
    tap_menu(qtbot, shell, "end_session_requested")
    picture(shell, out, "confirm-end", size)
    click(qtbot, shell.menu.question.buttons["yes"])
    qtbot.waitUntil(lambda: shell.page == "summary", timeout=5000)
    click(qtbot, shell.summary.done_button)
    picture(shell, out, "menu-no-session", size)

    # Turven bekijken
    with qtbot.waitSignal(shell.history.loaded, timeout=5000):
        tap_menu(qtbot, shell, "tally_history_requested")
    picture(shell, out, "history", size)
    click(qtbot, shell.history.back_button)

    # saving: no stick, then a stick, the progress, and "Klaar"
    sticks = list(shell.sticks)
    shell.sticks.clear()
    tap_menu(qtbot, shell, "export_requested")
    drives = shell.save_screen.drive_list
    qtbot.waitUntil(lambda: drives.notice.text() == NO_STICK, timeout=10_000)
    picture(shell, out, "save-no-stick", size)
    shell.sticks.extend(sticks)
    with qtbot.waitSignal(drives.listed, timeout=10_000):
        click(qtbot, drives.search_button)
    picture(shell, out, "save-choose", size)
    release = threading.Event()
    exporter = shell.exporter

    def slow(folder: Path) -> None:
        release.wait(30)
        exporter(folder)

    shell.exporter = slow
    click(qtbot, shell.save_screen.back_button)
    tap_menu(qtbot, shell, "export_requested")
    qtbot.waitUntil(lambda: shell.usb in drives.buttons, timeout=10_000)
    click(qtbot, drives.buttons[shell.usb])
    assert shell.save_screen.busy
    shell.clock.advance(120)
    shell.idle.tick()
    assert shell.page == "save"  # writing: the screen does not close
    try:
        picture(shell, out, "save-progress", size, controls=False)  # nothing to tap: it writes
    finally:
        release.set()
    qtbot.waitUntil(lambda: shell.save_screen.state == "done", timeout=30_000)
    picture(shell, out, "save-done", size)
    click(qtbot, shell.save_screen.done_button)
    shell.exporter = exporter

    # merging: the files on the stick, then the summary
    other_laptop(shell.usb / "laptop-2.db")
    (shell.usb / "kapot.db").write_bytes(b"geen database" * 50)
    tap_menu(qtbot, shell, "merge_requested")
    screen = shell.merge_screen
    qtbot.waitUntil(lambda: shell.usb in screen.drive_list.buttons, timeout=10_000)
    click(qtbot, screen.drive_list.buttons[shell.usb])
    qtbot.waitUntil(lambda: screen.state == "files", timeout=10_000)
    picture(shell, out, "merge-files", size)
    with qtbot.waitSignal(screen.merged, timeout=20_000):
        click(qtbot, screen.merge_button)
    picture(shell, out, "merge-done", size)
    click(qtbot, screen.done_button)

    tap_menu(qtbot, shell, "export_requested")
    save_to_stick(qtbot, shell)
    click(qtbot, shell.save_screen.done_button)
    tap_menu(qtbot, shell, "quit_requested")
    picture(shell, out, "confirm-quit", size)


def start_session(qtbot, shell) -> None:
    click(qtbot, shell.start_screen.speech.buttons["0"])
    with qtbot.waitSignal(shell.session_started, timeout=5000):
        click(qtbot, shell.start_screen.start_button)


def test_start_at_the_market_still_works(qtbot, shell) -> None:
    start_at_the_market(qtbot, shell)
    assert shell.page == "kiosk"
