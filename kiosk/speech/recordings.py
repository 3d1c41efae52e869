"""The library's own voice: recordings of phrases, each tied to the text it was made for.

Pure Python, no Qt. A :class:`VoiceStore` is a folder (``<data folder>/voice/``)
of ``<key>.wav`` files (16-bit mono, trimmed and normalised by
:func:`kiosk.speech.pcm.normalise`) and an index, ``voice.json``, that holds for
each key the SHA-256 of the text the recording was made for (and that text, its
length and where it came from). The state of a phrase follows from its current
text:

- ``eigen stem``: a recording of this very text; the kiosk plays it.
- ``verouderd``: a recording of an earlier text; never played (the computer voice
  speaks instead) until it is recorded again.
- ``computerstem``: no recording.

The text is compared as shown (Unicode NFC, runs of white space as one space),
before the pronunciation list: that list is for the synthesiser, a person reads
what is on the screen.

The bundled ``audio/`` folder is a read-only store of the same form: a
distribution may ship a voice for the default content. The library's own
recording wins; a bundled one plays only while its text is current (it then
counts as ``eigen stem``, with ``Phrase.bundled`` set). A ``<key>.wav`` without
an index entry (the old ``audio/`` clips, which were played whatever the text)
is not played: nothing says which text it speaks. ``kiosk voice import`` takes
such files in as recordings of the current text.

For a screen that records (the staff menu's "Inspreken"): ``store.phrases(
speakable_items(content))`` lists every phrase with its state and
:meth:`VoiceStore.counts` counts them; ``store.save(key, text, Pcm.from_bytes(raw,
rate, channels), MICROPHONE)`` keeps a take (``NotSound`` for silence, ``TooLong``
over 20 s, both with a Dutch ``str()``); ``store.delete(key)`` throws one away. The
kiosk's :class:`~kiosk.speech.speaker.Speaker` holds the same store
(``speaker.voice``): ``speaker.say(key, text)`` plays what a passer-by would hear,
``speaker.play_file(key, path)`` a take that is not saved yet.

Writes are atomic (:func:`kiosk.core.files.replacing`): the WAV first, then the
index. Lookups read an in-memory copy of the index (no file access), so the GUI
thread may ask; :meth:`VoiceStore.save` normalises in pure Python (about 1 s for
20 s of sound) and belongs on a worker thread.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths
from kiosk.core.files import file_mode, replacing, write_text
from kiosk.core.safefile import read_regular
from kiosk.speech.pcm import Pcm, normalise, wav_bytes

FOLDER = "voice"
INDEX = "voice.json"
INDEX_LIMIT = 4 * 1024 * 1024
OWN = "eigen stem"
COMPUTER = "computerstem"
STALE = "verouderd"
STATES = (OWN, COMPUTER, STALE)
#: The longest recording kept (seconds of sound, after trimming).
MAX_SECONDS = 20.0
#: Keys are lower-case file names: a content id, a phrase key, ``cursus-<id>``, ``uitleg-<id>``.
KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
#: Sources of a recording, as the index stores them.
IMPORTED, MICROPHONE = "import", "microfoon"


def voice_dir(data: Path) -> Path:
    """The library's recordings in the data folder."""
    return Path(data) / FOLDER


def legacy_audio_dir(data: Path) -> Path:
    """The data folder's old clip folder (``audio/``), no longer played."""
    return Path(data) / "audio"


