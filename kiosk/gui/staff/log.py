"""Staff log what they hear at the stand: a conversation held, a signal for the municipality.

Both screens are one or two taps: "Gesprek" then "Opslaan" (topic and referral
are optional), "Signaal" then the signal's own button. "Anders" takes a short
free text, typed on the on-screen keyboard under the warning "Geen namen of
andere persoonsgegevens"; it is checked before it is stored (see
:mod:`kiosk.core.freetext`) and never shown to passers-by.

The screens only present and forward: the shell stores what they emit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.freetext import clean_free_text, free_text_problem
from kiosk.core.model import FREE_TEXT_MAX, OTHER_SIGNAL, Content, StatementSet
from kiosk.gui.keyboard import TextEntry
from kiosk.gui.staff.widgets import (
    ChoiceGroup,
    StaffScreen,
    set_text,
    slug,
    staff_button,
    staff_label,
    touch_scroll_area,
)
from kiosk.gui.theme import Theme

#: The warning above every free text.
NO_NAMES = "Geen namen of andere persoonsgegevens."
#: On the list of signals while an "Anders" text waits.
DRAFT_KEPT = "Je tekst bij Anders is nog niet opgeslagen. Tik op Anders om verder te gaan."
NOBODY = "Niemand"
NO_TOPIC = "Geen of ander onderwerp"


class ConversationScreen(StaffScreen):
    """"Gesprek gevoerd": +1, with an optional topic (a theme of the set) and referral.

    Signals:
        logged(str, str, str): topic (theme id or ""), referral kind ("", "course",
            "partner") and referral id ("" for none).
        back(): "Terug" was tapped (nothing stored).
    """

    logged = Signal(str, str, str)
    back = Signal()

    def __init__(self, content: Content, statement_set: StatementSet, theme: Theme,
                 pictograms: Path, parent: QWidget | None = None) -> None:
        super().__init__("conversation_screen", "Gesprek gevoerd",
                         "Tel een gesprek bij de stand, met onderwerp en doorverwijzing.",
                         theme, pictograms, parent)
        self.content = content
        self.back_button = staff_button("Terug", "conversation_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self.back)
        self.save_button = staff_button("Opslaan", "conversation_save",
                                        "Tel één gesprek erbij.", "accent",
                                        self.icon("check", "on_dark"))
        self.save_button.clicked.connect(self._save)

        self.topics = ChoiceGroup("conversation_topics", "Waar ging het gesprek over?", 3)
        self.set_topics(statement_set)
        self.referrals = ChoiceGroup("conversation_referrals", "Naar wie verwezen?", 3)
        self.referrals.add("", NOBODY, "referral_none", "Niet doorverwezen.")
        for course in content.courses.values():
            self.referrals.add(f"course:{course.id}", course.name,
                               f"referral_course_{slug(course.id)}",
                               f"Verwezen naar de cursus {course.name}.")
        for partner in content.partners.values():
            self.referrals.add(f"partner:{partner.id}", partner.name,
                               f"referral_partner_{slug(partner.id)}",
                               f"Verwezen naar {partner.name}: {partner.line}")

        form = QWidget(objectName="conversation_form")
        column = QVBoxLayout(form)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(staff_label("staff_section", "Waar ging het over? (mag leeg)"))
        column.addWidget(self.topics)
        column.addWidget(staff_label("staff_section", "Naar wie verwezen? (mag leeg)"))
        column.addWidget(self.referrals)
        column.addStretch(1)
        self.scroll = touch_scroll_area("conversation_scroll", form,
                                        "Onderwerp en doorverwijzing van het gesprek.")
        self.message = staff_label("staff_hint")

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(staff_label("staff_title", "Gesprek gevoerd"), 1)
        footer = QHBoxLayout()
        footer.addWidget(self.message, 2)
        footer.addWidget(self.save_button, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(footer)
        self.reset()

    def set_topics(self, statement_set: StatementSet) -> None:
        """The topics to choose from: the themes of the session's statement set."""
        self.topics.clear()
        self.topics.add("", NO_TOPIC, "topic_none", "Geen onderwerp kiezen.")
        themes = list(dict.fromkeys(s.theme for s in statement_set.statements))
        ordered = [t for t in self.content.themes if t in themes] + \
            [t for t in themes if t not in self.content.themes]
        for theme_id in ordered:
            name = self.content.themes.get(theme_id, theme_id)
            self.topics.add(theme_id, name, f"topic_{slug(theme_id)}", f"Onderwerp: {name}.")
        self.topics.select("")

    def reset(self, note: str = "") -> None:
        """Fresh choices for the next conversation; ``note`` says what was stored."""
        self.topics.select("")
        self.referrals.select("")
        self.message.setText(note)
        self.message.setAccessibleName(note)

    def choice(self) -> tuple[str, str, str]:
        """(topic, referral kind, referral id) as chosen on screen."""
        topic = self.topics.value() or ""
        referral = self.referrals.value() or ""
        kind, _, target = referral.partition(":")
        return topic, kind, target

    def _save(self) -> None:
        self.logged.emit(*self.choice())


