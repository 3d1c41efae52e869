"""Text-to-speech to WAV files with pyttsx3 (espeak-ng on Linux, SAPI 5, NSSpeech).

A :class:`Synthesizer` belongs to the thread that created it: pyttsx3 engines
are not thread-safe. Run it on one dedicated worker thread, never on the GUI
thread (a synthesis blocks for hundreds of milliseconds).
"""

from __future__ import annotations

import contextlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path


class SpeechError(Exception):
    """Speech is not available or failed; the message says what to do."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


def _is_language(voice: Voice, language: str) -> bool:
    language = language.lower()
    if any(lang.lower().split("-")[0].split("_")[0] == language for lang in voice.languages):
        return True
    return voice.id.lower().rsplit("/", 1)[-1] == language or language in voice.name.lower()[:2]


class Synthesizer:
    """Writes speech to WAV files in one language.

    Raises:
        SpeechError: when no speech engine or no voice for ``language`` exists.
    """

    def __init__(self, language: str = "nl", rate: int | None = None) -> None:
        try:
            import pyttsx3

            self._engine = pyttsx3.init()
        except Exception as exc:  # pyttsx3 raises RuntimeError/OSError/ImportError variants
            raise SpeechError(
                f"No speech engine ({exc}). On Debian/Ubuntu: sudo apt-get install espeak-ng"
            ) from exc
        self.voice = self._pick_voice(language)
        self._engine.setProperty("voice", self.voice.id)
        if rate:
            self._engine.setProperty("rate", rate)
        self._done = threading.Event()
        self._engine.connect("finished-utterance", self._on_finished)

    def voices(self) -> list[Voice]:
        return [
            Voice(v.id, v.name, tuple(str(lang) for lang in (v.languages or ())))
            for v in self._engine.getProperty("voices")
        ]

    def _pick_voice(self, language: str) -> Voice:
        for voice in self.voices():
            if _is_language(voice, language):
                return voice
        raise SpeechError(
            f"No voice for language '{language}'. On Debian/Ubuntu install espeak-ng; "
            "on Windows add the Dutch voice (Settings > Time & language > Speech)."
        )

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._done.set()

    def to_file(self, text: str, path: Path, timeout: float = 30.0) -> Path:
        """Synthesize ``text`` into the WAV file ``path`` and return it once it is complete.

        ``runAndWait()`` can return before espeak has written a longer text, so
        this waits for the engine's ``finished-utterance`` callback.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        self._done.clear()
        # pyttsx3 prints "Audio saved to ..." on every save; keep stdout clean.
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
        if not self._done.wait(timeout):
            raise SpeechError(f"Speech engine did not finish within {timeout:.0f} s")
        if not path.is_file() or path.stat().st_size <= 44:
            raise SpeechError(f"Speech engine wrote no audio to {path}")
        return path
