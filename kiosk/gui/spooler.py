"""Printing a finished PDF through CUPS and following the job to its end (Linux).

Qt's printing only hands a job over: it reports success when the queue
rejects jobs, the printer is stopped, or the job is aborted later. Here the
slip is submitted with ``pycups`` and the job is followed until CUPS says it
is completed; only then is it "printed". A printer whose jobs vanish from the
job list without a final state (no job history kept) reports no completion:
such a job is :data:`ACCEPTED`, and said as such.

Runs in the print helper process (``kiosk print-job``), never on the GUI
thread: following a job takes seconds. No Qt here. The messages are for staff,
in Dutch; they start with "Printen lukt" (the GUI passes those on as they are).

``CUPS_SERVER`` (a host or a socket path) chooses the CUPS server, as for every
CUPS client; tests point it at their own ``cupsd``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

COMPLETED = "completed"  # CUPS reports the job completed
ACCEPTED = "accepted"  # the printer took the job but reports no completion

#: IPP job states (RFC 8011 5.3.7).
PENDING, HELD, PROCESSING, STOPPED, CANCELED, ABORTED, DONE = 3, 4, 5, 6, 7, 8, 9
#: IPP printer state "stopped" (``cupsdisable``, or a backend that failed).
PRINTER_STOPPED = 5
FOLLOW_SECONDS = 45.0  # below the GUI's own limit for the helper (printing.JOB_SECONDS)
POLL_SECONDS = 0.2

_JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]
_PRINTER_ATTRIBUTES = ["printer-state", "printer-is-accepting-jobs", "printer-state-message",
                       "printer-state-reasons"]


class SpoolerError(Exception):
    """The slip was not printed; the message (Dutch) tells staff what to do."""


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
    """SpoolerError when the queue rejects jobs or the printer is stopped."""
    attributes = connection.getPrinterAttributes(name, requested_attributes=_PRINTER_ATTRIBUTES)
    if not attributes.get("printer-is-accepting-jobs", True):
        raise SpoolerError(f"Printen lukt niet: printer '{name}' neemt geen opdrachten aan "
                           "(de wachtrij is dicht). Zet de wachtrij weer open in de "
                           "printerinstellingen (of: cupsaccept), en probeer het opnieuw.")
    if attributes.get("printer-state") == PRINTER_STOPPED:
        raise SpoolerError(_stopped(name, attributes.get("printer-state-message", "")))


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
    """Wait for ``job`` to end: :data:`COMPLETED`, or :data:`ACCEPTED` when the job
    vanished without a final state. A job that is cancelled, aborted, stuck on a
    stopped printer or still not done after ``timeout`` seconds raises
    SpoolerError (and is cancelled, so that it does not come out later)."""
    ipp_error = _ipp_error()
    deadline = clock() + timeout
    while True:
        try:
            attributes = connection.getJobAttributes(job, requested_attributes=_JOB_ATTRIBUTES)
        except ipp_error:
            return ACCEPTED  # no such job any more: CUPS keeps no history here
        state = attributes.get("job-state")
        detail = attributes.get("job-printer-state-message", "") or ""
        if state == DONE:
            return COMPLETED
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
            except ipp_error:
                printer = {}
            if printer.get("printer-state") == PRINTER_STOPPED:
                _cancel(connection, job)
                raise SpoolerError(_stopped(name, printer.get("printer-state-message", "")))
        if clock() >= deadline:
            _cancel(connection, job)
            raise SpoolerError(f"Printen lukt niet: printer '{name}' maakte de bon niet af "
                               f"binnen {timeout:g} seconden. Kijk naar de printer (papier, "
                               "klep, kabel), en probeer het opnieuw.")
        sleep(POLL_SECONDS)


def _cancel(connection, job: int) -> None:
    try:
        connection.cancelJob(job, purge_job=False)
    except Exception:  # noqa: BLE001 - already ended, or gone: nothing left to stop
        pass


def print_pdf(pdf: Path, printer_name: str, title: str, options: dict[str, str] | None = None,
              timeout: float = FOLLOW_SECONDS) -> tuple[str, str]:
    """Print ``pdf`` on ``printer_name`` ("" = the default) and follow the job.

    Returns:
        (the queue's name, :data:`COMPLETED` or :data:`ACCEPTED`).

    Raises:
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
        return name, follow(connection, name, job, timeout)
    except ipp_error as error:
        raise SpoolerError(f"Printen lukt niet: de printservice (CUPS) gaf een fout "
                           f"({_ipp_message(error)}). Probeer het opnieuw.") from None
