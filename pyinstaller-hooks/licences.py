"""Licences of everything PyInstaller collected, written into the bundle (``licenses/``).

Not a PyInstaller hook: ``kiosk.spec`` loads this module after COLLECT and calls
:func:`write` with the analysis' TOCs (``a.binaries``, ``a.pure``, ``a.datas``).

Every collected file is traced to where it came from, on the build machine:

- a file installed by a Python wheel (its dist-info ``RECORD`` lists it): that
  distribution, with the licence files of its dist-info; the PySide6 wheels are split
  into the projects they carry (Qt, FFmpeg, ICU, PySide6/Shiboken);
- a file a Debian package installed (``dpkg -S``): that package, with its
  ``/usr/share/doc/<package>/copyright`` (Debian keeps the full licence text there);
- the Python interpreter's own files (libpython, lib-dynload, the standard library):
  Python, with its ``LICENSE.txt``;
- the kiosk's own files and assets: MIT (Phosphor pictograms MIT, fonts OFL-1.1, with
  the licence files in ``ui/``);
- the executable: PyInstaller's bootloader (GPL-2.0+ with its bootloader exception),
  with the Python archive of the pure-Python modules appended.

The result is ``<bundle>/_internal/licenses/manifest.json`` (one entry per component:
name, version, licence, copyright, origin, the bundle files it covers, its licence
texts) and the texts beside it. A collected binary nothing explains lands in the
manifest's ``unexplained`` list; tests/test_deb.py fails on it, and
packaging/debian_copyright.py turns the manifest into the .deb's DEP-5 copyright.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

COMMON = Path("/usr/share/common-licenses")
TEXTS_IN_REPO = Path(__file__).resolve().parent.parent / "packaging" / "licenses"


class Component:
    """One project in the bundle. (No dataclass: kiosk.spec loads this file without
    registering it in sys.modules, which dataclasses need.)"""

    def __init__(self, key: str, name: str, version: str, license: str, copyright: str,
                 origin: str) -> None:
        self.key, self.name, self.version = key, name, version
        self.license = license  # Debian short name(s), as in a DEP-5 License field
        self.copyright, self.origin = copyright, origin
        self.texts: dict[str, Path] = {}  # file name in licenses/ -> source
        self.files: set[str] = set()  # bundle-relative paths (posix)

    def manifest(self) -> dict:
        return {"name": self.name, "version": self.version, "license": self.license,
                "copyright": self.copyright, "origin": self.origin,
                "texts": sorted(self.texts), "files": sorted(self.files)}


#: What the PySide6 wheels carry, by bundle file name: (key, project, licence, copyright,
#: licence texts). The first match wins; the rest of the wheels is Qt.
WHEEL_PARTS = (
    (("libav*", "libsw*", "libQt6FFmpegStub*"), "ffmpeg", "FFmpeg", "LGPL-2.1+",
     "the FFmpeg developers", ("LGPL-2.1",)),
    (("libicu*",), "icu", "ICU", "ICU", "Unicode, Inc. and others", ("ICU",)),
    (("libpyside6*", "libshiboken6*", "*.abi3.so", "*.py", "*.pyi"), "pyside6",
     "PySide6 and Shiboken6", "LGPL-3", "The Qt Company Ltd.", ("LGPL-3", "GPL-3")),
)
QT = ("qt", "Qt", "LGPL-3", "The Qt Company Ltd. and other contributors", ("LGPL-3", "GPL-3"))

#: SPDX (or free-text) licence names of Python metadata -> Debian short names.
SPDX_TO_DEBIAN = {
    "MIT": "Expat", "BSD-3-Clause": "BSD-3-clause", "BSD-2-Clause": "BSD-2-clause",
    "Apache-2.0": "Apache-2.0", "Apache License, Version 2.0": "Apache-2.0",
    "MPL-2.0": "MPL-2.0", "PSF-2.0": "PSF-2.0", "GPLv2+": "GPL-2+", "BSD": "BSD-3-clause",
    "ISC": "ISC", "Unlicense": "Unlicense",
}
#: The kiosk's own assets: (pattern in the bundle, key, name, licence, copyright, text).
ASSETS = (
    ("_internal/kiosk/_assets/ui/pictograms/*", "phosphor", "Phosphor Icons", "Expat",
     "Phosphor Icons", "ui/pictograms/LICENSE-phosphor.txt"),
    ("_internal/kiosk/_assets/ui/fonts/SourceSans3*", "source-sans", "Source Sans 3",
     "OFL-1.1", "Adobe", "ui/fonts/OFL-SourceSans3.txt"),
    ("_internal/kiosk/_assets/ui/fonts/*", "atkinson", "Atkinson Hyperlegible", "OFL-1.1",
     "Braille Institute of America", "ui/fonts/OFL.txt"),
)
LICENSE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)


class Tracer:
    """Finds the component of each collected file."""

    def __init__(self, root: Path, version: str) -> None:
        self.root = root
        self.components: dict[str, Component] = {}
        self.unexplained: list[str] = []
        self._wheel_files = _wheel_files()
        self._python = Path(sys.base_prefix).resolve()
        kiosk = self.component("kiosk", "Stellingenkiosk", version, "Expat",
                               "the Stellingenkiosk authors", "this repository")
        kiosk.texts["Stellingenkiosk-Expat.txt"] = TEXTS_IN_REPO / "Expat-stellingenkiosk.txt"

    def component(self, key: str, name: str, version: str, license: str, copyright: str,
                  origin: str) -> Component:
        if key not in self.components:
            self.components[key] = Component(key, name, version, license, copyright, origin)
        return self.components[key]

    def common(self, component: Component, names: tuple[str, ...]) -> None:
        for name in names:
            source = COMMON / name if (COMMON / name).is_file() else TEXTS_IN_REPO / name
            component.texts[name] = source

    def python(self) -> Component:
        python = self.component("python", "Python", sys.version.split()[0], "PSF-2.0",
                                "Python Software Foundation", f"the interpreter {sys.prefix}")
        license_txt = next(self._python.glob("lib/python3*/LICENSE.txt"), None) or \
            next(self._python.glob("LICENSE.txt"), None)
        if license_txt:
            python.texts["Python.txt"] = license_txt
        return python

    def trace(self, dest: str, source: str | None, kind: str) -> None:
        """Attribute bundle file ``dest`` (relative to the bundle) from ``source``."""
        found = self._find(dest, Path(source) if source else None, kind)
        if found is None:
            if kind in ("BINARY", "EXTENSION"):
                self.unexplained.append(dest)
            return
        found.files.add(dest)

    def _find(self, dest: str, source: Path | None, kind: str) -> Component | None:
        for pattern, key, name, license, holder, text in ASSETS:
            if fnmatch(dest, pattern):
                c = self.component(key, name, "", license, holder, "ui/ in this repository")
                c.texts[Path(text).name] = self.root / text
                return c
        if dest.startswith("_internal/kiosk/") or (
                source and _inside(source, self.root / "kiosk")):
            return self.components["kiosk"]
        if source is None:
            return None
        resolved = source.resolve()
        dist = self._wheel_files.get(resolved)
        if dist is not None:
            return self._from_wheel(dist, dest)
        if _inside(resolved, self._python):
            return self.python()
        return self._from_debian(source)

    def _from_wheel(self, dist, dest: str) -> Component:
        name = dist.metadata["Name"]
        if name.lower().replace("_", "-") in ("pyside6-essentials", "pyside6-addons",
                                              "shiboken6"):
            base = dest.rsplit("/", 1)[-1]
            part = next((part[1:] for part in WHEEL_PARTS
                         if any(fnmatch(base, p) for p in part[0])), QT)
            key, project, license, holder, texts = part
            c = self.component(key, project, f"{dist.version} (wheel)", license, holder,
                               f"the PyPI wheels PySide6-Essentials/Addons {dist.version}")
            for text in texts:
                if text == "ICU":
                    c.texts["ICU.txt"] = TEXTS_IN_REPO / "ICU.txt"
                else:
                    self.common(c, (text,))
            return c
        if name.lower() == "pyinstaller":
            c = self.component("pyinstaller", "PyInstaller bootloader", dist.version,
                               "GPL-2+ with bootloader exception", "PyInstaller Development "
                               "Team", f"PyPI pyinstaller {dist.version}")
        else:
            c = self.component(f"dist:{name.lower()}", name, dist.version,
                               _python_license(dist), _python_holder(dist),
                               f"PyPI {name} {dist.version}")
        for file in dist.files or ():
            if ".dist-info" in file.parts[0] and LICENSE_FILE.search(file.name):
                path = Path(dist.locate_file(file))
                if path.is_file():
                    c.texts[f"{name}-{file.name}"] = path
        return c

    def _from_debian(self, source: Path) -> Component | None:
        package = _dpkg_owner(source)
        if package is None:
            return None
        version = _dpkg_version(package)
        c = self.component(f"deb:{package}", package, version, f"LicenseRef-Debian-{package}",
                           f"see licenses/{package}.copyright (Debian's copyright file)",
                           f"the Debian package {package} {version}")
        doc = Path("/usr/share/doc", package, "copyright")
        if doc.is_file():
            c.texts[f"{package}.copyright"] = doc
            c.license = _dep5_license(doc) or c.license
        return c


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _wheel_files() -> dict:
    """Every file an installed distribution's RECORD lists -> the distribution."""
    from importlib import metadata

    files = {}
    for dist in metadata.distributions():
        for file in dist.files or ():
            files.setdefault(Path(dist.locate_file(file)).resolve(), dist)
    return files


