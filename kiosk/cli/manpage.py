"""``stellingenkiosk(1)``: the manual page, generated from the argparse parser.

    python -m kiosk.cli.manpage [--prog stellingenkiosk] [--date YYYY-MM-DD] > stellingenkiosk.1

Every command (and sub-command) with its help, usage line, arguments and options, in
Dutch, as ``--help`` says them: the page cannot drift from the parser.
packaging/build-deb.sh installs it as /usr/share/man/man1/stellingenkiosk.1.gz;
tests/test_manpage.py renders it with groff and mandoc (no warnings) and checks that
every command and option is in it. Building the parser loads no Qt.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date

from kiosk import __version__, paths

PROG = "stellingenkiosk"
SUMMARY = ("stellingen over basisvaardigheden op een touchscreen, voor de stand van het "
           "Taalhuis in de bibliotheek")


def _escape(text: str) -> str:
    """Text for roff: backslashes, hyphens of options, a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Non-ASCII as groff's Unicode escapes: the page then renders alike in any locale
    # (man-db reads a file without a coding line as Latin-1).
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line
                     for line in text.splitlines())


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    formatter = parser._get_formatter()
    return formatter._expand_help(action)  # %(default)s and the like, as --help shows


def _option_line(action: argparse.Action) -> str:
    """``\\fB\\-o\\fR, \\fB\\-\\-out\\fR \\fIMAP\\fR``."""
    if action.option_strings:
        names = ", ".join(f"\\fB{_escape(o)}\\fR" for o in action.option_strings)
    else:
        names = f"\\fI{_escape(str(action.metavar or action.dest))}\\fR"
    if action.option_strings and action.nargs != 0:
        metavar = action.metavar or (
            "{" + ",".join(map(str, action.choices)) + "}" if action.choices
            else action.dest.upper())
        if isinstance(metavar, tuple):
            metavar = " ".join(metavar)
        names += f" \\fI{_escape(str(metavar))}\\fR"
        if action.nargs in ("*", "+"):
            names += " ..."
    return names


def _actions(parser: argparse.ArgumentParser, title: str, out: list[str]) -> None:
    """The arguments and options of one parser (sub-commands are listed elsewhere)."""
    shown = [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)
             and a.help != argparse.SUPPRESS]
    if not shown:
        return
    if title:
        out.append(f".PP\n\\fI{title}\\fR")
    for action in shown:
        out.append(".TP")
        out.append(_option_line(action))
        text = _help(parser, action)
        if action.choices and not action.option_strings and not isinstance(action.choices,
                                                                           dict):
            text += f" (kies uit: {', '.join(map(str, action.choices))})"
        out.append(_escape(text) if text else "\\&")


def _subcommands(parser: argparse.ArgumentParser):
    """(name, help, sub-parser) of each sub-command, aliases once, in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:
                    continue
                seen.add(id(sub))
                yield name, helps.get(name) or "", sub


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip()
    usage = re.sub(r"^gebruik:\s*", "", usage)
    return re.sub(r"\s+", " ", usage)


def _command(parser: argparse.ArgumentParser, name: str, help_: str, out: list[str]) -> None:
    out.append(f'.SS "{_escape(name)}"')
    if help_:
        out.append(_escape(help_[0].upper() + help_[1:] + ("" if help_.endswith(".") else ".")))
    out.append(".PP")
    out.append(f"\\fB{_escape(_usage(parser))}\\fR")
    if parser.description and parser.description != help_:
        out.append(".PP")
        out.append(_escape(parser.description))
    _actions(parser, "Argumenten en opties:", out)
    subs = list(_subcommands(parser))
    for sub_name, sub_help, sub in subs:
        _command(sub, f"{name} {sub_name}", sub_help, out)


def render(parser: argparse.ArgumentParser | None = None, prog: str = PROG,
           day: date | None = None) -> str:
    """The manual page (roff, man macros) of ``parser`` (default: the kiosk's)."""
    from kiosk.cli import build_parser

    parser = parser or build_parser()
    _rename(parser, prog)
    day = day or date.today()
    out = [
        f'.TH {prog.upper()} 1 "{day.isoformat()}" "{prog} {__version__}" '
        '"Stellingenkiosk"',
        ".\\\" Generated by kiosk/cli/manpage.py from the argparse parser: do not edit.",
        ".nh",
        ".ad l",
        ".SH NAAM",
        f"{prog} \\- {_escape(SUMMARY)}",
        ".SH OVERZICHT",
        f"\\fB{prog}\\fR [\\fIOPDRACHT\\fR] [\\fIOPTIES\\fR]",
        ".br",
        f"\\fB{prog}\\fR \\fIOPDRACHT\\fR \\fB\\-\\-help\\fR",
        ".SH BESCHRIJVING",
        _escape(parser.description or ""),
        ".PP",
        _escape(f"Zonder opdracht is het {prog} run: de kiosk opent over het hele scherm, met "
                "eerst de pincode. Alles wat de kiosk zegt is Nederlands. Elke opdracht heeft "
                "--help."),
        ".SH OPTIES",
    ]
    _actions(parser, "", out)
    out.append(".SH OPDRACHTEN")
    for name, help_, sub in _subcommands(parser):
        _command(sub, f"{prog} {name}", help_, out)
    out += [
        ".SH BESTANDEN",
        ".TP",
        "\\fI~/.local/share/Stellingenkiosk/\\fR",
        _escape("De gegevens: de database met de antwoorden, de logboeken en de instellingen. "
                "Blijven staan als het programma weg gaat (ook na apt purge)."),
        ".TP",
        "\\fI~/.config/autostart/stellingenkiosk.desktop\\fR",
        _escape(f"Vanzelf starten bij inloggen ({prog} autostart on)."),
        ".TP",
        "\\fI/usr/share/doc/stellingenkiosk/\\fR",
        _escape("De licenties van alles wat in het programma zit (copyright, licenses/)."),
        ".SH OMGEVING",
        ".TP",
        f"\\fB{paths.DATA_DIR_ENV}\\fR",
        _escape("Een andere map voor de gegevens (net als --data-dir)."),
        ".TP",
        f"\\fB{paths.CACHE_DIR_ENV}\\fR",
        _escape("Een andere map voor de spraakopslag."),
        ".SH AFSLUITCODE",
        _escape("0: gelukt. 1: niet gelukt (de melding zegt wat er mis is). 2: verkeerd "
                "gebruikt of geen database gevonden."),
        ".SH ZIE OOK",
        _escape("De handleiding voor medewerkers (docs/handleiding.md in de broncode) en "
                f"/usr/share/doc/{PROG}/."),
    ]
    return "\n".join(out) + "\n"


def _rename(parser: argparse.ArgumentParser, prog: str) -> None:
    """Give every parser the installed command's name (the checkout's parser says kiosk)."""
    old = parser.prog
    stack = [parser]
    while stack:
        current = stack.pop()
        if current.prog == old or current.prog.startswith(old + " "):
            current.prog = prog + current.prog[len(old):]
        stack.extend(sub for _, _, sub in _subcommands(current))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.cli.manpage",
                                     description="schrijf de man-pagina naar stdout")
    parser.add_argument("--prog", default=PROG)
    parser.add_argument("--date", type=date.fromisoformat, default=None,
                        help="datum op de pagina (standaard: vandaag)")
    args = parser.parse_args(argv)
    sys.stdout.write(render(prog=args.prog, day=args.date))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
