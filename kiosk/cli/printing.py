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
SIZE_CHOICES = "80mm, a6 of a4"
PRINT_TEST_TIMEOUT = 75.0  # seconds: longer than the helper's own limit (JOB_SECONDS)


def _size_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=str.lower, choices=SIZES, default="80mm", metavar="MAAT",
                        help=f"maat van de bon: {SIZE_CHOICES} (standaard: 80mm)")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the slip and printer commands to the ``kiosk`` subcommand parser."""
    slip = sub.add_parser("slip", help="maak bonnen van cursussen als PDF, om te printen")
    slip.add_argument("course_ids", nargs="*", metavar="CURSUS_ID",
                      help="de cursussen die een bon krijgen (standaard: alle cursussen)")
    slip.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND|MAP",
                      help="PDF-bestand voor één cursus, of een map (één PDF per cursus)")
    _size_option(slip)
    slip.add_argument("--content", type=Path, default=None, metavar="MAP",
                      help="een inhoudsmap: de bestanden daarin vervangen die van de "
                           "standaardinhoud")
    slip.add_argument("--place", default="anders", metavar="SOORT",
                      help="soort plek voor de labels in de links, als de inhoud die aanzet "
                           "(markt, supermarkt, ...; standaard: anders)")

    printers = sub.add_parser("printers",
                              help="toon de printers van deze computer (* = de standaardprinter)")

    test = sub.add_parser("print-test", help="een testbon printen (zonder printvenster)")
    test.add_argument("--printer", default="", metavar="NAAM",
                      help="de printer voor de testbon (standaard: de standaardprinter; zie "
                           "'kiosk printers')")
    _size_option(test)
    test.add_argument("--content", type=Path, default=None, metavar="MAP",
                      help="een inhoudsmap: de bestanden daarin vervangen die van de "
                           "standaardinhoud")

    job = sub.add_parser("print-job", help="één bon printen, beschreven als JSON op de "
                                           "standaardinvoer (de eigen printhulp van de kiosk)")
    quiet_option(job, help="mag, maar doet niets: de ene regel op de standaarduitvoer is het "
                           "antwoord waar de kiosk op wacht")
    for parser in (slip, printers, test, job):
        if parser is not job:
            quiet_option(parser)
        parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command in ``args``; print the result. UsageError etc. go to the caller."""
    if args.command == "slip":
        from kiosk.cli.outputs import REFUSED, refused

        if refused([args.output]):  # a PDF, or a folder of PDFs: never the kiosk's own
            return REFUSED
        for path in make_slips(args.course_ids, args.output, args.size, args.content,
                               args.place):
            print(f"geschreven: {path}")
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
        raise UsageError(f"onbekende maat '{size}' voor de bon; kies {SIZE_CHOICES}")
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
        raise UsageError(f"onbekende soort plek '{place_kind}'; kies uit: "
                         f"{', '.join(PLACE_KINDS)}")
    content = _content(content_dir)
    unknown = [c for c in course_ids if c not in content.courses]
    if unknown:
        raise UsageError(f"onbekende {'cursussen' if len(unknown) > 1 else 'cursus'} "
                         f"{', '.join(unknown)}; kies uit: {', '.join(content.courses)}")
    ids = list(dict.fromkeys(course_ids)) or list(content.courses)
    out = Path(out)
    if len(ids) == 1 and len(course_ids) == 1 and not out.is_dir():
        targets = {ids[0]: out}
    else:
        if out.suffix.lower() == ".pdf" or out.is_file():
            raise UsageError(f"{out} moet een map zijn: daar komt één PDF per cursus in "
                             "(geef één cursus-id voor één PDF-bestand)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"kan de map {out} niet maken: {error.strerror}") from None
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
        return ["geen printers gevonden: sluit de printer aan, zet hem aan en voeg hem toe "
                "in de printerinstellingen van de computer; typ daarna opnieuw 'kiosk printers'"]
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
        raise UsageError(f"de printer was na {PRINT_TEST_TIMEOUT:g} seconden nog niet klaar "
                         "met de testbon; kijk bij de printer en zijn wachtrij")
    outcome, message = result[0]
    if message:
        raise UsageError(message)
    where = printer_name or "de standaardprinter"
    if outcome == "completed":
        return f"testbon geprint op {where} ({size}): de printer meldt dat hij klaar is"
    return (f"testbon aangenomen door {where} ({size}); deze printer meldt niet wanneer hij "
            "klaar is: kijk of de bon eruit is gekomen")

