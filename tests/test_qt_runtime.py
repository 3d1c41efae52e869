"""Guards against a Qt binding that cannot run a kiosk for a day.

PySide6 6.12.0 dropped a reference to None on every call that returns nothing.
On Python 3.11 None is not immortal, so after a few thousand calls (seconds of
kiosk use) the process aborted with "Fatal Python error: none_dealloc".
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_qt_calls_keep_the_reference_count_of_none(qapp: QApplication) -> None:
    label = QLabel("x")
    label.show()
    QApplication.processEvents()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.update()
        QApplication.processEvents()
    drift = sys.getrefcount(None) - before
    label.close()
    assert abs(drift) < 200, f"None lost {-drift} references in 4000 Qt calls"
