"""Printing slips in the background, and the "Printen" button on the end screen.

:class:`SlipPrinter` prints to a printer by name (the system default if none)
or to a PDF file, with no dialog; the GUI thread only queues the job and never
waits. A slip for a printer is made by a helper process (``kiosk print-job``,
:mod:`kiosk.gui.print_job`, the job as JSON on its standard input): handing a
job to the spooler (CUPS, the Windows spooler) can block, and PySide6 keeps
Python's lock during Qt calls, so a thread would still stall the kiosk; a
process cannot, and a printer driver that crashes takes only the helper down.
A PDF file (tests, ``kiosk slip``) is written on a worker thread.

"Printed" is a claim: on Linux the helper prints through CUPS and follows the
job (:mod:`kiosk.gui.spooler`) until CUPS reports it completed. A queue that
rejects jobs or cannot print PDF, a stopped printer, or a job that is aborted
or cancelled is a failure; a job CUPS forgets (no job history, a restart) is
:data:`UNKNOWN`, never printed. Elsewhere (Windows, macOS) Qt hands the job to
the system's spooler, which reports nothing more: ``"accepted"``.

:func:`attach_printing` adds the button to a :class:`~kiosk.gui.window.KioskWindow`
(:class:`PrintControl`): it marks the referral printed once the slip is out,
shows the passer-by a kind line when printing fails or takes longer than
:data:`PASSER_BY_SECONDS`, and tells staff (the log, "Meldingen") what happened.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
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
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QPushButton

from kiosk import paths
from kiosk.core.model import Content, Course, Library
from kiosk.core.qr import course_link
from kiosk.gui import spooler
from kiosk.gui.print_job import (  # noqa: F401 - PrintError, print_job_from_stdin: re-exported
    ACCEPTED,
    EXIT_FAILED,
    EXIT_UNKNOWN,
    SUBMITTED,
    PrintError,
    helper_command,
    job_to_dict,
    print_job_from_stdin,
)
from kiosk.gui.screens import CONTROL_MIN_MM, button, svg_icon
from kiosk.gui.slip import SlipError, slip_size, write_slip_pdf
from kiosk.gui.theme import px_per_mm

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kiosk.gui.window import KioskWindow

#: The passer-by's line when a slip cannot be printed (A2 Dutch, kind, no blame).
KIND_LINE = "Printen lukt nu niet. Vraag het aan de medewerker."
PRINT_TEXT = "Printen"
BUSY_TEXT = "Even geduld..."
DONE_TEXT = "Geprint"
#: A slip not out this long after the tap: the passer-by gets :data:`KIND_LINE`
#: at once, and the job is followed on in the background (staff hear the end).
PASSER_BY_SECONDS = 10.0

#: How a job ended (:attr:`SlipPrinter.job_ended`).
COMPLETED = spooler.COMPLETED  # CUPS reports the job completed: printed
WRITTEN = "written"  # a slip written to a PDF file
UNKNOWN = spooler.UNKNOWN  # nobody knows whether it printed: not printed
FAILED = "failed"  # not printed
#: The outcomes that count as printed (ACCEPTED: no CUPS to ask, Windows/macOS).
PRINTED = frozenset({COMPLETED, WRITTEN, ACCEPTED})
JOB_SECONDS = 60  # a helper that has not answered by then is stopped


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
            printed: CUPS reports it completed, or its PDF is written (or, with
            no CUPS to ask, the system's spooler took it: ``"accepted"``).
        job_done(str, str): the same, with how it ended: :data:`COMPLETED`,
            :data:`WRITTEN` or :data:`ACCEPTED`. Emitted just before ``printed``.
        failed(str): a job was not printed, or it is not known whether it
            was (:data:`UNKNOWN`); a message for staff that says what to do.
        job_failed(str, str): the same, with the job's id first.
        job_ended(str, str, str): every job at its end: (id, outcome: one of
            :data:`PRINTED`, :data:`FAILED` or :data:`UNKNOWN`, the staff
            message or ""). Emitted before the signals above.
    """

    printed = Signal(str)
    job_done = Signal(str, str)
    failed = Signal(str)
    job_failed = Signal(str, str)
    job_ended = Signal(str, str, str)

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
        said = bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace")
        words = said.split()
        submitted = SUBMITTED in message.split()  # CUPS has the job: it may still print
        if self._timed_out:
            self._timed_out = False
            if submitted:
                self._unknown(job, f"Printen onzeker: de printer meldde niet binnen "
                                   f"{JOB_SECONDS} seconden dat de bon klaar is. Kijk of hij "
                                   "eruit kwam, en kijk naar de printer (papier, klep, kabel).")
            else:
                self._fail(job, f"Printen lukt niet: de printer reageert niet binnen "
                                f"{JOB_SECONDS} seconden. Kijk naar de printer (papier, klep, "
                                "kabel).")
        elif code == 0 and words and words[-1] in (COMPLETED, ACCEPTED):
            self._done(job, words[-1])
        elif code == EXIT_UNKNOWN and last.startswith("Printen"):
            self._unknown(job, last)
        elif code == EXIT_FAILED and last.startswith("Printen lukt"):
            self._fail(job, last)
        elif code == 0 or submitted:  # no clear answer (or a crash) after CUPS took the job
            self._unknown(job, f"Printen onzeker: de printhulp gaf geen duidelijk antwoord "
                               f"({last or said.strip() or code}). Kijk of de bon eruit kwam.")
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
        """On the worker thread: write the PDF, then report by signal (queued to the GUI)."""
        try:
            write_slip_pdf(job.output_file, job.course, job.library, job.link, job.size)
        except SlipError as error:
            self._fail(job, f"Printen lukt niet: de bon kon niet worden opgeslagen ({error}).")
        except Exception as error:  # a worker reports every failure, never dies silently
            self._fail(job, f"Printen lukt niet door een fout: {error!r}.")
        else:
            self._done(job, WRITTEN)

    def _done(self, job: SlipJob, outcome: str) -> None:
        self.job_ended.emit(job.job_id, outcome, "")
        self.job_done.emit(job.job_id, outcome)
        self.printed.emit(job.job_id)

    def _fail(self, job: SlipJob, message: str, outcome: str = FAILED) -> None:
        self.job_ended.emit(job.job_id, outcome, message)
        self.job_failed.emit(job.job_id, message)
        self.failed.emit(message)

    def _unknown(self, job: SlipJob, message: str) -> None:
        self._fail(job, message, UNKNOWN)


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
            if outcome == ACCEPTED:
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


