"""Writing tallies to a file: CSV for Dutch Excel, or JSON.

CSV: UTF-8 with a byte order mark (so Excel reads it as UTF-8), ``;`` between
cells (Dutch Excel's list separator), CRLF line ends, Dutch headers. A text cell
that starts with ``= + - @``, a tab or a carriage return gets a leading ``'``,
so Excel shows it as text instead of running it as a formula (location names
are typed by staff). Numbers are written as plain numbers.

Statements per visit (``per_visit``: at 3 per visit a statement is answered by
only some of the visitors): in CSV the last column, ``zinnen per bezoek``, for
the sessions of the row's location and day: the number, or ``alle`` (every
statement); sessions that differed give both (``3, alle``). In JSON a
``"sessions"`` list, one entry per session, ``"per_visit"`` a number or null
(every statement).

Referrals (per course: suggested, QR code shown, slip printed): in JSON a
``"referrals"`` list; in CSV a second file beside the first,
``<name>-verwijzingen.csv`` (one table per file is what Excel opens with a
double-click, and the answers file keeps its columns).

Every file is written to a temporary file in the same folder first, then
moved into place (``os.replace``): a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from kiosk.core.files import write_text
from kiosk.core.tallies import Counts, ReferralCount, SessionCount, Tallies, TallyRow

CSV_HEADER = (
    "plek", "datum", "stelling", "tekst", "eens", "oneens", "weet niet", "totaal",
    "via scherm", "via medewerker", "bezoeken", "zinnen per bezoek",
)
#: A spreadsheet's word for ``per_visit`` None: every statement of the set.
ALL_STATEMENTS = "alle"
REFERRALS_CSV_HEADER = ("cursus", "naam", "voorgesteld", "QR-code getoond", "bon geprint")
#: The CSV export's second file: ``tallies.csv`` -> ``tallies-verwijzingen.csv``.
REFERRALS_SUFFIX = "-verwijzingen"
#: First characters that make Excel (or LibreOffice) read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """An export that could not be written, with a message that names the fix."""


def export(
    tallies: Tallies,
    statement_text: Callable[[str], str],
    fmt: Literal["csv", "json"],
    out: Path,
    generated: date | None = None,
    course_name: Callable[[str], str] | None = None,
) -> list[Path]:
    """Write ``tallies`` to ``out`` as ``fmt``; returns the files written.

    Args:
        statement_text: a statement's text, from its id.
        course_name: a course's name, from its id (default: the id).

    Returns:
        ``[out]`` for JSON; ``[out, <out>-verwijzingen.csv]`` for CSV.
    """
    out = Path(out)
    name = course_name or str
    if fmt == "csv":
        referrals_out = referrals_path(out)
        write_atomically(out, to_csv(tallies, statement_text), encoding="utf-8-sig")
        write_atomically(referrals_out, referrals_to_csv(tallies, name), encoding="utf-8-sig")
        return [out, referrals_out]
    if fmt == "json":
        text = to_json(tallies, statement_text, generated or date.today(), name)
        write_atomically(out, text, encoding="utf-8")
        return [out]
    raise ValueError(f"fmt must be 'csv' or 'json', not {fmt!r}")


def referrals_path(out: Path) -> Path:
    """Where the CSV export puts the referrals: ``tallies.csv`` -> ``tallies-verwijzingen.csv``."""
    return out.with_name(f"{out.stem}{REFERRALS_SUFFIX}{out.suffix or '.csv'}")


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def per_visit_cell(values: Sequence[int | None]) -> int | str:
    """Statements per visit as a spreadsheet cell: the number, ``"alle"`` for None
    (every statement), several values joined (``"3, alle"``), ``""`` for none."""
    if len(values) == 1 and values[0] is not None:
        return values[0]
    return ", ".join(ALL_STATEMENTS if n is None else str(n) for n in values)


def to_csv(tallies: Tallies, statement_text: Callable[[str], str]) -> str:
    """The CSV text (without the BOM, which the encoding adds)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")  # lineterminator is "\r\n"
    writer.writerow(CSV_HEADER)
    for row in tallies.rows:
        answers = row.answers
        visits = tallies.visit_count(row.location, row.date).visits
        texts = [row.location, row.date, row.statement_id, statement_text(row.statement_id)]
        numbers = [answers.eens, answers.oneens, answers.weet_niet, answers.total,
                   row.touch.total, row.staff.total, visits]
        writer.writerow([neutralise(text) for text in texts] + numbers
                        + [per_visit_cell(tallies.per_visit(row.location, row.date))])
    return buffer.getvalue()


