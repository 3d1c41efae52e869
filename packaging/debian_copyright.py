#!/usr/bin/env python3
"""The .deb's machine-readable copyright (DEP-5) from the bundle's licence manifest.

    packaging/debian_copyright.py MANIFEST PREFIX DOC_DIR > copyright

MANIFEST  the bundle's ``_internal/licenses/manifest.json`` (kiosk.spec writes it with
          pyinstaller-hooks/licences.py, from what PyInstaller collected)
PREFIX    where the bundle is installed, without the leading slash (opt/stellingenkiosk)
DOC_DIR   where the licence texts are installed (/usr/share/doc/stellingenkiosk/licenses)

One ``Files`` paragraph per bundled component (a file shared by several components,
such as the executable with its archive of Python modules, gets one paragraph naming
all of them), then one standalone ``License`` paragraph per licence name. Exits 1 when
the manifest names a collected library it could not trace to a licence.
Standard library only: packaging/build-deb.sh runs it with any Python 3.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FORMAT = "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
#: Licence names whose full text Debian keeps in /usr/share/common-licenses.
COMMON = {"Apache-2.0": "Apache-2.0", "GPL-2": "GPL-2", "GPL-2+": "GPL-2", "GPL-3": "GPL-3",
          "GPL-3+": "GPL-3", "LGPL-2.1": "LGPL-2.1", "LGPL-2.1+": "LGPL-2.1",
          "LGPL-3": "LGPL-3", "LGPL-3+": "LGPL-3", "MPL-2.0": "MPL-2.0", "LGPL-2+": "LGPL-2",
          "LGPL-2": "LGPL-2", "GPL-1+": "GPL-1", "CC0-1.0": "CC0-1.0"}


def licence_names(expression: str) -> list[str]:
    """The licence names of a DEP-5 License expression ("GPL-2+ or BSD, and MIT")."""
    expression = re.sub(r"\s+with\s+.+?\s+exception", "", expression)
    return [name for name in re.split(r"\s*,?\s+(?:and|or)\s+|\s*,\s*", expression.strip())
            if name]


def _field(name: str, value: str) -> str:
    lines = value.strip().splitlines() or [""]
    rest = "".join(f"\n {line.rstrip() or '.'}" for line in lines[1:])
    return f"{name}: {lines[0]}{rest}"


def build(manifest: dict, prefix: str, doc_dir: str) -> str:
    components = manifest["components"]
    owners: dict[str, list[str]] = {}
    for key, component in components.items():
        for path in component["files"]:
            owners.setdefault(path, []).append(key)
    groups: dict[tuple[str, ...], list[str]] = {}
    for path, keys in sorted(owners.items()):
        groups.setdefault(tuple(sorted(keys)), []).append(path)

    kiosk = components.get("kiosk", {"copyright": "the Stellingenkiosk authors"})
    out = ["\n".join([
        f"Format: {FORMAT}",
        "Upstream-Name: stellingenkiosk",
        _field("Comment", "Generated at build time (packaging/debian_copyright.py) from the "
                          "licence manifest of the PyInstaller bundle: every file PyInstaller "
                          "collected is traced to the project it came from (a Python wheel, a "
                          "Debian package of the build machine, the Python interpreter, this "
                          "repository).\nThe full licence texts are in "
                          f"{doc_dir}/.\nQt, PySide6 and FFmpeg are LGPL libraries, kept as "
                          "separate shared libraries under /" + prefix + "/_internal; you may "
                          "replace them with your own builds (see the README, 'Relinking')."),
    ]), "\n".join([
        "Files: *",
        f"Copyright: {kiosk['copyright']}",
        "License: Expat",
        _field("Comment", "The kiosk itself, its launcher, menu entry, icon and manual page; "
                          "full text: "
                          + ", ".join(f"{doc_dir}/{t}" for t in kiosk.get("texts", []))),
    ])]
    used: dict[str, set[str]] = {"Expat": set(kiosk.get("texts", []))}
    for keys, paths in groups.items():
        parts = [components[k] for k in keys]
        expression = " and ".join(dict.fromkeys(p["license"] for p in parts))
        for p in parts:
            for name in licence_names(p["license"]):
                used.setdefault(name, set()).update(p["texts"])
        comment = "\n".join(
            f"{p['name']} {p['version']}".strip() + f": {p['license']}; from {p['origin']}; "
            f"full text: " + ", ".join(f"{doc_dir}/{t}" for t in p["texts"]) for p in parts)
        out.append("\n".join([
            _field("Files", "\n".join(f"{prefix}/{path}" for path in paths)),
            _field("Copyright", "\n".join(dict.fromkeys(p["copyright"] for p in parts))),
            f"License: {expression}",
            _field("Comment", comment),
        ]))
    for name, texts in sorted(used.items()):
        body = []
        if name in COMMON:
            body.append(f"On Debian systems the full text of this licence is in "
                        f"/usr/share/common-licenses/{COMMON[name]}.")
        body.append("The full texts that came with the bundled components under this "
                    "licence: " + ", ".join(f"{doc_dir}/{t}" for t in sorted(texts)) + ".")
        out.append(_field("License", f"{name}\n" + "\n".join(body)))
    return "\n\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    if manifest.get("unexplained"):
        print("debian_copyright: no licence known for: " + ", ".join(manifest["unexplained"])
              + " (add it to pyinstaller-hooks/licences.py)", file=sys.stderr)
        return 1
    if manifest.get("missing_texts"):
        print("debian_copyright: licence text missing: " + "; ".join(manifest["missing_texts"]),
              file=sys.stderr)
        return 1
    sys.stdout.write(build(manifest, argv[1].strip("/"), argv[2].rstrip("/")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