def _python_license(dist) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression") or ""
    if not expression:
        license_ = (meta.get("License") or "").strip()
        expression = license_ if "\n" not in license_ and len(license_) < 60 else ""
    if not expression:
        for classifier in meta.get_all("Classifier") or ():
            if classifier.startswith("License :: OSI Approved :: MIT"):
                expression = "MIT"
    expression = SPDX_TO_DEBIAN.get(expression.strip(), expression.strip())
    parts = re.split(r"\s+(AND|OR)\s+", expression)
    names = [p.lower() if p in ("AND", "OR") else SPDX_TO_DEBIAN.get(p, p) for p in parts]
    if not expression or any(" " in n for n in names):
        return f"LicenseRef-{meta['Name']}"
    return " ".join(names)


def _python_holder(dist) -> str:
    meta = dist.metadata
    return (meta.get("Author") or meta.get("Author-email") or meta.get("Maintainer")
            or meta.get("Maintainer-email") or f"the {meta['Name']} authors").strip()


_DPKG: dict[str, str | None] = {}


def _dpkg_owner(source: Path) -> str | None:
    """The Debian package that installed ``source`` (merged /usr: both spellings)."""
    if shutil.which("dpkg-query") is None:
        return None
    candidates = [str(source), str(source.resolve())]
    for path in list(candidates):
        if path.startswith("/usr/lib/"):
            candidates.append(path[4:])
        elif path.startswith("/lib/"):
            candidates.append("/usr" + path)
    for path in candidates:
        if path not in _DPKG:
            found = subprocess.run(["dpkg-query", "-S", path], capture_output=True,
                                   text=True, check=False)
            owner = found.stdout.split(":", 1)[0].strip() if found.returncode == 0 else None
            _DPKG[path] = owner.split(",")[0].strip() if owner else None
        if _DPKG[path]:
            return _DPKG[path]
    return None


