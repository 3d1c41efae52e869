"""``kiosk screenshots -o DIR``: every screen, offscreen, at the sizes that matter.

Writes ``DIR/<screen>-<width>x<height>.png`` for the screens attract,
statement, uitleg (a statement with its word help open), end and idle at
1366x768, 1920x1080 and 1080x1920 (portrait). A visit has 5 statements here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.app import Options, UsageError
from kiosk.core.clock import ManualClock

SIZES = ((1366, 768), (1920, 1080), (1080, 1920))
SCREENS = ("attract", "statement", "uitleg", "end", "idle")


def screenshots(out: Path, options: Options | None = None, large_text: bool = False) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_window, create_qt_app
    from kiosk.gui.window import IDLE_AFTER

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"kan de map {out} niet maken: {exc.strerror}") from None
    create_qt_app()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as tmp:
        base = options or Options(data_dir=Path(tmp), location="Weekmarkt")
        base = Options(data_dir=Path(tmp), content_dir=base.content_dir, location=base.location,
                       statement_set=base.statement_set, large_text=large_text or base.large_text,
                       show_peers=False, speech=False, per_visit=5)
        for width, height in SIZES:
            clock = ManualClock()
            window, recorder, session_id = build_window(base, monotonic=clock)
            try:
                window.resize(width, height)
                window.show()

                def save(name: str, window=window, width=width, height=height) -> None:
                    QApplication.processEvents()
                    path = out / f"{name}-{width}x{height}.png"
                    window.grab().save(str(path))
                    written.append(path)

                save("attract")
                window.start_visit()
                for answer in ("eens", "oneens"):  # a visit under way: dots show it
                    clock.advance(2)
                    window.answer(answer)
                    while window.bridge.pending:
                        QApplication.processEvents()
                window._fade.setCurrentTime(window._fade.duration())
                save("statement")
                screen = window.statement_screen
                explained = next((s for s in window.statement_set.statements if s.uitleg), None)
                if explained is not None:  # word help open: "Wat is dat?" was tapped
                    screen.show_statement(explained, window.visit.position, window.visit.total,
                                          answers=[window.visit.answers.get(s.id)
                                                   for s in window.visit.statements],
                                          can_finish=True)
                    screen.explain_button.click()
                save("uitleg")
                window._show_statement()
                clock.advance(IDLE_AFTER)
                window.tick()
                clock.advance(3)
                window.tick()
                save("idle")
                window._resume()
                while not window.visit.finished:
                    window.answer("eens")
                    while window.bridge.pending:
                        QApplication.processEvents()
                save("end")
            finally:
                recorder.end_session(session_id)
                recorder.close()
                window.close()
    return written