def referrals_to_csv(tallies: Tallies, course_name: Callable[[str], str] = str) -> str:
    """The referrals CSV text: one row per course (without the BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(REFERRALS_CSV_HEADER)
    for row in tallies.referrals:
        texts = [row.course_id, course_name(row.course_id)]
        writer.writerow([neutralise(text) for text in texts]
                        + [row.suggested, row.qr_shown, row.printed])
    return buffer.getvalue()


def to_json(tallies: Tallies, statement_text: Callable[[str], str], generated: date,
            course_name: Callable[[str], str] = str) -> str:
    """The JSON text: filters, generation date, groups per location and date, totals, the
    referrals per course, and the sessions."""
    rows_by_group: dict[tuple[str, str], list[TallyRow]] = {}
    for row in tallies.rows:
        rows_by_group.setdefault((row.location, row.date), []).append(row)
    groups = []
    for location, day in tallies.groups():
        visits = tallies.visit_count(location, day)
        statements = [
            {"id": row.statement_id, "text": statement_text(row.statement_id),
             **_counts(row.answers), "touch": _counts(row.touch), "staff": _counts(row.staff)}
            for row in rows_by_group.get((location, day), [])
        ]
        groups.append({"location": location, "date": day, "visits": visits.visits,
                       "completed_visits": visits.completed, "statements": statements})
    totals = tallies.totals
    document = {
        "generated": generated.isoformat(),
        "filters": {
            "since": tallies.since.isoformat() if tallies.since else None,
            "until": tallies.until.isoformat() if tallies.until else None,
            "location": tallies.location,
        },
        "groups": groups,
        "totals": {**_counts(totals.answers), "touch": _counts(totals.touch),
                   "staff": _counts(totals.staff), "visits": totals.visits,
                   "completed_visits": totals.completed},
        "referrals": [_referral(row, course_name) for row in tallies.referrals],
        "sessions": [_session(session) for session in tallies.sessions],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _referral(row: ReferralCount, course_name: Callable[[str], str]) -> dict[str, Any]:
    return {"course": row.course_id, "name": course_name(row.course_id),
            "suggested": row.suggested, "qr_shown": row.qr_shown, "printed": row.printed}


def _session(session: SessionCount) -> dict[str, Any]:
    return {"id": session.session_id, "location": session.location, "date": session.date,
            "place_kind": session.place_kind, "statement_set": session.statement_set,
            "started": session.started, "ended": session.ended,
            "per_visit": session.per_visit, "visits": session.visits,
            "completed_visits": session.completed}


def _counts(counts: Counts) -> dict[str, Any]:
    return {"eens": counts.eens, "oneens": counts.oneens, "weet_niet": counts.weet_niet,
            "total": counts.total}


def write_atomically(out: Path, text: str, encoding: str) -> None:
    """Write ``text`` to a temporary file beside ``out``, flush it to disk, move it into place."""
    if not out.parent.is_dir():
        raise ExportError(
            f"Cannot write {out}: the folder {out.parent} does not exist. "
            "Create the folder first, or choose another one."
        )
    try:
        write_text(out, text, encoding=encoding, newline="")
    except OSError as error:
        raise ExportError(
            f"Cannot write {out}: {error}. Check that the folder is writable and the "
            "file is not open in another program (Excel locks open files)."
        ) from error
