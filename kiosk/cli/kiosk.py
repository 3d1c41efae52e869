"""The kiosk itself: ``kiosk run``, ``simulate``, ``screenshots``, ``self-test``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import paths
from kiosk.cli.common import data_dir_option, per_visit_arg, quiet_option, volume_arg
from kiosk.core import rules

#: An example of a place name, for the fix in a message about ``--location``.
LOCATION_EXAMPLE = "--location 'Weekmarkt Centrum'"


def location_arg(text: str) -> str:
    """``--location``: a place name as the rulebook allows it
    (:func:`kiosk.core.rules.name_problem`), returned as it is stored
    (:func:`kiosk.core.rules.clean_text`). A refused name is a refused argument:
    argparse prints the Dutch reason and exits 2."""
    problem = rules.name_problem(text)
    if problem is None:
        return rules.clean_text(text)
    if problem == rules.EMPTY:
        raise argparse.ArgumentTypeError(
            f"de naam van de plek is leeg; schrijf een naam, bijvoorbeeld {LOCATION_EXAMPLE}")
    shown = ascii(text) if rules.bad_char(text) else repr(text)  # no raw control characters
    if len(shown) > 40:
        shown = shown[:37] + "..."
    fix = f" Kies een kortere naam, bijvoorbeeld {LOCATION_EXAMPLE}" if len(
        rules.clean_text(text)) > rules.MAX_NAME else ""
    raise argparse.ArgumentTypeError(f"deze naam van een plek kan niet ({shown}): {problem}{fix}")


def run_options(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument("--content", type=Path, default=None, metavar="MAP",
                        help="een inhoudsmap: de bestanden daarin vervangen die van de "
                             "standaardinhoud")
    parser.add_argument("--location", type=location_arg, default=None, metavar="PLEK",
                        help="begin meteen na de pincode een sessie op deze plek, zonder het "
                             "startscherm, bijvoorbeeld 'Weekmarkt Centrum' (schrijf een plek "
                             "die met een minteken begint als --location=-2+3, anders leest de "
                             f"kiosk hem als een optie); hooguit {rules.MAX_NAME} tekens, "
                             "zonder < en >")
    parser.add_argument("--set", dest="statement_set", default=None, metavar="ID",
                        help="de stellingenset die de kiosk toont (standaard: default_set in "
                             "library.toml)")
    parser.add_argument("--per-visit", type=per_visit_arg, default=None, metavar="N|alle",
                        help="stellingen per bezoek: een getal vanaf 1, of 'alle' (standaard: "
                             "per_visit in library.toml, anders 3)")
    parser.add_argument("--windowed", action="store_true",
                        help="een gewoon venster in plaats van het volledige scherm (om te "
                             "testen)")
    parser.add_argument("--large-text", action="store_true",
                        help="grotere letters op elk scherm")
    parser.add_argument("--peers", action="store_true",
                        help="toon na een antwoord 'Jij en N anderen dachten net hetzelfde'")
    parser.add_argument("--no-speech", dest="speech", action="store_false",
                        help="helemaal geen geluid")
    parser.add_argument("--no-read-aloud", dest="read_aloud", action="store_false",
                        help="lees een stelling niet vanzelf voor als hij verschijnt (de knop "
                             "Luister werkt nog wel)")
    parser.add_argument("--volume", type=volume_arg, default=None, metavar="0-100",
                        help="geluidssterkte van de spraak in procenten; het startscherm "
                             "kiest dit ook voor een nieuwe sessie (standaard: het geluid "
                             "van de bibliotheek, onder Instellingen)")
    parser.add_argument("--outbox", type=Path, default=None, metavar="MAP",
                        help="zet aan het eind van elke sessie en elke 15 minuten een kopie "
                             "van de database in MAP (als <naam van de kiosk>.db), voor een "
                             "programma dat mappen gelijk houdt, zoals Syncthing (standaard: "
                             "outbox in library.toml)")
    quiet_option(parser, help="problemen komen alleen in het logboek (logs/kiosk.log in de "
                              "gegevensmap), niet in de terminal")


def add_run_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="open de kiosk op het volledige scherm (dit doet kiosk "
                                     "ook zonder opdracht)")
    run_options(run)
    run.set_defaults(handler=run_command)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """``simulate``, ``screenshots`` and ``self-test`` (``run`` comes first: add_run_parser)."""
    simulate = sub.add_parser(
        "simulate", help="laat het echte kioskvenster, zonder scherm, willekeurige bezoeken "
                         "doen (demo en test)"
    )
    run_options(simulate)
    simulate.add_argument("--visits", type=int, default=20, metavar="N",
                          help="aantal bezoeken (standaard 20)")
    simulate.add_argument("--seed", type=int, default=None, metavar="GETAL",
                          help="startgetal voor het toeval: met hetzelfde getal komen dezelfde "
                               "bezoeken terug")
    simulate.add_argument("--size", default="1920x1080", metavar="BxH",
                          help="grootte van het venster in pixels, breedte x hoogte "
                               "(standaard 1920x1080)")
    simulate.add_argument("--rss", type=int, nargs="?", const=1000, default=None, metavar="N",
                          help="toon het geheugengebruik (RSS) aan het begin, elke N bezoeken "
                               "(zonder N: elke 1000) en aan het eind")
    simulate.set_defaults(handler=simulate_command)

    shots = sub.add_parser("screenshots",
                           help="maak van elk scherm een afbeelding (PNG), in drie maten")
    shots.add_argument("-o", "--output", type=Path, required=True, metavar="MAP",
                       help="map voor de PNG-bestanden")
    shots.add_argument("--large-text", action="store_true", help="met grote letters")
    quiet_option(shots)
    shots.set_defaults(handler=screenshots_command)

    self_test = sub.add_parser("self-test",
                               help="controleer of Qt, de database, de inhoud, de QR-code "
                                    "en de spraak op deze computer werken")
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
        # not given: the library's volume (library.toml), else kiosk.core.model.DEFAULT_VOLUME
        volume=None if args.volume is None else args.volume / 100,
        per_visit=args.per_visit,
        quiet=args.quiet,
        outbox=args.outbox,
    )


def run_command(args: argparse.Namespace) -> int:
    from kiosk.app import run

    return run(options_from(args))


def simulate_command(args: argparse.Namespace) -> int:
    from kiosk.simulate import simulate

    return simulate(options_from(args), visits=args.visits, seed=args.seed, size=args.size,
                    rss=args.rss)


def screenshots_command(args: argparse.Namespace) -> int:
    from kiosk.cli.outputs import REFUSED, refused
    from kiosk.screenshots import screenshots

    if refused([args.output]):  # never into the data folder (its database, its PIN file)
        return REFUSED
    for path in screenshots(args.output, large_text=args.large_text):
        print(path)
    return 0


def self_test_command(args: argparse.Namespace) -> int:
    from kiosk.selftest import self_test

    return self_test()
