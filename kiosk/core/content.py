"""Read the content folders (TOML) into a :class:`~kiosk.core.model.Content`, and check them.

Every problem names the file, the line (or the item) and a fix, in Dutch: coordinators
read them (``kiosk check``). All problems are collected before :class:`ContentError` is
raised, so a coordinator fixes them in one go. Things worth fixing that do not stop the
kiosk (a hard word without word help) become :attr:`~kiosk.core.model.Content.warnings`.
Standard library only; no Qt.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import functools
import ipaddress
import json
import logging
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk import paths
from kiosk.core.files import write_text
from kiosk.core.model import (
    ANSWERS,
    OTHER_SIGNAL,
    PLACE_KINDS,
    Content,
    Course,
    Library,
    Location,
    Partner,
    Rule,
    SignalKind,
    Statement,
    StatementSet,
)
from kiosk.core.qr import course_link, qr_size

log = logging.getLogger(__name__)

MAX_WORDS, MAX_TEXT_CHARS, MAX_LINE_CHARS = 12, 90, 80
#: A partner's or a signal's name: a few words on a staff button.
MAX_NAME_CHARS = 60
#: More combining marks (accents) than this on one letter is a stack, not a language:
#: Dutch needs one ("e" + U+0301), Vietnamese two.
MAX_COMBINING_MARKS = 2
#: Word help (``uitleg``): one short sentence.
MAX_UITLEG_WORDS, MAX_UITLEG_CHARS = 15, 100
#: Statements per visit when library.toml does not say (``per_visit``).
DEFAULT_PER_VISIT = 3
#: Texts for ``per_visit`` that mean "every statement of the set".
ALL_WORDS = ("all", "alle")
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
SNAPSHOT_VERSION = 1

#: The fields of each kind of table, text but FLAG_FIELDS and COUNT_FIELDS; all required
#: but OPTIONAL_FIELDS.
FIELDS: dict[str, tuple[str, ...]] = {
    "library": ("name", "address", "hours", "phone", "default_set", "per_visit", "outbox"),
    "theme": ("id", "name", "pictogram"),
    "course": ("id", "name", "line", "url", "pictogram", "punycode"),
    "rule": ("statement", "answer", "course"),
    "location": ("name", "kind"),
    "set": ("id", "name", "language"),
    "statement": ("id", "text", "pictogram", "theme", "uitleg"),
    "qr": ("tags",),
    "partner": ("id", "name", "line"),
    "signal": ("id", "name"),
}
OPTIONAL_FIELDS = {"address", "hours", "phone", "default_set", "tags", "per_visit", "uitleg",
                   "punycode", "outbox"}
#: Fields that hold true or false instead of text.
FLAG_FIELDS = {"tags", "punycode"}
#: The longest word (letters between spaces, hyphens or slashes) that still fits on a
#: line of the smallest screen: 1080 px wide in portrait, large text (tests/test_look.py
#: renders it). Longer words would be cut off.
MAX_WORD_CHARS = 20
WORD_SPLIT = re.compile(r"[\s\-/]+")
#: The most characters each text may have (where no closer rule says less): long texts
#: push the screens out of shape and slow every screen that shows them.
TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("library", "name"): 60, ("library", "address"): 100, ("library", "hours"): 100,
    ("library", "phone"): 30, ("course", "name"): 40, ("theme", "name"): 40,
    ("location", "name"): 60, ("set", "name"): 60,
}
#: Fields whose words are shown big to passers-by (they must fit, see MAX_WORD_CHARS).
BIG_WORDS = {("statement", "text"), ("statement", "uitleg"), ("course", "name"),
             ("course", "line")}
#: A QR code of at most this many modules a side (version 10) still scans from the
#: screen (5 cm) and an 80 mm slip; a longer address makes a denser code.
QR_MAX_MODULES = 57
#: The longest kind of place: the tagged link with it is the longest a QR code holds.
LONGEST_KIND = max(PLACE_KINDS, key=len)
#: Fields that hold a whole number from 1, or the text "all" (kept as text: "3", "all").
COUNT_FIELDS = {"per_visit"}
#: The top-level names of each file: name -> shape ("table", "array" or "text").
FILES: dict[str, dict[str, str]] = {
    "library.toml": {"library": "table", "qr": "table"},
    "themes.toml": {"theme": "array"},
    "courses.toml": {"course": "array"},
    "rules.toml": {"default_course": "text", "rule": "array"},
    "locations.toml": {"location": "array"},
    "partners.toml": {"partner": "array"},
    "signals.toml": {"signal": "array"},
}
SET_FILE = {"set": "table", "statement": "array"}  # sets/<name>.toml
OPTIONAL_FILES = {"locations.toml", "partners.toml", "signals.toml"}
REQUIRED_KEYS = {"library", "theme", "course", "default_course", "set", "statement", "partner",
                 "signal"}
TYPE_NAMES = {int: "een getal", float: "een getal", bool: "true/false", list: "een lijst",
              dict: "een tabel"}
CONTROL_NAMES = {"\t": "een tab", "\n": "een nieuwe regel (Enter)",
                 "\r": "een verborgen teken voor een nieuwe regel"}
ONE_LINE_FIX = ("haal het weg: schrijf de tekst op één regel, zonder tabs, Enters of "
                "verborgen tekens.")
URL_EXAMPLE = ('gebruik het hele https://-adres uit de browser, bijvoorbeeld '
               '"https://www.oefenen.nl".')
#: Where a coordinator finds an example of every file.
DEFAULT_FOLDER = "de standaard-inhoudsmap"
#: tomllib's messages (English, as regular expressions) and what a coordinator reads
#: instead ({0}: the first group); others stay as tomllib wrote them.
TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Invalid value", "deze waarde klopt niet (staat de tekst tussen dubbele aanhalingstekens?)"),
    (r"Invalid statement", "deze regel is geen naam = waarde"),
    (r"Expected newline or end of document after a statement",
     "na de waarde staat nog iets op deze regel"),
    (r"Expected '=' after a key in a key/value pair", "na de naam ontbreekt het = teken"),
    (r"Unterminated string", "het aanhalingsteken aan het eind van de tekst ontbreekt"),
    (r"Illegal character '\\n'", "het aanhalingsteken aan het eind van de tekst ontbreekt"),
    (r"Illegal character (.+)", "het teken {0} mag hier niet staan"),
    (r"Found invalid character (.+)", "het teken {0} mag hier niet staan"),
    (r"Cannot declare (.+) twice", "{0} staat er twee keer"),
    (r"Cannot overwrite a value", "deze naam heeft al een waarde"),
    (r"Expected '\]' at the end of a table declaration", "de ] aan het eind van de kop ontbreekt"),
    (r"Expected '\]\]' at the end of an array declaration",
     "de ]] aan het eind van de kop ontbreken"),
    (r"Unclosed array", "een lijst met [ is niet gesloten met ]"),
    (r"Unclosed inline table", "een tabel met { is niet gesloten met }"),
    (r"Invalid date or datetime", "dit is geen geldige datum of tijd"),
    (r"Invalid initial character for a key part", "de naam begint met een teken dat niet mag"),
    (r"Unescaped '\\' in a string", "een \\ in een tekst moet je dubbel schrijven: \\\\"),
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content: where it is, what is wrong, how to fix it."""

    file: str
    line: int | None
    item: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        item = f" {self.item}:" if self.item else ""
        return f"{where}:{item} {self.message.rstrip('.')}. Oplossing: {self.fix}"


