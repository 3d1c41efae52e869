"""The start of a session: place, kind of place, statements, speech, printer."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import rules
from kiosk.core.clock import Clock, system_clock
from kiosk.core.model import NO_APPROACH_NAME, PLACE_KINDS, Content
from kiosk.core.settings import SessionSettings
from kiosk.gui.keyboard import TextEntry
from kiosk.gui.staff.widgets import (
    PLACE_KIND_NAMES,
    VOLUME_STEP,
    ChoiceGroup,
    StaffScreen,
    slug,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme

log = logging.getLogger(__name__)

NEW_LOCATION = "Nieuwe plek…"


class StaffStartScreen(StaffScreen):
    """Set up a session: place, kind of place, approach, statements, speech, peers line,
    printer.

    Args:
        content: for the locations (``content/locations.toml``) and statement sets.
        printers: printer names to offer (the first is the default); "Geen printer" is added.
        last: the settings of the previous session, to start from.
        clock: the wall clock (a fake one in tests), for the warning about a clock that
            cannot be right (:func:`kiosk.core.rules.clock_problem`).
        newest_day: the newest day the kiosk is known to have been used (None: not known).

    Signals:
        start_requested(SessionSettings): "Start" was tapped with these settings.
        menu_requested(): "Menu" was tapped (export, report, merge, Afsluiten are there).
    """

    start_requested = Signal(object)
    menu_requested = Signal()

    def __init__(self, content: Content, printers: Sequence[str], theme: Theme,
                 pictograms: Path, last: SessionSettings | None = None,
                 parent: QWidget | None = None, clock: Clock = system_clock,
                 newest_day: date | None = None) -> None:
        super().__init__("staff_start", "Nieuwe sessie", "Kies de plek en de instellingen.",
                         theme, pictograms, parent)
        self.content = content
        self._known = {loc.name.casefold(): loc for loc in content.locations}
        self.volume = last.volume if last else content.library.volume
        self.clock, self.newest_day = clock, newest_day
        self._clock_logged: str | None = None

        self.menu_button = staff_button("Menu", "start_menu",
                                        "Naar het menu: exporteren, rapport, afsluiten.",
                                        "quiet", self.icon("squares-four"))
        self.menu_button.clicked.connect(self.menu_requested)

        # where
        self.locations = ChoiceGroup("start_locations", "Waar staat de kiosk?", 3)
        for loc in content.locations:
            self.locations.add(loc.name, loc.name, f"location_{slug(loc.name)}",
                               f"De kiosk staat bij: {loc.name}.")
        self.locations.add("", NEW_LOCATION, "location_new", "Typ de naam van een nieuwe plek.")
        self.locations.chosen.connect(self._location_chosen)
        self.new_location = QLineEdit(objectName="new_location")
        self.new_location.setPlaceholderText("Naam van de plek")
        self.new_location.setAccessibleName("Nieuwe plek")
        self.new_location.setAccessibleDescription("Typ de naam van de plek.")
        # no maxLength: Qt would cut a longer (pasted) name without a word, and count
        # UTF-16 units; the rulebook's limit is checked instead (see location_problem)
        self.new_location.setVisible(False)
        self.new_location.textChanged.connect(self._typed)
        self.new_location.returnPressed.connect(self._start)
        self.new_location.installEventFilter(self)  # a tap on the field opens the keyboard
        #: The on-screen keyboard, over this screen while staff type a new place.
        self.entry = TextEntry(theme, pictograms, self)
        self.entry.text_changed.connect(self.new_location.setText)
        self.entry.done.connect(lambda _text: self._update())
        self.entry.cancelled.connect(self._update)
        self.kinds = ChoiceGroup("start_kinds", "Wat voor plek is het?", 3)
        for kind in PLACE_KINDS:
            self.kinds.add(kind, PLACE_KIND_NAMES.get(kind, kind.capitalize()), f"kind_{kind}",
                           f"Soort plek: {PLACE_KIND_NAMES.get(kind, kind)}.")
        self.kinds.chosen.connect(lambda _v: self._update())
        #: The session's approach (content/approaches.toml); "Geen" ("") first.
        self.approaches = ChoiceGroup("start_approaches", "Aanpak", 2)
        self.approaches.add("", NO_APPROACH_NAME, "approach_none",
                            "Aanpak: geen bijzondere aanpak.")
        for approach in content.approaches.values():
            self.approaches.add(approach.id, approach.name, f"approach_{slug(approach.id)}",
                                f"Aanpak: {approach.name}. {approach.line}")

        # what and how
        self.sets = ChoiceGroup("start_sets", "Welke stellingen?", 1)
        for set_id, statement_set in content.sets.items():
            self.sets.add(set_id, statement_set.name, f"set_{slug(set_id)}",
                          f"Stellingen: {statement_set.name}, "
                          f"{len(statement_set.statements)} zinnen.")
        self.sets.chosen.connect(lambda _v: self._update())
        self.per_visit = ChoiceGroup("start_per_visit", "Zinnen per bezoek", 4)
        for value, text, description in (
                ("1", "1", "Eén zin per bezoek."), ("3", "3", "Drie zinnen per bezoek."),
                ("5", "5", "Vijf zinnen per bezoek."), ("0", "Alle", "Alle zinnen van de set.")):
            self.per_visit.add(value, text, f"per_visit_{value}", description)
        self.speech = ChoiceGroup("start_speech", "Zinnen voorlezen", 2)
        self.speech.add("1", "Aan", "speech_on", "Lees de zinnen voor.")
        self.speech.add("0", "Uit", "speech_off", "Lees de zinnen niet voor.")
        self.volume_down = staff_button("", "volume_down", "Zachter.", "quiet",
                                        self.icon("minus"))
        self.volume_down.setAccessibleName("Zachter")
        self.volume_up = staff_button("", "volume_up", "Harder.", "quiet", self.icon("plus"))
        self.volume_up.setAccessibleName("Harder")
        self.volume_label = staff_label("staff_value", align=Qt.AlignmentFlag.AlignCenter)
        self.volume_down.clicked.connect(lambda: self._set_volume(self.volume - VOLUME_STEP))
        self.volume_up.clicked.connect(lambda: self._set_volume(self.volume + VOLUME_STEP))
        self.peers = ChoiceGroup("start_peers", "Regel 'Jij en N anderen' laten zien", 2)
        self.peers.add("1", "Aan", "peers_on", "Laat zien hoeveel anderen hetzelfde dachten.")
        self.peers.add("0", "Uit", "peers_off", "Laat dat niet zien.")
        self.printers = ChoiceGroup("start_printers", "Welke printer?", 2)
        self.set_printers(printers, last.printer if last else None)
        self.slip_sizes = ChoiceGroup("start_slip_sizes", "Hoe groot is het briefje?", 3)
        for size, text, description in (("80mm", "Bon", "Bonnenprinter, 8 cm breed."),
                                        ("a6", "A6", "Een kwart A4."), ("a4", "A4", "Een A4.")):
            self.slip_sizes.add(size, text, f"slip_{size}", description)

        self.start_button = staff_button("Start", "start", "Start de kiosk met deze keuzes.",
                                         "accent", self.icon("play", "on_dark"))
        self.start_button.clicked.connect(self._start)
        self.problem = staff_label("staff_hint")

        left = QVBoxLayout()
        #: A warning for staff, e.g. broken content files (hidden when empty).
        self.notice = staff_label("staff_notice")
        self.notice.setVisible(False)
        left.addWidget(self.notice)
        #: The warning about a laptop clock that cannot be right (hidden when it is fine).
        self.clock_notice = staff_label("staff_notice")
        self.clock_notice.setVisible(False)
        left.addWidget(self.clock_notice)
        left.addWidget(staff_label("staff_title", "Nieuwe sessie: waar staat de kiosk?"))
        left.addWidget(self.locations)
        left.addWidget(self.new_location)
        left.addWidget(staff_label("staff_section", "Wat voor plek is het?"))
        left.addWidget(self.kinds)
        left.addWidget(staff_label("staff_section", "Aanpak"))
        left.addWidget(self.approaches)
        right = QVBoxLayout()
        right.addWidget(staff_label("staff_section", "Welke stellingen?"))
        right.addWidget(self.sets)
        right.addLayout(self._row("Zinnen per bezoek", self.per_visit))
        right.addWidget(staff_label("staff_section", "Printer voor de briefjes"))
        right.addWidget(self.printers)
        right.addLayout(self._row("Briefje", self.slip_sizes))
        right.addLayout(self._row("Voorlezen", self.speech))
        volume = QHBoxLayout()
        volume.addWidget(self.volume_down)
        volume.addWidget(self.volume_label, 1)
        volume.addWidget(self.volume_up)
        right.addLayout(self._row("Geluid", volume))
        right.addLayout(self._row("Jij en N anderen", self.peers))
        form = QWidget(objectName="start_form")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        outer = QVBoxLayout(form)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.columns)
        outer.addStretch(1)  # everything at the top, side by side or one above the other
        self.forms = (left, right)
        self.scroll = touch_scroll_area("start_scroll", form, "Alle keuzes voor de sessie.")

        footer = QHBoxLayout()
        footer.addWidget(self.menu_button)
        footer.addWidget(self.problem, 2)
        footer.addWidget(self.start_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)
        self.apply(last)
        self.check_clock()

    @staticmethod
    def _row(text: str, widget: QWidget | QHBoxLayout) -> QHBoxLayout:
        row = QHBoxLayout()
        name = staff_label("staff_section", text)
        row.addWidget(name, 2)
        if isinstance(widget, QWidget):
            row.addWidget(widget, 3)
        else:
            row.addLayout(widget, 3)
        return row

    # -- values --------------------------------------------------------------

    def set_printers(self, names: Sequence[str], chosen: str | None = None) -> None:
        """Offer these printers (plus "Geen printer"); keep ``chosen`` if it is one of them."""
        previous = chosen if chosen is not None else self.printers.value()
        self.printers.clear()
        for name in names:
            self.printers.add(name, name, f"printer_{slug(name)}", f"Print de briefjes op {name}.")
        self.printers.add("", "Geen printer", "printer_none", "Geen briefjes printen.")
        if previous is not None and previous in self.printers.buttons:
            self.printers.select(previous)
        else:
            self.printers.select(names[0] if names else "")
        if self._control:
            self.fit_controls(self._control)

    def apply(self, settings: SessionSettings | None) -> None:
        """Show ``settings`` (the last session's), or the library's defaults (library.toml:
        ``per_visit``, ``volume``; staff set them under Instellingen)."""
        default_set = self.content.statement_set().id
        per_visit = str(self.content.library.per_visit or 0)
        if settings is None:
            self.sets.select(default_set)
            self._select_per_visit(per_visit)
            self.speech.select("1")
            self.peers.select("0")
            self.kinds.select("anders")
            self.approaches.select("")
            self.slip_sizes.select("80mm")
        else:
            known = self._known.get(settings.location.casefold())
            if known is not None:
                self.locations.select(known.name)
            else:
                self.locations.select("")
                self.new_location.setText(settings.location)
            self.new_location.setVisible(known is None)
            self.kinds.select(settings.place_kind)
            self.approaches.select(settings.approach if settings.approach
                                   in self.approaches.buttons else "")
            self.sets.select(settings.statement_set if settings.statement_set in self.sets.buttons
                             else default_set)
            self.speech.select("1" if settings.speech else "0")
            self.peers.select("1" if settings.show_peers else "0")
            if settings.printer in self.printers.buttons:
                self.printers.select(settings.printer)
            self.slip_sizes.select(settings.slip_size)
            self._select_per_visit(str(settings.per_visit))
        self._set_volume(settings.volume if settings else self.content.library.volume)
        self._update()

    def _select_per_visit(self, value: str) -> None:
        """Choose statements per visit; a number not offered (say 4, from library.toml)
        gets its own button, so the library's choice is never lost."""
        if value not in self.per_visit.buttons:
            self.per_visit.add(value, value, f"per_visit_{value}", f"{value} zinnen per bezoek.")
        self.per_visit.select(value)

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def check_clock(self) -> str | None:
        """Show (and log, once) the rulebook's warning when this laptop's clock cannot be
        right (:func:`kiosk.core.rules.clock_problem`); hide it when the clock is fine.
        Runs when the screen is made and each time it is shown: before every session."""
        now = self.clock()
        problem = rules.clock_problem(now, self.newest_day)
        text = problem or ""
        self.clock_notice.setText(text)
        self.clock_notice.setAccessibleName(text)
        self.clock_notice.setVisible(bool(text))
        if problem and problem != self._clock_logged:
            log.warning("the laptop's clock says %s: session times will be wrong",
                        now.isoformat(timespec="minutes"), extra={"notice": problem})
        self._clock_logged = problem
        return problem

    def location(self) -> str:
        """The chosen or typed place, as it will be stored ("" when none): cleaned as the
        rulebook stores text (:func:`kiosk.core.rules.clean_text`)."""
        chosen = self.locations.value()
        if chosen:
            return chosen
        typed = rules.clean_text(self.new_location.text()) if chosen == "" else ""
        known = self._known.get(typed.casefold())
        return known.name if known else typed

    def location_problem(self) -> str | None:
        """What is wrong with the place, in Dutch (the rulebook's
        :func:`~kiosk.core.rules.name_problem`, which the store and the merge use too);
        None when it may be stored."""
        location = self.location()
        if not location:
            return ("Typ de naam van de plek." if self.locations.value() == ""
                    else "Kies eerst een plek.")
        return rules.name_problem(location)

    def settings(self) -> SessionSettings | None:
        """The settings on screen, or None while the place is missing or not allowed."""
        location = self.location()
        set_id = self.sets.value()
        if self.location_problem() is not None or set_id is None:
            return None
        return SessionSettings(
            location=location, place_kind=self.kinds.value() or "anders",
            statement_set=set_id, speech=self.speech.value() != "0",
            show_peers=self.peers.value() == "1", printer=self.printers.value() or "",
            volume=self.volume, slip_size=self.slip_sizes.value() or "80mm",
            per_visit=int(self.per_visit.value() or 3),
            approach=self.approaches.value() or "",
        )

    def _location_chosen(self, value: str) -> None:
        new = value == ""
        self.new_location.setVisible(new)
        if new:
            self.new_location.setFocus(Qt.FocusReason.OtherFocusReason)
            self.open_keyboard()
        else:
            self.entry.hide()
            self.kinds.select(self._known[value.casefold()].kind)
        self._update()

    def open_keyboard(self) -> None:
        """The on-screen keyboard for the new place; what is typed goes into the field."""
        self.entry.open("Nieuwe plek", "Typ de naam van de plek. Tik dan op Klaar.",
                        self.new_location.text(), rules.MAX_NAME, check=rules.name_problem)

    def _typed(self, text: str) -> None:
        self.entry.set_text(text)  # a physical keyboard typed in the field
        self._update()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.new_location and event.type() == QEvent.Type.MouseButtonPress:
            self.open_keyboard()
        return super().eventFilter(obj, event)

    def timed_out(self) -> None:
        """The keyboard closes; what was typed stays in the field."""
        super().timed_out()
        self.entry.hide()

    def _set_volume(self, value: int) -> None:
        self.volume = min(100, max(0, value))
        text = f"{self.volume}%"
        self.volume_label.setText(text)
        self.volume_label.setAccessibleName(f"Geluid {text}")
        self.volume_down.setEnabled(self.volume > 0)
        self.volume_up.setEnabled(self.volume < 100)

    def _update(self) -> None:
        ready = self.settings() is not None
        self.start_button.setEnabled(ready)
        text = "" if ready else (self.location_problem() or "Kies de stellingen.")
        self.problem.setText(text)
        self.problem.setAccessibleName(text)

    def _start(self) -> None:
        settings = self.settings()
        if settings is not None:
            self.start_requested.emit(settings)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.check_clock()  # the start of a session: the clock may have been set since

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        self.new_location.setMinimumHeight(control)
        for group in (self.locations, self.kinds, self.approaches, self.sets, self.speech,
                      self.peers, self.printers, self.slip_sizes):
            group.set_spacing(round(control * 0.12))
        for column in self.forms:
            column.setSpacing(round(control * 0.12))
            column.setAlignment(Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        portrait = self.height() > self.width()
        self.columns.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                  else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
        self.columns.setSpacing(round(min(self.width(), self.height()) * 0.04))


