"""``kiosk check``: check a content folder (or workbook) and summarise it;
``kiosk content export|import|restore``: the content as a workbook (XLSX)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import data_dir_option, quiet_option, warn
from kiosk.cli.outputs import refused


def add_parsers(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="controleer een inhoudsmap of werkmap (.xlsx) en geef "
                                         "een samenvatting")
    check.add_argument("dir", nargs="?", type=Path, default=None, metavar="MAP",
                       help="de inhoudsmap, of een werkmap inhoud.xlsx (standaard: de inhoud "
                            "die bij de kiosk hoort)")
    quiet_option(check)
    check.set_defaults(handler=check_command)

    content = sub.add_parser("content", help="de inhoud als werkmap: export, import, restore")
    actions = content.add_subparsers(dest="action", metavar="ACTIE", required=True)
    export = actions.add_parser("export", help="schrijf de inhoud die de kiosk gebruikt als "
                                               "werkmap (.xlsx)")
    export.add_argument("output", type=Path, metavar="WERKMAP", help="bijvoorbeeld inhoud.xlsx")
    data_dir_option(export)
    quiet_option(export)
    export.set_defaults(handler=export_command)
    install = actions.add_parser("import", help="controleer een werkmap en gebruik hem als "
                                                "inhoud (alleen als hij in orde is)")
    install.add_argument("workbook", type=Path, metavar="WERKMAP", help="bijvoorbeeld inhoud.xlsx")
    data_dir_option(install)
    quiet_option(install)
    install.set_defaults(handler=import_command)
    back = actions.add_parser("restore", help="zet de vorige inhoud terug")
    data_dir_option(back)
    quiet_option(back)
    back.set_defaults(handler=restore_command)


def check_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import load_content, summary

    if args.dir is not None and (args.dir.suffix.lower() == ".xlsx" or args.dir.is_file()):
        from kiosk.core.content.workbook import read_workbook

        content, _ = read_workbook(args.dir)  # ContentError: each problem with its cell
        print(f"{summary(content).rsplit(' (uit ', 1)[0]} (uit {args.dir})")
        _warnings(args, content)
        return 0
    dirs = [paths.default_content_dir()]
    if args.dir is not None:
        if not args.dir.is_dir():
            print(f"kiosk: inhoudsmap niet gevonden: {args.dir}", file=sys.stderr)
            return 2
        dirs.append(args.dir)
    content = load_content(*dirs)
    print(summary(content))
    _warnings(args, content)
    return 0


def _warnings(args: argparse.Namespace, content) -> None:
    if content.warnings:  # worth fixing, but the kiosk runs: still exit 0
        n = len(content.warnings)
        warn(args, "\n".join([*content.warnings, f"{n} waarschuwing{'en' * (n != 1)} in "
                              "de inhoud (de kiosk werkt wel)."]))


def _content_dirs(args: argparse.Namespace) -> list[Path]:
    """The folders ``kiosk run`` loads: the built-in content, then the data folder's own."""
    dirs = [paths.default_content_dir()]
    own = paths.user_content_dir(paths.data_dir(args.data_dir))
    return [*dirs, own] if own.is_dir() else dirs


def export_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import ContentError, ContentReader
    from kiosk.core.content.workbook import write_workbook

    if refused([args.output], args.data_dir):
        return 2
    reader = ContentReader(paths.pictogram_names())
    parsed, sources = reader.parse_dirs(_content_dirs(args))
    reader.build(parsed, sources)
    if reader.problems:
        raise ContentError(reader.problems)
    write_workbook(parsed, args.output)
    print(f"inhoud geschreven naar {args.output} (uit {' + '.join(map(str, _content_dirs(args)))})")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import summary
    from kiosk.core.content.install import install
    from kiosk.core.content.workbook import read_workbook

    content, parsed = read_workbook(args.workbook)  # ContentError: nothing changes
    folder = install(parsed, paths.data_dir(args.data_dir))
    print(f"{summary(content).rsplit(' (uit ', 1)[0]} (uit {args.workbook})")
    print(f"inhoud geïnstalleerd in {folder}; de vorige inhoud staat ernaast "
          "(terugzetten: kiosk content restore). De kiosk gebruikt hem bij de volgende start.")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    from kiosk.core.content.install import InstallError, restore

    try:
        folder = restore(paths.data_dir(args.data_dir))
    except InstallError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    print(f"vorige inhoud teruggezet in {folder}. De kiosk gebruikt hem bij de volgende start.")
    return 0
