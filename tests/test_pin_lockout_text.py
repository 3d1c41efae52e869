"""The PIN lock grows (1, 5, 15, 60 minutes); the pad says how long in minutes, then seconds."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.app import apply_theme
from kiosk.core.clock import ManualClock
from kiosk.core.pin import LOCK_STEPS, MAX_TRIES, PinStore
from kiosk.gui.staff.pin import PinPad, wait_text
from kiosk.gui.theme import Theme

GOOD = "493817"


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)
    return Theme.load(paths.ui_dir())


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-pin")
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_800_000_000.0)


@pytest.mark.parametrize(("left", "text"), [
    (3600, "Nog 60 minuten wachten"),
    (900, "Nog 15 minuten wachten"),
    (300, "Nog 5 minuten wachten"),
    (299.2, "Nog 5 minuten wachten"),  # rounded up: 4 min 59 s is still "5 minuten"
    (240.5, "Nog 5 minuten wachten"),
    (240, "Nog 4 minuten wachten"),
    (61, "Nog 2 minuten wachten"),
    (60, "Nog 1 minuut wachten"),
    (59.5, "Nog 1 minuut wachten"),  # 59.5 s rounds up to a whole minute
    (59, "Nog 59 seconden wachten"),
    (40, "Nog 40 seconden wachten"),
    (1.5, "Nog 2 seconden wachten"),
    (1, "Nog 1 seconde wachten"),
    (0.2, "Nog 1 seconde wachten"),
])
def test_the_wait_is_said_in_minutes_and_the_last_minute_in_seconds(left, text):
    assert wait_text(left) == text


def lock(store: PinStore, clock: ManualClock, times: int) -> None:
    """Lock the store ``times`` in a row (each lock waited out but the last)."""
    for index in range(times):
        if index:
            clock.advance(store.locked_for() + 1)
        for _ in range(MAX_TRIES):
            assert not store.check("000001")
    assert store.locked_for() > 0


@pytest.mark.parametrize(("locks", "text"), [
    (1, "Te vaak fout. Nog 1 minuut wachten."),
    (2, "Te vaak fout. Nog 5 minuten wachten."),
    (3, "Te vaak fout. Nog 15 minuten wachten."),
    (4, "Te vaak fout. Nog 60 minuten wachten."),
])
def test_the_pad_shows_the_growing_lock_in_minutes(qtbot, theme, executor, data_dir: Path,
                                                   clock, locks, text):
    store = PinStore(data_dir / "staff.json", clock)
    store.set_pin(GOOD)
    lock(store, clock, locks)
    assert store.locked_for() == LOCK_STEPS[locks - 1]
    pad = PinPad(store, executor, theme, paths.pictogram_dir())
    qtbot.addWidget(pad)
    pad.resize(1366, 768)
    pad.show()
    qtbot.waitExposed(pad)
    assert pad.locked
    assert pad.message.text() == text
    assert pad.message.accessibleName() == text
    assert pad.message.isVisible()
    assert not any(key.isEnabled() for key in pad.keys.values())

    clock.advance(store.locked_for() - 40)
    pad.tick()
    assert pad.message.text() == "Te vaak fout. Nog 40 seconden wachten."
    clock.advance(40)
    pad.tick()
    assert not pad.locked
    assert pad.message.text() == "Je kunt het weer proberen."
