"""Writing tallies to a file: CSV for Dutch Excel, or JSON.

CSV: UTF-8 with a byte order mark (so Excel reads it as UTF-8), ``;`` between
cells (Dutch Excel's list separator), CRLF line ends, Dutch headers (the same
words as the XLSX export's, :mod:`kiosk.core.xlsx`). A text cell that starts
with ``= + - @``, a tab or a carriage return gets a leading ``'``, so Excel
shows it as text instead of running it as a formula (location names and the
free text of an "Anders" signal are typed by staff). Numbers are written as
plain numbers. No internal ids (UUIDs) in CSV: those are in JSON only.

One table per file (what Excel opens with a double-click), so the CSV export
writes four files: ``<name>.csv`` (answers per place, date and statement, in
the order of the statement set, with the theme), ``<name>-verwijzingen.csv``
(per course: suggested, QR code shown, slip printed), ``<name>-gesprekken.csv``
(conversations per place, date, topic and referral) and ``<name>-signalen.csv``
(signals per place, date and kind).

Statements per visit (``per_visit``: at 3 per visit a statement is answered by
only some of the visitors): in CSV the column ``zinnen per bezoek``, for the
sessions of the row's location and day: the number, or ``alle`` (every
statement); sessions that differed give both (``3, alle``). In JSON a
``"sessions"`` list, one entry per session, ``"per_visit"`` a number or null.

Intern or publiek (:data:`INTERN`, :data:`PUBLIEK`): the coordinator's own
export (the default) keeps exact counts, the free texts of "Anders" signals,
and in JSON one entry per conversation and signal with its id. A public export
(``publiek=True``, ``kiosk export --publiek``) takes every count from
:func:`kiosk.core.publication.publish` (controlled rounding to multiples of 5;
every total and percentage is computed from the rounded counts), has no free
text and no ids of any kind, and lists conversations and signals as counts only. Every file
says which it is: JSON in ``"metadata"``, CSV in its last column ``uitvoer``
(a CSV file is one table: there is no other place that survives a rename or a
copy of the rows), XLSX on its first sheet and in its document properties.

A row whose time is doubtful (:mod:`kiosk.core.doubtful`: a laptop with a wrong
date) is counted on the date "tijd onbekend"; JSON shows its time as that too.

Every file is written to a temporary file in the same folder first, then
moved into place (``os.replace``): a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from kiosk.core.approaches import approaches_cell, approaches_json, group_approaches
from kiosk.core.doubtful import UNKNOWN_NOTE, shown_time
from kiosk.core.files import file_mode, write_text
from kiosk.core.model import OTHER_SIGNAL, Content
from kiosk.core.places import place_kind_name
from kiosk.core.publication import ROUNDING_NOTE, publish
from kiosk.core.tallies import (
    ConversationRow,
    Counts,
    ReferralCount,
    SessionCount,
    SignalRow,
    Tallies,
    TallyRow,
)

INTERN, PUBLIEK = "intern", "publiek"
AUDIENCE_NOTES = {
    INTERN: "Intern: exacte aantallen en vrije tekst van medewerkers. Niet zo doorsturen; "
            "voor buiten: kiosk export --publiek.",
    PUBLIEK: "Publiek: alle aantallen zijn afgerond op veelvouden van 5; totalen en "
             "percentages zijn berekend uit de afgeronde aantallen. Zonder vrije tekst en "
             "zonder ids.",
}

CSV_HEADER = (
    "plek", "datum", "stelling", "tekst", "thema", "eens", "% eens", "oneens", "% oneens",
    "weet niet", "% weet niet", "totaal", "via scherm", "via medewerker", "bezoeken",
    "zinnen per bezoek", "aanpak",
)
REFERRALS_CSV_HEADER = ("cursus", "naam", "voorgesteld", "QR-code getoond", "geprint")
CONVERSATIONS_HEADER = (
    "plek", "soort plek", "datum", "onderwerp", "soort verwijzing", "verwezen naar", "aantal",
)
SIGNALS_HEADER = ("plek", "soort plek", "datum", "signaal", "aantal")
#: Only in the coordinator's internal export.
FREE_TEXT_HEADER = "vrije tekst"
#: The last column of every CSV file: "intern" or "publiek".
AUDIENCE_HEADER = "uitvoer"
#: A spreadsheet's word for ``per_visit`` None: every statement of the set.
ALL_STATEMENTS = "alle"
#: The CSV export's other files: ``tallies.csv`` -> ``tallies-verwijzingen.csv``, ...
REFERRALS_SUFFIX = "-verwijzingen"
CONVERSATIONS_SUFFIX = "-gesprekken"
SIGNALS_SUFFIX = "-signalen"
#: Courses the end screen suggests per visit (the default ``limit`` of
#: ``Visit.suggestions`` and ``Content.suggest``; a test keeps them equal).
COURSES_PER_VISIT = 2
REFERRALS_NOTE = (f"Per bezoek stelt de kiosk tot {COURSES_PER_VISIT} cursussen voor die passen "
                  "bij de antwoorden, met een QR-code.")
REFERRAL_KIND_WORDS = {"": "", "course": "cursus", "partner": "partner"}
OTHER_SIGNAL_NAME = "Anders"
#: First characters that make Excel (or LibreOffice) read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """An export that could not be written, with a message that names the fix."""


# -- intern or publiek ----------------------------------------------------------


def audience(publiek: bool) -> str:
    """"publiek" or "intern"."""
    return PUBLIEK if publiek else INTERN


def public(tallies: Tallies, labels: Labels | None, publiek: bool) -> Tallies:
    """The tallies an output prints: for a public output their published version
    (:func:`kiosk.core.publication.publish`), else as they are."""
    if not publiek or tallies.published:
        return tallies
    return publish(tallies, labels.statement_key if labels else None).tallies


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent (half rounds up); None when whole is 0."""
    if whole <= 0:
        return None
    return int(100 * part / whole + 0.5)


