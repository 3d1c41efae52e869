"""Helpers for the voice tests: make test tones, and tell a tone from speech in a recording.

Also runnable as a child process (``python -m tests.voice_tools DATA KEY TEXT``): it says
KEY through the kiosk's own :class:`~kiosk.speech.speaker.Speaker`, waits until it has
played to its end, and prints what it played ("eigen stem" or "computerstem"). The
tests run it with a virtual sound card (tests/sound.py) and record what came out.
"""

from __future__ import annotations

import array
import math
import subprocess
import sys
import wave
from pathlib import Path

from tests.sound import LOUD, RATE


def tone_wav(path: Path, seconds: float, amplitude: float = 0.3, freq: float = 440.0,
             rate: int = 44100, silence_before: float = 0.0, channels: int = 1) -> Path:
    """A sine tone (after ``silence_before`` seconds of silence) as a 16-bit WAV file."""
    lead = int(silence_before * rate)
    count = int(seconds * rate)
    samples = array.array("h", [0] * lead)
    samples.extend(int(amplitude * 32767 * math.sin(2 * math.pi * freq * i / rate))
                   for i in range(count))
    if channels > 1:
        samples = array.array("h", (s for s in samples for _ in range(channels)))
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return path


def sox(*args: str) -> None:
    """Run sox (scripts/system-deps.sh installs it for the tests)."""
    subprocess.run(["sox", *args], check=True, capture_output=True, timeout=60)


def lame(wav: Path, mp3: Path) -> Path:
    """Encode ``wav`` as MP3 with lame (scripts/system-deps.sh installs it for the tests)."""
    subprocess.run(["lame", "--quiet", str(wav), str(mp3)], check=True, capture_output=True,
                   timeout=60)
    return mp3


def m4a(path: Path, seconds: float = 1.0, freq: float = 440.0) -> Path:
    """A tone encoded as AAC in an MP4 file (.m4a) by Qt's own encoder (QMediaRecorder
    fed through a QAudioBufferInput), as a phone or a laptop's recorder app would make it."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import (
        QAudioBuffer,
        QAudioBufferInput,
        QAudioFormat,
        QMediaCaptureSession,
        QMediaFormat,
        QMediaRecorder,
    )

    assert QCoreApplication.instance() is not None
    rate = 44100
    fmt = QAudioFormat()
    fmt.setSampleRate(rate)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    source = QAudioBufferInput(fmt)
    session = QMediaCaptureSession()
    session.setAudioBufferInput(source)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    wanted = QMediaFormat(QMediaFormat.FileFormat.Mpeg4Audio)
    wanted.setAudioCodec(QMediaFormat.AudioCodec.AAC)
    recorder.setMediaFormat(wanted)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    recorder.setAutoStop(True)  # stop when the input ends (an empty buffer)
    samples = array.array("h", (int(8000 * math.sin(2 * math.pi * freq * i / rate))
                                for i in range(int(seconds * rate))))
    chunks = [samples[i:i + rate // 10] for i in range(0, len(samples), rate // 10)]

    def feed() -> None:
        if chunks:
            if source.sendAudioBuffer(QAudioBuffer(chunks[0].tobytes(), fmt, -1)):
                chunks.pop(0)
        else:
            source.sendAudioBuffer(QAudioBuffer())  # the end: the recorder stops by itself

    loop = QEventLoop()
    source.readyToSendAudioBuffer.connect(feed)
    recorder.recorderStateChanged.connect(
        lambda state: loop.quit() if state == QMediaRecorder.RecorderState.StoppedState
        else None)
    QTimer.singleShot(60_000, loop.quit)
    recorder.record()
    loop.exec()
    assert recorder.error() == QMediaRecorder.Error.NoError, recorder.errorString()
    assert path.is_file()
    assert path.stat().st_size > 1000
    return path


def sox_rms_db(path: Path) -> float:
    """sox's own measure of a file's RMS level ("RMS lev dB" of ``stats``)."""
    result = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True,
                            timeout=60, check=True)
    line = next(line for line in result.stderr.splitlines() if line.startswith("RMS lev dB"))
    return float(line.split()[3])


def loud_part(raw: bytes) -> array.array:
    """The samples of a 16 kHz recording (tests/sound.py) from the first to the last loud one."""
    samples = array.array("h", raw[: len(raw) // 2 * 2])
    loud = [i for i, s in enumerate(samples) if abs(s) > LOUD]
    return samples[loud[0]: loud[-1] + 1] if loud else array.array("h")


def tone_share(samples: array.array, freq: float = 440.0, rate: int = RATE,
               block: float = 0.05) -> float:
    """How much of the power of ``samples`` is at ``freq``: 0..1, a pure tone about 1.

    Goertzel over 50 ms blocks (a bin about 20 Hz wide), so a gap or a phase jump
    in the recording costs one block, not the whole measure.
    """
    size = int(block * rate)
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    at_freq = 0.0
    for start in range(0, len(samples) - size + 1, size):
        s1 = s2 = 0.0
        for x in samples[start:start + size]:
            s1, s2 = x + coeff * s1 - s2, s1
        at_freq += (s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2 / size  # |X(f)|^2 * 2 / N
    total = sum(float(x) * x for x in samples[: len(samples) // size * size])
    return at_freq / total if total else 0.0


def _say(data: Path, key: str, text: str) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.speaker import Speaker

    app = QCoreApplication.instance() or QCoreApplication([])
    speaker = Speaker(voice=VoiceStore.in_data(data))
    ended: list[str] = []
    loop = QEventLoop()
    speaker.finished.connect(lambda k: (ended.append(k), loop.quit()))
    QTimer.singleShot(60_000, loop.quit)
    speaker.say(key, text)
    if speaker.busy:
        loop.exec()
    print(speaker.source(key, text) if ended == [key] else "niets")
    speaker.shutdown()
    del app
    return 0 if ended == [key] else 1


if __name__ == "__main__":
    sys.exit(_say(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))
