"""Time handling. Stored times are rounded down to the quarter hour (anonymity)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Local wall-clock time, naive (a stand is in one time zone)."""
    return datetime.now().replace(microsecond=0)


def quarter_hour(moment: datetime) -> str:
    """``moment`` rounded down to the quarter hour, as ``YYYY-MM-DDTHH:MM``."""
    floored = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return floored.strftime("%Y-%m-%dT%H:%M")


class ManualClock:
    """A monotonic clock that moves only when told: simulated time for timers and tests."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
