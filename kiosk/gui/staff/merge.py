"""Merging other laptops' databases: choose the stick, tick the files, read what was added.

No file dialog: the ``.db`` files on the chosen drive are listed with the
kiosk that made them and their dates (read-only, on the staff executor); a
damaged file is listed as damaged and cannot be ticked. The merge itself runs
on the one writer (the recorder), through the ``merge`` function given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import rules
from kiosk.core.databases import DatabaseInfo, find_databases
from kiosk.core.store import MergeReport
from kiosk.core.summary import dutch_date
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.drives import DriveList
from kiosk.gui.staff.widgets import (
    StaffScreen,
    at_least,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.storage import Drive, DriveLister
from kiosk.gui.theme import Theme
from kiosk.gui.widgets import plain

log = logging.getLogger(__name__)

#: (table, one, many): what a merge added, in the words staff read.
ADDED_WORDS = (
    ("session", "sessie", "sessies"), ("visit", "bezoek", "bezoeken"),
    ("answer", "antwoord", "antwoorden"), ("referral", "verwijzing", "verwijzingen"),
    ("conversation", "gesprek", "gesprekken"), ("signal", "signaal", "signalen"),
)


def counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def dutch_list(words: list[str]) -> str:
    """"a", "a en b", "a, b en c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} en {words[-1]}"


def merge_summary(report: MergeReport) -> str:
    """What a merge added, in Dutch, for staff."""
    files = len(report.added)
    totals = report.totals()
    if not files and report.skipped:
        lines = ["Er is niets samengevoegd."]
        lines += [f"{path.name} kon niet mee: {reason}" for path, reason in report.skipped.items()]
        return "\n".join(lines)
    added = [counted(totals.get(table, 0), one, many) for table, one, many in ADDED_WORDS
             if totals.get(table, 0)]
    lines = [f"{counted(files, 'bestand', 'bestanden')} samengevoegd."]
    if names := list(dict.fromkeys(report.names.values())):
        lines.append(f"Van: {dutch_list(names)}.")
    updated_totals = {t: sum(counts.get(t, 0) for counts in report.updated.values())
                      for t, _one, _many in ADDED_WORDS}
    updated = [counted(updated_totals[table], one, many) for table, one, many in ADDED_WORDS
               if updated_totals[table]]
    refused = sum(n for reasons in report.refused.values() for n in reasons.values())
    conflicts = sum(len(found) for found in report.conflicts.values())
    if added:
        lines.append(f"Nieuw in deze kiosk: {dutch_list(added)}.")
    if updated:
        lines.append(f"Bijgewerkt (een nieuwere versie): {dutch_list(updated)}.")
    if not added and not updated and files:
        lines.append("Er was niets nieuws: alles stond al in deze kiosk.")
    if refused:
        lines.append(f"{counted(refused, 'regel', 'regels')} niet overgenomen: "
                     f"{'die klopte' if refused == 1 else 'die klopten'} niet. De coördinator "
                     "ziet waarom met kiosk merge.")
    if conflicts:
        lines.append(f"{counted(conflicts, 'regel stond', 'regels stonden')} op twee laptops "
                     "verschillend. De regels van deze laptop zijn gebleven.")
    repaired = sum(n for counts in report.repaired.values() for n in counts.values())
    if repaired:
        lines.append(f"{counted(repaired, 'sessie of bezoek', 'sessies en bezoeken')} "
                     "eindigde voor het begin (de klok ging terug). Dat is hersteld.")
    doubtful = sum(n for counts in report.doubtful.values() for n in counts.values())
    if doubtful:
        lines.append(f"{counted(doubtful, 'regel heeft', 'regels hebben')} een verkeerde datum "
                     "(voor 2020 of na morgen). Die tellen mee onder 'tijd onbekend'.")
    for path in report.passed:
        lines.append(f"{path.name} is het bestand van deze laptop zelf. Dat is overgeslagen.")
    for path, reason in report.skipped.items():
        lines.append(f"{path.name} kon niet mee: {reason}")
    return "\n".join(lines)


def _day(stored: str | None) -> str:
    """A stored time as a Dutch day; "tijd onbekend" for one that cannot be right."""
    if not stored:
        return ""
    if rules.is_doubtful(stored):
        return "tijd onbekend"
    return dutch_date(rules.parse_time(stored).date())


def file_words(info: DatabaseInfo, own: bool) -> tuple[str, str]:
    """(first line, second line) of a file's button."""
    if info.damaged:
        return info.path.name, f"Kan niet mee. {info.problem}"
    first = info.kiosk_name + (" (deze laptop)" if own else "")
    if info.sessions == 0:
        dates = "nog geen sessies"
    else:
        first_day, last_day = _day(info.first), _day(info.last)
        span = first_day if first_day == last_day else f"{first_day} tot {last_day}"
        dates = f"{counted(info.sessions, 'sessie', 'sessies')}, {span}"
    return first, f"{dates} · {info.path.name}"


