"""Recording a phrase from the microphone, for "Inspreken": the take, its level, its playback.

:class:`Microphone` records the system's default input through QtMultimedia
(``QAudioSource`` on ``QMediaDevices.defaultAudioInput()``), 16-bit mono at
44.1 kHz when the device takes that, else in the device's own format, converted
here. It reads the samples on the GUI thread every :data:`READ_MS` (a few KB:
cheap), reports the level for the meter and stops by itself after
:data:`~kiosk.speech.recordings.MAX_SECONDS`. Only staff record, and only after
they tapped "Opnemen": nothing a passer-by says is ever recorded.

:func:`prepare_take` (on a worker thread) refuses a take with nothing to hear
(:data:`SILENT_DBFS`: a laptop microphone in a quiet room hisses at about -55 dBFS;
speech from arm's length is -35 to -20) and trims and normalises the rest, so
"Luister" plays what "Bewaren" will keep. :class:`Listener` plays through the
kiosk's own :class:`~kiosk.speech.speaker.Speaker` (what a passer-by would hear),
or through a player of its own when the kiosk has no speech.
"""

from __future__ import annotations

import array
import logging
import math
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.speech.pcm import FULL_SCALE, NotSound, Pcm, loudness, normalise
from kiosk.speech.recordings import MAX_SECONDS

if TYPE_CHECKING:
    from kiosk.speech.playback import Playback
    from kiosk.speech.speaker import Speaker

log = logging.getLogger(__name__)

#: The format asked for first (decode.RATE: imports and recordings alike).
RATE = 44100
#: How often the samples are read (milliseconds): the meter moves at this pace.
READ_MS = 50
#: A take quieter than this (gated RMS, dBFS) has nothing to hear.
SILENT_DBFS = -45.0
#: The meter's scale: this level (dBFS, a block's peak) is empty, 0 dBFS is full.
METER_FLOOR_DBFS = -60.0

NO_MICROPHONE = ("Geen microfoon gevonden. Sluit een microfoon aan of gebruik een headset.")
MICROPHONE_FAILED = ("De microfoon doet het niet. Sluit hem opnieuw aan, of sluit een ander "
                     "programma dat hem gebruikt. Probeer het dan opnieuw.")
NOT_ALLOWED = ("De kiosk mag de microfoon niet gebruiken. Zet de microfoon aan voor dit "
               "programma in de instellingen van de computer (privacy).")
ASKED = "Sta de microfoon toe. Tik daarna opnieuw op Opnemen."
NOTHING_HEARD = ("Er was niets te horen. Praat dichter bij de microfoon en probeer het "
                 "opnieuw.")


def microphone() -> QAudioDevice | None:
    """The system's default input, or None when there is none."""
    device = QMediaDevices.defaultAudioInput()
    return None if device.isNull() else device


def permission_problem() -> str | None:
    """Why the kiosk may not use the microphone (macOS asks the user first), or None."""
    from PySide6.QtCore import QCoreApplication, QMicrophonePermission, Qt

    app = QCoreApplication.instance()
    if app is None:
        return None
    status = app.checkPermission(QMicrophonePermission())
    if status == Qt.PermissionStatus.Denied:
        return NOT_ALLOWED
    if status == Qt.PermissionStatus.Undetermined:
        app.requestPermission(QMicrophonePermission(), lambda _permission: None)
        return ASKED
    return None


def _format_for(device: QAudioDevice) -> QAudioFormat:
    wanted = QAudioFormat()
    wanted.setSampleRate(RATE)
    wanted.setChannelCount(1)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return wanted if device.isFormatSupported(wanted) else device.preferredFormat()