class SignalScreen(StaffScreen):
    """A signal for the municipality: one tap on its button; "Anders" takes a short text.

    "Anders…" opens the on-screen keyboard (:class:`~kiosk.gui.keyboard.TextEntry`)
    under the warning :data:`NO_NAMES`; "Klaar" stores the text once it passes
    :func:`~kiosk.core.freetext.free_text_problem`, else the keyboard stays with the
    reason. A text not stored (Terug, or the staff time-out) is kept as a draft for
    the next "Anders…", and the list says so: nothing typed is lost silently.

    Signals:
        logged(str, str): the signal kind (an id of signals.toml, or "anders") and the
            free text ("" but for "anders", where it is cleaned and checked).
        back(): "Terug" was tapped.
    """

    logged = Signal(str, str)
    back = Signal()

    def __init__(self, content: Content, theme: Theme, pictograms: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__("signal_screen", "Signaal noteren",
                         "Noteer wat je hoort, voor het verslag aan de gemeente.",
                         theme, pictograms, parent)
        #: The "Anders" text typed and not stored yet.
        self.draft = ""
        self.buttons = {}
        grid_widget = QWidget(objectName="signal_list")
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        kinds = [(s.id, s.name, f"Noteer: {s.name}.") for s in content.signals.values()]
        kinds.append((OTHER_SIGNAL, "Anders…", "Typ zelf een kort signaal."))
        for kind, name, description in kinds:
            widget = staff_button(name, f"signal_{slug(kind)}", description, "choice")
            widget.clicked.connect(lambda _=False, k=kind: self._tapped(k))
            self.buttons[kind] = widget
        self._grid, self._columns = grid, 0
        self._place(2)
        self.list_scroll = touch_scroll_area("signal_scroll", grid_widget, "De signalen.")
        self.back_button = staff_button("Terug", "signal_back", "Terug naar het menu.",
                                        "quiet", self.icon("arrow-left"))
        self.back_button.clicked.connect(self.back)
        self.message = staff_label("staff_hint")
        self.entry = TextEntry(theme, pictograms, self)
        self.entry.hide()
        self.entry.text_changed.connect(self._typed)
        self.entry.done.connect(self._save_text)
        self.entry.cancelled.connect(self._kept)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(staff_label("staff_title", "Signaal: wat hoorde je?"), 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.list_scroll, 1)

    def _place(self, columns: int) -> None:
        """The signals in ``columns`` columns (two; one when a word would not fit)."""
        if columns == self._columns:
            return
        self._columns = columns
        for widget in self.buttons.values():
            self._grid.removeWidget(widget)
        for index, widget in enumerate(self.buttons.values()):
            self._grid.addWidget(widget, index // columns, index % columns)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # the list's width: the screen's less its margins and the scroll bar
        margins = self.layout().contentsMargins()
        room = (self.width() - margins.left() - margins.right()
                - self.list_scroll.verticalScrollBar().sizeHint().width())
        widest = max(b.sizeHint().width() for b in self.buttons.values())
        self._place(2 if 2 * widest + self._grid.spacing() <= room else 1)

    @property
    def writing(self) -> bool:
        """True while the keyboard for "Anders" is open."""
        return self.entry.isVisible()

    def reset(self, note: str = "") -> None:
        """The list of signals; ``note`` says what was stored. A draft is kept."""
        self.entry.hide()
        if not note and self.draft:
            note = DRAFT_KEPT
        set_text(self.message, note)

    def timed_out(self) -> None:
        super().timed_out()
        self.reset()  # the draft stays, and the list says so next time

    def _tapped(self, kind: str) -> None:
        if kind == OTHER_SIGNAL:
            self.open_text()
        else:
            self.logged.emit(kind, "")

    def open_text(self, problem: str = "") -> None:
        """The keyboard for an "Anders" signal, with the draft (and why it was refused)."""
        warning = f"{problem} {NO_NAMES}" if problem else NO_NAMES
        self.entry.open("Ander signaal", "Wat hoorde je? Kort, zonder namen. Tik dan op Klaar.",
                        self.draft, FREE_TEXT_MAX, warning=warning)

    def _typed(self, text: str) -> None:
        self.draft = text

    def _kept(self) -> None:
        self.reset()

    def _save_text(self, text: str) -> None:
        self.draft = text
        problem = free_text_problem(text)
        if problem:
            self.open_text(problem)
            return
        self.draft = ""
        self.logged.emit(OTHER_SIGNAL, clean_free_text(text))
