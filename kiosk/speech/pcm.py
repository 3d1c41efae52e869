"""Sound as numbers: read and write 16-bit WAV, measure loudness, trim silence, normalise.

Pure Python (the standard library's ``array`` and ``wave``), no Qt and no numpy, so
the speech worker, the command line and the tests share one definition of "as
loud as": every clip the kiosk plays, recorded or synthesised, goes through
:func:`normalise`.

Loudness is a gated RMS level in dBFS, in the spirit of EBU R 128 / ITU-R BS.1770
but without its K-weighting filter: the clip is cut into 50 ms blocks; blocks
below -60 dBFS (silence) are left out, and so are blocks more than 20 dB below
the mean of the rest (pauses between words, breathing). The mean power of the
blocks left is the level. A sine at full scale measures -3.0 dBFS, as sox
``stats`` ("RMS lev dB") reports it. The target is :data:`TARGET_DBFS`
(-20 dBFS); the gain is held back when it would push a peak above
:data:`PEAK_CEILING_DBFS` (-1 dBFS), so nothing ever clips.
"""

from __future__ import annotations

import array
import io
import math
import operator
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

#: The level every clip is brought to (gated RMS, dBFS).
TARGET_DBFS = -20.0
#: No sample may end up louder than this (dBFS).
PEAK_CEILING_DBFS = -1.0
#: Blocks quieter than this never count (dBFS).
ABSOLUTE_GATE_DBFS = -60.0
#: Blocks this much below the mean of the louder blocks do not count (dB).
RELATIVE_GATE_DB = 20.0
#: Loudness blocks (seconds).
BLOCK_SECONDS = 0.05
#: Trimming looks at 10 ms windows; sound starts where a window's peak is within
#: this many dB of the clip's level (and above the absolute gate).
TRIM_BELOW_LEVEL_DB = 30.0
#: Kept before the first and after the last sound (seconds): a soft consonant
#: onset is not cut, a last syllable can fade out.
KEEP_BEFORE = 0.01
KEEP_AFTER = 0.05
#: Fade in and out over this long at the cut (seconds), so a cut never clicks.
FADE_SECONDS = 0.005
FULL_SCALE = 32768.0


class NotSound(ValueError):
    """Sound data the kiosk will not use; ``str()`` is the Dutch reason."""


