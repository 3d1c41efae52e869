"""Recordings travel with the content: the library's own voice in a folder beside the workbook.

``kiosk content export inhoud.xlsx`` and the staff screen's "Inhoud naar USB-stick"
write the recordings (:meth:`VoiceStore.export`: ``KEY.wav`` and ``voice.json``,
which holds the hash of the text each was made for) into ``inhoud-stem/`` beside
``inhoud.xlsx`` (:func:`folder_beside`), and only when there are any.

``kiosk content import inhoud.xlsx`` and "Gebruiken" take that folder back
(:func:`install`). Each file is checked as ``kiosk voice import`` checks it
(:func:`import_folder`: a regular file, bounded, real sound, a key of the new
content, at most 20 s); ``voice.json`` decides whether a recording is current for
the new content's text or "verouderd". Refused files are named with a Dutch
reason; the rest are installed. The recordings are imported into a copy of the
data folder's ``voice/`` (``voice.nieuw``) while the new content is checked, and
swapped in right after the content, so a workbook with problems changes nothing,
recordings included.

Restore: an install that brought recordings keeps the voice folder from before
as ``voice.vorige`` (beside ``content.vorige``); :func:`restore` swaps it back
with the content, and a second restore swaps both forward again. An install
without recordings leaves ``voice/`` alone and drops ``voice.vorige``: a restore
then changes only the content, whose recordings were never replaced.

A running kiosk's :class:`VoiceStore` keeps its index in memory: pass it as
``live`` and it reads the swapped folder again (:meth:`VoiceStore.reload`), so
the kiosk plays the new recordings without a restart. Another process must not
swap the folder under a running kiosk (the CLI takes the data folder's lock).

Decoding needs a ``QCoreApplication`` (:mod:`kiosk.speech.decode`); a worker
thread is fine. Never on the GUI thread: it takes about a second per recording.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import paths
from kiosk.speech.recordings import (
    INDEX,
    KEY,
    STALE,
    VoiceStore,
    exported_hashes,
    voice_dir,
)

if TYPE_CHECKING:
    from kiosk.core.model import Content

#: ``inhoud.xlsx`` -> ``inhoud-stem/``
SUFFIX = "-stem"
#: Beside the data folder's ``voice/``: the one before an install, one being made, a swap.
VOICE_PREVIOUS = "voice.vorige"
VOICE_NEW = "voice.nieuw"
VOICE_SWAP = "voice.wissel"
#: At most this many entries of a recordings folder are looked at.
MAX_FILES = 1000


def folder_beside(workbook: Path) -> Path:
    """The recordings folder that goes with ``workbook``: ``inhoud.xlsx`` -> ``inhoud-stem``."""
    workbook = Path(workbook)
    return workbook.with_name(workbook.stem + SUFFIX)


def found_beside(workbook: Path) -> Path | None:
    """The recordings folder beside ``workbook`` when there is one (a real folder, no link)."""
    folder = folder_beside(workbook)
    try:
        return folder if stat.S_ISDIR(os.lstat(folder).st_mode) else None
    except OSError:
        return None


@dataclass(frozen=True)
class Imported:
    """A recording taken in: the file, its key, its state for the new text, its length."""

    name: str
    key: str
    state: str
    seconds: float


@dataclass
class VoiceImport:
    """What came of a recordings folder: what was taken in and what was refused (name, reason)."""

    imported: list[Imported] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def stale(self) -> int:
        return sum(1 for item in self.imported if item.state == STALE)


def _entries(folder: Path) -> tuple[list[os.DirEntry], bool]:
    """The visible entries of ``folder`` (bounded), and whether there were more."""
    out: list[os.DirEntry] = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.startswith(".") or entry.name == INDEX:
                continue
            if len(out) >= MAX_FILES:
                more = True
                break
            out.append(entry)
        else:
            more = False
    return sorted(out, key=lambda e: e.name.lower()), more


def import_folder(folder: Path, texts: dict[str, str], store: VoiceStore,
                  on_import: Callable[[Imported], object] | None = None) -> VoiceImport:
    """Take every sound file of ``folder`` into ``store`` as the recording of its key.

    Args:
        texts: key -> text of every phrase the content can say (the known keys).
        on_import: called after each recording taken in (the CLI prints a line).

    Raises:
        OSError: ``folder`` cannot be listed, or ``store`` cannot be written.
    """
    from kiosk.core.safefile import UnsafeFile
    from kiosk.speech.decode import EXTENSIONS, decode_file
    from kiosk.speech.pcm import NotSound
    from kiosk.speech.recordings import IMPORTED, TooLong

    result = VoiceImport()
    hashes = exported_hashes(folder)
    taken: dict[str, str] = {}
    entries, more = _entries(Path(folder))
    for entry in entries:
        name, path = entry.name, Path(entry.path)
        key = path.stem.lower()
        if path.suffix.lower() not in EXTENSIONS:
            result.refused.append((name, "geen geluidsbestand: gebruik .wav, .ogg, .mp3, .flac "
                                         "of .m4a"))
            continue
        if entry.is_symlink():
            result.refused.append((name, "een snelkoppeling, geen gewoon bestand; zet het "
                                         "geluidsbestand zelf in de map"))
            continue
        if key not in texts or not KEY.fullmatch(key):
            result.refused.append((name, f"onbekende sleutel '{path.stem}': de naam moet een "
                                         "sleutel uit 'kiosk voice list' zijn"))
            continue
        if key in taken:
            result.refused.append((name, f"er is al een opname voor {key}: {taken[key]}"))
            continue
        try:
            recording = store.save(key, texts[key], decode_file(path), IMPORTED,
                                   hashes.get(key))
        except UnsafeFile as problem:
            result.refused.append((name, f"{problem.reason}; {problem.fix}"))
            continue
        except (NotSound, TooLong) as problem:
            result.refused.append((name, str(problem)))
            continue
        except FileNotFoundError:
            result.refused.append((name, "het bestand is weg"))
            continue
        taken[key] = name
        item = Imported(name, key, store.phrase(key, texts[key]).state, recording.seconds)
        result.imported.append(item)
        if on_import is not None:
            on_import(item)
    if more:
        result.refused.append((f"{Path(folder).name}/…", f"te veel bestanden: de kiosk bekijkt "
                                                         f"er hooguit {MAX_FILES}"))
    return result


def sound_files_beside(workbook: Path) -> int:
    """How many sound files the recordings folder beside ``workbook`` has (0: no folder)."""
    from kiosk.speech.decode import EXTENSIONS

    folder = found_beside(workbook)
    try:
        entries = _entries(folder)[0] if folder is not None else []
    except OSError:
        return 0
    return sum(1 for entry in entries if Path(entry.name).suffix.lower() in EXTENSIONS)


# -- export ---------------------------------------------------------------------------


def export_into(store: VoiceStore, folder: Path, workbook_name: str) -> int:
    """Write ``store``'s recordings into ``folder`` beside the workbook ``workbook_name``
    (the save screen's staging folder); how many (0: nothing written)."""
    if not store.recordings():
        return 0
    return len(store.export(Path(folder) / folder_beside(Path(workbook_name)).name))


def ours(folder: Path) -> bool:
    """True when ``folder`` holds nothing but an earlier export (``KEY.wav``, ``voice.json``)."""
    try:
        names = [entry.name for entry in os.scandir(folder)][: MAX_FILES + 1]
    except OSError:
        return False
    return len(names) <= MAX_FILES and all(
        n == INDEX or (n.endswith(".wav") and KEY.fullmatch(n[:-4])) for n in names)


def export_beside(store: VoiceStore, workbook: Path) -> tuple[Path, int]:
    """Write ``store``'s recordings into the folder beside ``workbook``, replacing an
    earlier export of that name; (the folder, how many recordings: 0 means none written).

    With no recordings, an earlier export of that name (:func:`ours`) is removed, so
    the workbook never travels with recordings that are no longer there.

    Raises:
        FileExistsError: something else of that name is there (not an earlier export).
        OSError: the recordings cannot be read or the folder cannot be written.
    """
    target = folder_beside(workbook)
    there = os.path.lexists(target)
    if there and not (target.is_dir() and not target.is_symlink() and ours(target)):
        raise FileExistsError(errno.EEXIST, "er staat al iets anders met die naam; kies een andere "
                                  "naam voor de werkmap", str(target))
    if not store.recordings():
        if there:
            shutil.rmtree(target)
        return target, 0
    new = target.with_name(f".{target.name}.nieuw")
    old = target.with_name(f".{target.name}.oud")
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        written = store.export(new)
        if there:
            os.replace(target, old)
        os.replace(new, target)
    finally:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target, len(written)


# -- install and restore ---------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """The content folder installed, and what came of the recordings (None: no folder)."""

    folder: Path
    voice: VoiceImport | None


def _copy_recordings(own: Path, new: Path) -> None:
    """A copy of the data folder's ``voice/`` (its regular files) to import into."""
    paths.private_dir(new)
    if not own.is_dir():
        return
    for entry in os.scandir(own):
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
            shutil.copy2(entry.path, new / entry.name)


def _sync(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def install(parsed: dict[str, Any], data_dir: Path, recordings: Path | None = None,
            live: VoiceStore | None = None,
            on_import: Callable[[Imported], object] | None = None) -> Installed:
    """Install the checked content ``parsed`` and the recordings folder that came with it.

    Args:
        recordings: the folder beside the workbook (:func:`found_beside`); None: none came.
        live: the running kiosk's store, read again afterwards.

    Raises:
        ContentError: the content does not pass the check (nothing changed).
        OSError: something cannot be written (nothing changed, unless the very last
            rename of the recordings failed after the content was installed).
    """
    from kiosk.core.content.install import install as install_content
    from kiosk.speech.phrases import speakable_items

    data_dir = Path(data_dir)
    voice, previous, new = voice_dir(data_dir), data_dir / VOICE_PREVIOUS, data_dir / VOICE_NEW
    found: list[VoiceImport] = []

    def prepare(content: Content) -> None:
        if recordings is None:
            return
        shutil.rmtree(new, ignore_errors=True)  # what a killed install left
        _copy_recordings(voice, new)
        texts = dict(speakable_items(content))
        found.append(import_folder(recordings, texts, VoiceStore(new, use_bundled=False),
                                   on_import))

    try:
        folder = install_content(parsed, data_dir, prepare)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if recordings is not None:
        if voice.exists():
            os.replace(voice, previous)
        else:
            paths.private_dir(previous)  # no recordings before: restoring gives none
        os.replace(new, voice)
        _sync(data_dir)
    if live is not None:
        live.reload()
    return Installed(folder, found[0] if found else None)


def restore(data_dir: Path, live: VoiceStore | None = None) -> Path:
    """Put the previous content back, with the recordings from before when an install
    brought some (``voice.vorige``); return the content folder.

    Raises:
        InstallError: there is no previous content (nothing changed).
    """
    from kiosk.core.content.install import restore as restore_content

    data_dir = Path(data_dir)
    folder = restore_content(data_dir)
    voice, previous, swap = (voice_dir(data_dir), data_dir / VOICE_PREVIOUS,
                             data_dir / VOICE_SWAP)
    if previous.is_dir():
        shutil.rmtree(swap, ignore_errors=True)
        if voice.exists():
            os.replace(voice, swap)
        os.replace(previous, voice)
        if swap.exists():
            os.replace(swap, previous)
        else:
            paths.private_dir(previous)
        _sync(data_dir)
    if live is not None:
        live.reload()
    return folder

