"""The checks of one value of the content: its characters, words, ids, URLs and QR codes.

Each check answers in Dutch, as (message, fix), for :mod:`kiosk.core.content.files`
to place at its file and line. Which characters a text may hold and what a place
name may be are the rulebook's (:mod:`kiosk.core.rules`): the same functions the
command line, on-screen typing, the store and the merge call. Standard library
only; no Qt.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import unicodedata
from collections.abc import Collection
from urllib.parse import urlsplit

from kiosk.core import rules
from kiosk.core.model import ANSWERS, NO_APPROACH, OTHER_SIGNAL, PLACE_KINDS
from kiosk.core.qr import course_link, qr_size

MAX_WORDS, MAX_TEXT_CHARS, MAX_LINE_CHARS = 12, 90, 80
#: A partner's or a signal's name: a few words on a staff button (as long as a place name).
MAX_NAME_CHARS = rules.MAX_NAME
#: Word help (``uitleg``): one short sentence.
MAX_UITLEG_WORDS, MAX_UITLEG_CHARS = 15, 100
#: Words that make a statement a negation. "Oneens" with "niet" is a double negative
#: that many readers get wrong, so a statement must say what it means positively.
NEGATIONS = ("niet", "geen", "nooit", "niets", "niks", "nergens", "niemand")
NEGATION_PATTERN = re.compile(rf"\b({'|'.join(NEGATIONS)})\b", re.IGNORECASE)
POSITIVE_EXAMPLE = ("'Ik reken liever niet uit mijn hoofd.' -> "
                    "'Ik vind rekenen uit mijn hoofd moeilijk.'")
#: Words many people who read little do not know (lowercase). A statement that uses one
#: (or its plural) should explain it in ``uitleg``; ``kiosk check`` warns when it does not.
HARD_WORDS: tuple[str, ...] = (
    "aangifte", "account", "app", "bankzaken", "belastingdienst", "bijsluiter", "digid",
    "e-mail", "formulier", "huurtoeslag", "inloggen", "internetbankieren", "machtiging",
    "online", "pincode", "qr-code", "toeslag", "uitkering", "wachtwoord", "website",
    "zorgtoeslag", "zorgverzekering",
)
#: Endings of simple plurals: formulier-en, app-s, e-mail-s, app-'s.
PLURAL_ENDINGS = ("", "s", "'s", "en", "n")
WORD_PATTERN = re.compile(r"\w+(?:['-]\w+)*")
LANGUAGES = ("nl",)
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: The longest word (letters between spaces, hyphens or slashes) that still fits on a
#: line of the smallest screen: 1080 px wide in portrait, large text (tests/test_look.py
#: renders it). Longer words would be cut off.
MAX_WORD_CHARS = 20
WORD_SPLIT = re.compile(r"[\s\-/]+")
#: The most characters each text may have (where no closer rule says less): long texts
#: push the screens out of shape and slow every screen that shows them. (A place
#: name has the rulebook's limit: :data:`NAME_FIELDS`.)
TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("library", "name"): 60, ("library", "address"): 100, ("library", "hours"): 100,
    ("library", "phone"): 30, ("course", "name"): 40, ("theme", "name"): 40,
    ("set", "name"): 60, ("pronounce", "written"): 40, ("pronounce", "spoken"): 80,
}
#: Texts the kiosk stores in its database, so the rulebook's name rules apply
#: (:func:`kiosk.core.rules.name_problem`): kept as :func:`kiosk.core.rules.clean_text`
#: makes them, exactly as staff would tap them on the start screen.
NAME_FIELDS = {("location", "name"), ("approach", "name")}
#: The library's own texts (end screen, slips): no < or >, as in a name.
LIBRARY_TEXTS = {("library", "name"), ("library", "address"), ("library", "hours"),
                 ("library", "phone")}
#: Fields whose words are shown big to passers-by (they must fit, see MAX_WORD_CHARS).
BIG_WORDS = {("statement", "text"), ("statement", "uitleg"), ("course", "name"),
             ("course", "line")}
#: A QR code of at most this many modules a side (version 10) still scans from the
#: screen (5 cm) and an 80 mm slip; a longer address makes a denser code.
QR_MAX_MODULES = 57
#: The longest kind of place: the tagged link with it is the longest a QR code holds.
LONGEST_KIND = max(PLACE_KINDS, key=len)
#: How a message names a character that may not be in a text.
CONTROL_NAMES = {"\t": "een tab", "\n": "een nieuwe regel (Enter)",
                 "\r": "een verborgen teken voor een nieuwe regel",
                 "\u2028": "een nieuwe regel (U+2028)", "\u2029": "een nieuwe alinea (U+2029)"}
ONE_LINE_FIX = ("haal het weg: schrijf de tekst op één regel, zonder tabs, Enters of "
                "verborgen tekens.")
URL_EXAMPLE = ('gebruik het hele https://-adres uit de browser, bijvoorbeeld '
               '"https://www.oefenen.nl".')


def did_you_mean(value: str, choices: Collection[str], what: str) -> str:
    """A fix for an unknown ``value``: the closest choice, else the choices. ``what`` is
    the Dutch noun for a choice ("cursus"), for when there are none yet."""
    names = sorted(choices)
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if close:
        return f'bedoel je "{close[0]}"?'
    listed = ", ".join(names[:15]) + (", ..." if len(names) > 15 else "")
    return f"kies uit: {listed}." if names else f"voeg eerst een {what} toe."


def slug(text: str) -> str:
    """``text`` as a valid id: "Klik & Tik" -> "klik-tik"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "mijn-id"


