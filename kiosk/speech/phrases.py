"""Everything the kiosk can say: fixed phrases, statements, courses. Pure Python, no Qt.

The GUI, ``kiosk speech render`` and ``kiosk voice`` use the same list, so what
staff render or record before a session is exactly what a tap plays. Each item
is ``(key, text)``: the key names the phrase (a recording of it,
:mod:`kiosk.speech.recordings`, wins over synthesis while its text is the same),
the text is what is shown and read.

Keys (stable, lower case): a statement's id (``digid``), a phrase key from
:data:`PHRASES` (``eens``), ``cursus-<course id>`` for a course's name and line,
``uitleg-<statement id>`` for a statement's word help, ``bibliotheek`` for the
library's details. Partners (``partners.toml``) have no key: only staff see them,
on the conversation log; the kiosk never says them. Buttons other than the answers,
"Klaar" (held for a second) and the idle screen's two are not spoken; the attract
screen says its invitation (``uitnodiging``) on "Luister" and, when the library
asks for it, every few minutes.
"""

from __future__ import annotations

from kiosk.core.model import Content, Course, Library, Statement, StatementSet

#: Seconds of "Ben je er nog?" before the kiosk starts over (kiosk.gui.window.IDLE_COUNTDOWN).
IDLE_SECONDS = 20


def countdown_text(seconds: int) -> str:
    """The idle screen's countdown line, e.g. "Nog 20 seconden"."""
    return "Nog 1 seconde" if seconds == 1 else f"Nog {seconds} seconden"


#: Fixed phrases (key -> Dutch text, A2). The answer keys match kiosk.core.model.ANSWERS.
#: Each is shown and played somewhere (tests/test_phrases.py keeps it that way):
#: the answer words and "klaar-vroeg" when their button is held, "nog-daar" on the
#: idle screen, "dank" to "bibliotheek" on the end screen, top to bottom, "bonnetje"
#: when a slip has printed, "klaar" when the end screen's Klaar is tapped, "pauze-opslaan"
#: on the pause screen when saving fails (kiosk.gui.window.PAUSE_KEY, the PauseScreen's words),
#: "uitnodiging" on the attract screen (Luister, and every few minutes when the library
#: asks), "nog-daar", "nog-daar-tijd", "stoppen" and "ga-door" on the idle screen, in order.
PHRASES: dict[str, str] = {
    "eens": "Eens",
    "oneens": "Oneens",
    "weet_niet": "Weet ik niet",
    "klaar-vroeg": "Klaar. Dan zie je wat bij jou past.",
    "uitnodiging": "Doe mee! Tik op het scherm. Je hoort een zin. Ben je het eens, of oneens?",
    "nog-daar": "Ben je er nog?",
    "nog-daar-tijd": f"{countdown_text(IDLE_SECONDS)}.",
    "stoppen": "Stoppen",
    "ga-door": "Ja, ik ga door",
    "dank": "Dank je wel!",
    "cursus": "Dit past bij jou.",
    "scan": "Scan de code met je telefoon.",
    "hulp": "Wil je hulp? Praat met ons.",
    "bonnetje": "Neem het briefje mee.",
    "klaar": "Klaar. De volgende mag.",
    "pauze-opslaan": "Even pauze. Vraag de medewerker.",
}

#: The key of the library's details (name, address, hours) on the end screen.
LIBRARY_KEY = "bibliotheek"
#: Said and shown instead of an address when library.toml has none.
ASK_STAFF = "Vraag de medewerker waar de bibliotheek is."
UITLEG_PREFIX = "uitleg-"

COURSE_PREFIX = "cursus-"


def course_key(course: Course) -> str:
    """The key of a course's spoken name and line, e.g. ``cursus-digisterker``."""
    return f"{COURSE_PREFIX}{course.id}"


def course_text(course: Course) -> str:
    """What is read for a course: its name, then its line."""
    name = course.name.rstrip(" .")
    return f"{name}. {course.line}"


def uitleg_key(statement: Statement) -> str:
    """The key of a statement's word help, e.g. ``uitleg-digid``."""
    return f"{UITLEG_PREFIX}{statement.id}"


def library_lines(library: Library) -> list[str]:
    """The library's name, its address (or "ask staff") and its hours, as shown."""
    lines = [library.name, library.address or ASK_STAFF, library.hours]
    return [" ".join(line.split()) for line in lines if line and line.strip()]


def library_text(library: Library) -> str:
    """The library's details as spoken sentences."""
    return " ".join(line if line[-1] in ".!?" else f"{line}." for line in library_lines(library))


def end_screen_items(course: Course, library: Library) -> list[tuple[str, str]]:
    """What the end screen reads, top to bottom: thanks, the course, the QR hint, the people."""
    return [
        ("dank", PHRASES["dank"]),
        ("cursus", PHRASES["cursus"]),
        (course_key(course), course_text(course)),
        ("scan", PHRASES["scan"]),
        ("hulp", PHRASES["hulp"]),
        (LIBRARY_KEY, library_text(library)),
    ]


def speakable_items(
    content: Content, statement_set: StatementSet | None = None
) -> list[tuple[str, str]]:
    """Every (key, text) the kiosk can say, most urgent first, without duplicates.

    Args:
        content: the loaded content.
        statement_set: only this set's statements (a running session); None: every set.

    Returns:
        The statements in screen order, then the fixed phrases and the library's
        details, then the courses, then the word help.
    """
    sets = [statement_set] if statement_set is not None else list(content.sets.values())
    items = [(s.id, s.text) for each in sets for s in each.statements]
    items += list(PHRASES.items())
    items.append((LIBRARY_KEY, library_text(content.library)))
    items += [(course_key(c), course_text(c)) for c in content.courses.values()]
    items += [(uitleg_key(s), s.uitleg) for each in sets for s in each.statements if s.uitleg]
    return list(dict.fromkeys(items))
