"""The outbox: a consistent copy of the database in a folder that a sync tool carries.

Syncthing, Nextcloud, OneDrive, a network share or a USB stick then brings
``<kiosk name>.db`` to the coordinator, who runs ``kiosk merge <that folder>``.
The live database is never synced: the copy is made on the recorder (the one
writer) with ``VACUUM INTO``, checked, and renamed into place
(:meth:`kiosk.core.store.Store.snapshot`). Written at the end of each session
and at most every :data:`INTERVAL_S` seconds while the kiosk runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.core.recorder import Recorder
from kiosk.gui.bridge import FutureBridge

log = logging.getLogger(__name__)

INTERVAL_S = 15 * 60
#: What staff read when the copy fails (the kiosk itself goes on).
FAILED = ("De kopie voor de synchronisatiemap lukte niet. De antwoorden zijn veilig op deze "
          "laptop. Kijk of de map {folder} bestaat en ruimte heeft.")


class Outbox(QObject):
    """Writes the snapshot now (:meth:`write_now`) and every :data:`INTERVAL_S` seconds.

    Signals:
        written(str): the snapshot file, once it is complete and in place.
        failed(str): a Dutch line for staff.
    """

    written = Signal(str)
    failed = Signal(str)

    def __init__(self, recorder: Recorder, folder: Path, interval_s: float = INTERVAL_S,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recorder, self.folder = recorder, Path(folder)
        self.bridge = FutureBridge(self)
        self._timer = QTimer(self, interval=round(interval_s * 1000))
        self._timer.timeout.connect(self.write_now)
        self._timer.start()

    @Slot()
    def write_now(self) -> None:
        """Queue a snapshot on the recorder; ``written`` or ``failed`` follows."""
        folder = self.folder
        self.bridge.watch(self.recorder.run(lambda store: store.snapshot(folder)),
                          self._written, self._failed)

    def write_and_wait(self, timeout: float = 60.0) -> None:
        """The last snapshot before the kiosk closes (blocks; errors are logged)."""
        folder = self.folder
        try:
            self.recorder.run(lambda store: store.snapshot(folder)).result(timeout=timeout)
        except Exception as error:  # noqa: BLE001 - closing: log it, never crash the exit
            log.warning("outbox: %s", error)

    def _written(self, path) -> None:
        log.info("outbox: wrote %s", path)
        self.written.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        log.warning("outbox: %s", error)
        self.failed.emit(FAILED.format(folder=self.folder))
