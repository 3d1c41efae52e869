"""The short free text of an "Anders" signal, typed by staff: cleaning and checking.

Staff type it on the on-screen keyboard under the warning "Geen namen of andere
persoonsgegevens". It passes the rulebook's text rules (:func:`kiosk.core.rules.text_problem`:
printable characters only, no markup, no stacks of accent marks), with at most
:data:`~kiosk.core.model.FREE_TEXT_MAX` characters, and two checks of its own:
nothing that is plainly a person's details (an e-mail address, a phone or citizen
service number).

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

EMAIL = "Haal het e-mailadres weg. Geen namen of andere persoonsgegevens."
NUMBER = "Haal het lange nummer weg. Geen telefoonnummers of andere persoonsgegevens."


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


def free_text_problem(text: str) -> str | None:
    """What is wrong with ``text`` (checked as :func:`clean_free_text` stores it), as a
    short Dutch message for staff; None when it may be stored. The rulebook's text rules
    come first (the same messages as for a place name), then the personal details."""
    if (problem := rules.text_problem(text, FREE_TEXT_MAX)) is not None:
        return problem
    text = clean_free_text(text)
    if EMAIL_PATTERN.search(text):
        return EMAIL
    if _long_number(text):
        return NUMBER
    return None
