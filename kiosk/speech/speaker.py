"""The Speaker: the one object the GUI talks to for speech. It never blocks.

``say(key, text)`` plays, for the phrase ``key``: the library's own recording
when it was made for this very ``text`` (:class:`~kiosk.speech.recordings.VoiceStore`;
a stale one is never played), else the pre-rendered computer voice (the cached
WAV of ``text``), else it asks the worker to synthesize it first (at the front
of the queue) and plays it when it is ready, unless another ``say`` or a
``stop`` came in meanwhile. ``say_all(items)`` reads several items one after
another (the end screen, top to bottom); a ``say`` or ``stop`` drops the rest.
One ``QMediaPlayer`` plays everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

from kiosk.speech.cache import SpeechCache
from kiosk.speech.playback import Playback
from kiosk.speech.pronounce import BUILT_IN, spoken
from kiosk.speech.recordings import COMPUTER, OWN, VoiceStore
from kiosk.speech.synth import Engine, Synthesizer, preload
from kiosk.speech.worker import HANG_LIMIT, SpeechWorker

log = logging.getLogger(__name__)

EngineFactory = Callable[[str], Engine]
PlayerFactory = Callable[[QObject], QMediaPlayer]


def default_player(parent: QObject) -> QMediaPlayer:
    """A media player with an audio output (with no sound card it plays silently, in time)."""
    player = QMediaPlayer(parent)
    player.setAudioOutput(QAudioOutput(player))
    return player


class Speaker(QObject):
    """Says statements and phrases: the library's own recordings first, else synthesized speech.

    Args:
        language: the content's language; the engine picks a voice for it.
        voice: the recordings (``VoiceStore.in_data(data folder)``); default: only the
            bundled ones. Shared with the screen that records them: a recording saved
            there is played from the next ``say`` on.
        cache_dir: the folder of synthesized WAV files (default: ``<cache folder>/speech``).
        engine_factory: makes the engine from the language, on the worker thread
            (default: :class:`~kiosk.speech.synth.Synthesizer`).
        player_factory: makes the one ``QMediaPlayer`` (with an audio output).
        hang_limit: seconds a synthesis may take before the worker is restarted.
        pronunciations: the content's pronunciation list (written -> spoken, from
            ``uitspraak.toml``), applied to every text before synthesis; default: "&" -> "en".

    Signals:
        requested(str key): ``say(key, ...)`` was called (emitted first, even without sound).
        started(str key): playback of ``key`` began.
        finished(str key): playback of ``key`` ended: at its end, stopped, or failed.
        progress(int done, int total): ``prepare`` has rendered ``done`` of ``total`` items.
        unavailable(str message): speech synthesis does not work here (message for staff);
            recordings still play.
    """

    requested = Signal(str)
    started = Signal(str)
    finished = Signal(str)
    progress = Signal(int, int)
    unavailable = Signal(str)

    def __init__(
        self,
        language: str = "nl",
        voice: VoiceStore | None = None,
        cache_dir: Path | None = None,
        engine_factory: EngineFactory | None = None,
        player_factory: PlayerFactory | None = None,
        hang_limit: float = HANG_LIMIT,
        pronunciations: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.language = language
        self.pronunciations = dict(BUILT_IN if pronunciations is None else pronunciations)
        self.voice = voice if voice is not None else VoiceStore(None)
        self._ready: dict[str, Path] = {}  # text -> rendered WAV
        self._pending: tuple[str, str] | None = None  # (key, text) to play once rendered
        self._queue: list[tuple[str, str]] = []  # what say_all still has to read, in order
        self._prepare_left: set[str] = set()
        self._prepare_total = 0
        self._volume = 1.0

        # The player first, then the engine's modules, then the worker thread:
        # nothing loads a shared library on the worker thread (see synth.preload).
        self.player = (player_factory or default_player)(self)
        if self.player.audioOutput() is None:
            self.player.setAudioOutput(QAudioOutput(self.player))
        self._playback = Playback(self.player, self)
        self._playback.started.connect(self.started)
        self._playback.ended.connect(self.finished)
        self._playback.ended.connect(self._next_in_queue)

        preload()
        make_engine = engine_factory or Synthesizer
        self.worker = SpeechWorker(
            lambda: make_engine(language), SpeechCache(cache_dir), hang_limit, parent=self
        )
        self.worker.rendered.connect(self._on_rendered)
        self.worker.failed.connect(self._on_failed)
        self.worker.unavailable.connect(self._on_unavailable)
        self.worker.restarted.connect(lambda message: log.warning("speech: %s", message))

    # -- what the GUI calls ----------------------------------------------------------

    @property
    def available(self) -> bool:
        """True while speech synthesis works (recordings play either way)."""
        return self.worker.available

    @property
    def problem(self) -> str:
        """Why synthesis does not work, for staff; "" while it works."""
        return self.worker.problem

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def playing(self) -> str | None:
        """The key being played (or about to start), else None."""
        return self._playback.key

    def recording_for(self, key: str, text: str) -> Path | None:
        """The recording ``say(key, text)`` would play, or None (the computer voice speaks)."""
        return self.voice.current(key, text)

    def source(self, key: str, text: str) -> str:
        """What ``say(key, text)`` plays: "eigen stem" or "computerstem"."""
        return OWN if self.recording_for(key, text) is not None else COMPUTER

    def play_file(self, key: str, path: Path) -> None:
        """Stop what plays, then play the WAV ``path`` as ``key`` (a take being recorded)."""
        self.stop()
        self.requested.emit(key)
        self._playback.play(key, Path(path))

    def set_volume(self, volume: float) -> None:
        """Playback volume from 0.0 (silent) to 1.0 (full)."""
        self._volume = min(1.0, max(0.0, float(volume)))
        self.player.audioOutput().setVolume(self._volume)

    @property
    def busy(self) -> bool:
        """True while something plays or waits for its synthesis."""
        return self._playback.key is not None or self._pending is not None

    @property
    def queue(self) -> list[str]:
        """The keys ``say_all`` will still read after the current one, in order."""
        return [key for key, _ in self._queue]

    @Slot(str, str)
    def say(self, key: str, text: str) -> None:
        """Stop what plays, then play ``key``'s clip or ``text`` (now, or once synthesized)."""
        self.stop()
        self._start(key, text)

    def say_all(self, items: Iterable[tuple[str, str]]) -> None:
        """Stop what plays, then read every (key, text) in turn, each after the last ends.

        An item that cannot be played (no clip, no voice, synthesis failed) is
        skipped. A later ``say``, ``say_all`` or ``stop`` drops what is left.
        """
        self.stop()
        self._queue = list(items)
        self._next_in_queue()

    def _start(self, key: str, text: str) -> bool:
        """Play ``key`` now or once rendered; False when there is nothing to play."""
        self.requested.emit(key)
        clip = self.voice.current(key, text)
        text = spoken(text, self.pronunciations)
        if clip is not None:
            self._playback.play(key, clip)
        elif text in self._ready:
            self._playback.play(key, self._ready[text])
        elif text.strip() and self.worker.available:
            self._pending = (key, text)
            self.worker.request(text, urgent=True)
        else:
            return False
        return True

    def _next_in_queue(self, _ended: str = "") -> None:
        while self._queue and self._playback.key is None and self._pending is None:
            if self._start(*self._queue.pop(0)):
                return

    @Slot()
    def stop(self) -> None:
        """Stop playback; forget a ``say`` waiting for synthesis and what ``say_all`` had left."""
        self._pending = None
        self._queue = []
        key = self._playback.stop()
        if key is not None:
            self.finished.emit(key)

    def prepare(self, items: Iterable[tuple[str, str]]) -> None:
        """Render every (key, text) in the background; recordings and cache hits need no synthesis.

        Emits ``progress(done, total)`` now and after each item, ending with
        ``(total, total)``. A new call replaces the count of an earlier one.
        """
        items = list(items)
        clips = {key.lower() for key, text in items if self.voice.current(key, text)}
        texts = list(dict.fromkeys(
            spoken(text, self.pronunciations) for key, text in items
            if key.lower() not in clips and text.strip()
        ))
        todo = [text for text in texts if text not in self._ready] if self.available else []
        self._prepare_total = len(clips) + len(texts)
        self._prepare_left = set(todo)
        self._emit_progress()
        for text in todo:
            self.worker.request(text)

    def shutdown(self) -> None:
        """Stop playback and the worker; call before the application quits.

        The worker thread ends after its current job (never waited for). The
        player is stopped and unloaded through the event loop (at most about
        2 s, normally a few milliseconds), so it can be deleted safely.
        """
        self._pending = None
        self._queue = []
        self.worker.shutdown()
        key = self._playback.key
        self._playback.drain()
        if key is not None:
            self.finished.emit(key)

    # -- internals -------------------------------------------------------------------

    def _emit_progress(self) -> None:
        total = self._prepare_total
        self.progress.emit(total - len(self._prepare_left), total)

    def _done_preparing(self, text: str) -> None:
        if text in self._prepare_left:
            self._prepare_left.discard(text)
            self._emit_progress()

    @Slot(str, str, bool)
    def _on_rendered(self, text: str, path: str, synthesised: bool) -> None:
        self._ready[text] = Path(path)
        if self._pending is not None and self._pending[1] == text:
            key, self._pending = self._pending[0], None
            self._playback.play(key, Path(path))
        self._done_preparing(text)

    @Slot(str, str)
    def _on_failed(self, text: str, message: str) -> None:
        log.warning("speech: could not render %r: %s", text, message)
        if self._pending is not None and self._pending[1] == text:
            self._pending = None
            self._next_in_queue()
        self._done_preparing(text)

    @Slot(str)
    def _on_unavailable(self, message: str) -> None:
        log.warning("speech unavailable: %s", message)
        self.unavailable.emit(message)