# -- names for the ids ------------------------------------------------------------


class Labels:
    """Names for the ids in the database, from the content; an id the content does not
    know (any more) is shown as it is. Also the content's order of statements, themes,
    signals and partners, for sorting."""

    def __init__(self, content: Content | None = None,
                 statement_text: Callable[[str], str] | None = None,
                 course_name: Callable[[str], str] | None = None) -> None:
        self.content = content
        self._statement_text = statement_text or (content.statement_text if content else str)
        self._course_name = course_name or (content.course_name if content else str)
        self._statement_theme: dict[str, str] = {}
        self._statement_order: dict[str, int] = {}
        if content is not None:
            for statement_set in content.sets.values():
                for statement in statement_set.statements:
                    self._statement_theme.setdefault(statement.id, statement.theme)
                    self._statement_order.setdefault(statement.id, len(self._statement_order))
        themes = content.themes if content else {}
        self._themes = dict(themes)
        self._theme_order = {theme: index for index, theme in enumerate(themes)}
        signals = content.signals if content else {}
        self._signals = {kind: s.name for kind, s in signals.items()}
        self._signal_order = {kind: index for index, kind in enumerate(signals)}
        self._partners = {p.id: p.name for p in (content.partners if content else {}).values()}
        self._partner_order = {pid: index for index, pid in enumerate(self._partners)}
        self._course_order = {cid: i for i, cid in enumerate(content.courses if content else {})}

    def statement(self, statement_id: str) -> str:
        return self._statement_text(statement_id)

    def course(self, course_id: str) -> str:
        return self._course_name(course_id)

    def theme(self, theme_id: str) -> str:
        """A theme's name ("" for no theme)."""
        return self._themes.get(theme_id, theme_id)

    def statement_theme(self, statement_id: str) -> str:
        """The theme id of a statement ("" when the content does not know it)."""
        return self._statement_theme.get(statement_id, "")

    def partner(self, partner_id: str) -> str:
        return self._partners.get(partner_id, partner_id)

    def signal(self, kind: str) -> str:
        if kind == OTHER_SIGNAL:
            return OTHER_SIGNAL_NAME
        return self._signals.get(kind, kind)

    def referral_target(self, kind: str, target: str) -> str:
        """The course's or partner's name ("" when not referred)."""
        if kind == "course":
            return self.course(target)
        if kind == "partner":
            return self.partner(target)
        return target

    def set_name(self, set_id: str) -> str:
        found = self.content.sets.get(set_id) if self.content else None
        return found.name if found else set_id

    # sort keys: the content's order first, then unknown ids by id

    def statement_key(self, statement_id: str) -> tuple:
        return (self._statement_order.get(statement_id, len(self._statement_order)),
                statement_id)

    def theme_key(self, theme_id: str) -> tuple:
        return (theme_id == "", self._theme_order.get(theme_id, len(self._theme_order)),
                theme_id)

    def signal_key(self, kind: str) -> tuple:
        return (kind == OTHER_SIGNAL, self._signal_order.get(kind, len(self._signal_order)),
                kind)

    def referral_key(self, kind: str, target: str) -> tuple:
        order = self._course_order if kind == "course" else self._partner_order
        return (kind == "", kind != "course", order.get(target, len(order)), target)