class MergeScreen(StaffScreen):
    """Samenvoegen: which drive, which files, then the summary.

    Args:
        drives: the drive listing (see :mod:`kiosk.gui.storage`).
        merge: merges the files on the one writer; returns a future MergeReport.
        find: describes the database files in a folder (runs on ``executor``).

    Signals:
        finished(str): back to the menu, with a line for its status ("" if nothing happened).
        merged(object): the MergeReport of a merge that worked.
    """

    finished = Signal(str)
    merged = Signal(object)

    def __init__(self, theme: Theme, pictograms: Path, executor: Executor, drives: DriveLister,
                 merge: Callable[[list[Path]], Future], find: Callable[[Path], list[DatabaseInfo]]
                 = find_databases, parent: QWidget | None = None) -> None:
        super().__init__("merge_screen", "Samenvoegen",
                         "Voeg de cijfers van andere laptops toe.", theme, pictograms, parent)
        self.executor, self.merge, self.find = executor, merge, find
        self.bridge = FutureBridge(self)
        self.state = "choose"
        self.drive: Drive | None = None
        self.files: list[DatabaseInfo] = []
        self.own_kiosk_id = ""
        self._status = ""

        self.back_button = staff_button("Terug", "merge_back", "Terug.", "quiet",
                                        self.icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.title = staff_label("staff_title")
        self.subtitle = staff_label("staff_text")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)

        self.drive_list = DriveList(drives, executor, theme, pictograms, writing=False)
        self.drive_list.chosen.connect(self.open_drive)
        self.drive_list.listed.connect(self.refit)

        self.file_page = QWidget(objectName="merge_file_page")
        self.rows = QWidget(objectName="merge_rows")
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = touch_scroll_area("merge_scroll", self.rows, "De bestanden op de plek.")
        self.buttons: dict[Path, QPushButton] = {}
        self.count_line = staff_label("staff_text")
        self.merge_button = staff_button("Samenvoegen", "merge_start",
                                         "Voeg de aangevinkte bestanden toe.", "accent",
                                         self.icon("arrows-merge", "on_dark"))
        self.merge_button.clicked.connect(self.start_merge)
        footer = QHBoxLayout()
        footer.addWidget(self.count_line, 2)
        footer.addWidget(self.merge_button, 1)
        files = QVBoxLayout(self.file_page)
        files.setContentsMargins(0, 0, 0, 0)
        files.addWidget(self.scroll, 1)
        files.addLayout(footer)

        self.progress_page = QWidget(objectName="merge_progress_page")
        self.bar = QProgressBar(objectName="merge_bar")
        self.bar.setAccessibleName("Voortgang")
        self.bar.setAccessibleDescription("Bezig met samenvoegen.")
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.step = staff_label("staff_text", "Bezig met samenvoegen…",
                                align=Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self.progress_page)
        box.addStretch(1)
        box.addWidget(self.step)
        box.addWidget(self.bar)
        box.addStretch(2)

        self.result_page = QWidget(objectName="merge_result_page")
        self.result_pictogram = QLabel(objectName="merge_result_pictogram")
        self.result_pictogram.setAccessibleName("Gelukt")
        self.result_title = staff_label("staff_title")
        self.result_title.setObjectName("merge_result")
        self.result_text = staff_label("staff_text")
        self.result_text.setObjectName("merge_result_text")
        self.done_button = staff_button("Klaar", "merge_done", "Terug naar het menu.",
                                        "accent", self.icon("check-circle", "on_dark"))
        self.done_button.clicked.connect(self._finish)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        result = QVBoxLayout(self.result_page)
        result.setContentsMargins(0, 0, 0, 0)
        result.addWidget(self.result_pictogram)
        result.addWidget(self.result_title)
        result.addWidget(self.result_text)
        result.addStretch(1)
        result.addLayout(done_row)

        self.pages = QStackedLayout()
        for page in (self.drive_list, self.file_page, self.progress_page, self.result_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.pages, 1)

    @property
    def busy(self) -> bool:
        return self.state in ("merging", "reading")

    # -- flow ------------------------------------------------------------------------

    def open(self) -> None:
        """Start over: where are the files?"""
        self.state = "choose"
        self._status = ""
        set_text(self.title, "Waar staan de bestanden?")
        set_text(self.subtitle, "Kies de USB-stick met de bestanden (.db) van de andere laptops.")
        self.subtitle.setVisible(True)
        self.back_button.setVisible(True)
        self.pages.setCurrentWidget(self.drive_list)
        self.drive_list.start()

    def open_drive(self, drive: Drive) -> None:
        """List the database files on ``drive`` (read on the executor)."""
        self.drive_list.stop()
        self.drive, self.state = drive, "reading"
        set_text(self.title, "Even kijken…")
        self.bridge.watch(self.executor.submit(self.find, drive.path), self._show_files,
                          self._read_failed)

    def _read_failed(self, error: BaseException) -> None:
        log.warning("listing databases failed: %r", error)
        self._show_files([])

    def _show_files(self, files: list[DatabaseInfo]) -> None:
        self.state = "files"
        self.files = list(files)
        for widget in self.buttons.values():
            self.rows_layout.removeWidget(widget)
            widget.deleteLater()
        self.buttons = {}
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        where = (f"de USB-stick {self.drive.label}" if self.drive and self.drive.removable
                 else "deze laptop")
        set_text(self.title, "Welke bestanden wil je samenvoegen?")
        set_text(self.subtitle, f"Bestanden op {where}. Tik om aan of uit te vinken.")
        for index, info in enumerate(files):
            own = bool(self.own_kiosk_id) and info.kiosk_id == self.own_kiosk_id
            first, second = file_words(info, own)
            widget = staff_button(first, f"merge_file_{index}", f"{first}: {second}.", "drive",
                                  checkable=not info.damaged)
            widget.setText(plain(f"{first}\n{second}"))
            widget.setAccessibleName(f"{first}, {second}")
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            widget.setEnabled(not info.damaged)
            widget.setChecked(not info.damaged and not own)
            widget.toggled.connect(self._update)
            self.buttons[info.path] = widget
            self.rows_layout.addWidget(widget)
        if not files:
            empty = staff_label("staff_message",
                                f"Geen kiosk-bestanden gevonden op {where}. Zet de bestanden "
                                "(.db) van de andere laptops erop, of kies een andere plek.")
            empty.setObjectName("merge_empty")
            self.rows_layout.addWidget(empty)
        self.rows_layout.addStretch(1)
        self.back_button.setVisible(True)
        self.pages.setCurrentWidget(self.file_page)
        self.refit()
        self._update()

    def chosen(self) -> list[Path]:
        """The ticked files, in screen order."""
        return [path for path, widget in self.buttons.items() if widget.isChecked()]

    def _update(self, _checked: bool = False) -> None:
        for info in self.files:
            widget = self.buttons.get(info.path)
            if widget is None:
                continue
            name = ("warning-circle" if info.damaged else
                    "check-square" if widget.isChecked() else "square")
            widget.setIcon(self.icon(name))
        count = len(self.chosen())
        text = ("Vink de bestanden aan die je wilt samenvoegen." if count == 0 else
                f"{counted(count, 'bestand', 'bestanden')} aangevinkt.")
        set_text(self.count_line, text)
        self.merge_button.setEnabled(count > 0)

    def start_merge(self) -> None:
        files = self.chosen()
        if not files or self.busy:
            return
        self.state = "merging"
        set_text(self.title, "Samenvoegen")
        self.back_button.setVisible(False)
        self.pages.setCurrentWidget(self.progress_page)
        self.bridge.watch(self.merge(files), self._merged, self._merge_failed)

    def _merged(self, report: MergeReport) -> None:
        self.state = "done"
        summary = merge_summary(report)
        if report.skipped:  # something was left out: no "Klaar" with a tick
            self._status = "Niet alles is samengevoegd."
            self._result("Niet alles is samengevoegd.", summary, failed=True)
        else:
            self._status = "Klaar: " + summary.splitlines()[0]
            self._result("Klaar.", summary, failed=False)
        self.merged.emit(report)

    def _merge_failed(self, error: BaseException) -> None:
        log.warning("merge failed: %s", error)
        self.state = "failed"
        self._status = "Samenvoegen is niet gelukt."
        self._result("Dat lukte niet.",
                     "Een bestand kon niet worden samengevoegd. Probeer het nog een keer, of "
                     "laat dat bestand weg. Wat al is samengevoegd, komt er niet dubbel in.",
                     failed=True)

    def _result(self, title: str, text: str, failed: bool) -> None:
        set_text(self.title, "Samenvoegen")
        set_text(self.subtitle, "")
        self.subtitle.setVisible(False)
        pictogram, color = ("warning-circle", "alert") if failed else ("check-circle", "ink")
        side = round(self.control * 1.2)
        self.result_pictogram.setPixmap(self.icon(pictogram, color).pixmap(side, side))
        self.result_pictogram.setAccessibleName("Niet gelukt" if failed else "Gelukt")
        set_text(self.result_title, title)
        set_text(self.result_text, text)
        self.back_button.setVisible(False)
        self.pages.setCurrentWidget(self.result_page)
        self.refit()

    def _back(self) -> None:
        if self.busy:
            return
        if self.state == "files":
            self.open()  # back to the choice of drive
            return
        self._finish()

    def _finish(self) -> None:
        self.drive_list.stop()
        status, self._status = self._status, ""
        self.state = "choose"
        self.finished.emit(status)

    def timed_out(self) -> None:
        super().timed_out()
        self.drive_list.stop()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.drive_list.stop()
        super().hideEvent(event)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        side = round(control * 0.55)
        for widget in (*self.drive_list.buttons.values(), *self.buttons.values()):
            widget.setMinimumHeight(round(control * 1.3))
            widget.setIconSize(QSize(side, side))
        self.rows_layout.setSpacing(round(control * 0.15))
        self.bar.setMinimumHeight(round(control * 0.5))
        at_least(self.merge_button, round(control * 3))
        at_least(self.done_button, round(control * 3))
