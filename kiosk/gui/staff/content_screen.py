"""Inhoud: the library's own content to and from a USB stick, and back to the one before.

"Inhoud naar USB-stick" writes the content the kiosk uses as one workbook
(``inhoud-<datum>.xlsx``) through the save screen (staging, read-back, "Klaar. Je
kunt de USB-stick nu uitnemen."). "Inhoud van USB-stick" lists the workbooks on
the chosen stick, checks the one tapped by the content rules and shows either its
problems (sheet, cell, what is wrong, how to fix it) or a preview (each statement
and each course's end screen as passer-by will see them, with "Luister");
"Gebruiken" installs it (:func:`kiosk.core.content.install.install`, which checks
it once more before it swaps). "Vorige inhoud terugzetten" swaps back. The library's
own recordings go along in a folder beside the workbook (:mod:`kiosk.speech.travel`).
After an install or a restore the shell's ``content_changed`` tells the app to
reload: the next session uses the new content. Reading, checking and installing run on the
staff executor; the GUI thread only shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.files import ContentError, Problem
from kiosk.core.content.finding import FoundWorkbook, find_workbooks
from kiosk.core.content.install import PREVIOUS, InstallError
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.card_button import CardButton
from kiosk.gui.staff.content_preview import ContentPreview, Speak, clear_rows, speak_with
from kiosk.gui.staff.content_work import (
    NEXT_SESSION,
    NO_PREVIOUS,
    READY,
    RESTORED,
    UNREADABLE,
    check_workbook,
    content_dirs_of,
    export_name,
    export_parts,
    export_words,
    install_files,
    problem_words,
    recordings_along,
    recordings_words,
    restore_previous,
    workbook_words,
    write_export,
)
from kiosk.gui.staff.drives import DriveList
from kiosk.gui.staff.save import SaveJob, SaveScreen
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

if TYPE_CHECKING:
    from kiosk.core.model import Content

log = logging.getLogger(__name__)


class ContentScreen(StaffScreen):
    """Inhoud: choose, then the stick, the workbook, its problems or its preview.

    Args:
        drives: the drive listing of the save and merge screens.
        data_dir: the data folder (its ``content/`` is the library's own content).
        content_dirs: the folders the kiosk loads its content from, in order.
        kiosk_size: the kiosk's screen size now (the preview lays the screens out at it).
        speak: reads (key, text) items aloud now; None when the kiosk has no sound.
        voice: the running kiosk's recordings (its speaker's store), read again after an
            install or a restore; None: none in use.

    Signals:
        finished(str): back to the menu, with a line for its status ("" for none).
        changed(): new content was installed, or the previous one put back.
        save_requested(): show :attr:`save_screen` (the workbook is ready to be saved).
        shown(str): a page is shown (its state); tests wait on it.
    """

    finished = Signal(str)
    changed = Signal()
    save_requested = Signal()
    shown = Signal(str)

    def __init__(self, theme: Theme, pictograms: Path, executor: Executor, drives: DriveLister,
                 data_dir: Path, content_dirs: Callable[[], list[Path]],
                 kiosk_size: Callable[[], QSize], speak: Callable[[], Speak | None],
                 voice: Callable[[], Any] = lambda: None, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__("content_screen", "Inhoud",
                         "De stellingen en cursussen van of naar een USB-stick.", theme,
                         pictograms, parent)
        self.executor, self.data_dir = executor, data_dir
        self.content_dirs, self.today, self.speak, self.voice = content_dirs, today, speak, voice
        self.bridge = FutureBridge(self)
        self.state = "choices"
        self.drive: Drive | None = None
        self.workbooks: list[FoundWorkbook] = []
        self.problems: list[Problem] = []
        #: (where, what, fix) labels of each problem shown
        self.problem_labels: list[tuple[QLabel, QLabel, QLabel]] = []
        #: the workbook checked: (content, files, recordings beside it, its path)
        self.checked: tuple[Content, dict[str, Any], int, Path] | None = None
        self._problems_back = "files"
        self._status = ""
        #: The save screen for "Inhoud naar USB-stick" (a page of the shell).
        self.save_screen = SaveScreen(theme, pictograms, executor, drives)

        self.back_button = staff_button("Terug", "content_back", "Een stap terug.", "quiet",
                                        self.icon("arrow-left"))
        self.back_button.clicked.connect(self.back)
        self.title = staff_label("staff_title", "Inhoud")
        self.subtitle = staff_label("staff_text")
        header = QHBoxLayout()
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)

        # the three choices
        self.choices_page = QWidget(objectName="content_choices")
        self.export_button = self._big("content_export", "Inhoud naar USB-stick",
                                       "Bewaar de stellingen en cursussen als werkmap (.xlsx). "
                                       "Die kun je bewerken in Excel of LibreOffice Calc.", "usb")
        self.export_button.clicked.connect(self.start_export)
        self.import_button = self._big("content_import", "Inhoud van USB-stick",
                                       "Kies een werkmap. De kiosk controleert hem "
                                       "en laat zien hoe het eruitziet.", "books")
        self.import_button.clicked.connect(self.choose_drive)
        self.restore_button = self._big("content_restore", "Vorige inhoud terugzetten",
                                        "Terug naar de inhoud van voor de laatste keer.",
                                        "clock-counter-clockwise")
        self.restore_button.clicked.connect(self.ask_restore)
        choices = QVBoxLayout(self.choices_page)
        choices.setContentsMargins(0, 0, 0, 0)
        for widget in (self.export_button, self.import_button, self.restore_button):
            choices.addWidget(widget)
        choices.addStretch(1)

        self.drive_list = DriveList(drives, executor, theme, pictograms, writing=False)
        self.drive_list.chosen.connect(self.open_drive)
        self.drive_list.listed.connect(self.refit)

        # the workbooks on the stick
        self.files_page, self.file_rows, self.files_scroll = self._list_page(
            "content_files", "De werkmappen op de USB-stick.")
        self.file_buttons: list[CardButton] = []

        # reading, checking, installing
        self.busy_page = QWidget(objectName="content_busy_page")
        self.busy_text = staff_label("staff_text", align=Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar(objectName="content_bar")
        self.bar.setAccessibleName("Bezig")
        self.bar.setAccessibleDescription("De kiosk is bezig.")
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        busy = QVBoxLayout(self.busy_page)
        busy.addStretch(1)
        busy.addWidget(self.busy_text)
        busy.addWidget(self.bar)
        busy.addStretch(2)

        # what is wrong
        self.problems_page, self.problem_rows, self.problems_scroll = self._list_page(
            "content_problems", "Wat er mis is, per cel, en hoe je het oplost.")

        # the preview and "Gebruiken"
        self.preview_page = QWidget(objectName="content_preview_page")
        self.preview = ContentPreview(theme, pictograms, kiosk_size, speak)
        self.summary = staff_label("staff_text")
        self.use_button = staff_button("Gebruiken", "content_use",
                                       "Gebruik deze inhoud vanaf de volgende sessie.", "accent",
                                       self.icon("check-circle", "on_dark"))
        self.use_button.clicked.connect(self.install)
        use_row = QHBoxLayout()
        use_row.addWidget(self.summary, 2)
        use_row.addWidget(self.use_button, 1)
        preview = QVBoxLayout(self.preview_page)
        preview.setContentsMargins(0, 0, 0, 0)
        preview.addWidget(self.preview, 1)
        preview.addLayout(use_row)

        # done, or not
        self.result_page = QWidget(objectName="content_result_page")
        self.result_pictogram = QLabel(objectName="content_result_pictogram")
        self.result_title = staff_label("staff_title")
        self.result_text = staff_label("staff_text")
        self.done_button = staff_button("Klaar", "content_done", "Terug naar het menu.",
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
        for page in (self.choices_page, self.drive_list, self.files_page, self.busy_page,
                     self.problems_page, self.preview_page, self.result_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.pages, 1)

    def _big(self, name: str, word: str, line: str, pictogram: str) -> CardButton:
        return CardButton(name, word, line, self.icon(pictogram), self.theme.colors["muted"])

    def _list_page(self, name: str, description: str):
        page = QWidget(objectName=f"{name}_page")
        rows = QWidget(objectName=f"{name}_rows")
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        scroll = touch_scroll_area(f"{name}_scroll", rows, description)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll, 1)
        return page, rows_layout, scroll

    @property
    def busy(self) -> bool:
        return self.state in ("installing", "restoring")

    def _page(self, state: str, page: QWidget, title: str, subtitle: str = "",
              back: bool = True) -> None:
        self.state = state
        set_text(self.title, title)
        set_text(self.subtitle, subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.back_button.setVisible(back)
        self.pages.setCurrentWidget(page)
        self.refit()
        self.shown.emit(state)

    def _wait(self, state: str, title: str, text: str) -> None:
        set_text(self.busy_text, text)
        self._page(state, self.busy_page, title, back=False)

    # -- the choices ---------------------------------------------------------------

    def open(self) -> None:
        """Start at the three choices; whether there is a previous content is looked up."""
        self._status = ""
        self.drive_list.stop()
        self.preview.close_stage()
        self.checked = None
        self._set_restore(None)
        self._page("choices", self.choices_page, "Inhoud",
                   "De stellingen en cursussen van deze kiosk, van of naar een USB-stick.")
        previous = self.data_dir / PREVIOUS
        self.bridge.watch(self.executor.submit(previous.is_dir), self._set_restore,
                          lambda _error: self._set_restore(False))

    def _set_restore(self, there: bool | None) -> None:
        line = (NO_PREVIOUS if there is False else
                "Even kijken…" if there is None else
                "Terug naar de inhoud van voor de laatste keer.")
        self.restore_button.set_words("Vorige inhoud terugzetten", line)
        self.restore_button.setEnabled(bool(there))

    def back(self) -> None:
        if self.busy:
            return
        self._hush()
        if self.state == "choices":
            self._finish()
        elif self.state in ("files", "reading"):
            self.choose_drive()
        elif self.state == "problems" and self._problems_back == "files":
            self._show_files(self.workbooks)
        elif self.state in ("preview", "checking"):
            self._show_files(self.workbooks)
        else:
            self.open()

    def _finish(self) -> None:
        self._hush()
        self.drive_list.stop()
        self.preview.close_stage()
        status, self._status = self._status, ""
        self.state = "choices"
        self.finished.emit(status)

    # -- to a stick ----------------------------------------------------------------

    def start_export(self) -> None:
        """Read the content the kiosk uses (off the GUI thread); then the save screen."""
        self._wait("exporting", "Inhoud naar USB-stick", "Even kijken…")
        dirs, data_dir = self.content_dirs, self.data_dir
        self.bridge.watch(self.executor.submit(lambda: export_parts(dirs(), data_dir)),
                          self._export_ready, self._export_failed)

    def _export_ready(self, found: tuple[dict[str, Any], int]) -> None:
        """The workbook, and the recordings in a folder beside it, through the save screen."""
        if self.state != "exporting":
            return
        (parsed, recordings), name, data_dir = found, export_name(self.today()), self.data_dir
        self.save_screen.open(SaveJob(
            "Inhoud naar USB-stick", export_words(name, recordings),
            lambda folder: write_export(parsed, folder, name, data_dir)))
        self.state = "choices"
        self.save_requested.emit()

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, ContentError):
            self._problems_back = "choices"
            self._show_problems(error.problems, "De inhoud op deze laptop heeft fouten",
                                "Daarom maakt de kiosk er geen werkmap van. De coördinator "
                                "verbetert de fouten.")
        else:
            log.warning("reading the content for a workbook failed: %r", error)
            self._result(False, "Dat lukte niet.",
                         "De kiosk kon de inhoud niet lezen. Probeer het nog een keer, of "
                         "vraag hulp.")

    # -- from a stick --------------------------------------------------------------

    def choose_drive(self) -> None:
        self.preview.close_stage()
        self._page("drives", self.drive_list, "Waar staat de werkmap?",
                   "Kies de USB-stick met de werkmap (.xlsx).")
        self.drive_list.start()

    def open_drive(self, drive: Drive) -> None:
        """List the workbooks on ``drive`` (read on the executor)."""
        self.drive_list.stop()
        self.drive = drive
        self._wait("reading", "Even kijken…", "De kiosk zoekt werkmappen.")
        self.bridge.watch(self.executor.submit(find_workbooks, drive.path), self._show_files,
                          self._list_failed)

    def _list_failed(self, error: BaseException) -> None:
        log.warning("listing workbooks failed: %r", error)
        self._show_files([])

    def _where(self) -> str:
        drive = self.drive
        return (f"de USB-stick {drive.label}" if drive is not None and drive.removable
                else "deze laptop")

    def _show_files(self, workbooks: list[FoundWorkbook]) -> None:
        self.workbooks = list(workbooks)
        clear_rows(self.file_rows)
        self.file_buttons = []
        for index, book in enumerate(self.workbooks):
            first, second = workbook_words(book)
            widget = CardButton(f"content_file_{index}", first, second, self.icon("file-text"))
            widget.clicked.connect(lambda _=False, b=book: self.check(b))
            self.file_buttons.append(widget)
            self.file_rows.addWidget(widget)
        if not self.workbooks:
            empty = staff_label("staff_message",
                                f"Geen werkmap gevonden op {self._where()}. Zet er een werkmap "
                                "(.xlsx) op, bijvoorbeeld een die je met 'Inhoud naar "
                                "USB-stick' maakte. Of kies een andere plek.")
            self.file_rows.addWidget(empty)
        self.file_rows.addStretch(1)
        self._page("files", self.files_page, "Welke werkmap wil je gebruiken?",
                   f"Werkmappen op {self._where()}. Tik op een werkmap: de kiosk controleert "
                   "hem eerst.")
        self.files_scroll.to_top()

    def check(self, book: FoundWorkbook) -> None:
        """Check ``book`` by the content rules (on the executor): problems, or the preview."""
        self._wait("checking", "Even kijken…", f"De kiosk controleert {book.name}.")
        self.bridge.watch(self.executor.submit(check_workbook, book.path),
                          lambda found: self._show_preview(book, found),
                          lambda error: self._check_failed(book, error))

    def _check_failed(self, book: FoundWorkbook, error: BaseException) -> None:
        if self.state != "checking":
            return
        self._problems_back = "files"
        if isinstance(error, ContentError) and all(p.file == str(book.path)
                                                   for p in error.problems):
            self._show_problems(error.problems, f"{book.name} gaat niet open",
                                "De kiosk gebruikt hem niet.")
        elif isinstance(error, ContentError):
            self._show_problems(error.problems, f"{book.name} heeft fouten",
                                "De kiosk gebruikt hem niet. Verbeter de fouten in Excel of "
                                "LibreOffice Calc, en probeer het opnieuw.")
        else:
            log.warning("checking %s failed: %r", book.path, error)
            self._show_problems([Problem(str(book.path), None, None, *UNREADABLE)],
                                f"{book.name} gaat niet open", "De kiosk gebruikt hem niet.")

    def _show_problems(self, problems: list[Problem], title: str, subtitle: str) -> None:
        self.problems = list(problems)
        clear_rows(self.problem_rows)
        self.problem_labels = []
        count = len(self.problems)
        heading = staff_label("staff_message", f"{count} {'fout' if count == 1 else 'fouten'}:")
        self.problem_rows.addWidget(heading)
        for index, problem in enumerate(self.problems):
            self.problem_rows.addWidget(self._problem_card(index, problem))
        self.problem_rows.addStretch(1)
        self._page("problems", self.problems_page, title, subtitle)
        self.problems_scroll.to_top()

    def _problem_card(self, index: int, problem: Problem) -> QWidget:
        where, what, fix = problem_words(problem)
        card = QWidget(objectName="staff_card")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setAccessibleName(f"{where}. {what} Oplossing: {fix}")
        card.setAccessibleDescription("Een fout in de werkmap.")
        box = QVBoxLayout(card)
        margin = round(self.control * 0.2)
        box.setContentsMargins(margin, margin, margin, margin)
        place = staff_label("staff_section", where)
        wrong = staff_label("staff_text", f"Wat is er mis: {what}")
        solve = staff_label("staff_text", f"Zo los je het op: {fix}")
        for widget in (place, wrong, solve):
            box.addWidget(widget)
        self.problem_labels.append((place, wrong, solve))
        return card

    def _show_preview(self, book: FoundWorkbook, found) -> None:
        if self.state != "checking":
            return
        content, _parsed, recordings = found
        self.checked = (*found, book.path)
        sets = sum(len(s.statements) for s in content.sets.values())
        set_text(self.summary, f"{book.name} is in orde: {sets} "
                 f"{'stelling' if sets == 1 else 'stellingen'}, {len(content.courses)} "
                 f"{'cursus' if len(content.courses) == 1 else 'cursussen'}."
                 + (f" {recordings_along(recordings)}" if recordings else ""))
        self._page("preview", self.preview_page, "Zo ziet de kiosk eruit",
                   "Blader met Volgende. Tik op Gebruiken als het goed is.")
        self.preview.set_content(content)
        self.use_button.setEnabled(True)

    def install(self) -> None:
        """Install the checked workbook (on the executor); "klaar" once it is in place."""
        if self.checked is None or self.busy:
            return
        self._hush()
        _content, parsed, _recordings, workbook = self.checked
        self._wait("installing", "Gebruiken", "De kiosk zet de nieuwe inhoud klaar…")
        data_dir, dirs, live = self.data_dir, self.content_dirs, self.voice()
        self.bridge.watch(self.executor.submit(lambda: (
            install_files(parsed, data_dir, workbook, live), dirs())),
            self._installed, self._install_failed)

    def _installed(self, done: tuple[Any, list[Path]]) -> None:
        installed, dirs = done
        folder, voice = installed.folder, recordings_words(installed.voice)
        self.checked = None
        self.preview.close_stage()
        if dirs and Path(dirs[-1]).resolve() != Path(folder).resolve():  # kiosk run --content
            self._status = f"De nieuwe inhoud staat klaar, maar de map {dirs[-1]} gaat voor."
            self._result(True, "De nieuwe inhoud staat op deze laptop.",
                         f"Maar deze kiosk is gestart met de inhoudsmap {dirs[-1]}, en die gaat "
                         "voor. Start de kiosk zonder die map om de nieuwe inhoud te gebruiken.",
                         voice)
        else:
            self._status = f"{READY} {NEXT_SESSION}" + (f" {voice}" if voice else "")
            self._result(True, READY, "De volgende sessie gebruikt de nieuwe stellingen en "
                         "cursussen. Wil je toch de oude? Kies dan 'Vorige inhoud terugzetten'.",
                         voice)
        self.changed.emit()

    def _install_failed(self, error: BaseException) -> None:
        self.state = "preview"
        if isinstance(error, ContentError):
            self._problems_back = "files"
            self._show_problems(error.problems, "Deze inhoud past niet",
                                "Er is niets veranderd. De kiosk gebruikt de inhoud van nu.")
            return
        log.warning("installing content failed: %r", error)
        self._result(False, "Dat lukte niet.", "De nieuwe inhoud kon niet op deze laptop worden "
                     "gezet. Er is niets veranderd. Probeer het nog een keer, of vraag hulp.")

    # -- back to the previous content -----------------------------------------------

    def ask_restore(self) -> None:
        self.ask("content_confirm_restore", "Vorige inhoud terugzetten?",
                 "De kiosk gebruikt dan weer de inhoud van voor de laatste keer. Dat kun je "
                 "daarna ook weer terugdraaien.",
                 [("yes", "Ja, terugzetten", "accent", "clock-counter-clockwise"),
                  ("no", "Nee, terug", "quiet", "arrow-left")],
                 lambda key: self.restore() if key == "yes" else None)

    def restore(self) -> None:
        if self.busy:
            return
        self._wait("restoring", "Vorige inhoud terugzetten", "Even geduld…")
        self.bridge.watch(self.executor.submit(restore_previous, self.data_dir, self.voice()),
                          self._restored, self._restore_failed)

    def _restored(self, voice: str) -> None:
        self._status = f"{RESTORED} {NEXT_SESSION}"
        self._result(True, RESTORED, "De volgende sessie gebruikt weer de inhoud van voor de "
                     "laatste keer.", voice)
        self.changed.emit()

    def _restore_failed(self, error: BaseException) -> None:
        self.state = "choices"
        if isinstance(error, InstallError):
            self._result(False, "Er is geen vorige inhoud.", NO_PREVIOUS)
            return
        log.warning("restoring content failed: %r", error)
        self._result(False, "Dat lukte niet.", "De vorige inhoud kon niet worden teruggezet. "
                     "Probeer het nog een keer, of vraag hulp.")

    # -- the end -------------------------------------------------------------------

    def _result(self, worked: bool, title: str, text: str, more: str = "") -> None:
        text = f"{text}\n\n{more}" if more else text
        if not worked:
            self._status = title
        pictogram, color = ("check-circle", "ink") if worked else ("warning-circle", "alert")
        side = round(self.control * 1.2)
        self.result_pictogram.setPixmap(self.icon(pictogram, color).pixmap(side, side))
        self.result_pictogram.setAccessibleName("Gelukt" if worked else "Niet gelukt")
        set_text(self.result_title, title)
        set_text(self.result_text, text)
        self._page("done" if worked else "failed", self.result_page, "Inhoud", back=False)

    def _hush(self) -> None:
        speak = self.speak()
        if speak is not None and self.state == "preview":
            speak([])  # an empty list stops what plays

    def timed_out(self) -> None:
        super().timed_out()
        self.drive_list.stop()
        if not self.busy:
            self._hush()
            self.preview.close_stage()
            self.state = "choices"

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.drive_list.stop()
        super().hideEvent(event)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        side = round(control * 0.55)
        for widget in self.drive_list.buttons.values():
            widget.setMinimumHeight(round(control * 1.3))
            widget.setIconSize(QSize(side, side))
        for card in (self.export_button, self.import_button, self.restore_button,
                     *self.file_buttons):
            card.setMinimumHeight(round(control * 1.3))
            card.set_icon_side(side)
        for rows in (self.file_rows, self.problem_rows):
            rows.setSpacing(round(control * 0.15))
        self.bar.setMinimumHeight(round(control * 0.5))
        at_least(self.use_button, round(control * 3))
        at_least(self.done_button, round(control * 3))


def open_for(shell) -> None:
    """Show "Inhoud" on ``shell`` (built the first time, as a page of the shell)."""
    screen: ContentScreen | None = getattr(shell, "content_screen", None)
    if screen is None:
        screen = ContentScreen(shell.theme, shell.pictograms, shell.staff_pool,
                               shell.merge_screen.drive_list.lister,
                               shell.settings_path.parent, lambda: content_dirs_of(shell),
                               shell.size, lambda: speak_with(shell), lambda: getattr(
                                   getattr(shell, "speaker", None), "voice", None))
        shell.content_screen = screen
        for page, name in ((screen, "content"), (screen.save_screen, "content_save")):
            shell._names[page] = name
            shell.stack.addWidget(page)
        screen.finished.connect(shell._back_from_work)
        screen.changed.connect(shell.content_changed)
        screen.save_requested.connect(lambda: shell.stack.setCurrentWidget(screen.save_screen))
        screen.save_screen.finished.connect(shell._back_from_work)
    screen.open()
    shell.stack.setCurrentWidget(screen)
