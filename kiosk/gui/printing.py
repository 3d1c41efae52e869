"""Printing slips in the background, and the "Printen" button on the end screen.

:class:`SlipPrinter` prints to a printer by name (the system default if none)
or to a PDF file, with no dialog; the GUI thread only queues the job and never
waits. A slip for a printer is made by a helper process (``kiosk print-job``,
the job as JSON on its standard input): handing a job to the spooler (CUPS,
the Windows spooler) can block, and PySide6 keeps Python's lock during Qt
calls, so a thread would still stall the kiosk; a process cannot, and a
printer driver that crashes takes only the helper down. A PDF file (tests,
``kiosk slip``) is written on a worker thread.

"Printed" is a claim: on Linux the helper prints through CUPS and follows the
job (:mod:`kiosk.gui.spooler`) until CUPS reports it completed; a queue that
rejects jobs, a stopped printer, or a job that is aborted or cancelled is a
failure. A printer that reports no completion gives ``"accepted"`` (see
:attr:`SlipPrinter.job_done`), and the staff's test slip says so. Elsewhere
(Windows, macOS) Qt hands the job to the system's spooler: ``"accepted"``.

:func:`attach_printing` adds the button to a :class:`~kiosk.gui.window.KioskWindow`,
marks the referral printed once the slip is out, and shows the passer-by a kind
line when printing fails (staff get the details by signal).
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QObject,
    QProcess,
    QProcessEnvironment,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QPushButton

from kiosk import paths
from kiosk.core.model import Content, Course, Library
from kiosk.core.qr import course_link
from kiosk.gui import spooler
from kiosk.gui.screens import CONTROL_MIN_MM, button, svg_icon
from kiosk.gui.slip import SlipError, paint_on_printer, slip_size, write_slip_pdf
from kiosk.gui.theme import px_per_mm

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kiosk.gui.window import KioskWindow

#: The passer-by's line when a slip cannot be printed (A2 Dutch, kind, no blame).
KIND_LINE = "Printen lukt nu niet. Vraag het aan de medewerker."
PRINT_TEXT = "Printen"
BUSY_TEXT = "Even geduld..."
DONE_TEXT = "Geprint"


def printers() -> list[tuple[str, bool]]:
    """The printers this computer knows: (name, is the default), default first.

    On Linux the CUPS server's queues (``CUPS_SERVER`` chooses the server, as for
    every CUPS client); elsewhere Qt's list.
    """
    if spooler.available():
        return spooler.printer_list()
    default = QPrinterInfo.defaultPrinterName()
    names = QPrinterInfo.availablePrinterNames()
    return sorted(((name, name == default) for name in names), key=lambda p: (not p[1], p[0]))


@dataclass(frozen=True)
class SlipJob:
    """One slip to print: captured when the tap happens, printed on the worker."""

    job_id: str
    course: Course
    library: Library
    link: str
    size: str
    printer_name: str  # "" = the system default
    output_file: Path | None  # a PDF file instead of a printer


class SlipPrinter(QObject):
    """Prints slips without a dialog, in the background.

    Args:
        printer_name: the printer to use; "" for the system default.
        size: "80mm", "a6" or "a4".
        output_file: write a PDF file here instead of printing (tests, ``kiosk slip``).

    Signals:
        printed(str): a job (its id: the referral id when one was given) is
            printed: CUPS reports it completed, or a printer that reports no
            completion accepted it (see ``job_done``), or its PDF is written.
        job_done(str, str): the same, with how it ended: ``"completed"``,
            ``"accepted"`` (the printer took it and reports nothing more) or
            ``"written"`` (a PDF file). Emitted just before ``printed``.
        failed(str): a job failed; a message for staff that says what to do.
        job_failed(str, str): the same, with the job's id first.
    """

    printed = Signal(str)
    job_done = Signal(str, str)
    failed = Signal(str)
    job_failed = Signal(str, str)

    def __init__(self, printer_name: str = "", size: str = "80mm",
                 output_file: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        slip_size(size)  # an unknown size is a mistake of the caller: fail at once
        self.printer_name, self.size = printer_name, size
        self.output_file = Path(output_file) if output_file is not None else None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one job at a time, in the order of the taps
        self._pool.setExpiryTimeout(-1)  # keep the thread: the next slip starts at once
        self._jobs: deque[SlipJob] = deque()  # printer jobs waiting for the helper
        self._current: SlipJob | None = None  # the job the helper is printing
        # One QProcess, started once per job: deleting a process from its own
        # finished() handler is how crashes happen.
        self._process = QProcess(self)
        program, arguments = helper_command()
        self._process.setProgram(program)
        self._process.setArguments(arguments)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("QT_QPA_PLATFORM", "offscreen")  # the helper shows nothing
        self._process.setProcessEnvironment(environment)
        self._process.finished.connect(self._job_done)
        self._process.errorOccurred.connect(self._job_error)
        self._deadline = QTimer(self, singleShot=True, interval=JOB_SECONDS * 1000)
        self._deadline.timeout.connect(self._job_timed_out)
        self._timed_out = False

    def print_slip(self, course: Course, library: Library, link: str, job_id: str = "",
                   printer_name: str | None = None) -> str:
        """Queue a slip for ``course`` (QR code: ``link``); returns the job's id at once.

        Args:
            job_id: echoed by ``printed``/``job_failed`` (default: a new UUID).
            printer_name: this job only, instead of :attr:`printer_name`.
        """
        printer = self.printer_name if printer_name is None else printer_name
        job = SlipJob(job_id or str(uuid.uuid4()), course, library, link, self.size,
                      printer, self.output_file)
        if job.output_file is not None:
            self._pool.start(lambda: self._run(job))
        else:
            self._jobs.append(job)
            if self._current is None:
                self._next_job()
        return job.job_id

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the queued jobs (at shutdown; never from a tap)."""
        while self._current is not None:
            if not self._process.waitForFinished(msecs):
                return False
        return self._pool.waitForDone(msecs)

    # -- printer jobs: one helper process at a time --------------------------

    def _next_job(self) -> None:
        if not self._jobs:
            return
        self._current = job = self._jobs.popleft()
        self._process.start()
        self._process.write(json.dumps(job_to_dict(job)).encode("utf-8"))
        self._process.closeWriteChannel()
        self._deadline.start()

    @Slot(int, QProcess.ExitStatus)
    def _job_done(self, code: int, _status: QProcess.ExitStatus) -> None:
        job, self._current = self._current, None
        self._deadline.stop()
        if job is None:
            return
        message = bytes(self._process.readAllStandardError()).decode("utf-8", "replace")
        last = message.strip().splitlines()[-1] if message.strip() else ""
        if self._timed_out:
            self._timed_out = False
            self._fail(job, f"Printen lukt niet: de printer reageert niet binnen {JOB_SECONDS} "
                            "seconden. Kijk naar de printer (papier, klep, kabel).")
        elif code == 0:
            said = bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace")
            words = said.split()
            outcome = spooler.COMPLETED if words and words[-1] == spooler.COMPLETED \
                else spooler.ACCEPTED
            self._done(job, outcome)
        elif last.startswith("Printen lukt"):
            self._fail(job, last)
        else:
            self._fail(job, f"Printen lukt niet: de printhulp stopte ({last or code}). "
                            "Kijk of de printer aan staat, en probeer het opnieuw.")
        self._next_job()

    @Slot(QProcess.ProcessError)
    def _job_error(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart or self._current is None:
            return  # a crash also ends in finished(), which reports it
        job, self._current = self._current, None
        self._deadline.stop()
        self._fail(job, "Printen lukt niet: de printhulp start niet. Start de kiosk opnieuw.")
        self._next_job()

    def _job_timed_out(self) -> None:
        if self._current is not None:
            self._timed_out = True
            self._process.kill()  # finished() follows and reports it


    def _run(self, job: SlipJob) -> None:
        """On the worker thread: print, then report by signal (queued to the GUI thread)."""
        try:
            if job.output_file is not None:
                write_slip_pdf(job.output_file, job.course, job.library, job.link, job.size)
            else:
                printer = _open_printer(job.printer_name)
                paint_on_printer(printer, job.course, job.library, job.link, job.size)
        except PrintError as error:
            self._fail(job, str(error))
        except SlipError as error:
            if job.output_file is not None:
                self._fail(job, f"Printen lukt niet: de bon kon niet worden opgeslagen ({error}).")
            else:
                self._fail(job, f"Printen lukt niet: {error} (printer "
                                f"'{job.printer_name or 'standaard'}'). Kijk of de printer aan "
                                "staat en papier heeft, en probeer het opnieuw.")
        except Exception as error:  # a worker reports every failure, never dies silently
            self._fail(job, f"Printen lukt niet door een fout: {error!r}.")
        else:
            self._done(job, WRITTEN if job.output_file is not None else spooler.ACCEPTED)

    def _done(self, job: SlipJob, outcome: str) -> None:
        self.job_done.emit(job.job_id, outcome)
        self.printed.emit(job.job_id)

    def _fail(self, job: SlipJob, message: str) -> None:
        self.job_failed.emit(job.job_id, message)
        self.failed.emit(message)


WRITTEN = "written"  # a slip written to a PDF file


class PrintError(Exception):
    """No printer to print on; the message is for staff."""


JOB_SECONDS = 60  # a printer that has not taken a slip by then is reported stuck


def helper_command() -> tuple[str, list[str]]:
    """How to start ``kiosk print-job``: the bundle's executable, or this Python."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["print-job"]
    return sys.executable, ["-m", "kiosk", "print-job"]


def job_to_dict(job: SlipJob) -> dict:
    return {
        "course": asdict(job.course), "library": asdict(job.library), "link": job.link,
        "size": job.size, "printer": job.printer_name,
    }


def print_job_from_stdin() -> int:
    """``kiosk print-job``: print one slip described as JSON on standard input.

    On Linux (with pycups) the slip is written to a temporary PDF, handed to
    CUPS and followed until the job ends (:mod:`kiosk.gui.spooler`); elsewhere
    Qt hands it to the system's spooler, which reports nothing more.

    Exit 0 with ``completed`` (CUPS reports the job done) or ``accepted`` (the
    printer took it and reports no completion) on standard output; 1 with one
    line for staff on standard error when the slip was not printed.
    """
    from PySide6.QtWidgets import QApplication

    from kiosk.gui.theme import load_fonts

    try:
        data = json.loads(sys.stdin.read())
        course, library = Course(**data["course"]), Library(**data["library"])
        link, size, printer_name = data["link"], data["size"], data["printer"]
    except (ValueError, KeyError, TypeError) as error:
        print(f"Printen lukt niet: de opdracht klopt niet ({error}).", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([sys.argv[0]])  # noqa: F841 - fonts need it
    load_fonts(paths.ui_dir())
    if spooler.available():
        try:
            outcome = _print_through_cups(course, library, link, size, printer_name)
        except (spooler.SpoolerError, PrintError) as error:
            print(error, file=sys.stderr)
            return 1
        except SlipError as error:
            print(f"Printen lukt niet: de bon kon niet worden gemaakt ({error}).",
                  file=sys.stderr)
            return 1
        print(outcome, flush=True)
        return 0
    try:
        printer = _open_printer(printer_name)
        paint_on_printer(printer, course, library, link, size)
    except PrintError as error:
        print(error, file=sys.stderr)
        return 1
    except SlipError as error:
        print(f"Printen lukt niet: {error} (printer '{printer_name or 'standaard'}'). Kijk of "
              "de printer aan staat en papier heeft, en probeer het opnieuw.", file=sys.stderr)
        return 1
    print(spooler.ACCEPTED, flush=True)  # Qt only hands the job over
    return 0


def _print_through_cups(course: Course, library: Library, link: str, size: str,
                        printer_name: str) -> str:
    """Write the slip as a PDF, print it with CUPS, follow the job; the outcome."""
    import tempfile

    from kiosk.gui.slip import slip_height_mm, slip_size

    spec = slip_size(size)
    height = spec.height or slip_height_mm(QPrinter(QPrinter.PrinterMode.HighResolution),
                                           course, library, size)
    media = {"80mm": f"Custom.{spec.width:g}x{math.ceil(height)}mm", "a6": "A6", "a4": "A4"}
    with tempfile.TemporaryDirectory(prefix="kiosk-slip-") as folder:
        pdf = write_slip_pdf(Path(folder) / "bon.pdf", course, library, link, size)
        title = f"Stellingenkiosk-bon-{uuid.uuid4().hex[:8]}"
        _name, outcome = spooler.print_pdf(pdf, printer_name, title,
                                           {"media": media[size.lower()]})
    return outcome


def _open_printer(name: str) -> QPrinter:
    """A QPrinter on the printer called ``name`` (the default for ""), checked first.

    QPrinter itself would fall back to writing a PDF when the name is unknown,
    so the name is looked up before.
    """
    if name:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            known = ", ".join(QPrinterInfo.availablePrinterNames()) or "geen"
            raise PrintError(f"Printen lukt niet: printer '{name}' is niet gevonden. "
                             f"Staat hij aan en is hij aangesloten? Bekende printers: {known}.")
    else:
        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            raise PrintError("Printen lukt niet: deze computer heeft geen standaardprinter. "
                             "Sluit de printer aan en zet hem aan, of kies een printer "
                             "(kiosk printers).")
    if info.state() == QPrinter.PrinterState.Error:
        raise PrintError(f"Printen lukt niet: printer '{info.printerName()}' staat op "
                         "storing of is gestopt. Kijk naar de printer (papier, klep, kabel).")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    return printer


TEST_JOB_PREFIX = "test-"


def staff_test_course(content: Content) -> tuple[Course, str]:
    """The staff's test slip: (a "Testbon" course, its link: the default course's address)."""
    home = content.courses.get(content.default_course) or next(iter(content.courses.values()))
    course = Course(id="test", name="Testbon",
                    line=f"De printer werkt. Scan de code: die gaat naar {home.name}.",
                    url=home.url, pictogram="printer")
    return course, home.url


def print_test_slip(slip_printer: SlipPrinter, content: Content, printer_name: str = "",
                    report: Callable[[str], None] | None = None) -> str:
    """Print the staff's test slip on ``printer_name`` ("" = the system default).

    Args:
        report: called once on the GUI thread with a line for staff: that the
            slip is out, or what went wrong.

    Returns:
        The job's id (it starts with ``"test-"``; the kiosk's print button ignores it).
    """
    course, link = staff_test_course(content)
    job = f"{TEST_JOB_PREFIX}{uuid.uuid4()}"
    where = f"printer '{printer_name}'" if printer_name else "de standaardprinter"

    def printed(job_id: str, outcome: str) -> None:
        if job_id == job:
            done()
            if report is None:
                return
            if outcome == spooler.ACCEPTED:
                report(f"De testbon is naar {where} gestuurd. Deze printer meldt niet of de "
                       "bon klaar is: kijk of hij eruit kwam.")
            else:
                report(f"De testbon is geprint op {where}.")

    def failed(job_id: str, message: str) -> None:
        if job_id == job:
            done()
            if report is not None:
                report(message)

    def done() -> None:
        slip_printer.job_done.disconnect(printed)
        slip_printer.job_failed.disconnect(failed)

    slip_printer.job_done.connect(printed)
    slip_printer.job_failed.connect(failed)
    return slip_printer.print_slip(course, content.library, link, job, printer_name)


def tag_links(window: KioskWindow, content: Content, place_kind: str) -> Callable[[Course], str]:
    """Make the end screen's QR code hold the course address with this session's tags.

    Only when the content enables tags (``[qr] tags = true``); :func:`attach_printing`
    does this itself. Use it alone for a session without a printer.

    Returns:
        The link function now used by the end screen.
    """
    def link(course: Course) -> str:
        return course_link(course.url, place_kind, content.qr_tags)

    window.end_screen.link = link
    return link


class PrintControl(QObject):
    """The end screen's "Printen" button and what follows a tap.

    One slip per course per visit: after a slip is out, the button says
    "Geprint". Taps while a slip is on its way do nothing more.

    Signals:
        staff_message(str): printing (or marking it printed) failed: for staff.
        marked_printed(str): a referral (its id) is marked printed on disk.
        kind_line(str): the line the passer-by now sees (for speech).
    """

    staff_message = Signal(str)
    marked_printed = Signal(str)
    kind_line = Signal(str)

    def __init__(self, window: KioskWindow, slip_printer: SlipPrinter, content: Content,
                 place_kind: str = "anders") -> None:
        super().__init__(window)
        self.window, self.slip_printer, self.content = window, slip_printer, content
        self.place_kind = place_kind
        self._visit = 0  # counts finished visits; jobs and referrals belong to one
        self._referrals: dict[int, dict[str, str]] = {}  # visit -> course id -> referral id
        self._unmarked: set[tuple[int, str]] = set()  # printed before the referral was known
        self._jobs: dict[str, tuple[int, str]] = {}  # job id -> (visit, course id)
        self._printed: set[str] = set()  # course ids printed in this visit
        self._busy: str | None = None  # the course id on its way to the printer

        end = window.end_screen
        self.button: QPushButton = button(
            PRINT_TEXT, "print_slip", "Print een bon met de cursus en de QR-code.",
            svg_icon(paths.pictogram_dir(), "printer", window.theme.colors["ink"]))
        control = math.ceil(CONTROL_MIN_MM * px_per_mm(window))
        self.button.setMinimumHeight(control)
        self.button.clicked.connect(self.print_shown)
        end.set_print_button(self.button)
        end.link = self.link
        end.course_shown.connect(self._course_shown)
        window.visit_finished.connect(self._visit_finished)
        window.referrals_recorded.connect(self._referrals_recorded)
        slip_printer.printed.connect(self._job_printed)
        slip_printer.job_failed.connect(self._job_failed)

    def link(self, course: Course) -> str:
        """The course's address with this session's tags (when the content enables them)."""
        return course_link(course.url, self.place_kind, self.content.qr_tags)

    @Slot()
    def print_shown(self) -> None:
        """Print the course on the end screen (the button's tap): queue it, never wait."""
        course: Course | None = getattr(self.window.end_screen, "shown", None)
        if course is None or self._busy is not None or course.id in self._printed:
            return
        self._busy = course.id
        self.window.end_screen.show_print_line("")
        self._set_text(BUSY_TEXT)
        referral = self._referrals.get(self._visit, {}).get(course.id, "")
        job = self.slip_printer.print_slip(course, self.content.library, self.link(course),
                                           referral or str(uuid.uuid4()))
        self._jobs[job] = (self._visit, course.id)

    def _set_text(self, text: str) -> None:
        self.button.setText(text)
        self.button.setAccessibleName(text)

    @Slot(object)
    def _course_shown(self, course: Course) -> None:
        if self._busy is None:
            self._set_text(DONE_TEXT if course.id in self._printed else PRINT_TEXT)

    @Slot(list)
    def _visit_finished(self, _course_ids: list) -> None:
        self._visit += 1
        self._printed.clear()
        self._busy = None
        self._set_text(PRINT_TEXT)
        for old in [v for v in self._referrals if v < self._visit - 5]:
            del self._referrals[old]

    @Slot(dict)
    def _referrals_recorded(self, referrals: dict) -> None:
        self._referrals[self._visit] = dict(referrals)
        for visit, course_id in sorted(self._unmarked):
            if visit == self._visit and course_id in referrals:
                self._unmarked.discard((visit, course_id))
                self._mark(referrals[course_id])

    @Slot(str)
    def _job_printed(self, job_id: str) -> None:
        found = self._jobs.pop(job_id, None)
        if found is None:
            return  # not ours (a test slip)
        visit, course_id = found
        referral = self._referrals.get(visit, {}).get(course_id)
        if referral:
            self._mark(referral)
        else:
            self._unmarked.add((visit, course_id))
        if visit == self._visit:
            self._busy = None
            self._printed.add(course_id)
            self._course_shown(self.window.end_screen.shown)
            self.window.say_phrase("bonnetje")

    @Slot(str, str)
    def _job_failed(self, job_id: str, message: str) -> None:
        found = self._jobs.pop(job_id, None)
        if found is None:
            return
        self._tell_staff(message)
        if found[0] == self._visit:
            self._busy = None
            self._set_text(PRINT_TEXT)
            self.window.end_screen.show_print_line(KIND_LINE)
            self.kind_line.emit(KIND_LINE)

    def _mark(self, referral: str) -> None:
        self.window.bridge.watch(
            self.window.recorder.mark_printed(referral),
            lambda _none: self.marked_printed.emit(referral),
            lambda exc: self._tell_staff(f"De bon is geprint, maar niet geteld: {exc}"),
        )

    def _tell_staff(self, message: str) -> None:
        log.warning("printing: %s", message)  # the log; the staff screen shows it too
        self.staff_message.emit(message)


def attach_printing(window: KioskWindow, slip_printer: SlipPrinter, content: Content,
                    place_kind: str = "anders") -> PrintControl:
    """Add the "Printen" button to ``window``'s end screen and wire it up.

    The end screen's QR code and the slip then both hold the course address
    with this session's tags (``place_kind``; only when the content enables
    tags). Set ``control.place_kind`` when a new session starts elsewhere.

    Returns:
        The :class:`PrintControl` (its ``staff_message`` signal is for the staff screen).
    """
    return PrintControl(window, slip_printer, content, place_kind)
