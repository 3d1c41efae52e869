"""Choosing the Dutch voice from what each platform's engine reports (fake voice lists)."""

from __future__ import annotations

import pytest

from kiosk.speech.voices import Voice, language_match, no_voice_message, pick_voice

ESPEAK = [
    Voice("gmw/af", "Afrikaans", ("af",)),
    Voice("gmw/de", "German", ("de",)),
    Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
    Voice("gmw/nds", "Low German", ("nds",)),
    Voice("gmw/nl", "Dutch", ("nl",)),
]
SAPI = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens\\"
WINDOWS = [
    Voice(SAPI + "TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop - English (United States)",
          ("en-US",)),
    Voice(SAPI + "TTS_MS_NL-NL_FRANK_11.0", "Microsoft Frank - Dutch (Netherlands)", ("nl-NL",)),
]
MACOS = [
    Voice("com.apple.voice.compact.en-US.Samantha", "Samantha", ("en_US",)),
    Voice("com.apple.voice.compact.nl-BE.Ellen", "Ellen", ("nl_BE",)),
    Voice("com.apple.voice.compact.nl-NL.Xander", "Xander", ("nl_NL",)),
    Voice("com.apple.speech.synthesis.voice.Claire", "Claire", ("nl_NL",)),
]


@pytest.mark.parametrize(("voices", "expected"), [
    (ESPEAK, "gmw/nl"),
    (WINDOWS, SAPI + "TTS_MS_NL-NL_FRANK_11.0"),
    (MACOS, "com.apple.voice.compact.nl-NL.Xander"),
])
def test_the_dutch_voice_is_chosen_on_each_platform(voices: list[Voice], expected: str) -> None:
    chosen = pick_voice(voices, "nl")
    assert chosen is not None
    assert chosen.id == expected


@pytest.mark.parametrize("languages", [("0413",), ("413",), ("0x0413",), ("nl-NL",), ("NL_nl",)])
def test_windows_language_ids_and_locales_mean_dutch(languages: tuple[str, ...]) -> None:
    assert language_match(Voice("token", "Some voice", languages), "nl") == 2


def test_belgian_dutch_is_taken_when_it_is_the_only_dutch() -> None:
    flemish = [Voice("en", "English", ("en",)), Voice("v", "Ellen", ("nl_BE",))]
    assert pick_voice(flemish, "nl") == flemish[1]
    assert language_match(Voice("t", "x", ("0813",)), "nl") == 1


def test_a_voice_without_languages_is_known_by_its_id_or_name() -> None:
    assert language_match(Voice("gmw/nl", "x"), "nl") == 2
    assert language_match(Voice("com.apple.voice.compact.nl-NL.Xander", "Xander"), "nl") == 2
    assert language_match(Voice("TTS_MS_NL-NL_HANNA_11.0", "x"), "nl") == 2
    assert language_match(Voice("token", "Microsoft Hanna - Dutch (Netherlands)"), "nl") == 2
    assert language_match(Voice("token", "Microsoft Bart - Dutch (Belgium)"), "nl") == 1


@pytest.mark.parametrize("voice", [
    Voice("gmw/nds", "Low German", ("nds",)),
    Voice("gmw/en", "English", ("en-gb",)),
    Voice("token", "Microsoft Zira - English", ("409",)),
    Voice("token", "Microsoft Stefan - German", ("0407",)),
    Voice("com.apple.voice.compact.en-US.Samantha", "Samantha", ("en_US",)),
    Voice("bad", "Unknown", ("Unknown Locale: 9999", "fab")),
])
def test_other_languages_are_not_dutch(voice: Voice) -> None:
    assert language_match(voice, "nl") == 0


def test_no_dutch_voice_gives_none_and_a_message_for_staff() -> None:
    assert pick_voice([v for v in ESPEAK if v.id != "gmw/nl"], "nl") is None
    assert pick_voice([], "nl") is None
    message = no_voice_message("nl")
    assert message.startswith("Geen Nederlandse stem gevonden")
    assert "espeak-ng" in message
