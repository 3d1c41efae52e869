"""One passer-by's run through a statement set: pure state, no storage, no Qt."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.core.model import ANSWERS, Content, Course, Statement


class Visit:
    """Walks through ``statements`` one at a time and keeps the answers.

    One answer per statement: answering a statement again (after :meth:`back`)
    replaces the earlier answer, in memory and, through the store, on disk.
    """

    def __init__(self, statements: Sequence[Statement]) -> None:
        if not statements:
            raise ValueError("a visit needs at least one statement")
        self.statements = tuple(statements)
        self.position = 0
        self.answers: dict[str, str] = {}

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    @property
    def current(self) -> Statement | None:
        return None if self.finished else self.statements[self.position]

    def answer(self, value: str) -> Statement:
        """Answer the current statement and move on; returns the statement answered."""
        if value not in ANSWERS:
            raise ValueError(f"unknown answer {value!r}; expected one of {ANSWERS}")
        statement = self.current
        if statement is None:
            raise RuntimeError("the visit is already finished")
        self.answers[statement.id] = value
        self.position += 1
        return statement

    def back(self) -> bool:
        """Go back one statement; False when already at the first."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def suggestions(self, content: Content, limit: int = 2) -> list[Course]:
        return content.suggest(self.answers, limit=limit)
