"""Sound files from outside, decoded with what the kiosk bundles: QtMultimedia's QAudioDecoder.

A file a coordinator hands over (``KEY.wav``, ``.ogg``, ``.mp3``, ``.flac``, ``.m4a``)
is hostile until proven otherwise: it is read with
:func:`kiosk.core.safefile.read_regular` (a regular file, at most :data:`FILE_LIMIT`
bytes), decoded from memory (Qt's FFmpeg backend, through a ``QBuffer``) into
16-bit mono at :data:`RATE`, and decoding stops after :data:`DECODE_LIMIT_SECONDS`
of sound or :data:`DECODE_TIMEOUT` seconds of work. Every refusal is a
:class:`~kiosk.speech.pcm.NotSound` (or an ``UnsafeFile``) with a Dutch reason.

Needs a ``QCoreApplication``; runs a local event loop on the calling thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEventLoop, QIODevice, QTimer
from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

from kiosk.core.safefile import read_regular
from kiosk.speech.pcm import NotSound, Pcm

#: The file extensions taken in (lower case, with the dot).
EXTENSIONS = (".wav", ".ogg", ".mp3", ".flac", ".m4a")
#: The largest file read (bytes): 20 s of 96 kHz 32-bit stereo is about 15 MB.
FILE_LIMIT = 32 * 1024 * 1024
#: Decoding stops after this much sound (seconds): the file is too long anyway.
DECODE_LIMIT_SECONDS = 30.0
#: Decoding may take this long (seconds of work) before the file is refused.
DECODE_TIMEOUT = 20.0
#: Recordings are kept at this sample rate (16-bit mono).
RATE = 44100


def decode_file(path: Path, rate: int = RATE, timeout: float = DECODE_TIMEOUT) -> Pcm:
    """The sound in the file ``path`` as 16-bit mono at ``rate`` Hz.

    Raises:
        NotSound: not sound the decoder understands, or it took too long; or more
            than :data:`DECODE_LIMIT_SECONDS` of sound (the reason says "te lang").
        UnsafeFile: not a regular file, or larger than :data:`FILE_LIMIT`.
        OSError: the file cannot be read.
    """
    return decode_bytes(read_regular(path, FILE_LIMIT), rate, timeout)


def decode_bytes(data: bytes, rate: int = RATE, timeout: float = DECODE_TIMEOUT) -> Pcm:
    """Decode a sound file's bytes (see :func:`decode_file`)."""
    if QCoreApplication.instance() is None:
        raise RuntimeError("decode_bytes needs a QCoreApplication")
    if not data:
        raise NotSound("geen geluid: het bestand is leeg")
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    wanted = QAudioFormat()
    wanted.setSampleRate(rate)
    wanted.setChannelCount(1)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    decoder = QAudioDecoder()
    decoder.setAudioFormat(wanted)
    decoder.setSourceDevice(buffer)

    out = bytearray()
    limit = int(DECODE_LIMIT_SECONDS * rate) * 2
    state = {"done": False, "error": "", "too_long": False, "channels": 1}
    loop = QEventLoop()

    def finish() -> None:
        state["done"] = True
        loop.quit()

    def on_buffer() -> None:
        while decoder.bufferAvailable():
            chunk = decoder.read()
            fmt = chunk.format()
            if fmt.sampleFormat() != QAudioFormat.SampleFormat.Int16 or fmt.sampleRate() != rate:
                state["error"] = "het geluid kwam in een onverwacht formaat uit de decoder"
                decoder.stop()
                finish()
                return
            state["channels"] = fmt.channelCount()
            out.extend(bytes(chunk.constData()))
            if len(out) > limit * state["channels"]:
                state["too_long"] = True
                decoder.stop()
                finish()
                return

    def on_error(_error: QAudioDecoder.Error) -> None:
        state["error"] = decoder.errorString() or "onbekende fout"
        finish()

    decoder.bufferReady.connect(on_buffer)
    decoder.finished.connect(finish)
    decoder.error.connect(on_error)
    timer = QTimer(singleShot=True, interval=int(timeout * 1000))
    timer.timeout.connect(loop.quit)
    decoder.start()
    if not state["done"]:  # an error can come at once, inside start()
        timer.start()
        loop.exec()
    timer.stop()
    if not state["done"]:
        decoder.stop()
        raise NotSound(f"het lezen duurde te lang (meer dan {timeout:.0f} s); "
                       "kijk of het een gewoon geluidsbestand is")
    if not state["too_long"] and not state["error"]:
        on_buffer()  # what came with the end
    decoder.stop()
    if state["too_long"]:
        raise NotSound(f"te lang: meer dan {DECODE_LIMIT_SECONDS:.0f} seconden geluid")
    if state["error"]:
        raise NotSound("geen geluid: de kiosk kan dit bestand niet als geluid lezen")
    if not out:
        raise NotSound("geen geluid: er zit geen geluid in het bestand")
    return Pcm.from_bytes(bytes(out), rate, state["channels"])
