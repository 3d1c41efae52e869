"""A big staff button with a pictogram, a word and a line under it that wraps.

A push button draws its text on one line per ``\\n`` and cuts the rest; on a portrait
screen a longer explanation, or a long file name, would be cut. Here the words are
labels inside the button that wrap, and the button is as tall as they need. It looks
like the drive buttons (``staff="drive"`` in ui/kiosk.qss) and is tapped as a whole.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from kiosk.gui.staff.widgets import set_text, staff_label


class CardButton(QPushButton):
    """A word and a line (and a pictogram) on one big button; the line wraps."""

    def __init__(self, name: str, word: str, line: str, icon: QIcon, muted: str = "") -> None:
        """``muted``: the colour of the words while the button is disabled."""
        super().__init__(objectName=name)
        self._muted = muted
        self.setProperty("staff", "drive")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self._icon = icon
        self.picture = QLabel()
        self.word = staff_label("staff_section", word)
        self.line = staff_label("staff_text", line)
        for widget in (self.picture, self.word, self.line):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.word)
        texts.addWidget(self.line)
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(texts, 1)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_words(word, line)
        self.set_icon_side(32)

    def set_words(self, word: str, line: str) -> None:
        set_text(self.word, word)
        set_text(self.line, line)
        self.line.setVisible(bool(line))
        self.setAccessibleName(word)
        self.setAccessibleDescription(line or word)
        self.updateGeometry()

    def set_icon_side(self, side: int) -> None:
        self.picture.setPixmap(self._icon.pixmap(side, side))
        self.picture.setFixedSize(side, side)
        margin = max(6, side // 3)
        self.layout().setContentsMargins(margin, margin * 2 // 3, margin, margin * 2 // 3)
        self.layout().setSpacing(margin)
        self.updateGeometry()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.EnabledChange and self._muted:
            look = "" if self.isEnabled() else f"color: {self._muted};"
            self.word.setStyleSheet(look)
            self.line.setStyleSheet(look)
        super().changeEvent(event)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return max(self.minimumHeight(), self.layout().totalHeightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = self.layout().totalSizeHint()
        width = max(hint.width(), self.minimumWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.minimumWidth(), self.minimumHeight())
