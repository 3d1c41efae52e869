"""Printing and QR painting: how long a slip takes, and that the screen never waits.

    .venv/bin/python bench/bench_print.py [--slips 20] [--renders 200]

1. Tap to spooler: the real kiosk window (offscreen) with the print button
   attached and a SlipPrinter writing PDF files (the PDF written is the moment
   a real printer's job is handed to the spooler: QPainter.end()). Per slip:
   - the tap handler's time on the GUI thread (click -> handler returns);
   - tap -> ``printed`` signal received on the GUI thread (the slip is out);
   - the longest gap between 1 ms ticks of a GUI-thread timer while the slip
     is made (and, as a baseline, while the kiosk idles as long): if the GUI
     thread had to wait, this gap would show it. PySide6 keeps the GIL during
     each C++ call, so the worker's longest single call (QPainter.end(), which
     writes the PDF) shows up here;
   - the alternative: the same slip made on the GUI thread (blocked throughout).
   Both for the 80mm and the A4 slip.
2. A job for a real printer goes to a helper process: its overhead, and the
   GUI thread's longest gap meanwhile.
3. QR render at screen size: ``paint_qr`` into a 600x600 QImage (median of
   ``--renders``), beside the obvious alternatives: one fillRect per dark
   module, and one QPainterPath of all modules. (qrcode's own image output needs
   Pillow, which the kiosk does not install.)

Prints markdown tables.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} | {p95:.2f} | {ordered[-1]:.2f}"


class _Trial:
    """One measured tap: the handler's time, the time until done, the GUI thread's gaps.

    A 1 ms QTimer on the GUI thread notes the longest time between its ticks
    while the slip is made: the longest the GUI thread could not react.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

        self.loop = QEventLoop()
        self.ticker, self.tick = QTimer(interval=1), QElapsedTimer()
        self.ticker.timeout.connect(self._on_tick)
        self.worst = 0.0
        self.done_at = 0.0

    def _on_tick(self) -> None:
        self.worst = max(self.worst, self.tick.nsecsElapsed() / 1e6)
        self.tick.restart()

    def done(self, *_args) -> None:
        self.done_at = time.perf_counter()
        self.loop.quit()

    def run(self, tap, settle_ms: int = 0) -> tuple[float, float, float]:
        """``tap()`` (returns at once, or after the work); wait for ``done`` (or settle_ms)."""
        from PySide6.QtCore import QTimer

        self.tick.start()
        self.ticker.start()
        start = time.perf_counter()
        tap()
        returned = time.perf_counter()
        if settle_ms:
            QTimer.singleShot(settle_ms, self.done)
        guard = QTimer(singleShot=True, interval=60_000)
        guard.timeout.connect(lambda: sys.exit("no slip within 60 s: printing is broken"))
        guard.start()
        if not self.done_at:
            self.loop.exec()  # the GUI thread idles in Qt's event loop, as in the kiosk
        guard.stop()
        self.ticker.stop()
        return ((returned - start) * 1000, (self.done_at - start) * 1000, self.worst)


