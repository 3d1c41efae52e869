"""A visit's choice of statements (kiosk.core.rotation) grows linearly with the set.

For sets of 15 to 150,000 statements (5 themes... up to 5,000 themes), three
statements per visit, it times ``Rotation.pick()`` plus ``answered()`` over
many visits and prints microseconds per visit and per statement. Beside it, in
the same run, the obvious alternative: sort the whole set by (answers so far,
random) each visit and take the first three (O(n log n), and no theme mixing).

    .venv/bin/python bench/bench_rotation.py
"""

from __future__ import annotations

import random
import time

from kiosk.core.model import Statement
from kiosk.core.rotation import Rotation


def statements(n: int) -> list[Statement]:
    themes = max(5, n // 30)
    return [Statement(id=f"s{i}", text=f"Stelling {i}.", pictogram="info",
                      theme=f"thema{i % themes}") for i in range(n)]


def per_visit_rotation(items: list[Statement], visits: int) -> float:
    rotation = Rotation(items, 3, rng=random.Random(1))
    start = time.perf_counter()
    for _ in range(visits):
        for statement in rotation.pick():
            rotation.answered(statement.id)
    return (time.perf_counter() - start) / visits


def per_visit_sorting(items: list[Statement], visits: int) -> float:
    rng = random.Random(1)
    counts = {s.id: 0 for s in items}
    start = time.perf_counter()
    for _ in range(visits):
        picked = sorted(items, key=lambda s: (counts[s.id], rng.random()))[:3]
        for statement in picked:
            counts[statement.id] += 1
    return (time.perf_counter() - start) / visits


def main() -> None:
    print("| statements in the set | Rotation.pick (µs/visit) | µs per statement "
          "| alternative: sort the set (µs/visit) |")
    print("|---:|---:|---:|---:|")
    for n in (15, 150, 1_500, 15_000, 150_000):
        items = statements(n)
        visits = max(20, 300_000 // n)
        ours = per_visit_rotation(items, visits) * 1e6
        theirs = per_visit_sorting(items, visits) * 1e6
        print(f"| {n:,} | {ours:,.1f} | {ours / n:.3f} | {theirs:,.1f} |")


if __name__ == "__main__":
    main()
