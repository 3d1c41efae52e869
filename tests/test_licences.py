"""Licences of what the bundle collects: traced to their project, and the DEP-5 copyright
made from them refuses a library it cannot explain (issue 21). Fast: no build here;
tests/test_deb.py checks the real package."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


licences = _load(ROOT / "pyinstaller-hooks" / "licences.py", "licences_under_test")
debian_copyright = _load(ROOT / "packaging" / "debian_copyright.py", "copyright_under_test")


def _trace(tmp_path: Path, *entries: tuple[str, str, str]) -> dict:
    bundle = tmp_path / "bundle"
    internal = bundle / "_internal"
    internal.mkdir(parents=True, exist_ok=True)
    return licences.write(internal, bundle, ROOT, "0.0.0", list(entries), [], [],
                          "stellingenkiosk")


def test_a_library_nobody_knows_is_unexplained_and_stops_the_copyright(tmp_path: Path,
                                                                       capsys) -> None:
    stray = tmp_path / "libmystery.so.1"
    stray.write_bytes(b"\x7fELF not really")
    manifest = _trace(tmp_path, ("libmystery.so.1", str(stray), "BINARY"))
    assert manifest["unexplained"] == ["_internal/libmystery.so.1"]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert debian_copyright.main([str(path), "opt/stellingenkiosk", "/usr/share/doc/x"]) == 1
    assert "libmystery.so.1" in capsys.readouterr().err


def test_qt_ffmpeg_python_and_debian_libraries_get_their_licences(tmp_path: Path) -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt" / "lib"
    core = next(qt.glob("libQt6Core.so.*"))
    avformat = next(qt.glob("libavformat.so.*"))
    dynload = next(Path(sys.base_prefix).glob("lib/python3*/lib-dynload/_json*.so"))
    zlib = Path("/lib/x86_64-linux-gnu/libz.so.1")
    assert zlib.exists(), "this test expects Debian's zlib1g (x86_64)"
    manifest = _trace(tmp_path, (f"PySide6/Qt/lib/{core.name}", str(core), "BINARY"),
                      (f"PySide6/Qt/lib/{avformat.name}", str(avformat), "BINARY"),
                      (f"python3.11/lib-dynload/{dynload.name}", str(dynload), "EXTENSION"),
                      ("libz.so.1", str(zlib), "BINARY"))
    assert manifest["unexplained"] == []
    assert manifest["missing_texts"] == []
    parts = manifest["components"]
    assert parts["qt"]["license"] == "LGPL-3"
    assert {"LGPL-3", "GPL-3"} <= set(parts["qt"]["texts"])
    assert parts["ffmpeg"]["license"] == "LGPL-2.1+"
    assert parts["python"]["license"] == "PSF-2.0"
    assert parts["deb:zlib1g"]["license"] == "Zlib"
    assert parts["deb:zlib1g"]["texts"] == ["zlib1g.copyright"]
    texts = tmp_path / "bundle" / "_internal" / "licenses"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (texts / "LGPL-3").read_text()
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in (texts / "Python.txt").read_text()


def test_the_copyright_is_dep5_with_a_paragraph_for_every_licence(tmp_path: Path) -> None:
    import PySide6

    core = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Core.so.*"))
    manifest = _trace(tmp_path, (f"PySide6/Qt/lib/{core.name}", str(core), "BINARY"))
    text = debian_copyright.build(manifest, "opt/stellingenkiosk", "/usr/share/doc/s/licenses")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith("Format: https://www.debian.org/doc/packaging-manuals/"
                                    "copyright-format/1.0/")
    files = [p for p in paragraphs if p.startswith("Files:")]
    assert any(f"opt/stellingenkiosk/_internal/PySide6/Qt/lib/{core.name}" in p
               and "\nLicense: LGPL-3\n" in p for p in files)
    named = {p.split("\n", 1)[0].removeprefix("License: ") for p in paragraphs
             if p.startswith("License:")}
    for paragraph in files:
        expression = next(line for line in paragraph.splitlines()
                          if line.startswith("License: ")).removeprefix("License: ")
        for name in debian_copyright.licence_names(expression):
            assert name in named, f"no License paragraph for {name}"


@pytest.mark.parametrize(("expression", "names"), [
    ("GPL-2+ or AFL-2.1, and Expat", ["GPL-2+", "AFL-2.1", "Expat"]),
    ("GPL-2+ with bootloader exception and PSF-2.0", ["GPL-2+", "PSF-2.0"]),
    ("BSD-3-clause or GPL-2", ["BSD-3-clause", "GPL-2"]),
])
def test_licence_expressions_split_into_names(expression: str, names: list[str]) -> None:
    assert debian_copyright.licence_names(expression) == names
