"""The printed slip: what a passer-by takes home (library, course, QR code, contact).

Three layouts: ``"80mm"`` (a receipt printer; the page is as long as the
content), ``"a6"`` and ``"a4"`` (one page). Large type, black on white, nothing
else. Everything is laid out in millimetres from the paint device's resolution,
so one layout serves a 203 dpi receipt printer, a 1200 dpi PDF and a QImage.

Qt only (QtGui, QtPrintSupport), no widgets: safe to paint on a worker thread
(Qt allows QPainter on a QPrinter or QImage off the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter

from kiosk.core.files import check_pdf, file_mode, replacing
from kiosk.core.model import Course, Library
from kiosk.core.qr import display_address, qr_matrix
from kiosk.gui.widgets import paint_qr

FAMILY = "Atkinson Hyperlegible"  # registered by kiosk.gui.theme.load_fonts
MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH
MIN_QR_MM = 35  # smaller codes get hard to scan from a crumpled slip
MIN_TYPE_SCALE = 0.7  # never shrink the type more than this to fit a page


class SlipError(Exception):
    """A slip that could not be made (unknown size, unwritable file); the message says why."""


@dataclass(frozen=True)
class SlipSize:
    """One slip format. Type sizes in points; lengths in millimetres."""

    width: float
    height: float | None  # None: as long as the content (a receipt roll)
    margin: float
    qr: float  # the QR code's side, quiet zone included
    gap: float  # space between the blocks
    library: float
    course: float
    line: float
    cue: float
    address: float
    contact: float


SIZES: dict[str, SlipSize] = {
    "80mm": SlipSize(width=80, height=None, margin=5, qr=46, gap=5, library=13, course=20,
                     line=14, cue=12, address=15, contact=13),
    "a6": SlipSize(width=105, height=148, margin=8, qr=48, gap=4, library=13, course=21,
                   line=14, cue=12, address=16, contact=12),
    "a4": SlipSize(width=210, height=297, margin=20, qr=90, gap=10, library=20, course=36,
                   line=22, cue=18, address=26, contact=18),
}

#: The short texts on every slip (A2 Dutch).
CUE = "Scan de code met je telefoon.\nOf ga naar:"
CONTACT_TITLE = "Kom langs bij het Taalhuis"


def slip_size(size: str) -> SlipSize:
    """The format called ``size`` ("80mm", "a6" or "a4"); SlipError for any other."""
    try:
        return SIZES[size.lower()]
    except KeyError:
        raise SlipError(f"onbekende maat '{size}' voor de bon; kies uit: "
                        f"{', '.join(SIZES)}") from None


@dataclass(frozen=True)
class _Text:
    text: str
    font: QFont
    flags: int
    rect: QRectF


@dataclass
class _Layout:
    """Where everything goes, in device pixels, relative to the top of the page."""

    texts: list[_Text]
    rules: list[tuple[float, float, float]]  # (y, x1, x2)
    qr: QRectF
    height: float  # the content's height including margins


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)  # same on any printer
    return font


def _layout(device: QPaintDevice, width_px: float, height_px: float | None, course: Course,
            library: Library, spec: SlipSize, scale: float) -> _Layout:
    """Lay out the slip for a page ``width_px`` wide (``height_px`` high, or fitted).

    Three blocks: the header (library, course, its A2 line), the QR code with
    the address written out, and the Taalhuis contact. A fixed-height page
    shares its spare room equally above and below the QR block.
    """
    mm = device.logicalDpiX() / MM_PER_INCH
    margin, gap = spec.margin * mm, spec.gap * mm
    left, inner = margin, width_px - 2 * margin
    centre = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
    flush = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)

    def block(lines: list[tuple[str, float, bool, float]], flags: int
              ) -> tuple[list[_Text], float]:
        """``(text, points, bold, space_after_mm)`` lines from y = 0; the texts and height."""
        placed, y = [], 0.0
        for text, points, bold, after in lines:
            if not text:
                continue
            font = _font(points * scale, bold)
            metrics = QFontMetricsF(font, device)
            bound = metrics.boundingRect(QRectF(0, 0, inner, 1e6), flags, text)
            height = max(bound.height(), metrics.height())
            placed.append(_Text(text, font, flags, QRectF(left, y, inner, height)))
            y += height + after * mm * scale
        return placed, y

    def moved(texts: list[_Text], dy: float) -> list[_Text]:
        return [_Text(t.text, t.font, t.flags, t.rect.translated(0, dy)) for t in texts]

    qr_side = max(MIN_QR_MM * mm, min(spec.qr * mm * max(scale, 0.85), inner))
    phone = f"Bel {library.phone}" if library.phone else ""
    name, name_height = block([(library.name, spec.library, True, 0)], centre)
    header, header_height = block([(course.name, spec.course, True, 1.5),
                                   (course.line, spec.line, False, 0)], centre)
    under_qr, under_qr_height = block([(CUE, spec.cue, False, 1),
                                       (display_address(course.url), spec.address, True, 0)],
                                      centre)
    contact, contact_height = block([(CONTACT_TITLE, spec.contact, True, 1),
                                     (library.address, spec.contact, False, 1),
                                     (library.hours, spec.contact, False, 1),
                                     (phone, spec.contact, False, 0)], flush)

    rule_gap = gap * 0.8  # from a rule to the text under it
    fixed = (margin + name_height + 1.5 * mm + rule_gap + header_height + gap + qr_side
             + 1.5 * mm + under_qr_height + gap + rule_gap + contact_height + margin)
    spare = 0.0 if height_px is None else max(0.0, height_px - fixed)
    y = margin
    texts = moved(name, y)
    y += name_height + 1.5 * mm
    rules = [(y, left, left + inner)]
    y += rule_gap
    texts += moved(header, y)
    y += header_height + gap + spare / 2
    qr = QRectF(left + (inner - qr_side) / 2, y, qr_side, qr_side)
    y += qr_side + 1.5 * mm
    texts += moved(under_qr, y)
    y += under_qr_height + gap + spare / 2
    rules.append((y, left, left + inner))
    texts += moved(contact, y + rule_gap)
    return _Layout(texts, rules, qr, fixed)


def _fitted_layout(device: QPaintDevice, width_px: float, height_px: float | None,
                   course: Course, library: Library, spec: SlipSize) -> _Layout:
    """The layout with the largest type (up to the format's own) that fits the page."""
    scale = 1.0
    while True:
        layout = _layout(device, width_px, height_px, course, library, spec, scale)
        if height_px is None or layout.height <= height_px or scale <= MIN_TYPE_SCALE:
            return layout
        scale = max(MIN_TYPE_SCALE, scale - 0.05)


def slip_height_mm(device: QPaintDevice, course: Course, library: Library, size: str) -> float:
    """The page height for ``size``: fixed for A6/A4, fitted to the content for 80 mm."""
    spec = slip_size(size)
    if spec.height is not None:
        return spec.height
    mm = device.logicalDpiX() / MM_PER_INCH
    layout = _layout(device, spec.width * mm, None, course, library, spec, 1.0)
    return layout.height / mm


def paint_slip(painter: QPainter, page: QRectF, course: Course, library: Library, link: str,
               size: str) -> QRectF:
    """Paint the slip for ``course`` into ``page`` (device pixels of the painter's device).

    Args:
        page: the whole page (or the slip's part of an image).
        link: what the QR code holds (the course address, tagged or not).
        size: "80mm", "a6" or "a4" (type sizes and margins; the page decides the room).

    Returns:
        The QR code's rectangle (quiet zone included), in device pixels.
    """
    spec = slip_size(size)
    device = painter.device()
    height = page.height() if spec.height is not None else None
    layout = _fitted_layout(device, page.width(), height, course, library, spec)
    painter.save()
    painter.fillRect(page, QColor("white"))
    painter.translate(page.topLeft())
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    ink = QColor("black")
    for item in layout.texts:
        painter.setFont(item.font)
        painter.setPen(ink)
        painter.drawText(item.rect, item.flags, item.text)
    mm = device.logicalDpiX() / MM_PER_INCH
    painter.setPen(QPen(ink, max(1.0, 0.3 * mm)))
    for y, x1, x2 in layout.rules:
        painter.drawLine(QPointF(x1, y), QPointF(x2, y))
    painted = paint_qr(painter, qr_matrix(link), layout.qr)
    painter.restore()
    return painted.translated(page.topLeft())


def page_size(width_mm: float, height_mm: float) -> QPageSize:
    return QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "",
                     QPageSize.SizeMatchPolicy.ExactMatch)


