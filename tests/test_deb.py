"""``make deb``: the Debian package built from the bundle installs, runs its self-test, and goes.

Packages the bundle that tests/test_bundle.py builds (one PyInstaller build per
run) with packaging/build-deb.sh, then checks the package's files and control
data with ``dpkg-deb``. As root (CI) it installs the package with ``dpkg -i``,
runs ``stellingenkiosk self-test`` from the installed path (speech played to its
end through the FFmpeg backend), and removes it again with ``dpkg -r``, leaving
the machine as it was. Not root: the same self-test runs from the package's
files unpacked with ``dpkg-deb -x``.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_bundle import (
    ROOT,
    Bundle,
    _explain,
    assert_self_test_plays,
    run_self_test,
    shared_bundle,
)

NAME = "stellingenkiosk"
BUILD_TIMEOUT = 600  # copying ~210 MB and xz: about a minute on a 2-core laptop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    return shared_bundle(tmp_path_factory)


@pytest.fixture(scope="module")
def deb(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    result = subprocess.run(
        [str(ROOT / "packaging" / "build-deb.sh"), str(bundle.folder), str(out)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, _explain(result)
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file(), _explain(result)
    assert path.parent == out
    return path


def _control(deb: Path) -> dict[str, str]:
    text = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    return dict(re.findall(r"^(\S+): (.*)$", text, re.MULTILINE))


def _run_pkgs() -> list[str]:
    """The run_pkgs array of scripts/system-deps.sh (comments dropped)."""
    script = (ROOT / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    body = re.search(r"^run_pkgs=\((.*?)^\)", script, re.MULTILINE | re.DOTALL).group(1)
    return [word for line in body.splitlines() for word in line.split("#")[0].split()]


def test_the_package_declares_what_the_bundle_needs(deb: Path) -> None:
    from kiosk import __version__

    control = _control(deb)
    assert control["Package"] == NAME
    assert control["Version"] == __version__
    assert deb.name == f"{NAME}_{__version__}_{control['Architecture']}.deb"
    depends = {d.strip() for d in control["Depends"].split(",")}
    # espeak-ng (the program) in system-deps is the library libespeak-ng1 here;
    # compilers and -dev packages there only build Python packages (pycups)
    build_only = {"gcc", "g++", "make", "build-essential", "pkg-config"}
    wanted = {"libespeak-ng1" if p == "espeak-ng" else p for p in _run_pkgs()
              if p not in build_only and not p.endswith("-dev")}
    assert wanted <= depends, f"missing from Depends: {sorted(wanted - depends)}"
    assert {"libespeak-ng1", "libpulse0"} <= depends


def test_the_package_holds_the_bundle_a_command_and_a_menu_entry(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True, timeout=60).stdout
    files = {line.split()[5].removeprefix(".") for line in listing.splitlines()}
    for path in (f"/opt/{NAME}/{NAME}", f"/opt/{NAME}/_internal/kiosk/_assets/content/",
                 f"/usr/bin/{NAME}", f"/usr/share/applications/{NAME}.desktop",
                 f"/usr/share/icons/hicolor/scalable/apps/{NAME}.svg"):
        assert path in files, f"{path} not in the package"
    owners = {line.split()[1] for line in listing.splitlines()}
    assert owners == {"root/root"}, owners
    launcher = next(line for line in listing.splitlines() if line.endswith(f"./usr/bin/{NAME}"))
    assert launcher.startswith("-rwxr-xr-x"), launcher


def test_the_menu_entry_starts_the_kiosk_with_its_icon(deb: Path, tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True, timeout=300)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(tmp_path / f"usr/share/applications/{NAME}.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == f"{NAME} run"
    assert entry["Icon"] == NAME
    assert entry["Terminal"] == "false"
    assert "Education" in entry["Categories"]
    assert parser["Desktop Action autostart-on"]["Exec"] == f"{NAME} autostart on"
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(
            tmp_path / f"usr/share/applications/{NAME}.desktop")], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    # The unpacked package runs too (the launcher names the installed path, so run the bundle)
    result = run_frozen_at(tmp_path / "opt" / NAME / NAME, tmp_path)
    assert_self_test_plays(result)


def run_frozen_at(exe: Path, scratch: Path) -> subprocess.CompletedProcess[str]:
    bundle = Bundle(folder=exe.parent, exe=exe, internal=exe.parent / "_internal",
                    scratch=scratch)
    return run_self_test(bundle)


def _installed(package: str) -> bool:
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                            capture_output=True, text=True, timeout=60)
    return status.returncode == 0 and status.stdout.strip() == "install ok installed"


def test_install_run_and_remove(deb: Path, tmp_path: Path) -> None:
    assert os.geteuid() == 0, "dpkg -i needs root: run the tests as root (CI does)"
    assert not _installed(NAME), (f"{NAME} is installed on this machine already; remove it "
                                  f"first (apt-get remove {NAME}), the test installs its own")
    missing = [d.strip() for d in _control(deb)["Depends"].split(",") if not _installed(d.strip())]
    assert not missing, f"install first (make test does): apt-get install {' '.join(missing)}"
    installed = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True,
                               timeout=600)
    try:
        assert installed.returncode == 0, _explain(installed)
        command = shutil.which(NAME, path="/usr/bin")
        assert command == f"/usr/bin/{NAME}"
        scratch = tmp_path / "run"
        scratch.mkdir()
        result = run_self_test(Bundle(folder=Path("/opt", NAME), exe=Path(command),
                                      internal=Path("/opt", NAME, "_internal"),
                                      scratch=scratch))
        assert_self_test_plays(result)
        # autostart from the installed command points at the installed bundle
        config = tmp_path / "config"
        on = subprocess.run([command, "autostart", "on"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "XDG_CONFIG_HOME": str(config)})
        assert on.returncode == 0, _explain(on)
        entry = (config / "autostart" / f"{NAME}.desktop").read_text(encoding="utf-8")
        assert f"\nExec=/opt/{NAME}/{NAME} run\n" in entry, entry
    finally:
        removed = subprocess.run(["dpkg", "-r", NAME], capture_output=True, text=True,
                                 timeout=600)
    assert removed.returncode == 0, _explain(removed)
    assert not _installed(NAME)
    assert not Path("/opt", NAME).exists()
    assert not Path("/usr/bin", NAME).exists()
    assert not Path("/usr/share/applications", f"{NAME}.desktop").exists()
