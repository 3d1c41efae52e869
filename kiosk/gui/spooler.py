"""Printing a finished PDF through CUPS and following the job to its end (Linux).

Qt's printing only hands a job over: it reports success when the queue
rejects jobs, the printer is stopped, or the job is aborted later. Here the
slip is submitted with ``pycups`` and the job is followed until CUPS says it
is completed (IPP job-state 9); only then is it "printed" (:data:`COMPLETED`).

Anything else is not "printed":

- a job that is cancelled, aborted, stuck on a stopped printer, or not done
  within the limit raises :class:`SpoolerError` (failed);
- a job CUPS no longer knows (no job history is kept, ``PreserveJobHistory No``,
  or cupsd lost it when it was killed) or a CUPS that stops answering until the
  limit is :data:`UNKNOWN`: maybe printed, maybe not, and said as such
  (:class:`JobUnknown`). CUPS that is restarted while a job runs (an update, a
  suspend/resume) is asked again until the limit: a job it brings back and
  finishes is completed.

A queue that cannot print a PDF (a raw queue: no driver, the PDF's bytes go to
the printer as they are, and most printers print a blank page or garbage) is
refused before anything is submitted (:func:`check_pdf`).

Runs in the print helper process (``kiosk print-job``), never on the GUI
thread: following a job takes seconds. No Qt here. The messages are for staff,
in Dutch; they start with "Printen" (the GUI passes those on as they are).

``CUPS_SERVER`` (a host or a socket path) chooses the CUPS server, as for every
CUPS client; tests point it at their own ``cupsd``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

COMPLETED = "completed"  # CUPS reports the job completed (job-state 9): printed
UNKNOWN = "unknown"  # CUPS no longer knows the job, or stopped answering: not known

#: IPP job states (RFC 8011 5.3.7).
PENDING, HELD, PROCESSING, STOPPED, CANCELED, ABORTED, DONE = 3, 4, 5, 6, 7, 8, 9
#: IPP printer state "stopped" (``cupsdisable``, or a backend that failed).
PRINTER_STOPPED = 5
#: IPP status codes for a job that is not there (any more).
NOT_FOUND, GONE = 0x0406, 0x0407
FOLLOW_SECONDS = 45.0  # below the GUI's own limit for the helper (printing.JOB_SECONDS)
POLL_SECONDS = 0.2
#: What cupsd calls a queue without a driver (``lpadmin -m raw``, or no PPD at all).
RAW_MODEL = "Local Raw Printer"
PDF = "application/pdf"

_JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]
_PRINTER_ATTRIBUTES = ["printer-state", "printer-is-accepting-jobs", "printer-state-message",
                       "printer-state-reasons", "document-format-supported",
                       "printer-make-and-model"]


class SpoolerError(Exception):
    """The slip was not printed; the message (Dutch) tells staff what to do."""


class JobUnknown(SpoolerError):
    """Nobody knows whether the slip was printed (:data:`UNKNOWN`); never "printed"."""


def available() -> bool:
    """True on Linux when pycups can be imported (then CUPS decides what was printed)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import cups  # noqa: F401
    except ImportError:
        return False
    return True


def connect():
    """A connection to the CUPS server (``CUPS_SERVER`` or the local one)."""
    import os

    import cups

    # libcups remembers the server of its first call in a process: say it each time
    cups.setServer(os.environ.get("CUPS_SERVER", ""))
    try:
        return cups.Connection()
    except RuntimeError as error:
        raise SpoolerError(
            "Printen lukt niet: de printservice van deze computer (CUPS) antwoordt niet "
            f"({error}). Start de computer opnieuw; helpt dat niet, vraag de beheerder."
        ) from None


def printer_list(connection=None) -> list[tuple[str, bool]]:
    """The CUPS queues: (name, is the default), default first; [] when CUPS does not answer."""
    try:
        connection = connection or connect()
        names = list(connection.getPrinters())
        default = connection.getDefault() or ""
    except (SpoolerError, RuntimeError, _ipp_error()):
        return []
    return sorted(((name, name == default) for name in names), key=lambda p: (not p[1], p[0]))


def _ipp_error() -> type[Exception]:
    import cups

    return cups.IPPError


def _ipp_message(error: Exception) -> str:
    args = getattr(error, "args", ())
    if len(args) >= 2:
        return str(args[1])
    return str(error)