def prepare_printer(printer: QPrinter, course: Course, library: Library, size: str) -> None:
    """Set the page of ``printer`` for the slip (before painting): size, portrait, no margins."""
    spec = slip_size(size)
    height = slip_height_mm(printer, course, library, size)
    printer.setFullPage(True)
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    if not printer.setPageSize(page_size(spec.width, height)):
        raise SlipError(f"de printer neemt geen bon van {spec.width:g} x {height:.0f} mm aan")
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    printer.setDocName("Stellingenkiosk-bon")


def paint_on_printer(printer: QPrinter, course: Course, library: Library, link: str,
                     size: str) -> None:
    """Prepare ``printer`` and paint one slip on it; SlipError if the printer refuses.

    A printer's refusal is worded in Dutch: it ends up in the staff's message.
    """
    prepare_printer(printer, course, library, size)
    painter = QPainter()
    if not painter.begin(printer):
        raise SlipError("de printer kon de bon niet beginnen")
    try:
        page = printer.paperRect(QPrinter.Unit.DevicePixel)
        paint_slip(painter, QRectF(0, 0, page.width(), page.height()), course, library, link,
                   size)
    finally:
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise SlipError("de printer meldde een fout tijdens het printen")


def write_slip_pdf(path: Path, course: Course, library: Library, link: str,
                   size: str = "80mm") -> Path:
    """Write the slip as a one-page PDF (vector text and QR code) to ``path``.

    The file is written next to ``path`` first, checked (a whole PDF, ending
    in ``%%EOF``), flushed, then moved into place: complete or absent. It
    follows the umask. Raises SlipError when it cannot be written.
    """
    path = Path(path)
    slip_size(size)  # an unknown size fails before any file is made
    if not path.parent.is_dir():
        raise SlipError(f"kan {path} niet schrijven: de map {path.parent} bestaat niet")
    try:
        with replacing(path, suffix=".pdf", mode=file_mode(), check=check_pdf) as temporary:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(temporary))
            printer.setCreator("Stellingenkiosk")
            paint_on_printer(printer, course, library, link, size)
            del printer  # closes the file
    except SlipError as error:
        raise SlipError(f"kan {path} niet schrijven: {error}") from None
    except OSError as error:
        raise SlipError(f"kan {path} niet schrijven: {error.strerror or error}") from None
    return path
