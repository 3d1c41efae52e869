"""The real kiosk on a real X display with a window manager: walk every screen and report.

Run by tests/test_fit_window_manager.py as
``python -m tests.fit_driver DATA_DIR WIDTH HEIGHT [SHOTS_DIR]`` with DISPLAY set to an
Xvfb screen of WIDTH x HEIGHT that openbox manages. Starts the kiosk as ``kiosk run``
does (:func:`kiosk.app.start`, kiosk mode: full screen, frameless), once with normal
and once with large text, walks :data:`kiosk.gui.tour.TOUR`, and prints one JSON line
per screen: the window the window manager made active and its geometry (xdotool), and
what does not fit (:func:`kiosk.gui.fit.fit_problems`). With SHOTS_DIR it also saves
each screen as the X server shows it (``<screen>[-groot]-WxH.png``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

PIN = "480263"
T0 = time.monotonic()


def active_geometry() -> dict[str, int]:
    """The active window and its geometry, as the window manager and X server see it."""
    result = subprocess.run(["xdotool", "getactivewindow", "getwindowgeometry", "--shell"],
                            capture_output=True, text=True, timeout=10)
    values = dict(line.split("=", 1) for line in result.stdout.split() if "=" in line)
    return {key.lower(): int(value) for key, value in values.items()}


def settled(shell, width: int, height: int, timeout: float = 5.0) -> dict[str, int]:
    """Wait (Qt running) until the window manager shows the shell at the screen's size,
    or ``timeout`` s; returns what xdotool says then."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while True:
        QApplication.processEvents()
        seen = active_geometry()
        if (seen.get("window") == int(shell.winId()) and
                (seen.get("x"), seen.get("y"), seen.get("width"), seen.get("height"))
                == (0, 0, width, height) and shell.size().toTuple() == (width, height)):
            return seen
        if time.monotonic() > deadline:
            return seen
        time.sleep(0.02)


def blank_labels(page) -> list[str]:
    """The visible labels of ``page`` whose text the X server does not show: their
    place on the X screen (grabbed from the server, not rendered by us) is one flat
    colour. Text of any colour on any background gives light and dark pixels."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication, QLabel

    from kiosk.gui.fit import _seen

    screen = QApplication.primaryScreen().grabWindow(0).toImage()
    blank = []
    for label in page.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip() or label.pixmap() is not None \
                and not label.pixmap().isNull():
            continue
        # only a label its parents show whole (a list's viewport clips the rest)
        text_rect = label.contentsRect().translated(label.mapTo(page, QPoint(0, 0)))
        if _seen(label, page).intersected(text_rect) != text_rect:
            continue
        rect = text_rect.translated(page.mapToGlobal(QPoint(0, 0))).intersected(screen.rect())
        if rect.width() < 8 or rect.height() < 8:
            continue
        step = max(1, min(rect.width(), rect.height()) // 40)
        lights = [QColor(screen.pixel(x, y)).lightness()
                  for y in range(rect.top(), rect.bottom(), step)
                  for x in range(rect.left(), rect.right(), step)]
        if max(lights) - min(lights) < 60:
            blank.append(label.text()[:40])
    return blank


def walk(data: Path, width: int, height: int, large_text: bool, shots: Path | None) -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import Options, start
    from kiosk.core.pin import PIN_FILE, PinStore
    from kiosk.gui.fit import fit_problems
    from kiosk.gui.tour import tour
    from kiosk.logs import Notices

    folder = data / ("groot" if large_text else "normaal")
    folder.mkdir(parents=True)
    PinStore(folder / PIN_FILE).set_pin(PIN)
    started = start(Options(data_dir=folder, speech=False, large_text=large_text), Notices())
    shell = started.shell
    try:
        for name, page in tour(shell, PIN):
            seen = settled(shell, width, height)
            report = {"screen": name, "large_text": large_text,
                      "ours": seen.get("window") == int(shell.winId()),
                      "geometry": [seen.get("x"), seen.get("y"), seen.get("width"),
                                   seen.get("height")],
                      "problems": fit_problems(shell, width, height, page),
                      "blank": blank_labels(page)}
            if shots is not None:
                suffix = "-groot" if large_text else ""
                picture = QApplication.primaryScreen().grabWindow(0)  # the whole X screen
                picture.save(str(shots / f"{name}{suffix}-{width}x{height}.png"))
            report["at"] = round(time.monotonic() - T0, 2)
            print(json.dumps(report), flush=True)
    finally:
        started.quit = lambda _code: None  # the next walk still needs Qt's event loops
        shell.quit()
        shell.close()
        started.stop()
        shell.deleteLater()
        QApplication.processEvents()


def main() -> None:
    data, width, height = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    shots = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    from kiosk.app import create_qt_app

    create_qt_app()
    for large_text in (False, True):
        walk(data, width, height, large_text, shots)


if __name__ == "__main__":
    main()
