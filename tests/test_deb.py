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
import sys
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
#: The maintainer is set at build time (packaging/build-deb.sh: MAINTAINER, with a default).
MAINTAINER = "ICT Bibliotheek & Co <ict@bibliotheek.example.nl>"
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
        env={**os.environ, "MAINTAINER": MAINTAINER, "PYTHON": sys.executable},
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
    depends = {d.split()[0] for d in control["Depends"].split(",")}  # versions dropped
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


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files, as ``dpkg-deb -x`` unpacks them (read only: tests share it)."""
    folder = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(folder)], check=True, timeout=300)
    return folder


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: scripts/system-deps.sh test installs it (make test)"
    return path


def test_the_menu_entry_starts_the_kiosk_with_its_icon(unpacked: Path, tmp_path: Path) -> None:
    menu = unpacked / f"usr/share/applications/{NAME}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(menu, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == f"{NAME} run"
    assert entry["TryExec"] == NAME
    assert entry["Icon"] == NAME
    assert entry["Terminal"] == "false"
    assert "Education" in entry["Categories"]
    assert parser["Desktop Action autostart-on"]["Exec"] == f"{NAME} autostart on"
    # Debian 12's desktop-file-utils (0.26) knows desktop entry versions up to 1.4
    checked = subprocess.run([_tool("desktop-file-validate"), str(menu)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not checked.stdout.strip(), checked.stdout + checked.stderr
    # The unpacked package runs too (the launcher names the installed path, so run the bundle)
    result = run_frozen_at(unpacked / "opt" / NAME / NAME, tmp_path)
    assert_self_test_plays(result)


def _debian_copyright():
    import importlib.util

    spec = importlib.util.spec_from_file_location("debian_copyright",
                                                  ROOT / "packaging" / "debian_copyright.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lintian_finds_no_error_and_no_warning_without_a_reason(deb: Path) -> None:
    """Every remaining tag is overridden in packaging/lintian-overrides, with its reason."""
    result = subprocess.run([_tool("lintian"), "--fail-on", "error,warning",
                             "--tag-display-limit", "0", str(deb)],
                            capture_output=True, text=True, timeout=900)
    tags = [line for line in result.stdout.splitlines() if re.match(r"[EW]: ", line)]
    assert result.returncode == 0, _explain(result)
    assert not tags, _explain(result)
    overrides = (ROOT / "packaging" / "lintian-overrides").read_text(encoding="utf-8")
    lines = overrides.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{NAME}:"):
            assert i > 0, f"override without a reason: {line}"
            assert lines[i - 1].startswith("# "), f"override without a reason: {line}"


def _dep5(text: str) -> list[dict[str, str]]:
    """The paragraphs of a DEP-5 file as dicts (continuation lines joined with newlines)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith((" ", "\t")):
                fields[key] += "\n" + line.strip()
            else:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        paragraphs.append(fields)
    return paragraphs


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def test_every_bundled_library_has_its_licence(unpacked: Path) -> None:
    """The DEP-5 copyright names every ELF file of the bundle by its path (not by the
    catch-all ``*``), each licence name has a License paragraph, and every licence text
    it points at is in the package (issue 21)."""
    licence_names = _debian_copyright().licence_names

    doc = unpacked / "usr" / "share" / "doc" / NAME
    paragraphs = _dep5((doc / "copyright").read_text(encoding="utf-8"))
    assert paragraphs[0]["Format"].startswith("https://www.debian.org/doc/packaging-manuals/")
    named: dict[str, dict[str, str]] = {}
    for p in paragraphs:
        if "Files" in p and p["Files"] != "*":
            for path in p["Files"].split():
                named[path] = p
    licences = {p["License"].split("\n")[0] for p in paragraphs if "Files" not in p
                and "License" in p}
    elfs = [path for path in (unpacked / "opt").rglob("*")
            if path.is_file() and not path.is_symlink() and _is_elf(path)]
    assert len(elfs) > 100, elfs
    missing = [path.relative_to(unpacked).as_posix() for path in elfs
               if path.relative_to(unpacked).as_posix() not in named]
    assert not missing, f"no licence entry in {doc / 'copyright'} for: {missing}"
    for p in named.values():
        for name in licence_names(p["License"].split("\n")[0]):
            assert name in licences, f"no License paragraph for {name}"
        for text in re.findall(r"/usr/share/doc/\S+?(?=[,;\s]|$)", p.get("Comment", "")):
            assert (unpacked / text.lstrip("/")).is_file(), f"{text} is not in the package"
    by_name = {path.rsplit("/", 1)[-1]: p["License"] for path, p in named.items()}
    assert by_name["libQt6Core.so.6"] == "LGPL-3"
    assert any(n.startswith("libavformat") and v == "LGPL-2.1+" for n, v in by_name.items())
    assert by_name["libpython3.11.so.1.0"] == "PSF-2.0"
    for text in ("LGPL-3", "GPL-3", "LGPL-2.1", "Python.txt", "ICU.txt",
                 "Stellingenkiosk-Expat.txt"):
        assert (doc / "licenses" / text).stat().st_size > 500, text
    assert not (unpacked / "opt" / NAME / "_internal" / "licenses").exists()