def bench_tap_to_spooler(slips: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kiosk.app import Options, build_window, create_qt_app
    from kiosk.gui.printing import SlipPrinter, attach_printing
    from kiosk.gui.slip import write_slip_pdf
    from kiosk.core.clock import ManualClock

    app = create_qt_app()
    print(f"| slip | measure ({slips} slips) | median (ms) | p95 (ms) | max (ms) |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-print-") as tmp:
        for size in ("80mm", "a4"):
            clock = ManualClock()
            window, recorder, _ = build_window(
                Options(data_dir=Path(tmp) / size, location="Markt", place_kind="markt"),
                monotonic=clock)
            printer = SlipPrinter(size=size, output_file=Path(tmp) / f"bon-{size}.pdf")
            control = attach_printing(window, printer, window.content, "markt")
            window.resize(1366, 768)
            window.show()
            window.start_visit()
            while not window.visit.finished:
                clock.advance(1)
                window.answer("eens")
                while window.bridge.pending:
                    app.processEvents()
            course = window.end_screen.shown
            results: dict[str, list[tuple[float, float, float]]] = {
                "kiosk": [], "idle": [], "sync": []}
            for index in range(slips + 1):  # the first round warms up fonts and the thread
                control._printed.clear()  # a fresh slip each time (one per course per visit)
                trial = _Trial()
                printer.printed.connect(trial.done)
                clock.advance(1)
                kiosk = trial.run(
                    lambda: QTest.mouseClick(control.button, Qt.MouseButton.LeftButton))
                printer.printed.disconnect(trial.done)
                idle = _Trial().run(lambda: None, settle_ms=max(1, round(kiosk[1])))
                sync = _Trial()
                synchronous = sync.run(lambda sync=sync: (write_slip_pdf(
                    Path(tmp) / "sync.pdf", course, window.content.library,
                    control.link(course), size), sync.done()))
                if index:
                    results["kiosk"].append(kiosk)
                    results["idle"].append(idle)
                    results["sync"].append(synchronous)

            def column(name: str, i: int) -> str:
                return _stats([r[i] for r in results[name]])

            print(f"| {size} | kiosk: GUI thread busy in the tap handler | {column('kiosk', 0)} |")
            print(f"| {size} | kiosk: tap -> PDF written (job at the spooler) "
                  f"| {column('kiosk', 1)} |")
            print(f"| {size} | kiosk: longest GUI-thread gap while the slip is made "
                  f"| {column('kiosk', 2)} |")
            print(f"| {size} | idle kiosk, same time span: longest GUI-thread gap "
                  f"| {column('idle', 2)} |")
            print(f"| {size} | alternative: slip made on the GUI thread = GUI blocked "
                  f"| {column('sync', 0)} |")
            window.close()
            printer.wait()
            recorder.close()


def bench_helper_process(jobs: int) -> None:
    """A job for a printer goes to the ``kiosk print-job`` helper process.

    There is no printer here, so the helper is given a printer name that does
    not exist: it starts, loads Qt, looks the printer up and reports. That is
    the whole cost a real job adds before the spooler, and it shows whether the
    GUI thread stays free meanwhile.
    """
    from kiosk.app import Options, create_qt_app, load_content
    from kiosk.gui.printing import SlipPrinter

    create_qt_app()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-helper-") as tmp:
        content = load_content(Options(data_dir=Path(tmp)), lambda message: None)
    course = content.courses[content.default_course]
    printer = SlipPrinter(printer_name="bench-printer-that-does-not-exist")
    rows = []
    for index in range(jobs + 1):
        trial = _Trial()
        printer.job_failed.connect(trial.done)
        result = trial.run(lambda: printer.print_slip(course, content.library, course.url))
        printer.job_failed.disconnect(trial.done)
        if index:
            rows.append(result)
    print(f"| printer job via helper process ({jobs} jobs) | median (ms) | p95 (ms) | max (ms) |")
    print("|---|---:|---:|---:|")
    print(f"| GUI thread busy in print_slip | {_stats([r[0] for r in rows])} |")
    print(f"| print_slip -> helper reports (Qt loaded, printer looked up) "
          f"| {_stats([r[1] for r in rows])} |")
    print(f"| longest GUI-thread gap while the helper runs | {_stats([r[2] for r in rows])} |")


def bench_qr(renders: int) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

    from kiosk.core.qr import course_link, qr_matrix
    from kiosk.gui.widgets import paint_qr

    def per_module(painter: QPainter, matrix: list[list[bool]], rect: QRectF) -> None:
        count = len(matrix)
        module = int(min(rect.width(), rect.height()) // count)
        left = int(rect.x() + (rect.width() - module * count) / 2)
        top = int(rect.y() + (rect.height() - module * count) / 2)
        painter.fillRect(left, top, module * count, module * count, QColor("white"))
        black = QColor("black")
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(left + x * module, top + y * module, module, module, black)

    def one_path(painter: QPainter, matrix: list[list[bool]], rect: QRectF) -> None:
        count = len(matrix)
        module = int(min(rect.width(), rect.height()) // count)
        left = int(rect.x() + (rect.width() - module * count) / 2)
        top = int(rect.y() + (rect.height() - module * count) / 2)
        painter.fillRect(left, top, module * count, module * count, QColor("white"))
        path = QPainterPath()
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    path.addRect(left + x * module, top + y * module, module, module)
        painter.fillPath(path, QColor("black"))

    urls = {"plain (29+8 modules)": "https://www.digisterker.nl",
            "tagged (37+8 modules)": course_link("https://www.digisterker.nl", "supermarkt",
                                                 True)}
    print(f"| QR code | method | median (ms, {renders} renders into 600x600) | p95 | max |")
    print("|---|---|---:|---:|---:|")
    image = QImage(600, 600, QImage.Format.Format_RGB32)
    for label, url in urls.items():
        encode = []
        for _ in range(renders // 4):
            start = time.perf_counter()
            qr_matrix.__wrapped__(url)  # without the cache
            encode.append((time.perf_counter() - start) * 1000)
        print(f"| {label} | qrcode encode (once per address: qr_matrix caches) "
              f"| {_stats(encode)} |")
        matrix = qr_matrix(url)
        for name, paint in (("paint_qr (runs of dark modules)", paint_qr),
                            ("one fillRect per dark module", per_module),
                            ("one QPainterPath of all modules", one_path)):
            times = []
            for _ in range(renders):
                start = time.perf_counter()
                painter = QPainter(image)
                paint(painter, matrix, QRectF(0, 0, 600, 600))
                painter.end()
                times.append((time.perf_counter() - start) * 1000)
            print(f"| {label} | {name} | {_stats(times)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slips", type=int, default=20)
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()
    bench_tap_to_spooler(args.slips)
    print()
    bench_helper_process(max(5, args.slips // 2))
    print()
    bench_qr(args.renders)


if __name__ == "__main__":
    main()
