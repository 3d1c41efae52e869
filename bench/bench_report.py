"""The report for 1,000,000 answers: time for the PDF, the ODT and both (as the staff menu
writes them), and the longest gap in the GUI event loop while the staff menu's report is
built on a worker thread (the staff executor) and, for comparison, on the GUI thread.

The database: 240 sessions (6 places, 40 days, morning and afternoon, approaches and
per-visit choices varied), 333,334 visits with 3 answers each, written with raw inserts
(as ``bench_merge.py``). A QTimer on the GUI thread ticks every 5 ms; the gap is the
longest time between two ticks while the report is built (goal: at most 100 ms).

Run: ``.venv/bin/python bench/bench_report.py`` (``--answers N`` for another size).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import Options, load_content  # noqa: E402
from kiosk.core.store import Store  # noqa: E402

PLACES = (("Weekmarkt", "markt"), ("Zwembad", "zwembad"), ("Bibliotheek", "bibliotheek"),
          ("Buurthuis", "wijkcentrum"), ("Supermarkt", "supermarkt"), ("Gemeentehuis", "anders"))
APPROACHES = ("", "bakfiets", "digispot", "ijsbreker", "koor")


def make_database(path: Path, content, answers: int) -> None:
    """Sessions through the store; visits and answers with raw inserts."""
    statements = [s.id for s in next(iter(content.sets.values())).statements]
    set_id = next(iter(content.sets))
    approaches = [a for a in APPROACHES if not a or a in content.approaches]
    sessions = []
    now = [datetime(2026, 3, 2, 9, 0)]
    with Store.open(path, clock=lambda: now[0], synchronous="NORMAL") as store:
        for day in range(40):
            for part, hour in enumerate((9, 14)):
                for place, kind in PLACES[(day + part) % 3::2][:3]:
                    now[0] = datetime(2026, 3, 2, hour) + timedelta(days=day)
                    session = store.start_session(place, kind, set_id, per_visit=3,
                                                  approach=approaches[day % len(approaches)])
                    now[0] += timedelta(hours=3)
                    store.end_session(session)
                    sessions.append((session, (date(2026, 3, 2) + timedelta(days=day)),
                                     hour))
        rng = random.Random(18)
        visits, rows = [], []
        for index in range(answers // 3 + (answers % 3 > 0)):
            session, day, hour = sessions[index % len(sessions)]
            at = f"{day.isoformat()}T{hour + rng.randrange(3):02d}:{rng.choice('0134')}5"
            visit = str(uuid.uuid4())
            visits.append((visit, session, at, at, 1))
            for statement in rng.sample(statements, 3):
                if len(rows) < answers:
                    rows.append((str(uuid.uuid4()), visit, session, statement,
                                 rng.choice(("eens", "eens", "oneens", "weet_niet")), "touch",
                                 at))
        with store.db.atomic():
            store.db.conn.executemany(
                "INSERT INTO visit (id, session_id, started, finished, completed) "
                "VALUES (?, ?, ?, ?, ?)", visits)
            store.db.conn.executemany(
                "INSERT INTO answer (id, visit_id, session_id, statement_id, answer, source, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


class Gaps:
    """The longest interval between two ticks of a 5 ms QTimer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.longest = 0
        self.ticks = 0

    def start(self) -> None:
        self.longest, self.ticks = 0, 0
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())
        self.ticks += 1

    def stop(self) -> None:
        self.longest = max(self.longest, self.clock.elapsed())
        self.timer.stop()


def staff_report(db: Path, content, folder: Path) -> None:
    from kiosk.gui.staff.actions import report_to_folder

    report_to_folder(db, content, folder)


def on_worker(app: QApplication, gaps: Gaps, work) -> float:
    """``work`` on an executor while the GUI thread's event loop runs; its seconds."""
    loop = QEventLoop()
    with ThreadPoolExecutor(max_workers=1) as pool:
        gaps.start()
        start = time.perf_counter()
        future = pool.submit(work)
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: loop.quit() if future.done() else None)
        poll.start()
        loop.exec()
        poll.stop()
        seconds = time.perf_counter() - start
        gaps.stop()
        future.result()
    return seconds


def on_gui_thread(app: QApplication, gaps: Gaps, work) -> float:
    """``work`` on the GUI thread (the old way), called from the event loop; its seconds."""
    loop = QEventLoop()
    took = []

    def run() -> None:
        start = time.perf_counter()
        work()
        took.append(time.perf_counter() - start)
        QTimer.singleShot(20, loop.quit)

    gaps.start()
    QTimer.singleShot(20, run)
    loop.exec()
    gaps.stop()
    return took[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from kiosk.gui.report import build_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = load_content(Options(data_dir=folder), lambda message: None)
        db = folder / "kiosk.db"
        start = time.perf_counter()
        make_database(db, content, args.answers)
        print(f"database: {args.answers:,} answers in {time.perf_counter() - start:.1f} s")
        for name, outs in (("PDF", ["r.pdf"]), ("ODT", ["r.odt"]),
                           ("PDF + ODT", ["b.pdf", "b.odt"])):
            for publiek in (False, True):
                start = time.perf_counter()
                pages = build_report(db, content, [folder / o for o in outs], publiek=publiek)
                print(f"{name:10} {'publiek' if publiek else 'intern ':7}: "
                      f"{time.perf_counter() - start:5.2f} s, {pages} pages")
        from kiosk.gui.report import _read

        for publiek in (False, True):  # of which: reading the numbers from the database
            start = time.perf_counter()
            _read(db, None, None, None, content, publiek, False)
            print(f"of which reading the numbers, {'publiek' if publiek else 'intern '}: "
                  f"{time.perf_counter() - start:5.2f} s")
        gaps = Gaps()
        usb = folder / "usb"
        for way, run in (("worker", on_worker), ("GUI thread", on_gui_thread)):
            usb.mkdir()
            seconds = run(app, gaps, lambda: staff_report(db, content, usb))
            print(f"staff report (PDF + ODT, publiek) on the {way}: {seconds:.2f} s, "
                  f"{gaps.ticks} ticks, longest gap in the event loop {gaps.longest} ms")
            for path in usb.iterdir():
                path.unlink()
            usb.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