# -- conversations and signals, counted -----------------------------------------


@dataclass(frozen=True)
class ConversationCount:
    """Conversations at one place on one day about one topic, referred to one target."""

    location: str
    place_kind: str
    date: str
    topic: str
    referred_kind: str
    referred_to: str
    count: int


@dataclass(frozen=True)
class SignalCount:
    """Signals of one kind at one place on one day (internal: per free text too)."""

    location: str
    place_kind: str
    date: str
    kind: str
    text: str
    count: int


def conversation_counts(rows: Iterable[ConversationRow],
                        labels: Labels) -> list[ConversationCount]:
    """Conversations counted per place, date, topic and referral, in the content's order."""
    counts: dict[tuple, int] = {}
    for row in rows:
        key = (row.location, row.place_kind, row.date, row.topic, row.referred_kind,
               row.referred_to)
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts, key=lambda k: (k[0].casefold(), k[0], k[2], k[1],
                                            labels.theme_key(k[3]),
                                            labels.referral_key(k[4], k[5])))
    return [ConversationCount(*key, counts[key]) for key in ordered]


def signal_counts(rows: Iterable[SignalRow], labels: Labels,
                  free_text: bool) -> list[SignalCount]:
    """Signals counted per place, date and kind (and free text, when ``free_text``)."""
    counts: dict[tuple, int] = {}
    for row in rows:
        key = (row.location, row.place_kind, row.date, row.kind, row.text if free_text else "")
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts, key=lambda k: (k[0].casefold(), k[0], k[2], k[1],
                                            labels.signal_key(k[3]), k[4]))
    return [SignalCount(*key, counts[key]) for key in ordered]


def conversation_cells(row: ConversationCount, labels: Labels, publiek: bool) -> list[Any]:
    """A row under :data:`CONVERSATIONS_HEADER`."""
    return [row.location, place_kind_name(row.place_kind), row.date, labels.theme(row.topic),
            REFERRAL_KIND_WORDS.get(row.referred_kind, row.referred_kind),
            labels.referral_target(row.referred_kind, row.referred_to),
            row.count]


def signal_cells(row: SignalCount, labels: Labels, publiek: bool) -> list[Any]:
    """A row under :data:`SIGNALS_HEADER` (and ``vrije tekst`` when internal)."""
    cells = [row.location, place_kind_name(row.place_kind), row.date, labels.signal(row.kind),
             row.count]
    return cells if publiek else [*cells, row.text]


def signals_header(publiek: bool) -> tuple[str, ...]:
    return SIGNALS_HEADER if publiek else (*SIGNALS_HEADER, FREE_TEXT_HEADER)


def statement_rows(tallies: Tallies, labels: Labels) -> list[TallyRow]:
    """The tally rows per place and date, each group in the order of the statement set."""
    return sorted(tallies.rows, key=lambda r: (r.location, r.date,
                                               labels.statement_key(r.statement_id)))


