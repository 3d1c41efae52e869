"""Tallies as an Excel workbook (XLSX): one sheet per view.

Sheets, in this order:
    info:          intern or publiek (and how public counts are rounded), the filters, the
                   date the file was made, how to read it. First, so it is read first.
    stellingen:    per statement, in the order of the statement set, with its theme:
                   eens, oneens, weet niet (each with its percentage), total; via the
                   screen and via staff.
    plekken:       which place works: per place, kind of place, part of the day and
                   weekday (:mod:`kiosk.core.places`): sessions, staffed hours, visits,
                   visits per staffed hour, visits with an *eens*, referrals shown and
                   printed, conversations, signals.
    aanpak:        which approach works (:mod:`kiosk.core.approaches`): per approach,
                   sessions, staffed hours, visits per hour, % visits with an *eens*,
                   conversations and referrals per 10 visits.
    sessies:       per session: place, kind, statement set, statements per visit (a
                   number, or "alle": every statement), start, end, counts.
    verwijzingen:  per course: suggested, QR code shown, slip printed.
    gesprekken:    conversations per place, date, topic and referral.
    signalen:      signals per place, date and kind (internal: with the free text).

``plekken``, ``aanpak`` and ``sessies`` need the database; without ``db_or_store`` they are
left out. The headers are the words of the CSV export (:mod:`kiosk.core.export`);
percentages are real percentages (a fraction shown as "40%"). There are no
internal ids (UUIDs) in the workbook.

Intern or publiek: the coordinator's workbook (the default) keeps exact counts
and the free texts and says "intern" on the info sheet and in the document
properties; ``publiek=True`` takes every count from
:func:`kiosk.core.publication.publish` (controlled rounding to multiples of 5,
totals and percentages from the rounded counts; no answers per session)
and leaves out the free texts.

Numbers are numbers (Excel sums them). Text that a spreadsheet would run as a
formula ("=1+1", "+31...", "@x") is a text cell with Excel's quote prefix: shown
exactly as typed, no visible ``'``, never a formula (the CSV neutralises it with a
leading ``'`` instead: :func:`kiosk.core.export.neutralise`), and
characters XML cannot carry (controls, U+FFFE/U+FFFF, lone surrogates: an old
or merged database may hold them) become U+FFFD (:func:`kiosk.core.doubtful.xml_safe`).
A doubtful time (a laptop with a wrong date) is the text "tijd onbekend", never
a date; the info sheet then says what that means.

The workbook is made in memory, read back with openpyxl (a workbook that does
not open is never called written), written to a temporary file beside ``out``
and moved into place: a reader never sees half a file.

openpyxl has no Qt; this module stays in the core.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kiosk.core.approaches import HEADERS as APPROACH_HEADERS
from kiosk.core.approaches import SHEET as APPROACH_SHEET
from kiosk.core.approaches import approach_name, approach_rows
from kiosk.core.doubtful import UNKNOWN, UNKNOWN_NOTE, moment_of, xml_safe
from kiosk.core.export import (
    AUDIENCE_NOTES,
    CONVERSATIONS_HEADER,
    FORMULA_STARTS,
    REFERRALS_CSV_HEADER,
    REFERRALS_NOTE,
    ExportError,
    Labels,
    answer_cells,
    audience,
    conversation_cells,
    conversation_counts,
    file_mode,
    per_visit_cell,
    percent,
    signal_cells,
    signal_counts,
    signals_header,
)
from kiosk.core.files import IncompleteFile, replacing
from kiosk.core.model import Content
from kiosk.core.places import OPEN_SESSIONS_NOTE, PlaceStats, compare_places, place_kind_name
from kiosk.core.publication import ROUNDING_NOTE, publish
from kiosk.core.summary import StoreOrDb, session_rows
from kiosk.core.tallies import Counts, Tallies

ANSWER_HEADERS = (
    "eens", "% eens", "oneens", "% oneens", "weet niet", "% weet niet", "totaal", "via scherm",
    "via medewerker",
)
STATEMENT_HEADERS = ("thema", "stelling", "tekst", *ANSWER_HEADERS)
PLACE_HEADERS = (
    "per", "naam", "soort plek", "sessies", "sessies zonder einde", "bemande uren", "bezoeken",
    "bezoeken per uur", "bezoeken met eens", "% bezoeken met eens", "verwijzingen getoond",
    "geprint", "gesprekken", "signalen",
)
SESSION_HEADERS = (
    "plek", "soort plek", "stellingen", "zinnen per bezoek", "begin", "einde", "bezoeken",
    "afgemaakt", "via scherm", "via medewerker", "verwijzingen", "gesprekken", "signalen",
    "aanpak",
)
REFERRAL_HEADERS = REFERRALS_CSV_HEADER
HEADER_FILL = PatternFill("solid", fgColor="F1E7D6")  # the theme's "quiet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0%"
#: Headers whose cells are percentages (stored as a fraction, shown as "40%").
PERCENT_HEADERS = frozenset(h for h in (*STATEMENT_HEADERS, *PLACE_HEADERS) if h.startswith("%"))


def export_xlsx(
    tallies: Tallies,
    statement_text: Callable[[str], str],
    out: Path,
    db_or_store: StoreOrDb | None = None,
    course_name: Callable[[str], str] | None = None,
    generated: date | None = None,
    *,
    content: Content | None = None,
    publiek: bool = False,
) -> None:
    """Write ``tallies`` (and, given the database, its sessions and places) to ``out``.

    Args:
        tallies: from :func:`kiosk.core.tallies.tallies`; its filters select the sessions.
        statement_text: a statement's text from its id (``content.statement_text``).
        out: the .xlsx file to write (replaced if it exists).
        db_or_store: the database, for the plekken and sessies sheets.
        course_name: a course's name from its id; from ``content`` (else the id) when None.
        generated: the date on the info sheet (today when None).
        content: names of themes, partners, signals and sets, and the set's order.
        publiek: published (rounded) counts, no free text.

    Raises:
        ExportError: the folder does not exist or the file cannot be written.
    """
    labels = Labels(content, statement_text, course_name)
    word = audience(publiek)
    workbook = Workbook()
    workbook.remove(workbook.active)
    places = (compare_places(db_or_store, tallies.since, tallies.until, tallies.location)
              if db_or_store is not None else None)
    sessions = (session_rows(db_or_store, tallies.since, tallies.until, tallies.location)
                if db_or_store is not None else ())
    if publiek:
        published = publish(tallies, labels.statement_key, places, sessions)
        tallies, places, sessions = published.tallies, published.places, published.sessions

    info = [
        ["uitvoer", word],
        ["toelichting", AUDIENCE_NOTES[word]],
        *([["afronding", ROUNDING_NOTE]] if publiek else []),
        ["gemaakt op", (generated or date.today()).isoformat()],
        ["vanaf", tallies.since.isoformat() if tallies.since else "begin"],
        ["tot en met", tallies.until.isoformat() if tallies.until else "nu"],
        ["plek", tallies.location or "alle plekken"],
        ["let op", "Antwoorden zijn anoniem. Tijden zijn afgerond op het kwartier."],
        ["verwijzingen", REFERRALS_NOTE],
    ]
    if places is not None and places.open_sessions:
        info.append(["sessies zonder einde", f"{places.open_sessions}. {OPEN_SESSIONS_NOTE}"])
    if tallies.unknown_times or (places is not None and places.unknown_times):
        info.append([UNKNOWN, UNKNOWN_NOTE])
    _sheet(workbook, "info", ("wat", "waarde"), info, widths={1: 20, 2: 90})

    statements: dict[str, tuple[Counts, Counts]] = {}
    for row in tallies.rows:
        touch, staff = statements.get(row.statement_id, (Counts(), Counts()))
        statements[row.statement_id] = (touch + row.touch, staff + row.staff)
    _sheet(workbook, "stellingen", STATEMENT_HEADERS, (
        [labels.theme(labels.statement_theme(sid)), sid, labels.statement(sid),
         *_answer_cells(touch, staff)]
        for sid, (touch, staff) in sorted(statements.items(),
                                          key=lambda item: labels.statement_key(item[0]))
    ), widths={1: 18, 3: 50})

    if places is not None:
        _sheet(workbook, "plekken", PLACE_HEADERS, (
            _place_cells(group, stats)
            for group, rows in places.groups() for stats in rows
        ), widths={2: 28, 3: 14})

    if db_or_store is not None:
        _sheet(workbook, APPROACH_SHEET, APPROACH_HEADERS, approach_rows(
            db_or_store, tallies, content, publiek), widths={1: 30})
        approach_of = {s.session_id: s.approach for s in tallies.sessions}
        _sheet(workbook, "sessies", SESSION_HEADERS, (
            [s.location, place_kind_name(s.place_kind), labels.set_name(s.statement_set),
             per_visit_cell((s.per_visit,)), _moment(s.started), _moment(s.ended),
             s.visits, s.completed_visits,
             # a public workbook has no answers per session (publication control)
             *((None, None) if publiek else (s.touch_answers, s.staff_answers)),
             s.referrals, s.conversations, s.signals,
             approach_name(approach_of.get(s.session_id, ""), content)]
            for s in sessions
        ), widths={1: 28, 3: 24, 5: 17, 6: 17})

    referrals = sorted(tallies.referrals, key=lambda r: (-r.suggested, labels.course(r.course_id)))
    _sheet(workbook, "verwijzingen", REFERRAL_HEADERS, (
        [r.course_id, labels.course(r.course_id), r.suggested, r.qr_shown, r.printed]
        for r in referrals
    ), widths={1: 20, 2: 36})
    _sheet(workbook, "gesprekken", CONVERSATIONS_HEADER, (
        conversation_cells(row, labels, publiek)
        for row in conversation_counts(tallies.conversations, labels)
    ), widths={1: 28, 4: 22, 6: 36})
    _sheet(workbook, "signalen", signals_header(publiek), (
        signal_cells(row, labels, publiek)
        for row in signal_counts(tallies.signals, labels, free_text=not publiek)
    ), widths={1: 28, 4: 36, 6: 60})

    properties = workbook.properties
    properties.title = f"Stellingenkiosk: tellingen ({word})"
    properties.subject = word
    properties.keywords = word
    properties.description = AUDIENCE_NOTES[word]
    properties.creator = "Stellingenkiosk"
    _save_atomically(workbook, Path(out))


def _answer_cells(touch: Counts, staff: Counts) -> list[Any]:
    both = touch + staff
    return [*_fractions(answer_cells(both)), touch.total, staff.total]


def _fractions(cells: list[Any]) -> list[Any]:
    """The answer cells with their percentages (every second cell of the first six) as
    fractions, for the "0%" number format."""
    return [cell / 100 if index < 6 and index % 2 == 1 and cell is not None else cell
            for index, cell in enumerate(cells)]


def _place_cells(group: str, stats: PlaceStats) -> list[Any]:
    """A row of the plekken sheet (public: ``stats`` is published, so the visits per hour
    and the percentage come from rounded counts)."""
    per_hour = stats.visits_per_hour
    eens_pct = percent(stats.visits_with_eens, stats.visits)
    return [
        group, stats.name, place_kind_name(stats.kind) if stats.kind else "",
        stats.sessions, stats.open_sessions, round(stats.staffed_hours, 2), stats.visits,
        None if per_hour is None else round(per_hour, 1),
        stats.visits_with_eens, None if eens_pct is None else eens_pct / 100,
        stats.referrals_shown, stats.referrals_printed, stats.conversations, stats.signals,
    ]


def _moment(text: str | None) -> datetime | str | None:
    """A stored time as a date cell; "tijd onbekend" when it is doubtful; None: empty."""
    if text is None:
        return None
    moment = moment_of(text)
    return UNKNOWN if moment is None else moment


def _cell(value: Any) -> Any:
    """A value as a safe cell: text made XML-safe (:func:`_sheet` keeps a formula-looking
    text a text cell), numbers and dates as they are."""
    if isinstance(value, str):
        return xml_safe(value)
    return value


def _sheet(workbook: Workbook, title: str, headers: Sequence[str],
           rows: Iterable[Sequence[Any]], widths: dict[int, int] | None = None) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    percent_columns = {i for i, h in enumerate(headers) if h in PERCENT_HEADERS}
    for row in rows:
        sheet.append([_cell(value) for value in row])
        for index, cell in enumerate(sheet[sheet.max_row]):
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif index in percent_columns and isinstance(cell.value, float | int):
                cell.number_format = PERCENT_FORMAT
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # openpyxl made "=..." a formula: text, as typed
                cell.quotePrefix = True  # and it stays text when someone edits the cell
    sheet.freeze_panes = "A2"
    for column in range(1, len(headers) + 1):
        width = (widths or {}).get(column, max(11, len(headers[column - 1]) + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width


class UnreadableWorkbook(IncompleteFile):
    """A written workbook that openpyxl cannot open again (Excel would refuse it too)."""


def check_xlsx(path: Path) -> None:
    """Raise :class:`UnreadableWorkbook` unless ``path`` opens as a workbook with every
    cell readable: what is called written, opens."""
    try:
        with open(path, "rb") as written:  # a file object: openpyxl judges a name by its suffix
            workbook = load_workbook(written)
    except Exception as error:  # noqa: BLE001 - a bad file raises many kinds of errors
        raise UnreadableWorkbook(f"{type(error).__name__}: {error}") from error
    workbook.close()


def _save_atomically(workbook: Workbook, out: Path) -> None:
    if not out.parent.is_dir():
        raise ExportError(
            f"Kan {out} niet schrijven: de map {out.parent} bestaat niet. "
            "Maak eerst de map, of kies een andere map."
        )
    buffer = io.BytesIO()  # whole in memory first: openpyxl cannot tidy up a failed file
    workbook.save(buffer)
    try:
        with replacing(out, mode=file_mode(), check=check_xlsx) as temporary:
            temporary.write_bytes(buffer.getvalue())
    except UnreadableWorkbook as error:
        raise ExportError(
            f"Kan {out} niet schrijven: het werkblad gaat niet open ({error}). Er is niets "
            "geschreven. Meld dit aan de beheerder van de kiosk."
        ) from error
    except OSError as error:
        raise ExportError(
            f"Kan {out} niet schrijven: {error}. Kijk of je in de map mag schrijven en of "
            "het bestand niet open staat in een ander programma (Excel houdt open bestanden "
            "vast)."
        ) from error
