"""A walk through the real kiosk, screen by screen, as staff and a passer-by go.

``kiosk screenshots`` and the tests that start the real window at each stand's
screen size use the same walk: the PIN pad, the start screen, the kiosk (attract,
a statement, its word help, "Ben je er nog?", the end screen) and the staff menu.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from PySide6.QtWidgets import QApplication, QWidget

#: Every screen of the walk, in order (the names of ``kiosk screenshots``' files).
TOUR = ("staff-pin", "staff-start", "attract", "statement", "uitleg", "idle", "end",
        "staff-menu")


def wait_until(condition: Callable[[], object], timeout: float = 20.0,
               what: str = "the kiosk") -> None:
    """Let Qt run until ``condition()`` is true; RuntimeError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s for {what}")
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()


def tour(shell, pin: str) -> Iterator[tuple[str, QWidget]]:
    """Walk ``shell`` (a :class:`~kiosk.gui.shell.KioskShell` as ``kiosk run`` builds it,
    with ``pin`` as the staff PIN and no session yet) through :data:`TOUR`.

    Yields (screen name, the widget that shows it) once each screen is on top and laid
    out; the caller looks (grabs, measures) before the walk goes on.
    """
    wait_until(lambda: shell.attached, what="the staff screens")
    wait_until(lambda: shell.page == "pin", what="the PIN pad")
    yield "staff-pin", shell.pin
    for key in [*pin, "ok"]:
        shell.pin.press(key)
    wait_until(lambda: shell.page == "start", what="the start screen")
    yield "staff-start", shell.start_screen
    start = shell.start_screen
    start.locations.buttons[next(iter(start.locations.buttons))].click()
    start.speech.buttons["0"].click()
    start.start_button.click()
    wait_until(lambda: shell.window is not None and shell.page == "kiosk",
               what="the session to start")
    window = shell.window
    wait_until(lambda: window.isVisible(), what="the kiosk window")
    yield "attract", window.attract
    window.start_visit()
    for _ in range(min(2, window.visit.total - 1)):  # a visit under way: the dots show it
        _tap(window, "eens")
    window._fade.setCurrentTime(window._fade.duration())  # noqa: SLF001 - the fade is done
    window.statement_screen.release_mark()  # and the last answer's mark has gone
    yield "statement", window.statement_screen
    screen = window.statement_screen
    explained = next((s for s in window.statement_set.statements if s.uitleg), None)
    if explained is not None:  # the word help open: "Wat is dat?" was tapped
        visit = window.visit
        screen.show_statement(explained, visit.position, visit.total,
                              answers=[visit.answers.get(s.id) for s in visit.statements],
                              can_finish=True)
        screen.explain_button.click()
    QApplication.processEvents()
    yield "uitleg", screen
    window._show_statement()  # noqa: SLF001 - back to the visit's own statement
    window._show("idle")  # noqa: SLF001 - as after a minute without a touch
    window.idle_screen.set_remaining(20)
    QApplication.processEvents()
    yield "idle", window.idle_screen
    window.idle_screen.continue_button.click()
    while not window.visit.finished:
        _tap(window, "oneens")
    wait_until(lambda: window.current_screen == "end", what="the end screen")
    yield "end", window.end_screen
    shell.show_menu()
    QApplication.processEvents()
    yield "staff-menu", shell.menu


def _tap(window, answer: str) -> None:
    before = window.visit.position
    window.answer(answer)
    wait_until(lambda: window.visit.position != before or window.visit.finished,
               what="the answer to be saved")
