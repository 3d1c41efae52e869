"""The staff's tallies (Turven) as stored, per session: for the "Turven bekijken" screen.

Read-only SQL over the store's ``session`` and ``answer`` tables; no Qt. Sessions
whose start is doubtful (:mod:`kiosk.core.doubtful`: a laptop with a wrong date)
come after the others; the screen shows their time as "tijd onbekend"
(:func:`kiosk.core.summary.dutch_moment`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import sqlite_utils

from kiosk.core.doubtful import plausible_sql
from kiosk.core.store import Store

HISTORY_SQL = """
SELECT s.id, s.location, s.place_kind, s.started, a.statement_id, a.answer, count(*)
FROM answer a JOIN session s ON s.id = a.session_id
WHERE a.source = 'staff'
GROUP BY s.id, a.statement_id, a.answer
ORDER BY NOT {plausible}, s.started DESC, s.id, a.statement_id
"""


@dataclass(frozen=True)
class TallyLine:
    """The counted throws for one statement in one session."""

    statement_id: str
    eens: int = 0
    oneens: int = 0
    weet_niet: int = 0

    @property
    def total(self) -> int:
        return self.eens + self.oneens + self.weet_niet


@dataclass(frozen=True)
class SessionTally:
    """One session's staff tallies."""

    session_id: str
    location: str
    place_kind: str
    started: str  # YYYY-MM-DDTHH:MM
    lines: tuple[TallyLine, ...]

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


def staff_tallies(store_or_db: Store | sqlite_utils.Database | sqlite3.Connection,
                  limit: int = 50) -> list[SessionTally]:
    """The last ``limit`` sessions with staff tallies, newest first."""
    if isinstance(store_or_db, Store):
        conn = store_or_db.db.conn
    elif isinstance(store_or_db, sqlite_utils.Database):
        conn = store_or_db.conn
    else:
        conn = store_or_db
    sessions: dict[str, tuple[tuple[str, str, str], dict[str, dict[str, int]]]] = {}
    for session_id, location, kind, started, statement_id, answer, count in conn.execute(
            HISTORY_SQL.format(plausible=plausible_sql("s.started"))):
        if session_id not in sessions:
            if len(sessions) >= limit:
                break
            sessions[session_id] = ((location, kind, started), {})
        sessions[session_id][1].setdefault(statement_id, {})[answer] = count
    return [
        SessionTally(session_id, location, kind, started, tuple(
            TallyLine(statement_id, counts.get("eens", 0), counts.get("oneens", 0),
                      counts.get("weet_niet", 0))
            for statement_id, counts in statements.items()))
        for session_id, ((location, kind, started), statements) in sessions.items()
    ]