def plain_spaces(text: str) -> str:
    """``text`` with every other kind of space (a no-break space from a word processor,
    a thin space) made the plain space: invisible, so a coordinator could not find it,
    and the rulebook allows only the plain one."""
    return "".join(" " if ch != " " and unicodedata.category(ch) == "Zs" else ch
                   for ch in text)


def bad_char(text: str) -> str | None:
    """The first character of ``text`` the rulebook refuses (:func:`kiosk.core.rules.bad_char`),
    described in Dutch ("een tab", "een ongeldig teken (U+FFFF)"), else None."""
    ch = rules.bad_char(text)
    if ch is None:
        return None
    if ch in CONTROL_NAMES:
        return CONTROL_NAMES[ch]
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return f"een verborgen teken (U+{ord(ch):04X})"
    return f"een ongeldig teken (U+{ord(ch):04X}) dat een spreadsheet niet kan bewaren"


def stacked_marks(text: str) -> int | None:
    """How many accents the first over-stacked letter of ``text`` has
    (:func:`kiosk.core.rules.combining_stack`), else None."""
    stack = rules.combining_stack(text)
    if stack is None:
        return None
    return sum(unicodedata.category(ch).startswith("M") for ch in stack)


def name_problem(key: str, name: str) -> tuple[str, str] | None:
    """What is wrong with a place name (``key`` of a :data:`NAME_FIELDS` field), as the
    rulebook decides (:func:`kiosk.core.rules.name_problem`), as (message, fix); None
    when the kiosk may store it."""
    problem = rules.name_problem(name)
    if problem is None:
        return None
    if len(rules.clean_text(name)) > rules.MAX_NAME:
        return (f"{key} is te lang ({len(name)} tekens, hooguit {rules.MAX_NAME})",
                "maak de naam korter: hij staat op een knop voor medewerkers, in de "
                "export en in het verslag.")
    if problem == rules.MARKUP:
        return (f"{key} heeft het teken < of > (de kiosk zou de naam dan als opmaak lezen)",
                "haal de tekens < en > weg uit de naam (haakjes ( ) mogen wel).")
    return f"{key} kan niet: {problem}", "typ de naam opnieuw, zonder bijzondere tekens."


def hard_words(text: str) -> list[str]:
    """The words of ``text`` (as written) that are in :data:`HARD_WORDS`, or a simple
    plural of one: "Ik vind formulieren invullen moeilijk." -> ["formulieren"]."""
    return [word for word in WORD_PATTERN.findall(text)
            if any(word.lower().removesuffix(end) in HARD_WORDS
                   for end in PLURAL_ENDINGS if word.lower().endswith(end))]


def negations(text: str) -> list[str]:
    """The negation words in ``text`` (whole words only: "nieuw" is fine)."""
    return [match[0] for match in NEGATION_PATTERN.finditer(text)]