@dataclass
class Pcm:
    """Mono signed 16-bit samples at ``rate`` Hz."""

    samples: array.array
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0

    @classmethod
    def from_bytes(cls, data: bytes, rate: int, channels: int = 1) -> Pcm:
        """Little-endian 16-bit PCM bytes (interleaved when ``channels`` > 1) as mono."""
        samples = array.array("h")
        samples.frombytes(bytes(data[: len(data) // 2 * 2]))
        if sys.byteorder == "big":
            samples.byteswap()
        return cls(_mono(samples, channels), rate)

    def to_bytes(self) -> bytes:
        """Little-endian 16-bit PCM bytes."""
        if sys.byteorder == "big":
            swapped = array.array("h", self.samples)
            swapped.byteswap()
            return swapped.tobytes()
        return self.samples.tobytes()


def _mono(samples: array.array, channels: int) -> array.array:
    if channels <= 1:
        return samples
    frames = len(samples) // channels
    columns = [samples[c: frames * channels: channels] for c in range(channels)]
    return array.array("h", (sum(frame) // channels for frame in zip(*columns, strict=True)))


def read_wav(data: bytes) -> Pcm:
    """A PCM WAV file's bytes (8, 16, 24 or 32 bit; any channels) as 16-bit mono.

    Raises:
        NotSound: it is not a PCM WAV file the ``wave`` module can read.
    """
    try:
        with wave.open(io.BytesIO(data)) as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError, ValueError) as error:
        raise NotSound(f"geen WAV-bestand dat de kiosk kan lezen ({error})") from None
    if rate <= 0 or channels <= 0:
        raise NotSound("geen geluid: het WAV-bestand heeft geen samplefrequentie")
    if width == 2:
        return Pcm.from_bytes(frames, rate, channels)
    if width == 1:  # unsigned 8 bit
        samples = array.array("h", ((b - 128) << 8 for b in frames))
    elif width in (3, 4):  # keep the top 16 bits
        samples = array.array("h", (
            int.from_bytes(frames[i + width - 2: i + width], "little", signed=True)
            for i in range(0, len(frames) - width + 1, width)))
    else:
        raise NotSound(f"geen geluid dat de kiosk kan lezen ({width * 8} bits per sample)")
    return Pcm(_mono(samples, channels), rate)


def wav_bytes(pcm: Pcm) -> bytes:
    """``pcm`` as the bytes of a 16-bit mono WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(pcm.rate)
        wav.writeframes(pcm.to_bytes())
    return out.getvalue()


def write_wav(path: Path, pcm: Pcm) -> None:
    """Write ``pcm`` to ``path`` as a 16-bit mono WAV file (not atomic: see core.files)."""
    Path(path).write_bytes(wav_bytes(pcm))


def _db(power: float) -> float:
    """A mean square (of samples scaled to -1..1) in dB."""
    return 10 * math.log10(power) if power > 0 else -math.inf


def _block_powers(pcm: Pcm, seconds: float) -> list[float]:
    size = max(1, int(pcm.rate * seconds))
    samples = pcm.samples
    scale = FULL_SCALE * FULL_SCALE
    powers = []
    for start in range(0, len(samples), size):
        block = samples[start: start + size]
        if len(block) * 2 < size and powers:  # a short tail block: too few samples to count
            break
        powers.append(sum(map(operator.mul, block, block)) / (len(block) * scale))
    return powers


def loudness(pcm: Pcm) -> float:
    """The gated RMS level in dBFS (see the module docstring); -inf for silence."""
    absolute = 10 ** (ABSOLUTE_GATE_DBFS / 10)
    powers = [p for p in _block_powers(pcm, BLOCK_SECONDS) if p > absolute]
    if not powers:
        return -math.inf
    relative = sum(powers) / len(powers) * 10 ** (-RELATIVE_GATE_DB / 10)
    gated = [p for p in powers if p > relative]
    return _db(sum(gated) / len(gated))


def peak_dbfs(pcm: Pcm) -> float:
    peak = max((abs(s) for s in pcm.samples), default=0)
    return 20 * math.log10(peak / FULL_SCALE) if peak else -math.inf


def sound_span(pcm: Pcm, level: float | None = None) -> tuple[int, int]:
    """The first and one-past-last sample of sound (10 ms windows; see :data:`TRIM_BELOW_LEVEL_DB`).

    Returns (0, 0) when nothing is loud enough.
    """
    level = loudness(pcm) if level is None else level
    if level == -math.inf:
        return 0, 0
    threshold_db = max(ABSOLUTE_GATE_DBFS, level - TRIM_BELOW_LEVEL_DB)
    threshold = FULL_SCALE * 10 ** (threshold_db / 20)
    window = max(1, pcm.rate // 100)
    samples = pcm.samples
    loud = [start for start in range(0, len(samples), window)
            if max(map(abs, samples[start: start + window])) > threshold]
    if not loud:
        return 0, 0
    return loud[0], min(len(samples), loud[-1] + window)


def trim(pcm: Pcm, level: float | None = None) -> Pcm:
    """``pcm`` without its leading and trailing silence (a little kept; faded at the cuts)."""
    first, last = sound_span(pcm, level)
    if last <= first:
        return Pcm(array.array("h"), pcm.rate)
    start = max(0, first - int(KEEP_BEFORE * pcm.rate))
    end = min(len(pcm.samples), last + int(KEEP_AFTER * pcm.rate))
    samples = pcm.samples[start:end]
    fade = min(len(samples) // 2, int(FADE_SECONDS * pcm.rate))
    for i in range(fade):
        factor = i / fade
        samples[i] = int(samples[i] * factor)
        samples[-1 - i] = int(samples[-1 - i] * factor)
    return Pcm(samples, pcm.rate)


def gain(pcm: Pcm, decibels: float) -> Pcm:
    """``pcm`` made ``decibels`` louder (or quieter), clipped to 16 bit."""
    factor = 10 ** (decibels / 20)
    peak = max(map(abs, pcm.samples), default=0)
    if peak * factor < 32767:  # nothing can clip: the quick way
        return Pcm(array.array("h", map(round, map(factor.__mul__, pcm.samples))), pcm.rate)
    return Pcm(array.array("h", (max(-32768, min(32767, round(s * factor)))
                                 for s in pcm.samples)), pcm.rate)


def normalise(pcm: Pcm) -> Pcm:
    """Trimmed, and at :data:`TARGET_DBFS` (less when a peak would pass the ceiling).

    Raises:
        NotSound: there is no sound at all (silence, or below -60 dBFS throughout).
    """
    level = loudness(pcm)
    if level == -math.inf:
        raise NotSound("geen geluid: het is stil")
    trimmed = trim(pcm, level)
    level = loudness(trimmed)
    if level == -math.inf:
        raise NotSound("geen geluid: het is stil")
    change = min(TARGET_DBFS - level, PEAK_CEILING_DBFS - peak_dbfs(trimmed))
    return gain(trimmed, change)


def normalise_wav_file(path: Path) -> None:
    """Trim and normalise the WAV file at ``path`` in place (the speech cache's files).

    Raises:
        NotSound: not a PCM WAV file, or silent.
    """
    path = Path(path)
    write_wav(path, normalise(read_wav(path.read_bytes())))
