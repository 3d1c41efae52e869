"""What several commands share: argument types, common options, the database check."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kiosk import paths

#: ``-q/--quiet`` on the commands other than ``run`` and ``simulate``.
QUIET_HELP = "print only errors: no summary and no warnings (the exit code still tells)"


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen datum; schrijf hem als YYYY-MM-DD (jaar-maand-dag)"
        ) from None


def volume_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a volume; use a number from 0 to 100")
    return value


def per_visit_arg(text: str) -> int:
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


def data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None, metavar="DIR",
        help=f"folder of the database (default: ${paths.DATA_DIR_ENV} or the user data folder)",
    )


def quiet_option(parser: argparse.ArgumentParser, help: str = QUIET_HELP) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


def warn(args: argparse.Namespace, message: str) -> None:
    """A warning on stderr (the command still succeeds), unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


class NoDatabase(Exception):
    """The data folder has no kiosk database (exit 2, the message says where it looked)."""


def existing_database(args: argparse.Namespace) -> Path:
    db = paths.data_dir(args.data_dir) / paths.DB_NAME
    if not db.is_file():
        raise NoDatabase(
            f"geen database in {db}; wijs met --data-dir de gegevensmap van de kiosk aan"
        )
    return db


def content_for(args: argparse.Namespace, db: Path):
    from kiosk.app import Options, load_content

    return load_content(Options(data_dir=db.parent, content_dir=args.content),
                        lambda m: warn(args, m))
