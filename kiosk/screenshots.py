"""``kiosk screenshots -o DIR``: every screen of the real kiosk, offscreen, at the sizes
that matter.

Writes ``DIR/<screen>-<width>x<height>.png`` for the screens of
:data:`kiosk.gui.tour.TOUR` (the PIN pad, the start screen, attract, a statement,
its word help, idle, the end screen and the staff menu) at 1366x768, 1920x1080
and 1080x1920 (portrait).

The pictures come from the window ``kiosk run`` shows (the whole shell, started by
:func:`kiosk.app.start`), resized to each screen, with the window's own minimum
size respected: a screen that needs more room than the screen has is shown cut off
at the screen's edge, as a stand would show it, and the command then fails and
says which screen does not fit and why (:mod:`kiosk.gui.fit`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.app import Options, UsageError

SIZES = ((1366, 768), (1920, 1080), (1080, 1920))
#: The screens; the same names as kiosk.gui.tour.TOUR (kept here: no Qt import).
SCREENS = ("staff-pin", "staff-start", "attract", "statement", "uitleg", "idle", "end",
           "staff-menu")
PIN = "480263"


class DoesNotFit(UsageError):
    """A screen needs more room than the screen has, or cuts its text off."""


def screenshots(out: Path, options: Options | None = None, large_text: bool = False,
                sizes=SIZES) -> list[Path]:
    """Write the pictures; raises :class:`DoesNotFit` (after writing them all) when a
    screen does not fit its size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"kan de map {out} niet maken: {exc.strerror}") from None
    written: list[Path] = []
    problems: list[str] = []
    for width, height in sizes:
        with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as tmp:
            given = options or Options(data_dir=Path(tmp))
            run = Options(data_dir=Path(tmp), content_dir=given.content_dir,
                          statement_set=given.statement_set, windowed=True,
                          large_text=large_text or given.large_text, speech=False)
            shots, found = _one_size(out, run, width, height)
            written += shots
            problems += found
    if problems:
        raise DoesNotFit("niet elk scherm past (de afbeeldingen staan in "
                         f"{out}):\n  " + "\n  ".join(problems))
    return written


def _one_size(out: Path, options: Options, width: int, height: int
              ) -> tuple[list[Path], list[str]]:
    from PySide6.QtGui import QPainter, QPixmap

    from kiosk.app import start
    from kiosk.core.pin import PIN_FILE, PinStore
    from kiosk.gui.fit import fit_problems
    from kiosk.gui.tour import tour
    from kiosk.logs import Notices

    PinStore(options.data_dir / PIN_FILE).set_pin(PIN)
    started = start(options, Notices())
    if isinstance(started, int):
        raise UsageError("de kiosk start niet")
    shell = started.shell
    written, problems = [], []
    try:
        shell.resize(width, height)  # no larger than its minimum size allows
        for name, page in tour(shell, PIN):
            path = out / f"{name}-{width}x{height}.png"
            picture = QPixmap(width, height)  # the screen: what lies beyond it is cut off
            picture.fill(shell.palette().window().color())
            painter = QPainter(picture)
            painter.drawPixmap(0, 0, shell.grab())
            painter.end()
            picture.save(str(path))
            written.append(path)
            problems += [f"{name} {width}x{height}: {problem}"
                         for problem in fit_problems(shell, width, height, page)]
    finally:
        started.quit = lambda _code: None  # the caller's Qt event loops go on
        shell.quit()
        shell.close()
        started.stop()
        shell.deleteLater()
    return written, problems
