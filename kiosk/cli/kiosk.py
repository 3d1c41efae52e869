"""The kiosk itself: ``kiosk run``, ``simulate``, ``screenshots``, ``self-test``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import data_dir_option, per_visit_arg, quiet_option, volume_arg


def run_options(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="a content folder whose files replace the default ones")
    parser.add_argument("--location", default=None, metavar="PLACE",
                        help="start a session at this place right after the PIN, without "
                             "the start screen, e.g. 'Weekmarkt Centrum' (a place starting "
                             "with a minus sign must be written as --location=-2+3, else "
                             "it is read as an option)")
    parser.add_argument("--set", dest="statement_set", default=None, metavar="ID",
                        help="statement set to show (default: the library's default set)")
    parser.add_argument("--per-visit", type=per_visit_arg, default=None, metavar="N|all",
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
    parser.add_argument("--volume", type=volume_arg, default=100, metavar="0-100",
                        help="speech volume in percent (default 100)")
    parser.add_argument("--outbox", type=Path, default=None, metavar="DIR",
                        help="write a copy of the database to DIR (as <kiosk name>.db) at the "
                             "end of each session and every 15 minutes, for a sync tool "
                             "(default: outbox in library.toml)")
    quiet_option(parser, help="problems go only to the log (logs/kiosk.log in the data "
                              "folder), not to the terminal")


def add_run_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="open the kiosk full screen (the default command)")
    run_options(run)
    run.set_defaults(handler=run_command)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """``simulate``, ``screenshots`` and ``self-test`` (``run`` comes first: add_run_parser)."""
    simulate = sub.add_parser(
        "simulate", help="drive the real window offscreen through random visits"
    )
    run_options(simulate)
    simulate.add_argument("--visits", type=int, default=20, metavar="N",
                          help="number of visits (default 20)")
    simulate.add_argument("--seed", type=int, default=None, metavar="S",
                          help="random seed, for a repeatable run")
    simulate.add_argument("--size", default="1920x1080", metavar="WxH",
                          help="window size in pixels (default 1920x1080)")
    simulate.set_defaults(handler=simulate_command)

    shots = sub.add_parser("screenshots", help="render every screen to PNG at three sizes")
    shots.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                       help="folder for the PNG files")
    shots.add_argument("--large-text", action="store_true", help="render in large-text mode")
    quiet_option(shots)
    shots.set_defaults(handler=screenshots_command)

    self_test = sub.add_parser("self-test",
                               help="check Qt, store, content, QR code and speech here")
    quiet_option(self_test)
    self_test.set_defaults(handler=self_test_command)


def options_from(args: argparse.Namespace):
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


def run_command(args: argparse.Namespace) -> int:
    from kiosk.app import run

    return run(options_from(args))


def simulate_command(args: argparse.Namespace) -> int:
    from kiosk.simulate import simulate

    return simulate(options_from(args), visits=args.visits, seed=args.seed, size=args.size)


def screenshots_command(args: argparse.Namespace) -> int:
    from kiosk.screenshots import screenshots

    for path in screenshots(args.output, large_text=args.large_text):
        print(path)
    return 0


def self_test_command(args: argparse.Namespace) -> int:
    from kiosk.selftest import self_test

    return self_test()
