"""Saving an export or a report: "Waar wil je het bewaren?", progress, "Klaar".

No file dialog: staff tap a USB stick (by its label and free space) or this
laptop's ``exports`` folder. The files are made and written off the GUI thread
(the staff executor), flushed, synced and read back, on the very stick that was
listed (:func:`kiosk.gui.storage.write_into`); only then the screen says "Klaar. Je
kunt de USB-stick nu uitnemen." A stick pulled out in between gets "De USB-stick
is er niet meer." and nothing lands on the laptop in its place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.drives import DriveList
from kiosk.gui.staff.widgets import StaffScreen, at_least, set_text, staff_button, staff_label
from kiosk.gui.storage import Drive, DriveLister, discard, finish, problem_text, stage, write_into
from kiosk.gui.theme import Theme

log = logging.getLogger(__name__)

EJECT = "Klaar. Je kunt de USB-stick nu uitnemen."
ON_LAPTOP = "Klaar. De bestanden staan op deze laptop."


@dataclass(frozen=True)
class SaveJob:
    """What to save.

    Attributes:
        title: the screen's subject ("Exporteren", "Rapport maken").
        what: one line about the files ("De cijfers, als CSV en Excel.").
        produce: writes the files into the folder it is given.
        on_gui_thread: ``produce`` paints with Qt and must run on the GUI thread
            (the flushing and syncing still run on the executor).
    """

    title: str
    what: str
    produce: Callable[[Path], object]
    on_gui_thread: bool = False


class ProgressRelay(QObject):
    """Carries progress from the worker thread to the screen (a queued signal)."""

    step = Signal(int, int, str)


class SaveScreen(StaffScreen):
    """Choose where, see it being written, read "Klaar".

    Signals:
        finished(str): staff tapped "Klaar" or "Terug"; a line for the menu's status
            ("" when nothing was saved).
        saved(list): the files were written and synced (their paths).
    """

    finished = Signal(str)
    saved = Signal(list)

    def __init__(self, theme: Theme, pictograms: Path, executor: Executor,
                 drives: DriveLister, parent: QWidget | None = None) -> None:
        super().__init__("save_screen", "Waar wil je het bewaren?",
                         "Kies een USB-stick of deze laptop.", theme, pictograms, parent)
        self.executor = executor
        self.bridge = FutureBridge(self)
        self.job: SaveJob | None = None
        self.state = "choose"
        self.drive: Drive | None = None
        self.files: list[Path] = []
        self._status = ""
        self.relay = ProgressRelay(self)
        self.relay.step.connect(self._progress)

        self.back_button = staff_button("Terug", "save_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.title = staff_label("staff_title", "Waar wil je het bewaren?")
        self.subtitle = staff_label("staff_text")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)

        # choose
        self.drive_list = DriveList(drives, executor, theme, pictograms, writing=True)
        self.drive_list.chosen.connect(self.save_to)
        self.drive_list.listed.connect(self.refit)
        # writing
        self.progress_page = QWidget(objectName="save_progress_page")
        self.step = staff_label("staff_text", align=Qt.AlignmentFlag.AlignCenter)
        self.step.setObjectName("save_step")
        self.bar = QProgressBar(objectName="save_bar")
        self.bar.setAccessibleName("Voortgang")
        self.bar.setAccessibleDescription("Hoe ver het bewaren is.")
        self.bar.setTextVisible(False)
        self.keep_in = staff_label("staff_message", "Haal de USB-stick er nog niet uit.",
                                   align=Qt.AlignmentFlag.AlignCenter)
        self.keep_in.setObjectName("save_keep_in")
        box = QVBoxLayout(self.progress_page)
        box.addStretch(1)
        box.addWidget(self.step)
        box.addWidget(self.bar)
        box.addWidget(self.keep_in)
        box.addStretch(2)
        # done or failed
        self.result_page = QWidget(objectName="save_result_page")
        self.result_pictogram = QLabel(objectName="save_result_pictogram")
        self.result_pictogram.setAccessibleName("Gelukt")
        self.result_title = staff_label("staff_title")
        self.result_title.setObjectName("save_result")
        self.result_text = staff_label("staff_text")
        self.result_text.setObjectName("save_result_text")
        self.retry_button = staff_button("Opnieuw proberen", "save_retry",
                                         "Kies opnieuw waar je het bewaart.", "quiet",
                                         self.icon("arrows-clockwise"))
        self.retry_button.clicked.connect(self._retry)
        self.done_button = staff_button("Klaar", "save_done", "Terug naar het menu.",
                                        "accent", self.icon("check-circle", "on_dark"))
        self.done_button.clicked.connect(self._back)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        result = QVBoxLayout(self.result_page)
        result.setContentsMargins(0, 0, 0, 0)
        result.addWidget(self.result_pictogram)
        result.addWidget(self.result_title)
        result.addWidget(self.result_text)
        result.addStretch(1)
        result.addLayout(buttons)

        self.pages = QStackedLayout()
        for page in (self.drive_list, self.progress_page, self.result_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.pages, 1)

    @property
    def busy(self) -> bool:
        return self.state == "writing"

    # -- flow ------------------------------------------------------------------------

    def open(self, job: SaveJob) -> None:
        """Start over for ``job``: list the drives."""
        self.job = job
        set_text(self.subtitle, f"{job.title}. {job.what}")
        self._choose()

    def _choose(self) -> None:
        self.state = "choose"
        set_text(self.title, "Waar wil je het bewaren?")
        self.back_button.setVisible(True)
        self.pages.setCurrentWidget(self.drive_list)
        self.drive_list.start()

    def save_to(self, drive: Drive) -> None:
        """Write the job's files to ``drive`` (a stick's root, or the exports folder)."""
        if self.job is None or self.busy:
            return
        self.drive_list.stop()
        self.state, self.drive, self.files = "writing", drive, []
        set_text(self.title, "Bezig met bewaren…")
        self.back_button.setVisible(False)
        self.keep_in.setVisible(drive.removable)
        self.pages.setCurrentWidget(self.progress_page)
        self._progress(0, 0, "Bestanden maken…")
        job = self.job
        if job.on_gui_thread:
            QTimer.singleShot(0, lambda: self._produce_here(job, drive))  # paint the progress first
        else:
            self.bridge.watch(
                self.executor.submit(write_into, drive.path, job.produce, self.relay.step.emit,
                                     not drive.removable, drive.device),
                self._written, self._failed)

    def _produce_here(self, job: SaveJob, drive: Drive) -> None:
        try:
            staging = stage(drive.path, create=not drive.removable, device=drive.device)
        except Exception as error:  # a stick pulled out, a read-only folder
            self._failed(error)
            return
        try:
            job.produce(staging)
        except Exception as error:
            discard(staging)
            self._failed(error)
            return
        self.bridge.watch(self.executor.submit(finish, drive.path, staging, self.relay.step.emit,
                                               drive.device),
                          self._written, self._failed)

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.state != "writing":
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        set_text(self.step, text)

    def _written(self, files: list[Path]) -> None:
        drive = self.drive
        self.files = list(files)
        self.state = "done"
        names = ", ".join(path.name for path in files)
        listed = "\n".join(f"•  {path.name}" for path in files)
        if drive is not None and drive.removable:
            title = EJECT
            text = f"Op de USB-stick {drive.label} staan nu:\n{listed}"
            self._status = f"Klaar: {names} staat op de USB-stick {drive.label}."
        else:
            title = ON_LAPTOP
            folder = drive.path if drive else Path()
            text = f"In de map {folder} staan nu:\n{listed}"
            self._status = f"Klaar: {names} staat in {folder}."
        self._result(title, text, retry=False)
        self.saved.emit(self.files)

    def _failed(self, error: BaseException) -> None:
        log.warning("saving to a drive failed: %r", error)
        self.state = "failed"
        removable = self.drive.removable if self.drive else True
        self._status = "Bewaren is niet gelukt."
        self._result("Dat lukte niet.", problem_text(error, removable), retry=True)

    def _result(self, title: str, text: str, retry: bool) -> None:
        set_text(self.title, self.job.title if self.job else "Bewaren")
        pictogram, color = ("warning-circle", "alert") if retry else ("check-circle", "ink")
        side = round(self.control * 1.2)
        self.result_pictogram.setPixmap(self.icon(pictogram, color).pixmap(side, side))
        self.result_pictogram.setAccessibleName("Niet gelukt" if retry else "Gelukt")
        set_text(self.result_title, title)
        set_text(self.result_text, text)
        self.retry_button.setVisible(retry)
        self.back_button.setVisible(False)
        self.pages.setCurrentWidget(self.result_page)
        self.refit()

    def _retry(self) -> None:
        self._choose()

    def _back(self) -> None:
        if self.busy:
            return
        self.drive_list.stop()
        status = self._status if self.state in ("done", "failed") else ""
        self._status = ""
        self.state = "choose"
        self.finished.emit(status)

    def timed_out(self) -> None:
        super().timed_out()
        self.drive_list.stop()
        if not self.busy:
            self.state = "choose"

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.drive_list.stop()
        super().hideEvent(event)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for widget in self.drive_list.buttons.values():
            widget.setMinimumHeight(round(control * 1.3))
            side = round(control * 0.55)
            widget.setIconSize(QSize(side, side))
        self.bar.setMinimumHeight(round(control * 0.5))
        at_least(self.done_button, round(control * 3))