def answer_cells(counts: Counts) -> list[Any]:
    """eens, % eens, oneens, % oneens, weet niet, % weet niet, totaal."""
    cells: list[Any] = []
    for value in (counts.eens, counts.oneens, counts.weet_niet):
        cells += [value, percent(value, counts.total)]
    return [*cells, counts.total]


# -- writing ---------------------------------------------------------------------


def export(
    tallies: Tallies,
    statement_text: Callable[[str], str],
    fmt: Literal["csv", "json"],
    out: Path,
    generated: date | None = None,
    course_name: Callable[[str], str] | None = None,
    *,
    content: Content | None = None,
    publiek: bool = False,
) -> list[Path]:
    """Write ``tallies`` to ``out`` as ``fmt``; returns the files written.

    Args:
        statement_text: a statement's text, from its id.
        course_name: a course's name, from its id (default: from ``content``, else the id).
        content: names of themes, partners and signals, and the order of the statement
            set (without it: ids, sorted).
        publiek: a public export (published counts, no free text, no ids).

    Returns:
        ``[out]`` for JSON; ``[out, <out>-verwijzingen.csv, <out>-gesprekken.csv,
        <out>-signalen.csv]`` for CSV.
    """
    out = Path(out)
    labels = Labels(content, statement_text, course_name)
    tallies = public(tallies, labels, publiek)
    if fmt == "csv":
        files = [
            (out, to_csv(tallies, statement_text, labels=labels, publiek=publiek)),
            (referrals_path(out), referrals_to_csv(tallies, labels.course, publiek=publiek)),
            (conversations_path(out), conversations_to_csv(tallies, labels, publiek)),
            (signals_path(out), signals_to_csv(tallies, labels, publiek)),
        ]
        for path, text in files:
            write_atomically(path, text, encoding="utf-8-sig")
        return [path for path, _text in files]
    if fmt == "json":
        text = to_json(tallies, statement_text, generated or date.today(), labels.course,
                       labels=labels, publiek=publiek)
        write_atomically(out, text, encoding="utf-8")
        return [out]
    raise ValueError(f"fmt must be 'csv' or 'json', not {fmt!r}")


def _beside(out: Path, suffix: str) -> Path:
    return out.with_name(f"{out.stem}{suffix}{out.suffix or '.csv'}")


def referrals_path(out: Path) -> Path:
    """Where the CSV export puts the referrals: ``tallies.csv`` -> ``tallies-verwijzingen.csv``."""
    return _beside(out, REFERRALS_SUFFIX)


def conversations_path(out: Path) -> Path:
    """``tallies.csv`` -> ``tallies-gesprekken.csv``."""
    return _beside(out, CONVERSATIONS_SUFFIX)


