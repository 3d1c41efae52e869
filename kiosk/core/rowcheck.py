"""Rows that come from another laptop's database are checked as if typed at the kiosk.

A merged file is hostile until checked: every row must have the shape the kiosk
itself writes (quarter-hour times, known kinds of place, allowed answers, texts
within the limits content uses, no control characters). A row that does not is
skipped, and counted per reason, so nothing in the central database can make
``export``, ``report`` or the kiosk fail later. Pure Python; no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.core.content import combining_stack, hidden_char
from kiosk.core.freetext import free_text_problem
from kiosk.core.model import (
    ANSWERS,
    OTHER_SIGNAL,
    PLACE_KINDS,
    REFERRAL_KINDS,
    SOURCES,
)

MAX_ID = 64
MAX_NAME = 60
#: An id as the kiosk writes them: UUIDs, content ids (lowercase, digits, hyphens).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:(00|15|30|45)")

#: Reasons, as the merge summary of ``kiosk merge`` says them (Dutch, for coordinators;
#: the staff screen has its own words for the counts).
BAD_ID = "een id die de kiosk zelf niet zo schrijft"
BAD_TIME = "een tijd die niet op een heel kwartier valt (JJJJ-MM-DDTUU:MM)"
BAD_TEXT = "een tekst met verborgen tekens of opmaak, of die te lang is"
BAD_KIND = "een onbekende soort plek"
BAD_ANSWER = "een antwoord dat niet eens, oneens of weet_niet is"
BAD_FLAG = "een ja/nee-veld dat niet 0 of 1 is"
BAD_NUMBER = "een getal dat te groot of te klein is"
BAD_REFERRAL = "een soort verwijzing die niet past bij waar hij naartoe verwijst"
BAD_FREE_TEXT = "een vrije tekst die de kiosk zou weigeren"
MISSING_PARENT = "de regel hoort bij een regel die er niet is (een sessie of bezoek ontbreekt)"


def _id(value: Any, optional: bool = False) -> bool:
    if value is None or value == "":
        return optional
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def _time(value: Any, optional: bool = False) -> bool:
    if value is None:
        return optional
    if not isinstance(value, str) or not TIME_PATTERN.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError:  # 2026-02-30T10:00
        return False
    return True


def _text(value: Any, limit: int, required: bool = True) -> bool:
    if not isinstance(value, str):
        return False
    if required and not value.strip():
        return False
    return (len(value) <= limit and value == value.strip() and hidden_char(value) is None
            and combining_stack(value) is None and not any(ch in value for ch in "<>"))


def _flag(value: Any) -> bool:
    return value in (0, 1) and not isinstance(value, float)


def row_problem(table: str, row: Mapping[str, Any]) -> str | None:
    """Why ``row`` of ``table`` may not enter the database (a reason above), or None.

    Foreign keys are checked by the merge (it knows which rows exist).
    """
    if not _id(row.get("id")):
        return BAD_ID
    check = _CHECKS.get(table)
    return check(row) if check is not None else None


def _kiosk(row: Mapping[str, Any]) -> str | None:
    if not _text(row.get("name"), MAX_NAME):
        return BAD_TEXT
    return None if _time(row.get("created")) else BAD_TIME


def _session(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("kiosk_id")) or not _id(row.get("statement_set"), optional=True):
        return BAD_ID
    if not _text(row.get("location"), MAX_NAME):
        return BAD_TEXT
    if row.get("place_kind") not in PLACE_KINDS:
        return BAD_KIND
    if not _time(row.get("started")) or not _time(row.get("ended"), optional=True):
        return BAD_TIME
    if row.get("ended") is not None and row["ended"] < row["started"]:
        return BAD_TIME
    per_visit = row.get("per_visit")
    if per_visit is not None and (not isinstance(per_visit, int) or not 1 <= per_visit <= 1000):
        return BAD_NUMBER
    return None


def _visit(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")):
        return BAD_ID
    if not _time(row.get("started")) or not _time(row.get("finished"), optional=True):
        return BAD_TIME
    return None if _flag(row.get("completed")) else BAD_FLAG


def _answer(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _id(row.get("visit_id"), optional=True) \
            or not _id(row.get("statement_id")):
        return BAD_ID
    if row.get("answer") not in ANSWERS or row.get("source") not in SOURCES:
        return BAD_ANSWER
    return None if _time(row.get("at")) else BAD_TIME


def _referral(row: Mapping[str, Any]) -> str | None:
    if not all(_id(row.get(key)) for key in ("visit_id", "session_id", "course_id")):
        return BAD_ID
    return None if _flag(row.get("qr_shown")) and _flag(row.get("printed")) else BAD_FLAG


def _conversation(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _id(row.get("topic"), optional=True):
        return BAD_ID
    kind, target = row.get("referred_kind"), row.get("referred_to")
    if kind not in REFERRAL_KINDS or not _id(target, optional=True) or (kind == "") != (
            target == ""):
        return BAD_REFERRAL
    return None if _time(row.get("at")) else BAD_TIME


def _signal(row: Mapping[str, Any]) -> str | None:
    if not _id(row.get("session_id")) or not _id(row.get("kind")):
        return BAD_ID
    if not _time(row.get("at")):
        return BAD_TIME
    text = row.get("text", "")
    if row["kind"] == OTHER_SIGNAL:
        return BAD_FREE_TEXT if not isinstance(text, str) or free_text_problem(text) \
            or text != " ".join(text.split()) else None
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