class ContentError(Exception):
    """The content has problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        total = f"{n} {'probleem' if n == 1 else 'problemen'} in de inhoud."
        return "\n".join([*map(str, self.problems), total])


def _header(text: str) -> str | None:
    """The name in a ``[name]`` or ``[[name]]`` header line, else None."""
    match = re.match(r"\s*\[\[?\s*([A-Za-z0-9_-]+)\s*\]\]?", text)
    return match[1] if match else None


@functools.lru_cache(maxsize=32)
def _layout(text: str) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """A file's lines and, per table name, the line numbers of its headers (0-based).

    Read once per file: every problem then finds its line by looking inside its
    own table only, so checking stays linear in the size of the content.
    """
    lines = tuple(text.split("\n"))
    headers: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        name = _header(line)
        if name is not None:
            headers.setdefault(name, []).append(number)
    return lines, {name: tuple(numbers) for name, numbers in headers.items()}


def _find_line(text: str, kind: str | None, index: int, key: str | None) -> int | None:
    """Line of ``key =`` in the ``index``-th ``[[kind]]`` (the top level when kind is None),
    else that table's header line. tomllib gives no positions, so search the text."""
    lines, headers = _layout(text)
    start, header = 0, None
    if kind is not None:
        found = headers.get(kind, ())
        if index > len(found):
            return None
        header = start = found[index - 1]
        start += 1
    if key:
        for n in range(start, len(lines)):
            if _header(lines[n]) is not None:
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[n]):
                return n + 1
        if kind is None:
            return _find_line(text, key, 1, None)  # a top-level [key] or [[key]] table
    return None if header is None else header + 1


