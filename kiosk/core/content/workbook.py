"""The content as one workbook (XLSX): write it, and read it back through the same checks.

A coordinator edits the content in Excel or LibreOffice Calc instead of TOML. One sheet
per kind (:data:`SHEETS`), Dutch headers with a comment, a frozen header row and
drop-down lists where a cell names something of another sheet. Reading turns the
sheets into the raw structures the TOML reader gets from ``tomllib`` (one per content
file: ``library.toml``, ``sets/<id>.toml``, ...) and runs the very same checks
(:class:`kiosk.core.content.ContentReader`); every problem then names its cell
(``stellingen!B7``) instead of a file and line. The workbook is hostile input: a
regular file of bounded size, a bounded unpacked size, bounded rows and columns,
opened read-only. Standard library and openpyxl only; no Qt.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kiosk import paths
from kiosk.core.content import ContentReader
from kiosk.core.content.files import FILES, SET_FILE, ContentError, Item
from kiosk.core.export import ExportError
from kiosk.core.files import file_mode, replacing
from kiosk.core.model import ANSWERS, PLACE_KINDS, Content
from kiosk.core.safefile import UnsafeFile, read_regular

#: The largest workbook accepted, packed and unpacked (bytes).
WORKBOOK_LIMIT = 16 * 1024 * 1024
UNPACKED_LIMIT = 128 * 1024 * 1024
#: The most rows (below the header) and columns read from one sheet.
MAX_ROWS = 5000
MAX_COLUMNS = 20
HEADER_FILL = PatternFill("solid", fgColor="F1E7D6")
FORMULA_STARTS = ("=", "+", "-", "@")
YES, NO = "ja", "nee"
YES_WORDS = {"ja", "true", "waar", "1", "yes"}
NO_WORDS = {"nee", "false", "onwaar", "0", "no"}


@dataclass(frozen=True)
class Column:
    header: str  # Dutch, as the coordinator sees it
    key: str  # the field of the content file
    comment: str
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    title: str
    rel: str  # the content file ("sets/" for the statement sets)
    kind: str  # the table kind in that file
    columns: tuple[Column, ...]
    required: bool = True


ID = "Een korte naam van kleine letters, cijfers en streepjes. Verander hem niet meer: " \
     "de tellingen horen erbij."
SHEETS: tuple[Sheet, ...] = (
    Sheet("stellingen", "sets/", "statement", (
        Column("id", "id", ID, 20),
        Column("tekst", "text", "De stelling: ik-vorm, één kort idee, hooguit 12 woorden. "
               "Zonder niet, geen of nooit.", 50),
        Column("thema", "theme", "Het id van een thema (werkblad thema's).", 18),
        Column("pictogram", "pictogram", "De naam van een plaatje uit ui/pictograms.", 20),
        Column("uitleg", "uitleg", "Woordhulp: één korte zin die een moeilijk woord uitlegt. "
               "Mag leeg.", 45),
        Column("set", "set", "Het id van de stellingenset (werkblad stellingensets).", 14),
    )),
    Sheet("stellingensets", "sets/", "set", (
        Column("id", "id", ID, 16),
        Column("naam", "name", "De naam van de set, voor de medewerkers.", 40),
        Column("taal", "language", "De taal: nl.", 8),
    )),
    Sheet("thema's", "themes.toml", "theme", (
        Column("id", "id", ID, 18),
        Column("naam", "name", "De naam van het thema (in het rapport).", 25),
        Column("pictogram", "pictogram", "De naam van een plaatje uit ui/pictograms.", 20),
    )),
    Sheet("cursussen", "courses.toml", "course", (
        Column("id", "id", ID, 16),
        Column("naam", "name", "De naam van de cursus.", 28),
        Column("regel", "line", "Eén korte zin over de cursus.", 50),
        Column("url", "url", "Het adres van de webpagina (https://...). Komt in de QR-code.", 35),
        Column("pictogram", "pictogram", "De naam van een plaatje uit ui/pictograms.", 20),
        Column("punycode", "punycode", "ja: het adres met xn-- is nagekeken. Meestal leeg.", 11),
    )),
    Sheet("regels", "rules.toml", "rule", (
        Column("stelling", "statement", "Het id van een stelling (werkblad stellingen).", 20),
        Column("antwoord", "answer", "eens, oneens of weet_niet.", 12),
        Column("cursus", "course", "Het id van de cursus die de kiosk dan aanraadt.", 16),
    )),
    Sheet("partners", "partners.toml", "partner", (
        Column("id", "id", ID, 20),
        Column("naam", "name", "De naam zoals mensen hem kennen.", 40),
        Column("regel", "line", "Eén korte zin: waarvoor kun je er terecht.", 55),
    ), required=False),
    Sheet("signalen", "signals.toml", "signal", (
        Column("id", "id", ID, 22),
        Column("naam", "name", "Wat medewerkers horen, in een paar woorden.", 40),
    ), required=False),
    Sheet("plekken", "locations.toml", "location", (
        Column("naam", "name", "De naam van de plek.", 25),
        Column("soort", "kind", "De soort plek: " + ", ".join(PLACE_KINDS) + ".", 14),
    ), required=False),
    Sheet("aanpakken", "approaches.toml", "approach", (
        Column("id", "id", ID, 20),
        Column("naam", "name", "De naam van de aanpak, in een paar woorden.", 30),
        Column("regel", "line", "Eén korte zin over de aanpak.", 55),
    ), required=False),
    Sheet("uitspraak", "uitspraak.toml", "pronounce", (
        Column("geschreven", "written", "Een woord of teken zoals het op het scherm staat, "
               "bijvoorbeeld &.", 24),
        Column("gezegd", "spoken", "Hoe de stem het zegt, geschreven zoals je het hoort, "
               "bijvoorbeeld en.", 40),
    ), required=False),
)
SETTINGS_SHEET = "bibliotheek"
#: The rows of the settings sheet: (setting, file, table kind or None for the top, key, help).
SETTINGS: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("naam", "library.toml", "library", "name", "De naam van de bibliotheek."),
    ("adres", "library.toml", "library", "address", "Het adres. Mag leeg."),
    ("openingstijden", "library.toml", "library", "hours", "Wanneer mensen terecht kunnen."),
    ("telefoon", "library.toml", "library", "phone", "Het telefoonnummer. Mag leeg."),
    ("standaardset", "library.toml", "library", "default_set",
     "De stellingenset waarmee de kiosk begint (werkblad stellingensets)."),
    ("stellingen per bezoek", "library.toml", "library", "per_visit",
     "Een heel getal vanaf 1, of alle."),
    ("outbox", "library.toml", "library", "outbox",
     "Een map die een synchronisatieprogramma meeneemt. Mag leeg."),
    ("qr-tags", "library.toml", "qr", "tags",
     "ja: de QR-code zegt de website waar de scan vandaan kwam (kiosk, soort plek)."),
    ("standaardcursus", "rules.toml", None, "default_course",
     "De cursus als geen regel past (werkblad cursussen)."),
    # last: the rows above keep their cells in workbooks made before it
    ("geluid", "library.toml", "library", "volume",
     "Hoe hard de kiosk voorleest bij een nieuwe sessie: 0 tot 100. Leeg: 80."),
    ("uitnodiging", "library.toml", "library", "invitation_minutes",
     "Lees de uitnodiging voor, elke zoveel minuten (0 tot 60). 0 of leeg: uit."),
)
#: Drop-down lists: (sheet, header) -> the list (a range of another sheet, or the words).
CHOICES = {
    ("stellingen", "thema"): "'thema''s'!$A$2:$A$1000",
    ("stellingen", "set"): "stellingensets!$A$2:$A$1000",
    ("regels", "stelling"): f"stellingen!$A$2:$A${MAX_ROWS + 1}",
    ("regels", "antwoord"): '"' + ",".join(ANSWERS) + '"',
    ("regels", "cursus"): "cursussen!$A$2:$A$1000",
    ("plekken", "soort"): '"' + ",".join(PLACE_KINDS) + '"',
    ("cursussen", "punycode"): f'"{YES},{NO}"',
}
SETTING_CHOICES = {"standaardset": CHOICES[("stellingen", "set")],
                   "standaardcursus": CHOICES[("regels", "cursus")],
                   "qr-tags": f'"{YES},{NO}"'}


# ---------------------------------------------------------------- writing

def workbook_rows(parsed: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Sheet title -> its rows (without the header), from checked content files
    (relative path -> tables, :meth:`ContentReader.parse_dirs`)."""
    def tables(rel: str, kind: str) -> list[Item]:
        return list((parsed.get(rel) or {}).get(kind, []))

    sets = sorted(rel for rel in parsed if rel.startswith("sets/"))
    out: dict[str, list[list[Any]]] = {}
    for sheet in SHEETS:
        rows = []
        for rel in sets if sheet.rel == "sets/" else [sheet.rel]:
            head = tables(rel, "set")
            set_id = head[0].get("id") if head else ""
            for item in tables(rel, sheet.kind):
                values = {**item.values, "set": set_id}
                rows.append([_out_cell(c.key, values.get(c.key, "")) for c in sheet.columns])
        if rows or sheet.required:
            out[sheet.title] = rows
    settings = []
    for label, rel, kind, key, _ in SETTINGS:
        found = tables(rel, kind) if kind else tables(rel, "")
        settings.append([label, _out_cell(key, found[0].get(key) if found else "")])
    out[SETTINGS_SHEET] = settings
    return out