def to_pcm(data: bytes, fmt: QAudioFormat) -> Pcm:
    """Raw samples in ``fmt`` (8-bit unsigned, 16/32-bit signed or float) as 16-bit mono."""
    kind = fmt.sampleFormat()
    channels, rate = max(1, fmt.channelCount()), fmt.sampleRate()
    if kind == QAudioFormat.SampleFormat.Int16:
        return Pcm.from_bytes(data, rate, channels)
    codes = {QAudioFormat.SampleFormat.UInt8: "B", QAudioFormat.SampleFormat.Int32: "i",
             QAudioFormat.SampleFormat.Float: "f"}
    code = codes.get(kind)
    if code is None:
        raise NotSound("de microfoon geeft geluid in een vorm die de kiosk niet kent")
    samples = array.array(code)
    samples.frombytes(bytes(data[: len(data) // samples.itemsize * samples.itemsize]))
    if sys.byteorder == "big" and samples.itemsize > 1:
        samples.byteswap()
    if code == "B":
        ints = ((s - 128) << 8 for s in samples)
    elif code == "i":
        ints = (s >> 16 for s in samples)
    else:
        ints = (max(-32768, min(32767, round(s * 32767))) for s in samples)
    converted = array.array("h", ints)
    return Pcm.from_bytes(converted.tobytes() if sys.byteorder == "little"
                          else _swapped(converted), rate, channels)


def _swapped(samples: array.array) -> bytes:
    copy = array.array("h", samples)
    copy.byteswap()
    return copy.tobytes()


def peak_level(pcm: Pcm) -> float:
    """The meter's reading for ``pcm``: 0.0 (at or below the floor) to 1.0 (full scale)."""
    peak = max(map(abs, pcm.samples), default=0)
    if peak <= 0:
        return 0.0
    db = 20 * math.log10(peak / FULL_SCALE)
    return min(1.0, max(0.0, (db - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS))


def prepare_take(pcm: Pcm) -> Pcm:
    """The take as it will be kept: trimmed and normalised (runs on a worker thread).

    Raises:
        NotSound: nothing to hear (``str()`` is :data:`NOTHING_HEARD`).
    """
    if not pcm.samples or loudness(pcm) < SILENT_DBFS:
        raise NotSound(NOTHING_HEARD)
    try:
        return normalise(pcm)
    except NotSound:
        raise NotSound(NOTHING_HEARD) from None


class Microphone(QObject):
    """Records one take at a time from the default input.

    Signals:
        started(): the microphone is on (sound may take a moment to arrive).
        level(float): the meter's reading of the latest samples (0.0 .. 1.0).
        finished(object): the take, a :class:`~kiosk.speech.pcm.Pcm` (16-bit mono).
        failed(str): no take; the Dutch reason for staff.
    """

    started = Signal()
    level = Signal(float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The longest take, in seconds of sound (tests make it shorter).
        self.limit_seconds = MAX_SECONDS
        self._source: QAudioSource | None = None
        self._device = None
        self._format = QAudioFormat()
        self._data = bytearray()
        self._began = 0.0
        self._timer = QTimer(self, interval=READ_MS)
        self._timer.timeout.connect(self._read)

    @property
    def recording(self) -> bool:
        return self._source is not None

    @property
    def seconds(self) -> float:
        """Seconds of sound taken so far."""
        fmt = self._format
        frame = fmt.bytesPerFrame() if fmt.isValid() else 0
        return len(self._data) / frame / fmt.sampleRate() if frame else 0.0

    def start(self) -> bool:
        """Switch the microphone on; False (and ``failed``) when there is none or it fails."""
        self.cancel()
        problem = permission_problem()
        if problem is not None:
            self.failed.emit(problem)
            return False
        device = microphone()
        if device is None:
            self.failed.emit(NO_MICROPHONE)
            return False
        fmt = _format_for(device)
        source = QAudioSource(device, fmt, self)
        self._device = source.start()
        if self._device is None or source.error() != QtAudio.Error.NoError:
            log.warning("microphone %r did not start: %s", device.description(),
                        source.error().name)
            source.stop()
            source.deleteLater()
            self.failed.emit(MICROPHONE_FAILED)
            return False
        log.info("recording from %r (%d Hz, %d channel(s), %s)", device.description(),
                 fmt.sampleRate(), fmt.channelCount(), fmt.sampleFormat().name)
        self._source, self._format = source, source.format()
        self._data = bytearray()
        self._began = time.monotonic()
        self._timer.start()
        self.started.emit()
        return True

    def stop(self) -> None:
        """Stop and hand over the take (``finished``)."""
        if self._source is None:
            return
        self._read(final=True)
        if self._source is None:  # the read found the device failed
            return
        data, fmt = bytes(self._data), self._format
        self._close()
        try:
            self.finished.emit(to_pcm(data, fmt))
        except NotSound as error:
            self.failed.emit(str(error))

    def cancel(self) -> None:
        """Stop and throw the take away."""
        if self._source is not None:
            self._close()

    def _close(self) -> None:
        self._timer.stop()
        source, self._source, self._device = self._source, None, None
        source.stop()
        source.deleteLater()
        self._data = bytearray()

    def _read(self, final: bool = False) -> None:
        if self._source is None or self._device is None:
            return
        chunk = bytes(self._device.readAll())
        if chunk:
            self._data.extend(chunk)
            try:
                self.level.emit(peak_level(to_pcm(chunk, self._format)))
            except NotSound:
                pass
        error = self._source.error()
        if error not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
            log.warning("microphone failed while recording: %s", error.name)
            self._close()
            self.failed.emit(MICROPHONE_FAILED)
            return
        if final:
            return
        # the limit in sound taken; the clock too, should a device deliver nothing at all
        if (self.seconds >= self.limit_seconds
                or time.monotonic() - self._began > self.limit_seconds + 2):
            self.stop()


class LevelMeter(QWidget):
    """A bar that shows how loud the microphone hears the voice (falls back slowly)."""

    def __init__(self, theme_colors: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="voice_meter")
        self.setAccessibleName("Hoe hard de microfoon je hoort")
        self.setAccessibleDescription("De balk beweegt als je praat.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.colors = theme_colors
        self.value = 0.0

    def set_level(self, level: float) -> None:
        self.value = max(level, self.value * 0.7)  # up at once, down gently
        self.update()

    def reset(self) -> None:
        self.value = 0.0
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = min(rect.height() / 2, 12)
        painter.setPen(QColor(self.colors["quiet_border"]))
        painter.setBrush(QColor(self.colors["card"]))
        painter.drawRoundedRect(rect, radius, radius)
        if self.value > 0:
            filled = QRectF(rect.left(), rect.top(), rect.width() * self.value, rect.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.colors["eens"]))
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()


class Listener(QObject):
    """Plays a take or a phrase: through the kiosk's Speaker, else through its own player.

    Signals:
        finished(): what was asked for has ended (or could not play).
    """

    finished = Signal()

    def __init__(self, speaker: Speaker | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speaker: Speaker | None = None
        self._own: Playback | None = None
        self._key = ""
        self.use(speaker)

    def use(self, speaker: Speaker | None) -> None:
        """Play through ``speaker`` from now on (the kiosk's, as it is now)."""
        if speaker is self.speaker:
            return
        if self.speaker is not None:
            self.speaker.finished.disconnect(self._ended)
        self.speaker = speaker
        if speaker is not None:
            speaker.finished.connect(self._ended)

    @property
    def has_voice(self) -> bool:
        """True when the computer voice can speak (the kiosk's speech is on and works)."""
        return self.speaker is not None and self.speaker.available

    def play_file(self, key: str, path: Path) -> None:
        self._key = key
        if self.speaker is not None:
            self.speaker.play_file(key, path)
            return
        if self._own is None:
            from kiosk.speech.playback import Playback
            from kiosk.speech.speaker import default_player

            self._own = Playback(default_player(self), self)
            self._own.ended.connect(self._ended)
        self._own.play(key, Path(path))

    def say(self, key: str, text: str) -> None:
        """What a passer-by hears for ``key`` (the kiosk's Speaker only)."""
        if self.speaker is not None:
            self._key = key
            self.speaker.say(key, text)

    def stop(self) -> None:
        key, self._key = self._key, ""
        if key and self.speaker is not None:
            self.speaker.stop()
        elif key and self._own is not None:
            self._own.stop()

    def shutdown(self) -> None:
        """Unload the own player (before the screen goes)."""
        self._key = ""
        if self._own is not None:
            self._own.drain()

    def _ended(self, key: str) -> None:
        if key and key == self._key:
            self._key = ""
            self.finished.emit()
