"""One phrase on the "Inspreken" screen: its text big, then Opnemen, Luister, Bewaren,
Opnieuw and Weggooien.

Opnemen counts down 3, 2, 1 and records (:class:`~kiosk.gui.staff.voice_record.Microphone`)
until staff tap Stop or the limit is reached; while it counts and records the page
says "Je neemt je eigen stem op." The take is checked and normalised on the staff
worker (nothing to hear: a Dutch reason, nothing kept), then "Luister" plays it as
it will be kept. "Bewaren" stores it through the kiosk's own
:class:`~kiosk.speech.recordings.VoiceStore` (the one the Speaker reads: the next
time the kiosk says this phrase it plays the recording), reads it back from disk
and only then says "Bewaard.". "Weggooien" asks first, then deletes and checks the
file is gone.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff.voice_record import LevelMeter, Listener, Microphone, prepare_take
from kiosk.gui.staff.widgets import at_least, set_text, staff_button, staff_label
from kiosk.speech.pcm import NotSound, Pcm, read_wav, write_wav
from kiosk.speech.recordings import (
    COMPUTER,
    MICROPHONE,
    OWN,
    STALE,
    Phrase,
    Recording,
    TooLong,
    VoiceStore,
)

if TYPE_CHECKING:
    from kiosk.gui.staff.widgets import StaffScreen

log = logging.getLogger(__name__)

RECORDING = "Je neemt je eigen stem op."
READY = "Tik op Opnemen. Na 3, 2, 1 zeg je de zin. Tik op Stop als je klaar bent."
CHECKING = "Even luisteren…"
TAKE = "Luister naar je opname. Is hij goed? Tik op Bewaren."
SAVING = "Bezig met bewaren…"
SAVED = "Bewaard. De kiosk zegt deze zin nu met jouw stem."
DELETED = "Weggegooid. De kiosk zegt deze zin weer met de computerstem."
NO_VOICE = "De computerstem staat uit op deze kiosk. Neem de zin op, dan hoor je jouw stem."
#: What each state means, on the phrase page and in the list.
STATE_LINES = {
    OWN: "Eigen stem",
    COMPUTER: "Computerstem: nog niet ingesproken",
    STALE: "Verouderd: de tekst is veranderd. Spreek hem opnieuw in.",
}


def save_checked(store: VoiceStore, key: str, text: str, take: Pcm) -> Recording:
    """Keep ``take`` as ``key``'s recording of ``text``, then read it back from disk
    (a store of its own: the index and the WAV file as the next start finds them).

    Raises:
        NotSound, TooLong: the take cannot be used. OSError: not written, or not read back.
    """
    saved = store.save(key, text, take, MICROPHONE)
    assert store.folder is not None
    found = VoiceStore(store.folder, use_bundled=False).recording(key)
    if found is None or not found.fits(text) or found.path != saved.path:
        raise OSError("de opname staat niet in de lijst van opnamen")
    clip = read_wav(found.path.read_bytes())
    if not clip.samples or abs(clip.seconds - saved.seconds) > 0.05:
        raise OSError("het bestand van de opname is niet heel")
    return saved


def delete_checked(store: VoiceStore, key: str) -> None:
    """Throw ``key``'s own recording away and check it is gone (OSError when not)."""
    recording = store.recording(key)
    store.delete(key)
    assert store.folder is not None
    if (recording is not None and recording.path.exists()) or (
            VoiceStore(store.folder, use_bundled=False).recording(key) is not None):
        raise OSError("de opname staat er nog")


