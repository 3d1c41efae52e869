"""The one writer: a :class:`Store` on its own worker thread, so the GUI never touches files.

Every method queues the work and returns a :class:`concurrent.futures.Future` at
once; errors surface as the future's exception. The worker runs the work in
order (one thread), so an id argument may also be the *future* of an earlier
call: ``record_answer(recorder.start_visit(s), ...)`` needs no waiting on the
caller's side. If that earlier call failed, the later one fails with the same
error.

Pure Python: the GUI adapts futures to Qt signals itself (``add_done_callback``
runs on the worker thread, so it must only emit a signal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from kiosk.core.clock import Clock, system_clock
from kiosk.core.store import Store

T = TypeVar("T")
#: An id, or the future of the call that creates it.
Id = str | Future


class Recorder:
    """Runs a :class:`Store` on one dedicated worker thread."""

    def __init__(self, path: Path, clock: Clock = system_clock, synchronous: str = "FULL"):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-store")
        #: Resolves to the open store; its exception if the database cannot be opened.
        self._store: Future[Store] = self._executor.submit(Store.open, path, clock, synchronous)

    @property
    def kiosk_id(self) -> Future[str]:
        """This laptop's kiosk id (once the store is open)."""
        return self._submit(lambda store: store.kiosk_id)

    def start_session(
        self, location: str, place_kind: str = "anders", statement_set: str = "",
        per_visit: int | None = None, approach: str = "",
    ) -> Future[str]:
        """See :meth:`Store.start_session` (``per_visit`` None: every statement)."""
        return self._submit(lambda store: store.start_session(
            location, place_kind, statement_set, per_visit=per_visit, approach=approach))

    def kiosk_name(self) -> Future[str]:
        """See :meth:`Store.kiosk_name`."""
        return self._submit(lambda store: store.kiosk_name())

    def rename_kiosk(self, name: str) -> Future[str]:
        """See :meth:`Store.rename_kiosk`: a name the rulebook refuses fails the future
        with a ValueError whose message is the Dutch reason."""
        return self._submit(lambda store: store.rename_kiosk(name))

    def session_counts(self, session_id: Id) -> Future[dict[str, int]]:
        """See :meth:`Store.session_counts`."""
        return self._submit(lambda store: store.session_counts(_resolve(session_id)))

    def end_session(self, session_id: Id) -> Future[None]:
        return self._submit(lambda store: store.end_session(_resolve(session_id)))

    def start_visit(self, session_id: Id) -> Future[str]:
        return self._submit(lambda store: store.start_visit(_resolve(session_id)))

    def record_answer(
        self, visit_id: Id, statement_id: str, answer: str, source: str = "touch"
    ) -> Future[str]:
        """See :meth:`Store.record_answer`: a second answer to a statement replaces the first."""
        return self._submit(
            lambda store: store.record_answer(_resolve(visit_id), statement_id, answer, source)
        )

    def add_staff_tally(
        self, session_id: Id, statement_id: str, answer: str, count: int = 1
    ) -> Future[list[str]]:
        return self._submit(
            lambda store: store.add_staff_tally(_resolve(session_id), statement_id, answer, count)
        )

    def finish_visit(
        self, visit_id: Id, suggested_courses: Sequence[str],
        qr_shown: bool | Sequence[bool] = True, completed: bool = True,
    ) -> Future[list[str]]:
        """See :meth:`Store.finish_visit` (``completed`` False: the visit ended early)."""
        courses = list(suggested_courses)
        qr_shown = qr_shown if isinstance(qr_shown, bool) else list(qr_shown)
        return self._submit(
            lambda store: store.finish_visit(_resolve(visit_id), courses, qr_shown,
                                             completed=completed)
        )

    def mark_qr_shown(self, visit_id: Id, course_id: str) -> Future[None]:
        """See :meth:`Store.mark_qr_shown`."""
        return self._submit(lambda store: store.mark_qr_shown(_resolve(visit_id), course_id))

    def mark_printed(self, referral_id: Id) -> Future[None]:
        return self._submit(lambda store: store.mark_printed(_resolve(referral_id)))

    def peer_count(self, visit_id: Id, statement_id: str, answer: str) -> Future[int]:
        """See :meth:`Store.peer_count` (a read, queued behind the writes before it)."""
        return self._submit(
            lambda store: store.peer_count(_resolve(visit_id), statement_id, answer)
        )

    def log_conversation(
        self, session_id: Id, topic: str = "", referred_kind: str = "", referred_to: str = ""
    ) -> Future[str]:
        """See :meth:`Store.log_conversation` (staff: "Gesprek gevoerd")."""
        return self._submit(lambda store: store.log_conversation(
            _resolve(session_id), topic, referred_kind, referred_to))

    def log_signal(self, session_id: Id, kind: str, text: str = "") -> Future[str]:
        """See :meth:`Store.log_signal`: a bad "Anders" text fails the future with a
        ValueError whose message is the Dutch text for staff."""
        return self._submit(lambda store: store.log_signal(_resolve(session_id), kind, text))

    def session_log_counts(self, session_id: Id) -> Future[tuple[int, int]]:
        """See :meth:`Store.session_log_counts`: (conversations, signals)."""
        return self._submit(lambda store: store.session_log_counts(_resolve(session_id)))

    def run(self, work: Callable[[Store], T]) -> Future[T]:
        """Run ``work(store)`` on the worker thread, in order with the calls before it.

        For the staff's work on the one connection: a session summary
        (``recorder.run(lambda s: session_summary(s, session_id, content))``),
        tallies for an export, or a merge of other laptops' databases.
        """
        return self._submit(work)

    def close(self) -> None:
        """Finish the queued work, close the store and stop the thread (this waits)."""
        self._executor.submit(self._close_store)
        self._executor.shutdown(wait=True)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _close_store(self) -> None:
        if self._store.exception() is None:
            self._store.result().close()

    def _submit(self, work: Callable[[Store], T]) -> Future[T]:
        """Queue ``work(store)`` on the worker thread."""
        return self._executor.submit(lambda: work(self._store.result()))


def _resolve(value: Any) -> str:
    """An id, or the result of an earlier call's future (done by now: calls run in order)."""
    if not isinstance(value, Future):
        return value
    if not value.done():  # waiting here on the worker thread would never end
        raise ValueError("An id future must come from an earlier call on the same Recorder")
    return value.result()
