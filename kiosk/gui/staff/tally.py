"""Turven: count the beanbag throws of the game at the stand."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.model import ANSWERS, Statement
from kiosk.gui.staff.widgets import (
    ANSWER_NAMES,
    TALLY_MAX,
    StaffScreen,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme


class TallyCounter(QWidget):
    """− count + for one answer to one statement.

    Signals:
        changed(int): the new count.
    """

    changed = Signal(int)

    def __init__(self, statement: Statement, answer: str, minus: QIcon, plus: QIcon,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        word = ANSWER_NAMES[answer]
        self.setObjectName(f"tally_{statement.id}_{answer}")
        self.setAccessibleName(f"{word}: {statement.text}")
        self.setAccessibleDescription(f"Aantal keer {word.lower()} bij deze zin.")
        self.count = 0
        self.minus = staff_button("", f"tally_{statement.id}_{answer}_minus",
                                  f"Eén minder {word.lower()} bij: {statement.text}",
                                  "quiet", minus)
        self.minus.setAccessibleName(f"{word} min 1")
        self.plus = staff_button("", f"tally_{statement.id}_{answer}_plus",
                                 f"Eén meer {word.lower()} bij: {statement.text}",
                                 "eens" if answer == "eens" else
                                 "oneens" if answer == "oneens" else "quiet", plus)
        self.plus.setAccessibleName(f"{word} plus 1")
        for widget, step in ((self.minus, -1), (self.plus, 1)):
            widget.setAutoRepeat(True)
            widget.setAutoRepeatDelay(600)
            widget.setAutoRepeatInterval(180)
            widget.clicked.connect(lambda _=False, s=step: self.set_count(self.count + s))
        self.number = staff_label("tally_count", "0", wrap=False,
                                  align=Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.minus)
        layout.addWidget(self.number)
        layout.addWidget(self.plus)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        count = min(TALLY_MAX, max(0, count))
        changed = count != self.count
        self.count = count
        self.number.setText(str(count))
        self.number.setAccessibleName(str(count))
        self.minus.setEnabled(count > 0)
        if changed:
            self.changed.emit(count)


class TallyScreen(StaffScreen):
    """The beanbag tally: per statement, − / + counters for Eens, Oneens, Weet niet.

    Signals:
        save_requested(list): [(statement_id, answer, count), ...] with every count > 0;
            also when the screen times out with counts on it.
        cancelled(): "Terug" was tapped with nothing to save, or staff chose "Weggooien".
    """

    save_requested = Signal(list)
    cancelled = Signal()

    def __init__(self, theme: Theme, pictograms: Path,
                 statements: Sequence[Statement] = (), parent: QWidget | None = None) -> None:
        super().__init__("tally_screen", "Turven",
                         "Tel de worpen van het spel bij de stand.", theme, pictograms, parent)
        self.counters: dict[tuple[str, str], TallyCounter] = {}
        self.back_button = staff_button("Terug", "tally_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.title = staff_label("staff_title", "Turven: de worpen bij de stand")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)

        self.columns = QGridLayout()
        self.columns.addWidget(staff_label("staff_section", "Zin"), 0, 0)
        for column, answer in enumerate(ANSWERS, start=1):
            self.columns.addWidget(staff_label("staff_section", ANSWER_NAMES[answer],
                                               align=Qt.AlignmentFlag.AlignCenter), 0, column)

        self.rows = QWidget(objectName="tally_rows")
        self.rows_layout = QGridLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = touch_scroll_area("tally_scroll", self.rows, "Alle zinnen met tellers.")

        self.total = staff_label("staff_text")
        self.save_button = staff_button("Opslaan", "tally_save", "Bewaar de getelde worpen.",
                                        "accent", self.icon("check", "on_dark"))
        self.save_button.clicked.connect(self._save)
        footer = QHBoxLayout()
        footer.addWidget(self.total, 2)
        footer.addWidget(self.save_button, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.columns)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)
        self.set_statements(statements)

    def set_statements(self, statements: Sequence[Statement]) -> None:
        """One row per statement (for example ``statement_set.statements``); counts reset."""
        for counter in self.counters.values():
            counter.deleteLater()
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.counters = {}
        minus, icons = self.icon("minus"), {
            "eens": self.icon("plus", "on_dark"), "oneens": self.icon("plus", "on_dark"),
            "weet_niet": self.icon("plus"),
        }
        for row, statement in enumerate(statements):
            text = staff_label("tally_text", statement.text)
            self.rows_layout.addWidget(text, row, 0)
            for column, answer in enumerate(ANSWERS, start=1):
                counter = TallyCounter(statement, answer, minus, icons[answer])
                counter.changed.connect(self._update)
                self.counters[(statement.id, answer)] = counter
                self.rows_layout.addWidget(counter, row, column)
        for column in range(4):
            self.rows_layout.setColumnStretch(column, 3 if column == 0 else 2)
            self.columns.setColumnStretch(column, 3 if column == 0 else 2)
        self._control = 0  # new buttons: size them at the next resize
        if self.width() > 0 and self.control:
            self._control = self.control
            self.fit_controls(self._control)
        self._update()

    def counts(self) -> list[tuple[str, str, int]]:
        """(statement_id, answer, count) for every counter above 0, in screen order."""
        return [(sid, answer, c.count) for (sid, answer), c in self.counters.items() if c.count]

    def reset(self) -> None:
        """All counters back to 0 (after the lead stored them)."""
        for counter in self.counters.values():
            counter.set_count(0)

    def _update(self, _count: int = 0) -> None:
        total = sum(c.count for c in self.counters.values())
        text = "Nog geen worpen geteld." if total == 0 else (
            "1 worp geteld." if total == 1 else f"{total} worpen geteld.")
        self.total.setText(text)
        self.total.setAccessibleName(text)
        self.save_button.setEnabled(total > 0)

    def _save(self) -> None:
        counts = self.counts()
        if counts:
            self.save_requested.emit(counts)

    def _back(self) -> None:
        """Back to the menu; counts not saved yet are saved or thrown away, as staff say."""
        total = sum(count for _s, _a, count in self.counts())
        if not total:
            self.cancelled.emit()
            return
        worpen = "1 worp" if total == 1 else f"{total} worpen"
        self.ask("tally_unsaved", "Opslaan of weggooien?",
                 f"Je hebt {worpen} geteld. Die zijn nog niet opgeslagen.",
                 [("save", "Opslaan", "accent", "floppy-disk"),
                  ("discard", "Weggooien", "quiet", "trash"),
                  ("stay", "Verder tellen", "quiet", "arrow-left")],
                 self._answer)

    def _answer(self, key: str) -> None:
        if key == "save":
            self._save()
        elif key == "discard":
            self.reset()
            self.cancelled.emit()

    def timed_out(self) -> None:
        """Nobody touched the screen for a minute: what was counted is saved, not lost."""
        super().timed_out()
        self._save()

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for counter in self.counters.values():
            counter.number.setMinimumWidth(round(control * 0.8))
        self.save_button.setMinimumWidth(round(control * 2.5))
        self.rows_layout.setVerticalSpacing(round(control * 0.15))
        self.rows_layout.setHorizontalSpacing(round(control * 0.3))
        self.columns.setHorizontalSpacing(round(control * 0.3))


