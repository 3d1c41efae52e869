"""The pre-rendered computer voice: a cache of synthesized WAV files.

Pure Python, no Qt. The cache is a folder of ``<hash>.wav`` files, the hash
taken over (text, voice id, rate, engine): a new voice or a changed text gets a
new file, nothing is ever stale. Files appear atomically (written to a temporary
name, then renamed), so a crash or an abandoned worker never leaves half a file
under a real name. Each file is trimmed and normalised
(:func:`kiosk.speech.pcm.normalise`) before it is renamed into place, so the
computer voice is as loud as the library's own recordings
(:mod:`kiosk.speech.recordings`, which win over this cache).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from kiosk import paths
from kiosk.core.files import replacing
from kiosk.speech.pcm import NotSound, normalise_wav_file
from kiosk.speech.synth import Engine

log = logging.getLogger(__name__)

#: Bump when the way files are made changes, so old cache files are not used.
#: 2: trimmed and normalised (kiosk.speech.pcm).
CACHE_VERSION = "2"
SUBFOLDER = "speech"


def default_cache_dir() -> Path:
    """``<user cache folder>/speech`` ($KIOSK_CACHE_DIR overrides the cache folder)."""
    return paths.cache_dir() / SUBFOLDER


def cache_key(text: str, voice_id: str, rate: int, engine: str) -> str:
    """A file name-safe hash of everything that changes the sound of ``text``."""
    digest = hashlib.sha256(
        "\0".join((CACHE_VERSION, engine, voice_id, str(rate), text)).encode("utf-8")
    )
    return digest.hexdigest()[:32]


class SpeechCache:
    """A folder of synthesized speech, one WAV per (text, voice, rate, engine)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_cache_dir()

    def path(self, text: str, engine: Engine) -> Path:
        """Where the WAV for ``text`` spoken by ``engine`` lives (whether or not it exists)."""
        key = cache_key(text, engine.voice.id, engine.rate, engine.name)
        return self.folder / f"{key}.wav"

    def lookup(self, text: str, engine: Engine) -> Path | None:
        """The cached WAV for ``text``, or None."""
        path = self.path(text, engine)
        return path if _has_audio(path) else None

    def render(self, text: str, engine: Engine) -> tuple[Path, bool]:
        """The WAV for ``text``: from the cache, else synthesized into it now.

        Returns:
            The path, and True when it was synthesized (False: cache hit).

        Raises:
            SpeechError: the engine failed (nothing is left in the cache then).
            OSError: the cache folder cannot be written.
        """
        final = self.path(text, engine)
        if _has_audio(final):
            return final, False
        self.folder.mkdir(parents=True, exist_ok=True)
        with replacing(final, suffix=".wav") as temporary:
            engine.to_file(text, temporary)
            try:
                normalise_wav_file(temporary)
            except NotSound as problem:  # not PCM WAV (an engine's own format): keep it as is
                log.warning("speech: %r not normalised: %s", text, problem)
        return final, True


def _has_audio(path: Path) -> bool:
    try:
        return path.stat().st_size > 44  # more than a bare WAV header
    except OSError:
        return False