@dataclass
class _Job:
    """A slip of this kiosk on its way: whose it is, and whether the passer-by gave up on it."""

    visit: int
    course_id: str
    started: float  # time.monotonic() at the tap
    timer: QTimer = field(repr=False)
    late: bool = False  # not out within PASSER_BY_SECONDS: the passer-by saw the kind line


class PrintControl(QObject):
    """The end screen's "Printen" button and what follows a tap.

    One slip per course per visit: after a slip is out, the button says
    "Geprint". Taps while a slip is on its way do nothing more. A slip that is
    not out within ``wait_seconds`` (:data:`PASSER_BY_SECONDS`) gives the
    passer-by :data:`KIND_LINE` at once (the button then rests for that
    course); the job is followed on, and staff hear how it ended. The
    passer-by's screen never says "Geprint" after the kind line; a slip that
    comes out later is still marked printed (it was).

    Signals:
        staff_message(str): what staff must know about a slip (failed, not
            known, or out only after the passer-by was told to ask); also in
            the log and in "Meldingen".
        marked_printed(str): a referral (its id) is marked printed on disk.
        kind_line(str): the line the passer-by now sees (for speech).
    """

    staff_message = Signal(str)
    marked_printed = Signal(str)
    kind_line = Signal(str)

    def __init__(self, window: KioskWindow, slip_printer: SlipPrinter, content: Content,
                 place_kind: str = "anders", wait_seconds: float = PASSER_BY_SECONDS) -> None:
        super().__init__(window)
        self.window, self.slip_printer, self.content = window, slip_printer, content
        self.place_kind = place_kind
        self.wait_seconds = wait_seconds
        self._visit = 0  # counts finished visits; jobs and referrals belong to one
        self._referrals: dict[int, dict[str, str]] = {}  # visit -> course id -> referral id
        self._unmarked: set[tuple[int, str]] = set()  # printed before the referral was known
        self._jobs: dict[str, _Job] = {}  # job id -> the slip on its way
        self._printed: set[str] = set()  # course ids printed in this visit
        self._late: set[str] = set()  # course ids of this visit whose slip did not come in time
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
        slip_printer.job_ended.connect(self._job_ended)

    def link(self, course: Course) -> str:
        """The course's address with this session's tags (when the content enables them)."""
        return course_link(course.url, self.place_kind, self.content.qr_tags)

    @Slot()
    def print_shown(self) -> None:
        """Print the course on the end screen (the button's tap): queue it, never wait."""
        course: Course | None = getattr(self.window.end_screen, "shown", None)
        if course is None or self._busy is not None or course.id in self._printed \
                or course.id in self._late:
            return
        self._busy = course.id
        self.window.end_screen.show_print_line("")
        self._set_text(BUSY_TEXT)
        referral = self._referrals.get(self._visit, {}).get(course.id, "")
        timer = QTimer(self, singleShot=True, interval=max(0, round(self.wait_seconds * 1000)))
        job = self.slip_printer.print_slip(course, self.content.library, self.link(course),
                                           referral or str(uuid.uuid4()))
        self._jobs[job] = _Job(self._visit, course.id, time.monotonic(), timer)
        timer.timeout.connect(lambda: self._too_slow(job))
        timer.start()

    def _set_text(self, text: str) -> None:
        self.button.setText(text)
        self.button.setAccessibleName(text)

    @Slot(object)
    def _course_shown(self, course: Course | None) -> None:
        if self._busy is None and course is not None:
            self._set_text(DONE_TEXT if course.id in self._printed else PRINT_TEXT)
            self.button.setEnabled(course.id not in self._late)

    @Slot(list)
    def _visit_finished(self, _course_ids: list) -> None:
        self._visit += 1
        self._printed.clear()
        self._late.clear()
        self._busy = None
        self._set_text(PRINT_TEXT)
        self.button.setEnabled(True)
        for old in [v for v in self._referrals if v < self._visit - 5]:
            del self._referrals[old]

    @Slot(dict)
    def _referrals_recorded(self, referrals: dict) -> None:
        self._referrals[self._visit] = dict(referrals)
        for visit, course_id in sorted(self._unmarked):
            if visit == self._visit and course_id in referrals:
                self._unmarked.discard((visit, course_id))
                self._mark(referrals[course_id])

    def _too_slow(self, job_id: str) -> None:
        """The slip is not out in time: the passer-by gets the kind line; the job goes on."""
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.late = True
        log.info("printing: slip %s not out after %g s; followed on", job_id, self.wait_seconds)
        if job.visit == self._visit and self._busy == job.course_id:
            self._busy = None
            self._late.add(job.course_id)
            self._course_shown(self.window.end_screen.shown)
            self._show_kind_line()

    @Slot(str, str, str)
    def _job_ended(self, job_id: str, outcome: str, message: str) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return  # not ours (a test slip)
        job.timer.stop()
        job.timer.deleteLater()
        printed = outcome in PRINTED
        if printed:
            referral = self._referrals.get(job.visit, {}).get(job.course_id)
            if referral:
                self._mark(referral)
            else:
                self._unmarked.add((job.visit, job.course_id))
        if job.late:  # the passer-by was told to ask staff: only staff hear the end
            if printed:
                seconds = round(time.monotonic() - job.started)
                message = (f"Een bon kwam pas na {seconds} seconden uit de printer. De "
                           f"bezoeker zag al: '{KIND_LINE}' Geef de bon aan wie erom vraagt.")
            self._tell_staff(message)
            return
        current = job.visit == self._visit
        if printed:
            if current:
                self._busy = None
                self._printed.add(job.course_id)
                self._course_shown(self.window.end_screen.shown)
                self.window.say_phrase("bonnetje")
            return
        self._tell_staff(message)
        if current:
            self._busy = None
            self._set_text(PRINT_TEXT)
            self._show_kind_line()

    def _show_kind_line(self) -> None:
        self.window.end_screen.show_print_line(KIND_LINE)
        self.kind_line.emit(KIND_LINE)

    def _mark(self, referral: str) -> None:
        self.window.bridge.watch(
            self.window.recorder.mark_printed(referral),
            lambda _none: self.marked_printed.emit(referral),
            lambda exc: self._tell_staff(f"De bon is geprint, maar niet geteld: {exc}"),
        )

    def _tell_staff(self, message: str) -> None:
        """The log, "Meldingen" (the notice is the Dutch message itself) and the staff screen."""
        log.warning("printing: %s", message, extra={"notice": message})
        self.staff_message.emit(message)


def attach_printing(window: KioskWindow, slip_printer: SlipPrinter, content: Content,
                    place_kind: str = "anders",
                    wait_seconds: float = PASSER_BY_SECONDS) -> PrintControl:
    """Add the "Printen" button to ``window``'s end screen and wire it up.

    The end screen's QR code and the slip then both hold the course address
    with this session's tags (``place_kind``; only when the content enables
    tags). Set ``control.place_kind`` when a new session starts elsewhere.
    ``wait_seconds``: how long the passer-by waits for a slip before the kind
    line (:data:`PASSER_BY_SECONDS`; tests make it shorter).

    Returns:
        The :class:`PrintControl` (its ``staff_message`` signal is for the staff screen).
    """
    return PrintControl(window, slip_printer, content, place_kind, wait_seconds)
