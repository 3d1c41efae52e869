"""The one-folder PyInstaller bundle (``kiosk.spec``) builds, and the frozen kiosk works.

Builds once per session into a temporary folder with this interpreter's
PyInstaller, then runs the frozen executable as a user would: ``--version``,
``check`` (the bundled content) and ``self-test`` (Qt offscreen, store, window,
QR code, a WAV file spoken with the Dutch voice, and that WAV played to its end
through QtMultimedia's FFmpeg backend, with the multimedia log on to prove it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk import __version__

ROOT = Path(__file__).resolve().parent.parent
NAME = "stellingenkiosk"
BUILD_TIMEOUT = 600  # about 30 s on a 2-core laptop; a cold disk cache can take minutes
RUN_TIMEOUT = 120

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class Bundle:
    folder: Path  # dist/stellingenkiosk
    exe: Path
    internal: Path  # the contents folder (_internal) next to the executable
    scratch: Path


def _clean_env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "QT_PLUGIN_PATH",
                        "QT_QPA_PLATFORM_PLUGIN_PATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["KIOSK_DATA_DIR"] = str(scratch / "data")
    env["KIOSK_CACHE_DIR"] = str(scratch / "cache")
    return env


_BUILT: dict[str, Bundle] = {}


def shared_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """Build ``kiosk.spec`` once per test run; tests/test_deb.py packages the same build."""
    if "bundle" not in _BUILT:
        _BUILT["bundle"] = _build(tmp_path_factory.mktemp("bundle"))
    return _BUILT["bundle"]


def _build(base: Path) -> Bundle:
    env = dict(os.environ)
    # A private PyInstaller cache: --clean then cannot wipe the cache of a
    # `make bundle` running at the same time, and the build starts fresh.
    env["PYINSTALLER_CONFIG_DIR"] = str(base / "pyinstaller-config")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build"),
         str(ROOT / "kiosk.spec")],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=base, env=env,
    )
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stdout}\n{result.stderr}"
    # The work folder (and a cache, if PyInstaller made one) are not needed any
    # more; pytest keeps the last three sessions' temporary folders.
    shutil.rmtree(base / "build")
    shutil.rmtree(base / "pyinstaller-config", ignore_errors=True)
    folder = base / "dist" / NAME
    exe = folder / (NAME + ".exe" if sys.platform == "win32" else NAME)
    assert exe.is_file(), f"no executable at {exe}; dist holds {sorted(folder.iterdir())}"
    scratch = base / "run"
    scratch.mkdir()
    return Bundle(folder=folder, exe=exe, internal=folder / "_internal", scratch=scratch)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """Build ``kiosk.spec`` once; the result lives under a temporary folder."""
    return shared_bundle(tmp_path_factory)


def run_frozen(bundle: Bundle, *args: str, env: dict[str, str] | None = None,
               exe: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the frozen kiosk from a neutral folder, with private data and cache folders."""
    return subprocess.run(
        [str(exe or bundle.exe), *args], capture_output=True, text=True, timeout=RUN_TIMEOUT,
        cwd=bundle.scratch, env={**_clean_env(bundle.scratch), **(env or {})},
    )


#: The multimedia log on, as a developer would switch it on to see why the kiosk is mute.
MULTIMEDIA_LOG = {"QT_LOGGING_RULES": "qt.multimedia.*=true"}


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def assert_self_test_plays(result: subprocess.CompletedProcess[str]) -> None:
    """The self-test passed, the FFmpeg backend loaded, and the clip played to its end.

    The self-test names the backend from Qt's own log lines ('Loading media
    backend "ffmpeg"' and 'Using Qt multimedia with FFmpeg version ...'), which it
    records whatever the kiosk's log handler keeps. "Loading" alone is not proof: a
    bundle with stripped FFmpeg libraries logs it too, then "No QtMultimedia
    backends found"; FFmpeg's version line comes only once the backend works.
    """
    log = result.stderr + result.stdout
    assert result.returncode == 0, _explain(result)
    assert "self-test ok" in result.stdout, _explain(result)
    assert "playback through the ffmpeg backend (FFmpeg " in result.stdout, _explain(result)
    assert "No QtMultimedia backends found" not in log, _explain(result)
    assert "clip played to its end" in result.stdout, _explain(result)


def test_version(bundle: Bundle) -> None:
    result = run_frozen(bundle, "--version")
    assert result.returncode == 0, _explain(result)
    assert __version__ in result.stdout, _explain(result)


def test_assets_are_inside_the_package(bundle: Bundle) -> None:
    """ui/, content/ and audio/ sit at kiosk/_assets/, where kiosk/paths.py looks first."""
    assets = bundle.internal / "kiosk" / "_assets"
    for folder in ("ui", "content", "audio"):
        assert (assets / folder).is_dir(), f"{folder}/ missing from {assets}"
    for source in (ROOT / "ui").rglob("*.svg"):
        assert (assets / "ui" / source.relative_to(ROOT / "ui")).is_file(), source
    for source in (ROOT / "content").rglob("*.toml"):
        assert (assets / "content" / source.relative_to(ROOT / "content")).is_file(), source
    assert not list(assets.rglob("__pycache__"))


