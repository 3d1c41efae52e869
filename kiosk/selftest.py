"""``kiosk self-test``: does everything the kiosk needs work on this machine?

Starts Qt offscreen, opens a temporary store, loads the bundled content, paints
the kiosk window and a QR code, and writes one WAV file with the Dutch voice.
Prints one line; exits non-zero naming the first part that failed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import wave
from pathlib import Path


def self_test() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-self-test-") as tmp:
        folder = Path(tmp)
        try:
            steps.append(_qt_and_window(folder))
            steps.append(_qr())
            steps.append(_speech(folder))
        except Exception as exc:  # report any failure as one line, that is the point
            part = ["Qt/store/content", "QR code", "speech"][len(steps)]
            print(f"self-test FAILED at {part}: {exc}", file=sys.stderr)
            return 1
    print("self-test ok: " + "; ".join(steps))
    return 0


def _qt_and_window(folder: Path) -> str:
    from PySide6 import __version__ as pyside_version

    from kiosk.app import Options, build_window, create_qt_app

    app = create_qt_app()
    window, recorder, session_id = build_window(
        Options(data_dir=folder / "data", location="self-test", speech=False)
    )
    try:
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() != 1366:
            raise RuntimeError("the kiosk window did not paint")
        statements = window.statement_set.statements
    finally:
        recorder.end_session(session_id)
        recorder.close()
        window.close()
    return f"Qt {pyside_version} offscreen, store and window ok, {len(statements)} statements"


def _qr() -> str:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from kiosk.core.qr import qr_matrix
    from kiosk.gui.widgets import paint_qr

    matrix = qr_matrix("https://www.digisterker.nl")
    image = QImage(400, 400, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    paint_qr(painter, matrix, QRectF(0, 0, 400, 400))
    painter.end()
    # the top-left finder pattern starts one module inside the quiet zone
    module = 400 // len(matrix)
    offset = (400 - module * len(matrix)) // 2
    corner = image.pixelColor(offset + 4 * module + module // 2, offset + 4 * module + module // 2)
    if corner.lightness() > 50:
        raise RuntimeError("QR finder pattern not painted")
    return f"QR {len(matrix)}x{len(matrix)} painted"


def _speech(folder: Path) -> str:
    from kiosk.speech.synth import Synthesizer

    synth = Synthesizer("nl")
    path = synth.to_file("Ik vind brieven van de gemeente moeilijk.", folder / "test.wav")
    with wave.open(str(path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    if seconds < 0.5:
        raise RuntimeError(f"speech too short ({seconds:.2f} s)")
    return f"speech: voice {synth.voice.id}, {seconds:.1f} s WAV"
