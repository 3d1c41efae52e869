"""The "Anders" free text that staff type: cleaning and the Dutch messages (no Qt)."""

from __future__ import annotations

import pytest

from kiosk.core import freetext, rules
from kiosk.core.freetext import NAME, NUMBER, PERSONAL, clean_free_text, free_text_problem, say_once
from kiosk.core.model import FREE_TEXT_MAX


def hidden(code: str) -> str:
    return ("Er staat een onzichtbaar of ongeldig teken in de tekst "
            f"(U+{code}). Typ de tekst opnieuw.")


@pytest.mark.parametrize(("typed", "stored"), [
    ("  Veel vragen over de energietoeslag  ", "Veel vragen over de energietoeslag"),
    ("Twee\tdingen:\nhuur  en\r\ngas", "Twee dingen: huur en gas"),
    ("caf\u0065\u0301", "caf\u00e9"),  # an accent typed apart joins its letter (NFC)
    ("=1+1", "=1+1"),  # a formula start is kept as typed: the exports neutralise it
    ("", ""),
])
def test_clean_free_text(typed: str, stored: str) -> None:
    assert clean_free_text(typed) == stored


@pytest.mark.parametrize("text", [
    "Veel vragen over de energietoeslag",
    "Mensen snappen de nieuwe afvalpas niet",
    "x" * FREE_TEXT_MAX,
    "  " + "y" * FREE_TEXT_MAX + "  ",  # the outer spaces are not stored, so not counted
    "a  " * 70,  # 210 typed, 139 stored
    "=SOM(A1:A9)",
    "+31 is het landnummer",
    "-5 graden en de verwarming is kapot",
    "@gemeente op Facebook reageert niet",
    '=HYPERLINK("https://example.com";"klik")',
    "Brief van 12-03-2025 niet begrepen",
    "Huur 2024 2025 en 2023-2024 stijgt",
    "Schuld van € 12.500 bij de energie",
    "Postcode 1234 AB heeft geen bus meer",
    "Crème brûlée en één café",
    "Tiếng Việt: ệ heeft twee accenten",
    "Vragen over AOW & pensioen; 'snel' \"graag\"",
])
def test_good_texts_pass(text: str) -> None:
    assert free_text_problem(text) is None


@pytest.mark.parametrize(("text", "message"), [
    ("", "Typ eerst iets."),
    ("   \n\t ", "Typ eerst iets."),
    ("x" * 152, "Te lang: 152 tekens. Het mag 140 tekens zijn."),
    ("x" * (FREE_TEXT_MAX + 1), "Te lang: 141 tekens. Het mag 140 tekens zijn."),
    ("<b>vet</b>", "Haal de tekens < en > weg."),
    ("<script>alert(1)</script>", "Haal de tekens < en > weg."),
    ("meer dan > minder", "Haal de tekens < en > weg."),
    ("onzicht\u200bbaar", hidden("200B")),
    ("omgekeerd \u202etekst", hidden("202E")),
    ("bel\x07", hidden("0007")),
    ("half \ud800 teken", hidden("D800")),
    ("Z\u0301\u0302\u0303\u0304\u0305algo", "Er staan te veel accenten op één letter. "
                                             "Typ de tekst opnieuw."),
    ("mail naar jan.jansen@example.nl", "Haal het e-mailadres weg. Geen namen of andere "
                                        "persoonsgegevens."),
    ("bel 06-12345678", NUMBER),
    ("niet\uffffgeldig", hidden("FFFF")),
    ("bel +31 6 1234 5678", NUMBER),
    ("BSN 123456789", NUMBER),
    ("BSN 1234.56.789", NUMBER),
    ("rekening NL91ABNA0417164300", NUMBER),
])
def test_bad_texts_get_a_short_dutch_message(text: str, message: str) -> None:
    assert free_text_problem(text) == message
    assert text.strip() == "" or text not in message  # the message never repeats the text


def test_length_is_counted_as_stored() -> None:
    decomposed = "e\u0301" * FREE_TEXT_MAX  # 280 code points typed, 140 letters stored
    assert free_text_problem(decomposed) is None
    assert len(clean_free_text(decomposed)) == FREE_TEXT_MAX


def test_the_character_checks_are_the_rulebook() -> None:
    """One definition of a storable text for free text, place names and content: the
    rulebook's (kiosk.core.rules)."""
    assert freetext.clean_free_text is rules.clean_text
    for text in ("a\u200bb", "<b>", "x\uffff", "e\u0301\u0302\u0303", "a\u00a0b\u2028c", ""):
        assert free_text_problem(text) == rules.text_problem(text, FREE_TEXT_MAX)
    assert rules.bad_char("a\u200bb") == "\u200b"
    assert rules.bad_char("nog \uffff") == "\uffff"  # XML 1.0 cannot carry it
    assert rules.bad_char("gewoon") is None
    assert rules.combining_stack("e\u0301") is None
    assert rules.combining_stack("ê\u0323") is None  # two marks: a language, not a stack
    assert rules.combining_stack("ab\u0301\u0302\u0303c") == "b\u0301\u0302\u0303"


@pytest.mark.parametrize("text", [
    "mevrouw jansen",
    "Dhr. De Vries",
    "dhr. jansen kwam langs",
    "Dhr.De Vries",
    "MEVROUW Jansen",
    "Vraag van mw. Yılmaz over huur",
    "meneer van Dijk wil hulp",
    "de juf Anna van groep 3",
    "meester Bakker",
    "De heer Bakker belde",
])
def test_a_name_after_a_form_of_address_is_refused(text: str) -> None:
    assert free_text_problem(text) == NAME == "Haal de naam weg. " + PERSONAL


@pytest.mark.parametrize("text", [
    "de mevrouw van de kassa",
    "een meneer die belde over de AOW",
    "Mevrouw wil hulp met DigiD",
    "Meneer vroeg naar de energietoeslag",
    "de juf van groep 3 zocht boeken",
    "meester zei dat het moeilijk was",
    "vragen van meneer",
    "Meneer!",
    "mevrouwen en heren",  # not a form of address on its own
    "de gemeenteheer",
    "Kaas & Co",
])
def test_a_form_of_address_without_a_name_passes(text: str) -> None:
    """The rule (see freetext._named_person): after name particles (van, de ...) only a
    capitalised word is a name; right after the form of address, also a lower-case word
    that is not a common one. Fewer false refusals; "mevrouw van dijk" is the known miss."""
    assert free_text_problem(text) is None
    assert free_text_problem("mevrouw van dijk") is None  # the documented miss


def sentences(message: str) -> list[str]:
    return [part for part in message.replace(". ", ".|").split("|") if part]


@pytest.mark.parametrize("text", [
    "mail jan@example.nl of bel 06-12345678",
    "mevrouw jansen, 06-12345678",
    "Dhr. De Vries jan@example.nl 0612345678",
])
def test_each_refusal_is_said_once(text: str) -> None:
    message = free_text_problem(text)
    assert message is not None
    parts = sentences(message)
    assert len(parts) == len(set(parts)), message
    assert message.count(PERSONAL) == 1
    assert message.endswith(PERSONAL)
    assert "Haal het lange nummer weg." in message


def test_say_once_drops_repeated_sentences() -> None:
    assert say_once(NUMBER, PERSONAL) == NUMBER
    assert say_once(None, "", "Eén. Twee.", "Twee. Drie.") == "Eén. Twee. Drie."
    assert say_once() == ""
