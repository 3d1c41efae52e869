"""``kiosk check``: check a content folder (or workbook) and summarise it;
``kiosk content export|import|restore``: the content as a workbook (XLSX), with the
library's own recordings in a folder beside it (:mod:`kiosk.speech.travel`)."""

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
                                               "werkmap (.xlsx); de opnamen van de eigen stem "
                                               "komen in een map ernaast (inhoud-stem)")
    export.add_argument("output", type=Path, metavar="WERKMAP", help="bijvoorbeeld inhoud.xlsx")
    data_dir_option(export)
    quiet_option(export)
    export.set_defaults(handler=export_command)
    install = actions.add_parser("import", help="controleer een werkmap en gebruik hem als "
                                                "inhoud (alleen als hij in orde is), met de "
                                                "opnamen uit de map ernaast (inhoud-stem)")
    install.add_argument("workbook", type=Path, metavar="WERKMAP", help="bijvoorbeeld inhoud.xlsx")
    data_dir_option(install)
    quiet_option(install)
    install.set_defaults(handler=import_command)
    back = actions.add_parser("restore", help="zet de vorige inhoud terug (met de opnamen van "
                                              "de eigen stem van toen)")
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
    from kiosk.app import Options, content_dirs

    return content_dirs(Options(data_dir=paths.data_dir(args.data_dir)))


def export_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import checked_files
    from kiosk.core.content.workbook import write_workbook
    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.travel import export_beside, folder_beside

    if refused([args.output, folder_beside(args.output)], args.data_dir):
        return 2
    dirs = _content_dirs(args)
    parsed = checked_files(dirs)  # ContentError: every problem, nothing written
    # the recordings first: a name taken by something else refuses before the workbook
    folder, count = export_beside(VoiceStore.in_data(paths.data_dir(args.data_dir)),
                                  args.output)
    write_workbook(parsed, args.output)
    print(f"inhoud geschreven naar {args.output} (uit {' + '.join(map(str, dirs))})")
    if count:
        print(f"{count} opnamen van de eigen stem geschreven naar {folder}")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import summary
    from kiosk.core.content.workbook import read_workbook
    from kiosk.core.lock import DataFolderLock
    from kiosk.speech.travel import found_beside, install

    content, parsed = read_workbook(args.workbook)  # ContentError: nothing changes
    data = paths.private_dir(paths.data_dir(args.data_dir))
    recordings = found_beside(args.workbook)
    if recordings is None:
        installed = install(parsed, data)
    else:
        from kiosk.cli.voice import _qt_app, print_imported

        _qt_app()  # the decoder's; before QtMultimedia loads
        # a running kiosk keeps its own copy of the recordings' index: not under it
        with DataFolderLock(data).acquire():  # FolderInUse: one Dutch line, exit 2
            installed = install(parsed, data, recordings, on_import=print_imported)
    print(f"{summary(content).rsplit(' (uit ', 1)[0]} (uit {args.workbook})")
    print(f"inhoud geïnstalleerd in {installed.folder}; de vorige inhoud staat ernaast "
          "(terugzetten: kiosk content restore). De kiosk gebruikt hem bij de volgende start.")
    found = installed.voice
    if found is None:
        return 0
    for name, reason in found.refused:
        print(f"geweigerd: {recordings.name}/{name}: {reason}", file=sys.stderr)
    stale = f", waarvan {found.stale} verouderd" if found.stale else ""
    print(f"{len(found.imported)} opnamen van de eigen stem ingelezen uit {recordings}{stale}"
          + (f", {len(found.refused)} bestanden geweigerd" if found.refused else ""))
    return 1 if found.refused else 0


def restore_command(args: argparse.Namespace) -> int:
    from kiosk.core.content.install import InstallError
    from kiosk.core.lock import DataFolderLock
    from kiosk.speech.travel import VOICE_PREVIOUS, restore

    data = paths.data_dir(args.data_dir)
    voice = (data / VOICE_PREVIOUS).is_dir()  # an install brought recordings: they go back too
    try:
        if voice:  # not under a running kiosk, which keeps its own copy of their index
            with DataFolderLock(data).acquire():  # FolderInUse: one Dutch line, exit 2
                folder = restore(data)
        else:
            folder = restore(data)
    except InstallError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    print(f"vorige inhoud teruggezet in {folder}"
          + (", met de opnamen van de eigen stem van toen" if voice else "")
          + ". De kiosk gebruikt hem bij de volgende start.")
    return 0