def url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with a course address, as (message, fix), or None."""
    if any(ch.isspace() for ch in url):
        return "heeft een spatie", "haal de spaties weg (of schrijf ze als %20)."
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises for an unclosed [ in the host
    except ValueError:  # e.g. an unclosed [ in the host
        return "is geen geldig webadres", URL_EXAMPLE
    if parts.scheme.lower() != "https":
        return "moet beginnen met https://", URL_EXAMPLE
    if "@" in parts.netloc:
        return ("mag geen gebruikersnaam of wachtwoord bevatten",
                "haal het deel tot en met @ weg; " + URL_EXAMPLE)
    host = parts.hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return ("is een IP-adres, niet de naam van een website",
                "gebruik de naam van de website, bijvoorbeeld https://www.oefenen.nl.")
    if "." not in host:
        return "heeft na https:// geen geldige naam van een website", URL_EXAMPLE
    if not host.isascii():
        return ("heeft letters in de naam van de website die geen gewone a-z zijn (een "
                "letter die erop lijkt, kan naar een andere website leiden)",
                "typ het adres opnieuw met de letters a-z, cijfers, punten en streepjes.")
    if not re.fullmatch(r"[a-z0-9.-]+", host):
        return ("heeft tekens in de naam van de website die daar niet mogen",
                "gebruik na https:// alleen de letters a-z, cijfers, punten en streepjes.")
    return None


def punycode_host(url: str) -> bool:
    """The address's web name has an internationalised (xn--) part."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # not a valid address: url_problem has said so
        return False
    return any(label.startswith("xn--") for label in host.split("."))


def qr_problem(url: str) -> str | None:
    """Why the QR code of ``url`` (tagged, the longest way) is too dense to scan, or None."""
    link = course_link(url, LONGEST_KIND, True)
    try:
        size = qr_size(link)
    except Exception:  # noqa: BLE001 - qrcode raises its own overflow error
        return f"is te lang voor een QR-code ({len(url)} tekens)"
    if size > QR_MAX_MODULES:
        return (f"is te lang voor een QR-code die je van een stap afstand kunt scannen "
                f"({len(url)} tekens; de code wordt {size} blokjes breed, hooguit "
                f"{QR_MAX_MODULES})")
    return None



def long_word(text: str) -> str | None:
    """The first word of ``text`` too long for a line of the smallest screen, else None."""
    return next((w for w in WORD_SPLIT.split(text) if len(w) > MAX_WORD_CHARS), None)


