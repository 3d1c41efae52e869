"""Shared fixtures. Qt runs offscreen; every test gets its own data and cache folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the developer's real data or cache folder, nor this machine's printers
    (a CUPS server that is not there; tests/test_cups.py starts its own)."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CUPS_SERVER", "/nonexistent/kiosk-tests/cups.sock")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run_kiosk(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kiosk ARGS`` as a user would, capturing its output."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd or ROOT,
    )


def zbar_decode(png: Path) -> list[str]:
    """Decode every QR code in ``png`` with zbarimg (the real decoder phones resemble)."""
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True, text=True, timeout=60,
    )
    return [line for line in result.stdout.splitlines() if line]


def on_small_disk(function: str, size: str, *args: str) -> None:
    """Run ``function`` ("tests.module:name") in a child process with a fresh tmpfs of
    ``size`` as its first argument (a folder), then ``args``; fails with its output.

    The child gets its own user and mount namespace (``unshare --map-root-user
    --mount``), so a real full disk needs no root and leaves no mount behind.
    """
    import shutil
    import tempfile

    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed for the full-disk tests"
    module, name = function.split(":")
    with tempfile.TemporaryDirectory() as folder:
        code = (f"import sys\nfrom pathlib import Path\nfrom {module} import {name}\n"
                f"{name}(*map(Path, sys.argv[1:]))\n")
        script = 'mount -t tmpfs -o size="$1" tmpfs "$2" && shift 2 && exec "$@"'
        result = subprocess.run(
            [unshare, "--map-root-user", "--mount", "sh", "-c", script, "sh", size, folder,
             sys.executable, "-c", code, folder, *args],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
    assert result.returncode == 0, f"{function} on a {size} tmpfs:\n{result.stdout}{result.stderr}"
