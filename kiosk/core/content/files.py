"""Reading the content files: which files, TOML, where a problem is, and each table's shape.

A :class:`FileReader` finds the files of one or more content folders, parses
each one (tomllib, its English messages made Dutch), checks the names, fields
and types of every table and each value (:func:`kiosk.core.content.values.value_problem`),
and collects every :class:`Problem` with its file and line. The checks between
files and the model are :mod:`kiosk.core.content`'s. Standard library only; no Qt.
"""

from __future__ import annotations

import codecs
import functools
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core import rules
from kiosk.core.content.values import (
    NAME_FIELDS,
    ONE_LINE_FIX,
    bad_char,
    did_you_mean,
    plain_spaces,
    punycode_host,
    stacked_marks,
    value_problem,
)
from kiosk.core.safefile import CONTENT_LIMIT, UnsafeFile, read_regular

#: The fields of each kind of table, text but FLAG_FIELDS and COUNT_FIELDS; all required
#: but OPTIONAL_FIELDS.
FIELDS: dict[str, tuple[str, ...]] = {
    "library": ("name", "address", "hours", "phone", "default_set", "per_visit", "outbox",
                "volume", "invitation_minutes"),
    "theme": ("id", "name", "pictogram"),
    "course": ("id", "name", "line", "url", "pictogram", "punycode"),
    "rule": ("statement", "answer", "course"),
    "location": ("name", "kind"),
    "set": ("id", "name", "language"),
    "statement": ("id", "text", "pictogram", "theme", "uitleg"),
    "qr": ("tags",),
    "partner": ("id", "name", "line"),
    "signal": ("id", "name"),
    "approach": ("id", "name", "line"),
    "pronounce": ("written", "spoken"),
}
OPTIONAL_FIELDS = {"address", "hours", "phone", "default_set", "tags", "per_visit", "uitleg",
                   "punycode", "outbox", "volume", "invitation_minutes"}
#: Fields that hold true or false instead of text.
FLAG_FIELDS = {"tags", "punycode"}
#: Fields that hold a whole number from 1, or the text "all" (kept as text: "3", "all").
COUNT_FIELDS = {"per_visit"}
#: Fields that hold a whole number from 0 to 100 (kept as text: "80").
PERCENT_FIELDS = {"volume"}
#: Fields that hold a whole number of minutes from 0 to 60 (kept as text: "5"; 0: off).
MINUTE_FIELDS = {"invitation_minutes"}
MAX_MINUTES = 60
#: The top-level names of each file: name -> shape ("table", "array" or "text").
FILES: dict[str, dict[str, str]] = {
    "library.toml": {"library": "table", "qr": "table"},
    "themes.toml": {"theme": "array"},
    "courses.toml": {"course": "array"},
    "rules.toml": {"default_course": "text", "rule": "array"},
    "locations.toml": {"location": "array"},
    "partners.toml": {"partner": "array"},
    "signals.toml": {"signal": "array"},
    "approaches.toml": {"approach": "array"},
    "uitspraak.toml": {"pronounce": "array"},
}
SET_FILE = {"set": "table", "statement": "array"}  # sets/<name>.toml
OPTIONAL_FILES = {"locations.toml", "partners.toml", "signals.toml", "approaches.toml",
                  "uitspraak.toml"}
REQUIRED_KEYS = {"library", "theme", "course", "default_course", "set", "statement", "partner",
                 "signal", "approach", "pronounce"}
TYPE_NAMES = {int: "een getal", float: "een getal", bool: "true/false", list: "een lijst",
              dict: "een tabel"}
#: Texts for ``per_visit`` that mean "every statement of the set".
ALL_WORDS = ("all", "alle")
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
class Item:
    """One table of a file (a ``[[course]]``, the ``[library]``, or the file's top level
    when kind is None) with its good values."""

    file: str
    text: str
    kind: str | None
    index: int
    label: str | None
    values: dict[str, str]
    #: A workbook's sheet!cell for (kind, index, key); None: a TOML file (file and line).
    places: Callable[[str | None, int, str | None], str] | None = None

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def where(self, key: str | None = None) -> tuple[str, int | None]:
        """Where ``key`` of this table is: (file, line), or (sheet!cell, None)."""
        if self.places is not None:
            return self.places(self.kind, self.index, key), None
        return self.file, self.line(key)

    def line(self, key: str | None = None) -> int | None:
        return _find_line(self.text, self.kind, self.index, key)