@dataclass
class _Item:
    """One table of a file (a ``[[course]]``, the ``[library]``, or the file's top level
    when kind is None) with its good values."""

    file: str
    text: str
    kind: str | None
    index: int
    label: str | None
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def line(self, key: str | None = None) -> int | None:
        return _find_line(self.text, self.kind, self.index, key)


def _label(kind: str, index: int, raw: dict[str, Any]) -> str:
    """How a message names a table: 'course "x"', 'course nr. 3', 'library' (the table
    names stay as the coordinator types them)."""
    name = raw.get("name" if kind == "location" else "id")
    if isinstance(name, str) and name.strip():
        return f'{kind} "{name.strip()}"'
    return kind if kind in ("library", "set", "qr") else f"{kind} nr. {index}"


def _did_you_mean(value: str, choices: Collection[str], what: str) -> str:
    """A fix for an unknown ``value``: the closest choice, else the choices. ``what`` is
    the Dutch noun for a choice ("cursus"), for when there are none yet."""
    names = sorted(choices)
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if close:
        return f'bedoel je "{close[0]}"?'
    listed = ", ".join(names[:15]) + (", ..." if len(names) > 15 else "")
    return f"kies uit: {listed}." if names else f"voeg eerst een {what} toe."


def _slug(text: str) -> str:
    """``text`` as a valid id: "Klik & Tik" -> "klik-tik"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "mijn-id"


def hidden_char(text: str) -> str | None:
    """The first control, format or lone surrogate character (Unicode Cc/Cf/Cs) in
    ``text``, else None. Shared by the content checks and :mod:`kiosk.core.freetext`."""
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs")), None)


def combining_stack(text: str) -> str | None:
    """The first letter of ``text`` with more than :data:`MAX_COMBINING_MARKS` combining
    marks stacked on it (with its marks), else None. Shared like :func:`hidden_char`."""
    start = run = 0
    for n, ch in enumerate(text):
        if unicodedata.category(ch).startswith("M"):
            run += 1
            if run > MAX_COMBINING_MARKS:
                end = n + 1
                while end < len(text) and unicodedata.category(text[end]).startswith("M"):
                    end += 1
                return text[start:end]
        else:
            start, run = n, 0
    return None


def _control_char(text: str) -> str | None:
    """The first hidden character (see :func:`hidden_char`) in ``text``, described."""
    ch = hidden_char(text)
    if ch is None:
        return None
    return CONTROL_NAMES.get(ch, f"een verborgen teken (U+{ord(ch):04X})")


def hard_words(text: str) -> list[str]:
    """The words of ``text`` (as written) that are in :data:`HARD_WORDS`, or a simple
    plural of one: "Ik vind formulieren invullen moeilijk." -> ["formulieren"]."""
    return [word for word in WORD_PATTERN.findall(text)
            if any(word.lower().removesuffix(end) in HARD_WORDS
                   for end in PLURAL_ENDINGS if word.lower().endswith(end))]


def negations(text: str) -> list[str]:
    """The negation words in ``text`` (whole words only: "nieuw" is fine)."""
    return [match[0] for match in NEGATION_PATTERN.finditer(text)]


def _count_value(text: str | None) -> int | None:
    """A checked ``per_visit`` as the model holds it: missing -> 3, "all" -> None."""
    if text is None:
        return DEFAULT_PER_VISIT
    return None if text in ALL_WORDS else int(text)


def _url_problem(url: str) -> tuple[str, str] | None:
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


def _punycode_host(url: str) -> bool:
    """The address's web name has an internationalised (xn--) part."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # not a valid address: _url_problem has said so
        return False
    return any(label.startswith("xn--") for label in host.split("."))


def _qr_problem(url: str) -> str | None:
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


def _toml_message(message: str) -> str:
    """tomllib's ``message`` (English, without its position) in Dutch, when it is a known one."""
    message = message.removesuffix(" (at end of document)")
    for english, dutch in TOML_MESSAGES:
        if match := re.fullmatch(english, message):
            return dutch.format(*match.groups())
    return message


def _long_word(text: str) -> str | None:
    return next((w for w in WORD_SPLIT.split(text) if len(w) > MAX_WORD_CHARS), None)


