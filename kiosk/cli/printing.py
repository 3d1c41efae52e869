"""Slips and printers: ``kiosk slip``, ``printers``, ``print-test``, ``print-job``.

    kiosk slip [COURSE_ID ...] -o OUT [--size 80mm|a6|a4] [--content DIR] [--place KIND]
    kiosk printers
    kiosk print-test [--printer NAME] [--size 80mm|a6|a4] [--content DIR]
    kiosk print-job                  (the kiosk's own print helper: JSON on stdin)

:func:`add_parsers` adds them to the ``kiosk`` parser and :func:`run` runs one.
Importing this module loads no Qt (argparse only); the commands start Qt
themselves, offscreen when there is no display. The work is done by plain
functions (:func:`make_slips`, :func:`printer_lines`, :func:`print_test`) that
raise :class:`kiosk.app.UsageError` with one clear line on bad input.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import quiet_option

COMMANDS = ("slip", "printers", "print-test", "print-job")
#: The slip sizes of :data:`kiosk.gui.slip.SIZES` (kept here so that building the
#: parser loads no Qt; a test checks that the two agree).
SIZES = ("80mm", "a6", "a4")
SIZE_CHOICES = "80mm, a6 or a4"
PRINT_TEST_TIMEOUT = 75.0  # seconds: longer than the helper's own limit (JOB_SECONDS)


def _size_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=str.lower, choices=SIZES, default="80mm", metavar="SIZE",
                        help=f"slip size: {SIZE_CHOICES} (default: 80mm)")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the slip and printer commands to the ``kiosk`` subcommand parser."""
    slip = sub.add_parser("slip", help="write printable slips (PDF) for courses")
    slip.add_argument("course_ids", nargs="*", metavar="COURSE_ID",
                      help="courses to make a slip for (default: every course)")
    slip.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                      help="PDF file for one course, or a folder (one PDF per course)")
    _size_option(slip)
    slip.add_argument("--content", type=Path, default=None, metavar="DIR",
                      help="a content folder whose files replace the default ones")
    slip.add_argument("--place", default="anders", metavar="KIND",
                      help="kind of place for the link tags, when the content enables them "
                           "(markt, supermarkt, ...; default: anders)")

    printers = sub.add_parser("printers",
                              help="list the printers of this computer (* = the default)")

    test = sub.add_parser("print-test", help="print a test slip (no dialog)")
    test.add_argument("--printer", default="", metavar="NAME",
                      help="printer to use (default: the system default; see 'kiosk printers')")
    _size_option(test)
    test.add_argument("--content", type=Path, default=None, metavar="DIR",
                      help="a content folder whose files replace the default ones")

    job = sub.add_parser("print-job", help="print one slip described as JSON on standard input "
                                           "(the kiosk's own print helper)")
    quiet_option(job, help="accepted, with no effect: the one line on standard output is "
                           "the answer the kiosk waits for")
    for parser in (slip, printers, test, job):
        if parser is not job:
            quiet_option(parser)
        parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command in ``args``; print the result. UsageError etc. go to the caller."""
    if args.command == "slip":
        for path in make_slips(args.course_ids, args.output, args.size, args.content,
                               args.place):
            print(f"wrote {path}")
        return 0
    if args.command == "printers":
        print("\n".join(printer_lines()))
        return 0
    if args.command == "print-test":
        print(print_test(args.printer, args.size, args.content))
        return 0
    if args.command == "print-job":
        from kiosk.gui.printing import print_job_from_stdin

        return print_job_from_stdin()
    raise ValueError(f"not a printing command: {args.command}")


def _start_qt() -> None:
    """A QApplication with the kiosk's fonts; offscreen on Linux without a display.

    (Only there: on macOS the printers come from the Cocoa platform plugin.)
    """
    from kiosk.app import create_qt_app, display_problem

    if display_problem():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    create_qt_app()


def _content(content_dir: Path | None):
    from kiosk.app import Options, content_dirs
    from kiosk.core.content import load_content

    return load_content(*content_dirs(Options(data_dir=paths.data_dir(),
                                              content_dir=content_dir)))


def _check_size(size: str) -> str:
    from kiosk.app import UsageError
    from kiosk.gui.slip import SIZES

    if size.lower() not in SIZES:
        raise UsageError(f"unknown slip size '{size}'; choose {SIZE_CHOICES}")
    return size.lower()


def make_slips(course_ids: list[str], out: Path, size: str = "80mm",
               content_dir: Path | None = None, place_kind: str = "anders") -> list[Path]:
    """Write slip PDFs; returns the files written.

    One course id: ``out`` is the PDF file (or an existing folder that receives
    ``<id>.pdf``). No id (every course) or several: ``out`` is a folder
    (made if missing) that receives ``<id>.pdf`` per course.
    """
    from kiosk.app import UsageError
    from kiosk.core.model import PLACE_KINDS
    from kiosk.core.qr import course_link

    size = _check_size(size)
    if place_kind not in PLACE_KINDS:
        raise UsageError(f"unknown kind of place '{place_kind}'; choose one of: "
                         f"{', '.join(PLACE_KINDS)}")
    content = _content(content_dir)
    unknown = [c for c in course_ids if c not in content.courses]
    if unknown:
        raise UsageError(f"unknown course{'s' * (len(unknown) > 1)} {', '.join(unknown)}; "
                         f"choose from: {', '.join(content.courses)}")
    ids = list(dict.fromkeys(course_ids)) or list(content.courses)
    out = Path(out)
    if len(ids) == 1 and len(course_ids) == 1 and not out.is_dir():
        targets = {ids[0]: out}
    else:
        if out.suffix.lower() == ".pdf" or out.is_file():
            raise UsageError(f"{out} must be a folder: one PDF per course is written there "
                             "(give one course id to write a single PDF file)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create the folder {out}: {error.strerror}") from None
        targets = {course_id: out / f"{course_id}.pdf" for course_id in ids}

    _start_qt()
    from kiosk.gui.slip import SlipError, write_slip_pdf

    written = []
    for course_id, path in targets.items():
        course = content.courses[course_id]
        link = course_link(course.url, place_kind, content.qr_tags)
        try:
            written.append(write_slip_pdf(path, course, content.library, link, size))
        except SlipError as error:
            raise UsageError(str(error)) from None
    return written


def printer_lines() -> list[str]:
    """``kiosk printers``: one printer a line, the default marked with ``*``."""
    _start_qt()
    from kiosk.gui.printing import printers

    found = printers()
    if not found:
        return ["no printers found: connect the printer, switch it on and add it in the "
                "system's printer settings; then run 'kiosk printers' again"]
    return [f"{'*' if default else ' '} {name}" for name, default in found]


def print_test(printer_name: str = "", size: str = "80mm",
               content_dir: Path | None = None) -> str:
    """Print a test slip on ``printer_name`` (the default for "") and wait for the result.

    Returns a line to show; raises UsageError with the staff message on failure.
    """
    from kiosk.app import UsageError

    size = _check_size(size)
    content = _content(content_dir)
    _start_qt()
    from PySide6.QtCore import QEventLoop, QTimer

    from kiosk.gui.printing import SlipPrinter, print_test_slip

    printer = SlipPrinter(printer_name, size)
    result: list[tuple[str, str]] = []  # (outcome, "") or ("", the staff message)
    loop = QEventLoop()
    printer.job_done.connect(lambda _job, outcome: (result.append((outcome, "")), loop.quit()))
    printer.failed.connect(lambda message: (result.append(("", message)), loop.quit()))
    print_test_slip(printer, content, printer_name)
    QTimer.singleShot(round(PRINT_TEST_TIMEOUT * 1000), loop.quit)
    loop.exec()
    if not result:
        raise UsageError(f"the printer did not finish the test slip within "
                         f"{PRINT_TEST_TIMEOUT:g} s; check the printer and its queue")
    outcome, message = result[0]
    if message:
        raise UsageError(message)
    where = printer_name or "the default printer"
    if outcome == "completed":
        return f"test slip printed on {where} ({size}): the printer reports it done"
    return (f"test slip accepted by {where} ({size}); this printer does not report when a "
            "job is done: check that the slip came out")

