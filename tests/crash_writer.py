"""Writer for tests/test_crash.py: records answers forever, printing each id after its commit.

Usage: python tests/crash_writer.py DB_PATH

Lines on stdout: ``S <session id>``, ``V <visit id>``, ``A <answer id>``,
``R <referral id>``; each is printed (and flushed) only after the write has
returned, that is, after it was committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.core.store import Store  # noqa: E402

ANSWERS = ("eens", "oneens", "weet_niet")


def acknowledge(kind: str, row_id: str) -> None:
    print(kind, row_id, flush=True)


def main() -> None:
    store = Store.open(Path(sys.argv[1]))
    session = store.start_session("Crashtest", "anders")
    acknowledge("S", session)
    n = 0
    while True:
        visit = store.start_visit(session)
        acknowledge("V", visit)
        for i in range(15):
            n += 1
            acknowledge("A", store.record_answer(visit, f"s{i + 1:02d}", ANSWERS[n % 3]))
        for referral in store.finish_visit(visit, ["digisterker"]):
            acknowledge("R", referral)


if __name__ == "__main__":
    main()
