"""The staff menu: one tile per action; the shell decides what each does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.settings import DEFAULT_VOLUME
from kiosk.gui.staff.widgets import VOLUME_STEP, StaffScreen, set_text, staff_button, staff_label
from kiosk.gui.theme import Theme

#: (signal name, object name, word, pictogram, description), in screen order.
MENU_ACTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("new_session_requested", "menu_new_session", "Nieuwe sessie", "play",
     "Kies een plek en start de kiosk."),
    ("conversation_requested", "menu_conversation", "Gesprek +1", "chats-circle",
     "Tel een gesprek bij de stand, met onderwerp en doorverwijzing."),
    ("signal_requested", "menu_signal", "Signaal", "megaphone",
     "Noteer wat je hoort, voor het verslag aan de gemeente."),
    ("pause_requested", "menu_pause", "Pauze", "pause", "Zet de kiosk even stil."),
    ("switch_set_requested", "menu_switch_set", "Andere stellingen", "swap",
     "Kies andere stellingen."),
    ("tally_requested", "menu_tally", "Turven", "list-numbers",
     "Tel de worpen van het spel bij de stand."),
    ("end_session_requested", "menu_end_session", "Sessie beëindigen", "stop-circle",
     "Stop de sessie en zie de cijfers."),
    ("test_print_requested", "menu_test_print", "Testprint", "printer",
     "Print een briefje om de printer te testen."),
    ("export_requested", "menu_export", "Exporteren naar USB", "usb",
     "Zet de cijfers op een USB-stick."),
    ("report_requested", "menu_report", "Rapport maken", "file-text",
     "Maak een rapport (pdf) voor de gemeente."),
    ("merge_requested", "menu_merge", "Samenvoegen", "arrows-merge",
     "Voeg cijfers van een andere laptop toe."),
    ("tally_history_requested", "menu_tally_history", "Turven bekijken",
     "clock-counter-clockwise", "Zie wat eerder is geturfd."),
    ("notices_requested", "menu_notices", "Meldingen", "warning-circle",
     "Zie wat er misging en wat je kunt doen."),
    ("content_requested", "menu_content", "Inhoud", "books",
     "Stellingen en cursussen van of naar een USB-stick."),
    ("settings_requested", "menu_settings", "Instellingen", "gear-six",
     "Naam en adres van de bibliotheek, de kiosk, de map voor de cijfers."),
    ("voice_requested", "menu_voice", "Inspreken", "microphone",
     "Spreek de zinnen van de kiosk in met je eigen stem."),
    ("quit_requested", "menu_quit", "Afsluiten", "power", "Sluit de kiosk af."),
)
#: Where each tile sits (row, column) while a session runs: the session, then the
#: data, then the device; Afsluiten alone in a corner, away from the rest.
#: "volume" is (row, column, span). A tile without a place is hidden.
MENU_PLACES = {
    "conversation_requested": (0, 0), "signal_requested": (0, 1), "tally_requested": (0, 2),
    "pause_requested": (0, 3),
    "end_session_requested": (1, 0), "switch_set_requested": (1, 1),
    "export_requested": (1, 2), "report_requested": (1, 3),
    "merge_requested": (2, 0), "test_print_requested": (2, 1),
    "tally_history_requested": (2, 2), "quit_requested": (2, 3), "volume": (3, 0, 2),
    "notices_requested": (3, 2),
}
MENU_PLACES_PORTRAIT = {
    "conversation_requested": (0, 0), "signal_requested": (0, 1),
    "tally_requested": (1, 0), "pause_requested": (1, 1),
    "end_session_requested": (2, 0), "switch_set_requested": (2, 1),
    "export_requested": (3, 0), "report_requested": (3, 1),
    "merge_requested": (4, 0), "test_print_requested": (4, 1),
    "tally_history_requested": (6, 0), "notices_requested": (7, 0), "quit_requested": (7, 1),
    "volume": (5, 0, 2),
}
#: Without a session (after "Sessie beëindigen"): a new session, the data, Afsluiten.
NO_SESSION_PLACES = {
    "new_session_requested": (0, 0), "export_requested": (0, 1), "report_requested": (0, 2),
    "merge_requested": (0, 3), "tally_history_requested": (1, 0),
    "test_print_requested": (1, 1), "notices_requested": (1, 2), "quit_requested": (1, 3),
    "content_requested": (2, 0), "settings_requested": (2, 1), "voice_requested": (2, 2),
}
NO_SESSION_PLACES_PORTRAIT = {
    "new_session_requested": (0, 0), "export_requested": (0, 1), "report_requested": (1, 0),
    "merge_requested": (1, 1), "tally_history_requested": (2, 0),
    "test_print_requested": (2, 1), "notices_requested": (3, 0), "quit_requested": (5, 1),
    "content_requested": (4, 0), "settings_requested": (3, 1), "voice_requested": (4, 1),
}


class StaffMenu(StaffScreen):
    """The staff menu: one button per action, one signal per button; no logic here.

    :meth:`set_session_running` switches between the menu during a session and
    the menu without one (new session, the data, Afsluiten; "Vergrendelen").

    Signals:
        new_session_requested(): "Nieuwe sessie" (without a session).
        conversation_requested(): "Gesprek +1".
        signal_requested(): "Signaal".
        pause_requested(): "Pauze" (while running).
        resume_requested(): "Verder" (the same button while paused, see :meth:`set_paused`).
        switch_set_requested(): "Andere stellingen".
        tally_requested(): "Turven".
        end_session_requested(): "Sessie beëindigen".
        test_print_requested(): "Testprint".
        export_requested(): "Exporteren naar USB".
        report_requested(): "Rapport maken".
        merge_requested(): "Samenvoegen".
        tally_history_requested(): "Turven bekijken".
        notices_requested(): "Meldingen" (with the count, see :meth:`set_notice_count`).
        content_requested(): "Inhoud" (without a session).
        settings_requested(): "Instellingen" (without a session).
        voice_requested(): "Inspreken" (without a session).
        quit_requested(): "Afsluiten".
        back_requested(): "Terug naar kiosk" (or "Vergrendelen" without a session).
        volume_changed(int): "−" or "+" of the volume, with the new volume (0..100).
    """

    new_session_requested = Signal()
    conversation_requested = Signal()
    signal_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    switch_set_requested = Signal()
    tally_requested = Signal()
    end_session_requested = Signal()
    test_print_requested = Signal()
    export_requested = Signal()
    report_requested = Signal()
    merge_requested = Signal()
    tally_history_requested = Signal()
    notices_requested = Signal()
    content_requested = Signal()
    settings_requested = Signal()
    voice_requested = Signal()
    quit_requested = Signal()
    back_requested = Signal()
    volume_changed = Signal(int)

    def __init__(self, theme: Theme, pictograms: Path, volume: int = DEFAULT_VOLUME,
                 parent: QWidget | None = None) -> None:
        super().__init__("staff_menu", "Menu voor medewerkers",
                         "Kies wat je wilt doen.", theme, pictograms, parent)
        self.paused = False
        self.running = True
        self.volume = volume
        self.title = staff_label("staff_title", "Menu")
        self.session_line = staff_label("staff_text")
        self.back_button = staff_button("Terug naar kiosk", "menu_back",
                                        "Ga terug naar het scherm voor bezoekers.", "accent",
                                        self.icon("arrow-left", "on_dark"))
        self.back_button.clicked.connect(self.back_requested)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.session_line)
        header.addLayout(titles, 1)
        header.addWidget(self.back_button)

        self.buttons: dict[str, QToolButton] = {}
        grid = QGridLayout()
        for _index, (signal, name, text, icon, description) in enumerate(MENU_ACTIONS):
            tile = QToolButton(self, objectName=name)  # hidden tiles too stay inside
            tile.setProperty("staff", "tile")
            tile.setText(text)
            tile.setIcon(self.icon(icon))
            tile.setAccessibleName(text)
            tile.setAccessibleDescription(description)
            tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            if signal == "pause_requested":
                tile.clicked.connect(self._pause_clicked)
            else:
                tile.clicked.connect(getattr(self, signal))
            self.buttons[signal] = tile
        self.grid = grid

        self.volume_down = staff_button("", "menu_volume_down", "Zachter.", "quiet",
                                        self.icon("minus"))
        self.volume_down.setAccessibleName("Zachter")
        self.volume_up = staff_button("", "menu_volume_up", "Harder.", "quiet", self.icon("plus"))
        self.volume_up.setAccessibleName("Harder")
        self.volume_label = staff_label("staff_value", align=Qt.AlignmentFlag.AlignCenter)
        self.volume_down.clicked.connect(lambda: self._change_volume(-VOLUME_STEP))
        self.volume_up.clicked.connect(lambda: self._change_volume(VOLUME_STEP))
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume_down)
        volume_row.addWidget(self.volume_label, 1)
        volume_row.addWidget(self.volume_up)
        volume_box = QWidget(objectName="staff_card")
        volume_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        volume_box.setAccessibleName("Geluid")
        volume_box.setAccessibleDescription("Zet de stem zachter of harder.")
        volume_box.setLayout(volume_row)
        self.volume_box = volume_box
        self._arranged: tuple[bool, bool] | None = None
        self._arrange(portrait=False)

        self.status = staff_label("staff_text")
        self.status.setAccessibleDescription("Wat er net is gebeurd.")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)
        self.set_volume(volume)

    def _arrange(self, portrait: bool) -> None:
        """Four columns on a landscape screen, two on a portrait one."""
        if (portrait, self.running) == self._arranged:
            return
        self._arranged = (portrait, self.running)
        for widget in (*self.buttons.values(), self.volume_box):
            self.grid.removeWidget(widget)
        if self.running:
            places = MENU_PLACES_PORTRAIT if portrait else MENU_PLACES
        else:
            places = NO_SESSION_PLACES_PORTRAIT if portrait else NO_SESSION_PLACES
        for signal, tile in self.buttons.items():
            tile.setVisible(signal in places)
            if signal in places:
                self.grid.addWidget(tile, *places[signal])
        self.volume_box.setVisible("volume" in places)
        if "volume" in places:
            row, column, span = places["volume"]
            self.grid.addWidget(self.volume_box, row, column, 1, span)
        for column in range(4):
            self.grid.setColumnStretch(column, 1 if column < (2 if portrait else 4) else 0)
        rows = 1 + max(place[0] for place in places.values())
        for row in range(8):
            self.grid.setRowStretch(row, 1 if row < rows else 0)

    def set_session_running(self, running: bool) -> None:
        """The menu during a session, or the one without (after "Sessie beëindigen")."""
        self.running = running
        if running:
            set_text(self.title, "Menu")
            set_text(self.back_button, "Terug naar kiosk")
            self.back_button.setAccessibleDescription("Ga terug naar het scherm voor bezoekers.")
            self.back_button.setIcon(self.icon("arrow-left", "on_dark"))
        else:
            set_text(self.title, "Menu: er loopt geen sessie")
            self.set_session("Kies Nieuwe sessie om de kiosk te starten.")
            set_text(self.back_button, "Vergrendelen")
            self.back_button.setAccessibleDescription("Doe het menu dicht. Daarna is de "
                                                      "pincode weer nodig.")
            self.back_button.setIcon(self.icon("lock", "on_dark"))
        self._arrange(self.height() > self.width() if self.width() else False)
        if self._control:
            self.fit_controls(self._control)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        arranged = self._arranged
        self._arrange(self.height() > self.width())
        if arranged != self._arranged and self._control:
            self.fit_controls(self._control)  # the tiles' height follows the shape
        super().resizeEvent(event)

    def set_paused(self, paused: bool) -> None:
        """Show "Verder" instead of "Pauze" while the kiosk is paused."""
        self.paused = paused
        tile = self.buttons["pause_requested"]
        text = "Verder" if paused else "Pauze"
        tile.setText(text)
        tile.setAccessibleName(text)
        tile.setAccessibleDescription("Zet de kiosk weer aan." if paused
                                      else "Zet de kiosk even stil.")
        tile.setIcon(self.icon("play" if paused else "pause"))

    def set_volume(self, volume: int) -> None:
        """Show ``volume`` (0..100) without emitting ``volume_changed``."""
        self.volume = min(100, max(0, volume))
        text = f"Geluid {self.volume}%"
        self.volume_label.setText(text)
        self.volume_label.setAccessibleName(text)
        self.volume_down.setEnabled(self.volume > 0)
        self.volume_up.setEnabled(self.volume < 100)

    def set_session(self, text: str) -> None:
        """One line about the running session, e.g. "Weekmarkt · 12 bezoeken"."""
        self.session_line.setText(text)
        self.session_line.setAccessibleName(text)

    def set_notice_count(self, count: int) -> None:
        """"Meldingen (3)": how many problems wait to be read."""
        tile = self.buttons["notices_requested"]
        text = f"Meldingen ({count})" if count else "Meldingen"
        tile.setText(text)
        tile.setAccessibleName(text)

    def set_status(self, text: str) -> None:
        """One line about what just happened, e.g. "Klaar: rapport.pdf staat op de USB-stick"."""
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def _pause_clicked(self) -> None:
        (self.resume_requested if self.paused else self.pause_requested).emit()

    def _change_volume(self, step: int) -> None:
        self.set_volume(self.volume + step)
        self.volume_changed.emit(self.volume)

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        # the word's own width is no minimum (a long word must never widen the window):
        # 1.6 controls wide; in portrait one control high, so eight rows fit 768x1024
        portrait = bool(self._arranged and self._arranged[0])
        for tile in self.buttons.values():
            tile.setMinimumSize(round(control * 1.6), control if portrait
                                else round(control * 1.25))
            side = round(control * 0.5)
            tile.setIconSize(QSize(side, side))
        self.back_button.setMinimumWidth(max(round(control * 3.5),
                                             self.back_button.sizeHint().width()))
        self.grid.setSpacing(round(control * 0.15))