class _Reader:
    """Reads content folders and collects problems."""

    def __init__(self, pictograms: frozenset[str]) -> None:
        self.pictograms = pictograms
        self.problems: list[Problem] = []
        #: Things to fix that do not stop the kiosk (see :attr:`Content.warnings`).
        self.warnings: list[Problem] = []

    def add(self, file: str, line: int | None, item: str | None, message: str, fix: str) -> None:
        self.problems.append(Problem(file, line, item, message, fix))

    def at(self, item: _Item, key: str | None, message: str, fix: str) -> None:
        """Report a problem with ``key`` of ``item``, at its line."""
        self.add(item.file, item.line(key), item.label, message, fix)

    def files(self, dirs: list[Path]) -> dict[str, Path]:
        """Relative path -> file; a later folder's file replaces the same one of an earlier."""
        found: dict[str, Path] = {}
        for folder in dirs:
            if not folder.is_dir():
                self.add(str(folder), None, None, "inhoudsmap niet gevonden",
                         "kijk of de naam van de map klopt (--content MAP).")
            for path in sorted(folder.glob("*.toml")) + sorted(folder.glob("sets/*.toml")):
                found[path.relative_to(folder).as_posix()] = path
        for rel in [r for r in found if r not in FILES and not r.startswith("sets/")]:
            self.add(str(found.pop(rel)), None, None, "onbekend bestand in de inhoudsmap",
                     f"geef het de goede naam: {_did_you_mean(rel, FILES, 'bestandsnaam')}")
        for rel in sorted(FILES.keys() - found.keys() - OPTIONAL_FILES):
            self.add(str(dirs[0] / rel), None, None, "het bestand ontbreekt",
                     f"kopieer {rel} uit {DEFAULT_FOLDER}.")
        return found

    def read(self, path: Path, spec: dict[str, str]) -> dict[str, list[_Item]] | None:
        """Decode, parse and check one file; None (with a problem) if it cannot be read."""
        name = str(path)
        try:
            raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
            text = raw.decode("utf-8")
            data = tomllib.loads(text)
        except OSError as error:
            self.add(name, None, None, f"het bestand is niet te lezen ({error.strerror})",
                     "kijk of het bestand er is en of je het mag openen.")
            return None
        except UnicodeDecodeError as error:
            self.add(name, raw.count(b"\n", 0, error.start) + 1, None,
                     f"het bestand is geen UTF-8-tekst (byte 0x{raw[error.start]:02X})",
                     "sla het op als UTF-8 (Kladblok: Opslaan als, Codering UTF-8) en kijk "
                     "dan de letters met accenten op deze regel na.")
            return None
        except RecursionError:
            self.add(name, None, None, "het bestand heeft veel te veel lijsten of tabellen "
                     "in elkaar",
                     "een inhoudsbestand heeft hooguit twee lagen ([[statement]] met regels "
                     "naam = waarde); haal de extra haken [ ] weg.")
            return None
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(error))
            line = int(match[1]) if match else text.count("\n") + 1
            detail = _toml_message(str(error)[: match.start()] if match else str(error))
            if match:
                detail += f" (kolom {match[2]})"
            self.add(name, line, None, f"schrijffout in het bestand: {detail}",
                     'kijk deze regel na: tekst tussen "dubbele aanhalingstekens", één '
                     "naam = waarde per regel, [[haken]] gesloten.")
            return None
        if not data:
            self.add(name, None, None, "het bestand is leeg (of heeft alleen opmerkingen)",
                     f"vul het in zoals in {DEFAULT_FOLDER}, of gooi het weg.")
            return None
        return self.parse(_Item(name, text, None, 1, None, {}), data, spec)

    def parse(self, top: _Item, data: dict[str, Any], spec: dict[str, str]
              ) -> dict[str, list[_Item]]:
        """Check a file's top-level names; return name -> its tables ("" -> the top level)."""
        parsed = {"": [top]}
        for key, value in data.items():
            shape = spec.get(key)
            if shape is None:
                self.at(top, key, f'onbekende naam "{key}"',
                        _did_you_mean(key, spec, "naam") + " Of haal hem weg.")
            elif shape == "text":
                self.clean(top, key, value, required=True)
            elif shape == "table" and not isinstance(value, dict):
                self.at(top, key, f"{key} moet één tabel zijn",
                        f"schrijf [{key}] (enkele haken).")
            elif shape == "array" and not (
                    isinstance(value, list) and all(isinstance(v, dict) for v in value)):
                self.at(top, key, f"{key} moet een lijst van tabellen zijn",
                        f"begin elke {key} met een regel [[{key}]] (dubbele haken).")
            else:
                tables = [value] if shape == "table" else value
                parsed[key] = [self.table(top, key, n, raw) for n, raw in enumerate(tables, 1)]
        for key in sorted(k for k in REQUIRED_KEYS & spec.keys() if data.get(k, []) == []):
            fix = {"text": f'voeg een regel {key} = "..." toe',
                   "table": f"voeg een tabel [{key}] toe",
                   "array": f"voeg minstens één blok [[{key}]] toe"}[spec[key]]
            self.add(top.file, None, None, f"geen {key} in dit bestand",
                     fix + f" (zie {DEFAULT_FOLDER}).")
        return parsed

    def clean(self, item: _Item, key: str, value: Any, required: bool) -> str | None:
        """Keep ``value``, stripped of outer whitespace, in ``item``; or report why not."""
        if not isinstance(value, str):
            kind = TYPE_NAMES.get(type(value), type(value).__name__)
            self.at(item, key, f"{key} moet tekst tussen dubbele aanhalingstekens zijn "
                    f"(is nu {kind})", f'schrijf {key} = "...".')
            return None
        text = value.strip()
        if bad := _control_char(text):
            self.at(item, key, f"{key} bevat {bad}", ONE_LINE_FIX)
            return None
        if stack := combining_stack(text):
            marks = sum(unicodedata.category(ch).startswith("M") for ch in stack)
            self.at(item, key, f"{key} heeft een letter met {marks} accenten op elkaar",
                    "typ de letter opnieuw, met hooguit één accent.")
            return None
        if required and not text:
            self.at(item, key, f"{key} is leeg", f"vul {key} in.")
            return None
        item.values[key] = text
        return text

    def flag(self, item: _Item, key: str, value: Any) -> None:
        """Keep a true/false ``value`` in ``item`` (as "true"/"false"); or report why not."""
        if isinstance(value, bool):
            item.values[key] = "true" if value else "false"
            return
        kind = f'tekst "{value}"' if isinstance(value, str) else TYPE_NAMES.get(
            type(value), type(value).__name__)
        self.at(item, key, f"{key} moet true of false zijn (is nu {kind})",
                f"schrijf {key} = true of {key} = false, zonder aanhalingstekens.")

    def count(self, item: _Item, key: str, value: Any) -> None:
        """Keep a whole number from 1, or "all", in ``item`` (as text); or report why not."""
        if isinstance(value, str) and value.strip().lower() in ALL_WORDS:
            item.values[key] = "all"
            return
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            item.values[key] = str(value)
            return
        if isinstance(value, str):
            kind = f'tekst "{value}"'
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            kind = str(value)
        else:
            kind = TYPE_NAMES.get(type(value), type(value).__name__)
        self.at(item, key, f'{key} moet een heel getal vanaf 1 zijn, of "alle" (is nu {kind})',
                f'schrijf bijvoorbeeld {key} = 3 (zonder aanhalingstekens), of {key} = "alle" '
                "voor alle stellingen van de set.")

    def table(self, top: _Item, kind: str, index: int, raw: dict[str, Any]) -> _Item:
        """Check one table's fields and values."""
        item = _Item(top.file, top.text, kind, index, _label(kind, index, raw), {})
        for key, value in raw.items():
            if key not in FIELDS[kind]:
                self.at(item, key, f'onbekend veld "{key}"',
                        _did_you_mean(key, FIELDS[kind], "veld") + " Of haal de regel weg.")
            elif key in FLAG_FIELDS:
                self.flag(item, key, value)
            elif key in COUNT_FIELDS:
                self.count(item, key, value)
            elif (text := self.clean(item, key, value, key not in OPTIONAL_FIELDS)) is not None:
                self.check_value(item, key, text)
        for key in FIELDS[kind]:
            if key not in raw and key not in OPTIONAL_FIELDS:
                self.at(item, None, f"{key} ontbreekt", f'voeg hier een regel {key} = "..." toe.')
        url = item.values.get("url", "")
        if kind == "course" and _punycode_host(url) and item.values.get("punycode") != "true":
            self.at(item, "url", "url heeft een naam van een website met bijzondere letters "
                    "(xn--); zo'n naam kan lijken op die van een andere website",
                    "kijk het adres letter voor letter na; klopt het, zet dan de regel "
                    "punycode = true bij deze cursus.")
        return item

    def check_value(self, item: _Item, key: str, value: str) -> None:
        """The checks that need only the value itself."""
        kind, words = item.kind, len(value.split())
        if key == "id" and not ID_PATTERN.match(value):
            self.at(item, key, f'id "{value}" mag alleen kleine letters, cijfers en streepjes '
                    "(-) hebben", f'gebruik bijvoorbeeld "{_slug(value)}".')
        elif key == "pictogram" and value not in self.pictograms:
            self.at(item, key, f'er is geen pictogram "{value}"',
                    f"{_did_you_mean(value, self.pictograms, 'pictogram')} "
                    "(de bestandsnamen in ui/pictograms/)")
        elif key == "url" and (problem := _url_problem(value)):
            self.at(item, key, f'url {problem[0]} (is nu "{value[:80]}")', problem[1])
        elif key == "url" and (problem := _qr_problem(value)):
            self.at(item, key, f"url {problem}",
                    "gebruik een korter https://-adres: een eigen korte link van de "
                    "bibliotheek naar de pagina, of de startpagina van de website.")
        elif kind == "statement" and key == "text" and (
                words > MAX_WORDS or len(value) > MAX_TEXT_CHARS):
            self.at(item, key, f"text is te lang ({words} woorden, {len(value)} tekens; "
                    f"hooguit {MAX_WORDS} woorden en {MAX_TEXT_CHARS} tekens)",
                    'maak er één kort idee van, zoals "Ik vind formulieren invullen moeilijk."')
        elif kind == "statement" and key == "text" and (found := negations(value)):
            self.at(item, key, f'text heeft het woord "{found[0]}": "oneens" wordt dan een '
                    "dubbele ontkenning, en die begrijpen veel lezers verkeerd",
                    f"schrijf de stelling positief, zonder \"{found[0]}\", bijvoorbeeld "
                    f"{POSITIVE_EXAMPLE}")
        elif kind == "statement" and key == "uitleg" and (
                words > MAX_UITLEG_WORDS or len(value) > MAX_UITLEG_CHARS):
            self.at(item, key, f"uitleg is te lang ({words} woorden, {len(value)} tekens; "
                    f"hooguit {MAX_UITLEG_WORDS} woorden en {MAX_UITLEG_CHARS} tekens)",
                    'maak er één korte zin van, zoals "Met DigiD laat je op internet '
                    'zien wie je bent."')
        elif kind == "statement" and key == "uitleg" and re.search(r"[.!?]\s+[A-Z]", value):
            self.at(item, key, "uitleg moet één zin zijn",
                    'houd één korte zin over, zoals "Met DigiD laat je op internet zien wie '
                    'je bent."')
        elif kind in ("partner", "signal") and key == "name" and len(value) > MAX_NAME_CHARS:
            self.at(item, key, f"name is te lang ({len(value)} tekens, hooguit "
                    f"{MAX_NAME_CHARS})",
                    "maak er een paar woorden van: de naam staat op een knop voor medewerkers.")
        elif kind == "signal" and key == "id" and value == OTHER_SIGNAL:
            self.at(item, key, f'de id "{OTHER_SIGNAL}" is al de eigen knop "Anders" van de '
                    "kiosk (met een korte tekst)", "haal dit signaal weg, of geef het een "
                    "andere id.")
        elif kind == "signal" and key == "name" and value.casefold() == OTHER_SIGNAL:
            self.at(item, key, 'de naam "Anders" is al de eigen knop van de kiosk (met een '
                    "korte tekst)", "haal dit signaal weg, of geef het een naam die zegt wat "
                    "je hoorde.")
        elif kind in ("course", "partner") and key == "line" and len(value) > MAX_LINE_CHARS:
            self.at(item, key, f"line is te lang ({len(value)} tekens, hooguit "
                    f"{MAX_LINE_CHARS})", "maak er één korte zin van.")
        elif kind == "location" and key == "kind" and value not in PLACE_KINDS:
            self.at(item, key, f'er is geen soort plek "{value}"',
                    _did_you_mean(value, PLACE_KINDS, "soort plek"))
        elif kind == "set" and key == "language" and value not in LANGUAGES:
            self.at(item, key, f'taal "{value}" kan niet: de kiosk spreekt voorlopig alleen '
                    "Nederlands", 'schrijf language = "nl".')
        elif kind == "rule" and key == "answer" and value not in ANSWERS:
            self.at(item, key, f'onbekend antwoord "{value}"',
                    f"kies uit: {', '.join(ANSWERS)}.")
        elif (kind, key) in TEXT_LIMITS and len(value) > TEXT_LIMITS[kind or "", key]:
            limit = TEXT_LIMITS[kind or "", key]
            self.at(item, key, f"{key} is te lang ({len(value)} tekens, hooguit {limit})",
                    "maak het korter: het staat op de schermen zoals je het schrijft.")
        elif (kind, key) in BIG_WORDS and (word := _long_word(value)):
            self.at(item, key, f'het woord "{word[:40]}" is te lang voor het kleinste scherm '
                    f"({len(word)} letters, hooguit {MAX_WORD_CHARS})",
                    "gebruik een korter woord, of breek het met een streepje (-).")

    def unique(self, items: list[_Item], key: str) -> None:
        """No two items may share ``key``."""
        seen: dict[str, _Item] = {}
        for item in (i for i in items if key in i.values):
            first = seen.setdefault(item.values[key], item)
            if first is not item:
                self.at(item, key, f'{key} "{item.values[key]}" staat er twee keer (eerst '
                        f"in {first.file}:{first.line(key)})",
                        f"geef ze elk een eigen {key}.")

    def known(self, items: list[_Item], key: str, choices: Collection[str] | None,
              what: str) -> None:
        """Each item's ``key`` must be in ``choices`` (None: unreadable, so not checked);
        ``what`` is the Dutch noun for one choice ("cursus")."""
        for item in items:
            value = item.values.get(key)
            if choices is not None and value is not None and value not in choices:
                self.at(item, key, f'er is geen {what} "{value}"',
                        _did_you_mean(value, choices, what))

    def explained(self, statements: list[_Item]) -> None:
        """Warn about statements that use a hard word and have no uitleg."""
        for item in statements:
            found = hard_words(item.get("text"))
            if not found or item.get("uitleg"):
                continue
            unique = list(dict.fromkeys(found))
            words = ", ".join(f'"{word}"' for word in unique)
            self.warnings.append(Problem(
                item.file, item.line("text"), item.label,
                f"{'moeilijke woorden' if len(unique) > 1 else 'moeilijk woord'} {words} "
                "zonder uitleg (woordhulp)",
                f'zet onder de text een regel uitleg = "...": één korte zin die zegt wat '
                f'{words} {"betekenen" if len(unique) > 1 else "betekent"}, zoals '
                'uitleg = "Met DigiD laat je op internet zien wie je bent."'))

    def load(self, dirs: list[Path]) -> Content:
        """Read, check and build; problems are left in ``self.problems``."""
        files = self.files(dirs)
        parsed = {rel: self.read(path, SET_FILE if rel.startswith("sets/") else FILES[rel])
                  for rel, path in files.items()}
        set_files = sorted(rel for rel in files if rel.startswith("sets/"))
        if not set_files:
            self.add(str(dirs[0] / "sets"), None, None, "geen stellingensets gevonden",
                     "voeg een bestand sets/<naam>.toml toe, met een tabel [set] en blokken "
                     "[[statement]].")

        def items(key: str, *rels: str) -> list[_Item]:
            return [item for rel in rels for item in (parsed.get(rel) or {}).get(key, [])]

        def ids(found: list[_Item], rels: list[str], key: str = "id") -> set[str] | None:
            """The values of ``key``; None when a file or an id is unreadable (no cascade)."""
            if not rels or any(parsed.get(rel) is None for rel in rels):
                return None
            values = {item.values.get(key) for item in found}
            return None if None in values else values

        library, top = items("library", "library.toml"), items("", "rules.toml")
        qr = items("qr", "library.toml")
        themes, courses = items("theme", "themes.toml"), items("course", "courses.toml")
        rules, locations = items("rule", "rules.toml"), items("location", "locations.toml")
        heads, statements = items("set", *set_files), items("statement", *set_files)
        partners, signals = items("partner", "partners.toml"), items("signal", "signals.toml")
        for found, key in ((themes, "id"), (courses, "id"), (locations, "name"),
                           (heads, "id"), (statements, "id"), (partners, "id"), (signals, "id"),
                           (partners, "name"), (signals, "name")):
            self.unique(found, key)
        course_ids = ids(courses, ["courses.toml"])
        self.known(statements, "theme", ids(themes, ["themes.toml"]), "thema")
        self.known(rules, "statement", ids(statements, set_files), "stelling")
        self.known(rules, "course", course_ids, "cursus")
        self.known(top, "default_course", course_ids, "cursus")
        self.known([i for i in library if i.get("default_set")], "default_set",
                   ids(heads, set_files), "stellingenset")

        self.explained(statements)

        def make(cls: type, item: _Item) -> Any:
            names = {f.name for f in dataclasses.fields(cls)}  # check-only fields stay out
            return cls(**{key: _count_value(item.values.get(key)) if key in COUNT_FIELDS
                          else item.get(key) for key in FIELDS[item.kind or ""] if key in names})

        sets: dict[str, StatementSet] = {}
        for rel in set_files:
            for head in items("set", rel):
                found = tuple(make(Statement, s) for s in items("statement", rel))
                sets[head.get("id")] = StatementSet(
                    head.get("id"), head.get("name"), head.get("language"), found)
        return Content(
            library=make(Library, library[0]) if library else Library(name=""),
            sets=sets,
            courses={c.get("id"): make(Course, c) for c in courses},
            rules=tuple(make(Rule, r) for r in rules),
            default_course=top[0].get("default_course") if top else "",
            locations=tuple(make(Location, loc) for loc in locations),
            themes={t.get("id"): t.get("name") for t in themes},
            sources=tuple(str(path) for path in files.values()),
            qr_tags=bool(qr) and qr[0].get("tags") == "true",
            warnings=tuple(map(str, self.warnings)),
            partners={p.get("id"): make(Partner, p) for p in partners},
            signals={s.get("id"): make(SignalKind, s) for s in signals},
        )


