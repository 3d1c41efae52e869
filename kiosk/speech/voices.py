"""Choosing the voice for a language from what the speech engine offers.

Pure Python, no Qt and no engine: the matching is unit-tested with fake voice
lists for each platform. What the engines report for a Dutch voice:

- espeak-ng (Linux): id ``gmw/nl``, name ``Dutch``, languages ``['nl']``.
- SAPI 5 (Windows): id ``HKEY_LOCAL_MACHINE\\...\\TTS_MS_NL-NL_FRANK_11.0``, name
  ``Microsoft Frank - Dutch (Netherlands)``; pyttsx3 turns the language id
  ``413`` into ``nl-NL``, older versions or other tools give the hex id itself
  (``0413``; ``0813`` is Dutch in Belgium).
- NSSpeechSynthesizer (macOS): id ``com.apple.voice.compact.nl-NL.Xander``,
  name ``Xander``, languages ``['nl_NL']``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Windows primary language ids (the low 10 bits of an LCID) of the languages
#: content can be in. Dutch is 0x13 (0x0413 Netherlands, 0x0813 Belgium).
WINDOWS_LANGUAGE_IDS: dict[str, int] = {"nl": 0x13, "en": 0x09, "de": 0x07, "fr": 0x0C}
#: English names of languages, as SAPI voice names carry them ("... - Dutch (Netherlands)").
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "nl": ("dutch", "nederlands"),
    "en": ("english",),
    "de": ("german", "deutsch"),
    "fr": ("french", "français"),
}
#: The region preferred when a language has several (Dutch from the Netherlands first).
PREFERRED_REGION: dict[str, str] = {"nl": "nl"}


@dataclass(frozen=True)
class Voice:
    """A voice as the engine reports it."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


def _locale(tag: str) -> tuple[str, str]:
    """``'nl_NL'``, ``'nl-nl'``, ``'nl'`` -> ``('nl', 'nl')`` / ``('nl', '')``."""
    parts = re.split(r"[-_.@]", tag.strip().lower())
    return parts[0], parts[1] if len(parts) > 1 else ""


def _windows_language(tag: str) -> int | None:
    """The primary language of a Windows LCID written in hex (``'0413'``, ``'413'``)."""
    tag = tag.strip().lower().removeprefix("0x")
    if re.fullmatch(r"[0-9a-f]{3,4}", tag) and re.search(r"\d", tag):
        return int(tag, 16) & 0x3FF
    return None


def _tag_match(tag: str, language: str) -> int:
    code, region = _locale(tag)
    if code == language:
        return 2 if region in ("", PREFERRED_REGION.get(language, code)) else 1
    windows = _windows_language(tag)
    if windows is not None and windows == WINDOWS_LANGUAGE_IDS.get(language):
        return 2 if int(tag.strip().lower().removeprefix("0x"), 16) >> 10 == 1 else 1
    return 0


def language_match(voice: Voice, language: str) -> int:
    """How well ``voice`` speaks ``language``: 0 not, 1 yes, 2 yes and in the preferred region.

    The voice's language list decides; when it has none that match, a locale
    inside the id (``...nl-NL.Xander``, ``gmw/nl``) or the language's name in
    the voice's name (``... - Dutch (Netherlands)``) does.

    Args:
        voice: a voice from the engine.
        language: a two-letter code such as ``"nl"``.
    """
    language = language.lower()
    best = max((_tag_match(str(tag), language) for tag in voice.languages), default=0)
    if best:
        return best
    ident = voice.id.lower()
    if re.split(r"[/\\]", ident)[-1] == language:
        return 2
    found = re.search(rf"(?<![a-z0-9]){language}[-_]([a-z]{{2}})(?![a-z0-9])", ident)
    if found:
        return _tag_match(found.group(0), language)
    name = voice.name.lower()
    if any(re.search(rf"\b{word}\b", name) for word in LANGUAGE_NAMES.get(language, ())):
        return 1 if "belgi" in name or "flemish" in name else 2
    return 0


def pick_voice(voices: Iterable[Voice], language: str) -> Voice | None:
    """The best voice for ``language`` (the first of the best), or None when there is none."""
    best, chosen = 0, None
    for voice in voices:
        score = language_match(voice, language)
        if score > best:
            best, chosen = score, voice
    return chosen


def no_voice_message(language: str) -> str:
    """What staff read when no voice speaks ``language``: what to install, per system."""
    if language == "nl":
        return (
            "Geen Nederlandse stem gevonden: installeer espeak-ng (Linux: sudo apt-get install "
            "espeak-ng) of voeg de Nederlandse stem toe (Windows: Instellingen > Tijd en taal > "
            "Spraak; macOS: Systeeminstellingen > Toegankelijkheid > Gesproken materiaal). "
            "De kiosk werkt verder met opgenomen geluid of zonder geluid."
        )
    return (
        f"Geen stem gevonden voor de taal '{language}': installeer espeak-ng (Linux) of voeg "
        "een stem voor die taal toe in de spraakinstellingen van de computer. De kiosk werkt "
        "verder met opgenomen geluid of zonder geluid."
    )
