"""Command line: a thin argparse layer over the app and the core.

    kiosk [run]      open the kiosk (full screen)
    kiosk check      check a content folder
    kiosk export     tallies to CSV, XLSX or JSON
    kiosk report     a PDF for the municipality
    kiosk merge      import other kiosks' databases
    kiosk backup     a consistent copy of the database
    kiosk simulate   drive the real window through random visits (demo, soak, latency)
    kiosk slip       print slips to PDF; kiosk printers, kiosk print-test
    kiosk self-test  check Qt, store, content, QR and speech (played to its end) here
    kiosk autostart  on|off: open the kiosk by itself at login
    kiosk speech     voices, say a text to WAV, fill the speech cache
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from kiosk import __version__, paths

COMMANDS = (
    "run", "check", "export", "report", "merge", "backup", "simulate", "screenshots",
    "self-test", "speech", "slip", "printers", "print-test", "print-job", "autostart",
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def _volume(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a volume; use a number from 0 to 100")
    return value


def _per_visit(text: str) -> int:
    """``--per-visit``: a whole number from 1, or "all" (returned as 0)."""
    if text.strip().lower() in ("all", "alle"):
        return 0
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of statements; use a whole number from 1, or 'all'")
    return value


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help=f"folder of the database (default: ${paths.DATA_DIR_ENV} or the user data folder)",
    )


def _counting_options(parser: argparse.ArgumentParser, output_help: str) -> None:
    """What export and report share: the output, the filters, the folders."""
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=output_help)
    parser.add_argument("--since", type=_date, default=None, metavar="DATE",
                        help="first session date to count (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, default=None, metavar="DATE",
                        help="last session date to count (YYYY-MM-DD)")
    parser.add_argument("--location", default=None, metavar="NAME",
                        help="count only this location")
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="content folder for the statement texts")
    parser.add_argument("--publiek", action="store_true",
                        help="for outside the library: counts from 1 to 4 as '<5', no free "
                             "text (default: internal, exact counts, says 'intern')")
    _data_dir_option(parser)


def _run_options(parser: argparse.ArgumentParser) -> None:
    _data_dir_option(parser)
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="a content folder whose files replace the default ones")
    parser.add_argument("--location", default=None,
                        help="start a session at this place right after the PIN, without "
                             "the start screen, e.g. 'Weekmarkt Centrum'")
    parser.add_argument("--set", dest="statement_set", default=None, metavar="ID",
                        help="statement set to show (default: the library's default set)")
    parser.add_argument("--per-visit", type=_per_visit, default=None, metavar="N|all",
                        help="statements per visit: a number from 1, or 'all' (default: "
                             "per_visit in library.toml, else 3)")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of full screen (development)")
    parser.add_argument("--large-text", action="store_true",
                        help="larger type on every screen")
    parser.add_argument("--peers", action="store_true",
                        help="after an answer, show 'Jij en N anderen dachten net hetzelfde'")
    parser.add_argument("--no-speech", dest="speech", action="store_false",
                        help="no sound at all")
    parser.add_argument("--no-read-aloud", dest="read_aloud", action="store_false",
                        help="do not read each statement when it appears (Luister still works)")
    parser.add_argument("--volume", type=_volume, default=100, metavar="0-100",
                        help="speech volume in percent (default 100)")
    parser.add_argument("--outbox", type=Path, default=None, metavar="DIR",
                        help="write a copy of the database to DIR (as <kiosk name>.db) at the "
                             "end of each session and every 15 minutes, for a sync tool "
                             "(default: outbox in library.toml)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="problems go only to the log (logs/kiosk.log in the data "
                             "folder), not to the terminal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Stellingenkiosk: statements about basic skills, at a stand."
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="open the kiosk full screen (the default command)")
    _run_options(run)

    check = sub.add_parser("check", help="check a content folder and summarise it")
    check.add_argument("dir", nargs="?", type=Path, default=None,
                       help="content folder (default: the bundled content)")

    export = sub.add_parser("export", help="write tallies per statement, location and date")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv",
                        help="csv (for Excel), xlsx (one sheet per view) or json (default: csv)")
    _counting_options(export, "file to write")

    report = sub.add_parser("report", help="a PDF for the municipality: charts and tables")
    _counting_options(report, "PDF file to write")
    report.add_argument("--met-vrije-tekst", dest="free_text", action="store_true",
                        help="add the free texts of 'Anders' signals, on a page to read "
                             "before sending the report on (internal reports only)")

    merge = sub.add_parser("merge", help="import other kiosks' databases (safe to repeat)")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE.db|FOLDER",
                       help="databases of other kiosks, or folders: every .db in them "
                            "(for example the folder a sync tool fills)")
    _data_dir_option(merge)

    backup = sub.add_parser("backup", help="write a consistent, checked copy of the database")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="new file for the copy")
    _data_dir_option(backup)

    simulate = sub.add_parser(
        "simulate", help="drive the real window offscreen through random visits"
    )
    _run_options(simulate)
    simulate.add_argument("--visits", type=int, default=20, metavar="N",
                          help="number of visits (default 20)")
    simulate.add_argument("--seed", type=int, default=None, metavar="S",
                          help="random seed, for a repeatable run")
    simulate.add_argument("--size", default="1920x1080", metavar="WxH",
                          help="window size in pixels (default 1920x1080)")

    shots = sub.add_parser("screenshots", help="render every screen to PNG at three sizes")
    shots.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                       help="folder for the PNG files")
    shots.add_argument("--large-text", action="store_true", help="render in large-text mode")

    sub.add_parser("self-test", help="check Qt, store, content, QR code and speech here")

    from kiosk.autostart import add_parser as add_autostart_parser

    add_autostart_parser(sub)

    from kiosk.speech.cli import add_parser as add_speech_parser

    add_speech_parser(sub)

    from kiosk.gui.slip_cli import add_commands as add_slip_commands

    add_slip_commands(sub)
    sub.add_parser("print-job", help="print one slip described as JSON on standard input "
                                     "(the kiosk's own print helper)")
    return parser


def _run_options_from(args: argparse.Namespace):
    from kiosk.app import Options

    return Options(
        data_dir=paths.data_dir(args.data_dir),
        content_dir=args.content,
        location=args.location,
        statement_set=args.statement_set,
        windowed=args.windowed,
        large_text=args.large_text,
        show_peers=args.peers,
        speech=args.speech,
        read_aloud=args.read_aloud,
        volume=args.volume / 100,
        per_visit=args.per_visit,
        quiet=args.quiet,
        outbox=args.outbox,
    )


def _check(args: argparse.Namespace) -> int:
    from kiosk.core.content import load_content, summary

    dirs = [paths.default_content_dir()]
    if args.dir is not None:
        if not args.dir.is_dir():
            print(f"kiosk: content folder not found: {args.dir}", file=sys.stderr)
            return 2
        dirs.append(args.dir)
    content = load_content(*dirs)
    print(summary(content))
    if content.warnings:  # worth fixing, but the kiosk runs: still exit 0
        n = len(content.warnings)
        print("\n".join([*content.warnings, f"{n} warning{'s' * (n != 1)} in the content "
                         "(the kiosk still runs)."]), file=sys.stderr)
    return 0


class _NoDatabase(Exception):
    """The data folder has no kiosk database (exit 2, the message says where it looked)."""


def _existing_database(args: argparse.Namespace) -> Path:
    db = paths.data_dir(args.data_dir) / paths.DB_NAME
    if not db.is_file():
        raise _NoDatabase(
            f"no database at {db}; use --data-dir to point at the kiosk's data folder"
        )
    return db


def _content_for(args: argparse.Namespace, db: Path):
    from kiosk.app import Options, load_content

    return load_content(Options(data_dir=db.parent, content_dir=args.content),
                        lambda m: print(m, file=sys.stderr))


def _export(args: argparse.Namespace) -> int:
    from kiosk.core.export import export
    from kiosk.core.store import Store
    from kiosk.core.tallies import tallies

    db = _existing_database(args)
    content = _content_for(args, db)
    store = Store.open(db)
    try:
        result = tallies(store, since=args.since, until=args.until, location=args.location)
        if args.format == "xlsx":
            from kiosk.core.xlsx import export_xlsx

            export_xlsx(result, content.statement_text, args.output, store,
                        course_name=content.course_name, content=content,
                        publiek=args.publiek)
            written = [args.output]
        else:
            written = export(result, content.statement_text, args.format, args.output,
                             course_name=content.course_name, content=content,
                             publiek=args.publiek)
    finally:
        store.close()
    for path in written:
        print(f"wrote {path}")
    print("publiek: counts from 1 to 4 as <5, no free text" if args.publiek
          else "intern: exact counts and free text; for outside the library use --publiek")
    return 0


def _report(args: argparse.Namespace) -> int:
    from kiosk.gui.report import build_report

    if args.publiek and args.free_text:
        print("kiosk: a public report never shows free text; leave out --met-vrije-tekst "
              "or --publiek", file=sys.stderr)
        return 2
    db = _existing_database(args)
    content = _content_for(args, db)
    pages = build_report(db, content, args.output, args.since, args.until, args.location,
                         publiek=args.publiek, free_text=args.free_text)
    kind = "publiek" if args.publiek else "intern"
    extra = ", with free text: read it before sending the report on" if args.free_text else ""
    print(f"wrote {args.output} ({pages} pages, {kind}{extra})")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from kiosk.core.store import Store

    store = Store.open(paths.data_dir(args.data_dir) / paths.DB_NAME)
    try:
        report = store.merge(args.files)
    finally:
        store.close()
    print(report)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from kiosk.core.store import Store

    store = Store.open(_existing_database(args))
    try:
        store.backup(args.output)
    finally:
        store.close()
    print(f"backup written and checked: {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "run")
    args = build_parser().parse_args(argv)
    data_log = _data_folder_log(args)
    code = 0
    try:
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
    import sqlite3

    from kiosk.app import UsageError
    from kiosk.core.content import ContentError
    from kiosk.core.export import ExportError
    from kiosk.core.failures import save_failure
    from kiosk.core.lock import FolderInUse
    from kiosk.core.store import StoreError
    from kiosk.simulate import SaveFailed

    try:
        if args.command == "run":
            from kiosk.app import run

            return run(_run_options_from(args))
        if args.command == "simulate":
            from kiosk.simulate import simulate

            return simulate(_run_options_from(args), visits=args.visits, seed=args.seed,
                            size=args.size)
        if args.command == "speech":
            from kiosk.speech.cli import run as speech_run

            return speech_run(args)
        if args.command == "print-job":
            from kiosk.gui.printing import print_job_from_stdin

            return print_job_from_stdin()
        if args.command in ("slip", "printers", "print-test"):
            from kiosk.gui.slip_cli import run as slip_run

            return slip_run(args)
        if args.command == "screenshots":
            from kiosk.screenshots import screenshots

            for path in screenshots(args.output, large_text=args.large_text):
                print(path)
            return 0
        if args.command == "self-test":
            from kiosk.selftest import self_test

            return self_test()
        if args.command == "autostart":
            from kiosk.autostart import run as autostart_run

            return autostart_run(args.state)
        return {"check": _check, "export": _export, "report": _report, "merge": _merge,
                "backup": _backup}[args.command](args)
    except (_NoDatabase, FolderInUse) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (StoreError, UsageError, ExportError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # saving failed (full disk, read-only, locked)
        print(f"kiosk: saving failed ({exc}): {save_failure(exc).text}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kiosk: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except SaveFailed as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
