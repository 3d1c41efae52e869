"""The report for the municipality: an A4 PDF with charts and tables.

``build_report(db_path, content, out_pdf, since, until, location, publiek=...)`` writes:

1. a first page with the library's name, the period, the filters, whether the
   report is internal or public, the totals with their percentages, and a note
   on how to read the numbers;
2. with ``free_text`` (``kiosk report --met-vrije-tekst``, internal only): the
   free texts staff typed with an "Anders" signal, on their own page right after
   the first, headed so the coordinator reads them before sending the report on;
3. per theme (the order of themes.toml, then of the set) per statement a
   horizontal bar chart of eens / oneens / weet niet, every chart on the same
   scale; a statement with too few answers for a chart gets one line instead,
   and a period with too few for any chart says so once, above a table;
4. tables per location and per period (month, or day for a short period);
5. "Welke plek werkt?": places, kinds of place, parts of the day and weekdays
   compared (:mod:`kiosk.core.places`);
6. "Signalen en gesprekken": signals per kind, per place and per period;
   conversations per topic and per referral target;
7. the visits per location and day, and per choice of statements per visit;
8. the referrals per course; 9. the beanbag tallies counted by staff.

Intern or publiek: the coordinator's report (the default) has exact counts and
says "intern" on its first page and in every footer. ``publiek=True`` reads
every count from :func:`kiosk.core.publication.publish` (controlled rounding to
multiples of 5: small numbers can identify people); every total, percentage,
bar and rate (visits per staffed hour) is computed from the rounded counts, so
no hidden count can be worked back. Staffed hours and session counts stay exact.

Rows whose time is doubtful (a laptop with a wrong date, a hostile file: see
:mod:`kiosk.core.doubtful`) are counted, under "tijd onbekend" wherever the
report shows a day, a period, a part of the day or a weekday.

Four modules: this one reads the database and writes the files (each complete or
absent); :mod:`kiosk.gui.report_sections` (and :mod:`kiosk.gui.report_approaches`)
say what each section holds; :mod:`kiosk.gui.report_document` builds one
:class:`QTextDocument` from them (headings, real tables, charts as images) that
is printed to PDF (:class:`QPdfWriter`) and saved as OpenDocument text
(:class:`QTextDocumentWriter`, "odf": opens in LibreOffice Writer and Word).
The file's suffix says which: ``.pdf`` or ``.odt``. No QWidget, no QPixmap: the
report can be built on a worker thread. Qt needs a QApplication for fonts: an
existing one is used, else one is made on the "offscreen" platform.
"""


from __future__ import annotations

import os
import sqlite3
import sys
import zipfile
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk import paths
from kiosk.core.approaches import compare_approaches
from kiosk.core.export import ExportError, Labels, file_mode
from kiosk.core.files import IncompleteFile, check_pdf, replacing
from kiosk.core.model import Content
from kiosk.core.places import compare_places
from kiosk.core.publication import publish
from kiosk.core.summary import referrals_per_course, session_rows
from kiosk.core.tallies import tallies
from kiosk.gui.report_document import FONT, NUMBER_FONTS, ODF_MIMETYPE, Document
from kiosk.gui.report_document import nice_max as _nice_max  # noqa: F401 - tests use these
from kiosk.gui.report_document import tick_step as _tick_step  # noqa: F401
from kiosk.gui.report_sections import ReportData, count_cell, write_sections
from kiosk.gui.theme import Theme, load_fonts

__all__ = ["FORMATS", "ReportError", "build_report", "check_odt", "count_cell", "report_data"]

#: The report's file formats, by suffix.
FORMATS = (".pdf", ".odt")


class ReportError(ExportError):
    """The report could not be made; the message names the cause and the fix."""


