"""Instellingen: a library makes the kiosk its own, by touch, without a terminal.

The library's name, address, hours and phone (the end screen and the slips show
them), this kiosk's own name (merge summaries, outbox files), the folder for the
numbers (the outbox), and what a new session starts with (statements per visit,
volume). Every text is typed with the on-screen keyboard. "Bewaren" checks every
value by the content rules and the rulebook first (a bad value: a short Dutch
reason, nothing written), writes ``<data>/content/library.toml`` on the staff
worker (:func:`kiosk.core.library_settings.save`: written, read back, the content
loaded), renames the kiosk through the recorder (the one writer), reads the name
back, and only then says "Bewaard." and emits the shell's ``content_changed`` (the
app reloads the content for the next session).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import library_settings as core
from kiosk.core.library_settings import FIELD_NAMES, LibraryValues, SettingsProblem
from kiosk.core.model import Library
from kiosk.core.rules import MAX_NAME
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.keyboard import TextEntry
from kiosk.gui.staff.widgets import (
    VOLUME_STEP,
    ChoiceGroup,
    StaffScreen,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme

if TYPE_CHECKING:
    from kiosk.core.recorder import Recorder
    from kiosk.gui.storage import DriveLister

log = logging.getLogger(__name__)

#: (key, the longest text, the keyboard's hint) of each text field, in screen order.
TEXT_FIELDS: tuple[tuple[str, int, str], ...] = (
    ("name", 60, "De naam staat op het scherm aan het eind en op het briefje."),
    ("address", 100, "Straat, huisnummer en plaats. Mag leeg."),
    ("hours", 100, "Wanneer mensen langs kunnen komen. Mag leeg."),
    ("phone", 30, "Het nummer van de bibliotheek. Mag leeg."),
    ("kiosk", MAX_NAME, 'Bijvoorbeeld "Kiosk bakfiets" of "Laptop Taalhuis 2".'),
)
EMPTY = "Tik om te typen"
SAVED = "Bewaard."
SAVING = "Bezig met bewaren…"
TYPED = "typed"  # the "Zelf typen…" button's key
#: Statements per visit offered (value, word); a library's other number gets its own button.
PER_VISIT = (("1", "1"), ("3", "3"), ("5", "5"), ("0", "Alle"))
#: How often the start screen reads its invitation (minutes, word); "0": never.
INVITATION = (("0", "Uit"), ("2", "2 min"), ("5", "5 min"), ("10", "10 min"))


class SettingsScreen(StaffScreen):
    """Instellingen (see the module).

    Args:
        data_dir: the data folder (its ``content/library.toml`` is written).
        executor: the staff worker (file work off the GUI thread).
        sticks: lists the drives; the USB sticks among them are offered as outbox folders.
        home: the home folder whose sync folders are offered (tests pass their own).

    Signals:
        back_requested(): "Terug".
        saved(): everything was saved and read back.
    """

    back_requested = Signal()
    saved = Signal()

    def __init__(self, theme: Theme, pictograms: Path, data_dir: Path, executor: Executor,
                 sticks: DriveLister | None = None, home: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("settings_screen", "Instellingen",
                         "De gegevens van de bibliotheek en van deze kiosk.", theme,
                         pictograms, parent)
        self.data_dir, self.executor, self.sticks = Path(data_dir), executor, sticks
        self.home = home
        self.bridge = FutureBridge(self)
        self.recorder: Recorder | None = None
        self.sources: tuple[str, ...] = ()
        self.values: dict[str, str] = dict.fromkeys(k for k, _, _ in TEXT_FIELDS) | {
            "outbox": ""}
        self.opened: tuple = ()
        self.kiosk_name = ""
        self.volume = 0
        self._sticks: list[tuple[str, Path]] = []
        self._editing = ""

        self.back_button = staff_button("Terug", "settings_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.title = staff_label("staff_title", "Instellingen")
        self.subtitle = staff_label("staff_hint", "Tik op wat je wilt veranderen. Tik dan op "
                                    "Bewaren.")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)

        self.fields: dict[str, QPushButton] = {}
        left = QVBoxLayout()
        left.addWidget(staff_label("staff_title", "De bibliotheek"))
        for key, _limit, _hint in TEXT_FIELDS:
            if key == "kiosk":
                left.addWidget(staff_label("staff_title", "Deze kiosk"))
            left.addWidget(staff_label("staff_section", FIELD_NAMES[key]))
            field = staff_button(EMPTY, f"settings_{key}", f"{FIELD_NAMES[key]}. Tik om te "
                                 "typen.", "drive")
            field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            field.clicked.connect(lambda _=False, k=key: self.type_field(k))
            self.fields[key] = field
            left.addWidget(field)

        right = QVBoxLayout()
        right.addWidget(staff_label("staff_title", FIELD_NAMES["outbox"]))
        right.addWidget(staff_label("staff_hint", "Een map die Syncthing, Nextcloud, OneDrive of "
                                    "een USB-stick naar de coördinator brengt."))
        self.outboxes = ChoiceGroup("settings_outboxes", "Map voor de cijfers", 2)
        self.outboxes.chosen.connect(self._outbox_chosen)
        right.addWidget(self.outboxes)
        self.outbox_line = staff_label("staff_text")
        right.addWidget(self.outbox_line)
        right.addWidget(staff_label("staff_title", "Een nieuwe sessie begint met"))
        self.per_visit = ChoiceGroup("settings_per_visit", "Zinnen per bezoek", 4)
        for value, word in PER_VISIT:
            self.per_visit.add(value, word, f"settings_per_visit_{value}",
                               "Alle zinnen van de set." if value == "0"
                               else f"{word} zinnen per bezoek.")
        right.addLayout(_row("Zinnen per bezoek", self.per_visit))
        self.volume_down = staff_button("", "settings_volume_down", "Zachter.", "quiet",
                                        self.icon("minus"))
        self.volume_down.setAccessibleName("Zachter")
        self.volume_up = staff_button("", "settings_volume_up", "Harder.", "quiet",
                                      self.icon("plus"))
        self.volume_up.setAccessibleName("Harder")
        self.volume_label = staff_label("staff_value", align=Qt.AlignmentFlag.AlignCenter)
        self.volume_down.clicked.connect(lambda: self.set_volume(self.volume - VOLUME_STEP))
        self.volume_up.clicked.connect(lambda: self.set_volume(self.volume + VOLUME_STEP))
        volume = QHBoxLayout()
        volume.addWidget(self.volume_down)
        volume.addWidget(self.volume_label, 1)
        volume.addWidget(self.volume_up)
        right.addLayout(_row("Geluid", volume))
        right.addWidget(staff_label("staff_title", "Uitnodiging voorlezen"))
        right.addWidget(staff_label("staff_hint", "Als niemand de kiosk gebruikt, leest hij "
                                    "de uitnodiging voor. Handig op een stille plek."))
        self.invitation = ChoiceGroup("settings_invitation", "Uitnodiging voorlezen", 4)
        for value, word in INVITATION:
            self.invitation.add(value, word, f"settings_invitation_{value}",
                                "Nooit voorlezen." if value == "0"
                                else f"Elke {value} minuten voorlezen.")
        right.addLayout(_row("Elke", self.invitation))

        form = QWidget(objectName="settings_form")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        outer = QVBoxLayout(form)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.columns)
        outer.addStretch(1)
        self.forms = (left, right)
        self.scroll = touch_scroll_area("settings_scroll", form, "Alle instellingen.")

        self.problem = staff_label("staff_message")
        self.done_line = staff_label("staff_section")
        self.save_button = staff_button("Bewaren", "settings_save", "Bewaar de instellingen.",
                                        "accent", self.icon("check", "on_dark"))
        self.save_button.clicked.connect(self.save)
        footer = QHBoxLayout()
        messages = QVBoxLayout()
        messages.addWidget(self.problem)
        messages.addWidget(self.done_line)
        footer.addLayout(messages, 2)
        footer.addWidget(self.save_button, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)

        #: The on-screen keyboard, over this screen while staff type.
        self.entry = TextEntry(theme, pictograms, self)
        self.entry.done.connect(self._typed)
        self.set_volume(0)

    # -- opening -------------------------------------------------------------------

    def open(self, library: Library, recorder: Recorder | None,
             sources: tuple[str, ...] = ()) -> None:
        """Show the settings in effect: the library's (``library``), the kiosk's name
        (read through ``recorder``), the sticks (listed on the staff worker)."""
        self.recorder, self.sources = recorder, tuple(sources)
        self.entry.hide()
        self.say("")
        for key in ("name", "address", "hours", "phone", "outbox"):
            self.values[key] = getattr(library, key)
        self._fill_outboxes()
        self.select_per_visit(str(library.per_visit or 0))
        self.set_volume(library.volume)
        self.select_invitation(library.invitation_minutes)
        for key in ("name", "address", "hours", "phone"):
            self._show_field(key)
        self.opened = self.current()
        if recorder is not None:
            self.bridge.watch(recorder.kiosk_name(), self._kiosk_named,
                              lambda error: log.warning("kiosk name: %s", error))
        if self.sticks is not None:
            lister = self.sticks
            self.bridge.watch(self.executor.submit(lister), self._sticks_listed,
                              lambda error: log.warning("drives: %s", error))

    def _kiosk_named(self, name: str) -> None:
        self.kiosk_name = name
        if self.values.get("kiosk") is None or self.values["kiosk"] == self.opened[5]:
            self.values["kiosk"] = name
            self._show_field("kiosk")
        self.opened = (*self.opened[:5], name, *self.opened[6:])

    def _sticks_listed(self, drives: list) -> None:
        self._sticks = [(drive.label, Path(drive.path)) for drive in drives
                        if drive.removable and not drive.read_only]
        self._fill_outboxes()

    def current(self) -> tuple:
        """What the screen shows now, to see whether anything changed."""
        v = self.values
        return (v["name"], v["address"], v["hours"], v["phone"], v["outbox"], v.get("kiosk"),
                self.per_visit.value(), self.volume, self.invitation.value())

    # -- typing --------------------------------------------------------------------

    def type_field(self, key: str) -> None:
        """The on-screen keyboard for field ``key`` (or "outbox": a folder typed)."""
        self._editing = key
        self.say("")
        if key == "outbox":
            self.entry.open("Map voor de cijfers", "Typ de hele map, bijvoorbeeld "
                            "~/Sync/stellingenkiosk of /media/usb/stellingenkiosk.",
                            self.values["outbox"], core.MAX_FOLDER_CHARS,
                            check=lambda text: core.outbox_problem(text, self.data_dir))
            return
        limit, hint = next((limit, hint) for k, limit, hint in TEXT_FIELDS if k == key)
        check: Callable[[str], str | None] = (core.kiosk_name_problem if key == "kiosk" else
                                              lambda text: core.text_problem(key, text))
        self.entry.open(FIELD_NAMES[key], hint, self.values.get(key) or "", limit, check=check)

    def _typed(self, text: str) -> None:
        key = self._editing
        if key == "outbox":
            self.values["outbox"] = text.strip()
            self._fill_outboxes()
        elif key:
            self.values[key] = text
            self._show_field(key)

    def _show_field(self, key: str) -> None:
        text = core.clean(self.values.get(key) or "")
        field = self.fields[key]
        set_text(field, text or EMPTY)
        field.setAccessibleName(f"{FIELD_NAMES[key]}: {text or 'leeg'}")

    # -- the outbox ------------------------------------------------------------------

    def _fill_outboxes(self) -> None:
        home = self.home if self.home is not None else Path.home()
        choices = core.outbox_choices(home, self._sticks, self.values["outbox"])
        for button in self.outboxes.buttons.values():
            button.hide()  # gone at once; deleted by the event loop
        self.outboxes.clear()
        for index, choice in enumerate(choices):
            self.outboxes.add(choice.value, choice.title, f"settings_outbox_{index}",
                              f"{choice.title}: {choice.detail}")
        self.outboxes.add(TYPED, "Zelf typen…", "settings_outbox_typed",
                          "Typ de map zelf.")
        self.outboxes.select(self.values["outbox"])
        self._show_outbox()
        if self._control:
            self.fit_controls(self._control)

    def _outbox_chosen(self, value: str) -> None:
        if value == TYPED:
            self.outboxes.select(self.values["outbox"])
            self.type_field("outbox")
            return
        self.values["outbox"] = value
        self._show_outbox()

    def _show_outbox(self) -> None:
        folder = self.values["outbox"]
        text = (f"Een kopie van de cijfers gaat naar:\n{folder}" if folder else
                "Geen map: de cijfers blijven op deze laptop.")
        set_text(self.outbox_line, text)

    # -- per visit and volume ----------------------------------------------------------

    def select_per_visit(self, value: str) -> None:
        if value not in self.per_visit.buttons:
            self.per_visit.add(value, value, f"settings_per_visit_{value}",
                               f"{value} zinnen per bezoek.")
        self.per_visit.select(value)

    def select_invitation(self, minutes: int) -> None:
        """Select how often the invitation is read (a library's other number gets a button)."""
        value = str(minutes)
        if value not in self.invitation.buttons:
            self.invitation.add(value, f"{value} min", f"settings_invitation_{value}",
                                f"Elke {value} minuten voorlezen.")
        self.invitation.select(value)

    def set_volume(self, value: int) -> None:
        self.volume = min(100, max(0, value))
        text = f"{self.volume}%"
        self.volume_label.setText(text)
        self.volume_label.setAccessibleName(f"Geluid {text}")
        self.volume_down.setEnabled(self.volume > 0)
        self.volume_up.setEnabled(self.volume < 100)

    # -- saving -------------------------------------------------------------------------

    def library_values(self) -> LibraryValues:
        v = self.values
        per_visit = int(self.per_visit.value() or 3)
        return LibraryValues(v["name"] or "", v["address"] or "", v["hours"] or "",
                             v["phone"] or "", v["outbox"] or "", per_visit or None,
                             self.volume, int(self.invitation.value() or 0))

    def save(self) -> None:
        """"Bewaren": check everything, then write (nothing is written when a value is bad)."""
        if self.busy:
            return
        values = self.library_values()
        found = core.problems(values, self.data_dir)
        name = self.values.get("kiosk")
        if name is not None and (reason := core.kiosk_name_problem(name)):
            found.append(SettingsProblem(f"{FIELD_NAMES['kiosk']}: {reason}", "kiosk"))
        if found:
            self.say(found[0].args[0], problem=True)
            return
        self.busy = True
        self.save_button.setEnabled(False)
        self.say(SAVING)
        data_dir, sources = self.data_dir, self.sources
        future = self.executor.submit(lambda: core.save(data_dir, values, sources))
        self.bridge.watch(future, lambda _content: self._library_saved(name), self._failed)

    def _library_saved(self, name: str | None) -> None:
        if self.recorder is None or name is None or core.clean(name) == self.kiosk_name:
            self._saved()
            return
        recorder = self.recorder
        recorder.rename_kiosk(name)
        self.bridge.watch(recorder.kiosk_name(), lambda stored: self._renamed(name, stored),
                          self._failed)

    def _renamed(self, wanted: str, stored: str) -> None:
        if stored != core.clean(wanted):
            self._failed(SettingsProblem("De naam van de kiosk is niet bewaard. Probeer het "
                                         "nog een keer."))
            return
        self.kiosk_name = stored
        self._saved()

    def _saved(self) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.opened = self.current()
        self.say(SAVED)
        log.info("library settings saved in %s", core.library_file(self.data_dir))
        self.saved.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        if isinstance(error, SettingsProblem | ValueError):
            text = str(error)
        else:
            log.warning("saving the settings failed: %s: %s", type(error).__name__, error)
            text = "Bewaren lukte niet. Probeer het nog een keer."
        self.say(text, problem=True)

    def say(self, text: str, problem: bool = False) -> None:
        """The line above "Bewaren": a reason (red) or how it went."""
        set_text(self.problem, text if problem else "")
        set_text(self.done_line, "" if problem else text)
        self.problem.setVisible(problem and bool(text))
        self.done_line.setVisible(not problem and bool(text))

    # -- leaving ------------------------------------------------------------------------

    def _back(self) -> None:
        if self.busy:
            return
        if self.current() == self.opened:
            self.back_requested.emit()
            return
        self.ask("settings_unsaved", "Niet bewaard", "Je hebt iets veranderd. Bewaren?",
                 [("save", "Bewaren", "accent", "check"),
                  ("leave", "Niet bewaren", "quiet", "arrow-left")],
                 self._answer)

    def _answer(self, key: str) -> None:
        if key == "leave":
            self.back_requested.emit()
        else:
            self.save()

    def timed_out(self) -> None:
        """The keyboard closes; what was typed stays on the screen until it is opened."""
        super().timed_out()
        self.entry.hide()

    # -- size ---------------------------------------------------------------------------

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        for group in (self.outboxes, self.per_visit, self.invitation):
            group.set_spacing(round(control * 0.12))
        for column in self.forms:
            column.setSpacing(round(control * 0.12))
            column.setAlignment(Qt.AlignmentFlag.AlignTop)
        side = round(control * 0.45)
        self.save_button.setIconSize(QSize(side, side))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        portrait = self.height() > self.width()
        self.columns.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                  else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
        self.columns.setSpacing(round(min(self.width(), self.height()) * 0.04))


def _row(text: str, widget: QWidget | QHBoxLayout) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(staff_label("staff_section", text), 2)
    if isinstance(widget, QWidget):
        row.addWidget(widget, 3)
    else:
        row.addLayout(widget, 3)
    return row


def open_for(shell) -> None:
    """Build the screen once (a page of the shell, like those of ``KioskShell.attach``),
    fill it with the settings in effect, and show it."""
    screen = getattr(shell, "settings_screen", None)
    if screen is None:
        lister = shell.save_screen.drive_list.lister
        screen = SettingsScreen(shell.theme, shell.pictograms, shell.settings_path.parent,
                                shell.staff_pool, sticks=lister)
        shell.settings_screen = screen
        shell._names[screen] = "settings"
        shell.stack.addWidget(screen)
        screen.back_requested.connect(shell.show_menu)

        def saved() -> None:
            shell.status.emit("Instellingen bewaard.")
            shell.content_changed.emit()

        screen.saved.connect(saved)
    screen.open(shell.content.library, shell.recorder, tuple(shell.content.sources))
    shell.stack.setCurrentWidget(screen)