def _out_cell(key: str, value: str) -> Any:
    """A checked value as a cell: flags as ja/nee, a count as a number or "alle"."""
    if key in ("tags", "punycode"):
        return YES if value == "true" else (NO if key == "tags" else None)
    if key == "per_visit":
        return "alle" if value == "all" else int(value) if value.isdigit() else value
    if key in ("volume", "invitation_minutes"):
        return int(value) if value.isdigit() else None
    return value or None


def write_workbook(parsed: dict[str, Any], out: Path) -> None:
    """Write the content as a workbook at ``out``: whole, or not at all (ExportError)."""
    from kiosk.core.xlsx import UnreadableWorkbook, check_xlsx

    book = Workbook()
    book.remove(book.active)
    rows = workbook_rows(parsed)
    for sheet in SHEETS:
        if sheet.title in rows:
            _write_sheet(book, sheet.title, [(c.header, c.comment, c.width) for c in sheet.columns],
                         rows[sheet.title])
    settings = _write_sheet(book, SETTINGS_SHEET, [
        ("instelling", "Wat je instelt (verander deze kolom niet).", 24),
        ("waarde", "De waarde; zie de opmerking bij elke instelling.", 50)],
        rows[SETTINGS_SHEET])
    for number, (label, *_, help_text) in enumerate(SETTINGS, 2):
        settings.cell(number, 1).comment = Comment(help_text, "Stellingenkiosk")
        if label in SETTING_CHOICES:
            _choices(settings, SETTING_CHOICES[label], f"B{number}")
    for (title, header), formula in CHOICES.items():
        if title in book.sheetnames:
            sheet = next(s for s in SHEETS if s.title == title)
            letter = get_column_letter([c.header for c in sheet.columns].index(header) + 1)
            _choices(book[title], formula, f"{letter}2:{letter}{MAX_ROWS + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    if not out.parent.is_dir():
        raise ExportError(f"Kan {out} niet schrijven: de map {out.parent} bestaat niet.")
    try:
        with replacing(out, mode=file_mode(), check=check_xlsx) as temporary:
            temporary.write_bytes(buffer.getvalue())
    except UnreadableWorkbook as error:
        raise ExportError(f"Kan {out} niet schrijven: de werkmap gaat niet open ({error}). "
                          "Er is niets geschreven.") from error
    except OSError as error:
        raise ExportError(f"Kan {out} niet schrijven: {error}. Kijk of je in de map mag "
                          "schrijven en of het bestand niet open staat.") from error


def _write_sheet(book: Workbook, title: str, columns: list[tuple[str, str, int]],
                 rows: list[list[Any]]):
    sheet = book.create_sheet(title)
    sheet.append([header for header, _, _ in columns])
    for number, (_, comment, width) in enumerate(columns, 1):
        cell = sheet.cell(1, number)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        cell.comment = Comment(comment, "Stellingenkiosk")
        sheet.column_dimensions[get_column_letter(number)].width = width
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text as typed, never a formula
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    return sheet


def _choices(sheet, formula: str, cells: str) -> None:
    check = DataValidation(type="list", formula1=formula, allow_blank=True)
    check.error = "Kies een waarde uit de lijst."
    check.errorTitle = "Onbekende waarde"
    sheet.add_data_validation(check)
    check.add(cells)


# ---------------------------------------------------------------- reading

#: How a problem names a table and a field in a workbook: the sheet's Dutch words.
KIND_NAMES = {"statement": "stelling", "set": "stellingenset", "theme": "thema",
              "course": "cursus", "rule": "regel", "partner": "partner", "signal": "signaal",
              "location": "plek", "approach": "aanpak", "library": "bibliotheek",
              "qr": "bibliotheek"}
HEADERS = {**{(s.kind, c.key): c.header for s in SHEETS for c in s.columns},
           **{(kind, key): label for label, _, kind, key, _ in SETTINGS}}


class _WorkbookReader(ContentReader):
    """The content checker, its words made the workbook's: a field is its column's
    header ("tekst", not "text"), a missing field points at its empty cell."""

    def at(self, item: Item, key: str | None, message: str, fix: str) -> None:
        missing = re.fullmatch(r"(\w+) ontbreekt", message)
        if key is None and missing:
            key, fix = missing[1], "vul deze cel in."
        header = HEADERS.get((item.kind, key or ""))
        if header and key and message.startswith(f"{key} "):
            message = header + message[len(key):]
            fix = fix.replace(f"vul {key} in", "vul deze cel in")
            if key in ("tags", "punycode"):
                message, fix = f"{header} moet ja of nee zijn", "kies ja of nee."
            elif key == "per_visit":
                fix = "schrijf een heel getal vanaf 1, zoals 3, of het woord alle."
            elif key == "volume":
                fix = "schrijf een heel getal van 0 tot 100, zoals 80."
            elif key == "invitation_minutes":
                fix = "schrijf een heel getal van 0 tot 60, zoals 5 (0 is uit)."
        label = item.label
        if label:
            kind, _, rest = label.partition(" ")
            label = f"{KIND_NAMES.get(kind, kind)} {rest}".strip()
        self.add(*item.where(key), label, message, fix)

def _in_cell(key: str, value: Any) -> Any:
    """A cell's value as the TOML reader would have it (None: empty)."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None:
        return None
    if key in ("tags", "punycode"):
        word = str(value).strip().lower() if not isinstance(value, bool) else value
        return True if word is True or word in YES_WORDS else \
            False if word is False or word in NO_WORDS else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if key in ("per_visit", "volume", "invitation_minutes"):
        return int(value) if isinstance(value, str) and value.isdigit() else value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


class _Source:
    """One content file's raw data (as tomllib gives it) and where each table is."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.data: dict[str, Any] = {}
        self.cells: dict[tuple[str | None, int], tuple[str, int, dict[str, str]]] = {}
        self.tops: dict[str, str] = {}
        #: For the settings sheet: table kind -> key -> its row.
        self.settings: dict[str, dict[str, int]] = {}

    def add(self, kind: str, sheet: str, row: int, letters: dict[str, str],
            raw: dict[str, Any], array: bool = True) -> None:
        if array:
            self.data.setdefault(kind, []).append(raw)
            index = len(self.data[kind])
        else:
            self.data[kind], index = raw, 1
        self.cells[(kind, index)] = (sheet, row, letters)
        self.tops.setdefault(kind, f"{sheet}!A{row}")

    def place(self, kind: str | None, index: int, key: str | None) -> str:
        rows = self.settings.get(kind or "")
        if rows is not None:
            return f"{SETTINGS_SHEET}!{'B' if key in rows else 'A'}{rows.get(key or '', 1)}"
        found = self.cells.get((kind, index))
        if found is None:
            return self.tops.get(key or "", f"{self.title}!A1")
        sheet, row, letters = found
        return f"{sheet}!{letters.get(key or '', 'A')}{row}"


def read_workbook(path: Path, pictograms: frozenset[str] | None = None
                  ) -> tuple[Content, dict[str, Any]]:
    """Check the workbook at ``path`` by the content rules; its content and files
    (relative path -> tables, for :mod:`kiosk.core.content.install`).

    Raises:
        ContentError: every problem, each with its sheet!cell.
    """
    reader = _WorkbookReader(paths.pictogram_names() if pictograms is None else pictograms)
    book = _open(Path(path), reader)
    if book is None:
        raise ContentError(reader.problems)
    try:
        sources = _sources(book, reader)
    finally:
        book.close()
    if "stellingensets" in book.sheetnames and not any(r.startswith("sets/") for r in sources):
        reader.add("stellingensets!A2", None, None, "geen stellingensets gevonden",
                   "zet minstens één set in het werkblad stellingensets.")
    parsed: dict[str, Any] = {}
    for rel, source in sources.items():
        top = Item(source.title, "", None, 1, None, {}, source.place)
        spec = SET_FILE if rel.startswith("sets/") else FILES[rel]
        parsed[rel] = reader.parse(top, source.data, spec)
    content = reader.build(parsed, (str(path),))
    if reader.problems:
        raise ContentError(reader.problems)
    return content, parsed


def _open(path: Path, reader: ContentReader):
    def refuse(message: str, fix: str) -> None:
        reader.add(str(path), None, None, message, fix)

    try:
        data = read_regular(path, WORKBOOK_LIMIT)
    except UnsafeFile as error:
        return refuse(error.reason, f"{error.fix}.")
    except FileNotFoundError:
        return refuse("de werkmap bestaat niet", "kijk of de naam en de map kloppen.")
    except OSError as error:
        return refuse(f"de werkmap is niet te lezen ({error.strerror})",
                      "kijk of het bestand er is en of je het mag openen.")
    fix = "sla de werkmap op als Excel-werkmap (.xlsx), in Excel of LibreOffice Calc."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            if sum(info.file_size for info in packed.infolist()) > UNPACKED_LIMIT:
                return refuse("de werkmap is uitgepakt veel te groot", fix)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a hostile file raises many kinds of errors
        return refuse("dit is geen werkmap die de kiosk kan lezen", fix)


def _rows(book, title: str, reader: ContentReader) -> list[tuple[Any, ...]] | None:
    rows = list(book[title].iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS,
                                      values_only=True))
    if len(rows) > MAX_ROWS + 1:
        reader.add(f"{title}!A{MAX_ROWS + 2}", None, None,
                   f"het werkblad heeft meer dan {MAX_ROWS} regels",
                   "haal lege of dubbele regels weg.")
        return None
    return rows