def value_problem(kind: str | None, key: str, value: str, pictograms: Collection[str]
                  ) -> tuple[str, str] | None:
    """What is wrong with ``key`` = ``value`` (already a clean text) of a ``kind`` table,
    as (message, fix): the checks that need only the value itself; None when it is fine.
    ``pictograms`` are the names of the pictograms there are."""
    words = len(value.split())
    if kind == "approach" and key == "name" and value.casefold() == NO_APPROACH:
        return ('de naam "Geen" is al de eigen knop van de kiosk (een sessie zonder '
                "bijzondere aanpak)", "haal deze aanpak weg, of geef hem een naam die zegt "
                'wat je doet, zoals "Bakfiets op de markt".')
    if (kind, key) in NAME_FIELDS:
        return name_problem(key, value)
    if (kind, key) in LIBRARY_TEXTS and any(ch in rules.MARKUP_CHARS for ch in value):
        return (f"{key} heeft het teken < of > (het einde van een bezoek en het briefje "
                "tonen de tekst zoals je hem schrijft)", "haal de tekens < en > weg.")
    if key == "id" and not ID_PATTERN.match(value):
        return (f'id "{value}" mag alleen kleine letters, cijfers en streepjes (-) hebben',
                f'gebruik bijvoorbeeld "{slug(value)}".')
    if key == "pictogram" and value not in pictograms:
        return (f'er is geen pictogram "{value}"',
                f"{did_you_mean(value, pictograms, 'pictogram')} "
                "(de bestandsnamen in ui/pictograms/)")
    if key == "url" and (problem := url_problem(value)):
        return f'url {problem[0]} (is nu "{value[:80]}")', problem[1]
    if key == "url" and (dense := qr_problem(value)):
        return (f"url {dense}", "gebruik een korter https://-adres: een eigen korte link van "
                "de bibliotheek naar de pagina, of de startpagina van de website.")
    if kind == "statement" and key == "text" and (
            words > MAX_WORDS or len(value) > MAX_TEXT_CHARS):
        return (f"text is te lang ({words} woorden, {len(value)} tekens; "
                f"hooguit {MAX_WORDS} woorden en {MAX_TEXT_CHARS} tekens)",
                'maak er één kort idee van, zoals "Ik vind formulieren invullen moeilijk."')
    if kind == "statement" and key == "text" and (found := negations(value)):
        return (f'text heeft het woord "{found[0]}": "oneens" wordt dan een dubbele '
                "ontkenning, en die begrijpen veel lezers verkeerd",
                f"schrijf de stelling positief, zonder \"{found[0]}\", bijvoorbeeld "
                f"{POSITIVE_EXAMPLE}")
    if kind == "statement" and key == "uitleg" and (
            words > MAX_UITLEG_WORDS or len(value) > MAX_UITLEG_CHARS):
        return (f"uitleg is te lang ({words} woorden, {len(value)} tekens; "
                f"hooguit {MAX_UITLEG_WORDS} woorden en {MAX_UITLEG_CHARS} tekens)",
                'maak er één korte zin van, zoals "Met DigiD laat je op internet zien wie je '
                'bent."')
    if kind == "statement" and key == "uitleg" and re.search(r"[.!?]\s+[A-Z]", value):
        return ("uitleg moet één zin zijn", 'houd één korte zin over, zoals "Met DigiD laat '
                'je op internet zien wie je bent."')
    if kind in ("partner", "signal") and key == "name" and len(value) > MAX_NAME_CHARS:
        return (f"name is te lang ({len(value)} tekens, hooguit {MAX_NAME_CHARS})",
                "maak er een paar woorden van: de naam staat op een knop voor medewerkers.")
    if kind == "signal" and key == "id" and value == OTHER_SIGNAL:
        return (f'de id "{OTHER_SIGNAL}" is al de eigen knop "Anders" van de kiosk (met een '
                "korte tekst)", "haal dit signaal weg, of geef het een andere id.")
    if kind == "signal" and key == "name" and value.casefold() == OTHER_SIGNAL:
        return ('de naam "Anders" is al de eigen knop van de kiosk (met een korte tekst)',
                "haal dit signaal weg, of geef het een naam die zegt wat je hoorde.")
    if kind == "approach" and key == "id" and value == NO_APPROACH:
        return (f'de id "{NO_APPROACH}" is al de eigen knop "Geen" van de kiosk (een sessie '
                "zonder bijzondere aanpak)", "haal deze aanpak weg, of geef hem een andere id.")
    if kind in ("course", "partner", "approach") and key == "line" \
            and len(value) > MAX_LINE_CHARS:
        return (f"line is te lang ({len(value)} tekens, hooguit {MAX_LINE_CHARS})",
                "maak er één korte zin van.")
    if kind == "location" and key == "kind" and value not in PLACE_KINDS:
        return f'er is geen soort plek "{value}"', did_you_mean(value, PLACE_KINDS, "soort plek")
    if kind == "set" and key == "language" and value not in LANGUAGES:
        return (f'taal "{value}" kan niet: de kiosk spreekt voorlopig alleen Nederlands',
                'schrijf language = "nl".')
    if kind == "rule" and key == "answer" and value not in ANSWERS:
        return f'onbekend antwoord "{value}"', f"kies uit: {', '.join(ANSWERS)}."
    if (limit := TEXT_LIMITS.get((kind or "", key))) is not None and len(value) > limit:
        return (f"{key} is te lang ({len(value)} tekens, hooguit {limit})",
                "maak het korter: de uitspraak is voor één woord of teken."
                if kind == "pronounce" else
                "maak het korter: het staat op de schermen zoals je het schrijft.")
    if (kind, key) in BIG_WORDS and (word := long_word(value)):
        return (f'het woord "{word[:40]}" is te lang voor het kleinste scherm '
                f"({len(word)} letters, hooguit {MAX_WORD_CHARS})",
                "gebruik een korter woord, of breek het met een streepje (-).")
    return None
