"""A kiosk store on the real system clock, driven line by line from stdin (for the
clock tests: run under libfaketime, the test moves this process's clock in between).

Commands (one per line): ``session PLACE``, ``visit``, ``answer STATEMENT ANSWER``,
``finish``, ``tally STATEMENT ANSWER N``, ``conversation``, ``signal``, ``end``,
``quit``. Each prints ``ok <now>`` once done, so the test waits for it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.core.store import Store  # noqa: E402


def main() -> int:
    store = Store.open(Path(sys.argv[1]))
    session = visit = None
    for line in sys.stdin:
        command, *args = line.split()
        if command == "session":
            session = store.start_session(" ".join(args), "markt")
        elif command == "visit":
            visit = store.start_visit(session)
        elif command == "answer":
            store.record_answer(visit, args[0], args[1])
        elif command == "finish":
            store.finish_visit(visit, ["digisterker"])
        elif command == "tally":
            store.add_staff_tally(session, args[0], args[1], int(args[2]))
        elif command == "conversation":
            store.log_conversation(session, "digitaal", "course", "digisterker")
        elif command == "signal":
            store.log_signal(session, "geldzorgen")
        elif command == "end":
            store.end_session(session)
        elif command == "quit":
            break
        print("ok", datetime.now().isoformat(timespec="minutes"), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
