"""A virtual sound card for tests: a private PulseAudio server with a null sink.

``kiosk self-test`` fails without a sound device (the field's most likely fault),
so the tests that expect it to pass give it this card. The server is private (its
own runtime folder and socket; never the desktop's), and the sink's monitor is
recorded, so a test can check that sound really came out, not only that the
player said so. Needs Debian ``pulseaudio`` and ``pulseaudio-utils`` (pactl, parec):
scripts/system-deps.sh installs them for the tests.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SINK = "kiosk_test"
RATE = 16000  # the recording: 16 kHz mono, signed 16 bit
LOUD = 300  # a 10 ms window whose peak is above this counts as sound


@dataclass
class SoundCard:
    """A running private PulseAudio server; ``env`` points a process at it."""

    env: dict[str, str]
    recording: Path
    _processes: list[subprocess.Popen] = field(default_factory=list)

    def pactl(self, *args: str) -> None:
        subprocess.run(["pactl", *args], env={**os.environ, **self.env}, check=True,
                       capture_output=True, timeout=30)

    def heard(self) -> float:
        """Seconds of sound recorded from the sink so far."""
        raw = self.recording.read_bytes() if self.recording.exists() else b""
        samples = array.array("h", raw[: len(raw) // 2 * 2])
        window = RATE // 100
        loud = sum(1 for start in range(0, len(samples), window)
                   if max(map(abs, samples[start:start + window]), default=0) > LOUD)
        return loud / 100


def no_sound_env(folder: Path) -> dict[str, str]:
    """An environment with no sound server at all: an empty runtime folder, a socket that
    does not exist, and no autospawn (libpulse would otherwise start a server itself)."""
    runtime = folder / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    client = folder / "client.conf"
    client.write_text("autospawn = no\n", encoding="utf-8")
    return {"XDG_RUNTIME_DIR": str(runtime), "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
            "PULSE_SERVER": f"unix:{folder / 'nonexistent'}",
            "PULSE_CLIENTCONFIG": str(client), "PIPEWIRE_RUNTIME_DIR": str(runtime)}


@contextmanager
def virtual_sound_card() -> Iterator[SoundCard]:
    """Start a private PulseAudio server with a null sink and record what it plays."""
    for tool in ("pulseaudio", "pactl", "parec"):
        assert shutil.which(tool), (f"{tool} is needed (apt-get install pulseaudio "
                                    "pulseaudio-utils; scripts/system-deps.sh test)")
    folder = Path(tempfile.mkdtemp(prefix="kiosk-sound-"))
    runtime = folder / "run"
    runtime.mkdir(mode=0o700)
    socket = runtime / "pulse.sock"
    env = {"XDG_RUNTIME_DIR": str(runtime), "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
           "PULSE_SERVER": f"unix:{socket}"}
    card = SoundCard(env=env, recording=folder / "recording.raw")
    server_env = {**os.environ, **env, "HOME": str(folder)}  # its cookie stays in here
    try:
        card._processes.append(subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--system=no",
             "--disallow-exit", "-n",
             f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
             f"--load=module-null-sink sink_name={SINK}",
             f"--log-target=file:{folder / 'pulse.log'}"],
            env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 30
        while True:  # the server has no "ready" signal to wait on: ask until it answers
            ready = subprocess.run(["pactl", "info"], env=server_env, capture_output=True,
                                   timeout=30)
            if ready.returncode == 0:
                break
            server = card._processes[0]
            log = folder / "pulse.log"
            problem = ("the private PulseAudio server did not start:\n"
                       + (log.read_text(errors="replace") if log.exists() else ""))
            assert server.poll() is None, problem
            assert time.monotonic() < deadline, problem
            time.sleep(0.1)
        card.pactl("set-default-sink", SINK)
        with open(card.recording, "wb") as out:
            card._processes.append(subprocess.Popen(
                ["parec", "-d", f"{SINK}.monitor", "--format=s16le", f"--rate={RATE}",
                 "--channels=1", "--raw", "--latency-msec=10"],
                env=server_env, stdout=out, stderr=subprocess.DEVNULL))
        yield card
    finally:
        for process in reversed(card._processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
