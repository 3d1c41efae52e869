"""The short free text of an "Anders" signal, typed by staff: cleaning and checking.

Staff type it on the on-screen keyboard under the warning "Geen namen of andere
persoonsgegevens". It passes the rulebook's text rules (:func:`kiosk.core.rules.text_problem`:
printable characters only, no markup, no stacks of accent marks), with at most
:data:`~kiosk.core.model.FREE_TEXT_MAX` characters, and checks of its own:
nothing that is plainly a person's details (an e-mail address, a phone or citizen
service number, a name after a form of address: see :func:`_named_person`).
Every personal-data problem is named, and their shared sentence ("Geen namen of
andere persoonsgegevens.") is said once (:func:`say_once`).

A text that starts like a spreadsheet formula (``= + - @``) is kept as typed:
the exports neutralise it. The messages are Dutch, short, for staff.

The text itself is personal to what staff heard: it is stored, never logged, and
never part of an exception message.
"""

from __future__ import annotations

import re

from kiosk.core import rules
from kiosk.core.model import FREE_TEXT_MAX

#: Something@something.tld: an e-mail address.
EMAIL_PATTERN = re.compile(r"[^\s@]+@[^\s@]+\.[^\W\d_]{2,}")
#: A date (12-03-2025, 1/3/25, 12.03.2025): not a person's number, left out of the next check.
DATE_PATTERN = re.compile(r"(?<!\d)\d{1,2}([-/.])\d{1,2}\1(\d{4}|\d{2})(?!\d)")
#: A year: runs of years only ("2024 2025") are not a person's number either.
YEAR_PATTERN = re.compile(r"(19|20)\d\d")
#: A run of digits (with spaces, dots, hyphens or slashes between them) ...
NUMBER_RUN_PATTERN = re.compile(r"\d[\d\s./-]*\d")
#: ... that holds this many digits or more: a phone number (10), a BSN (9), a bank
#: account; years, amounts, postcodes and house numbers stay below it.
MIN_PERSONAL_DIGITS = 8

#: A form of address (mevrouw, meneer, mw., dhr., juf, meester ...) and the words after it.
TITLE_PATTERN = re.compile(
    r"(?<![^\W\d_])(mevrouw|mevr|mw|meneer|mijnheer|dhr|heer|juffrouw|juf|meester)\b"
    r"(?:\.\s*|\s+)([^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)*)", re.IGNORECASE)
#: Words that may stand between a form of address and a surname ("mevrouw van Dijk",
#: "Dhr. De Vries"), skipped before deciding whether a name follows.
NAME_PARTICLES = frozenset(
    "van de der den het 't ter ten te in op la le da di el al bin ben von zu".split())
#: Lower-case words that often follow "mevrouw", "meneer" or "de juf" in a sentence and
#: are not a name ("de mevrouw die belde", "een meneer met een vraag").
COMMON_AFTER_TITLE = frozenset("""
    die dat wie wat met en of maar want uit aan bij voor achter naast naar om over zelf ook
    niet nog al toen dan wel zonder tegen heel erg hier daar er een zijn haar hem hun is was
    wil wilde wou kwam komt vroeg vraagt zei zegt had heeft kon kan moest moet wist weet ging
    gaat zocht zoekt snapt snapte begreep begrijpt belde belt keek kijkt liep loopt stond
    staat zat zit werd wordt zou mag mocht hoorde hoort leest las vond vindt woont werkt
    kreeg krijgt maakt maakte dacht denkt schrok huilde lachte sprak spreekt vertelde vertelt
    wachtte wacht bleef blijft kent kende heb hebben waren zijn deze dit zo nu net alleen
    uitleg hulp vragen vraag groep klas school kassa balie bieb bibliotheek winkel loket
    gemeente""".split())

#: The sentence every personal-data refusal ends with (and the signal screen's warning).
PERSONAL = "Geen namen of andere persoonsgegevens."
EMAIL = f"Haal het e-mailadres weg. {PERSONAL}"
NUMBER = f"Haal het lange nummer weg. {PERSONAL}"
NAME = f"Haal de naam weg. {PERSONAL}"
#: The end of a sentence: where :func:`say_once` splits a message.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


#: ``text`` as it is stored: the rulebook's :func:`~kiosk.core.rules.clean_text` (Unicode
#: NFC, every run of white space one space, none at the ends).
clean_free_text = rules.clean_text


def _long_number(text: str) -> bool:
    """A phone number, BSN or account number in ``text`` (dates do not count)."""
    for run in NUMBER_RUN_PATTERN.finditer(DATE_PATTERN.sub(" ", text)):
        groups = re.split(r"[\s./-]+", run[0])
        if all(YEAR_PATTERN.fullmatch(group) for group in groups):
            continue  # "2024 2025", "2023-2024": years
        if sum(map(len, groups)) >= MIN_PERSONAL_DIGITS:
            return True
    return False


def _named_person(text: str) -> bool:
    """True when a name follows a form of address (mevrouw, meneer, mw., dhr., juf, ...).

    The rule (case-insensitive for the form of address): skip name particles (van, de,
    der, ter ...) after it; then the next word is a name when it starts with a capital
    ("Dhr. De Vries", "mevrouw Jansen"), or, when no particle was skipped, when it is a
    lower-case word that is not in :data:`COMMON_AFTER_TITLE` ("mevrouw jansen").
    So "de mevrouw van de kassa" and "een meneer die belde" pass, and so does a
    lower-case name after a particle ("mevrouw van dijk"): fewer false refusals, at the
    price of that miss."""
    for match in TITLE_PATTERN.finditer(text):
        words = match[2].split()
        skipped = False
        while words and words[0].lower() in NAME_PARTICLES:
            words.pop(0)
            skipped = True
        if not words:
            continue
        word = words[0]
        if word[0].isupper():
            return True
        if not skipped and word.lower() not in COMMON_AFTER_TITLE:
            return True
    return False


def say_once(*messages: str | None) -> str:
    """The messages as one text in which no sentence is said twice (empty ones left out)."""
    seen: list[str] = []
    for message in messages:
        for sentence in SENTENCE_END.split(message or ""):
            if sentence.strip() and sentence.strip() not in seen:
                seen.append(sentence.strip())
    return " ".join(seen)


def free_text_problem(text: str) -> str | None:
    """What is wrong with ``text`` (checked as :func:`clean_free_text` stores it), as a
    short Dutch message for staff; None when it may be stored. The rulebook's text rules
    come first (the same messages as for a place name), then the personal details: each
    one found is named, and the shared sentence is said once."""
    if (problem := rules.text_problem(text, FREE_TEXT_MAX)) is not None:
        return problem
    text = clean_free_text(text)
    found = [message for message, seen in ((EMAIL, EMAIL_PATTERN.search(text)),
                                           (NUMBER, _long_number(text)),
                                           (NAME, _named_person(text))) if seen]
    # "Haal ... weg." for each, then the shared sentence once, at the end
    return say_once(*(message.removesuffix(PERSONAL) for message in found), PERSONAL) \
        if found else None