def test_qt_plugins_the_kiosk_needs_are_bundled(bundle: Bundle) -> None:
    """The spec prunes Qt plugins; this guards against pruning one the kiosk loads."""
    plugins = next(p for p in bundle.internal.rglob("plugins") if (p / "platforms").is_dir())
    needed = ["platforms/*qoffscreen*", "platforms/*qminimal.*", "imageformats/*qsvg*",
              "imageformats/*qjpeg*", "iconengines/*qsvgicon*", "multimedia/*ffmpeg*",
              "printsupport/*"]
    if sys.platform.startswith("linux"):
        needed += ["platforms/*qxcb*", "platforms/*qwayland*", "xcbglintegrations/*",
                   "platforminputcontexts/*compose*"]
    missing = [pattern for pattern in needed if not list(plugins.glob(pattern))]
    assert not missing, f"Qt plugins missing from {plugins}: {missing}"
    dropped = [*plugins.glob("platformthemes/*qgtk3*"), *plugins.glob("platforms/*qeglfs*")]
    assert not dropped, f"pruned plugins came back: {dropped}"


def test_check_passes_on_bundled_content(bundle: Bundle) -> None:
    result = run_frozen(bundle, "check")
    assert result.returncode == 0, _explain(result)
    assert "content ok" in result.stdout, _explain(result)


def test_self_test_passes_frozen(bundle: Bundle) -> None:
    """Qt, store, window, QR code, speech (pyttsx3's espeak driver) and playback work frozen."""
    result = run_frozen(bundle, "self-test", env=MULTIMEDIA_LOG)
    assert_self_test_plays(result)
    assert "speech: voice" in result.stdout, _explain(result)


def test_ffmpeg_libraries_are_bundled_unchanged(bundle: Bundle) -> None:
    """``strip`` leaves libavformat unloadable ("not page-aligned"): the bundle would be mute.

    Every FFmpeg library in the bundle must be byte-for-byte the one in the PySide6 wheel.
    """
    import filecmp

    import PySide6

    wheel = Path(PySide6.__file__).parent
    ffmpeg = ("libav", "libsw", "av", "sw")  # libavformat.so.61 / avformat-61.dll
    bundled = [p for p in bundle.internal.rglob("*")
               if p.is_file() and p.name.startswith(ffmpeg)
               and (".so" in p.name or p.name.endswith(".dll"))
               and not p.name.startswith(("libavahi", "avahi"))]
    assert any("avformat" in p.name for p in bundled), f"no avformat in {bundle.internal}"
    for lib in bundled:
        originals = list(wheel.rglob(lib.name))
        if originals:
            assert filecmp.cmp(lib, originals[0], shallow=False), f"{lib} differs from the wheel's"


def test_coordinator_commands_work_frozen(bundle: Bundle) -> None:
    """The frozen kiosk drives its window (QtTest), then exports XLSX and the PDF report."""
    simulated = run_frozen(bundle, "simulate", "--visits", "2", "--seed", "1", "--no-speech",
                           "--size", "1366x768", "--location", "Markt")
    assert simulated.returncode == 0, _explain(simulated)
    xlsx = bundle.scratch / "tellingen.xlsx"
    exported = run_frozen(bundle, "export", "--format", "xlsx", "-o", str(xlsx))
    assert exported.returncode == 0, _explain(exported)
    assert xlsx.read_bytes()[:2] == b"PK"  # a zip: an XLSX workbook
    report = bundle.scratch / "rapport.pdf"
    made = run_frozen(bundle, "report", "-o", str(report))
    assert made.returncode == 0, _explain(made)
    assert report.read_bytes().startswith(b"%PDF")


def test_the_print_helper_runs_frozen(bundle: Bundle) -> None:
    """The kiosk starts its own executable as the print helper (``print-job``)."""
    import json

    job = {"course": {"id": "taalhuis", "name": "Taalhuis", "line": "Hulp.",
                      "url": "https://www.lezenenschrijven.nl", "pictogram": "books"},
           "library": {"name": "Bibliotheek"}, "link": "https://www.lezenenschrijven.nl",
           "size": "80mm", "printer": "printer-die-er-niet-is"}
    result = subprocess.run(
        [str(bundle.exe), "print-job"], input=json.dumps(job), capture_output=True, text=True,
        timeout=RUN_TIMEOUT, cwd=bundle.scratch, env=_clean_env(bundle.scratch),
    )
    assert result.returncode == 1, _explain(result)
    assert "printer 'printer-die-er-niet-is' is niet gevonden" in result.stderr, _explain(result)
