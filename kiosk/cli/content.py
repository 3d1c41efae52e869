"""``kiosk check``: check a content folder and summarise it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import quiet_option, warn


def add_parsers(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="controleer een inhoudsmap en geef een samenvatting")
    check.add_argument("dir", nargs="?", type=Path, default=None, metavar="MAP",
                       help="de inhoudsmap (standaard: de inhoud die bij de kiosk hoort)")
    quiet_option(check)
    check.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace) -> int:
    from kiosk.core.content import load_content, summary

    dirs = [paths.default_content_dir()]
    if args.dir is not None:
        if not args.dir.is_dir():
            print(f"kiosk: inhoudsmap niet gevonden: {args.dir}", file=sys.stderr)
            return 2
        dirs.append(args.dir)
    content = load_content(*dirs)
    print(summary(content))
    if content.warnings:  # worth fixing, but the kiosk runs: still exit 0
        n = len(content.warnings)
        warn(args, "\n".join([*content.warnings, f"{n} waarschuwing{'en' * (n != 1)} in "
                              "de inhoud (de kiosk werkt wel)."]))
    return 0