def load_content(*dirs: Path, pictograms: frozenset[str] | None = None) -> Content:
    """Read content from ``dirs``; a later folder's file replaces the same file (same
    relative path) of an earlier one. Raise :class:`ContentError` with every problem."""
    reader = _Reader(paths.pictogram_names() if pictograms is None else pictograms)
    content = reader.load([Path(d) for d in dirs] or [paths.default_content_dir()])
    if reader.problems:
        raise ContentError(reader.problems)
    return content


def summary(content: Content) -> str:
    """One line about what was loaded, for ``kiosk check`` and the log."""
    parents = (Path(source).parent for source in content.sources)
    roots = dict.fromkeys(f"{p.parent if p.name == 'sets' else p}/" for p in parents)

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    statements = sum(len(s.statements) for s in content.sets.values())
    return (f"inhoud in orde: {count(statements, 'stelling', 'stellingen')} in "
            f"{count(len(content.sets), 'set', 'sets')}, "
            f"{count(len(content.courses), 'cursus', 'cursussen')}, "
            f"{count(len(content.rules), 'koppeling', 'koppelingen')}, "
            f"{count(len(content.locations), 'plek', 'plekken')}, "
            f"{count(len(content.partners), 'partner', 'partners')}, "
            f"{count(len(content.signals), 'signaal', 'signalen')}"
            f" (uit {' + '.join(roots) or '?'})")


