"""What several commands share: the Dutch parser, argument types, common options, the
database check.

Everything the command line says is for coordinators, so it is Dutch: the help, the
messages, and argparse's own words (:class:`Parser`).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from kiosk import paths

#: ``-q/--quiet`` on the commands other than ``run`` and ``simulate``.
QUIET_HELP = ("toon alleen fouten: geen samenvatting en geen waarschuwingen (de afsluitcode "
              "zegt nog steeds of het lukte)")

#: argparse's own error messages (English, as regular expressions, searched in the
#: message) and their Dutch; ``{0}``, ``{1}``: the groups. A message argparse words
#: otherwise (another Python) stays as it is.
ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "dit ontbreekt: {0}"),
    (r"unrecognized arguments: (.+)", "onbekend: {0}"),
    (r"invalid choice: (.+?) \(choose from (.+)\)", "ongeldige keuze: {0} (kies uit {1})"),
    (r"invalid int value: (.+)", "{0} is geen heel getal"),
    (r"invalid \S+ value: (.+)", "{0} klopt niet"),
    (r"expected one argument", "hier hoort één waarde achter"),
    (r"expected at least one argument", "hier hoort minstens één waarde achter"),
    (r"expected at most one argument", "hier hoort hooguit één waarde achter"),
    (r"ignored explicit argument (.+)", "{0} hoort hier niet"),
    (r"not allowed with argument (.+)", "mag niet samen met {0}"),
    (r"ambiguous option: (\S+) could match (.+)", "{0} is niet duidelijk: bedoel je {1}?"),
    (r"one of the arguments (.+) is required", "een van deze is nodig: {0}"),
)


def dutch_argparse_message(message: str) -> str:
    """argparse's error ``message`` with its known English phrases in Dutch."""
    for english, dutch in ARGPARSE_MESSAGES:
        message = re.sub(english, lambda match, dutch=dutch: dutch.format(*match.groups()),
                         message)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    """argparse's help, with "gebruik:" where it says "usage:"."""

    def add_usage(self, usage, actions, groups, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Dutch: headings, ``-h`` and its error messages.

    Sub-command parsers are made with the class of their parent, so the ``kiosk``
    parser being one makes them all one.
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        """Usage and the message on stderr, then exit 2 (as argparse does), in Dutch."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch_argparse_message(message)}\n")


def date_arg(text: str) -> date:
    """A date filter (``--since``/``--until``): JJJJ-MM-DD, from 2020 to tomorrow (no
    session outside that range can be trusted: :mod:`kiosk.core.doubtful`)."""
    from kiosk.core.doubtful import filter_day_problem

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen datum; schrijf hem als JJJJ-MM-DD (jaar-maand-dag)"
        ) from None
    if problem := filter_day_problem(day):
        raise argparse.ArgumentTypeError(problem)
    return day


def volume_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen geluidssterkte; kies een getal van 0 tot 100")
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
            f"'{text}' is geen aantal stellingen; kies een heel getal vanaf 1, of 'alle'")
    return value


def data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None, metavar="MAP",
        help=f"de gegevensmap met de database (standaard: ${paths.DATA_DIR_ENV}, anders de "
             "gegevensmap van deze gebruiker)",
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
