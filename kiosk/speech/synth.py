"""Text-to-speech to WAV files with pyttsx3 (espeak-ng on Linux, SAPI 5, NSSpeech).

A :class:`Synthesizer` belongs to the thread that created it: pyttsx3 engines
are not thread-safe. Run it on one dedicated worker thread, never on the GUI
thread (a synthesis blocks for tens to hundreds of milliseconds).

Anything with the attributes of :class:`Engine` can stand in for it (tests pass
engines that hang or fail).
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any, Protocol

from kiosk.speech.voices import Voice, no_voice_message, pick_voice

__all__ = ["Engine", "SpeechError", "Synthesizer", "Voice", "list_voices"]

#: Every pyttsx3 engine made in this process, kept alive on purpose: espeak-ng is
#: one library per process, and when any espeak engine is destroyed pyttsx3
#: clears the process-wide synthesis callback, which silences the live one.
_ENGINES: list[Any] = []
#: One synthesis at a time per process (espeak-ng has one synthesis callback).
_SYNTH_LOCK = threading.Lock()


class SpeechError(Exception):
    """Speech is not available or failed; the message says what to do."""


class Engine(Protocol):
    """What the speech worker needs of an engine (a :class:`Synthesizer`, or a fake)."""

    voice: Voice
    rate: int
    name: str

    def to_file(self, text: str, path: Path) -> Path: ...


def _quiet_espeak_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." on every save, from espeak's thread.

    Replacing ``print`` in that one module keeps stdout clean without
    redirecting ``sys.stdout`` (which is process-wide and not thread-safe).
    """
    import pyttsx3.drivers.espeak as espeak_driver

    espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]


def _new_engine() -> Any:
    """A fresh pyttsx3 engine.

    Not ``pyttsx3.init()``'s shared one: after a watchdog restart the abandoned
    thread may still be inside the old engine.

    Raises:
        SpeechError: when there is no speech engine.
    """
    try:
        from pyttsx3.engine import Engine as Pyttsx3Engine

        engine = Pyttsx3Engine()
    except Exception as exc:  # pyttsx3 raises RuntimeError/OSError/ImportError variants
        raise SpeechError(
            f"Geen spraakprogramma gevonden ({exc}). Linux: sudo apt-get install espeak-ng"
        ) from exc
    _ENGINES.append(engine)
    if engine.driver_name == "espeak":
        _quiet_espeak_driver()
    return engine


def preload() -> None:
    """Import the platform's pyttsx3 driver (and load its library) on the calling thread.

    Call it on the GUI thread before the worker thread starts. A thread that
    loads a shared library holds the GIL while it waits for the dynamic
    loader's lock; Qt holds that lock while it loads its multimedia plugins and
    may call a Python message handler meanwhile, which needs the GIL: a
    deadlock, seen in tests. Once everything is loaded, the worker loads nothing.
    Failures are left for the worker to report.
    """
    try:
        from pyttsx3.engine import default_engine_by_sys_platform

        importlib.import_module(f"pyttsx3.drivers.{default_engine_by_sys_platform()}")
    except Exception:  # the worker reports it when it makes the engine
        pass


def _voices_of(engine: Any) -> list[Voice]:
    return [
        Voice(str(v.id), str(v.name or v.id), tuple(str(lang) for lang in (v.languages or ())))
        for v in engine.getProperty("voices")
    ]


def list_voices() -> list[Voice]:
    """Every voice this machine's speech engine offers.

    Raises:
        SpeechError: when there is no speech engine.
    """
    return _voices_of(_new_engine())


class Synthesizer:
    """Writes speech to WAV files in one language.

    Attributes:
        voice: the chosen voice.
        rate: speaking rate (engine units; words per minute for espeak).
        name: the pyttsx3 driver ("espeak", "sapi5", "nsss").

    Raises:
        SpeechError: when no speech engine or no voice for ``language`` exists.
    """

    def __init__(self, language: str = "nl", rate: int | None = None) -> None:
        self._engine = _new_engine()
        self.name: str = self._engine.driver_name
        chosen = pick_voice(self.voices(), language)
        if chosen is None:
            raise SpeechError(no_voice_message(language))
        self.voice: Voice = chosen
        # espeak-ng applies a rate change late (one or many syntheses later, as
        # measured with espeak-ng 1.51): set it once, here, and keep it.
        if rate:
            self._engine.setProperty("rate", rate)
        self.rate: int = int(rate or self._engine.getProperty("rate") or 200)
        self._done = threading.Event()
        done = self._done  # no reference back to self: no cycle through the engine
        self._engine.connect("finished-utterance", lambda **_: done.set())

    def voices(self) -> list[Voice]:
        """Every voice the engine offers."""
        return _voices_of(self._engine)

    def to_file(self, text: str, path: Path, timeout: float = 30.0) -> Path:
        """Synthesize ``text`` into the WAV file ``path`` and return it once it is complete.

        ``runAndWait()`` can return before espeak has written a longer text, so
        this waits for the engine's ``finished-utterance`` callback. SAPI 5
        writes the file inside ``runAndWait()`` and sends no such callback.
        espeak-ng now and then (about 1 in 400 here) finishes with no audio at
        all: that is tried once more.

        Raises:
            SpeechError: the engine did not finish in time or wrote no audio.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(2):
            self._synthesize(text, path, timeout)
            if path.is_file() and path.stat().st_size > 44:
                return path
        raise SpeechError(f"Het spraakprogramma schreef geen geluid in {path}")

    def _synthesize(self, text: str, path: Path, timeout: float) -> None:
        if not _SYNTH_LOCK.acquire(timeout=timeout):
            raise SpeechError("Een andere spraakopdracht in dit programma wordt niet klaar")
        try:
            if self.name == "espeak":
                self._claim_espeak()
            self._done.clear()
            # Queued, and applied just before the save: another engine in this
            # process may have changed espeak's (global) voice.
            self._engine.setProperty("voice", self.voice.id)
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            if self.name != "sapi5" and not self._done.wait(timeout):
                raise SpeechError(f"Het spraakprogramma was na {timeout:.0f} s nog niet klaar")
        finally:
            _SYNTH_LOCK.release()

    def _claim_espeak(self) -> None:
        """Point espeak-ng's one synthesis callback at this engine's driver."""
        from pyttsx3.drivers import _espeak

        _espeak.SetSynthCallback(self._engine.proxy._driver._onSynth)
