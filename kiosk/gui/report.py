"""The report for the municipality: an A4 PDF with charts and tables.

``build_report(db_path, content, out_pdf, since, until, location)`` writes:

1. a first page with the library's name, the period, the filters, the totals
   (sessions, visits, answers, referrals) and a note on how to read the numbers;
2. per statement a horizontal bar chart of eens / oneens / weet niet;
3. tables per location and per period (month, or day for a short period);
4. the visits per location and day, and per choice of statements per visit
   (sessions that asked 3 statements per visit, all statements, ...);
5. the referrals per course;
6. the beanbag tallies counted by staff, separately.

Every count below 5 is printed as "<5": small numbers can identify people. A
suppressed count is drawn as an empty bar, so the chart does not give it away.

Charts come from QtCharts (in the PySide6-Addons wheel the kiosk already
installs): no new dependency, the same renderer, fonts and colours as the
kiosk, and vector output. Each chart is a :class:`QChart` in an offscreen
:class:`QGraphicsScene`, rendered straight onto the printer's painter; the
printer is a :class:`QPrinter` in PDF mode (no printer, no display needed).

Qt needs a QApplication (QChart is a graphics widget): an existing one is used,
else one is made on the "offscreen" platform.
"""

from __future__ import annotations

import math
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QGraphicsScene

from kiosk import paths
from kiosk.core.export import ExportError
from kiosk.core.files import replacing
from kiosk.core.model import ANSWERS, Content
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

#: Counts below this are printed as "<5".
SMALL = 5
FONT = "Atkinson Hyperlegible"
RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MARGIN_MM = 18
ANSWER_WORDS = {"eens": "Eens", "oneens": "Oneens", "weet_niet": "Weet niet"}
GRID = "#D9CDB8"
STRIPE = "#F7F1E6"


class ReportError(ExportError):
    """The report could not be made; the message names the cause and the fix."""


def small(count: int) -> str:
    """A count as printed in the report: "<5" below 5, else the number."""
    return f"<{SMALL}" if count < SMALL else str(count)


def build_report(
    db_path: Path,
    content: Content,
    out_pdf: Path,
    since: date | None = None,
    until: date | None = None,
    location: str | None = None,
    generated: date | None = None,
) -> int:
    """Write the report for the sessions between ``since`` and ``until`` (inclusive).

    Args:
        db_path: the kiosk database (opened read-only).
        content: for the library's name, statement texts and course names.
        out_pdf: the PDF to write (replaced atomically if it exists).
        since, until: session start dates to include; None for no limit.
        location: only this location; None for all.
        generated: the date printed as "gemaakt op" (today when None).

    Returns:
        The number of pages.

    Raises:
        ReportError: no database, not a kiosk database, or the PDF cannot be written.
    """
    db_path, out_pdf = Path(db_path), Path(out_pdf)
    data = _read(db_path, since, until, location, content)
    if not out_pdf.parent.is_dir():
        raise ReportError(
            f"Cannot write {out_pdf}: the folder {out_pdf.parent} does not exist. "
            "Create the folder first, or choose another one."
        )
    app = _application()  # noqa: F841 - kept alive while painting
    theme = Theme.load(paths.ui_dir())
    with replacing(out_pdf, suffix=".pdf") as temporary:
        pages = _render(temporary, data, content, theme, generated or date.today())
    return pages


# -- data ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    tallies: Tallies
    sessions: tuple[SessionRow, ...]
    courses: tuple  # CourseCount
    since: date | None
    until: date | None
    location: str | None