def resolve(connection, name: str) -> str:
    """The queue to print on: ``name``, or the default for ""; SpoolerError if there is none.

    ``connection`` None: CUPS does not answer, so there is no printer at all.
    """
    printers = connection.getPrinters() if connection is not None else {}
    down = "" if connection is not None else " (de printservice CUPS antwoordt niet)"
    if name:
        if name not in printers:
            known = ", ".join(sorted(printers)) or "geen"
            raise SpoolerError(f"Printen lukt niet: printer '{name}' is niet gevonden{down}. "
                               f"Staat hij aan en is hij aangesloten? Bekende printers: {known}.")
        return name
    default = connection.getDefault() if connection is not None else None
    if not default or default not in printers:
        raise SpoolerError(f"Printen lukt niet: deze computer heeft geen standaardprinter{down}. "
                           "Sluit de printer aan en zet hem aan, of kies een printer "
                           "(kiosk printers).")
    return default


def check_ready(connection, name: str) -> None:
    """SpoolerError when the queue rejects jobs, the printer is stopped, or it cannot print PDF."""
    attributes = connection.getPrinterAttributes(name, requested_attributes=_PRINTER_ATTRIBUTES)
    if not attributes.get("printer-is-accepting-jobs", True):
        raise SpoolerError(f"Printen lukt niet: printer '{name}' neemt geen opdrachten aan "
                           "(de wachtrij is dicht). Zet de wachtrij weer open in de "
                           "printerinstellingen (of: cupsaccept), en probeer het opnieuw.")
    if attributes.get("printer-state") == PRINTER_STOPPED:
        raise SpoolerError(_stopped(name, attributes.get("printer-state-message", "")))
    check_pdf(name, attributes)


def check_pdf(name: str, attributes: dict) -> None:
    """SpoolerError when queue ``name`` (its IPP ``attributes``) cannot print a PDF.

    A raw queue (``lpadmin -m raw``, or a queue added without a driver) sends
    the PDF's bytes to the printer as they are: a receipt printer prints
    garbage or a blank page, and CUPS still reports the job completed. cupsd
    lists every format it knows as "supported" for such a queue (it filters
    nothing), application/pdf included, so the list alone does not show it:
    cupsd names a queue without a driver "Local Raw Printer". A queue with a
    driver must list application/pdf (CUPS then has filters from PDF to what
    the printer speaks); only application/octet-stream means "as it is".
    """
    model = attributes.get("printer-make-and-model", "") or ""
    formats = attributes.get("document-format-supported", [])
    if isinstance(formats, str):  # pycups gives a single value as itself
        formats = [formats]
    if model.strip() == RAW_MODEL or PDF not in formats:
        why = "zonder stuurprogramma (raw)" if model.strip() == RAW_MODEL else \
            "die geen PDF kan printen"
        raise SpoolerError(
            f"Printen lukt niet: printer '{name}' is een wachtrij {why}. Zo komt er een "
            "lege of vreemde bon uit. Kies een andere printer, of laat de beheerder de "
            "printer opnieuw toevoegen met het goede stuurprogramma.")


def _stopped(name: str, detail: str = "") -> str:
    why = f" ({detail})" if detail else ""
    return (f"Printen lukt niet: printer '{name}' staat stil{why}. Kijk naar de printer "
            "(papier, klep, kabel) en zet hem weer aan in de printerinstellingen "
            "(of: cupsenable).")


def submit(connection, name: str, pdf: Path, title: str, options: dict[str, str]) -> int:
    """Hand ``pdf`` to queue ``name``; the job's id. SpoolerError when CUPS refuses it."""
    try:
        return connection.printFile(name, str(pdf), title, options)
    except _ipp_error() as error:
        raise SpoolerError(f"Printen lukt niet: printer '{name}' weigert de bon "
                           f"({_ipp_message(error)}). Kijk in de printerinstellingen of de "
                           "printer opdrachten aanneemt, en probeer het opnieuw.") from None