def build_report(
    db_path: Path,
    content: Content,
    out: Path | Sequence[Path],
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
    generated: date | None = None,
    *,
    publiek: bool = False,
    free_text: bool = False,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write the report for the sessions between ``since`` and ``until`` (inclusive).

    Args:
        db_path: the kiosk database (opened read-only).
        content: for the library's name, statement texts and the names of courses,
            themes, partners and signals.
        out: the file to write, or several (one document, written once per file): a
            ``.pdf`` or an ``.odt`` (OpenDocument text); each replaced atomically.
        since, until: session start dates to include; None for no limit.
        location: only this location; None for all.
        generated: the date printed as "gemaakt op" (today when None).
        publiek: a public report: published (rounded) counts.
        free_text: add the free texts of "Anders" signals (internal reports only).
        progress: told (in Dutch, for staff) what is being done.

    Returns:
        The number of pages (of the PDF; of the document's own A4 layout for an ODT).

    Raises:
        ReportError: no database, not a kiosk database, a suffix other than .pdf or
            .odt, a file that cannot be written, or free text asked for in a public
            report.
    """
    if publiek and free_text:
        raise ReportError(
            "Een publiek rapport toont nooit vrije tekst. Laat --met-vrije-tekst weg, of "
            "maak voor jezelf een intern rapport (zonder --publiek)."
        )
    outs = [Path(out)] if isinstance(out, (str, os.PathLike)) else [Path(o) for o in out]
    for target in outs:
        if target.suffix.lower() not in FORMATS:
            raise ReportError(
                f"Kan {target} niet schrijven: een rapport is een .pdf of een .odt "
                "(OpenDocument, voor Word en LibreOffice). Kies een naam die eindigt op .pdf "
                "of .odt.")
    tell = progress or (lambda text: None)
    db_path = Path(db_path)
    tell("Cijfers lezen…")
    data = _read(db_path, since, until, location, content, publiek, free_text)
    for target in outs:
        if not target.parent.is_dir():
            raise ReportError(
                f"Kan {target} niet schrijven: de map {target.parent} bestaat niet. "
                "Maak eerst de map, of kies een andere map."
            )
    app = _application()  # noqa: F841 - kept alive while painting
    theme = Theme.load(paths.ui_dir())
    tell("Rapport opmaken…")
    document = _document(data, content, theme, generated or date.today())
    pages = 0
    for target in outs:
        kind = target.suffix.lower()
        tell("PDF schrijven…" if kind == ".pdf" else "Bestand voor Word en LibreOffice "
             "schrijven…")
        try:  # complete or absent: a temporary file, checked, flushed, then renamed
            with replacing(target, suffix=kind, mode=file_mode(),
                           check=check_pdf if kind == ".pdf" else check_odt) as temporary:
                written = _render(temporary, document)
        except OSError as error:
            reason = error.strerror if error.strerror else str(error)
            raise ReportError(
                f"Kan het rapport {target} niet schrijven: {reason}. Er is niets geschreven. "
                "Kijk of er ruimte op de schijf is en of je in de map mag schrijven, en "
                "probeer het opnieuw."
            ) from error
        pages = pages or written
    return pages


def check_odt(path: Path) -> None:
    """Raise :class:`IncompleteFile` unless ``path`` is a whole OpenDocument text: a zip
    whose first entry ``mimetype`` says so, with a ``content.xml``."""
    try:
        with zipfile.ZipFile(path) as odt:
            names = odt.namelist()
            if (not names or names[0] != "mimetype" or "content.xml" not in names
                    or odt.read("mimetype").strip() != ODF_MIMETYPE
                    or odt.testzip() is not None):
                raise IncompleteFile("het ODT-bestand is onvolledig")
    except (zipfile.BadZipFile, EOFError) as error:
        raise IncompleteFile(f"het ODT-bestand is onvolledig ({error})") from error


# -- data ----------------------------------------------------------------------


def _read(db_path: Path, since, until, location, content: Content, publiek: bool,
          free_text: bool) -> ReportData:
    if not db_path.is_file():
        raise ReportError(
            f"Geen database van de kiosk in {db_path}. Wijs met --data-dir de gegevensmap van "
            "de kiosk aan."
        )
    try:
        with closing(sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            counted = tallies(conn, since, until, location)
            sessions = session_rows(conn, since, until, location)
            places = compare_places(conn, since, until, location)
            approaches = compare_approaches(conn, since, until, location, content, publiek=publiek)
    except sqlite3.Error as error:
        raise ReportError(
            f"Kan {db_path} niet lezen: {error}. Kies het eigen databasebestand van de kiosk "
            "(kiosk.db)."
        ) from error
    return replace(report_data(counted, sessions, places, content, since, until, location,
                               publiek, free_text), approaches=approaches)


def report_data(counted, sessions, places, content: Content, since, until, location,
                publiek: bool, free_text: bool) -> ReportData:
    """The report's numbers; a public report's from :func:`kiosk.core.publication.publish`."""
    if publiek:
        published = publish(counted, Labels(content).statement_key, places, sessions)
        counted, places, sessions = published.tallies, published.places, published.sessions
    return ReportData(counted, sessions, referrals_per_course(counted, content), places,
                      since, until, location, publiek, free_text)


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no screen
        app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    families = QFontDatabase.families()
    if FONT not in families or NUMBER_FONTS[0] not in families:
        load_fonts(paths.ui_dir())
    return app


# -- writing -------------------------------------------------------------------


def _document(data: ReportData, content: Content, theme: Theme, generated: date) -> Document:
    """The report as one document (see :mod:`kiosk.gui.report_document`)."""
    library = content.library.name
    word = "publiek" if data.publiek else "intern"
    footer = f"Stellingenkiosk · {library} · " + (
        "publiek" if data.publiek else "intern: exacte aantallen, niet doorsturen")
    document = Document(f"Stellingenkiosk: rapport {library} ({word})", footer)
    write_sections(document, data, content, theme, generated)
    return document


def _render(out: Path, document: Document) -> int:
    """``document`` into ``out`` (a PDF or an ODT, by its suffix); the number of pages."""
    if out.suffix.lower() == ".odt":
        if not document.write_odt(out):
            raise IncompleteFile("het ODT-bestand kon niet worden geschreven")
        return document.page_count()
    title = document.document.metaInformation(document.document.MetaInformation.DocumentTitle)
    pages = document.write_pdf(out, title)
    if not pages:  # a PDF that could not be opened or finished (a full disk, often)
        raise IncompleteFile("de PDF kon niet worden afgemaakt")
    return pages
