"""Small widgets: a coloured SVG pictogram, a QR code painted from its matrix."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.qr import qr_matrix


@lru_cache(maxsize=256)
def _svg_bytes(path: Path, color: str) -> bytes:
    return path.read_bytes().replace(b"currentColor", color.encode())


class Pictogram(QWidget):
    """Paints ``<folder>/<name>.svg`` in one colour, as large as fits, centred."""

    def __init__(self, folder: Path, color: str = "#1f3a5f", parent: QWidget | None = None):
        super().__init__(parent)
        self._folder = folder
        self._color = color
        self._renderer = QSvgRenderer(self)
        self.name = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_name(self, name: str) -> None:
        if name == self.name:
            return
        self.name = name
        path = self._folder / f"{name}.svg"
        data = _svg_bytes(path, self._color) if path.is_file() else b""
        self._renderer.load(QByteArray(data))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(256, 256)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._renderer.isValid():
            return
        side = min(self.width(), self.height())
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, rect)


def paint_qr(painter: QPainter, matrix: list[list[bool]], rect: QRectF) -> None:
    """Paint ``matrix`` into the largest square of whole device pixels per module in ``rect``.

    Whole-pixel modules keep the code crisp on screen; on paper (high
    resolution) the rounding is invisible.
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


class QrCode(QWidget):
    """A QR code for a URL, painted from the ``qrcode`` matrix (crisp at any size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self._matrix: list[list[bool]] = []
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_url(self, url: str) -> None:
        if url != self.url:
            self.url = url
            self._matrix = qr_matrix(url) if url else []
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._matrix:
            painter = QPainter(self)
            paint_qr(painter, self._matrix, QRectF(self.rect()))