def table_label(kind: str, index: int, raw: dict[str, Any]) -> str:
    """How a message names a table: 'course "x"', 'course nr. 3', 'library' (the table
    names stay as the coordinator types them)."""
    name = raw.get("name" if kind == "location" else "id")
    if isinstance(name, str) and name.strip() and rules.bad_char(name.strip()) is None:
        return f'{kind} "{name.strip()}"'
    return kind if kind in ("library", "set", "qr") else f"{kind} nr. {index}"



def toml_message(message: str) -> str:
    """tomllib's ``message`` (English, without its position) in Dutch, when it is a known one."""
    message = message.removesuffix(" (at end of document)")
    for english, dutch in TOML_MESSAGES:
        if match := re.fullmatch(english, message):
            return dutch.format(*match.groups())
    return message



class FileReader:
    """Reads content files, checks their shape and each value, and collects problems
    (with file and line). :class:`kiosk.core.content._Reader` adds the checks between
    files and builds the model."""

    def __init__(self, pictograms: frozenset[str]) -> None:
        self.pictograms = pictograms
        self.problems: list[Problem] = []
        #: Things to fix that do not stop the kiosk (see :attr:`Content.warnings`).
        self.warnings: list[Problem] = []

    def add(self, file: str, line: int | None, item: str | None, message: str, fix: str) -> None:
        self.problems.append(Problem(file, line, item, message, fix))

    def at(self, item: Item, key: str | None, message: str, fix: str) -> None:
        """Report a problem with ``key`` of ``item``, at its line."""
        self.add(*item.where(key), item.label, message, fix)

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
                     f"geef het de goede naam: {did_you_mean(rel, FILES, 'bestandsnaam')}")
        for rel in sorted(FILES.keys() - found.keys() - OPTIONAL_FILES):
            self.add(str(dirs[0] / rel), None, None, "het bestand ontbreekt",
                     f"kopieer {rel} uit {DEFAULT_FOLDER}.")
        return found

    def read(self, path: Path, spec: dict[str, str]) -> dict[str, list[Item]] | None:
        """Decode, parse and check one file; None (with a problem) if it cannot be read."""
        name = str(path)
        try:
            raw = read_regular(path, CONTENT_LIMIT).removeprefix(codecs.BOM_UTF8)
            text = raw.decode("utf-8")
            data = tomllib.loads(text)
        except UnsafeFile as error:  # a FIFO, a device, far too large: never hang on it
            self.add(name, None, None, error.reason, f"{error.fix}.")
            return None
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
            detail = toml_message(str(error)[: match.start()] if match else str(error))
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
        return self.parse(Item(name, text, None, 1, None, {}), data, spec)

    def parse(self, top: Item, data: dict[str, Any], spec: dict[str, str]
              ) -> dict[str, list[Item]]:
        """Check a file's top-level names; return name -> its tables ("" -> the top level)."""
        parsed = {"": [top]}
        for key, value in data.items():
            shape = spec.get(key)
            if shape is None:
                self.at(top, key, f'onbekende naam "{key}"',
                        did_you_mean(key, spec, "naam") + " Of haal hem weg.")
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
            self.add(*top.where(key), None, f"geen {key} in dit bestand",
                     fix + f" (zie {DEFAULT_FOLDER}).")
        return parsed

    def clean(self, item: Item, key: str, value: Any, required: bool) -> str | None:
        """Keep ``value`` in ``item`` as a clean text, or report why not.

        Clean: no outer white space, other spaces (a no-break space) made plain ones;
        a name the kiosk stores (:data:`~kiosk.core.content.values.NAME_FIELDS`) exactly
        as the rulebook stores it (:func:`kiosk.core.rules.clean_text`). Refused: what
        the rulebook refuses in any text (:func:`kiosk.core.rules.bad_char`: tabs and
        Enters in a text that is not a name, hidden and XML-invalid characters;
        :func:`kiosk.core.rules.combining_stack`)."""
        if not isinstance(value, str):
            kind = TYPE_NAMES.get(type(value), type(value).__name__)
            self.at(item, key, f"{key} moet tekst tussen dubbele aanhalingstekens zijn "
                    f"(is nu {kind})", f'schrijf {key} = "...".')
            return None
        if (item.kind, key) in NAME_FIELDS:  # stored: exactly as the rulebook cleans it
            text = rules.clean_text(value)
        else:  # shown only: a tab or an Enter is a mistake to point at
            text = plain_spaces(value.strip())
        if bad := bad_char(text):
            self.at(item, key, f"{key} bevat {bad}", ONE_LINE_FIX)
            return None
        if marks := stacked_marks(text):
            self.at(item, key, f"{key} heeft een letter met {marks} accenten op elkaar",
                    "typ de letter opnieuw, met hooguit één accent.")
            return None
        if required and not text:
            self.at(item, key, f"{key} is leeg", f"vul {key} in.")
            return None
        item.values[key] = text
        return text

    def flag(self, item: Item, key: str, value: Any) -> None:
        """Keep a true/false ``value`` in ``item`` (as "true"/"false"); or report why not."""
        if isinstance(value, bool):
            item.values[key] = "true" if value else "false"
            return
        kind = f'tekst "{value}"' if isinstance(value, str) else TYPE_NAMES.get(
            type(value), type(value).__name__)
        self.at(item, key, f"{key} moet true of false zijn (is nu {kind})",
                f"schrijf {key} = true of {key} = false, zonder aanhalingstekens.")

    def count(self, item: Item, key: str, value: Any) -> None:
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

    def percent(self, item: Item, key: str, value: Any) -> None:
        """Keep a whole number from 0 to 100 in ``item`` (as text); or report why not."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            item.values[key] = str(value)
            return
        kind = f'tekst "{value}"' if isinstance(value, str) else str(value) if isinstance(
            value, int | float) and not isinstance(value, bool) else TYPE_NAMES.get(
            type(value), type(value).__name__)
        self.at(item, key, f"{key} moet een heel getal van 0 tot 100 zijn (is nu {kind})",
                f"schrijf bijvoorbeeld {key} = 80 (zonder aanhalingstekens).")

    def minutes(self, item: Item, key: str, value: Any) -> None:
        """Keep a whole number of minutes from 0 to 60 in ``item`` (as text); or report why not."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_MINUTES:
            item.values[key] = str(value)
            return
        kind = f'tekst "{value}"' if isinstance(value, str) else str(value) if isinstance(
            value, int | float) and not isinstance(value, bool) else TYPE_NAMES.get(
            type(value), type(value).__name__)
        self.at(item, key, f"{key} moet een heel getal van 0 tot {MAX_MINUTES} zijn "
                f"(is nu {kind})",
                f"schrijf bijvoorbeeld {key} = 5 (om de 5 minuten), of {key} = 0 (uit).")

    def table(self, top: Item, kind: str, index: int, raw: dict[str, Any]) -> Item:
        """Check one table's fields and values."""
        item = Item(top.file, top.text, kind, index, table_label(kind, index, raw), {},
                    top.places)
        for key, value in raw.items():
            if key not in FIELDS[kind]:
                self.at(item, key, f'onbekend veld "{key}"',
                        did_you_mean(key, FIELDS[kind], "veld") + " Of haal de regel weg.")
            elif key in FLAG_FIELDS:
                self.flag(item, key, value)
            elif key in COUNT_FIELDS:
                self.count(item, key, value)
            elif key in PERCENT_FIELDS:
                self.percent(item, key, value)
            elif key in MINUTE_FIELDS:
                self.minutes(item, key, value)
            elif (text := self.clean(item, key, value, key not in OPTIONAL_FIELDS)) is not None \
                    and (problem := value_problem(kind, key, text, self.pictograms)):
                self.at(item, key, *problem)
        for key in FIELDS[kind]:
            if key not in raw and key not in OPTIONAL_FIELDS:
                self.at(item, None, f"{key} ontbreekt", f'voeg hier een regel {key} = "..." toe.')
        url = item.values.get("url", "")
        if kind == "course" and punycode_host(url) and item.values.get("punycode") != "true":
            self.at(item, "url", "url heeft een naam van een website met bijzondere letters "
                    "(xn--); zo'n naam kan lijken op die van een andere website",
                    "kijk het adres letter voor letter na; klopt het, zet dan de regel "
                    "punycode = true bij deze cursus.")
        return item