def _read(db_path: Path, since, until, location, content: Content) -> _Data:
    if not db_path.is_file():
        raise ReportError(
            f"No kiosk database at {db_path}. Use --data-dir to point at the kiosk's data folder."
        )
    try:
        with closing(sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            counted = tallies(conn, since, until, location)
            sessions = session_rows(conn, since, until, location)
            courses = referrals_per_course(counted, content)
    except sqlite3.Error as error:
        raise ReportError(
            f"Cannot read {db_path}: {error}. Choose the kiosk's own database file (kiosk.db)."
        ) from error
    return _Data(counted, sessions, courses, since, until, location)


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no screen
        app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    if FONT not in QFontDatabase.families():
        load_fonts(paths.ui_dir())
    return app


# -- layout --------------------------------------------------------------------


class _Pages:
    """A cursor down A4 pages: headings, paragraphs, tables and charts; footers."""

    def __init__(self, printer: QPrinter, painter: QPainter, footer: str) -> None:
        self.printer, self.painter, self.footer = printer, painter, footer
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        self.width = float(page.width())
        self.height = float(page.height())
        self.bottom = self.height - self.mm(10)  # room for the footer
        self.y = 0.0
        self.page = 1

    def mm(self, value: float) -> float:
        return value * self.printer.resolution() / 25.4

    @staticmethod
    def font(points: float, bold: bool = False) -> QFont:
        font = QFont(FONT)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def new_page(self) -> None:
        self._footer()
        self.printer.newPage()
        self.page += 1
        self.y = 0.0

    def finish(self) -> int:
        self._footer()
        return self.page

    def _footer(self) -> None:
        self.painter.setFont(self.font(8))
        self.painter.setPen(QColor("#34465E"))
        rect = QRectF(0, self.height - self.mm(6), self.width, self.mm(6))
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                              self.footer)
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                              f"pagina {self.page}")

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` fits below the cursor."""
        if self.y > 0 and self.y + height > self.bottom:
            self.new_page()

    def space(self, millimetres: float) -> None:
        self.y += self.mm(millimetres)

    def text_height(self, text: str, font: QFont, width: float | None = None) -> float:
        metrics = QFontMetricsF(font, self.printer)
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width or self.width, 1e6), flags, text).height()

    def text(self, text: str, points: float = 10.5, bold: bool = False,
             color: str = "#1B2F4B", keep_with: float = 0.0) -> None:
        """A paragraph; ``keep_with`` keeps that much room below it on the same page."""
        font = self.font(points, bold)
        height = self.text_height(text, font)
        self.room(height + keep_with)
        self.painter.setFont(font)
        self.painter.setPen(QColor(color))
        self.painter.drawText(QRectF(0, self.y, self.width, height),
                              int(Qt.TextFlag.TextWordWrap), text)
        self.y += height

    def heading(self, text: str, keep_with: float = 0.0) -> None:
        self.space(5)
        self.text(text, 15, bold=True, keep_with=keep_with + self.mm(4))
        self.space(2)

    def table(self, headers: Sequence[str] | None, rows: Sequence[Sequence[str]],
              weights: Sequence[float], numeric_from: int = 1) -> None:
        """A table; columns from ``numeric_from`` on are right-aligned; the header repeats.

        ``headers`` None: no header row (a two-column list of facts).
        """
        font, bold = self.font(9.5), self.font(9.5, bold=True)
        row_height = QFontMetricsF(font, self.printer).height() * 1.7
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        pad = self.mm(2)

        def draw_row(cells: Sequence[str], header: bool, stripe: bool) -> None:
            painter = self.painter
            if header or stripe:
                painter.fillRect(QRectF(0, self.y, self.width, row_height),
                                 QColor("#F1E7D6" if header else STRIPE))
            painter.setFont(bold if header else font)
            painter.setPen(QColor("#1B2F4B"))
            x = 0.0
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
                align = (Qt.AlignmentFlag.AlignRight if index >= numeric_from
                         else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
                rect = QRectF(x + pad, self.y, width - 2 * pad, row_height)
                metrics = QFontMetricsF(painter.font(), self.printer)
                painter.drawText(rect, align,
                                 metrics.elidedText(cell, Qt.TextElideMode.ElideRight,
                                                    rect.width()))
                x += width
            painter.setPen(QPen(QColor(GRID), self.mm(0.2)))
            painter.drawLine(QPointF(0, self.y + row_height),
                             QPointF(self.width, self.y + row_height))
            self.y += row_height

        self.room(row_height * min(len(rows) + 1, 4))
        if headers:
            draw_row(headers, True, False)
        for index, cells in enumerate(rows):
            if self.y + row_height > self.bottom:
                self.new_page()
                if headers:
                    draw_row(headers, True, False)
            draw_row(cells, False, index % 2 == 1)

    def legend(self, colors: dict[str, str]) -> None:
        font = self.font(9.5)
        height = QFontMetricsF(font, self.printer).height()
        self.room(height * 1.5)
        self.painter.setFont(font)
        x, box = 0.0, height * 0.8
        for answer in ANSWERS:
            self.painter.fillRect(QRectF(x, self.y + (height - box) / 2, box, box),
                                  QColor(colors[answer]))
            x += box + self.mm(2)
            word = ANSWER_WORDS[answer]
            self.painter.setPen(QColor("#1B2F4B"))
            self.painter.drawText(QRectF(x, self.y, self.mm(40), height),
                                  Qt.AlignmentFlag.AlignVCenter, word)
            x += QFontMetricsF(font, self.printer).horizontalAdvance(word) + self.mm(8)
        self.y += height * 1.5

    def chart_size(self, height_mm: float) -> QSizeF:
        """A chart across the page, in points (1/72 inch): its pixel-sized fonts are points."""
        return QSizeF(self.width * 72 / self.printer.resolution(), height_mm * 72 / 25.4)

    def chart(self, chart: QChart, height_mm: float) -> None:
        """Render ``chart`` across the page, ``height_mm`` high (vector, via a scene)."""
        height = self.mm(height_mm)
        self.room(height)
        points = self.chart_size(height_mm)
        scene = QGraphicsScene()
        scene.addItem(chart)
        chart.setGeometry(QRectF(QPointF(0, 0), points))
        scene.setSceneRect(QRectF(QPointF(0, 0), points))
        scene.render(self.painter, QRectF(0, self.y, self.width, height),
                     QRectF(QPointF(0, 0), points))
        scene.removeItem(chart)
        self.y += height


# -- charts --------------------------------------------------------------------


#: Room in a chart (points) for the answer labels at the left and the scale below.
CHART_LABELS_PT, CHART_AXIS_PT = 78, 16
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


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


def _statement_chart(counts: Counts, axis_max: int, colors: dict[str, str],
                     size: QSizeF) -> QChart:
    """Three horizontal bars (eens, oneens, weet niet) with their counts as labels.

    One stacked series with a bar set per answer, each set holding its value in
    its own category only: one colour per bar, bars aligned with their labels.
    """
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(0, 0, 0, 0))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(0)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    label_font = QFont(FONT)
    label_font.setPixelSize(9)
    order = list(reversed(ANSWERS))  # a horizontal chart lists categories bottom-up
    values = {"eens": counts.eens, "oneens": counts.oneens, "weet_niet": counts.weet_niet}
    series = QHorizontalStackedBarSeries()
    series.setBarWidth(0.72)
    for answer in order:
        bar_set = QBarSet(ANSWER_WORDS[answer])
        bar_set.setColor(QColor(colors[answer]))
        bar_set.setBorderColor(QColor(colors[answer]))
        bar_set.setPen(QPen(Qt.PenStyle.NoPen))
        shown = values[answer] if values[answer] >= SMALL else 0  # "<5" draws no bar
        bar_set.append([float(shown if other == answer else 0) for other in order])
        series.append(bar_set)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    # Axis labels are rich text: "<" must be written as "&lt;".
    categories.append([f"{ANSWER_WORDS[a]}&nbsp;&nbsp;{small(values[a]).replace('<', '&lt;')}"
                       for a in order])
    categories.setLabelsFont(label_font)
    categories.setTruncateLabels(False)
    categories.setLabelsColor(QColor("#1B2F4B"))
    categories.setGridLineVisible(False)
    categories.setLinePen(QPen(QColor("#1B2F4B"), 0.6))
    axis = QValueAxis()
    axis.setRange(0, axis_max)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(_tick_step(axis_max))
    axis.setLabelsFont(label_font)
    axis.setLabelsColor(QColor("#34465E"))
    axis.setGridLinePen(QPen(QColor(GRID), 0.4))
    axis.setLineVisible(False)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(axis)
    # The same plot area in every chart: the bars of all statements share one scale.
    chart.setPlotArea(QRectF(CHART_LABELS_PT, 2, size.width() - CHART_LABELS_PT - 8,
                             size.height() - 2 - CHART_AXIS_PT))
    return chart


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


def _statement_groups(content: Content, ids: set[str]) -> list[tuple[str, list[str]]]:
    """(set name, statement ids with answers) in the content's order; unknown ids last."""
    groups, seen = [], set()
    for statement_set in content.sets.values():
        found = [s.id for s in statement_set.statements if s.id in ids and s.id not in seen]
        seen.update(found)
        if found:
            groups.append((statement_set.name, found))
    rest = sorted(ids - seen)
    if rest:
        groups.append(("Andere stellingen", rest))
    return groups


def _counts_cells(counts: Counts) -> list[str]:
    return [small(counts.total), small(counts.eens), small(counts.oneens), small(counts.weet_niet)]


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
    printer.setDocName(f"Stellingenkiosk: rapport {library}")
    printer.setCreator("Stellingenkiosk")
    painter = QPainter()
    if not painter.begin(printer):
        raise ReportError(
            f"Cannot write the report {out}: the PDF could not be opened. "
            "Check that the folder is writable and the file is not open in another program."
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pages = _Pages(printer, painter, f"Stellingenkiosk · {library}")
        _cover(pages, data, library, generated)
        _statements(pages, data, content, theme)
        _tables(pages, data, content)
        return pages.finish()
    finally:
        painter.end()


def _cover(pages: _Pages, data: _Data, library: str, generated: date) -> None:
    totals = data.tallies.totals
    pages.text(library, 24, bold=True)
    pages.space(2)
    pages.text("Stellingen over lezen, schrijven, rekenen en digitaal: rapport voor de gemeente",
               14)
    pages.space(8)
    pages.table(None, [
        ["Periode", _period(data)],
        ["Plek", data.location or "alle plekken"],
        ["Gemaakt op", dutch_date(generated)],
    ], (1, 3), numeric_from=2)
    pages.heading("In het kort")
    places = {s.location for s in data.sessions}
    printed = sum(c.printed for c in data.courses)
    pages.table(("", "aantal"), [
        ["Sessies (dagdelen met de kiosk)", str(len(data.sessions))],
        ["Plekken", str(len(places))],
        ["Bezoekers bij de kiosk", small(totals.visits)],
        ["… die alle stellingen van hun bezoek beantwoordden", small(totals.completed)],
        ["Antwoorden, totaal", small(totals.answers.total)],
        ["… op het scherm", small(totals.touch.total)],
        ["… bij het spel, geteld door medewerkers", small(totals.staff.total)],
        ["Verwijzingen naar een cursus (QR-code)", small(sum(c.referrals for c in data.courses))],
        ["… met een geprint briefje", small(printed)],
    ], (3, 1))
    pages.heading("Zo leest u de cijfers")
    for line in (
        "Voorbijgangers gaven antwoord op korte stellingen: eens, oneens of weet niet. "
        "Wie aan het spel bij de stand meedeed, gooide een zakje; medewerkers telden die "
        "worpen. Ze tellen mee in de grafieken en staan ook apart in dit rapport.",
        "De antwoorden zijn anoniem: de kiosk bewaart geen namen, geen vrije tekst en geen "
        "precieze tijden (alles is afgerond op het kwartier).",
        f"Aantallen mensen en antwoorden onder de {SMALL} staan er als <{SMALL}: kleine "
        "aantallen kunnen iemand herkenbaar maken. In de grafieken hebben die aantallen "
        "geen balk.",
    ):
        pages.text(line, 10.5)
        pages.space(2)


def _statements(pages: _Pages, data: _Data, content: Content, theme: Theme) -> None:
    per_statement: dict[str, Counts] = {}
    for row in data.tallies.rows:
        before = per_statement.get(row.statement_id, Counts())
        per_statement[row.statement_id] = before + row.answers
    pages.new_page()
    pages.text("Antwoorden per stelling", 18, bold=True)
    pages.space(2)
    if not per_statement:
        pages.text("Geen antwoorden in deze periode.")
        return
    colors = {"eens": theme.colors["eens"], "oneens": theme.colors["oneens"],
              "weet_niet": theme.colors["quiet_border"]}
    pages.text("Alle antwoorden, op het scherm en bij het spel. Elke grafiek heeft dezelfde "
               "schaal, zodat u de stellingen kunt vergelijken.", 10.5)
    pages.space(2)
    pages.legend(colors)
    shown = [value for counts in per_statement.values()
             for value in (counts.eens, counts.oneens, counts.weet_niet) if value >= SMALL]
    axis_max = _nice_max(max(shown, default=SMALL))
    chart_mm = 22.0
    for set_name, ids in _statement_groups(content, set(per_statement)):
        pages.heading(set_name, keep_with=pages.mm(chart_mm + 8))
        for statement_id in ids:
            pages.space(2)
            pages.text(content.statement_text(statement_id), 11, bold=True,
                       keep_with=pages.mm(chart_mm))
            chart = _statement_chart(per_statement[statement_id], axis_max, colors,
                                     pages.chart_size(chart_mm))
            pages.chart(chart, chart_mm)


def _per_visit_table(pages: _Pages, data: _Data) -> None:
    """Sessions, visitors and completed visits per choice of statements per visit."""
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
        [statement_words(n), str(by_choice[n][0]), small(by_choice[n][1]),
         small(by_choice[n][2])]
        for n in choices
    ] or [["Geen sessies in deze periode.", "", "", ""]], (4, 1.5, 1.5, 1.5))


def _tables(pages: _Pages, data: _Data, content: Content) -> None:
    rows, visits = data.tallies.rows, data.tallies.visits
    answer_headers = ("antwoorden", "eens", "oneens", "weet niet")

    # per location
    pages.space(8)
    pages.text("Per plek en per periode", 18, bold=True, keep_with=pages.mm(40))
    pages.heading("Per plek")
    by_place: dict[str, list] = {}
    for session in data.sessions:
        entry = by_place.setdefault(session.location, [0, 0, Counts()])
        entry[0] += 1
        entry[1] += session.visits
    for row in rows:
        by_place.setdefault(row.location, [0, 0, Counts()])[2] += row.answers
    pages.table(("plek", "sessies", "bezoekers", *answer_headers), [
        [place, str(n), small(v), *_counts_cells(c)]
        for place, (n, v, c) in sorted(by_place.items(), key=lambda i: i[0].casefold())
    ] or [["Geen sessies in deze periode.", "", "", "", "", "", ""]], (4, 1.3, 1.5, 1.7, 1.2,
                                                                       1.3, 1.5))

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

    def period_name(period: str) -> str:
        if by_day:
            return dutch_date(date.fromisoformat(period))
        year, month = period.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"

    pages.heading("Per dag" if by_day else "Per maand")
    pages.table(("dag" if by_day else "maand", "sessies", "bezoekers", *answer_headers), [
        [period_name(period), str(n), small(v), *_counts_cells(c)]
        for period, (n, v, c) in sorted(by_period.items())
    ] or [["Geen sessies in deze periode.", "", "", "", "", "", ""]], (4, 1.3, 1.5, 1.7, 1.2,
                                                                       1.3, 1.5))

    pages.heading("Bezoekers per plek en dag")
    pages.text("Een bezoeker is één persoon die bij de kiosk begon. Afgemaakt: die alle "
               "stellingen van het bezoek beantwoordde.", 10)
    pages.space(1)
    pages.table(("plek", "datum", "bezoekers", "afgemaakt"), [
        [v.location, dutch_date(date.fromisoformat(v.date)), small(v.visits), small(v.completed)]
        for v in visits
    ] or [["Geen bezoekers in deze periode.", "", "", ""]], (4, 2.5, 1.5, 1.5), numeric_from=2)

    _per_visit_table(pages, data)

    pages.heading("Verwijzingen per cursus")
    pages.text("Na de stellingen toont de kiosk een cursus die past, met een QR-code. "
               "Geprint: er is ook een briefje meegegeven.", 10)
    pages.space(1)
    pages.table(("cursus", "verwijzingen", "geprint"), [
        [c.name, small(c.referrals), small(c.printed)] for c in data.courses
    ] or [["Geen verwijzingen in deze periode.", "", ""]], (5, 1.8, 1.5))

    pages.heading("Geteld bij het spel (door medewerkers)")
    staff: dict[str, Counts] = {}
    for row in rows:
        if row.staff.total:
            staff[row.statement_id] = staff.get(row.statement_id, Counts()) + row.staff
    pages.text("Naast de kiosk staat het spel met zakjes. Medewerkers tellen de worpen en "
               "zetten ze in de kiosk. Deze aantallen zitten ook in de grafieken.", 10)
    pages.space(1)
    order = [sid for _name, ids in _statement_groups(content, set(staff)) for sid in ids]
    pages.table(("stelling", *answer_headers), [
        [content.statement_text(sid), *_counts_cells(staff[sid])] for sid in order
    ] or [["Niets geteld in deze periode.", "", "", "", ""]], (6, 1.7, 1.1, 1.2, 1.4))