class PhrasePage(QWidget):
    """The page of one phrase (see the module).

    Args:
        screen: the staff screen it lives on (pictograms, questions, ``busy``).
        store: the recordings (the kiosk Speaker's own store when it has one).
        listener: plays takes and phrases.
        executor: the staff worker (checking, saving and deleting run there).

    Signals:
        back(): "Naar de lijst".
        next_requested(str key): "Volgende zin" (the key of the phrase shown).
        changed(): a recording was saved or thrown away.
        state_changed(str): the page's state (ready, countdown, recording, checking, take,
            saving); tests wait on it.
    """

    back = Signal()
    next_requested = Signal(str)
    changed = Signal()
    state_changed = Signal(str)

    def __init__(self, screen: StaffScreen, store: Callable[[], VoiceStore], listener: Listener,
                 executor: Executor, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="voice_phrase")
        self.screen, self.store_of, self.listener = screen, store, listener
        self.executor = executor
        self.bridge = FutureBridge(self)
        self.phrase: Phrase | None = None
        self.kind = ""
        self.has_next = False
        self.state = "ready"
        self.take: Pcm | None = None
        self.take_file: Path | None = None
        self._takes = 0
        self._folder: Path | None = None  # the takes not saved yet (a private temp folder)
        #: Milliseconds per step of the 3-2-1 count (tests make it shorter).
        self.countdown_ms = 1000
        self._count = 0
        self._countdown = QTimer(self, interval=self.countdown_ms)
        self._countdown.timeout.connect(self._tick)
        self.mic = Microphone(self)
        self.mic.started.connect(self._recording)
        self.mic.level.connect(self._level)
        self.mic.finished.connect(self._recorded)
        self.mic.failed.connect(self._mic_failed)
        icon = screen.icon

        self.back_button = staff_button("Naar de lijst", "voice_to_list",
                                        "Terug naar alle zinnen.", "quiet", icon("arrow-left"))
        self.back_button.clicked.connect(self._back)
        self.state_line = staff_label("staff_section")
        self.next_button = staff_button("Volgende zin", "voice_next",
                                        "De volgende zin die nog niet is ingesproken.", "quiet",
                                        icon("arrow-right"))
        self.next_button.clicked.connect(self._next)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.state_line, 1)
        top.addWidget(self.next_button)

        self.text = staff_label("voice_text")
        self.card = QWidget(objectName="staff_card")  # the phrase, as on a kiosk card
        self.card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        QVBoxLayout(self.card).addWidget(self.text)
        self.countdown_label = staff_label("voice_countdown", align=Qt.AlignmentFlag.AlignCenter)
        self.privacy = staff_label("voice_privacy", RECORDING, align=Qt.AlignmentFlag.AlignCenter)
        self.meter = LevelMeter(screen.theme.colors)
        self.time_left = staff_label("staff_text", align=Qt.AlignmentFlag.AlignCenter)
        self.hint = staff_label("staff_text")
        self.problem = staff_label("staff_message")

        self.record_button = staff_button("Opnemen", "voice_record", "Neem de zin op met je "
                                          "eigen stem. Eerst telt de kiosk af: 3, 2, 1.",
                                          "accent", icon("microphone", "on_dark"))
        self.stop_button = staff_button("Stop", "voice_stop", "Stop de opname.", "accent",
                                        icon("stop", "on_dark"))
        self.listen_button = staff_button("Luister", "voice_listen",
                                          "Hoor hoe de kiosk deze zin zegt.", "quiet",
                                          icon("speaker-high"))
        self.save_button = staff_button("Bewaren", "voice_save", "Bewaar deze opname. De kiosk "
                                        "zegt de zin daarna met jouw stem.", "accent",
                                        icon("check", "on_dark"))
        self.again_button = staff_button("Opnieuw", "voice_again", "Neem de zin nog een keer "
                                         "op.", "quiet", icon("arrows-clockwise"))
        self.delete_button = staff_button("Weggooien", "voice_delete", "Gooi je opname weg. De "
                                          "kiosk gebruikt dan weer de computerstem.", "quiet",
                                          icon("trash"))
        self.record_button.clicked.connect(self.record)
        self.stop_button.clicked.connect(self.stop)
        self.listen_button.clicked.connect(self.listen)
        self.save_button.clicked.connect(self.save)
        self.again_button.clicked.connect(self.record)
        self.delete_button.clicked.connect(self.ask_delete)
        self.buttons = QHBoxLayout()
        for button in (self.record_button, self.stop_button, self.listen_button,
                       self.save_button, self.again_button, self.delete_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addStretch(1)
        layout.addWidget(self.countdown_label)
        layout.addWidget(self.privacy)
        layout.addWidget(self.meter)
        layout.addWidget(self.time_left)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addLayout(self.buttons)
        self._show_state("ready")

    # -- showing a phrase ----------------------------------------------------------

    def show_phrase(self, phrase: Phrase, kind: str, has_next: bool) -> None:
        """Show ``phrase`` (its state as the store has it now), ready to record."""
        self._cancel()
        self.phrase = self.store_of().phrase(phrase.key, phrase.text)
        self.kind, self.has_next = kind, has_next
        set_text(self.text, phrase.text)
        self.text.setAccessibleDescription(f"De zin die je inspreekt ({kind}).")
        self._drop_take()
        self.say(READY)
        self._show_state("ready")

    def _refresh_phrase(self) -> None:
        if self.phrase is not None:
            self.phrase = self.store_of().phrase(self.phrase.key, self.phrase.text)

    # -- recording -------------------------------------------------------------------

    def record(self) -> None:
        """"Opnemen" (and "Opnieuw"): count 3, 2, 1, then record."""
        if self.phrase is None or self.state not in ("ready", "take"):
            return
        self.listener.stop()
        if self.listener.speaker is not None:
            self.listener.speaker.stop()  # the kiosk says nothing into the microphone
        self._drop_take()
        self._count = 3
        set_text(self.countdown_label, str(self._count))
        self.say("")
        self._show_state("countdown")
        self._countdown.setInterval(self.countdown_ms)
        self._countdown.start()

    def _tick(self) -> None:
        self._count -= 1
        if self._count > 0:
            set_text(self.countdown_label, str(self._count))
            return
        self._countdown.stop()
        if not self.mic.start():  # ``failed`` has said why
            return

    def _recording(self) -> None:
        self.meter.reset()
        self._show_seconds()
        self._show_state("recording")

    def _level(self, level: float) -> None:
        self.meter.set_level(level)
        self._show_seconds()

    def _show_seconds(self) -> None:
        left = max(0, round(self.mic.limit_seconds - self.mic.seconds))
        set_text(self.time_left, f"Nog {left} seconden")

    def stop(self) -> None:
        """"Stop": during the count nothing is recorded; while recording the take is kept."""
        if self.state == "countdown":
            self._countdown.stop()
            self.say(READY)
            self._show_state("ready")
        elif self.state == "recording":
            self.mic.stop()

    def _recorded(self, pcm: Pcm) -> None:
        self._show_state("checking")
        self.say(CHECKING)
        self._takes += 1
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="kiosk-inspreken-"))
        path = self._folder / f"opname-{self._takes}.wav"

        def check() -> Pcm:
            clip = prepare_take(pcm)  # NotSound: nothing to hear
            write_wav(path, clip)
            return clip

        self.bridge.watch(self.executor.submit(check),
                          lambda _clip: self._take_ready(pcm, path), self._take_refused)

    def _take_ready(self, pcm: Pcm, path: Path) -> None:
        if self.state != "checking":  # the page was left meanwhile
            path.unlink(missing_ok=True)
            return
        self.take, self.take_file = pcm, path
        self.say(TAKE)
        self._show_state("take")

    def _take_refused(self, error: BaseException) -> None:
        if self.state != "checking":
            return
        if not isinstance(error, NotSound):
            log.warning("checking a take failed: %s: %s", type(error).__name__, error)
        self.say(str(error) if isinstance(error, NotSound) else
                 "De opname lukte niet. Probeer het opnieuw.", problem=True)
        self._show_state("ready")

    def _mic_failed(self, message: str) -> None:
        self.say(message, problem=True)
        self._show_state("ready")

    # -- listening, saving, deleting ---------------------------------------------------

    def listen(self) -> None:
        """"Luister": the take when there is one, else what the kiosk says for this phrase."""
        if self.phrase is None:
            return
        key, text = self.phrase.key, self.phrase.text
        if self.state == "take" and self.take_file is not None:
            self.listener.play_file(key, self.take_file)
            return
        current = self.store_of().current(key, text)
        if self.listener.speaker is not None and (current is not None or self.listener.has_voice):
            self.listener.say(key, text)
        elif current is not None:
            self.listener.play_file(key, current)
        else:
            self.say(NO_VOICE, problem=True)

    def save(self) -> None:
        """"Bewaren": store the take, read it back, then say so."""
        if self.state != "take" or self.take is None or self.phrase is None:
            return
        self.listener.stop()
        store, key, text, take = self.store_of(), self.phrase.key, self.phrase.text, self.take
        self.say(SAVING)
        self._show_state("saving")
        self.bridge.watch(self.executor.submit(save_checked, store, key, text, take),
                          self._saved, self._save_failed)

    def _saved(self, recording: Recording) -> None:
        self._drop_take()
        self._refresh_phrase()
        played = self.store_of().current(recording.key, self.phrase.text)
        if played != recording.path:  # the kiosk would not play it: do not claim it does
            self._save_failed(OSError("de kiosk vindt de opname niet"))
            return
        log.info("own voice recorded for %s (%.1f s)", recording.key, recording.seconds)
        self.say(SAVED)
        self._show_state("ready")
        self.changed.emit()

    def _save_failed(self, error: BaseException) -> None:
        if isinstance(error, NotSound | TooLong):
            text = f"Niet bewaard: {error}."
        else:
            log.warning("saving a recording failed: %s: %s", type(error).__name__, error)
            text = f"Bewaren lukte niet ({error}). Probeer het opnieuw."
        self._refresh_phrase()
        self.say(text, problem=True)
        self._show_state("take" if self.take is not None else "ready")

    def ask_delete(self) -> None:
        """"Weggooien": a question first."""
        if self.state != "ready" or self.phrase is None or self.phrase.recording is None:
            return
        self.screen.ask("voice_delete_question", "Opname weggooien?",
                        "De kiosk zegt deze zin daarna weer met de computerstem.",
                        [("yes", "Ja, weggooien", "accent", "trash"),
                         ("no", "Nee, bewaren", "quiet", "arrow-left")],
                        lambda key: self._delete() if key == "yes" else None)

    def _delete(self) -> None:
        if self.phrase is None:
            return
        self.listener.stop()
        store, key = self.store_of(), self.phrase.key
        self._show_state("saving")
        self.bridge.watch(self.executor.submit(delete_checked, store, key),
                          self._deleted, self._delete_failed)

    def _deleted(self, _none: None) -> None:
        self._refresh_phrase()
        self.say(DELETED)
        self._show_state("ready")
        self.changed.emit()

    def _delete_failed(self, error: BaseException) -> None:
        log.warning("deleting a recording failed: %s: %s", type(error).__name__, error)
        self._refresh_phrase()
        self.say(f"Weggooien lukte niet ({error}). Probeer het opnieuw.", problem=True)
        self._show_state("ready")

    # -- leaving -----------------------------------------------------------------------

    def _back(self) -> None:
        if self.state == "take":
            self.screen.ask("voice_unsaved", "Je opname is niet bewaard",
                            "Wil je hem bewaren?",
                            [("save", "Bewaren", "accent", "check"),
                             ("leave", "Niet bewaren", "quiet", "trash")],
                            lambda key: self.save() if key == "save" else self._leave())
            return
        if self.state in ("ready", "countdown", "recording"):
            self._leave()

    def _leave(self) -> None:
        self.cancel()  # the takes not kept leave the disk too
        self.back.emit()

    def _next(self) -> None:
        if self.phrase is not None and self.state == "ready":
            self.next_requested.emit(self.phrase.key)

    def cancel(self) -> None:
        """Stop counting, recording and playing; a take not saved is thrown away."""
        self._cancel()
        if self._folder is not None and not self.busy:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _cancel(self) -> None:
        self._countdown.stop()
        self.mic.cancel()
        self.listener.stop()
        self._drop_take()
        if self.state != "ready":
            self._show_state("ready")

    def _drop_take(self) -> None:
        if self.take_file is not None:
            self.take_file.unlink(missing_ok=True)
        self.take, self.take_file = None, None

    # -- how it looks ----------------------------------------------------------------------

    def say(self, text: str, problem: bool = False) -> None:
        """The line under the text: how it went (or what to do), or a problem (red)."""
        set_text(self.problem, text if problem else "")
        set_text(self.hint, "" if problem else text)
        self.problem.setVisible(problem and bool(text))
        self.hint.setVisible(not problem and bool(text))

    @property
    def busy(self) -> bool:
        """Counting, recording, checking or saving: the kiosk does not lock meanwhile."""
        return self.state in ("countdown", "recording", "checking", "saving")

    def _show_state(self, state: str) -> None:
        self.state = state
        phrase = self.phrase
        recorded = phrase is not None and phrase.recording is not None and not phrase.bundled
        shown = {
            self.record_button: state == "ready",
            self.stop_button: state in ("countdown", "recording"),
            self.listen_button: state in ("ready", "take"),
            self.save_button: state == "take",
            self.again_button: state == "take",
            self.delete_button: state == "ready" and recorded,
        }
        # hide first: four buttons side by side for a moment would widen a portrait window
        for button, visible in sorted(shown.items(), key=lambda item: item[1]):
            button.setVisible(visible)
        self.countdown_label.setVisible(state == "countdown")
        self.privacy.setVisible(state in ("countdown", "recording"))
        self.meter.setVisible(state == "recording")
        self.time_left.setVisible(state == "recording")
        self.back_button.setEnabled(state in ("ready", "take", "countdown", "recording"))
        self.next_button.setVisible(self.has_next and state == "ready")
        if phrase is not None:
            line = STATE_LINES[phrase.state]
            set_text(self.state_line, f"{self.kind} · {line}" if self.kind else line)
        self.listen_button.setAccessibleDescription(
            "Hoor je opname." if state == "take" else "Hoor hoe de kiosk deze zin zegt.")
        self.state_changed.emit(state)

    def fit_controls(self, control: int) -> None:
        side = round(control * 0.45)
        for button in (self.record_button, self.stop_button, self.listen_button,
                       self.save_button, self.again_button, self.delete_button,
                       self.back_button, self.next_button):
            button.setIconSize(QSize(side, side))
            button.setMinimumHeight(round(control * 1.1))
            at_least(button, round(control * 2))
        self.meter.setFixedHeight(round(control * 0.6))
        margin = round(control * 0.3)
        self.card.layout().setContentsMargins(margin, margin, margin, margin)
        self.buttons.setSpacing(round(control * 0.2))
