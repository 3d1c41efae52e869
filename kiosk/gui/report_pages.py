"""The report's page cursor: A4 pages with headings, paragraphs, tables and bar charts.

:class:`Pages` moves down the pages of a :class:`QPrinter` in PDF mode: every
text goes through :meth:`Pages.layout`, which sets the numbers in it in the
number face (Source Sans 3, whose zero is plain: the body face, Atkinson
Hyperlegible, has a slashed zero), scaled so its digits stand as high as
Atkinson's, with tabular figures so columns line up. Every text is made safe
first (:func:`kiosk.core.doubtful.xml_safe`: no controls or non-characters from
an old database reach the PDF).

Charts are drawn with QPainter straight onto the printer (vector output, the
kiosk's fonts and colours); no QtCharts. What the report says is in
:mod:`kiosk.gui.report_sections`; :mod:`kiosk.gui.report` writes the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from kiosk.core.doubtful import xml_safe
from kiosk.core.model import ANSWERS
from kiosk.core.publication import STEP as SMALL

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


#: Room at the left of every chart for its labels ("Weet niet  12 (40%)"), in mm.
CHART_LABELS_MM = 40
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


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



class Pages:
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
        text = xml_safe(text)
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
        text = xml_safe(text)
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

    def bars(self, bars: Sequence[Bar], axis_max: int, height_mm: float) -> None:
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
        step = tick_step(axis_max)
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

