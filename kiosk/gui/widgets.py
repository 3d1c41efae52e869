"""Small widgets: a touch button, a coloured SVG pictogram, a QR code painted from its matrix."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from kiosk.core.safefile import PICTOGRAM_LIMIT, UnsafeFile, read_regular


@lru_cache(maxsize=256)
def _svg_bytes(path: Path, color: str, fill: str | None = None) -> bytes:
    """The SVG in ``color``; with ``fill``, the duotone layer gets that warm colour."""
    try:
        data = read_regular(path, PICTOGRAM_LIMIT).replace(b"currentColor", color.encode())
    except UnsafeFile:  # a FIFO, device or huge file named like a pictogram: paint nothing
        return b""
    if fill:
        data = data.replace(b'opacity="0.2"', f'fill="{fill}" opacity="0.85"'.encode())
    return data


def plain(text: str) -> str:
    """``text`` for a button: ``&`` shows as written instead of marking a shortcut."""
    return text.replace("&", "&&")


class TouchButton(QPushButton):
    """A push button that keeps a clear gap between its pictogram and its word.

    Qt's own button puts the icon right against the text; at kiosk sizes that
    reads as one blob. This one paints the stylesheet's background, then the
    icon, a gap of a third of the icon, and the word, centred together. When
    the pair does not fit (large text on a narrow screen) both shrink together,
    down to :attr:`MIN_SCALE`; below that the word is wrapped without the icon.
    A disabled button paints nothing (its place stays, so the layout does not
    jump). Text is shown literally: set it with :meth:`set_plain_text`.
    """

    GAP = 0.35  # the gap between icon and word, as a share of the icon's size
    MIN_SCALE = 0.7  # icon and word shrink together to at most this share

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: a ring just inside the edge in this colour (None: none): the answer just taken
        self.ring: QColor | None = None
        # may be narrower than its word (it then shrinks or wraps): a long word
        # never widens the window beyond the screen
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_plain_text(self, text: str) -> None:
        """Show ``text`` exactly (an ``&`` stays an ``&``); also its accessible name."""
        self.setText(plain(text))
        self.setAccessibleName(text)

    def shown_text(self) -> str:
        """The word as it appears on the button (Qt's ``&&`` is one ``&``)."""
        return self.text().replace("&&", "\0").replace("&", "").replace("\0", "&")

    def _natural_width(self) -> tuple[int, int]:
        """(width of icon + gap, width of the word) at full size."""
        icon = 0 if self.icon().isNull() else self.iconSize().width()
        text = self.shown_text()
        gap = round(icon * self.GAP) if text and icon else 0
        return icon + gap, QFontMetrics(self.font()).horizontalAdvance(text)

    def _inner(self) -> QRect:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)

    def scale(self) -> float:
        """How large icon and word are painted now (1.0: full size; 0: wrapped, no icon)."""
        icon, text = self._natural_width()
        room = self._inner().width()
        if icon + text <= room:
            return 1.0
        scale = room / max(1, icon + text)
        return scale if scale >= self.MIN_SCALE else 0.0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        icon, _text = self._natural_width()
        if icon and self.text():
            hint.setWidth(hint.width() + icon - self.iconSize().width())
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Layouts may make it narrower than its word: it then shrinks or wraps (see scale)."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.iconSize().width() * 2), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.isEnabled():
            return  # a disabled passer-by control is not there (see kiosk.qss)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_PushButtonBevel, option, painter, self)
        if self.ring is not None:
            self._paint_ring(painter)
        inner = self._inner()
        text = self.shown_text()
        color = option.palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.ButtonText)
        painter.setPen(color)
        scale = self.scale()
        font = self.font()
        if scale == 0.0:  # too narrow even shrunk: the word alone, wrapped
            painter.setFont(font)
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
            return
        if scale < 1.0 and font.pixelSize() > 0:  # the stylesheet sets sizes in pixels
            font.setPixelSize(max(1, round(font.pixelSize() * scale)))
        elif scale < 1.0:
            font.setPointSizeF(max(1.0, font.pointSizeF() * scale))
        painter.setFont(font)
        icon_side = 0 if self.icon().isNull() else round(self.iconSize().width() * scale)
        gap = round(icon_side * self.GAP) if text and icon_side else 0
        text_width = QFontMetrics(font).horizontalAdvance(text)
        left = inner.x() + (inner.width() - icon_side - gap - text_width) // 2
        middle = inner.y() + inner.height() // 2
        if icon_side:
            self.icon().paint(painter, QRect(left, middle - icon_side // 2, icon_side, icon_side))
        painter.drawText(QRect(left + icon_side + gap, inner.y(), text_width + 2, inner.height()),
                         Qt.AlignmentFlag.AlignVCenter, text)

    def set_ring(self, color: QColor | None) -> None:
        """Show (a colour) or take away (None) the ring of an answer just taken."""
        if color != self.ring:
            self.ring = color
            self.update()

    def _paint_ring(self, painter: QPainter) -> None:
        width = max(5, round(min(self.width(), self.height()) * 0.05))
        inset = width * 1.5
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.ring, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = min(self.width(), self.height()) * 0.08
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset),
                                radius, radius)
        painter.restore()