def signals_path(out: Path) -> Path:
    """``tallies.csv`` -> ``tallies-signalen.csv``."""
    return _beside(out, SIGNALS_SUFFIX)


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def per_visit_cell(values: Sequence[int | None]) -> int | str:
    """Statements per visit as a spreadsheet cell: the number, ``"alle"`` for None
    (every statement), several values joined (``"3, alle"``), ``""`` for none."""
    if len(values) == 1 and values[0] is not None:
        return values[0]
    return ", ".join(ALL_STATEMENTS if n is None else str(n) for n in values)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]], publiek: bool) -> str:
    """A CSV table; text neutralised, None as an empty cell, the audience as last column."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")  # lineterminator is "\r\n"
    writer.writerow([*header, AUDIENCE_HEADER])
    word = audience(publiek)
    for row in rows:
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row]
                        + [word])
    return buffer.getvalue()


def to_csv(tallies: Tallies, statement_text: Callable[[str], str], *,
           labels: Labels | None = None, publiek: bool = False) -> str:
    """The answers CSV text (without the BOM, which the encoding adds)."""
    labels = labels or Labels(statement_text=statement_text)
    tallies = public(tallies, labels, publiek)
    approaches = group_approaches(tallies, labels.content)

    def rows() -> Iterable[list[Any]]:
        for row in statement_rows(tallies, labels):
            visits = tallies.visit_count(row.location, row.date).visits
            yield [row.location, row.date, row.statement_id, labels.statement(row.statement_id),
                   labels.theme(labels.statement_theme(row.statement_id)),
                   *answer_cells(row.answers),
                   row.touch.total, row.staff.total,
                   visits,
                   per_visit_cell(tallies.per_visit(row.location, row.date)),
                   approaches_cell(approaches.get((row.location, row.date), ()), labels.content)]

    return _csv(CSV_HEADER, rows(), publiek)


def referrals_to_csv(tallies: Tallies, course_name: Callable[[str], str] = str, *,
                     publiek: bool = False) -> str:
    """The referrals CSV text: one row per course (without the BOM)."""
    tallies = public(tallies, None, publiek)
    return _csv(REFERRALS_CSV_HEADER, (
        [row.course_id, course_name(row.course_id), row.suggested,
         row.qr_shown, row.printed]
        for row in tallies.referrals
    ), publiek)


def conversations_to_csv(tallies: Tallies, labels: Labels, publiek: bool = False) -> str:
    """The conversations CSV text: counts per place, date, topic and referral."""
    tallies = public(tallies, labels, publiek)
    return _csv(CONVERSATIONS_HEADER, (
        conversation_cells(row, labels, publiek)
        for row in conversation_counts(tallies.conversations, labels)
    ), publiek)


def signals_to_csv(tallies: Tallies, labels: Labels, publiek: bool = False) -> str:
    """The signals CSV text: counts per place, date and kind; internally per free text."""
    tallies = public(tallies, labels, publiek)
    return _csv(signals_header(publiek), (
        signal_cells(row, labels, publiek)
        for row in signal_counts(tallies.signals, labels, free_text=not publiek)
    ), publiek)


def to_json(tallies: Tallies, statement_text: Callable[[str], str], generated: date,
            course_name: Callable[[str], str] = str, *, labels: Labels | None = None,
            publiek: bool = False) -> str:
    """The JSON text: metadata, filters, generation date, groups per location and date,
    totals, the referrals per course, the sessions, the conversations and the signals."""
    labels = labels or Labels(statement_text=statement_text, course_name=course_name)
    tallies = public(tallies, labels, publiek)
    approaches = group_approaches(tallies, labels.content)

    def n(count: int) -> int:
        return count

    def counts(values: Counts) -> dict[str, Any]:
        return {"eens": n(values.eens), "oneens": n(values.oneens),
                "weet_niet": n(values.weet_niet), "total": n(values.total)}

    rows_by_group: dict[tuple[str, str], list[TallyRow]] = {}
    for row in statement_rows(tallies, labels):
        rows_by_group.setdefault((row.location, row.date), []).append(row)
    groups = []
    for location, day in tallies.groups():
        visits = tallies.visit_count(location, day)
        statements = [
            {"id": row.statement_id, "text": labels.statement(row.statement_id),
             "theme": labels.statement_theme(row.statement_id),
             "theme_name": labels.theme(labels.statement_theme(row.statement_id)),
             **counts(row.answers), "touch": counts(row.touch), "staff": counts(row.staff)}
            for row in rows_by_group.get((location, day), [])
        ]
        groups.append({"location": location, "date": day,
                       **approaches_json(approaches.get((location, day), ()), labels.content),
                       "visits": n(visits.visits),
                       "completed_visits": n(visits.completed), "statements": statements})
    totals = tallies.totals
    word = audience(publiek)
    document = {
        "metadata": {
            "audience": word,
            "rounding": ROUNDING_NOTE if publiek else "exact",
            "ids": not publiek,
            "free_text": not publiek,
            "note": AUDIENCE_NOTES[word],
            "unknown_time": UNKNOWN_NOTE,
        },
        "generated": generated.isoformat(),
        "filters": {
            "since": tallies.since.isoformat() if tallies.since else None,
            "until": tallies.until.isoformat() if tallies.until else None,
            "location": tallies.location,
        },
        "groups": groups,
        "totals": {**counts(totals.answers), "touch": counts(totals.touch),
                   "staff": counts(totals.staff), "visits": n(totals.visits),
                   "completed_visits": n(totals.completed),
                   "conversations": n(len(tallies.conversations)),
                   "signals": n(len(tallies.signals))},
        "referrals": [_referral(row, labels.course, publiek) for row in tallies.referrals],
        "sessions": [{**_session(session, publiek),
                      **approaches_json((session.approach,), labels.content)}
                     for session in tallies.sessions],
        "conversations": _conversations(tallies, labels, publiek),
        "signals": _signals(tallies, labels, publiek),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _conversations(tallies: Tallies, labels: Labels, publiek: bool) -> list[dict[str, Any]]:
    """Internal: one entry per conversation, with its ids. Public: counts per place, date,
    topic and referral."""
    if publiek:
        return [{"location": c.location, "place_kind": c.place_kind, "date": c.date,
                 "topic": c.topic, "topic_name": labels.theme(c.topic),
                 "referred_kind": c.referred_kind, "referred_to": c.referred_to,
                 "referred_name": labels.referral_target(c.referred_kind, c.referred_to),
                 "count": c.count}
                for c in conversation_counts(tallies.conversations, labels)]
    return [{"id": c.conversation_id, "session": c.session_id, "location": c.location,
             "place_kind": c.place_kind, "date": c.date, "at": shown_time(c.at),
             "topic": c.topic, "topic_name": labels.theme(c.topic),
             "referred_kind": c.referred_kind, "referred_to": c.referred_to,
             "referred_name": labels.referral_target(c.referred_kind, c.referred_to)}
            for c in tallies.conversations]


def _signals(tallies: Tallies, labels: Labels, publiek: bool) -> list[dict[str, Any]]:
    """Internal: one entry per signal, with its ids and free text. Public: counts per place,
    date and kind, no text."""
    if publiek:
        return [{"location": s.location, "place_kind": s.place_kind, "date": s.date,
                 "kind": s.kind, "name": labels.signal(s.kind), "count": s.count}
                for s in signal_counts(tallies.signals, labels, free_text=False)]
    return [{"id": s.signal_id, "session": s.session_id, "location": s.location,
             "place_kind": s.place_kind, "date": s.date, "at": shown_time(s.at), "kind": s.kind,
             "name": labels.signal(s.kind), "text": s.text}
            for s in tallies.signals]


def _referral(row: ReferralCount, course_name: Callable[[str], str],
              publiek: bool) -> dict[str, Any]:
    return {"course": row.course_id, "name": course_name(row.course_id),
            "suggested": row.suggested, "qr_shown": row.qr_shown,
            "printed": row.printed}


def _session(session: SessionCount, publiek: bool) -> dict[str, Any]:
    """A session; a public export has no id."""
    return {**({} if publiek else {"id": session.session_id}), "location": session.location,
            "date": session.date,
            "place_kind": session.place_kind, "statement_set": session.statement_set,
            "started": shown_time(session.started), "ended": shown_time(session.ended),
            "per_visit": session.per_visit, "visits": session.visits,
            "completed_visits": session.completed}


def write_atomically(out: Path, text: str, encoding: str) -> None:
    """Write ``text`` to a temporary file beside ``out``, flush it to disk, move it into place."""
    if not out.parent.is_dir():
        raise ExportError(
            f"Kan {out} niet schrijven: de map {out.parent} bestaat niet. "
            "Maak eerst de map, of kies een andere map."
        )
    try:
        write_text(out, text, encoding=encoding, newline="", mode=file_mode())
    except OSError as error:
        raise ExportError(
            f"Kan {out} niet schrijven: {error}. Kijk of je in de map mag schrijven en of "
            "het bestand niet open staat in een ander programma (Excel houdt open bestanden "
            "vast)."
        ) from error
