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
from kiosk.cli.outputs import REFUSED, refused

#: ``--location`` of export and report: why a place like "-2+3" needs the "=" form.
LOCATION_HELP = ("tel alleen deze plek (schrijf een plek die met een minteken begint als "
                 "--location=-2+3, anders leest de kiosk hem als een optie)")


def counting_options(parser: argparse.ArgumentParser, output_help: str) -> None:
    """What export and report share: the output, the filters, the folders."""
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND",
                        help=output_help)
    parser.add_argument("--since", type=date_arg, default=None, metavar="DATUM",
                        help="eerste datum van een sessie die meetelt (JJJJ-MM-DD)")
    parser.add_argument("--until", type=date_arg, default=None, metavar="DATUM",
                        help="laatste datum van een sessie die meetelt (JJJJ-MM-DD)")
    parser.add_argument("--location", default=None, metavar="PLEK", help=LOCATION_HELP)
    parser.add_argument("--content", type=Path, default=None, metavar="MAP",
                        help="inhoudsmap met de teksten van de stellingen")
    parser.add_argument("--publiek", action="store_true",
                        help="voor buiten de bibliotheek: aantallen afgerond op veelvouden van 5, "
                             "totalen uit de afgeronde aantallen, geen ids, geen vrije tekst "
                             "(standaard: intern, met exacte aantallen en 'intern' erop)")
    data_dir_option(parser)
    quiet_option(parser)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="schrijf de tellingen per stelling, plek en datum")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv",
                        metavar="SOORT",
                        help="csv (voor Excel), xlsx (een werkblad per overzicht) of json "
                             "(standaard: csv)")
    counting_options(export, "het bestand dat de kiosk maakt")
    export.set_defaults(handler=export_command)

    report = sub.add_parser("report", help="een rapport voor de gemeente: grafieken en tabellen "
                                           "(.pdf, of .odt voor Word en LibreOffice)")
    counting_options(report, "het bestand dat de kiosk maakt: een .pdf, of een .odt om te "
                             "bewerken in Word of LibreOffice")
    report.add_argument("--met-vrije-tekst", dest="free_text", action="store_true",
                        help="zet de vrije teksten van 'Anders'-signalen erbij, op een pagina "
                             "om te lezen voordat je het rapport doorstuurt (alleen in een "
                             "intern rapport)")
    report.set_defaults(handler=report_command)

    merge = sub.add_parser("merge", help="neem de gegevens van andere kiosks over (mag vaker: "
                                         "niets komt dubbel)")
    merge.add_argument("files", nargs="+", type=Path, metavar="BESTAND.db|MAP",
                       help="databases van andere kiosks, of mappen: dan elk .db-bestand "
                            "daarin (bijvoorbeeld de map die Syncthing vult)")
    data_dir_option(merge)
    quiet_option(merge)
    merge.set_defaults(handler=merge_command)

    backup = sub.add_parser("backup",
                            help="maak een reservekopie van de database en controleer hem")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND",
                        help="nieuw bestand voor de kopie")
    data_dir_option(backup)
    quiet_option(backup)
    backup.set_defaults(handler=backup_command)


def export_command(args: argparse.Namespace) -> int:
    from kiosk.core.export import export
    from kiosk.core.store import Store
    from kiosk.core.tallies import tallies

    if refused(export_files(args.output, args.format), args.data_dir):
        return REFUSED
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
    print("publiek: aantallen afgerond op veelvouden van 5, geen ids, geen vrije tekst"
          if args.publiek
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
    if refused([args.output], args.data_dir):  # first: the kiosk's own files are named
        return REFUSED
    if Path(args.output).suffix.lower() not in (".pdf", ".odt"):
        print(f"kiosk: een rapport is een .pdf of een .odt (voor Word en LibreOffice), niet "
              f"{args.output}; kies een naam die eindigt op .pdf of .odt", file=sys.stderr)
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


def export_files(out: Path, fmt: str) -> list[Path]:
    """Every file an export to ``out`` writes (a CSV export writes three beside it)."""
    if fmt != "csv":
        return [out]
    from kiosk.core.export import conversations_path, referrals_path, signals_path

    return [out, referrals_path(out), conversations_path(out), signals_path(out)]


def merge_command(args: argparse.Namespace) -> int:
    from kiosk.core.lock import folder_in_use
    from kiosk.core.store import Store

    folder = paths.data_dir(args.data_dir)
    if folder_in_use(folder) and not args.quiet:
        print("Er draait een kiosk op deze gegevensmap: samenvoegen gaat in kleine stukken, "
              "zodat die kiosk intussen gewoon kan opslaan.")
    store = Store.open(folder / paths.DB_NAME)
    try:
        report = store.merge(args.files, others=lambda: folder_in_use(folder))
    finally:
        store.close()
    print(report)
    return 1 if report.failed else 0  # something was left out: say so to scripts too


def backup_command(args: argparse.Namespace) -> int:
    from kiosk.core.store import Store

    if refused([args.output], args.data_dir):
        return REFUSED
    store = Store.open(existing_database(args))
    try:
        store.backup(args.output)
    finally:
        store.close()
    print(f"reservekopie geschreven en gecontroleerd: {args.output}")
    return 0