def test_the_manual_page_and_changelog_are_installed(deb: Path, unpacked: Path) -> None:
    page = unpacked / "usr" / "share" / "man" / "man1" / f"{NAME}.1.gz"
    result = subprocess.run([_tool("man"), "--warnings", "-l", str(page)], capture_output=True,
                            text=True, timeout=120,
                            env={**os.environ, "MANWIDTH": "100", "LC_ALL": "C.UTF-8",
                                 "MANPAGER": "cat", "PAGER": "cat"})
    assert result.returncode == 0, _explain(result)
    assert not result.stderr.strip(), _explain(result)
    text = re.sub(".\b", "", result.stdout)
    from kiosk.cli import COMMANDS

    for command in COMMANDS:
        assert f"{NAME} {command}\n" in text, f"{command} is not on the installed page"
    changelog = subprocess.run(["zcat", str(unpacked / "usr/share/doc" / NAME / "changelog.gz")],
                               capture_output=True, text=True, check=True, timeout=60).stdout
    control = _control(deb)
    assert changelog.startswith(f"{NAME} ({control['Version']}) ")
    assert f" -- {control['Maintainer']}  " in changelog
    assert control["Maintainer"] == MAINTAINER
    assert re.search(r"(^|, )libc6 \(>= 2\.\d+\)", control["Depends"]), control["Depends"]


def test_no_library_searches_the_build_machine(unpacked: Path) -> None:
    """RUNPATHs pointing out of the bundle (the build machine's pyenv) are gone; shared
    libraries are not executable."""
    bad = []
    for path in (unpacked / "opt").rglob("*.so*"):
        if path.is_file() and not path.is_symlink():
            dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True,
                                     text=True, timeout=60).stdout
            for runpath in re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.*)\]", dynamic):
                if not runpath.startswith("$ORIGIN"):
                    bad.append(f"{path.name}: {runpath}")
            if path.stat().st_mode & 0o111:
                bad.append(f"{path.name}: executable")
    assert not bad, bad


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
    needed = [d.split()[0] for d in _control(deb)["Depends"].split(",")]  # "libc6 (>= 2.36)"
    missing = [d for d in needed if not _installed(d)]
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
        assert f"\nTryExec=/opt/{NAME}/{NAME}\n" in entry, entry
    finally:
        removed = subprocess.run(["dpkg", "-r", NAME], capture_output=True, text=True,
                                 timeout=600)
    assert removed.returncode == 0, _explain(removed)
    assert not _installed(NAME)
    assert not Path("/opt", NAME).exists()
    assert not Path("/usr/bin", NAME).exists()
    assert not Path("/usr/share/applications", f"{NAME}.desktop").exists()
    # The user's autostart entry stays in their home, but names a program that is gone:
    # desktops skip an entry whose TryExec is missing (issue 21).
    assert (config / "autostart" / f"{NAME}.desktop").is_file()
    assert not Path("/opt", NAME, NAME).exists()
