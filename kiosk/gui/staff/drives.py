"""A touch list of drives: the USB sticks by label and free space, and this laptop.

The listing runs on the staff executor (a hung drive must not freeze the
screen) and repeats every few seconds while the list is shown, so a stick put
in after the screen opened appears by itself; "Opnieuw zoeken" asks at once.
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.widgets import set_text, staff_button, staff_label
from kiosk.gui.storage import Drive, DriveLister, dutch_size
from kiosk.gui.theme import Theme
from kiosk.gui.widgets import plain, svg_icon

POLL_MS = 3000
NO_STICK = "Geen USB-stick gevonden. Steek een USB-stick in de laptop."
SEARCHING = "Even zoeken…"


def drive_words(drive: Drive, writing: bool) -> tuple[str, str]:
    """(first line, second line) of a drive's button."""
    if drive.removable:
        first = f"USB-stick {drive.label}"
    else:
        first = f"{drive.label} (map {drive.path.name})"
    second = dutch_size(drive.free)
    if writing and drive.read_only:
        second = "Alleen lezen: hier kan de kiosk niets op zetten"
    return first, second


class DriveList(QWidget):
    """The drives to choose from, one big button each, and what to do without a stick.

    Args:
        lister: returns the drives now (sticks first); runs on ``executor``.
        writing: the list is for saving (a read-only stick cannot be chosen).

    Signals:
        chosen(Drive): a drive was tapped.
        listed(): a new listing arrived (the screen sizes new buttons; tests wait on it).
    """

    chosen = Signal(object)
    listed = Signal()

    def __init__(self, lister: DriveLister, executor: Executor, theme: Theme,
                 pictograms: Path, writing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drive_list")
        self.setAccessibleName("Plekken")
        self.setAccessibleDescription("De USB-sticks en deze laptop.")
        self.lister, self.executor, self.writing = lister, executor, writing
        self.theme, self.pictograms = theme, pictograms
        self.bridge = FutureBridge(self)
        self.drives: list[Drive] = []
        self.buttons: dict[Path, QPushButton] = {}
        self._asking = False
        self._again = False
        self._key: tuple | None = None
        self.sticks_title = staff_label("staff_section", "USB-sticks")
        self.searching = staff_label("staff_hint", SEARCHING)
        self.notice = staff_label("staff_message")
        self.notice.setObjectName("drive_notice")
        self.notice.setAccessibleDescription("Wat je moet doen als er geen USB-stick is.")
        self.notice.setVisible(False)
        self.search_button = staff_button("Opnieuw zoeken", "drive_search",
                                          "Zoek opnieuw naar USB-sticks.", "quiet",
                                          self._icon("arrows-clockwise"))
        self.search_button.clicked.connect(self.refresh)
        self.search_button.setVisible(False)
        self.laptop_title = staff_label("staff_section", "Of op deze laptop")
        self.laptop_title.setVisible(False)
        self.stick_rows = QVBoxLayout()
        self.laptop_rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sticks_title)
        layout.addLayout(self.stick_rows)
        layout.addWidget(self.searching)
        layout.addWidget(self.notice)
        layout.addWidget(self.search_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(12)
        layout.addWidget(self.laptop_title)
        layout.addLayout(self.laptop_rows)
        layout.addStretch(1)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)

    def _icon(self, name: str, color: str = "ink"):
        return svg_icon(self.pictograms, name, self.theme.colors[color])

    @property
    def sticks(self) -> list[Drive]:
        return [drive for drive in self.drives if drive.removable]

    def start(self) -> None:
        """List now, and again every few seconds until :meth:`stop`."""
        self.refresh()
        self._poll.start()

    def stop(self) -> None:
        self._poll.stop()

    def refresh(self) -> None:
        """Ask for the drives (on the executor); the buttons change when the answer is in."""
        if self._asking:
            self._again = True  # "Opnieuw zoeken" during a listing: ask once more after it
            return
        self._asking = True
        self.bridge.watch(self.executor.submit(self.lister), self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._show([])

    def _show(self, drives: list[Drive]) -> None:
        self._asking = False
        if self._again:
            self._again = False
            self.refresh()
            return
        # the device too: a stick swapped for another at the same place is a new drive
        key = tuple((d.path, d.label, d.read_only, dutch_size(d.free), d.device)
                    for d in drives)
        if key != self._key:
            self._key = key
            self.drives = list(drives)
            self._build()
        self.listed.emit()

    def _build(self) -> None:
        for widget in self.buttons.values():
            self.stick_rows.removeWidget(widget)
            self.laptop_rows.removeWidget(widget)
            widget.deleteLater()
        self.buttons = {}
        for index, drive in enumerate(self.drives):
            first, second = drive_words(drive, self.writing)
            name = f"drive_{index}" if drive.removable else "drive_laptop"
            widget = staff_button(first, name, f"Kies: {first}.", "drive",
                                  self._icon("usb" if drive.removable else "laptop"))
            widget.setText(plain(f"{first}\n{second}" if second else first))
            widget.setAccessibleName(f"{first}, {second}" if second else first)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            widget.setEnabled(not (self.writing and drive.read_only))
            widget.clicked.connect(lambda _=False, d=drive: self.chosen.emit(d))
            self.buttons[drive.path] = widget
            (self.stick_rows if drive.removable else self.laptop_rows).addWidget(widget)
        self.searching.setVisible(False)
        self.notice.setVisible(not self.sticks)
        set_text(self.notice, "" if self.sticks else NO_STICK)
        self.search_button.setVisible(not self.sticks)
        self.laptop_title.setVisible(any(not d.removable for d in self.drives))
