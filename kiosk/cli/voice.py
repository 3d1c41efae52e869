"""``kiosk voice``: the library's own voice. List the phrases, import, export and play recordings.

A thin layer over :mod:`kiosk.speech.recordings` (the store) and
:mod:`kiosk.speech.decode` (QtMultimedia's decoder). :mod:`kiosk.cli` adds the
parser with :func:`add_parser`; each handler returns the exit code. Errors are
one Dutch line on stderr, never a traceback.

    kiosk voice list                 KEY<TAB>eigen stem|computerstem|verouderd<TAB>TEXT
    kiosk voice import MAP           KEY.wav/.ogg/.mp3/.flac/.m4a in; every refusal named
    kiosk voice export MAP           the recordings out as KEY.wav (+ voice.json)
    kiosk voice play KEY             what the kiosk plays for KEY, to its end
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.cli.common import quiet_option
from kiosk.cli.outputs import REFUSED, refused

#: Longest wait for ``voice play`` (seconds): the longest clip plus synthesis.
PLAY_TIMEOUT = 90.0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``voice`` and its sub-commands to ``subparsers``."""
    voice = subparsers.add_parser(
        "voice", help="eigen stem: zinnen tonen, opnamen inlezen, wegschrijven en afspelen")
    sub = voice.add_subparsers(dest="voice_command", metavar="OPDRACHT", required=True)

    listing = sub.add_parser(
        "list", help="toon elke zin: SLEUTEL, eigen stem|computerstem|verouderd, TEKST "
                     "(gescheiden door tabs)")
    imports = sub.add_parser(
        "import", help="lees opnamen in: SLEUTEL.wav, .ogg, .mp3, .flac of .m4a uit een map")
    imports.add_argument("folder", type=Path, metavar="MAP",
                         help="de map met geluidsbestanden, elk genoemd naar zijn sleutel")
    exports = sub.add_parser(
        "export", help="schrijf de opnamen weg als SLEUTEL.wav, voor een andere laptop")
    exports.add_argument("folder", type=Path, metavar="MAP", help="de map om in te schrijven")
    play = sub.add_parser(
        "play", help="speel af wat de kiosk voor een zin laat horen, tot het einde")
    play.add_argument("key", metavar="SLEUTEL", help="de sleutel van de zin (zie kiosk voice "
                                                     "list)")
    for parser in (listing, imports, exports, play):
        parser.add_argument(
            "--data-dir", type=Path, default=None, metavar="MAP",
            help=f"de gegevensmap van de kiosk, met zijn opnamen en eigen inhoud "
                 f"(standaard: ${paths.DATA_DIR_ENV}, anders de gegevensmap van deze gebruiker)")
        if parser is not exports:
            parser.add_argument(
                "--content", type=Path, default=None, metavar="MAP",
                help="een inhoudsmap: de bestanden daarin vervangen die van de standaardinhoud")
        quiet_option(parser)  # list -q: nothing but errors (the list is stdout too)
    voice.set_defaults(handler=run)
    return voice


def run(args: argparse.Namespace) -> int:
    """Run ``kiosk voice <sub-command>``; returns the exit code."""
    from kiosk.core.content import ContentError

    commands = {"list": _list, "import": _import, "export": _export, "play": _play}
    try:
        return commands[args.voice_command](args)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"kiosk voice: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _phrases(args: argparse.Namespace):
    """(content, every (key, text) the kiosk can say) as the kiosk reads them; None: usage error."""
    from kiosk.app import Options, UsageError, content_dirs
    from kiosk.core.content import load_content
    from kiosk.speech.phrases import speakable_items

    try:
        dirs = content_dirs(Options(data_dir=paths.data_dir(args.data_dir),
                                    content_dir=args.content))
    except UsageError as error:
        print(f"kiosk voice: {error}", file=sys.stderr)
        return None
    content = load_content(*dirs)
    return content, speakable_items(content)


def _store(args: argparse.Namespace):
    from kiosk.speech.recordings import VoiceStore

    return VoiceStore.in_data(paths.data_dir(args.data_dir))