def content_to_dict(content: Content) -> dict[str, Any]:
    """Content as plain JSON-able data (for the last-good snapshot)."""
    return {"version": SNAPSHOT_VERSION, **asdict(content)}


def content_from_dict(data: dict[str, Any]) -> Content:
    """The inverse of :func:`content_to_dict`; raises ValueError/KeyError/TypeError on bad data."""
    if data.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"unknown snapshot version {data.get('version')!r}")
    library = Library(**data["library"])
    count = library.per_visit
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ValueError(f"bad per_visit {count!r} in the snapshot")
    return Content(
        library=library,
        sets={key: StatementSet(s["id"], s["name"], s["language"],
                                tuple(Statement(**x) for x in s["statements"]))
              for key, s in data["sets"].items()},
        courses={key: Course(**c) for key, c in data["courses"].items()},
        rules=tuple(Rule(**r) for r in data["rules"]),
        default_course=data["default_course"],
        locations=tuple(Location(**loc) for loc in data["locations"]),
        themes=dict(data["themes"]),
        sources=tuple(data["sources"]),
        qr_tags=bool(data.get("qr_tags", False)),
        warnings=tuple(str(w) for w in data.get("warnings", ())),
        # snapshots written before partners and signals existed have neither
        partners={key: Partner(**p) for key, p in data.get("partners", {}).items()},
        signals={key: SignalKind(**s) for key, s in data.get("signals", {}).items()},
    )