def _letters(title: str, header: tuple[Any, ...], columns: dict[str, str],
             reader: ContentReader) -> dict[int, str]:
    """Column number -> key, by the header row; unknown headers are problems."""
    found: dict[int, str] = {}
    for number, name in enumerate(header):
        text = str(name).strip().lower() if name is not None else ""
        if not text:
            continue
        if text in columns and columns[text] not in found.values():
            found[number] = columns[text]
        else:
            reader.add(f"{title}!{get_column_letter(number + 1)}1", None, None,
                       f'onbekende kolom "{name}"',
                       "gebruik de koppen van de werkmap die de kiosk maakte: "
                       + ", ".join(columns) + ".")
    return found


def _sources(book, reader: ContentReader) -> dict[str, _Source]:
    sources: dict[str, _Source] = {}
    titles = {s.title: s for s in SHEETS}
    for title in book.sheetnames:
        if title not in titles and title != SETTINGS_SHEET:
            reader.add(f"{title}!A1", None, None, f'onbekend werkblad "{title}"',
                       "gebruik de werkbladen van de werkmap die de kiosk maakte: "
                       + ", ".join([*titles, SETTINGS_SHEET]) + ".")
    for title in [t for t in [*titles, SETTINGS_SHEET] if t not in book.sheetnames]:
        if title == SETTINGS_SHEET or titles[title].required:
            reader.add(title, None, None, f'het werkblad "{title}" ontbreekt',
                       "maak een nieuwe werkmap met kiosk content export en neem dit "
                       "werkblad daaruit over.")
    set_ids = _set_heads(book, reader, sources) if "stellingensets" in book.sheetnames else {}
    for sheet in SHEETS:
        if sheet.title not in book.sheetnames or sheet.kind == "set":
            continue
        _table_sheet(book, sheet, reader, sources, set_ids)
    if SETTINGS_SHEET in book.sheetnames:
        _settings(book, reader, sources)
    return sources


