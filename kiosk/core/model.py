"""The content model: statement sets, courses, rules, locations, the library.

Plain frozen dataclasses, built by :mod:`kiosk.core.content` from TOML files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The answers a passer-by can give, in the order the screen offers them.
ANSWERS: tuple[str, ...] = ("eens", "oneens", "weet_niet")
#: Where an answer came from: a tap on the kiosk, or a beanbag throw counted by staff.
SOURCES: tuple[str, ...] = ("touch", "staff")
#: Kinds of place a stand can be at.
PLACE_KINDS: tuple[str, ...] = (
    "markt", "supermarkt", "zwembad", "wijkcentrum", "bibliotheek", "anders",
)
#: The signal kind for a signal that staff describe in a short free text ("Anders").
#: No signal in ``signals.toml`` may use this id.
OTHER_SIGNAL = "anders"
#: The most characters of such a free text.
FREE_TEXT_MAX = 140
#: The approach of a session with no special approach (stored as ""). The kiosk adds it
#: to the approaches of ``approaches.toml``; no approach there may use this id.
NO_APPROACH = "geen"
#: How staff and every output name :data:`NO_APPROACH`.
NO_APPROACH_NAME = "Geen"
#: The speech volume (0..100) when neither staff nor library.toml (``volume``) chose one.
DEFAULT_VOLUME = 80
#: Where a conversation was referred to: nowhere (""), a course, or a partner.
REFERRAL_KINDS: tuple[str, ...] = ("", "course", "partner")


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    pictogram: str
    theme: str
    #: Word help: one short sentence that explains a hard word ("Wat is dat?"); "" for none.
    uitleg: str = ""


@dataclass(frozen=True)
class StatementSet:
    id: str
    name: str
    language: str
    statements: tuple[Statement, ...]

    def get(self, statement_id: str) -> Statement | None:
        return next((s for s in self.statements if s.id == statement_id), None)


@dataclass(frozen=True)
class Course:
    id: str
    name: str
    line: str
    url: str
    pictogram: str


@dataclass(frozen=True)
class Partner:
    """An organisation staff can refer someone to after a conversation (``partners.toml``)."""

    id: str
    name: str
    line: str


@dataclass(frozen=True)
class SignalKind:
    """A kind of signal staff hear and log for the municipality (``signals.toml``)."""

    id: str
    name: str


@dataclass(frozen=True)
class Approach:
    """A way the library reaches people at a stand (``approaches.toml``): a cargo bike at
    the market, a digispot, an icebreaker; staff choose one when a session starts."""

    id: str
    name: str
    line: str


@dataclass(frozen=True)
class Rule:
    """An answer to a statement that points at a course."""

    statement: str
    answer: str
    course: str


@dataclass(frozen=True)
class Location:
    name: str
    kind: str


@dataclass(frozen=True)
class Library:
    name: str
    address: str = ""
    hours: str = ""
    phone: str = ""
    default_set: str = ""
    #: Statements per visit (``per_visit`` in library.toml); None: every statement of the set.
    per_visit: int | None = 3
    #: A folder a sync tool carries (Syncthing, Nextcloud, OneDrive, a network share):
    #: the kiosk writes a snapshot ``<kiosk name>.db`` there; "" for none.
    outbox: str = ""
    #: The speech volume a new session starts with (``volume`` in library.toml, 0..100).
    volume: int = DEFAULT_VOLUME
    #: Read the invitation aloud every this many minutes while the start screen waits
    #: (``invitation_minutes`` in library.toml, 0..60); 0: never (the default).
    invitation_minutes: int = 0


@dataclass(frozen=True)
class Content:
    library: Library
    sets: Mapping[str, StatementSet]
    courses: Mapping[str, Course]
    rules: tuple[Rule, ...]
    default_course: str
    locations: tuple[Location, ...] = ()
    themes: Mapping[str, str] = field(default_factory=dict)
    #: The files this content was read from (for messages and ``kiosk check``).
    sources: tuple[str, ...] = ()
    #: Add the session tags (``?bron=kiosk&plek=<kind>``) to course links
    #: (``[qr] tags = true`` in library.toml); see :func:`kiosk.core.qr.course_link`.
    qr_tags: bool = False
    #: Things ``kiosk check`` warns about without failing (e.g. a hard word without uitleg).
    warnings: tuple[str, ...] = ()
    #: Partners to refer someone to after a conversation, id -> partner (file order).
    partners: Mapping[str, Partner] = field(default_factory=dict)
    #: The kinds of signal staff can log, id -> kind (file order); "Anders"
    #: (:data:`OTHER_SIGNAL`, with a free text) is not among them: the kiosk adds it.
    signals: Mapping[str, SignalKind] = field(default_factory=dict)
    #: The approaches staff can choose for a session, id -> approach (file order);
    #: "Geen" (:data:`NO_APPROACH`, stored as "") is not among them: the kiosk adds it.
    approaches: Mapping[str, Approach] = field(default_factory=dict)
    #: How the voice says some written forms (``uitspraak.toml``), written -> spoken,
    #: e.g. "&" -> "en"; see :func:`kiosk.speech.pronounce.spoken`.
    pronunciations: Mapping[str, str] = field(default_factory=dict)

    def statement_set(self, set_id: str | None = None) -> StatementSet:
        """The named set, else the library's default set, else the first one."""
        if set_id:
            return self.sets[set_id]
        if self.library.default_set in self.sets:
            return self.sets[self.library.default_set]
        return next(iter(self.sets.values()))

    def statement_text(self, statement_id: str) -> str:
        for statement_set in self.sets.values():
            found = statement_set.get(statement_id)
            if found:
                return found.text
        return statement_id

    def course_name(self, course_id: str) -> str:
        """The course's name; its id if the content no longer has it."""
        course = self.courses.get(course_id)
        return course.name if course else course_id

    def suggest(self, answers: Mapping[str, str], limit: int = 2) -> list[Course]:
        """Courses that fit ``answers`` (statement id -> answer), best first.

        A course scores one point per matching rule; ties keep the order of the
        courses file. With no match, the default course (the Taalhuis) is
        suggested: everyone leaves with somewhere to go.
        """
        scores: dict[str, int] = {}
        for rule in self.rules:
            if answers.get(rule.statement) == rule.answer:
                scores[rule.course] = scores.get(rule.course, 0) + 1
        order = list(self.courses)
        ranked = sorted(scores, key=lambda c: (-scores[c], order.index(c)))
        chosen = ranked[:limit] or [self.default_course]
        return [self.courses[c] for c in chosen]
