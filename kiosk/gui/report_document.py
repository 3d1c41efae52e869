"""The report as one document model: a :class:`QTextDocument`, printed to PDF and saved as ODT.

:class:`Document` has the calls :mod:`kiosk.gui.report_sections` writes with
(text, boxed, heading, title, table, legend, bars, space, room, new_page) and
builds a :class:`QTextDocument` from them: headings (with a heading level, so
Writer and Word see them as headings), paragraphs, real tables with a header row
that repeats on a new page, page breaks (a block's page-break policy), and the
charts. A chart is a table too: a label per bar as text (so it can be read,
copied and searched) beside an image of the bar, every bar on the same scale;
the images are painted with QPainter into a :class:`QImage` at print resolution
(no QPixmap, no widget: the report can be built off the GUI thread).

:meth:`Document.write_pdf` paginates the document onto A4 with a
:class:`QPdfWriter` and draws the footer (the footer text and the page number)
on every page; :meth:`Document.write_odt` saves the same document with
:class:`QTextDocumentWriter` as OpenDocument text. Numbers are set in a face
with a plain zero (Source Sans 3; the body face, Atkinson Hyperlegible, has a
slashed zero), with tabular figures. Every text is made safe first
(:func:`kiosk.core.doubtful.xml_safe`) and inserted as plain text: no markup is
ever read from it.

Document units are 96 per inch (what the ODT writer assumes); the PDF scales them.
"""

from __future__ import annotations

import html
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentWriter,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTableFormat,
)

from kiosk.core.doubtful import xml_safe
from kiosk.core.model import ANSWERS
from kiosk.core.publication import STEP as SMALL

FONT = "Atkinson Hyperlegible"
#: The face for numbers (a plain zero); then faces with a plain zero found on most systems.
NUMBER_FONTS = ("Source Sans 3", "DejaVu Sans", "Arial", "Helvetica")
#: A number in a text: digits, with the separators inside it ("10:15", "1,5", "2.500").
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
UNITS = 96.0  # document units per inch (the ODT writer's assumption)
RESOLUTION = 300  # dots per inch of the PDF
#: Dots per inch of the chart images: sharp on paper, and small, because the ODT writer
#: encodes every image it meets as PNG in one call that holds Python's lock.
IMAGE_RESOLUTION = 200
MARGIN_MM = 18
FOOTER_MM = 10  # room at the bottom of every PDF page for the footer
ANSWER_WORDS = {"eens": "Eens", "oneens": "Oneens", "weet_niet": "Weet niet"}
INK = "#1B2F4B"
INK_QUIET = "#34465E"
GRID = "#D9CDB8"
STRIPE = "#F7F1E6"
HEADER = "#F1E7D6"
WARNING = "#FBE3D6"

#: Room at the left of every chart for its labels ("Weet niet  12 (40%)"), in mm.
CHART_LABELS_MM = 40
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
ODF_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # 0: no bar (none, or a hidden count)
    color: str


def nice_max(value: int) -> int:
    """The axis end: ``value`` rounded up to a round number (at least 5)."""
    value = max(value, SMALL)
    power = 10 ** math.floor(math.log10(value))
    return int(next(step * power for step in NICE_STEPS if step * power >= value))


def tick_step(axis_max: int) -> int:
    """A round step that gives 4 to 8 grid lines up to ``axis_max``."""
    power = 10 ** max(math.floor(math.log10(axis_max)) - 1, 0)
    for step in (1, 2, 5, 10, 20, 50, 100):
        if axis_max / (step * power) <= 8:
            return step * power
    return axis_max


def mm(value: float) -> float:
    """Millimetres in document units."""
    return value * UNITS / 25.4


def font(points: float, bold: bool = False) -> QFont:
    face = QFont(FONT)
    face.setPointSizeF(points)
    face.setBold(bold)
    return face


def _digit_height(face: QFont) -> float:
    face = QFont(face)
    face.setPointSizeF(40)
    return QFontMetricsF(face).tightBoundingRect("0123456789").height()