def _table(book, sheet: Sheet, reader: ContentReader):
    """(row number, raw values, key -> letter) of each filled row of ``sheet``."""
    rows = _rows(book, sheet.title, reader)
    if not rows:
        return []
    keys = _letters(sheet.title, rows[0], {c.header: c.key for c in sheet.columns}, reader)
    letters = {c.key: get_column_letter(n + 1) for n, c in
               ((n, next(c for c in sheet.columns if c.key == k)) for n, k in keys.items())}
    for column in sheet.columns:  # a missing column: point at where it would go
        letters.setdefault(column.key, get_column_letter(len(rows[0]) + 1))
    out = []
    for number, row in enumerate(rows[1:], 2):
        raw = {key: value for n, key in keys.items()
               if n < len(row) and (value := _in_cell(key, row[n])) is not None}
        if raw:
            out.append((number, raw, letters))
    return out


def _set_heads(book, reader: ContentReader, sources: dict[str, _Source]) -> dict[str, str]:
    """Read the sets' heads; their id -> the file they become."""
    sheet = next(s for s in SHEETS if s.kind == "set")
    found: dict[str, str] = {}
    for number, raw, letters in _table(book, sheet, reader):
        rel = f"sets/{len(found) + 1:03d}.toml"
        set_id = raw.get("id")
        if isinstance(set_id, str) and set_id not in found:
            found[set_id] = rel
        source = sources.setdefault(rel, _Source(sheet.title))
        source.add("set", sheet.title, number, letters, raw, array=False)
    return found


