"""Where speech comes from: recorded clips first, then a cache of synthesized WAV files.

Pure Python, no Qt. The cache is a folder of ``<hash>.wav`` files, the hash
taken over (text, voice id, rate, engine): a new voice or a changed text gets a
new file, nothing is ever stale. Files appear atomically (written to a temporary
name, then renamed), so a crash or an abandoned worker never leaves half a file
under a real name.

Recorded clips are ``<key>.wav`` files (a statement id such as ``digid.wav``,
or a phrase key such as ``eens.wav``) in a coordinator's own audio folder or
in the bundled ``audio/`` folder; the first folder that has one wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk import paths
from kiosk.core.files import replacing
from kiosk.speech.synth import Engine

#: Bump when the way files are made changes, so old cache files are not used.
CACHE_VERSION = "1"
SUBFOLDER = "speech"


def default_cache_dir() -> Path:
    """``<user cache folder>/speech`` ($KIOSK_CACHE_DIR overrides the cache folder)."""
    return paths.cache_dir() / SUBFOLDER


def user_audio_dir(data: Path) -> Path:
    """A coordinator's own audio folder inside the data folder (used when it exists)."""
    return data / "audio"


def clip_dirs(own: Iterable[Path] = ()) -> list[Path]:
    """The folders searched for clips, first wins: a coordinator's own, then the bundled one."""
    return [*own, paths.default_audio_dir()]


def find_clips(dirs: Sequence[Path]) -> dict[str, Path]:
    """Every ``<key>.wav`` in ``dirs`` by lower-case key; a folder earlier in ``dirs`` wins."""
    clips: dict[str, Path] = {}
    for folder in reversed(dirs):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.suffix.lower() == ".wav" and path.is_file():
                    clips[path.stem.lower()] = path
    return clips


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
        return final, True


def _has_audio(path: Path) -> bool:
    try:
        return path.stat().st_size > 44  # more than a bare WAV header
    except OSError:
        return False
