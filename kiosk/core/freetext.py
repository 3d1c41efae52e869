"""The short free text of an "Anders" signal, typed by staff: cleaning and checking.

Staff type it on the on-screen keyboard under the warning "Geen namen of andere
persoonsgegevens". It passes the same character checks as content text (hidden
characters, stacks of accent marks: shared with :mod:`kiosk.core.content`), and
a few of its own: at most :data:`~kiosk.core.model.FREE_TEXT_MAX` characters, no
markup, and nothing that is plainly a person's details (an e-mail address, a
phone or citizen service number).

A text that starts like a spreadsheet formula (``= + - @``) is kept as typed:
the exports neutralise it. The messages are Dutch, short, for staff.

The text itself is personal to what staff heard: it is stored, never logged, and
never part of an exception message.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.core.content import combining_stack, hidden_char
from kiosk.core.model import FREE_TEXT_MAX

#: Characters that would make a text markup (Qt shows a text with tags as rich text).
MARKUP_CHARS = "<>"
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

EMPTY = "Typ eerst iets."
TOO_LONG = "Te lang: {n} tekens. Het mag {max} tekens zijn."
HIDDEN = "Er staat een onzichtbaar teken in de tekst. Typ de tekst opnieuw."
MARKUP = "Haal de tekens < en > weg."
STACKED = "Er staan te veel accenten op één letter. Typ de tekst opnieuw."
EMAIL = "Haal het e-mailadres weg. Geen namen of andere persoonsgegevens."
NUMBER = "Haal het lange nummer weg. Geen telefoonnummers of andere persoonsgegevens."


def clean_free_text(text: str) -> str:
    """``text`` as it is stored: Unicode NFC (an accent joined to its letter), every run
    of white space (tabs and line breaks too) made one space, no space at either end."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _long_number(text: str) -> bool:
    """A phone number, BSN or account number in ``text`` (dates do not count)."""
    for run in NUMBER_RUN_PATTERN.finditer(DATE_PATTERN.sub(" ", text)):
        groups = re.split(r"[\s./-]+", run[0])
        if all(YEAR_PATTERN.fullmatch(group) for group in groups):
            continue  # "2024 2025", "2023-2024": years
        if sum(map(len, groups)) >= MIN_PERSONAL_DIGITS:
            return True
    return False


def free_text_problem(text: str) -> str | None:
    """What is wrong with ``text`` (checked as :func:`clean_free_text` stores it), as a
    short Dutch message for staff; None when it may be stored."""
    text = clean_free_text(text)
    if not text:
        return EMPTY
    if len(text) > FREE_TEXT_MAX:
        return TOO_LONG.format(n=len(text), max=FREE_TEXT_MAX)
    if hidden_char(text) is not None:
        return HIDDEN
    if any(ch in MARKUP_CHARS for ch in text):
        return MARKUP
    if combining_stack(text) is not None:
        return STACKED
    if EMAIL_PATTERN.search(text):
        return EMAIL
    if _long_number(text):
        return NUMBER
    return None