def _dpkg_version(package: str) -> str:
    found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                           capture_output=True, text=True, check=False)
    return found.stdout.strip()


def _dep5_license(copyright_file: Path) -> str | None:
    """The licence of the ``Files: *`` paragraph of a machine-readable copyright file."""
    text = copyright_file.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("Format:"):
        return None
    for paragraph in re.split(r"\n\s*\n", text):
        if re.search(r"^Files:\s*\*\s*$", paragraph, re.MULTILINE):
            found = re.search(r"^License:\s*(.+)$", paragraph, re.MULTILINE)
            if found:
                return found.group(1).strip()
    return None


def write(internal: Path, bundle: Path, root: Path, version: str, binaries, pure, datas,
          executable_name: str) -> dict:
    """Trace every collected file and write ``internal/licenses/`` (manifest + texts)."""
    tracer = Tracer(root, version)
    prefix = internal.relative_to(bundle).as_posix()
    for dest, source, kind in binaries:
        tracer.trace(f"{prefix}/{dest}", source, kind)
    for dest, source, kind in datas:
        tracer.trace(f"{prefix}/{dest}", source, kind)
    # The executable: PyInstaller's bootloader plus the archive of every pure module.
    import PyInstaller

    bootloader = tracer._from_wheel(_dist_of(Path(PyInstaller.__file__)), executable_name)
    bootloader.files.add(executable_name)
    for _name, source, _kind in pure:
        found = tracer._find(executable_name, Path(source) if source else None, "PYMODULE")
        if found is not None:
            found.files.add(executable_name)
    python = tracer.python()
    python.files.add(executable_name)
    if (internal / "base_library.zip").is_file():
        python.files.add(f"{prefix}/base_library.zip")

    out = internal / "licenses"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    missing = []
    for component in tracer.components.values():
        if not component.files:
            continue
        for name, source in component.texts.items():
            if source.is_file():
                shutil.copyfile(source, out / name)
            else:
                missing.append(f"{component.name}: {source}")
        if not component.texts:
            missing.append(f"{component.name}: no licence text found")
    manifest = {
        "components": {key: c.manifest() for key, c in sorted(tracer.components.items())
                       if c.files},
        "unexplained": sorted(tracer.unexplained),
        "missing_texts": sorted(missing),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                       encoding="utf-8")
    return manifest


def _dist_of(module_file: Path):
    from importlib import metadata

    for dist in metadata.distributions():
        if (dist.metadata["Name"] or "").lower() == module_file.parent.name.lower():
            return dist
    raise LookupError(module_file)
