"""The coordinator's data commands: ``kiosk export``, ``report``, ``merge``, ``backup``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import (
    content_for,
    data_dir_option,
    date_arg,
    existing_database,
    quiet_option,
    warn,
)

#: ``--location`` of export and report: why a place like "-2+3" needs the "=" form.
LOCATION_HELP = ("count only this location (a place starting with a minus sign must be "
                 "written as --location=-2+3, else it is read as an option)")


def counting_options(parser: argparse.ArgumentParser, output_help: str) -> None:
    """What export and report share: the output, the filters, the folders."""
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=output_help)
    parser.add_argument("--since", type=date_arg, default=None, metavar="DATE",
                        help="first session date to count (YYYY-MM-DD)")
    parser.add_argument("--until", type=date_arg, default=None, metavar="DATE",
                        help="last session date to count (YYYY-MM-DD)")
    parser.add_argument("--location", default=None, metavar="NAME", help=LOCATION_HELP)
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="content folder for the statement texts")
    parser.add_argument("--publiek", action="store_true",
                        help="for outside the library: counts from 1 to 4 as '<5', no free "
                             "text (default: internal, exact counts, says 'intern')")
    data_dir_option(parser)
    quiet_option(parser)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write tallies per statement, location and date")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv",
                        metavar="FORMAT",
                        help="csv (for Excel), xlsx (one sheet per view) or json (default: csv)")
    counting_options(export, "file to write")
    export.set_defaults(handler=export_command)

    report = sub.add_parser("report", help="a PDF for the municipality: charts and tables")
    counting_options(report, "PDF file to write")
    report.add_argument("--met-vrije-tekst", dest="free_text", action="store_true",
                        help="add the free texts of 'Anders' signals, on a page to read "
                             "before sending the report on (internal reports only)")
    report.set_defaults(handler=report_command)

    merge = sub.add_parser("merge", help="import other kiosks' databases (safe to repeat)")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE.db|FOLDER",
                       help="databases of other kiosks, or folders: every .db in them "
                            "(for example the folder a sync tool fills)")
    data_dir_option(merge)
    quiet_option(merge)
    merge.set_defaults(handler=merge_command)

    backup = sub.add_parser("backup", help="write a consistent, checked copy of the database")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="new file for the copy")
    data_dir_option(backup)
    quiet_option(backup)
    backup.set_defaults(handler=backup_command)


def export_command(args: argparse.Namespace) -> int:
    from kiosk.core.export import export
    from kiosk.core.store import Store
    from kiosk.core.tallies import tallies

    db = existing_database(args)
    content = content_for(args, db)
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
        print(f"geschreven: {path}")
    print("publiek: aantallen van 1 tot 4 als <5, geen vrije tekst" if args.publiek
          else "intern: exacte aantallen en vrije tekst; voor buiten de bibliotheek: "
               "gebruik --publiek")
    if not result.rows:
        warn(args, "kiosk: geen antwoorden gevonden: het bestand heeft alleen kopregels "
                   "(kijk naar --since, --until, --location en --data-dir)")
    return 0


def report_command(args: argparse.Namespace) -> int:
    from kiosk.gui.report import build_report

    if args.publiek and args.free_text:
        print("kiosk: een publiek rapport toont nooit vrije tekst; laat --met-vrije-tekst "
              "of --publiek weg", file=sys.stderr)
        return 2
    db = existing_database(args)
    content = content_for(args, db)
    pages = build_report(db, content, args.output, args.since, args.until, args.location,
                         publiek=args.publiek, free_text=args.free_text)
    kind = "publiek" if args.publiek else "intern"
    extra = (", met vrije tekst: lees die voordat je het rapport doorstuurt"
             if args.free_text else "")
    print(f"geschreven: {args.output} ({pages} pagina's, {kind}{extra})")
    return 0


def merge_command(args: argparse.Namespace) -> int:
    from kiosk.core.store import Store

    store = Store.open(paths.data_dir(args.data_dir) / paths.DB_NAME)
    try:
        report = store.merge(args.files)
    finally:
        store.close()
    print(report)
    return 0


def backup_command(args: argparse.Namespace) -> int:
    from kiosk.core.store import Store

    store = Store.open(existing_database(args))
    try:
        store.backup(args.output)
    finally:
        store.close()
    print(f"reservekopie geschreven en gecontroleerd: {args.output}")
    return 0
