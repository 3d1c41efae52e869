"""Inspreken: staff record everything the kiosk says with their own voice, by touch.

The list shows every phrase (:func:`kiosk.speech.phrases.speakable_items` of the
content) with its state: eigen stem, computerstem, or verouderd (recorded for a
text that has since changed), and how many of each; "Nog niet ingesproken" shows
only those without a current recording. Tapping one opens it
(:class:`~kiosk.gui.staff.voice_phrase.PhrasePage`): its text big, Opnemen, Luister,
Bewaren, Opnieuw, Weggooien.

The recordings go to ``<data folder>/voice`` through the kiosk Speaker's own
:class:`~kiosk.speech.recordings.VoiceStore` (``shell.speaker.voice``), so the
running kiosk plays a recording from the moment it is saved and stops playing one
the moment it is thrown away: no restart. A kiosk without speech gets a store of
its own on the same folder; the next start reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.fit import PageStack
from kiosk.gui.staff.card_button import CardButton
from kiosk.gui.staff.voice_phrase import STATE_LINES, PhrasePage
from kiosk.gui.staff.voice_record import Listener
from kiosk.gui.staff.widgets import (
    ChoiceGroup,
    StaffScreen,
    set_text,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme
from kiosk.speech.phrases import COURSE_PREFIX, LIBRARY_KEY, PHRASES, UITLEG_PREFIX
from kiosk.speech.recordings import COMPUTER, OWN, STALE, Phrase, VoiceStore, voice_dir

if TYPE_CHECKING:
    from kiosk.speech.speaker import Speaker

ALL, TO_DO = "alle", "nog"
#: The filter's choices (value, word).
FILTERS = ((ALL, "Alle zinnen"), (TO_DO, "Nog niet ingesproken"))
NOTHING_TO_DO = "Alle zinnen hebben een eigen stem. Goed gedaan!"
#: The pictogram of each state in the list.
STATE_ICONS = {OWN: "microphone", COMPUTER: "speaker-high", STALE: "warning-circle"}


def kind_of(key: str, statements: set[str]) -> str:
    """What a phrase is, in a word or two, for the list."""
    if key in statements:
        return "Stelling"
    if key.startswith(COURSE_PREFIX):
        return "Cursus"
    if key.startswith(UITLEG_PREFIX):
        return "Uitleg"
    if key == LIBRARY_KEY:
        return "Bibliotheek"
    if key in PHRASES:
        return "Vaste zin"
    return "Zin"


def counts_line(counts: dict[str, int]) -> str:
    """"Eigen stem: 3 · Computerstem: 40 · Verouderd: 1"."""
    return " · ".join(f"{state.capitalize()}: {counts[state]}" for state in (OWN, COMPUTER,
                                                                               STALE))


class VoiceScreen(StaffScreen):
    """Inspreken (see the module).

    Args:
        executor: the staff worker (checking, saving and deleting recordings).
        data_dir: the data folder (recordings in its ``voice/``).
        speaker: the kiosk's Speaker now (None: the kiosk has no speech).
        items: every (key, text) the kiosk can say now.

    Signals:
        back_requested(): "Terug" on the list.
        shown(str): a page is shown ("list" or "phrase"); tests wait on it.
    """

    back_requested = Signal()
    shown = Signal(str)

    def __init__(self, theme: Theme, pictograms: Path, executor: Executor, data_dir: Path,
                 speaker: Callable[[], Speaker | None],
                 items: Callable[[], list[tuple[str, str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__("voice_screen", "Inspreken",
                         "Spreek de zinnen van de kiosk in met je eigen stem.", theme,
                         pictograms, parent)
        self.data_dir, self.items_of, self.speaker_of = Path(data_dir), items, speaker
        self._own_store: VoiceStore | None = None
        self.phrases: list[Phrase] = []
        self.kinds: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.rows: dict[str, CardButton] = {}
        self.filter = ALL
        self._icons: dict[str, QIcon] = {}
        self.listener = Listener(speaker(), self)

        # -- the list
        self.list_page = QWidget(objectName="voice_list")
        self.back_button = staff_button("Terug", "voice_back", "Terug naar het menu.", "quiet",
                                        self.icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.title = staff_label("staff_title", "Inspreken")
        self.subtitle = staff_label("staff_hint", "Tik op een zin en spreek hem in. De kiosk "
                                    "gebruikt dan jouw stem. Alleen jij wordt opgenomen, "
                                    "nooit een bezoeker.")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.counts_label = staff_label("staff_section")
        self.filters = ChoiceGroup("voice_filter", "Welke zinnen", 2)
        for value, word in FILTERS:
            self.filters.add(value, word, f"voice_filter_{value}", f"Toon: {word.lower()}.")
        self.filters.select(ALL)
        self.filters.chosen.connect(self.set_filter)
        self.rows_widget = QWidget(objectName="voice_rows")
        self.row_layout = QVBoxLayout(self.rows_widget)
        self.row_layout.setContentsMargins(0, 0, 0, 0)
        self.empty = staff_label("staff_text", NOTHING_TO_DO)
        self.row_layout.addWidget(self.empty)
        self.row_layout.addStretch(1)
        self.scroll = touch_scroll_area("voice_scroll", self.rows_widget,
                                        "Alle zinnen die de kiosk zegt.")
        box = QVBoxLayout(self.list_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(header)
        box.addWidget(self.counts_label)
        box.addWidget(self.filters)
        box.addWidget(self.scroll, 1)

        # -- one phrase
        self.phrase_page = PhrasePage(self, self.store, self.listener, executor)
        self.phrase_page.back.connect(self.show_list)
        self.phrase_page.changed.connect(self._changed)
        self.phrase_page.next_requested.connect(self._next)

        self.pages = PageStack()
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.phrase_page)
        layout = QVBoxLayout(self)
        layout.addLayout(self.pages)

    # -- the store -------------------------------------------------------------------

    def store(self) -> VoiceStore:
        """The kiosk Speaker's store when it keeps its recordings in this data folder
        (what is saved here plays at once), else one of this screen's own."""
        speaker = self.speaker_of()
        if speaker is not None and speaker.voice.folder == voice_dir(self.data_dir):
            return speaker.voice
        if self._own_store is None:
            self._own_store = VoiceStore.in_data(self.data_dir)
        return self._own_store

    # -- opening and the list ----------------------------------------------------------

    def open(self) -> None:
        """The list, from the content and the recordings as they are now, at its top."""
        self.listener.use(self.speaker_of())
        self.phrase_page.cancel()
        self.filters.select(self.filter)
        self._load()
        self.show_list()

    def _load(self) -> None:
        items = self.items_of()
        keys = {key for key, _text in items}
        statements = {key for key in keys if not (key in PHRASES or key == LIBRARY_KEY
                                                  or key.startswith(COURSE_PREFIX)
                                                  or key.startswith(UITLEG_PREFIX))}
        store = self.store()
        self.phrases = store.phrases(items)
        self.kinds = {p.key: kind_of(p.key, statements) for p in self.phrases}
        self.counts = store.counts(self.phrases)
        set_text(self.counts_label, counts_line(self.counts))
        to_do = self.counts[COMPUTER] + self.counts[STALE]
        set_text(self.filters.buttons[ALL], f"Alle zinnen ({len(self.phrases)})")
        set_text(self.filters.buttons[TO_DO], f"Nog niet ingesproken ({to_do})")
        self._fill()

    def _fill(self) -> None:
        for row in self.rows.values():
            row.hide()
            self.row_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        shown = self.shown_phrases()
        side = round(self._control * 0.55) if self._control else 32
        for index, phrase in enumerate(shown):
            row = CardButton(f"voice_row_{phrase.key}", phrase.text,
                             f"{self.kinds[phrase.key]} · {STATE_LINES[phrase.state]}",
                             self._state_icon(phrase.state))
            row.setAccessibleDescription(f"{self.kinds[phrase.key]}. "
                                         f"{STATE_LINES[phrase.state]}. Tik om in te spreken.")
            row.set_icon_side(side)
            if self._control:
                row.setMinimumHeight(round(self._control * 1.1))
            row.clicked.connect(lambda _=False, p=phrase: self.open_phrase(p))
            self.row_layout.insertWidget(index, row)
            self.rows[phrase.key] = row
        self.empty.setVisible(not shown)

    def _state_icon(self, state: str) -> QIcon:
        if state not in self._icons:
            self._icons[state] = self.icon(STATE_ICONS[state])
        return self._icons[state]

    def shown_phrases(self) -> list[Phrase]:
        """The phrases the list shows with the filter chosen."""
        if self.filter == TO_DO:
            return [p for p in self.phrases if p.state != OWN]
        return list(self.phrases)

    def set_filter(self, value: str) -> None:
        """"Alle zinnen" or "Nog niet ingesproken"; the list starts at its top again."""
        self.filter = value
        self.filters.select(value)
        self._fill()
        self.scroll.to_top()

    def show_list(self) -> None:
        self._load()
        self.pages.setCurrentWidget(self.list_page)
        self.scroll.to_top()
        self.shown.emit("list")

    def open_phrase(self, phrase: Phrase) -> None:
        """The page of ``phrase``, ready to record."""
        self.phrase_page.show_phrase(phrase, self.kinds.get(phrase.key, ""),
                                     self._after(phrase.key) is not None)
        self.pages.setCurrentWidget(self.phrase_page)
        self.shown.emit("phrase")

    def _after(self, key: str) -> Phrase | None:
        """The next phrase in the list without a current recording (after ``key``)."""
        keys = [p.key for p in self.phrases]
        start = keys.index(key) + 1 if key in keys else 0
        return next((p for p in self.phrases[start:] if p.state != OWN), None)

    def _next(self, key: str) -> None:
        following = self._after(key)
        if following is not None:
            self.open_phrase(following)

    def _changed(self) -> None:
        self._load()
        page = self.phrase_page
        if page.phrase is not None:
            page.has_next = self._after(page.phrase.key) is not None
            page.next_button.setVisible(page.has_next and page.state == "ready")

    # -- leaving -------------------------------------------------------------------------

    def _back(self) -> None:
        self.phrase_page.cancel()
        self.back_requested.emit()

    @property
    def busy(self) -> bool:  # type: ignore[override] - the page's work holds the lock
        return self.phrase_page.busy

    def timed_out(self) -> None:
        """Nobody touched the screen: stop playing; a take not saved is not kept."""
        super().timed_out()
        self.phrase_page.cancel()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.phrase_page.cancel()
        super().hideEvent(event)

    # -- size ----------------------------------------------------------------------------

    def fit_controls(self, control: int) -> None:
        super().fit_controls(control)
        side = round(control * 0.55)
        for row in self.rows.values():
            row.setMinimumHeight(round(control * 1.1))
            row.set_icon_side(side)
        self.row_layout.setSpacing(round(control * 0.15))
        self.filters.set_spacing(round(control * 0.15))
        self.phrase_page.fit_controls(control)
        self.back_button.setIconSize(QSize(round(control * 0.45), round(control * 0.45)))


def open_for(shell) -> None:
    """Show "Inspreken" on ``shell`` (built the first time, as a page of the shell)."""
    from kiosk.speech.phrases import speakable_items

    screen: VoiceScreen | None = getattr(shell, "voice_screen", None)
    if screen is None:
        screen = VoiceScreen(shell.theme, shell.pictograms, shell.staff_pool,
                             shell.settings_path.parent,
                             lambda: getattr(shell, "speaker", None),
                             lambda: speakable_items(shell.content))
        shell.voice_screen = screen
        shell._names[screen] = "voice"
        shell.stack.addWidget(screen)
        screen.back_requested.connect(shell.show_menu)
    screen.open()
    shell.stack.setCurrentWidget(screen)