class GapButton(QPushButton):
    """A push button drawn by Qt's style in every state (pressed, checked, disabled),
    whose pictogram keeps the same clear gap from its word as :class:`TouchButton`.

    Qt puts a fixed 4 px between a button's icon and its text; at kiosk sizes the
    pictogram then touches its word. This button hands the style a copy of the icon
    with transparent room on its right (the style lays out and centres the wider icon
    as usual) and asks for that much more width.
    """

    GAP = TouchButton.GAP  # the gap between icon and word, as a share of the icon's size
    QT_SPACING = 4  # what Qt's style puts between icon and text itself

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._padded: tuple[tuple, QIcon] | None = None

    def extra_gap(self) -> int:
        """Pixels added to Qt's own spacing between the icon and the word (0: none)."""
        if self.icon().isNull() or not self.text():
            return 0
        return max(0, round(self.iconSize().width() * self.GAP) - self.QT_SPACING)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width() + self.extra_gap(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(hint.width() + self.extra_gap(), hint.height())

    def _padded_icon(self, icon: QIcon, side: QSize, extra: int) -> QIcon:
        ratio = self.devicePixelRatioF()
        key = (icon.cacheKey(), side.width(), side.height(), extra, ratio)
        if self._padded is not None and self._padded[0] == key:
            return self._padded[1]
        padded = QIcon()
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Active,
                     QIcon.Mode.Selected):
            for state in (QIcon.State.Off, QIcon.State.On):
                source = icon.pixmap(side, ratio, mode, state)
                wide = QPixmap(round((side.width() + extra) * ratio),
                               round(side.height() * ratio))
                wide.setDevicePixelRatio(ratio)
                wide.fill(Qt.GlobalColor.transparent)
                painter = QPainter(wide)
                top = (side.height() - source.height() / source.devicePixelRatio()) / 2
                painter.drawPixmap(QPointF(0, top), source)
                painter.end()
                padded.addPixmap(wide, mode, state)
        self._padded = (key, padded)
        return padded

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        extra = self.extra_gap()
        if not extra:
            super().paintEvent(event)
            return
        option = QStyleOptionButton()
        self.initStyleOption(option)
        side = QSize(option.iconSize)
        option.icon = self._padded_icon(option.icon, side, extra)
        option.iconSize = QSize(side.width() + extra, side.height())
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)