def _legacy_note(args: argparse.Namespace) -> None:
    """Old clips in ``<data>/audio`` are not played any more: say how to take them in."""
    from kiosk.speech.recordings import legacy_audio_dir

    folder = legacy_audio_dir(paths.data_dir(args.data_dir))
    if folder.is_dir() and any(p.suffix.lower() == ".wav" for p in folder.iterdir()):
        print(f"kiosk voice: de opnamen in {folder} worden niet meer gebruikt; lees ze in met: "
              f"kiosk voice import {folder}", file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    from kiosk.speech.recordings import clean

    found = _phrases(args)
    if found is None:
        return 2
    _content, items = found
    store = _store(args)
    phrases = store.phrases(items)
    for phrase in phrases:
        print(f"{phrase.key}\t{phrase.state}\t{clean(phrase.text)}")
    counts = store.counts(phrases)
    if not args.quiet:
        print(f"{len(phrases)} zinnen: " + ", ".join(f"{n} {state}" for state, n in
                                                     counts.items()), file=sys.stderr)
        _legacy_note(args)
    return 0


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def _qt_app():
    """A QCoreApplication for the decoder and the player (quiet unless QT_LOGGING_RULES is set)."""
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance() or QCoreApplication(["kiosk"])


def _import(args: argparse.Namespace) -> int:
    _qt_app()  # before QtMultimedia loads: its logging rules are read once
    from kiosk.core.lock import DataFolderLock

    folder: Path = args.folder
    if not folder.is_dir():
        print(f"kiosk voice: map niet gevonden: {folder}", file=sys.stderr)
        return 2
    found = _phrases(args)
    if found is None:
        return 2
    _content, items = found
    texts = dict(items)
    store = _store(args)
    data = paths.private_dir(paths.data_dir(args.data_dir))
    # a running kiosk keeps its own copy of the index: import while it is closed
    with DataFolderLock(data).acquire():  # FolderInUse: one Dutch line, exit 2
        imported, refusals = _import_files(folder, texts, store)
    for name, reason in refusals:
        print(f"geweigerd: {name}: {reason}", file=sys.stderr)
    print(f"{imported} opnamen ingelezen in {store.folder}"
          + (f", {len(refusals)} bestanden geweigerd" if refusals else ""))
    return 1 if refusals else 0


def _import_files(folder: Path, texts: dict[str, str], store
                  ) -> tuple[int, list[tuple[str, str]]]:
    """Import every sound file of ``folder``; (how many, [(file name, reason refused)]).

    The checks are :func:`kiosk.speech.travel.import_folder`'s, which ``kiosk content
    import`` uses too; the folder's ``voice.json`` says which text each was made for.
    """
    from kiosk.speech.travel import import_folder

    result = import_folder(folder, texts, store, print_imported)
    return len(result.imported), result.refused


def print_imported(item) -> None:
    """One line for a recording taken in (``kiosk voice import``, ``kiosk content import``)."""
    from kiosk.speech.recordings import OWN

    note = " (de tekst is veranderd sinds de opname)" if item.state != OWN else ""
    print(f"ingelezen: {item.name} -> {item.key}: {item.state}{note}, "
          f"{_seconds(item.seconds)}", flush=True)


def _export(args: argparse.Namespace) -> int:
    target: Path = args.folder
    if refused([target], args.data_dir, prefix="kiosk voice"):
        return REFUSED
    store = _store(args)
    if not store.recordings():
        print(f"kiosk voice: geen eigen opnamen in {store.folder}; wijs met --data-dir de "
              "gegevensmap van de kiosk aan", file=sys.stderr)
        return 1
    written = store.export(target)
    missing = [p for p in written if not p.is_file() or p.stat().st_size <= 44]
    if missing:
        print(f"kiosk voice: niet goed geschreven: {', '.join(map(str, missing))}",
              file=sys.stderr)
        return 1
    print(f"{len(written)} opnamen geschreven naar {target}")
    return 0


def _play(args: argparse.Namespace) -> int:
    found = _phrases(args)
    if found is None:
        return 2
    content, items = found
    texts = dict(items)
    key = args.key.lower()
    if key not in texts:
        print(f"kiosk voice: onbekende sleutel '{args.key}'; 'kiosk voice list' toont alle "
              "sleutels", file=sys.stderr)
        return 1
    app = _qt_app()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtMultimedia import QMediaDevices, QMediaPlayer

    from kiosk.selftest import NO_SOUND_FIX
    from kiosk.speech.speaker import Speaker

    if QMediaDevices.defaultAudioOutput().isNull():  # it would play, silently, "to its end"
        print(f"kiosk voice: geen geluidsapparaat gevonden. {NO_SOUND_FIX}", file=sys.stderr)
        return 1

    speaker = Speaker(language=content.statement_set().language, voice=_store(args),
                      pronunciations=content.pronunciations)
    source = speaker.source(key, texts[key])
    ended: list[str] = []
    statuses: list[QMediaPlayer.MediaStatus] = []
    loop = QEventLoop()
    speaker.player.mediaStatusChanged.connect(statuses.append)
    speaker.finished.connect(lambda k: (ended.append(k), loop.quit()))
    watch = QTimer(interval=50)
    watch.timeout.connect(lambda: None if speaker.busy else loop.quit())
    start = time.monotonic()
    QTimer.singleShot(int(PLAY_TIMEOUT * 1000), loop.quit)
    speaker.say(key, texts[key])
    watch.start()
    if speaker.busy:
        loop.exec()
    watch.stop()
    elapsed = time.monotonic() - start
    problem = speaker.problem
    speaker.shutdown()
    del app
    if key in ended and QMediaPlayer.MediaStatus.EndOfMedia in statuses:
        print(f"afgespeeld: {key} ({source}, {_seconds(elapsed)})")
        return 0
    if not ended and speaker.busy:
        print(f"kiosk voice: {key} was na {PLAY_TIMEOUT:.0f} s nog niet afgespeeld",
              file=sys.stderr)
    else:
        print(f"kiosk voice: {key} kon niet worden afgespeeld"
              + (f": {problem}" if problem else ""), file=sys.stderr)
    return 1
