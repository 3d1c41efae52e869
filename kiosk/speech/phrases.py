"""Everything the kiosk can say: fixed phrases, statements, courses. Pure Python, no Qt.

The GUI and ``kiosk speech render`` use the same list, so what staff render
before a session is exactly what a tap plays. Each item is ``(key, text)``:
the key names a recorded clip (``audio/<key>.wav``) that wins over synthesis,
the text is what the synthesizer reads.

Keys: a statement's id (``digid``), a phrase key from :data:`PHRASES`
(``eens``), or ``cursus-<course id>`` for a course's name and line.
"""

from __future__ import annotations

from kiosk.core.model import Content, Course, StatementSet

#: Fixed phrases (key -> Dutch text, A2). The answer keys match kiosk.core.model.ANSWERS.
PHRASES: dict[str, str] = {
    "welkom": "Tik op het scherm om te beginnen.",
    "uitleg": "Luister naar de zin. Ben je het eens? Of niet?",
    "eens": "Eens",
    "oneens": "Oneens",
    "weet_niet": "Weet ik niet",
    "herhaal": "Tik op de luidspreker. Dan hoor je de zin nog een keer.",
    "nog-daar": "Ben je er nog?",
    "dank": "Dank je wel!",
    "cursus": "Dit past bij jou.",
    "scan": "Scan de code met je telefoon.",
    "bonnetje": "Neem het briefje mee.",
    "klaar": "Klaar. De volgende mag.",
}

COURSE_PREFIX = "cursus-"


def course_key(course: Course) -> str:
    """The key of a course's spoken name and line, e.g. ``cursus-digisterker``."""
    return f"{COURSE_PREFIX}{course.id}"


def course_text(course: Course) -> str:
    """What is read for a course: its name, then its line."""
    name = course.name.rstrip(" .")
    return f"{name}. {course.line}"


def speakable_items(
    content: Content, statement_set: StatementSet | None = None
) -> list[tuple[str, str]]:
    """Every (key, text) the kiosk can say, most urgent first, without duplicates.

    Args:
        content: the loaded content.
        statement_set: only this set's statements (a running session); None: every set.

    Returns:
        The statements in screen order, then the fixed phrases, then the courses.
    """
    sets = [statement_set] if statement_set is not None else list(content.sets.values())
    items = [(s.id, s.text) for each in sets for s in each.statements]
    items += list(PHRASES.items())
    items += [(course_key(c), course_text(c)) for c in content.courses.values()]
    return list(dict.fromkeys(items))