def follow(connection, name: str, job: int, timeout: float = FOLLOW_SECONDS,
           clock: Callable[[], float] = time.monotonic,
           sleep: Callable[[float], None] = time.sleep) -> str:
    """Wait for ``job`` to end; :data:`COMPLETED` only when CUPS says job-state 9.

    Raises:
        JobUnknown: CUPS no longer knows the job (no job history, or it lost
            the job in a restart), or did not answer until ``timeout``: it may
            have printed or not. An error of CUPS while it restarts is asked
            again (libcups reconnects) until ``timeout``.
        SpoolerError: the job is cancelled, aborted, stuck on a stopped
            printer or still not done after ``timeout`` seconds (then it is
            cancelled, so that it does not come out later).
    """
    errors = _connection_errors()
    deadline = clock() + timeout
    trouble = ""  # the last error of a CUPS that did not answer
    while True:
        try:
            attributes = connection.getJobAttributes(job, requested_attributes=_JOB_ATTRIBUTES)
        except errors as error:
            if _status(error) in (NOT_FOUND, GONE):
                raise JobUnknown(_gone(name)) from None
            trouble = _ipp_message(error)  # CUPS is (re)starting, or stopped: ask again
        else:
            trouble = ""
            _check_job(connection, name, job, attributes)
            if attributes.get("job-state") == DONE:
                return COMPLETED
        if clock() >= deadline:
            if trouble:
                raise JobUnknown(
                    f"Printen onzeker: de printservice (CUPS) antwoordt niet meer ({trouble}). "
                    f"Niemand weet of de bon uit printer '{name}' kwam: kijk bij de printer. "
                    "Start de computer opnieuw als printen blijft mislukken.")
            _cancel(connection, job)
            raise SpoolerError(f"Printen lukt niet: printer '{name}' maakte de bon niet af "
                               f"binnen {timeout:g} seconden. Kijk naar de printer (papier, "
                               "klep, kabel), en probeer het opnieuw.")
        sleep(POLL_SECONDS)


def _check_job(connection, name: str, job: int, attributes: dict) -> None:
    """SpoolerError when the job (its attributes) ended without printing or is stuck."""
    state = attributes.get("job-state")
    detail = attributes.get("job-printer-state-message", "") or ""
    if state == CANCELED:
        raise SpoolerError(f"Printen lukt niet: de bon is geannuleerd op printer '{name}'. "
                           "Probeer het opnieuw.")
    if state == ABORTED:
        why = f" ({detail})" if detail else ""
        raise SpoolerError(f"Printen lukt niet: printer '{name}' brak de bon af{why}. "
                           "Kijk naar de printer (papier, klep, kabel), en probeer het "
                           "opnieuw.")
    if state == STOPPED:
        _cancel(connection, job)
        raise SpoolerError(_stopped(name, detail))
    if state in (PENDING, HELD):
        try:
            printer = connection.getPrinterAttributes(
                name, requested_attributes=_PRINTER_ATTRIBUTES)
        except _connection_errors():
            printer = {}
        if printer.get("printer-state") == PRINTER_STOPPED:
            _cancel(connection, job)
            raise SpoolerError(_stopped(name, printer.get("printer-state-message", "")))


def _gone(name: str) -> str:
    return (f"Printen onzeker: de printservice (CUPS) kent de bon voor printer '{name}' niet "
            "meer, dus niemand weet of hij geprint is. Kijk bij de printer. Gebeurt dit "
            "vaak, vraag de beheerder dan om de printgeschiedenis van CUPS aan te zetten "
            "(PreserveJobHistory Yes).")


def _connection_errors() -> tuple[type[Exception], ...]:
    """What pycups raises when CUPS answers with an error or not at all."""
    import cups

    return (cups.IPPError, cups.HTTPError, RuntimeError)


def _status(error: Exception) -> int | None:
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _cancel(connection, job: int) -> None:
    try:
        connection.cancelJob(job, purge_job=False)
    except Exception:  # noqa: BLE001 - already ended, or gone: nothing left to stop
        pass


def print_pdf(pdf: Path, printer_name: str, title: str, options: dict[str, str] | None = None,
              timeout: float = FOLLOW_SECONDS,
              submitted: Callable[[int], None] | None = None) -> tuple[str, str]:
    """Print ``pdf`` on ``printer_name`` ("" = the default) and follow the job.

    Args:
        submitted: called with the job's id once CUPS has taken the job.

    Returns:
        (the queue's name, :data:`COMPLETED`): CUPS says the job is done.

    Raises:
        JobUnknown: it is not known whether the slip was printed.
        SpoolerError: not printed; the message is for staff.
    """
    try:
        connection = connect()
    except SpoolerError:
        resolve(None, printer_name)  # says which printer is missing, and why
        raise
    ipp_error = _ipp_error()
    try:
        name = resolve(connection, printer_name)
        check_ready(connection, name)
        job = submit(connection, name, pdf, title, dict(options or {}))
    except ipp_error as error:
        raise SpoolerError(f"Printen lukt niet: de printservice (CUPS) gaf een fout "
                           f"({_ipp_message(error)}). Probeer het opnieuw.") from None
    if submitted is not None:
        submitted(job)
    return name, follow(connection, name, job, timeout)