class Document:
    """The report being written: a cursor at the end of a :class:`QTextDocument`.

    ``room`` and ``keep_with`` start a new page when what follows would not fit on this
    one (measured on the document's own A4 layout)."""

    def __init__(self, title: str = "", footer: str = "") -> None:
        self.footer = footer
        self.document = QTextDocument()
        self.document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
        self.document.setDefaultFont(font(10.5))
        self.document.setUndoRedoEnabled(False)
        self.width = mm(210 - 2 * MARGIN_MM)
        self.height = mm(297 - 2 * MARGIN_MM - FOOTER_MM)
        self.document.setPageSize(QSizeF(self.width, self.height))
        self.document.setDocumentMargin(0)
        root = self.document.rootFrame().frameFormat()
        root.setMargin(0)
        self.document.rootFrame().setFrameFormat(root)
        self.cursor = QTextCursor(self.document)
        self._empty = True  # the first block is not used yet
        self._space = 0.0  # room above the next block, in document units
        self._break = False  # the next block starts a new page
        self._images: dict[tuple, str] = {}
        self._headings: list[tuple[str, int]] = []  # (text, level), in order
        self._header_rows: list[bool] = []  # per table, in order: has a header row
        self._heading = None  # the first heading since the last table or chart
        self._number_scale = _digit_height(font(10)) / max(
            _digit_height(self._numbers(font(10), 1.0)), 1e-6)

    mm = staticmethod(mm)

    # -- text ------------------------------------------------------------------

    @staticmethod
    def _numbers(face: QFont, scale: float) -> QFont:
        numbers = QFont(face)
        numbers.setFamilies(list(NUMBER_FONTS))
        numbers.setPointSizeF(face.pointSizeF() * scale)
        numbers.setFeature(QFont.Tag("tnum"), 1)  # tabular figures: columns line up
        return numbers

    def _insert(self, cursor: QTextCursor, text: str, face: QFont, color: str = INK) -> None:
        """``text`` as plain text at ``cursor``, its numbers in the number face."""
        text = xml_safe(text)
        plain, numbers = QTextCharFormat(), QTextCharFormat()
        plain.setFont(face)
        plain.setForeground(QColor(color))
        numbers.setFont(self._numbers(face, self._number_scale))
        numbers.setForeground(QColor(color))
        at = 0
        for match in NUMBER.finditer(text):
            if match.start() > at:
                cursor.insertText(text[at:match.start()], plain)
            cursor.insertText(match[0], numbers)
            at = match.end()
        if at < len(text) or not text:
            cursor.insertText(text[at:], plain)
        cursor.setCharFormat(plain)

    def _block(self, fmt: QTextBlockFormat | None = None) -> QTextCursor:
        """A new block at the end (the first block of the document is reused)."""
        fmt = QTextBlockFormat() if fmt is None else fmt
        fmt.setTopMargin(fmt.topMargin() + self._space)
        if self._break:
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        self._space, self._break = 0.0, False
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._empty:
            self.cursor.setBlockFormat(fmt)
            self._empty = False
        else:
            self.cursor.insertBlock(fmt)
        return self.cursor

    def _keep(self, height: float, with_heading: bool = False) -> None:
        """A new page for what comes next unless ``height`` fits below the last block;
        ``with_heading``: the page starts at the last heading when only text follows it
        (a heading and its introduction stay with their table or chart)."""
        if self._empty or self._break:
            return
        layout = self.document.documentLayout()
        bottom = layout.blockBoundingRect(self.document.lastBlock()).bottom() + self._space
        page = math.floor(bottom / self.height)
        if bottom + height <= (page + 1) * self.height or bottom % self.height <= 1:
            return
        heading = self._heading
        if with_heading and heading is not None and heading.isValid():
            top = layout.blockBoundingRect(heading).top()
            if top % self.height > 1 and math.floor(top / self.height) == page:
                fmt = heading.blockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(heading).setBlockFormat(fmt)
                return
        self.new_page()

    def text(self, text: str, points: float = 10.5, bold: bool = False,
             color: str = INK, keep_with: float = 0.0, level: int = 0) -> None:
        """A paragraph; ``keep_with`` keeps that much room below it on the same page;
        ``level``: a heading of that level."""
        self._keep(self._line(points) + keep_with)
        fmt = QTextBlockFormat()
        # a fixed line height: a number (its own face) does not push its line apart
        fmt.setLineHeight(points * UNITS / 72 * 1.45,
                          QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        if level:
            fmt.setHeadingLevel(level)
            self._headings.append((xml_safe(text), level))
        if level and self._heading is None:  # the first heading of a run of text
            self._heading = self.document.lastBlock()
        self._insert(self._block(fmt), text, font(points, bold), color)

    @staticmethod
    def _line(points: float) -> float:
        return points * UNITS / 72 * 1.4

    def boxed(self, text: str, points: float = 10.5, bold: bool = False) -> None:
        """A paragraph on a coloured ground (a one-cell table): a warning not to miss."""
        self._keep(self._line(points) * 3)
        table = self._table(1, 1, [100.0], border=0)
        cell = table.cellAt(0, 0)
        cell_format = cell.format().toTableCellFormat()
        cell_format.setBackground(QColor(WARNING))
        cell_format.setPadding(mm(3))
        cell.setFormat(cell_format)
        self._insert(cell.firstCursorPosition(), text, font(points, bold))

    def heading(self, text: str, keep_with: float = 0.0, points: float = 15) -> None:
        self.space(5)
        self.text(text, points, bold=True, keep_with=keep_with + mm(28),
                  level=2 if points >= 15 else 3)
        self.space(2)

    def title(self, text: str, keep_with: float = 0.0) -> None:
        """A section's title (18 pt)."""
        self.space(8)
        self.text(text, 18, bold=True, keep_with=keep_with + mm(30), level=1)
        self.space(1)

    def space(self, millimetres: float) -> None:
        self._space += mm(millimetres)

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` fits below what is written."""
        self._keep(height)

    def new_page(self) -> None:
        self._break = not self._empty

    # -- tables ----------------------------------------------------------------

    def _table(self, rows: int, columns: int, widths: Sequence[float], border: float = 0.6,
               header: bool = False):
        fmt = QTextTableFormat()
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, w)
                                       for w in widths])
        fmt.setCellSpacing(0)
        fmt.setCellPadding(0)
        fmt.setBorder(border)
        fmt.setBorderCollapse(True)
        fmt.setBorderBrush(QBrush(QColor(GRID)))
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setHeaderRowCount(1 if header else 0)
        self._heading = None
        self._header_rows.append(header)
        fmt.setTopMargin(self._space)
        if self._break:
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        self._space, self._break = 0.0, False
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._empty:  # a table cannot be the first thing in a document that prints well
            self._empty = False
        table = self.cursor.insertTable(rows, columns, fmt)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        return table

    def table(self, headers: Sequence[str] | None, rows: Sequence[Sequence[str]],
              weights: Sequence[float], numeric_from: int = 1, points: float = 9.5) -> None:
        """A table; columns from ``numeric_from`` on are right-aligned; the header row
        repeats on a new page. ``headers`` None: no header row."""
        body, bold = font(points), font(points, bold=True)
        row_height = points * UNITS / 72 * 1.35 + 2 * mm(1.4) * 0.8 + 1
        self._keep(row_height * (min(len(rows), 3) + 1),  # the header and 3 rows together
                   with_heading=True)
        total = sum(weights)
        all_rows = ([list(headers)] if headers else []) + [list(r) for r in rows]
        self.cursor.beginEditBlock()  # one change for the layout, not one per cell
        table = self._table(len(all_rows), len(weights), [100 * w / total for w in weights],
                            header=bool(headers))
        pad = mm(1.4)
        for row, cells in enumerate(all_rows):
            is_header = bool(headers) and row == 0
            stripe = (row - (1 if headers else 0)) % 2 == 1
            for column, text in enumerate(cells):
                cell = table.cellAt(row, column)
                fmt = cell.format().toTableCellFormat()
                fmt.setLeftPadding(pad)
                fmt.setRightPadding(pad)
                fmt.setTopPadding(pad * 0.8)
                fmt.setBottomPadding(pad * 0.8)
                fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
                if is_header or stripe:
                    fmt.setBackground(QColor(HEADER if is_header else STRIPE))
                cell.setFormat(fmt)
                cursor = cell.firstCursorPosition()
                block = cursor.blockFormat()
                block.setAlignment(Qt.AlignmentFlag.AlignRight if column >= numeric_from
                                   else Qt.AlignmentFlag.AlignLeft)
                block.setLineHeight(points * UNITS / 72 * 1.35,
                                    QTextBlockFormat.LineHeightTypes.FixedHeight.value)
                cursor.setBlockFormat(block)
                self._insert(cursor, text, bold if is_header else body)
        self.cursor.endEditBlock()

    # -- charts ----------------------------------------------------------------

    def _image(self, key: tuple, width_mm: float, height_mm: float, paint,
               solid: bool = False) -> QTextImageFormat:
        """An image painted by ``paint(painter, width, height)`` at print resolution,
        added to the document once per ``key``; ``solid``: flat colours only (no
        antialiasing: a palette image)."""
        name = self._images.get(key)
        if name is None:
            dots = IMAGE_RESOLUTION / 25.4
            image = QImage(max(round(width_mm * dots), 1), max(round(height_mm * dots), 1),
                           QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            image.setDotsPerMeterX(round(dots * 1000))
            image.setDotsPerMeterY(round(dots * 1000))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, not solid)
            paint(painter, float(image.width()), float(image.height()))
            painter.end()
            if solid:  # a few flat colours: a palette image, quick to encode as PNG
                image = image.convertToFormat(QImage.Format.Format_Indexed8,
                                              Qt.ImageConversionFlag.ThresholdDither)
            name = f"chart{len(self._images) + 1}.png"
            self.document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                                      image)
            self._images[key] = name
        fmt = QTextImageFormat()
        fmt.setName(name)
        fmt.setWidth(mm(width_mm))
        fmt.setHeight(mm(height_mm))
        return fmt

    def legend(self, colors: dict[str, str]) -> None:
        def paint(painter: QPainter, width: float, height: float) -> None:
            face = font(9.5)
            painter.setFont(face)
            metrics = QFontMetricsF(face, painter.device())
            box, x = height * 0.6, 0.0
            for answer in ANSWERS:
                painter.fillRect(QRectF(x, (height - box) / 2, box, box), QColor(colors[answer]))
                x += box + height * 0.4
                word = ANSWER_WORDS[answer]
                painter.setPen(QColor(INK))
                painter.drawText(QRectF(x, 0, width, height),
                                 int(Qt.AlignmentFlag.AlignVCenter), word)
                x += metrics.horizontalAdvance(word) + height * 1.2

        fmt = self._image(("legend", tuple(sorted(colors.items()))), 90, 6, paint)
        self._block().insertImage(fmt)

    def bars(self, bars: Sequence[Bar], axis_max: int, height_mm: float) -> None:
        """A horizontal bar chart across the page, ``height_mm`` high: the label of each
        bar as text at the left, the bars (images) on the same scale for every chart with
        ``axis_max``, grid lines and the scale below."""
        self._keep(mm(height_mm))
        axis_mm = 4.0
        band_mm = (height_mm - axis_mm) / max(len(bars), 1)
        plot_mm = 210 - 2 * MARGIN_MM - CHART_LABELS_MM - 3
        step = tick_step(axis_max)
        label_share = 100 * CHART_LABELS_MM / (CHART_LABELS_MM + plot_mm)
        self.cursor.beginEditBlock()
        table = self._table(len(bars) + 1, 2, [label_share, 100 - label_share], border=0)

        def grid(painter: QPainter, width: float, top: float, bottom: float) -> None:
            scale = (width - 2) / axis_max
            painter.setPen(QPen(QColor(GRID), IMAGE_RESOLUTION / 25.4 * 0.15))
            for tick in range(0, axis_max + 1, step):
                x = 1 + tick * scale
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            painter.setPen(QPen(QColor(INK), IMAGE_RESOLUTION / 25.4 * 0.25))
            painter.drawLine(QPointF(1, top), QPointF(1, bottom))

        for row, bar in enumerate(bars):
            def paint(painter: QPainter, width: float, height: float, bar=bar) -> None:
                grid(painter, width, 0, height)
                if bar.value > 0:
                    thickness = height * 0.72
                    painter.fillRect(QRectF(1, (height - thickness) / 2,
                                            min(bar.value, axis_max) * (width - 2) / axis_max,
                                            thickness), QColor(bar.color))
            image = self._image(("bar", bar.value, bar.color, axis_max, band_mm), plot_mm,
                                band_mm, paint, solid=True)
            self._chart_cell(table, row, bar.label, image)

        def axis(painter: QPainter, width: float, height: float) -> None:
            face = self._numbers(font(7.5), self._number_scale)
            painter.setFont(face)
            painter.setPen(QColor(INK_QUIET))
            scale = (width - 2) / axis_max
            for tick in range(0, axis_max + 1, step):
                x = 1 + tick * scale
                rect = QRectF(x - height * 2, 0, height * 4, height)
                flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
                if tick == axis_max:
                    rect = QRectF(x - height * 4, 0, height * 4, height)
                    flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                elif tick == 0:
                    rect = QRectF(0, 0, height * 4, height)
                    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(rect, int(flags), str(tick))

        self._chart_cell(table, len(bars), "",
                         self._image(("axis", axis_max), plot_mm, axis_mm, axis))
        self.cursor.endEditBlock()

    def _chart_cell(self, table, row: int, label: str, image: QTextImageFormat) -> None:
        for column in (0, 1):
            cell = table.cellAt(row, column)
            fmt = cell.format().toTableCellFormat()
            fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
            fmt.setRightPadding(mm(2.5) if column == 0 else 0)
            cell.setFormat(fmt)
        cursor = table.cellAt(row, 0).firstCursorPosition()
        block = cursor.blockFormat()
        block.setAlignment(Qt.AlignmentFlag.AlignRight)
        cursor.setBlockFormat(block)
        if label:
            self._insert(cursor, label, font(9))
        image_cursor = table.cellAt(row, 1).firstCursorPosition()
        block = image_cursor.blockFormat()
        block.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        image_cursor.setBlockFormat(block)
        image_cursor.insertImage(image)

    # -- files -----------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def write_pdf(self, path: Path, title: str, creator: str = "Stellingenkiosk") -> int:
        """The document on A4 pages with a footer on every page; returns the page count.
        Returns 0 when the PDF could not be opened or finished."""
        writer = QPdfWriter(str(path))
        writer.setResolution(RESOLUTION)
        writer.setTitle(title)
        writer.setCreator(creator)
        writer.setPageLayout(QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter))
        painter = QPainter()
        if not painter.begin(writer):
            return 0
        pages = self.document.pageCount()
        scale = RESOLUTION / UNITS
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for page in range(pages):
                if page:
                    writer.newPage()
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, -page * self.height)
                self.document.drawContents(painter, QRectF(0, page * self.height, self.width,
                                                           self.height))
                painter.restore()
                self._footer(painter, page + 1, scale)
        finally:
            finished = painter.end()
        return pages if finished else 0

    def _footer(self, painter: QPainter, page: int, scale: float) -> None:
        face = font(8)
        painter.setFont(face)
        painter.setPen(QColor(INK_QUIET))
        top = (self.height + mm(FOOTER_MM - 6)) * scale
        rect = QRectF(0, top, self.width * scale, mm(6) * scale)
        number = f"pagina {page}"
        room = rect.width() - QFontMetricsF(face, painter.device()).horizontalAdvance(
            number) - mm(8) * scale
        text = QFontMetricsF(face, painter.device()).elidedText(
            xml_safe(self.footer), Qt.TextElideMode.ElideRight, room)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | middle), text)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | middle), number)

    def write_odt(self, path: Path) -> bool:
        """The document as OpenDocument text; False when it could not be written."""
        writer = QTextDocumentWriter(str(path), b"odf")
        if not writer.write(self.document):
            return False
        _fix_odt(Path(path), 210 - 2 * MARGIN_MM, self._headings, self._header_rows)
        return True


def _headings(text: str, headings: Sequence[tuple[str, int]]) -> str:
    """The paragraphs that are headings (in order) as ``text:h`` with their level."""
    pending = list(headings)

    def heading(match: re.Match[str]) -> str:
        inner = html.unescape(re.sub(r"<[^>]*>", "", match[2]))
        if not pending or inner != pending[0][0]:
            return match[0]
        level = pending.pop(0)[1]
        return f'<text:h {match[1]} text:outline-level="{level}">{match[2]}</text:h>'

    return re.sub(r"<text:p ([^>]*)(?<!/)>((?:(?!</text:p>).)*)</text:p>", heading, text,
                  flags=re.DOTALL)


def _header_rows(text: str, header_rows: Sequence[bool]) -> str:
    """The first row of each table that has a header row inside ``table:table-header-rows``
    (Writer and Word repeat it on every page the table runs over)."""
    tables = iter(header_rows)

    def table(match: re.Match[str]) -> str:
        if not next(tables, False):
            return match[0]
        return re.sub(r"(<table:table-row>.*?</table:table-row>)",
                      r"<table:table-header-rows>\1</table:table-header-rows>", match[0],
                      count=1, flags=re.DOTALL)

    return re.sub(r"<table:table .*?</table:table>", table, text, flags=re.DOTALL)


def _fix_odt(path: Path, width_mm: float, headings: Sequence[tuple[str, int]],
             header_rows: Sequence[bool]) -> None:
    """What Qt's ODF writer leaves out or gets wrong: headings (it writes every block as
    ``text:p``); header rows; a table of 100% gets the width "100pt" and its columns widths in "%",
    which ODF does not know (Writer then splits a table in equal columns): rewrite
    them as the text's width and relative column widths."""
    with zipfile.ZipFile(path) as odt:
        entries = [(info, odt.read(info)) for info in odt.infolist()]
    fixed = []
    for info, data in entries:
        if info.filename == "content.xml":
            text = data.decode("utf-8")
            text = re.sub(r'style:column-width="([0-9.]+)%"',
                          lambda m: f'style:rel-column-width="{round(float(m[1]) * 100)}*"',
                          text)
            text = text.replace('style:width="100pt"',
                                f'style:width="{width_mm}mm" table:align="margins"')
            text = _header_rows(_headings(text, headings), header_rows)
            data = text.encode("utf-8")
        fixed.append((info, data))
    with zipfile.ZipFile(path, "w") as odt:
        for info, data in fixed:  # "mimetype" first and stored, as Qt wrote it
            odt.writestr(info, data)