def clean(text: str) -> str:
    """The text as compared: NFC, white space runs as one space, no space at the ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_hash(text: str) -> str:
    """The SHA-256 (hex) of the text a recording speaks (see :func:`clean`)."""
    return hashlib.sha256(clean(text).encode("utf-8")).hexdigest()


class TooLong(ValueError):
    """A recording longer than :data:`MAX_SECONDS`; ``str()`` is the Dutch reason."""


@dataclass(frozen=True)
class Recording:
    """A recording in a store: its key, the text it speaks and where its WAV is."""

    key: str
    text_sha256: str
    text: str
    seconds: float
    source: str
    path: Path
    bundled: bool = False

    def fits(self, text: str) -> bool:
        return self.text_sha256 == text_hash(text)


@dataclass(frozen=True)
class Phrase:
    """A phrase and its state, for lists (``kiosk voice list``, the "Inspreken" screen)."""

    key: str
    text: str
    state: str  # OWN, COMPUTER or STALE
    recording: Recording | None  # the library's own (even when stale), else a bundled one

    @property
    def bundled(self) -> bool:
        return self.recording is not None and self.recording.bundled


def _read_index(folder: Path, bundled: bool) -> dict[str, Recording]:
    """The index of ``folder``; a missing, unreadable or damaged index counts as empty."""
    try:
        data = json.loads(read_regular(folder / INDEX, INDEX_LIMIT).decode("utf-8"))
        entries = data["recordings"]
        assert isinstance(entries, dict)
    except (OSError, ValueError, KeyError, TypeError, AssertionError, RecursionError):
        return {}
    index = {}
    for key, entry in entries.items():
        try:
            if not KEY.fullmatch(key) or not re.fullmatch(r"[0-9a-f]{64}", entry["text_sha256"]):
                continue
            wav = folder / f"{key}.wav"
            if not wav.is_file():  # removed by hand: nothing to play
                continue
            index[key] = Recording(key, entry["text_sha256"], str(entry.get("text", "")),
                                   float(entry.get("seconds", 0.0)),
                                   str(entry.get("source", IMPORTED)), wav, bundled)
        except (KeyError, TypeError, ValueError):
            continue
    return index


def _index_json(index: dict[str, Recording]) -> str:
    entries = {key: {"text_sha256": r.text_sha256, "text": r.text,
                     "seconds": round(r.seconds, 2), "source": r.source}
               for key, r in sorted(index.items())}
    return json.dumps({"version": 1, "recordings": entries}, ensure_ascii=False, indent=1) + "\n"


class VoiceStore:
    """The library's recordings (``folder``), with the bundled ones behind them.

    Args:
        folder: the store's folder (made on the first save); None: no own recordings.
        bundled: a read-only store behind it (default: the bundled ``audio/``); None: none.
    """

    def __init__(self, folder: Path | None, bundled: Path | None = None,
                 use_bundled: bool = True) -> None:
        self.folder = Path(folder) if folder is not None else None
        if bundled is None and use_bundled:
            bundled = paths.default_audio_dir()
        self._bundled = _read_index(bundled, True) if bundled is not None else {}
        self._own = _read_index(self.folder, False) if self.folder is not None else {}
        self._lock = threading.Lock()

    @classmethod
    def in_data(cls, data: Path) -> VoiceStore:
        """The store of the data folder ``data`` (``<data>/voice``)."""
        return cls(voice_dir(data))

    # -- asking ------------------------------------------------------------------

    def recording(self, key: str) -> Recording | None:
        """The library's own recording of ``key`` (current or not), else None."""
        return self._own.get(key.lower())

    def recordings(self) -> list[Recording]:
        """The library's own recordings, by key."""
        return [self._own[key] for key in sorted(self._own)]

    def current(self, key: str, text: str) -> Path | None:
        """The WAV to play for ``key`` saying ``text``: a recording of this text, else None."""
        key = key.lower()
        for index in (self._own, self._bundled):
            found = index.get(key)
            if found is not None and found.fits(text):
                return found.path
        return None

    def phrase(self, key: str, text: str) -> Phrase:
        """``key``'s state for ``text``."""
        key = key.lower()
        own, bundled = self._own.get(key), self._bundled.get(key)
        if own is not None and own.fits(text):
            return Phrase(key, text, OWN, own)
        if bundled is not None and bundled.fits(text):
            return Phrase(key, text, OWN, bundled)
        return Phrase(key, text, STALE if own is not None else COMPUTER, own)

    def phrases(self, items: Iterable[tuple[str, str]]) -> list[Phrase]:
        """The state of every (key, text), in order."""
        return [self.phrase(key, text) for key, text in items]

    @staticmethod
    def counts(phrases: Iterable[Phrase]) -> dict[str, int]:
        """How many phrases are in each state (every state present, 0 when none)."""
        counted = Counter(p.state for p in phrases)
        return {state: counted.get(state, 0) for state in STATES}

    def reload(self) -> None:
        """Read the own index again: an install or a restore swapped the folder's files."""
        with self._lock:
            self._own = _read_index(self.folder, False) if self.folder is not None else {}

    # -- changing -----------------------------------------------------------------

    def save(self, key: str, text: str, pcm: Pcm, source: str = MICROPHONE,
             text_sha256: str | None = None) -> Recording:
        """Normalise ``pcm`` and keep it as ``key``'s recording of ``text``.

        Args:
            text_sha256: the hash of the text it was really made for, when that is
                known and may differ from ``text`` (an export from another kiosk).

        Raises:
            NotSound: silent. TooLong: over :data:`MAX_SECONDS` of sound.
            ValueError: ``key`` is not a valid key. OSError: the folder cannot be written.
        """
        key = key.lower()
        if not KEY.fullmatch(key):
            raise ValueError(f"ongeldige sleutel: {key!r}")
        if self.folder is None:
            raise OSError("deze kiosk heeft geen map voor opnamen")
        clip = normalise(pcm)
        if clip.seconds > MAX_SECONDS:
            raise TooLong(f"te lang: {clip.seconds:.0f} seconden geluid (hooguit "
                          f"{MAX_SECONDS:.0f})")
        recording = Recording(key, text_sha256 or text_hash(text), clean(text),
                              clip.seconds, source, self.folder / f"{key}.wav")
        data = wav_bytes(clip)
        with self._lock:
            paths.private_dir(self.folder.parent)  # the data folder: private, as the kiosk makes it
            paths.private_dir(self.folder)
            with replacing(recording.path, suffix=".wav", mode=file_mode()) as temporary:
                temporary.write_bytes(data)
            self._write_index({**self._own, key: recording})
        return recording

    def delete(self, key: str) -> bool:
        """Throw ``key``'s own recording away; False when there was none."""
        key = key.lower()
        with self._lock:
            if key not in self._own:
                return False
            index = dict(self._own)
            gone = index.pop(key)
            self._write_index(index)
            gone.path.unlink(missing_ok=True)
        return True

    def _write_index(self, index: dict[str, Recording]) -> None:
        assert self.folder is not None
        write_text(self.folder / INDEX, _index_json(index), mode=file_mode())
        self._own = index

    def export(self, folder: Path) -> list[Path]:
        """Write every own recording to ``folder`` as ``<key>.wav``, with the index.

        The index carries the text each was made for, so a kiosk that imports
        them knows which are stale there. Returns the WAV files written.

        Raises:
            OSError: a recording cannot be read or ``folder`` cannot be written.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for recording in self.recordings():
            data = read_regular(recording.path, 64 * 1024 * 1024)
            target = folder / f"{recording.key}.wav"
            with replacing(target, suffix=".wav", mode=file_mode()) as temporary:
                temporary.write_bytes(data)
            written.append(target)
        exported = {r.key: r for r in self.recordings()}
        write_text(folder / INDEX, _index_json(exported), mode=file_mode())
        return written


def exported_hashes(folder: Path) -> dict[str, str]:
    """key -> text hash from an exported folder's index (empty when it has none)."""
    return {key: r.text_sha256 for key, r in _read_index(Path(folder), False).items()}
