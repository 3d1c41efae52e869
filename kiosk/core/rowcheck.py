"""Rows that come from another laptop's database are checked as if typed at the kiosk.

A merged file is hostile until checked: every row must have the shape the kiosk
itself writes, by the one rulebook :mod:`kiosk.core.rules` (row ids as the kiosk
makes them, content ids, quarter-hour times, known kinds of place, allowed answers,
names the kiosk would take). A row that does not is skipped, and counted per
reason, so nothing in the central database can make ``export``, ``report`` or the
kiosk fail later. A time in any year is kept (outputs count a doubtful one under
"tijd onbekend"); an end before its start is repaired by the merge before this
check. Pure Python; no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.core import rules
from kiosk.core.freetext import free_text_problem
from kiosk.core.model import (
    ANSWERS,
    OTHER_SIGNAL,
    PLACE_KINDS,
    REFERRAL_KINDS,
    SOURCES,
)

#: Reasons, as the merge summary of ``kiosk merge`` says them (Dutch, for coordinators;
#: the staff screen has its own words for the counts).
BAD_ID = "een id die de kiosk zelf niet zo schrijft"
BAD_TIME = "een tijd die niet op een heel kwartier valt (JJJJ-MM-DDTUU:MM)"
BAD_TEXT = "een naam die de kiosk niet aanneemt (leeg, te lang, < of >, of verborgen tekens)"
BAD_KIND = "een onbekende soort plek"
BAD_ANSWER = "een antwoord dat niet eens, oneens of weet_niet is"
BAD_FLAG = "een ja/nee-veld dat niet 0 of 1 is"
BAD_NUMBER = "een getal dat te groot of te klein is (ook een versienummer)"
BAD_REFERRAL = "een soort verwijzing die niet past bij waar hij naartoe verwijst"
BAD_FREE_TEXT = "een vrije tekst die de kiosk zou weigeren"
MISSING_PARENT = "de regel hoort bij een regel die er niet is (een sessie of bezoek ontbreekt)"
NOT_OWNER = ("een wijziging van een regel die van een andere kiosk is (een bestand mag alleen "
             "de regels van zijn eigen kiosk veranderen)")
CLASH = "een regel die botst met een regel die er al is (twee antwoorden op één stelling)"


def _id(value: Any, optional: bool = False) -> bool:
    """A row id (uuid) as the kiosk writes them."""
    if value is None:
        return optional
    return rules.is_row_id(value)


def _content_id(value: Any, optional: bool = False) -> bool:
    """An id from the content (statement, course, theme, signal kind), or "" if optional."""
    if value is None or value == "":
        return optional
    return rules.is_content_id(value)


def _time(value: Any, optional: bool = False) -> bool:
    if value is None:
        return optional
    return rules.is_time(value)


def _flag(value: Any) -> bool:
    return type(value) is int and value in (0, 1)


def row_problem(table: str, row: Mapping[str, Any]) -> str | None:
    """Why ``row`` of ``table`` may not enter the database (a reason above), or None.

    Foreign keys are checked by the merge (it knows which rows exist).
    """
    if not _id(row.get("id")):
        return BAD_ID
    check = _CHECKS.get(table)
    return check(row) if check is not None else None


def _kiosk(row: Mapping[str, Any]) -> str | None:
    if not rules.stored_text_ok(row.get("name")):
        return BAD_TEXT
    return None if _time(row.get("created")) else BAD_TIME


def _session(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("kiosk_id")) or not _content_id(row.get("statement_set"), optional=True):
        return BAD_ID
    if not rules.stored_text_ok(row.get("location")):
        return BAD_TEXT
    if row.get("place_kind") not in PLACE_KINDS:
        return BAD_KIND
    if not _time(row.get("started")) or not _time(row.get("ended"), optional=True):
        return BAD_TIME
    if row.get("ended") is not None and row["ended"] < row["started"]:
        return BAD_TIME
    per_visit = row.get("per_visit")
    if per_visit is not None and (type(per_visit) is not int or not 1 <= per_visit <= 1000):
        return BAD_NUMBER
    # an approach from approaches.toml, or "" (none); a file from before schema 5 has none
    if row.get("approach", "") != "" and not rules.is_content_id(row.get("approach")):
        return BAD_ID
    return None


def _visit(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")):
        return BAD_ID
    if not _time(row.get("started")) or not _time(row.get("finished"), optional=True):
        return BAD_TIME
    if row.get("finished") is not None and row["finished"] < row["started"]:
        return BAD_TIME
    return None if _flag(row.get("completed")) else BAD_FLAG


def _answer(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _id(row.get("visit_id"), optional=True) \
            or not _content_id(row.get("statement_id")):
        return BAD_ID
    if row.get("answer") not in ANSWERS or row.get("source") not in SOURCES:
        return BAD_ANSWER
    return None if _time(row.get("at")) else BAD_TIME


def _referral(row: Mapping[str, Any]) -> str | None:
    if not all(_id(row.get(key)) for key in ("visit_id", "session_id")) \
            or not _content_id(row.get("course_id")):
        return BAD_ID
    return None if _flag(row.get("qr_shown")) and _flag(row.get("printed")) else BAD_FLAG


def _conversation(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _content_id(row.get("topic"), optional=True):
        return BAD_ID
    kind, target = row.get("referred_kind"), row.get("referred_to")
    if kind not in REFERRAL_KINDS or not _content_id(target, optional=True) or (kind == "") != (
            target == ""):
        return BAD_REFERRAL
    return None if _time(row.get("at")) else BAD_TIME


def _signal(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _content_id(row.get("kind")):
        return BAD_ID
    if not _time(row.get("at")):
        return BAD_TIME
    text = row.get("text", "")
    if row["kind"] == OTHER_SIGNAL:
        return BAD_FREE_TEXT if not isinstance(text, str) or free_text_problem(text) \
            or text != rules.clean_text(text) else None
    return None if text == "" else BAD_FREE_TEXT


_CHECKS = {"kiosk": _kiosk, "session": _session, "visit": _visit, "answer": _answer,
           "referral": _referral, "conversation": _conversation, "signal": _signal}

#: Which rows each table's rows belong to: (column, parent table, may be NULL).
PARENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "kiosk": (),
    "session": (("kiosk_id", "kiosk", False),),
    "visit": (("session_id", "session", False),),
    "answer": (("session_id", "session", False), ("visit_id", "visit", True)),
    "referral": (("session_id", "session", False), ("visit_id", "visit", False)),
    "conversation": (("session_id", "session", False),),
    "signal": (("session_id", "session", False),),
}
