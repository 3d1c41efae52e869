"""Command line: one home for every ``kiosk`` command, a thin argparse layer.

    kiosk [run]      open the kiosk (full screen)
    kiosk check      check a content folder (or a content workbook)
    kiosk content    the content as a workbook: export, import, restore
    kiosk export     tallies to CSV, XLSX or JSON
    kiosk report     the report for the municipality (PDF, or ODT to edit)
    kiosk merge      import other kiosks' databases
    kiosk backup     a consistent copy of the database
    kiosk simulate   drive the real window through random visits (demo, soak, latency)
    kiosk slip       print slips to PDF; kiosk printers, kiosk print-test
    kiosk self-test  check Qt, store, content, QR and speech (played to its end) here
    kiosk autostart  on|off: open the kiosk by itself at login
    kiosk speech     voices, say a text to WAV, fill the speech cache
    kiosk voice      the library's own voice: list, import, export, play recordings

One module per command group (:mod:`.content`, :mod:`.data`, :mod:`.kiosk`,
:mod:`.printing`, :mod:`.speech`, :mod:`.voice`, :mod:`.autostart`; shared option helpers in
:mod:`.common`). Each adds its parsers with ``set_defaults(handler=...)``; a
handler only parses and calls: the work stays in ``kiosk.core``, ``kiosk.gui``,
``kiosk.speech``, ``kiosk.autostart`` and ``kiosk.app``. Building the parser loads
no Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys

from kiosk import __version__, paths
from kiosk.cli.common import NoDatabase, Parser

COMMANDS = (
    "run", "check", "export", "report", "merge", "backup", "simulate", "screenshots",
    "self-test", "speech", "slip", "printers", "print-test", "print-job", "autostart",
    "content", "voice",
)

#: Commands whose ``--quiet`` is not "print only errors": ``run`` and ``simulate``
#: send problems to the log only (kiosk.app), and ``print-job`` answers on stdout.
OWN_QUIET = ("run", "simulate", "print-job")


def build_parser(only_run: bool = False) -> argparse.ArgumentParser:
    """The ``kiosk`` parser; ``only_run``: with the ``run`` command alone, for the kiosk's
    own start (the other commands' modules, and what they import, are not loaded before
    the first screen paints)."""
    from kiosk.cli import kiosk

    parser = Parser(
        prog="kiosk", description="Stellingenkiosk: stellingen over basisvaardigheden, op een "
                                  "stand in of buiten de bibliotheek."
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}",
                        help="toon het versienummer en stop")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    kiosk.add_run_parser(sub)
    if only_run:
        return parser
    from kiosk.cli import autostart, content, data, printing, speech, voice

    content.add_parsers(sub)
    data.add_parsers(sub)
    kiosk.add_parsers(sub)
    autostart.add_parsers(sub)
    speech.add_parser(sub)
    voice.add_parser(sub)
    printing.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "run")
    args = build_parser(only_run=argv[0] == "run").parse_args(argv)
    data_log = _data_folder_log(args)
    code = 0
    try:
        with _quiet(args):
            code = _main(args)
    except BaseException:
        if data_log is not None:
            logging.getLogger("kiosk.cli").exception("kiosk %s ended with an error",
                                                     args.command)
        raise
    finally:
        if data_log is not None:
            if code:
                logging.getLogger("kiosk.cli").warning("kiosk %s ended with exit code %s",
                                                       args.command, code)
            data_log.close()
    return code


@contextlib.contextmanager
def _quiet(args: argparse.Namespace):
    """``-q``: no summary on stdout (errors still reach stderr, warnings are left out)."""
    if not getattr(args, "quiet", False) or args.command in OWN_QUIET:
        yield
        return
    with open(os.devnull, "w", encoding="utf-8") as devnull, \
            contextlib.redirect_stdout(devnull):
        yield


#: Commands that work on an existing data folder write to its log too
#: (``run`` and ``simulate`` set up their own, after taking the folder's lock).
LOGGED_COMMANDS = ("export", "report", "merge", "backup")


def _data_folder_log(args: argparse.Namespace):
    """The data folder's log for :data:`LOGGED_COMMANDS`, when the folder has a database."""
    if args.command not in LOGGED_COMMANDS:
        return None
    folder = paths.data_dir(args.data_dir)
    if not (folder / paths.DB_NAME).is_file():
        return None
    from kiosk.logs import setup

    return setup(folder, echo=False, keep_going=False, complain=False)


def _main(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except Exception as exc:  # noqa: BLE001 - known problems get a line, the rest is raised
        code = _known_problem(exc)
        if code is None:
            raise
        return code


def _known_problem(exc: Exception) -> int | None:
    """Print a known problem in one line and return the exit code; None: not known.

    The imports happen only here, on the way out: a start without a problem does
    not pay for loading the store, the content checker and the simulator.
    """
    import sqlite3

    from kiosk.app import UsageError
    from kiosk.core.content import ContentError
    from kiosk.core.export import ExportError
    from kiosk.core.failures import save_failure
    from kiosk.core.lock import FolderInUse
    from kiosk.core.store import StoreError
    from kiosk.simulate import SaveFailed

    if isinstance(exc, NoDatabase | FolderInUse):
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, ContentError):
        print(exc, file=sys.stderr)
        return 1
    if isinstance(exc, StoreError | UsageError | ExportError):
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    if isinstance(exc, sqlite3.Error):  # saving failed (full disk, read-only, locked)
        print(f"kiosk: {save_failure(exc).text} ({exc})", file=sys.stderr)
        return 1
    if isinstance(exc, OSError):
        print(f"kiosk: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    if isinstance(exc, SaveFailed):
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    return None
