"""Small widgets: a coloured SVG pictogram, a QR code painted from its matrix."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.qr import qr_matrix


@lru_cache(maxsize=256)
def _svg_bytes(path: Path, color: str, fill: str | None = None) -> bytes:
    """The SVG in ``color``; with ``fill``, the duotone layer gets that warm colour."""
    data = path.read_bytes().replace(b"currentColor", color.encode())
    if fill:
        data = data.replace(b'opacity="0.2"', f'fill="{fill}" opacity="0.85"'.encode())
    return data


class Pictogram(QWidget):
    """Paints ``<folder>/<name>.svg`` in one colour, as large as fits, centred."""

    def __init__(self, folder: Path, color: str = "#1f3a5f", fill: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._folder = folder
        self._color = color
        self._fill = fill
        self._renderer = QSvgRenderer(self)
        self.name = ""
        self.lift = 0.0  # 0..1: shifts the drawing up by up to 6% (gentle movement)
        self.opacity = 1.0  # for the short fade-in of a new statement
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_name(self, name: str) -> None:
        if name == self.name:
            return
        self.name = name
        path = self._folder / f"{name}.svg"
        data = _svg_bytes(path, self._color, self._fill) if path.is_file() else b""
        self._renderer.load(QByteArray(data))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(256, 256)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._renderer.isValid():
            return
        side = min(self.width(), self.height()) * 0.92
        top = (self.height() - side) / 2 - self.lift * side * 0.06
        rect = QRectF((self.width() - side) / 2, top, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(self.opacity)
        self._renderer.render(painter, rect)


def paint_qr(painter: QPainter, matrix: Sequence[Sequence[bool]], rect: QRectF) -> QRectF:
    """Paint ``matrix`` into the largest square of whole device pixels per module in ``rect``.

    Whole-pixel modules keep the code crisp on screen; on paper (high
    resolution) the rounding is invisible. Each row's runs of dark modules are
    one rectangle (a third of the calls of one per module; ``bench/bench_print.py``).

    Returns:
        The painted square (quiet zone included).
    """
    count = len(matrix)
    module = max(1, int(min(rect.width(), rect.height()) // count))
    side = module * count
    left = int(rect.x() + (rect.width() - side) / 2)
    top = int(rect.y() + (rect.height() - side) / 2)
    painter.fillRect(left, top, side, side, QColor("white"))
    black = QColor("black")
    for y, row in enumerate(matrix):
        x = 0
        while x < count:  # paint runs of dark modules as one rectangle
            if row[x]:
                start = x
                while x < count and row[x]:
                    x += 1
                painter.fillRect(left + start * module, top + y * module,
                                 (x - start) * module, module, black)
            else:
                x += 1
    return QRectF(left, top, side, side)


class QrCode(QWidget):
    """A QR code for a URL, painted from the ``qrcode`` matrix (crisp at any size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self._matrix: Sequence[Sequence[bool]] = ()
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_url(self, url: str) -> None:
        if url != self.url:
            self.url = url
            self._matrix = qr_matrix(url) if url else ()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._matrix:
            painter = QPainter(self)
            paint_qr(painter, self._matrix, QRectF(self.rect()))


class ProgressDots(QWidget):
    """A row of dots: filled for answered statements, a ring for the current one."""

    def __init__(self, done: str, todo: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._done, self._todo = QColor(done), QColor(todo)
        self.position, self.total = 0, 0
        self.setMinimumHeight(16)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_progress(self, position: int, total: int) -> None:
        self.position, self.total = position, total
        self.setAccessibleName(f"Vraag {position + 1} van {total}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.total:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        diameter = min(self.height() * 0.6, self.width() / (self.total * 1.8))
        gap = diameter * 0.8
        width = self.total * diameter + (self.total - 1) * gap
        x = (self.width() - width) / 2
        y = (self.height() - diameter) / 2
        for index in range(self.total):
            rect = QRectF(x + index * (diameter + gap), y, diameter, diameter)
            if index < self.position:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._done)
                painter.drawEllipse(rect)
            elif index == self.position:
                pen = QPen(self._done, max(2.0, diameter / 5))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                inset = pen.widthF() / 2
                painter.drawEllipse(rect.adjusted(inset, inset, -inset, -inset))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._todo)
                small = diameter * 0.25
                painter.drawEllipse(rect.adjusted(small, small, -small, -small))
