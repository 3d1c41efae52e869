"""Which statements a visit gets: balanced over a session, themes mixed. Pure Python.

The rule (a visit asks ``per_visit`` statements of a set):

1. Least-answered first: each visit takes the statements with the fewest
   answers so far in this session. A statement counts once per visit that
   answered it (a changed answer does not count twice), so statements that
   people skip or never reach come back sooner.
2. Themes mixed: among statements with the same count, a theme that is not yet
   in this visit goes first. Among those themes, the one with the most
   statements at that count goes first, so that the next visits can mix
   themes too (five themes of three statements, three per visit: every visit
   asks three themes).
3. Random among ties: what is still equal (which theme, which statement of a
   theme) is decided by the random generator (seeded in ``kiosk simulate``,
   so a run can be repeated).
4. ``per_visit`` None, or at least the size of the set: every statement, in
   the set's order (the whole set, as a coordinator wrote it).

The picked statements are asked in the order they were picked, except that two
statements of one theme are not asked one after the other when another order
avoids it.

If every visit answers all its statements, the counts never differ by more
than one. Picking costs O(n) per visit for a set of n statements (one pass to
bucket the statements by count, then heaps over the themes of the lowest
buckets for the k statements picked: O(n + k log n)).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Mapping, Sequence

from kiosk.core.model import Statement


class Rotation:
    """Picks each visit's statements from a set.

    Args:
        statements: the session's statement set, in its order.
        per_visit: statements per visit; None: all of them.
        rng: breaks ties (default: a fresh, unseeded generator).
        counts: answers so far per statement id (a resumed session, see
            :meth:`kiosk.core.store.Store.session_counts`); unknown ids are ignored.
    """

    def __init__(self, statements: Sequence[Statement], per_visit: int | None,
                 rng: random.Random | None = None,
                 counts: Mapping[str, int] | None = None) -> None:
        if not statements:
            raise ValueError("a rotation needs at least one statement")
        if per_visit is not None and per_visit < 1:
            raise ValueError(f"per_visit must be at least 1 or None, not {per_visit}")
        self.statements = tuple(statements)
        self.per_visit = per_visit
        self.rng = rng or random.Random()
        #: Answers per statement id in this session (only ids of the set).
        self.counts: dict[str, int] = {s.id: 0 for s in self.statements}
        for statement_id, count in (counts or {}).items():
            if statement_id in self.counts:
                self.counts[statement_id] = int(count)

    @property
    def size(self) -> int:
        """Statements per visit."""
        if self.per_visit is None:
            return len(self.statements)
        return min(self.per_visit, len(self.statements))

    def pick(self) -> tuple[Statement, ...]:
        """The statements for the next visit, in the order they are asked."""
        size = self.size
        if size >= len(self.statements):
            return self.statements
        buckets: dict[int, list[Statement]] = {}
        for statement in self.statements:
            buckets.setdefault(self.counts[statement.id], []).append(statement)
        chosen: list[Statement] = []
        in_visit: dict[str, int] = {}  # theme -> statements of it picked so far
        for count in sorted(buckets):  # few distinct counts: they stay within about 2
            self._take(buckets[count], size - len(chosen), in_visit, chosen)
            if len(chosen) == size:
                break
        return tuple(_spread(chosen))

    def _take(self, candidates: list[Statement], wanted: int, in_visit: dict[str, int],
              chosen: list[Statement]) -> None:
        """Append up to ``wanted`` of ``candidates`` (equally answered) to ``chosen``:
        themes least in the visit first, then the fullest theme, then at random."""
        themes: dict[str, list[Statement]] = {}
        for statement in candidates:
            themes.setdefault(statement.theme, []).append(statement)
        rng = self.rng
        heap = [(in_visit.get(theme, 0), -len(group), rng.random(), theme)
                for theme, group in themes.items()]
        heapq.heapify(heap)
        for _ in range(min(wanted, len(candidates))):
            used, _size, _tie, theme = heapq.heappop(heap)
            group = themes[theme]
            index = rng.randrange(len(group))  # a random statement of the theme
            group[index], group[-1] = group[-1], group[index]
            chosen.append(group.pop())
            in_visit[theme] = used + 1
            if group:
                heapq.heappush(heap, (used + 1, -len(group), rng.random(), theme))

    def answered(self, statement_id: str) -> None:
        """One more visit answered this statement (unknown ids are ignored)."""
        if statement_id in self.counts:
            self.counts[statement_id] += 1


def _spread(picked: list[Statement]) -> list[Statement]:
    """``picked`` in its order, but with no two statements of one theme in a row where
    another order avoids it. O(k log k) for k statements.

    Each step takes the earliest statement whose theme differs from the one
    before, unless a theme holds more than half of what is left: that theme
    must go now, or it ends up twice in a row.
    """
    queues: dict[str, deque[tuple[int, Statement]]] = {}
    for index, statement in enumerate(picked):
        queues.setdefault(statement.theme, deque()).append((index, statement))
    if len(queues) in (1, len(picked)):
        return picked  # one theme, or all different: nothing to spread
    heads = [(queue[0][0], theme) for theme, queue in queues.items()]  # earliest first
    fullest = [(-len(queue), theme) for theme, queue in queues.items()]  # most left first
    heapq.heapify(heads)
    heapq.heapify(fullest)

    def valid_head(entry: tuple[int, str]) -> bool:
        queue = queues[entry[1]]
        return bool(queue) and queue[0][0] == entry[0]

    result: list[Statement] = []
    previous: str | None = None
    left = len(picked)
    while left:
        while -fullest[0][0] != len(queues[fullest[0][1]]):  # outdated entries
            heapq.heappop(fullest)
        count, theme = fullest[0]
        if not (2 * -count > left and theme != previous):
            while not valid_head(heads[0]):
                heapq.heappop(heads)
            theme = heads[0][1]
            if theme == previous:  # the next-earliest head of another theme
                first = heapq.heappop(heads)
                while heads and not valid_head(heads[0]):
                    heapq.heappop(heads)
                if heads:
                    theme = heads[0][1]
                heapq.heappush(heads, first)
        queue = queues[theme]
        result.append(queue.popleft()[1])
        if queue:
            heapq.heappush(heads, (queue[0][0], theme))
            heapq.heappush(fullest, (-len(queue), theme))
        previous = theme
        left -= 1
    return result