class Pictogram(QWidget):
    """Paints ``<folder>/<name>.svg`` in one colour, as large as fits, centred.

    The drawing is rendered once per name and size into a pixmap (in Qt's
    :class:`QPixmapCache`) and then only copied: rendering the SVG costs 2-4 ms
    at 1920x1080, copying it a fraction of that, so a tap, each frame of the
    fade-in and the pictogram's gentle movement do not re-render it.
    :meth:`prepare` renders the ones that come next before they are needed.
    """

    def __init__(self, folder: Path, color: str = "#1f3a5f", fill: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._folder = folder
        self._color = color
        self._fill = fill
        self.name = ""
        self.lift = 0.0  # 0..1: shifts the drawing up by up to 6% (gentle movement)
        self.opacity = 1.0  # for the short fade-in of a new statement
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_name(self, name: str) -> None:
        if name == self.name:
            return
        self.name = name
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(256, 256)

    def side(self) -> int:
        """The drawing's width and height in pixels at the widget's current size."""
        return int(min(self.width(), self.height()) * 0.92)

    def pixmap(self, name: str | None = None) -> QPixmap | None:
        """``name`` (default: the one shown) rendered at the current size; None: no such
        pictogram. Rendered on the first call, copied from the cache after that."""
        name = self.name if name is None else name
        side, ratio = self.side(), self.devicePixelRatioF()
        if not name or side < 1:
            return None
        key = f"kiosk-pictogram|{self._folder}|{name}|{self._color}|{self._fill}|{side}|{ratio}"
        cached = QPixmapCache.find(key)
        if cached is not None:
            return cached
        path = self._folder / f"{name}.svg"
        renderer = QSvgRenderer(QByteArray(_svg_bytes(path, self._color, self._fill)
                                           if path.is_file() else b""))
        if not renderer.isValid():
            return None
        pixmap = QPixmap(round(side * ratio), round(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        QPixmapCache.insert(key, pixmap)
        return pixmap

    def prepare(self, names: Sequence[str]) -> None:
        """Render ``names`` at the current size now, so showing them later only copies."""
        for name in names:
            self.pixmap(name)

    def paintEvent(self, event: QPaintEvent) -> None:
        pixmap = self.pixmap()
        if pixmap is None:
            return
        side = self.side()
        top = (self.height() - side) / 2 - self.lift * side * 0.06
        painter = QPainter(self)
        painter.setOpacity(self.opacity)
        painter.drawPixmap(QPointF((self.width() - side) / 2, top), pixmap)


#: Room in Qt's pixmap cache for the pictograms of a statement set and its courses
#: at the largest screen size (about 0.5 MB each at 1920x1080), above Qt's 10 MB.
PIXMAP_CACHE_KB = 32 * 1024


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
            from kiosk.core.qr import qr_matrix  # qrcode loads with the first code

            self._matrix = qr_matrix(url) if url else ()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._matrix:
            painter = QPainter(self)
            paint_qr(painter, self._matrix, QRectF(self.rect()))


class ProgressDots(QWidget):
    """A row of dots for this visit's statements.

    An answered statement's dot is filled in its answer's colour with the
    answer's pictogram (so the passer-by sees what they chose); the current
    one is a ring; the ones still to come are small.
    """

    def __init__(self, done: str, todo: str,
                 marks: dict[str, tuple[str, QSvgRenderer]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._done, self._todo = QColor(done), QColor(todo)
        #: answer -> (fill colour, white pictogram) for answered dots
        self._marks = {answer: (QColor(color), renderer)
                       for answer, (color, renderer) in (marks or {}).items()}
        self.position, self.total = 0, 0
        self.answers: list[str | None] = []
        self.setMinimumHeight(16)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_progress(self, position: int, total: int,
                     answers: Sequence[str | None] = ()) -> None:
        """``answers[i]``: the answer given to statement ``i`` of the visit (None: none yet)."""
        self.position, self.total = position, total
        self.answers = list(answers)
        self.setAccessibleName(f"Vraag {position + 1} van {total}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.total:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        diameter = min(self.height() * 0.7, self.width() / (self.total * 1.8))
        gap = diameter * 0.8
        width = self.total * diameter + (self.total - 1) * gap
        x = (self.width() - width) / 2
        y = (self.height() - diameter) / 2
        for index in range(self.total):
            rect = QRectF(x + index * (diameter + gap), y, diameter, diameter)
            answer = self.answers[index] if index < len(self.answers) else None
            mark = self._marks.get(answer or "")
            if index == self.position:
                pen = QPen(self._done, max(2.0, diameter / 5))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                inset = pen.widthF() / 2
                painter.drawEllipse(rect.adjusted(inset, inset, -inset, -inset))
            elif mark is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mark[0])
                painter.drawEllipse(rect)
                inset = diameter * 0.2
                mark[1].render(painter, rect.adjusted(inset, inset, -inset, -inset))
            elif index < self.position:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._done)
                painter.drawEllipse(rect)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._todo)
                small = diameter * 0.25
                painter.drawEllipse(rect.adjusted(small, small, -small, -small))


ANSWER_MIN_MM = 32  # answer targets: at least 3 cm high (we keep a margin)
CONTROL_MIN_MM = 21  # every other control: at least 2 cm


def svg_icon(folder: Path, name: str, color: str, size: int = 160) -> QIcon:
    """A pictogram as an icon, rendered once at ``size`` pixels."""
    renderer = QSvgRenderer(_svg_bytes(folder / f"{name}.svg", color))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


def label(name: str, text: str = "", wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    """A label that shows its text literally (content is never read as markup)."""
    widget = QLabel(objectName=name, alignment=align)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def button(text: str, name: str, description: str, icon: QIcon | None = None) -> TouchButton:
    """A touch button: a word and a pictogram, named for tests and assistive tech.

    ``text`` is shown literally ("Klik & Tik" keeps its ``&``).
    """
    widget = TouchButton(plain(text), objectName=name)
    widget.setAccessibleName(text)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    if icon is not None:
        widget.setIcon(icon)
    return widget