def _write_snapshot(content: Content, snapshot: Path) -> None:
    """Write the snapshot atomically: a temp file next to it, then os.replace."""
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    write_text(snapshot, json.dumps(content_to_dict(content), ensure_ascii=False, indent=1))


def _read_snapshot(snapshot: Path) -> Content | None:
    """The snapshot's content; None if there is none (or it is unreadable)."""
    try:
        return content_from_dict(json.loads(snapshot.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("content snapshot %s is unreadable: %s", snapshot, error)
        return None


def load_with_fallback(dirs: list[Path], snapshot: Path, pictograms: frozenset[str] | None = None
                       ) -> tuple[Content, ContentError | None]:
    """Load for the running kiosk, which keeps the last good content.

    Success: write the snapshot, return (content, None). Failure: return the snapshot's
    content (else the first folder's alone: the bundled default) and the error.
    """
    dirs = [Path(d) for d in dirs] or [paths.default_content_dir()]
    try:
        content = load_content(*dirs, pictograms=pictograms)
    except ContentError as error:
        kept = _read_snapshot(snapshot)
        return (kept or load_content(dirs[0], pictograms=pictograms)), error
    try:
        _write_snapshot(content, snapshot)
    except OSError as error:
        log.warning("cannot write content snapshot %s: %s", snapshot, error)
    return content, None
