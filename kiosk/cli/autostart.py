"""``kiosk autostart on|off``: open the kiosk by itself at login (see :mod:`kiosk.autostart`)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import quiet_option


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "autostart",
        help="open de kiosk vanzelf bij het inloggen (on) of niet (off), voor deze gebruiker")
    parser.add_argument("state", choices=("on", "off"),
                        help="on: start bij het inloggen (volledig scherm, eerst de pincode); "
                             "off: niet meer vanzelf starten")
    quiet_option(parser)
    parser.set_defaults(handler=autostart_command)


def autostart_command(args: argparse.Namespace) -> int:
    from kiosk.autostart import disable, enable

    print(enable() if args.state == "on" else disable())
    return 0
