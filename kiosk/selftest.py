"""``kiosk self-test``: does everything the kiosk needs work on this machine?

Starts Qt offscreen, opens a temporary store, loads the bundled content, paints
the kiosk window and a QR code, writes one WAV file with the Dutch voice, and
plays that WAV to its end through the kiosk's own player (``Playback`` on the
``QMediaPlayer`` that ``Speaker`` uses). Prints one line (Dutch, like the rest of the
command line; Qt's own words stay as Qt wrote them); exits non-zero naming the first
part that failed.

Playback is what a mute bundle gets wrong: stripped FFmpeg libraries leave
QtMultimedia with no backend, and the kiosk then runs silently. It is also the
most likely fault in the field: no sound device (a laptop whose sound server is
not running, a missing driver). With no sound device the player still "plays"
silently in real time and reaches the end, so reaching the end proves nothing:
the self-test first asks Qt for an audio output device (none: it fails), then
has that device consume a moment of sound through a ``QAudioSink`` (its processed
time must advance), and finally plays the clip through the kiosk's own player,
whose position must move and which must take about as long as the clip. A build
server without a sound card therefore fails this step; the tests run it with a
virtual sound card (a private PulseAudio server with a null sink, tests/sound.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
import wave
from pathlib import Path

#: Qt log categories that name the media backend as it loads. The self-test turns
#: them on (unless QT_LOGGING_RULES is set) to say which backend played the clip.
BACKEND_CATEGORIES = ("qt.multimedia.plugin", "qt.multimedia.ffmpeg")
#: Always off: Qt's PulseAudio engine logs from its own thread while the GUI thread,
#: holding Python's GIL, waits in QAudioOutput() for that thread to connect; a Python
#: message handler (the kiosk's log, :class:`_MultimediaLog`) then needs the GIL, and
#: both wait forever. Seen with QT_LOGGING_RULES="qt.multimedia.*=true" and a sound server.
PULSE_QUIET = "qt.multimedia.pulseaudio*=false"


def self_test() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if "QT_LOGGING_RULES" not in os.environ:
        os.environ["QT_LOGGING_RULES"] = (
            "qt.multimedia.*=false;qt.multimedia.plugin=true;qt.multimedia.ffmpeg.info=true")
        _MultimediaLog.quiet = True
    else:  # the user's rules, but never the PulseAudio lines (the last rule wins)
        os.environ["QT_LOGGING_RULES"] += ";" + PULSE_QUIET
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-self-test-") as tmp:
        folder = Path(tmp)
        try:
            steps.append(_qt_and_window(folder))
            steps.append(_qr())
            summary, wav = _speech(folder)
            steps.append(summary)
            steps.append(_playback(wav))
        except Exception as exc:  # report any failure as one line, that is the point
            part = ["Qt/database/inhoud", "QR-code", "spraak", "afspelen"][len(steps)]
            print(f"zelftest MISLUKT bij {part}: {exc}", file=sys.stderr)
            return 1
    print("zelftest geslaagd: " + "; ".join(steps))
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
            raise RuntimeError("het venster van de kiosk tekende niets")
        statements = window.statement_set.statements
    finally:
        recorder.end_session(session_id)
        recorder.close()
        window.close()
    return (f"Qt {pyside_version} zonder scherm, database en venster in orde, "
            f"{len(statements)} stellingen")


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
        raise RuntimeError("het hoekpatroon van de QR-code is niet getekend")
    return f"QR-code {len(matrix)}x{len(matrix)} getekend"


def _speech(folder: Path) -> tuple[str, Path]:
    from kiosk.speech.synth import Synthesizer

    synth = Synthesizer("nl")
    path = synth.to_file("Ik vind brieven van de gemeente moeilijk.", folder / "test.wav")
    with wave.open(str(path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    if seconds < 0.5:
        raise RuntimeError(f"spraak te kort ({seconds:.2f} s)")
    return f"spraak: stem {synth.voice.id}, WAV van {seconds:.1f} s", path


#: Seconds to wait beyond the clip's own length: a loaded CI machine starts slowly.
PLAYBACK_GRACE = 30.0


class _MultimediaLog:
    """Records Qt's log messages while installed (the player is being made); passes
    them on to the handler before it (the kiosk's log), except the backend lines
    the self-test switched on itself."""

    quiet = False  # True: the self-test, not the user, switched the backend lines on

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.warnings: list[str] = []
        self._previous = None

    def __enter__(self) -> _MultimediaLog:
        from PySide6.QtCore import qInstallMessageHandler

        self._previous = qInstallMessageHandler(self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(self._previous)

    def _handle(self, kind, context, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        category = context.category or ""
        # everything while the player is made: "No QtMultimedia backends found" comes
        # in the "default" category
        self.messages.append(message)
        if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            self.warnings.append(message)
        elif self.quiet and category in BACKEND_CATEGORIES:
            return
        if self._previous is not None:
            self._previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    def backend(self) -> str:
        """"ffmpeg-backend (FFmpeg 7.1.5)", from Qt's own lines; "" if Qt named none."""
        import re

        text = "\n".join(self.messages)
        loaded = re.findall(r'Loading media backend "([^"]+)"', text)
        version = re.search(r"Using Qt multimedia with FFmpeg version (\S+)", text)
        if not loaded:
            return ""
        return f"{loaded[-1]}-backend" + (f" (FFmpeg {version.group(1)})" if version else "")

    def cause(self) -> str:
        """The backend-related complaints Qt logged, for a failure message."""
        hints = [m for m in self.warnings
                 if any(word in m.lower() for word in ("backend", "qmediaplayer", "ffmpeg"))]
        return ("; Qt zei: " + " / ".join(dict.fromkeys(hints))) if hints else ""


def _playback(wav: Path) -> str:
    """Play ``wav`` through the kiosk's player and wait for its EndOfMedia."""
    import time

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtWidgets import QApplication

    from kiosk.speech.playback import Playback
    from kiosk.speech.speaker import default_player

    app = QApplication.instance()
    with wave.open(str(wav)) as clip:
        seconds = clip.getnframes() / clip.getframerate()
    with _MultimediaLog() as qt_log:
        # the Speaker's own player: QMediaPlayer + QAudioOutput (the backend loads here)
        player = default_player(app)
        available = player.isAvailable()
    if not available:
        player.deleteLater()
        raise RuntimeError(
            "geen QtMultimedia-backend geladen, dus de kiosk zou geen geluid maken (in een "
            f"bundel: de bibliotheken van FFmpeg mogen niet gestript zijn){qt_log.cause()}; "
            'meer zien kan met QT_LOGGING_RULES="qt.multimedia.*=true"')
    backend = qt_log.backend() or "een backend die Qt niet noemde"
    try:
        device = _audio_output()
        _sink_advances(device)
    except RuntimeError:
        player.deleteLater()
        raise
    playback = Playback(player)
    statuses: list[QMediaPlayer.MediaStatus] = []
    errors: list[str] = []
    positions: list[int] = [0]
    player.mediaStatusChanged.connect(statuses.append)
    player.positionChanged.connect(positions.append)
    player.errorOccurred.connect(lambda error, message: errors.append(f"{error.name}: {message}"))
    loop = QEventLoop()
    timer = QTimer(singleShot=True, interval=int((seconds + PLAYBACK_GRACE) * 1000))
    timer.timeout.connect(loop.quit)
    playback.ended.connect(lambda _key: loop.quit())
    start = time.monotonic()
    timer.start()
    playback.play("self-test", wav)
    loop.exec()
    elapsed = time.monotonic() - start
    timed_out = not timer.isActive()
    timer.stop()
    position = player.position()
    playback.drain()  # stop and unload through the event loop before deleting the player
    player.deleteLater()
    if errors:
        raise RuntimeError(f"de speler gaf een fout: {errors[0]}")
    if QMediaPlayer.MediaStatus.InvalidMedia in statuses:
        raise RuntimeError(f"de speler kon {wav.name} niet lezen (InvalidMedia)")
    if timed_out or QMediaPlayer.MediaStatus.EndOfMedia not in statuses:
        last = statuses[-1].name if statuses else "helemaal geen status"
        raise RuntimeError(
            f"het afspelen kwam binnen {seconds + PLAYBACK_GRACE:.0f} s niet aan het eind van "
            f"een fragment van {seconds:.1f} s (laatste status {last}, bij {position} ms)")
    if max(positions) <= 0 or elapsed < seconds * MIN_PACE:
        raise RuntimeError(
            f"het geluid liep niet: een fragment van {seconds:.1f} s was na {elapsed:.1f} s "
            f"'afgelopen' op positie {max(positions)} ms. {NO_SOUND_FIX}")
    return (f"afspelen via de {backend} op {device.description()!r}: fragment van "
            f"{seconds:.1f} s tot het eind gespeeld in {elapsed:.1f} s")


#: What to do when there is no sound (said after every sound failure).
NO_SOUND_FIX = ("Zet het geluid van de computer aan: sluit luidsprekers of een koptelefoon "
                "aan, kijk of het geluid niet uit staat en of de geluidsdienst (PulseAudio of "
                "PipeWire) draait, en doe de zelftest opnieuw.")
#: A clip that 'ends' in less than this part of its length was not played out loud.
MIN_PACE = 0.5
#: Seconds of silence the sound device must consume, and the time it gets for that.
SINK_SECONDS = 0.3
SINK_WAIT = 10.0
#: QAudioSink errors that still mean "it plays" (underrun: it played all it was given).
HEALTHY = ("NoError", "UnderrunError")


def _audio_output():
    """The default audio output device; RuntimeError (Dutch) when Qt finds none."""
    from PySide6.QtMultimedia import QMediaDevices

    outputs = QMediaDevices.audioOutputs()
    device = QMediaDevices.defaultAudioOutput()
    if not outputs or device.isNull():
        raise RuntimeError(
            "geen geluidsapparaat gevonden: de kiosk kan niets laten horen. " + NO_SOUND_FIX)
    return device


def _sink_advances(device) -> int:
    """Let ``device`` play a moment of silence through a QAudioSink; its processed time
    must advance (a sound server that accepts nothing leaves it at 0).

    Returns:
        The microseconds the device reported as played.
    """
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtMultimedia import QAudioSink

    def error_name() -> str:  # QAudio.Error or QtAudio.Error, by Qt version: compare names
        return sink.error().name

    audio_format = device.preferredFormat()
    frame = max(1, audio_format.bytesPerFrame())
    total = int(audio_format.sampleRate() * SINK_SECONDS) * frame
    sink = QAudioSink(device, audio_format)
    stream = sink.start()
    fed = 0
    loop = QEventLoop()

    def feed() -> None:
        nonlocal fed
        if stream is not None and fed < total:
            chunk = min(sink.bytesFree(), total - fed) // frame * frame
            if chunk > 0:
                fed += max(0, stream.write(bytes(chunk)))
        if sink.processedUSecs() >= SINK_SECONDS * 1e6 / 2 or error_name() not in HEALTHY:
            loop.quit()

    pump = QTimer(interval=20)
    pump.timeout.connect(feed)
    give_up = QTimer(singleShot=True, interval=int(SINK_WAIT * 1000))
    give_up.timeout.connect(loop.quit)
    if stream is not None and error_name() == "NoError":
        pump.start()
        give_up.start()
        feed()
        loop.exec()
    pump.stop()
    give_up.stop()
    played, error = sink.processedUSecs(), error_name()
    sink.stop()
    sink.deleteLater()
    if stream is None or error not in HEALTHY:
        raise RuntimeError(
            f"het geluidsapparaat {device.description()!r} ging niet open ({error}). "
            + NO_SOUND_FIX)
    if played <= 0:
        raise RuntimeError(
            f"het geluidsapparaat {device.description()!r} speelde niets af (na "
            f"{SINK_WAIT:.0f} s nog 0 ms). " + NO_SOUND_FIX)
    return played
