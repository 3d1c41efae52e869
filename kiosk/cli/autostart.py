"""``kiosk autostart on|off``: open the kiosk by itself at login (see :mod:`kiosk.autostart`)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import quiet_option


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "autostart", help="open the kiosk by itself at login (on) or not (off), for this user")
    parser.add_argument("state", choices=("on", "off"),
                        help="on: start at login (full screen, PIN first); off: do not")
    quiet_option(parser)
    parser.set_defaults(handler=autostart_command)


def autostart_command(args: argparse.Namespace) -> int:
    from kiosk.autostart import disable, enable

    print(enable() if args.state == "on" else disable())
    return 0
