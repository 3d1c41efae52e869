"""The print helper process, ``kiosk print-job``: one slip, printed and followed.

:class:`kiosk.gui.printing.SlipPrinter` starts this in its own process for
every slip for a printer (handing a job to a spooler can block, and a printer
driver that crashes takes only the helper down). The job comes as JSON on
standard input; the answer is the exit code and one line:

- exit 0, ``completed`` on standard output: CUPS reports the job completed
  (job-state 9);
- exit 0, ``accepted``: only where no CUPS follows the job (Windows, macOS,
  or Linux without pycups): Qt handed the job to the system's spooler, which
  reports nothing more;
- exit 1, one line for staff on standard error: not printed;
- exit 2, one line for staff on standard error: it is not known whether the
  slip was printed (CUPS forgot the job, or stopped answering).

Once CUPS has taken the job, standard error gets a line ``submitted <job id>``
first: a helper that has to be stopped, or dies, after that may still have a
slip coming out of the printer, so its end is "unknown", not "failed".
"""

from __future__ import annotations

import json
import math
import os
import sys
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk import paths
from kiosk.core.model import Course, Library
from kiosk.gui import spooler
from kiosk.gui.slip import SlipError, paint_on_printer, write_slip_pdf

if TYPE_CHECKING:
    from kiosk.gui.printing import SlipJob

ACCEPTED = "accepted"  # the system's spooler took the job and reports nothing more
SUBMITTED = "submitted"  # the helper's line once CUPS has taken the job
EXIT_FAILED, EXIT_UNKNOWN = 1, 2


class PrintError(Exception):
    """No printer to print on; the message is for staff."""


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
    Qt hands it to the system's spooler, which reports nothing more. The exit
    code and output are described in this module's docstring.
    """
    from PySide6.QtWidgets import QApplication

    from kiosk.gui.theme import load_fonts

    try:
        data = json.loads(sys.stdin.read())
        course, library = Course(**data["course"]), Library(**data["library"])
        link, size, printer_name = data["link"], data["size"], data["printer"]
    except (ValueError, KeyError, TypeError) as error:
        print(f"Printen lukt niet: de opdracht klopt niet ({error}).", file=sys.stderr)
        return EXIT_FAILED
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([sys.argv[0]])  # noqa: F841 - fonts need it
    load_fonts(paths.ui_dir())
    if spooler.available():
        try:
            outcome = _print_through_cups(course, library, link, size, printer_name)
        except spooler.JobUnknown as error:
            print(error, file=sys.stderr)
            return EXIT_UNKNOWN
        except (spooler.SpoolerError, PrintError) as error:
            print(error, file=sys.stderr)
            return EXIT_FAILED
        except SlipError as error:
            print(f"Printen lukt niet: de bon kon niet worden gemaakt ({error}).",
                  file=sys.stderr)
            return EXIT_FAILED
        print(outcome, flush=True)
        return 0
    try:
        printer = open_printer(printer_name)
        paint_on_printer(printer, course, library, link, size)
    except PrintError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    except SlipError as error:
        print(f"Printen lukt niet: {error} (printer '{printer_name or 'standaard'}'). Kijk of "
              "de printer aan staat en papier heeft, en probeer het opnieuw.", file=sys.stderr)
        return EXIT_FAILED
    print(ACCEPTED, flush=True)  # Qt only hands the job over
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
        _name, outcome = spooler.print_pdf(
            pdf, printer_name, title, {"media": media[size.lower()]},
            submitted=lambda job: print(f"{SUBMITTED} {job}", file=sys.stderr, flush=True))
    return outcome


def open_printer(name: str) -> QPrinter:
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
