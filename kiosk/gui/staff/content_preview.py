"""The preview of new content: each statement and each course's end screen, small, as a
passer-by will see them, one at a time, with "Luister".

The pictures are the kiosk's own screens (:class:`~kiosk.gui.screens.StatementScreen`,
:class:`~kiosk.gui.end_screen.EndScreen`) laid out at the kiosk's size in a widget
that is never on screen, grabbed, and drawn scaled down: what staff see is what the
kiosk will show, also on a portrait screen. One page is rendered per tap (a few
tens of milliseconds), never the whole set at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStackedLayout, QVBoxLayout, QWidget

from kiosk.core.model import Content, Course, Statement, StatementSet
from kiosk.gui.end_screen import EndScreen
from kiosk.gui.screens import StatementScreen
from kiosk.gui.staff.widgets import set_text, staff_button, staff_label
from kiosk.gui.theme import Theme
from kiosk.gui.widgets import svg_icon
from kiosk.speech.phrases import end_screen_items

#: Says (key, text) items one after another; None: the kiosk has no sound here.
Speak = Callable[[list[tuple[str, str]]], None]
NO_SOUND = "Geen geluid"


def speak_with(shell) -> Speak | None:
    """The kiosk's own speaker as a :data:`Speak` when it has one that works, else None."""
    speaker = getattr(shell, "speaker", None)
    if speaker is None or not speaker.available:
        return None
    return lambda items: speaker.say_all(items) if items else speaker.stop()


def clear_rows(rows: QVBoxLayout) -> None:
    """Empty a list of rows (its widgets are deleted later)."""
    while rows.count():
        item = rows.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()


@dataclass(frozen=True)
class PreviewPage:
    """One page: a statement of a set, or a course's end screen."""

    caption: str
    words: str
    spoken: tuple[tuple[str, str], ...]
    statement: Statement | None = None
    statement_set: StatementSet | None = None
    course: Course | None = None


def preview_pages(content: Content) -> list[PreviewPage]:
    """Every statement of every set, then the end screen of every course."""
    pages: list[PreviewPage] = []
    for statement_set in content.sets.values():
        total = len(statement_set.statements)
        for number, statement in enumerate(statement_set.statements, 1):
            pages.append(PreviewPage(
                f"Stelling {number} van {total} ({statement_set.name})", statement.text,
                ((statement.id, statement.text),), statement=statement,
                statement_set=statement_set))
    courses = list(content.courses.values())
    for number, course in enumerate(courses, 1):
        pages.append(PreviewPage(
            f"Eindscherm {number} van {len(courses)}: {course.name}", course.line,
            tuple(end_screen_items(course, content.library)), course=course))
    return pages


class Stage(QWidget):
    """The kiosk's statement and end screens at the kiosk's size, never on screen."""

    def __init__(self, theme: Theme, pictograms: Path) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.theme = theme
        self.statement_screen = StatementScreen(pictograms, theme)
        self.end_screen = EndScreen(pictograms, theme)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self.statement_screen)
        self.pages.addWidget(self.end_screen)
        self._size = QSize()

    def _fit(self, size: QSize) -> None:
        if size != self._size:
            self._size = QSize(size)
            self.setStyleSheet(self.theme.stylesheet(size.width(), size.height()))
            self.resize(size)
        if not self.isVisible():
            self.show()  # laid out and polished, but never on the screen

    def render_page(self, page: PreviewPage, content: Content, size: QSize) -> QPixmap:
        """The page as the kiosk shows it at ``size``."""
        self._fit(size)
        if page.statement is not None and page.statement_set is not None:
            screen = self.statement_screen
            statements = page.statement_set.statements
            screen.set_longest_text(max((s.text for s in statements), key=len))
            per_visit = content.library.per_visit or len(statements)
            screen.show_statement(page.statement, 0, min(per_visit, len(statements)))
            screen.set_sound(True)
        else:
            screen = self.end_screen
            screen.set_library(content.library)
            screen.show_courses([page.course])
        self.pages.setCurrentWidget(screen)
        self.layout().activate()
        screen.layout().activate()
        return screen.grab()


