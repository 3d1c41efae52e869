"""``kiosk self-test`` tells the truth about sound: it fails with no sound device, or one
that plays nothing, and passes (and is heard) on a sound card.

Real processes, a real PulseAudio server (private, with a null sink whose output is
recorded), and a real absence of one.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_kiosk
from tests.sound import no_sound_env, virtual_sound_card


def _explain(result) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_without_any_sound_server_the_self_test_fails_and_says_what_to_do(
        tmp_path: Path) -> None:
    result = run_kiosk("self-test", env=no_sound_env(tmp_path))
    assert result.returncode == 1, _explain(result)
    assert "zelftest geslaagd" not in result.stdout, _explain(result)
    assert "Traceback" not in result.stdout + result.stderr, _explain(result)
    assert "zelftest MISLUKT bij afspelen: geen geluidsapparaat gevonden" in result.stderr, (
        _explain(result))
    assert "Zet het geluid van de computer aan" in result.stderr  # and what to do


def test_on_a_sound_card_the_self_test_passes_and_is_heard() -> None:
    with virtual_sound_card() as card:
        result = run_kiosk("self-test", env=card.env)
        heard = card.heard()
    assert result.returncode == 0, _explain(result)
    assert result.stdout.startswith("zelftest geslaagd:"), _explain(result)
    assert "tot het eind gespeeld" in result.stdout
    assert heard >= 1.0, f"only {heard:.2f} s of sound came out of the card\n{_explain(result)}"


def test_a_sound_device_that_plays_nothing_fails_the_self_test() -> None:
    """A sound server that accepts the stream but never plays it (a suspended sink)."""
    with virtual_sound_card() as card:
        card.pactl("suspend-sink", "kiosk_test", "1")
        result = run_kiosk("self-test", env=card.env)
    assert result.returncode == 1, _explain(result)
    assert "zelftest MISLUKT bij afspelen" in result.stderr, _explain(result)
    assert "speelde niets af" in result.stderr, _explain(result)
    assert "Traceback" not in result.stdout + result.stderr, _explain(result)


def test_with_the_multimedia_log_on_the_self_test_does_not_hang_on_a_sound_server() -> None:
    """Qt's PulseAudio engine logs from its own thread while the GUI thread waits for it
    with the GIL held; a Python log handler then deadlocked the self-test (for ever)."""
    with virtual_sound_card() as card:
        result = run_kiosk("self-test", env={**card.env,
                                             "QT_LOGGING_RULES": "qt.multimedia.*=true"},
                           timeout=90)
    assert result.returncode == 0, _explain(result)
    assert "afspelen via de ffmpeg-backend (FFmpeg " in result.stdout, _explain(result)


def test_with_the_multimedia_log_on_the_kiosk_starts_on_a_sound_server(tmp_path: Path) -> None:
    """The same deadlock in ``kiosk run``: STACK-NOTES tells people to turn that log on to
    find out why the kiosk is silent, so it must start with it on."""
    with virtual_sound_card() as card:
        result = run_kiosk("run", "--windowed", "--location", "Test", "--data-dir",
                           str(tmp_path / "data"),
                           env={**card.env, "QT_LOGGING_RULES": "qt.multimedia.*=true",
                                "QT_QPA_PLATFORM": "offscreen",
                                "KIOSK_EXIT_AFTER_FIRST_PAINT": "1"}, timeout=90)
    assert result.returncode == 0, _explain(result)
    assert "ready" in result.stdout