def _table_sheet(book, sheet: Sheet, reader: ContentReader, sources: dict[str, _Source],
                 set_ids: dict[str, str]) -> None:
    if sheet.rel != "sets/":
        sources.setdefault(sheet.rel, _Source(sheet.title))
    for number, raw, letters in _table(book, sheet, reader):
        rel = sheet.rel
        if sheet.rel == "sets/":
            set_id = raw.pop("set", None)
            rel = set_ids.get(set_id) if isinstance(set_id, str) else None
            if rel is None:
                reader.add(f"{sheet.title}!{letters['set']}{number}", None, None,
                           "set is leeg" if set_id is None else
                           f'er is geen stellingenset "{set_id}"',
                           "kies het id van een set uit het werkblad stellingensets.")
                continue
        sources.setdefault(rel, _Source(sheet.title)).add(sheet.kind, sheet.title, number,
                                                          letters, raw)


def _settings(book, reader: ContentReader, sources: dict[str, _Source]) -> None:
    rows = _rows(book, SETTINGS_SHEET, reader) or []
    known = {label: (rel, kind, key) for label, rel, kind, key, _ in SETTINGS}
    tables: dict[tuple[str, str | None], tuple[dict[str, Any], dict[str, int]]] = {}
    for number, row in enumerate(rows[1:], 2):
        label = str(row[0]).strip().lower() if row and row[0] is not None else ""
        if not label:
            continue
        if label not in known:
            reader.add(f"{SETTINGS_SHEET}!A{number}", None, None,
                       f'onbekende instelling "{row[0]}"',
                       "gebruik de instellingen uit de werkmap die de kiosk maakte: "
                       + ", ".join(known) + ".")
            continue
        rel, kind, key = known[label]
        raw, where = tables.setdefault((rel, kind), ({}, {}))
        value = _in_cell(key, row[1] if len(row) > 1 else None)
        where[key] = number
        if value is not None:
            raw[key] = value
    for (rel, kind), (raw, where) in tables.items():
        source = sources.setdefault(rel, _Source(SETTINGS_SHEET))
        if kind is None:  # top-level values of the file
            source.data.update(raw)
            source.tops.update({k: f"{SETTINGS_SHEET}!B{n}" for k, n in where.items()})
        elif raw or kind == "library":
            source.add(kind, SETTINGS_SHEET, min(where.values(), default=1), {}, raw,
                       array=False)
            source.settings[kind] = where
