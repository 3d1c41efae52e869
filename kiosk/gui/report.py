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
says "intern" on its first page and in every footer. ``publiek=True`` prints
every count from 1 to 4 as "<5" (0 stays 0): small numbers can identify people.
A hidden count has no percentage beside it and is drawn as no bar, so neither
gives it away. Every other count has its percentage beside it.

Numbers are set in Source Sans 3 (``ui/fonts``), whose zero is plain: the
body face, Atkinson Hyperlegible, has a slashed zero (its tabular figures too).
Each run of digits in a text gets that face, scaled so its digits stand as high
as Atkinson's, with tabular figures so columns line up.

Charts are drawn with QPainter straight onto the printer (vector output, the
kiosk's fonts and colours); no QtCharts. The printer is a :class:`QPrinter` in
PDF mode (no printer, no display needed). Qt needs a QApplication for fonts: an
existing one is used, else one is made on the "offscreen" platform.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from kiosk import paths
from kiosk.core.export import (
    REFERRAL_KIND_WORDS,
    REFERRALS_NOTE,
    SMALL,
    SMALL_TEXT,
    ExportError,
    Labels,
    file_mode,
    hidden,
    shown_percent,
)
from kiosk.core.files import IncompleteFile, check_pdf, replacing
from kiosk.core.model import ANSWERS, OTHER_SIGNAL, Content
from kiosk.core.places import (
    OPEN_SESSIONS_NOTE,
    PlaceComparison,
    PlaceStats,
    compare_places,
)
from kiosk.core.summary import (
    MONTHS,
    SessionRow,
    dutch_date,
    referrals_per_course,
    session_rows,
    statement_words,
)
from kiosk.core.tallies import Counts, Tallies, tallies
from kiosk.gui.theme import Theme, load_fonts

FONT = "Atkinson Hyperlegible"
#: The face for numbers (a plain zero); then faces with a plain zero found on most systems.
NUMBER_FONTS = ("Source Sans 3", "DejaVu Sans", "Arial", "Helvetica")
#: A number in a text: digits, with the separators inside it ("10:15", "1,5", "2.500").
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MARGIN_MM = 18
ANSWER_WORDS = {"eens": "Eens", "oneens": "Oneens", "weet_niet": "Weet niet"}
INK = "#1B2F4B"
INK_QUIET = "#34465E"
GRID = "#D9CDB8"
STRIPE = "#F7F1E6"
HEADER = "#F1E7D6"
WARNING = "#FBE3D6"
NO_THEME = "Overig"
OTHER_STATEMENTS = "Andere stellingen"


class ReportError(ExportError):
    """The report could not be made; the message names the cause and the fix."""


def small(count: int, publiek: bool = True) -> str:
    """A count as printed: 0 as "0", 1 to 4 as "<5" in a public report, else the number."""
    return SMALL_TEXT if hidden(count, publiek) else str(count)


def count_cell(count: int, whole: int | None, publiek: bool) -> str:
    """A count with its percentage of ``whole`` beside it: "12 (40%)"; "0"; "<5" (no
    percentage: it would give the hidden count away); just the count when whole is None."""
    text = small(count, publiek)
    if count == 0 or whole is None:
        return text
    share = shown_percent(count, whole, publiek)
    return text if share is None else f"{text} ({share}%)"


def build_report(
    db_path: Path,
    content: Content,
    out_pdf: Path,
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
    generated: date | None = None,
    *,
    publiek: bool = False,
    free_text: bool = False,
) -> int:
    """Write the report for the sessions between ``since`` and ``until`` (inclusive).

    Args:
        db_path: the kiosk database (opened read-only).
        content: for the library's name, statement texts and the names of courses,
            themes, partners and signals.
        out_pdf: the PDF to write (replaced atomically if it exists).
        since, until: session start dates to include; None for no limit.
        location: only this location; None for all.
        generated: the date printed as "gemaakt op" (today when None).
        publiek: a public report: counts 1-4 as "<5".
        free_text: add the free texts of "Anders" signals (internal reports only).

    Returns:
        The number of pages.

    Raises:
        ReportError: no database, not a kiosk database, the PDF cannot be written, or
            free text asked for in a public report.
    """
    if publiek and free_text:
        raise ReportError(
            "Een publiek rapport toont nooit vrije tekst. Laat --met-vrije-tekst weg, of "
            "maak voor jezelf een intern rapport (zonder --publiek)."
        )
    db_path, out_pdf = Path(db_path), Path(out_pdf)
    data = _read(db_path, since, until, location, content, publiek, free_text)
    if not out_pdf.parent.is_dir():
        raise ReportError(
            f"Kan {out_pdf} niet schrijven: de map {out_pdf.parent} bestaat niet. "
            "Maak eerst de map, of kies een andere map."
        )
    app = _application()  # noqa: F841 - kept alive while painting
    theme = Theme.load(paths.ui_dir())
    try:  # complete or absent: a temporary PDF, checked, flushed, then renamed
        with replacing(out_pdf, suffix=".pdf", mode=file_mode(), check=check_pdf) as temporary:
            pages = _render(temporary, data, content, theme, generated or date.today())
    except OSError as error:
        reason = error.strerror if error.strerror else str(error)
        raise ReportError(
            f"Kan het rapport {out_pdf} niet schrijven: {reason}. Er is niets geschreven. "
            "Kijk of er ruimte op de schijf is en of je in de map mag schrijven, en probeer "
            "het opnieuw."
        ) from error
    return pages


# -- data ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    tallies: Tallies
    sessions: tuple[SessionRow, ...]
    courses: tuple  # CourseCount
    places: PlaceComparison
    since: date | None
    until: date | None
    location: str | None
    publiek: bool
    free_text: bool


def _read(db_path: Path, since, until, location, content: Content, publiek: bool,
          free_text: bool) -> _Data:
    if not db_path.is_file():
        raise ReportError(
            f"Geen database van de kiosk in {db_path}. Wijs met --data-dir de gegevensmap van "
            "de kiosk aan."
        )
    try:
        with closing(sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            counted = tallies(conn, since, until, location)
            sessions = session_rows(conn, since, until, location)
            courses = referrals_per_course(counted, content)
            places = compare_places(conn, since, until, location)
    except sqlite3.Error as error:
        raise ReportError(
            f"Kan {db_path} niet lezen: {error}. Kies het eigen databasebestand van de kiosk "
            "(kiosk.db)."
        ) from error
    return _Data(counted, sessions, courses, places, since, until, location, publiek, free_text)


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no screen
        app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    families = QFontDatabase.families()
    if FONT not in families or NUMBER_FONTS[0] not in families:
        load_fonts(paths.ui_dir())
    return app


# -- layout --------------------------------------------------------------------


class _Pages:
    """A cursor down A4 pages: headings, paragraphs, tables and charts; footers.

    Every text goes through :meth:`layout`, which sets the numbers in it in the
    number face."""

    def __init__(self, printer: QPrinter, painter: QPainter, footer: str) -> None:
        self.printer, self.painter, self.footer = printer, painter, footer
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        self.width = float(page.width())
        self.height = float(page.height())
        self.bottom = self.height - self.mm(10)  # room for the footer
        self.y = 0.0
        self.page = 1
        self._number_scale = self._digit_height(QFont(FONT)) / max(
            self._digit_height(self._numbers(QFont(FONT), 1.0)), 1e-6)

    def mm(self, value: float) -> float:
        return value * self.printer.resolution() / 25.4

    @staticmethod
    def font(points: float, bold: bool = False) -> QFont:
        font = QFont(FONT)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    @staticmethod
    def _numbers(font: QFont, scale: float) -> QFont:
        numbers = QFont(font)
        numbers.setFamilies(list(NUMBER_FONTS))
        numbers.setPointSizeF(font.pointSizeF() * scale)
        numbers.setFeature(QFont.Tag("tnum"), 1)  # tabular figures: columns line up
        return numbers

    def _digit_height(self, font: QFont) -> float:
        font = QFont(font)
        font.setPointSizeF(40)
        return QFontMetricsF(font, self.printer).tightBoundingRect("0123456789").height()

    def number_font(self, font: QFont) -> QFont:
        """The number face for text in ``font``: digits as high as the body face's."""
        return self._numbers(font, self._number_scale)

    # -- text ------------------------------------------------------------------

    def layout(self, text: str, font: QFont, width: float, wrap: bool = True
               ) -> tuple[QTextLayout, float]:
        """``text`` laid out in ``width`` (numbers in the number face); and its height."""
        layout = QTextLayout(text, font, self.printer)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap
                           else QTextOption.WrapMode.NoWrap)
        layout.setTextOption(option)
        number_format = QTextCharFormat()
        number_format.setFont(self.number_font(font))
        ranges = []
        for match in NUMBER.finditer(text):
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = match.start(), len(match[0]), number_format
            ranges.append(span)
        layout.setFormats(ranges)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return layout, height

    def line_width(self, text: str, font: QFont) -> float:
        layout, _height = self.layout(text, font, 1e6, wrap=False)
        return layout.lineAt(0).naturalTextWidth() if layout.lineCount() else 0.0

    def draw_line(self, rect: QRectF, text: str, font: QFont, color: str,
                  align_right: bool = False) -> None:
        """One line of text in ``rect``, vertically centred, elided when too long."""
        if self.line_width(text, font) > rect.width():
            metrics = QFontMetricsF(font, self.printer)
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() * 0.97)
        layout, height = self.layout(text, font, rect.width(), wrap=False)
        x = rect.x()
        if align_right and layout.lineCount():
            x = rect.right() - layout.lineAt(0).naturalTextWidth()
        self.painter.setPen(QColor(color))
        layout.draw(self.painter, QPointF(x, rect.y() + (rect.height() - height) / 2))

    def draw_block(self, rect: QRectF, text: str, font: QFont, color: str) -> float:
        """Wrapped text from the top left of ``rect``; returns its height."""
        layout, height = self.layout(text, font, rect.width())
        self.painter.setPen(QColor(color))
        layout.draw(self.painter, rect.topLeft())
        return height

    # -- pages -----------------------------------------------------------------

    def new_page(self) -> None:
        self._footer()
        self.printer.newPage()
        self.page += 1
        self.y = 0.0

    def finish(self) -> int:
        self._footer()
        return self.page

    def _footer(self) -> None:
        font = self.font(8)
        rect = QRectF(0, self.height - self.mm(6), self.width, self.mm(6))
        self.draw_line(rect, self.footer, font, INK_QUIET)
        self.draw_line(rect, f"pagina {self.page}", font, INK_QUIET, align_right=True)

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` fits below the cursor."""
        if self.y > 0 and self.y + height > self.bottom:
            self.new_page()

    def space(self, millimetres: float) -> None:
        self.y += self.mm(millimetres)

    def text(self, text: str, points: float = 10.5, bold: bool = False,
             color: str = INK, keep_with: float = 0.0) -> None:
        """A paragraph; ``keep_with`` keeps that much room below it on the same page."""
        font = self.font(points, bold)
        _layout, height = self.layout(text, font, self.width)
        self.room(height + keep_with)
        self.draw_block(QRectF(0, self.y, self.width, height), text, font, color)
        self.y += height

    def boxed(self, text: str, points: float = 10.5, bold: bool = False) -> None:
        """A paragraph on a coloured ground: a warning the reader must not miss."""
        font = self.font(points, bold)
        pad = self.mm(3)
        _layout, height = self.layout(text, font, self.width - 2 * pad)
        self.room(height + 2 * pad)
        self.painter.fillRect(QRectF(0, self.y, self.width, height + 2 * pad), QColor(WARNING))
        self.draw_block(QRectF(pad, self.y + pad, self.width - 2 * pad, height), text, font, INK)
        self.y += height + 2 * pad

    def heading(self, text: str, keep_with: float = 0.0, points: float = 15) -> None:
        self.space(5)
        self.text(text, points, bold=True, keep_with=keep_with + self.mm(4))
        self.space(2)

    def title(self, text: str, keep_with: float = 0.0) -> None:
        """A section's title (18 pt)."""
        self.space(8)
        self.text(text, 18, bold=True, keep_with=keep_with + self.mm(30))
        self.space(1)

    def table(self, headers: Sequence[str] | None, rows: Sequence[Sequence[str]],
              weights: Sequence[float], numeric_from: int = 1, points: float = 9.5) -> None:
        """A table; columns from ``numeric_from`` on are right-aligned; the header (which
        may wrap over lines) repeats on a new page. ``headers`` None: no header row."""
        font, bold = self.font(points), self.font(points, bold=True)
        row_height = QFontMetricsF(font, self.printer).height() * 1.7
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        pad = self.mm(1.6)
        header_height = row_height
        if headers:
            tallest = max(self.layout(h, bold, w - 2 * pad)[1] for h, w in zip(headers, widths,
                                                                               strict=True))
            header_height = max(row_height, tallest + row_height * 0.5)

        def draw_header() -> None:
            self.painter.fillRect(QRectF(0, self.y, self.width, header_height), QColor(HEADER))
            x = 0.0
            for index, (cell, width) in enumerate(zip(headers or (), widths, strict=True)):
                layout, height = self.layout(cell, bold, width - 2 * pad)
                self.painter.setPen(QColor(INK))
                top = self.y + (header_height - height) / 2
                for number in range(layout.lineCount()):  # right-align numeric headers
                    line = layout.lineAt(number)
                    shift = (width - 2 * pad - line.naturalTextWidth()
                             if index >= numeric_from else 0.0)
                    line.draw(self.painter, QPointF(x + pad + shift, top))
                x += width
            self._rule(header_height)

        def draw_row(cells: Sequence[str], stripe: bool) -> None:
            if stripe:
                self.painter.fillRect(QRectF(0, self.y, self.width, row_height), QColor(STRIPE))
            x = 0.0
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
                rect = QRectF(x + pad, self.y, width - 2 * pad, row_height)
                self.draw_line(rect, cell, font, INK, align_right=index >= numeric_from)
                x += width
            self._rule(row_height)

        self.room(header_height + row_height * min(len(rows), 3))
        if headers:
            draw_header()
        for index, cells in enumerate(rows):
            if self.y + row_height > self.bottom:
                self.new_page()
                if headers:
                    draw_header()
            draw_row(cells, index % 2 == 1)

    def _rule(self, height: float) -> None:
        self.painter.setPen(QPen(QColor(GRID), self.mm(0.2)))
        self.painter.drawLine(QPointF(0, self.y + height), QPointF(self.width, self.y + height))
        self.y += height

    def legend(self, colors: dict[str, str]) -> None:
        font = self.font(9.5)
        metrics = QFontMetricsF(font, self.printer)
        height = metrics.height()
        self.room(height * 1.5)
        x, box = 0.0, height * 0.8
        for answer in ANSWERS:
            self.painter.fillRect(QRectF(x, self.y + (height - box) / 2, box, box),
                                  QColor(colors[answer]))
            x += box + self.mm(2)
            word = ANSWER_WORDS[answer]
            self.draw_line(QRectF(x, self.y, self.mm(40), height), word, font, INK)
            x += metrics.horizontalAdvance(word) + self.mm(8)
        self.y += height * 1.5

    def bars(self, bars: Sequence[_Bar], axis_max: int, height_mm: float) -> None:
        """A horizontal bar chart across the page, ``height_mm`` high: a label per bar at
        the left, the bars in the same plot area (so the same scale) on every chart, grid
        lines and the scale below."""
        height = self.mm(height_mm)
        self.room(height)
        painter = self.painter
        label_font, axis_font = self.font(9), self.font(7.5)
        axis_height = QFontMetricsF(axis_font, self.printer).height() * 1.4
        left, right = self.mm(CHART_LABELS_MM), self.width - self.mm(3)
        top, bottom = self.y + self.mm(0.5), self.y + height - axis_height
        scale = (right - left) / axis_max
        step = _tick_step(axis_max)
        for tick in range(0, axis_max + 1, step):
            x = left + tick * scale
            painter.setPen(QPen(QColor(GRID), self.mm(0.15)))
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            label = str(tick)
            width = self.line_width(label, axis_font)
            self.draw_line(QRectF(x - width / 2 - self.mm(2), bottom, width + self.mm(4),
                                  axis_height), label, axis_font, INK_QUIET)
        band = (bottom - top) / max(len(bars), 1)
        for index, bar in enumerate(bars):
            y = top + index * band
            self.draw_line(QRectF(0, y, left - self.mm(2.5), band), bar.label, label_font, INK,
                           align_right=True)
            if bar.value > 0:
                thickness = band * 0.72
                painter.fillRect(QRectF(left, y + (band - thickness) / 2,
                                        min(bar.value, axis_max) * scale, thickness),
                                 QColor(bar.color))
        painter.setPen(QPen(QColor(INK), self.mm(0.25)))
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
        self.y += height


# -- charts --------------------------------------------------------------------


#: Room at the left of every chart for its labels ("Weet niet  12 (40%)"), in mm.
CHART_LABELS_MM = 40
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


@dataclass(frozen=True)
class _Bar:
    label: str
    value: int  # 0: no bar (none, or a hidden count)
    color: str


def _nice_max(value: int) -> int:
    """The axis end: ``value`` rounded up to a round number (at least 5)."""
    value = max(value, SMALL)
    power = 10 ** math.floor(math.log10(value))
    return int(next(step * power for step in NICE_STEPS if step * power >= value))


def _tick_step(axis_max: int) -> int:
    """A round step that gives 4 to 8 grid lines up to ``axis_max``."""
    power = 10 ** max(math.floor(math.log10(axis_max)) - 1, 0)
    for step in (1, 2, 5, 10, 20, 50, 100):
        if axis_max / (step * power) <= 8:
            return step * power
    return axis_max


def _values(counts: Counts) -> dict[str, int]:
    return {"eens": counts.eens, "oneens": counts.oneens, "weet_niet": counts.weet_niet}


def _chartable(counts: Counts, publiek: bool) -> bool:
    """Enough answers for a chart: 5 or more, and in a public report at least one bar
    that is not hidden."""
    if counts.total < SMALL:
        return False
    return not publiek or any(v >= SMALL for v in _values(counts).values())


def _statement_bars(counts: Counts, colors: dict[str, str], publiek: bool) -> list[_Bar]:
    """Eens, oneens, weet niet: the count and its percentage in the label; a hidden count
    draws no bar."""
    values = _values(counts)
    return [
        _Bar(f"{ANSWER_WORDS[answer]}  {count_cell(values[answer], counts.total, publiek)}",
             0 if hidden(values[answer], publiek) else values[answer], colors[answer])
        for answer in ANSWERS
    ]


# -- the report ----------------------------------------------------------------


def _period(data: _Data) -> str:
    if data.since and data.until:
        return f"{dutch_date(data.since)} tot en met {dutch_date(data.until)}"
    if data.since:
        return f"vanaf {dutch_date(data.since)}"
    if data.until:
        return f"tot en met {dutch_date(data.until)}"
    days = sorted(s.started[:10] for s in data.sessions)
    if not days:
        return "alle sessies (er zijn nog geen sessies)"
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    return f"alle sessies: {dutch_date(first)} tot en met {dutch_date(last)}"


def _statement_groups(content: Content, ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(theme name, statement ids) in the order of themes.toml, each theme's statements in
    the order of the set; statements with an unknown theme, then unknown ids, last."""
    ids = set(ids)
    by_theme: dict[str, list[str]] = {}
    seen: set[str] = set()
    for statement_set in content.sets.values():
        for statement in statement_set.statements:
            if statement.id in ids and statement.id not in seen:
                seen.add(statement.id)
                by_theme.setdefault(statement.theme, []).append(statement.id)
    groups = [(name, by_theme.pop(theme)) for theme, name in content.themes.items()
              if theme in by_theme]
    rest = [sid for statements in by_theme.values() for sid in statements]
    if rest:
        groups.append((NO_THEME, rest))
    unknown = sorted(ids - seen)
    if unknown:
        groups.append((OTHER_STATEMENTS, unknown))
    return groups


def _answer_cells(counts: Counts, publiek: bool) -> list[str]:
    """antwoorden, eens, oneens, weet niet: each answer with its share of the answers."""
    return [small(counts.total, publiek),
            *(count_cell(v, counts.total, publiek) for v in _values(counts).values())]


def _audience_line(publiek: bool) -> str:
    if publiek:
        return f"Publiek: aantallen van 1 tot en met {SMALL - 1} staan er als {SMALL_TEXT}"
    return "Intern: exacte aantallen. Niet doorsturen"


def _render(out: Path, data: _Data, content: Content, theme: Theme, generated: date) -> int:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(RESOLUTION)
    printer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter,
    ))
    library = content.library.name
    word = "publiek" if data.publiek else "intern"
    printer.setDocName(f"Stellingenkiosk: rapport {library} ({word})")
    printer.setCreator("Stellingenkiosk")
    painter = QPainter()
    if not painter.begin(printer):
        raise ReportError(
            f"Kan het rapport {out} niet schrijven: de PDF ging niet open. Kijk of je in de "
            "map mag schrijven en of het bestand niet open staat in een ander programma."
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        footer = f"Stellingenkiosk · {library} · " + (
            "publiek" if data.publiek else "intern: exacte aantallen, niet doorsturen")
        pages = _Pages(printer, painter, footer)
        labels = Labels(content)
        _cover(pages, data, library, generated)
        if data.free_text:
            _free_texts(pages, data)
        _statements(pages, data, content, theme)
        _tables(pages, data)
        _places(pages, data)
        _signals_and_conversations(pages, data, labels)
        _visits(pages, data)
        _referrals_and_staff(pages, data, content)
        count = pages.finish()
    except BaseException:
        painter.end()
        raise
    if not painter.end():  # a PDF that could not be finished (a full disk, often)
        raise IncompleteFile("de PDF kon niet worden afgemaakt")
    return count


def _cover(pages: _Pages, data: _Data, library: str, generated: date) -> None:
    totals, publiek = data.tallies.totals, data.publiek
    pages.text(library, 24, bold=True)
    pages.space(2)
    pages.text("Stellingen over lezen, schrijven, rekenen en digitaal: rapport voor de gemeente",
               14)
    pages.space(8)
    pages.table(None, [
        ["Periode", _period(data)],
        ["Plek", data.location or "alle plekken"],
        ["Gemaakt op", dutch_date(generated)],
        ["Uitvoer", _audience_line(publiek)],
    ], (1, 3), numeric_from=2)
    if not publiek:
        pages.space(3)
        pages.boxed(
            "Intern rapport: alle aantallen zijn exact, ook kleine aantallen die iemand "
            "herkenbaar kunnen maken" + (
                ", en met de vrije tekst van medewerkers (direct na deze inleiding). Lees die "
                "tekst eerst na: er mogen geen namen of andere persoonsgegevens in staan"
                if data.free_text else "")
            + ". Stuur dit rapport niet door. Voor de gemeente: kiosk report --publiek.",
            10.5, bold=True)
    pages.heading("In het kort")
    places = {s.location for s in data.sessions}
    printed = sum(c.printed for c in data.courses)
    referrals = sum(c.referrals for c in data.courses)
    answers = totals.answers.total
    staffed = data.places.total.staffed_hours
    pages.table(("", "aantal"), [
        ["Sessies (dagdelen met de kiosk)", str(len(data.sessions))],
        ["Plekken", str(len(places))],
        ["Bemande uren", _hours(staffed)],
        ["Bezoekers bij de kiosk", small(totals.visits, publiek)],
        ["… die alle stellingen van hun bezoek beantwoordden",
         count_cell(totals.completed, totals.visits, publiek)],
        ["Antwoorden, totaal", small(answers, publiek)],
        ["… op het scherm", count_cell(totals.touch.total, answers, publiek)],
        ["… bij het spel, geteld door medewerkers",
         count_cell(totals.staff.total, answers, publiek)],
        ["Verwijzingen naar een cursus (QR-code)", small(referrals, publiek)],
        ["… met een geprint briefje", count_cell(printed, referrals, publiek)],
        ["Gesprekken gevoerd (geteld door medewerkers)",
         small(len(data.tallies.conversations), publiek)],
        ["Signalen genoteerd (door medewerkers)", small(len(data.tallies.signals), publiek)],
    ], (3, 1))
    pages.heading("Zo leest u de cijfers")
    small_counts = (
        f"Aantallen van 1 tot en met {SMALL - 1} staan er als {SMALL_TEXT}: kleine aantallen "
        "kunnen iemand herkenbaar maken. Zo'n aantal heeft geen balk in de grafieken en "
        "geen percentage." if publiek else
        "Dit is de interne versie: alle aantallen zijn exact. In de publieke versie "
        f"(kiosk report --publiek) staan aantallen van 1 tot en met {SMALL - 1} als "
        f"{SMALL_TEXT}."
    )
    for line in (
        "Voorbijgangers gaven antwoord op korte stellingen: eens, oneens of weet niet. Bij het "
        "spel gooiden ze een zakje; medewerkers telden die worpen. Die tellen mee in de "
        "grafieken en staan ook apart.",
        "Alles is anoniem: geen namen, geen tekst van bezoekers, tijden afgerond op het "
        "kwartier. Gesprekken en signalen noteren medewerkers, zonder namen. Tussen haakjes "
        "staat het deel van het geheel: van de antwoorden op die stelling, van de bezoekers, "
        "of van alle signalen.",
        small_counts,
    ):
        pages.text(line, 10.5)
        pages.space(2)


def _hours(hours: float) -> str:
    """Hours the Dutch way: "3,5", "12"."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _free_texts(pages: _Pages, data: _Data) -> None:
    """The free texts as staff typed them (plain text: no markup is read in them)."""
    pages.new_page()
    pages.text("Vrije tekst van medewerkers: eerst nalezen", 18, bold=True)
    pages.space(3)
    pages.boxed("Lees deze teksten na voordat u het rapport doorstuurt. Medewerkers typten "
                "ze bij een signaal \"Anders\". Staat er een naam, een adres, een nummer of iets "
                "anders in waaraan iemand te herkennen is? Stuur het rapport dan niet door, en "
                "maak een versie zonder vrije tekst (zonder --met-vrije-tekst).", 10.5)
    pages.space(3)
    texts = [s for s in data.tallies.signals if s.kind == OTHER_SIGNAL and s.text]
    if not texts:
        pages.text("Geen vrije tekst in deze periode.")
    for signal in texts:  # whole, wrapped: a text is at most 140 characters
        pages.text(f"{signal.location}, {dutch_date(date.fromisoformat(signal.date))}", 9.5,
                   color=INK_QUIET, keep_with=pages.mm(6))
        pages.text(signal.text, 11)
        pages.space(2.5)


def _statements(pages: _Pages, data: _Data, content: Content, theme: Theme) -> None:
    publiek = data.publiek
    per_statement: dict[str, Counts] = {}
    for row in data.tallies.rows:
        per_statement[row.statement_id] = per_statement.get(row.statement_id,
                                                            Counts()) + row.answers
    pages.new_page()
    pages.text("Antwoorden per stelling", 18, bold=True)
    pages.space(2)
    if not per_statement:
        pages.text("Geen antwoorden in deze periode.")
        return
    groups = _statement_groups(content, per_statement)
    chartable = {sid for sid, counts in per_statement.items() if _chartable(counts, publiek)}
    if not chartable:
        pages.text(f"Te weinig antwoorden voor een grafiek: geen stelling heeft {SMALL} of meer "
                   "antwoorden" + (" op één keuze" if publiek else "") + ". De aantallen:",
                   10.5)
        pages.space(2)
        pages.table(("stelling", "antwoorden", "eens", "oneens", "weet niet"), [
            [content.statement_text(sid), *_answer_cells(per_statement[sid], publiek)]
            for _name, ids in groups for sid in ids
        ], (6, 1.6, 1.5, 1.5, 1.6))
        return
    colors = {"eens": theme.colors["eens"], "oneens": theme.colors["oneens"],
              "weet_niet": theme.colors["quiet_border"]}
    pages.text("Alle antwoorden, op het scherm en bij het spel, per thema. Elke grafiek heeft "
               "dezelfde schaal, zodat u de stellingen kunt vergelijken. Tussen haakjes: het "
               "deel van de antwoorden op die stelling.", 10.5)
    pages.space(2)
    pages.legend(colors)
    drawn = [bar.value for sid in chartable
             for bar in _statement_bars(per_statement[sid], colors, publiek)]
    axis_max = _nice_max(max(drawn, default=SMALL))
    chart_mm = 22.0
    for theme_name, ids in groups:
        pages.heading(theme_name, keep_with=pages.mm(chart_mm + 8))
        for statement_id in ids:
            counts = per_statement[statement_id]
            pages.space(2)
            if statement_id not in chartable:
                pages.text(content.statement_text(statement_id), 11, bold=True,
                           keep_with=pages.mm(6))
                each = ", ".join(f"{ANSWER_WORDS[a].lower()} {small(v, publiek)}"
                                 for a, v in _values(counts).items())
                pages.text(f"Te weinig antwoorden voor een grafiek: "
                           f"{small(counts.total, publiek)} antwoorden ({each}).", 10,
                           color=INK_QUIET)
                continue
            pages.text(content.statement_text(statement_id), 11, bold=True,
                       keep_with=pages.mm(chart_mm))
            pages.bars(_statement_bars(counts, colors, publiek), axis_max, chart_mm)


def _tables(pages: _Pages, data: _Data) -> None:
    rows, publiek = data.tallies.rows, data.publiek
    visitors = data.tallies.totals.visits
    headers = ("sessies", "bezoekers", "antwoorden", "eens", "oneens", "weet niet")
    weights = (3.2, 1.2, 1.8, 1.6, 1.7, 1.7, 1.7)
    empty = ["Geen sessies in deze periode.", "", "", "", "", "", ""]

    pages.title("Per plek en per periode")
    pages.text("Tussen haakjes: het deel van alle bezoekers, en van de antwoorden in die rij.",
               10)
    pages.heading("Per plek")
    by_place: dict[str, list] = {}
    for session in data.sessions:
        entry = by_place.setdefault(session.location, [0, 0, Counts()])
        entry[0] += 1
        entry[1] += session.visits
    for row in rows:
        by_place.setdefault(row.location, [0, 0, Counts()])[2] += row.answers
    pages.table(("plek", *headers), [
        [place, str(n), count_cell(v, visitors, publiek), *_answer_cells(c, publiek)]
        for place, (n, v, c) in sorted(by_place.items(), key=lambda i: i[0].casefold())
    ] or [empty], weights)

    # per period: months, or days when everything is in one month
    months = {s.started[:7] for s in data.sessions} | {r.date[:7] for r in rows}
    by_day = len(months) <= 1
    key: Callable[[str], str] = (lambda day: day[:10]) if by_day else (lambda day: day[:7])
    by_period: dict[str, list] = {}
    for session in data.sessions:
        entry = by_period.setdefault(key(session.started), [0, 0, Counts()])
        entry[0] += 1
        entry[1] += session.visits
    for row in rows:
        by_period.setdefault(key(row.date), [0, 0, Counts()])[2] += row.answers

    pages.heading("Per dag" if by_day else "Per maand")
    pages.table(("dag" if by_day else "maand", *headers), [
        [_period_name(period, by_day), str(n), count_cell(v, visitors, publiek),
         *_answer_cells(c, publiek)]
        for period, (n, v, c) in sorted(by_period.items())
    ] or [empty], weights)


def _period_name(period: str, by_day: bool) -> str:
    if by_day:
        return dutch_date(date.fromisoformat(period))
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


PLACE_HEADERS = ("bemande uren", "bezoekers", "per uur", "met eens", "verwijzingen", "geprint",
                 "gesprekken", "signalen")


def _place_row(stats: PlaceStats, total: PlaceStats, publiek: bool) -> list[str]:
    per_hour = stats.visits_per_hour
    return [
        _hours(stats.staffed_hours),
        count_cell(stats.visits, total.visits, publiek),
        "–" if per_hour is None or hidden(stats.visits, publiek)
        else f"{per_hour:.1f}".replace(".", ","),
        count_cell(stats.visits_with_eens, stats.visits, publiek),
        small(stats.referrals_shown, publiek),
        count_cell(stats.referrals_printed, stats.referrals_shown, publiek),
        count_cell(stats.conversations, total.conversations, publiek),
        count_cell(stats.signals, total.signals, publiek),
    ]


def _places(pages: _Pages, data: _Data) -> None:
    places, publiek = data.places, data.publiek
    pages.new_page()
    pages.text("Welke plek werkt?", 18, bold=True)
    pages.space(2)
    pages.text(
        "Bemande uren: van het begin tot het einde van elke sessie. Per uur: bezoekers per "
        "bemand uur. Met eens: bezoekers die minstens één stelling eens gaven (tussen haakjes: "
        "het deel van de bezoekers in die rij). Verwijzingen: cursussen met een QR-code op het "
        "scherm; geprint: met een briefje. Tussen haakjes bij bezoekers, gesprekken en "
        "signalen: het deel van het totaal.", 10)
    if places.open_sessions:
        pages.space(1.5)
        pages.text(f"{places.open_sessions} "
                   f"{'sessie' if places.open_sessions == 1 else 'sessies'} zonder einde. "
                   + OPEN_SESSIONS_NOTE, 10, bold=True)
    weights = (2.2, 1.1, 1.55, 0.9, 1.55, 1.65, 1.25, 1.6, 1.45)
    total = places.total
    for title, first, rows, note in (
        ("Per plek", "plek", places.places, ""),
        ("Per soort plek", "soort plek", places.kinds, ""),
        ("Per dagdeel", "dagdeel", places.parts_of_day,
         "Ochtend: tot 12 uur. Middag: 12 tot 18 uur. Avond: vanaf 18 uur. Een sessie die "
         "over twee dagdelen loopt, telt in allebei mee met haar uren daar; een bezoek, "
         "gesprek of signaal telt op zijn eigen tijd."),
        ("Per dag van de week", "dag", places.weekdays, ""),
    ):
        pages.heading(title, points=13)
        if note:
            pages.text(note, 9.5)
            pages.space(1)
        pages.table((first, *PLACE_HEADERS), [
            [stats.name, *_place_row(stats, total, publiek)] for stats in rows
        ] or [["Geen sessies in deze periode.", *[""] * len(PLACE_HEADERS)]], weights,
            points=8.5)


def _signals_and_conversations(pages: _Pages, data: _Data, labels: Labels) -> None:
    publiek = data.publiek
    signals, conversations = data.tallies.signals, data.tallies.conversations
    pages.new_page()
    pages.text("Signalen en gesprekken", 18, bold=True)
    pages.space(2)
    pages.text("Medewerkers noteren wat ze bij de stand horen (een signaal, bijvoorbeeld "
               "\"Website van de gemeente te moeilijk\") en de gesprekken die ze voeren: "
               "waarover, en naar wie ze iemand verwezen. Zonder namen. Tussen haakjes: het "
               "deel van alle signalen of gesprekken.", 10)

    total = len(signals)
    by_kind: dict[str, int] = {}
    for signal in signals:
        by_kind[signal.kind] = by_kind.get(signal.kind, 0) + 1
    kinds = sorted(by_kind, key=labels.signal_key)
    pages.heading("Signalen per soort", points=13)
    pages.table(("signaal", "aantal"), [
        [labels.signal(kind), count_cell(by_kind[kind], total, publiek)] for kind in kinds
    ] or [["Geen signalen in deze periode.", ""]], (5, 1.6))

    pages.heading("Signalen per plek", points=13)
    by_place: dict[tuple[str, str], int] = {}
    per_place: dict[str, int] = {}
    for signal in signals:
        by_place[(signal.location, signal.kind)] = by_place.get(
            (signal.location, signal.kind), 0) + 1
        per_place[signal.location] = per_place.get(signal.location, 0) + 1
    pages.table(("plek", "signaal", "aantal", "van de plek"), [
        [place, labels.signal(kind), small(by_place[(place, kind)], publiek),
         _percent_cell(by_place[(place, kind)], per_place[place], publiek)]
        for place, kind in sorted(by_place, key=lambda k: (k[0].casefold(),
                                                           labels.signal_key(k[1])))
    ] or [["Geen signalen in deze periode.", "", "", ""]], (2.6, 4, 1.2, 1.4), numeric_from=2)

    months = {s.date[:7] for s in signals}
    by_day = len(months) <= 1
    pages.heading("Signalen per dag" if by_day else "Signalen per maand", points=13)
    by_period: dict[tuple[str, str], int] = {}
    for signal in signals:
        period = signal.date if by_day else signal.date[:7]
        by_period[(period, signal.kind)] = by_period.get((period, signal.kind), 0) + 1
    pages.table(("dag" if by_day else "maand", "signaal", "aantal"), [
        [_period_name(period, by_day), labels.signal(kind),
         count_cell(by_period[(period, kind)], total, publiek)]
        for period, kind in sorted(by_period, key=lambda k: (k[0], labels.signal_key(k[1])))
    ] or [["Geen signalen in deze periode.", "", ""]], (2.6, 4, 1.6), numeric_from=2)

    count = len(conversations)
    pages.heading("Gesprekken per onderwerp", points=13)
    by_topic: dict[str, int] = {}
    for conversation in conversations:
        by_topic[conversation.topic] = by_topic.get(conversation.topic, 0) + 1
    pages.table(("onderwerp", "gesprekken"), [
        [labels.theme(topic) or "zonder onderwerp", count_cell(by_topic[topic], count, publiek)]
        for topic in sorted(by_topic, key=labels.theme_key)
    ] or [["Geen gesprekken in deze periode.", ""]], (5, 1.6))

    pages.heading("Gesprekken per verwijzing", points=13)
    by_target: dict[tuple[str, str], int] = {}
    for conversation in conversations:
        target = (conversation.referred_kind, conversation.referred_to)
        by_target[target] = by_target.get(target, 0) + 1
    pages.table(("verwezen naar", "soort", "gesprekken"), [
        [labels.referral_target(*target) or "niet verwezen",
         REFERRAL_KIND_WORDS.get(target[0], target[0]),
         count_cell(by_target[target], count, publiek)]
        for target in sorted(by_target, key=lambda t: labels.referral_key(*t))
    ] or [["Geen gesprekken in deze periode.", "", ""]], (4.4, 1.2, 1.6), numeric_from=2)
    if data.free_text:
        pages.space(2)
        pages.text("De vrije tekst bij \"Anders\" staat vooraan, direct na de inleiding.", 10,
                   color=INK_QUIET)


def _percent_cell(part: int, whole: int, publiek: bool) -> str:
    share = shown_percent(part, whole, publiek)
    return "–" if share is None else f"{share}%"


def _visits(pages: _Pages, data: _Data) -> None:
    publiek = data.publiek
    pages.title("Bezoekers")
    pages.heading("Bezoekers per plek en dag")
    pages.text("Een bezoeker is één persoon die bij de kiosk begon. Afgemaakt: die alle "
               "stellingen van het bezoek beantwoordde (tussen haakjes: het deel van de "
               "bezoekers).", 10)
    pages.space(1)
    pages.table(("plek", "datum", "bezoekers", "afgemaakt"), [
        [v.location, dutch_date(date.fromisoformat(v.date)), small(v.visits, publiek),
         count_cell(v.completed, v.visits, publiek)]
        for v in data.tallies.visits
    ] or [["Geen bezoekers in deze periode.", "", "", ""]], (4, 2.5, 1.5, 1.8), numeric_from=2)

    by_choice: dict[int | None, list[int]] = {}
    for session in data.sessions:
        entry = by_choice.setdefault(session.per_visit, [0, 0, 0])
        entry[0] += 1
        entry[1] += session.visits
        entry[2] += session.completed_visits
    pages.heading("Zinnen per bezoek")
    pages.text("Medewerkers kiezen per sessie hoeveel zinnen (stellingen) één bezoeker krijgt. "
               "De kiosk wisselt de zinnen af, zodat elke stelling ongeveer even vaak aan bod "
               "komt. Krijgt een bezoeker niet alle zinnen, dan heeft een stelling minder "
               "antwoorden dan er bezoekers waren.", 10)
    pages.space(1)
    choices = sorted(by_choice, key=lambda n: (n is None, n or 0))  # "alle" last
    pages.table(("per bezoek", "sessies", "bezoekers", "afgemaakt"), [
        [statement_words(n), str(by_choice[n][0]), small(by_choice[n][1], publiek),
         count_cell(by_choice[n][2], by_choice[n][1], publiek)]
        for n in choices
    ] or [["Geen sessies in deze periode.", "", "", ""]], (4, 1.5, 1.5, 1.8))


def _referrals_and_staff(pages: _Pages, data: _Data, content: Content) -> None:
    publiek = data.publiek
    pages.heading("Verwijzingen per cursus")
    pages.text(REFERRALS_NOTE + " Verwijzingen: hoe vaak een cursus werd voorgesteld (tussen "
               "haakjes: het deel van alle verwijzingen). Geprint: er is ook een briefje "
               "meegegeven (tussen haakjes: het deel van die cursus).", 10)
    pages.space(1)
    referrals = sum(c.referrals for c in data.courses)
    pages.table(("cursus", "verwijzingen", "geprint"), [
        [c.name, count_cell(c.referrals, referrals, publiek),
         count_cell(c.printed, c.referrals, publiek)] for c in data.courses
    ] or [["Geen verwijzingen in deze periode.", "", ""]], (5, 1.8, 1.8))

    pages.heading("Geteld bij het spel (door medewerkers)")
    staff: dict[str, Counts] = {}
    for row in data.tallies.rows:
        if row.staff.total:
            staff[row.statement_id] = staff.get(row.statement_id, Counts()) + row.staff
    pages.text("Naast de kiosk staat het spel met zakjes. Medewerkers tellen de worpen en "
               "zetten ze in de kiosk. Deze aantallen zitten ook in de grafieken.", 10)
    pages.space(1)
    order = [sid for _name, ids in _statement_groups(content, staff) for sid in ids]
    pages.table(("stelling", "antwoorden", "eens", "oneens", "weet niet"), [
        [content.statement_text(sid), *_answer_cells(staff[sid], publiek)] for sid in order
    ] or [["Niets geteld in deze periode.", "", "", "", ""]], (6, 1.7, 1.5, 1.5, 1.6))
