"""Tallies as an Excel workbook (XLSX): one sheet per view.

Sheets:
    stellingen:    per statement: eens, oneens, weet niet, total; via screen and via staff.
    plekken:       per location: sessions, visits, the same answer counts.
    sessies:       per session: place, kind, set, statements per visit (a number, or
                   "alle": every statement), start, end, visits, answers, referrals.
    verwijzingen:  per course: referrals (QR shown) and printed slips.
    info:          the filters and the date the file was made.

``sessies`` and ``verwijzingen`` (and the session count of ``plekken``) need the
database; without ``db_or_store`` those sheets are left out.

Numbers are numbers (Excel sums them). Text that a spreadsheet would run as a
formula gets a leading ``'`` (:func:`kiosk.core.export.neutralise`), and
characters XLSX cannot hold are dropped. The workbook is written to a temporary
file beside ``out`` and moved into place: a reader never sees half a file.

openpyxl has no Qt; this module stays in the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kiosk.core.export import ExportError, neutralise, per_visit_cell
from kiosk.core.files import replacing
from kiosk.core.summary import StoreOrDb, referrals_per_course, session_rows
from kiosk.core.tallies import Counts, Tallies

ANSWER_HEADERS = ("eens", "oneens", "weet niet", "totaal", "via scherm", "via medewerker")
STATEMENT_HEADERS = ("stelling", "tekst", *ANSWER_HEADERS)
LOCATION_HEADERS = ("plek", "sessies", "bezoeken", "afgemaakt", *ANSWER_HEADERS)
SESSION_HEADERS = (
    "plek", "soort plek", "stellingen", "zinnen per bezoek", "begin", "einde", "bezoeken",
    "afgemaakt",
    "antwoorden via scherm", "antwoorden via medewerker", "verwijzingen", "sessie-id",
)
REFERRAL_HEADERS = ("cursus", "naam", "verwijzingen", "geprint")
HEADER_FILL = PatternFill("solid", fgColor="F1E7D6")  # the theme's "quiet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def export_xlsx(
    tallies: Tallies,
    statement_text: Callable[[str], str],
    out: Path,
    db_or_store: StoreOrDb | None = None,
    course_name: Callable[[str], str] | None = None,
    generated: date | None = None,
) -> None:
    """Write ``tallies`` (and, given the database, its sessions and referrals) to ``out``.

    Args:
        tallies: from :func:`kiosk.core.tallies.tallies`; its filters select the sessions.
        statement_text: a statement's text from its id (``content.statement_text``).
        out: the .xlsx file to write (replaced if it exists).
        db_or_store: the database, for the sessies and verwijzingen sheets.
        course_name: a course's name from its id; the id when None.
        generated: the date on the info sheet (today when None).

    Raises:
        ExportError: the folder does not exist or the file cannot be written.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    sessions = (
        session_rows(db_or_store, tallies.since, tallies.until, tallies.location)
        if db_or_store is not None else None
    )

    statements: dict[str, tuple[Counts, Counts]] = {}
    for row in tallies.rows:
        touch, staff = statements.get(row.statement_id, (Counts(), Counts()))
        statements[row.statement_id] = (touch + row.touch, staff + row.staff)
    _sheet(workbook, "stellingen", STATEMENT_HEADERS, (
        [sid, statement_text(sid), *_answer_cells(touch, staff)]
        for sid, (touch, staff) in sorted(statements.items())
    ), widths={2: 50})

    places: dict[str, list[Any]] = {}
    for row in tallies.rows:
        entry = places.setdefault(row.location, [Counts(), Counts()])
        entry[0] += row.touch
        entry[1] += row.staff
    visits: dict[str, list[int]] = {}
    for count in tallies.visits:
        entry = visits.setdefault(count.location, [0, 0])
        entry[0] += count.visits
        entry[1] += count.completed
    session_counts: dict[str, int] = {}
    for session in sessions or ():
        session_counts[session.location] = session_counts.get(session.location, 0) + 1
    names = sorted(set(places) | set(visits) | set(session_counts), key=str.casefold)
    _sheet(workbook, "plekken", LOCATION_HEADERS, (
        [name, session_counts.get(name) if sessions is not None else None,
         *visits.get(name, [0, 0]),
         *_answer_cells(*places.get(name, [Counts(), Counts()]))]
        for name in names
    ), widths={1: 28})

    if db_or_store is not None:
        _sheet(workbook, "sessies", SESSION_HEADERS, (
            [s.location, s.place_kind, s.statement_set, per_visit_cell((s.per_visit,)),
             _moment(s.started), _moment(s.ended), s.visits, s.completed_visits,
             s.touch_answers, s.staff_answers, s.referrals, s.session_id]
            for s in sessions or ()
        ), widths={1: 28, 5: 17, 6: 17, 12: 38})
        courses = referrals_per_course(tallies)
        _sheet(workbook, "verwijzingen", REFERRAL_HEADERS, (
            [c.course_id, course_name(c.course_id) if course_name else c.course_id,
             c.referrals, c.printed]
            for c in courses
        ), widths={1: 20, 2: 36})

    _sheet(workbook, "info", ("wat", "waarde"), [
        ["gemaakt op", (generated or date.today()).isoformat()],
        ["vanaf", tallies.since.isoformat() if tallies.since else "begin"],
        ["tot en met", tallies.until.isoformat() if tallies.until else "nu"],
        ["plek", tallies.location or "alle plekken"],
        ["let op", "Antwoorden zijn anoniem. Tijden zijn afgerond op het kwartier."],
    ], widths={1: 14, 2: 60})
    _save_atomically(workbook, Path(out))


def _answer_cells(touch: Counts, staff: Counts) -> list[int]:
    both = touch + staff
    return [both.eens, both.oneens, both.weet_niet, both.total, touch.total, staff.total]


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _cell(value: Any) -> Any:
    """A value as a safe cell: text neutralised and cleaned, numbers and dates as they are."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
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
    for row in rows:
        sheet.append([_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
    sheet.freeze_panes = "A2"
    for column in range(1, len(headers) + 1):
        width = (widths or {}).get(column, max(11, len(headers[column - 1]) + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width


def _save_atomically(workbook: Workbook, out: Path) -> None:
    if not out.parent.is_dir():
        raise ExportError(
            f"Cannot write {out}: the folder {out.parent} does not exist. "
            "Create the folder first, or choose another one."
        )
    try:
        with replacing(out) as temporary:
            workbook.save(temporary)
    except OSError as error:
        raise ExportError(
            f"Cannot write {out}: {error}. Check that the folder is writable and the "
            "file is not open in another program (Excel locks open files)."
        ) from error