class Thumbnail(QWidget):
    """A picture drawn as large as fits, keeping its shape, with a thin frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("content_preview_picture")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 90)
        self.pixmap = QPixmap()

    def set_pixmap(self, pixmap: QPixmap) -> None:
        self.pixmap = pixmap
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        if self.pixmap.isNull():
            return
        size = self.pixmap.size().scaled(self.size() - QSize(4, 4),
                                         Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, self.pixmap)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(target.adjusted(-1, -1, 0, 0))
        painter.end()


def forward(pictograms: Path, theme: Theme) -> QIcon:
    """The arrow of "Terug", pointing forward."""
    pixmap = svg_icon(pictograms, "arrow-left", theme.colors["ink"]).pixmap(160, 160)
    return QIcon(pixmap.transformed(QTransform().scale(-1, 1)))


class ContentPreview(QWidget):
    """Page through the new content: the picture, what it says, Vorige / Luister / Volgende.

    Args:
        size: the kiosk's screen size now (the pictures are laid out at it).
        speak: reads items aloud; None: no sound here ("Geen geluid").
    """

    def __init__(self, theme: Theme, pictograms: Path, size: Callable[[], QSize],
                 speak: Callable[[], Speak | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("content_preview")
        self.setAccessibleName("Voorbeeld")
        self.setAccessibleDescription("Zo ziet de kiosk er met de nieuwe inhoud uit.")
        self.theme, self.pictograms = theme, pictograms
        self.size_of_kiosk, self.speaker = size, speak
        self.stage: Stage | None = None
        self.content: Content | None = None
        self.pages: list[PreviewPage] = []
        self.index = 0
        self.caption = staff_label("staff_section")
        self.picture = Thumbnail()
        self.words = staff_label("staff_text")

        def icon(name: str):
            return svg_icon(pictograms, name, theme.colors["ink"])

        self.previous_button = staff_button("Vorige", "content_preview_previous",
                                            "Het vorige scherm.", "quiet", icon("arrow-left"))
        self.previous_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.listen_button = staff_button("Luister", "content_preview_listen",
                                          "Hoor wat de kiosk hier voorleest.", "quiet",
                                          icon("speaker-high"))
        self.listen_button.clicked.connect(self.listen)
        self.next_button = staff_button("Volgende", "content_preview_next",
                                        "Het volgende scherm.", "quiet", forward(pictograms,
                                                                                 theme))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.previous_button, 1)
        self.buttons.addWidget(self.listen_button, 1)
        self.buttons.addWidget(self.next_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.words)
        layout.addLayout(self.buttons)

    def set_content(self, content: Content) -> None:
        """Show ``content`` from its first statement."""
        self.content = content
        self.pages = preview_pages(content)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        if not self.pages:
            return
        self.index = max(0, min(index, len(self.pages) - 1))
        page = self.pages[self.index]
        if self.stage is None:
            self.stage = Stage(self.theme, self.pictograms)
        size = self.size_of_kiosk()
        if size.width() < 200 or size.height() < 200:
            size = QSize(1366, 768)
        self.picture.set_pixmap(self.stage.render_page(page, self.content, size))
        self.picture.setAccessibleName(f"{page.caption}: {page.words}")
        set_text(self.caption, page.caption)
        set_text(self.words, page.words)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.pages) - 1)
        speak = self.speaker()
        self.listen_button.setEnabled(speak is not None)
        set_text(self.listen_button, "Luister" if speak is not None else NO_SOUND)
        self.listen_button.setIcon(svg_icon(
            self.pictograms, "speaker-high" if speak is not None else "speaker-slash",
            self.theme.colors["ink"]))

    def listen(self) -> None:
        speak = self.speaker()
        if speak is not None and self.pages:
            speak(list(self.pages[self.index].spoken))

    def close_stage(self) -> None:
        """Free the hidden kiosk screens (the preview is closed)."""
        if self.stage is not None:
            self.stage.close()
            self.stage.deleteLater()
            self.stage = None
