"""``kiosk speech``: list voices, say a text into a WAV file, fill the speech cache.

A thin layer over :mod:`kiosk.speech`; no Qt. :mod:`kiosk.cli` adds the parser with
:func:`add_parser`, which routes to :func:`run`, which returns the exit code. Errors are
one clear line on stderr, never a traceback.

    kiosk speech voices                      every voice; '*' marks the one chosen for Dutch
    kiosk speech say "tekst" -o FILE.wav     write speech to a WAV file
    kiosk speech render [--content DIR]      fill the cache with everything the kiosk can say
"""

from __future__ import annotations

import argparse
import sys
import wave
from pathlib import Path
from typing import Any, TextIO

from kiosk import paths
from kiosk.cli.common import quiet_option
from kiosk.cli.outputs import REFUSED, refused

BAR_WIDTH = 30


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``speech`` and its sub-commands to ``subparsers`` (from ``add_subparsers``)."""
    speech = subparsers.add_parser(
        "speech", help="spraak: stemmen tonen, een tekst uitspreken, de spraakopslag vullen"
    )
    sub = speech.add_subparsers(dest="speech_command", metavar="OPDRACHT", required=True)

    voices = sub.add_parser("voices", help="toon de stemmen; '*' is de stem die de kiosk kiest")
    voices.add_argument("--language", default="nl", metavar="TAAL",
                        help="de taal waarvoor de kiosk een stem kiest (standaard: nl)")

    say = sub.add_parser("say", help="spreek een tekst uit in een WAV-bestand")
    say.add_argument("text", metavar="TEKST", help="de tekst om uit te spreken")
    say.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND.wav",
                     help="het WAV-bestand dat de kiosk maakt")
    say.add_argument("--language", default="nl", metavar="TAAL",
                     help="de taal van de tekst (standaard: nl)")

    render = sub.add_parser(
        "render", help="vul de spraakopslag met alles wat de kiosk kan zeggen"
    )
    render.add_argument("--content", type=Path, default=None, metavar="MAP",
                        help="een inhoudsmap: de bestanden daarin vervangen die van de "
                             "standaardinhoud")
    render.add_argument(
        "--data-dir", type=Path, default=None, metavar="MAP",
        help=f"de gegevensmap van de kiosk, voor zijn eigen inhoud en geluid "
             f"(standaard: ${paths.DATA_DIR_ENV}, anders de gegevensmap van deze gebruiker)",
    )
    for parser in (voices, say, render):
        quiet_option(parser)
    speech.set_defaults(handler=run)
    return speech


def run(args: argparse.Namespace) -> int:
    """Run ``kiosk speech <sub-command>``; returns the exit code."""
    from kiosk.core.content import ContentError
    from kiosk.speech.synth import SpeechError

    commands = {"voices": _voices, "say": _say, "render": _render}
    try:
        return commands[args.speech_command](args)
    except SpeechError as exc:
        print(f"kiosk speech: {exc}", file=sys.stderr)
        return 1
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"kiosk speech: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _voices(args: argparse.Namespace) -> int:
    from kiosk.speech.synth import list_voices
    from kiosk.speech.voices import no_voice_message, pick_voice

    voices = list_voices()
    chosen = pick_voice(voices, args.language)
    for voice in voices:
        mark = "*" if voice == chosen else " "
        print(f"{mark} {voice.id:<28} {voice.name:<32} {', '.join(voice.languages)}")
    if chosen is None:
        print(f"kiosk speech: {no_voice_message(args.language)}", file=sys.stderr)
        return 1
    return 0


def _say(args: argparse.Namespace) -> int:
    from kiosk.speech.synth import Synthesizer

    if not args.text.strip():
        print("kiosk speech: de tekst is leeg; zet hem tussen aanhalingstekens",
              file=sys.stderr)
        return 2
    if not args.output.parent.is_dir():
        print(f"kiosk speech: map niet gevonden: {args.output.parent}", file=sys.stderr)
        return 2
    if refused([args.output], prefix="kiosk speech"):
        return REFUSED
    from kiosk.speech.pronounce import BUILT_IN, spoken

    synth = Synthesizer(args.language)
    path = synth.to_file(spoken(args.text, BUILT_IN), args.output)
    print(f"geschreven: {path} ({_seconds(path):.1f} s, stem {synth.voice.id})")
    return 0


def _render(args: argparse.Namespace) -> int:
    from kiosk.app import Options, UsageError, content_dirs
    from kiosk.core.content import load_content
    from kiosk.speech.cache import SpeechCache
    from kiosk.speech.phrases import speakable_items
    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.synth import SpeechError, Synthesizer

    data = paths.data_dir(args.data_dir)
    try:  # the same folders, in the same order, as the kiosk itself reads
        dirs = content_dirs(Options(data_dir=data, content_dir=args.content))
    except UsageError as error:
        print(f"kiosk speech: {error}", file=sys.stderr)
        return 2
    cache = SpeechCache()
    # the cache may be a dedicated subfolder of the data folder (Windows puts it there),
    # never the data folder itself, its logs or its content
    if refused([cache.folder], args.data_dir, allowed=[cache.folder], prefix="kiosk speech"):
        return REFUSED
    content = load_content(*dirs)
    from kiosk.speech.pronounce import spoken

    items = speakable_items(content)
    voice = VoiceStore.in_data(data)
    synth = Synthesizer(content.statement_set().language)

    made = hits = from_clips = 0
    failed: list[str] = []
    for done, (key, text) in enumerate(items, start=1):
        if voice.current(key, text) is not None:  # the library's own recording plays
            from_clips += 1
        else:
            try:  # the text as the kiosk's Speaker synthesises it (pronunciations applied)
                _, synthesised = cache.render(spoken(text, content.pronunciations), synth)
            except SpeechError as exc:
                failed.append(f"{key}: {exc}")
            else:
                made += synthesised
                hits += not synthesised
        _progress(done, len(items), sys.stderr)
    print(f"{len(items)} teksten: {made} nieuw gemaakt, {hits} uit de spraakopslag, "
          f"{from_clips} opnamen" + (f", {len(failed)} mislukt" if failed else ""))
    print(f"spraakopslag: {cache.folder}")
    for line in failed:
        print(f"kiosk speech: spraak maken mislukt voor {line}", file=sys.stderr)
    return 1 if failed else 0


def _progress(done: int, total: int, out: TextIO) -> None:
    """A one-line progress bar, redrawn in place on a terminal; only the last one otherwise."""
    if not out.isatty() and done < total:
        return
    filled = BAR_WIDTH * done // max(total, 1)
    out.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}")
    if done >= total:
        out.write("\n")
    out.flush()


def _seconds(path: Path) -> float:
    """Length of a WAV file in seconds (0 when it is not a WAV file, e.g. AIFF on macOS)."""
    try:
        with wave.open(str(path)) as wav:
            return wav.getnframes() / wav.getframerate()
    except (wave.Error, EOFError):
        return 0.0
