"""Shared libraries the bundle leaves to the system (Linux): libcups and libpulse, with
everything that only they pull in.

Not a PyInstaller hook: ``kiosk.spec`` loads this module and filters ``a.binaries``
with :func:`leave_to_system` after the analysis.

Why these two
-------------
PyInstaller collects every library a collected binary links, recursively, from the
build machine. Two of them drag in whole stacks the kiosk never uses itself:

- ``libcups.so.2`` (pycups' extension and Qt's ``cupsprintersupport`` plugin link it)
  brings GnuTLS, nettle, hogweed, gmp, p11-kit, libtasn1, libidn2, libunistring and
  avahi: ~7.4 MB, a TLS stack that would then never get the system's security
  updates;
- ``libpulse.so.0`` (libQt6Multimedia links it) brings libpulsecommon, libsndfile and
  its codecs (FLAC, Vorbis, Opus, mpg123, LAME), libasyncns: ~3.8 MB.

Both are on every Debian/Ubuntu desktop, and the ``.deb`` depends on their packages
(``libcups2``, ``libpulse0``; packaging/build-deb.sh, tests/test_bundle.py checks).
libpulse0 is needed by the speech anyway: ``libespeak-ng1`` -> ``libpcaudio0`` ->
``libpulse0``, and the system's libpcaudio already loads the system's
``libpulse-simple.so.0`` into the kiosk; with libpulse from the system too, that one
no longer runs against a bundled libpulse of another version.

Without ``libcups.so.2`` on the system the kiosk still runs: ``import cups`` raises
ImportError, :func:`kiosk.gui.spooler.available` says False, the print helper takes
Qt's path, Qt's CUPS plugin does not load, and staff get the Dutch "Printen lukt
niet: ... niet gevonden / geen standaardprinter" line (tests/test_bundle.py runs it
with libcups hidden). Without ``libpulse.so.0`` QtMultimedia does not load; the
speech needs libpulse0 anyway (above).

What goes
---------
The libraries named in :data:`SYSTEM`, and every collected library that only they
link: a library is left out when at least one collected binary links it and every
one that does is left out already (repeated until nothing changes). A library that
something kept links as well stays in the bundle (``libgssapi_krb5``: libQt6Network
links it; ``libz``, ``libffi``, ``libdbus-1``, ``libsystemd``, ``libX11-xcb``), and the
system's libcups/libpulse then use the bundle's copy, as any library of the
system that the bundle loads does (libespeak-ng, libGL, libxcb).

``DT_NEEDED`` is read with ``readelf -d`` (binutils, which PyInstaller needs on
Linux anyway).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

#: soname -> the Debian package that provides it (the .deb's Depends must name it).
SYSTEM = {
    "libcups.so.2": "libcups2",
    "libpulse.so.0": "libpulse0",
}


def needed(path: str | os.PathLike) -> list[str]:
    """The ``DT_NEEDED`` sonames of an ELF file ([] for anything else)."""
    result = subprocess.run(["readelf", "-d", "--wide", str(path)], capture_output=True,
                            text=True)
    if result.returncode != 0:
        return []
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout)


def closure(entries: Iterable[tuple[str, str, str]], seeds: Iterable[str]) -> set[str]:
    """The basenames to leave out: ``seeds`` plus every library only they link.

    ``entries`` are PyInstaller's (destination name, source path, type) of the collected
    binaries. Python extension modules count as users but never go themselves.
    """
    entries = [(dest, src, kind) for dest, src, kind in entries if kind != "SYMLINK"]
    links = {dest: set(needed(src)) for dest, src, _ in entries if Path(src).is_file()}
    libraries = {os.path.basename(dest) for dest, _, kind in entries if kind == "BINARY"}
    dropped = {seed for seed in seeds if seed in libraries}
    changed = True
    while changed:
        changed = False
        for name in sorted(libraries - dropped):
            users = {os.path.basename(dest) for dest, libs in links.items() if name in libs}
            if users and users <= dropped:
                dropped.add(name)
                changed = True
    return dropped


def leave_to_system(binaries: list, seeds: Iterable[str] = SYSTEM) -> tuple[list, list[str]]:
    """``a.binaries`` without the libraries of :func:`closure`; also their sorted names.

    Only plain libraries go (not Python extension modules); a symlink entry to one of
    them goes with it.
    """
    dropped = closure(binaries, seeds)
    kept = []
    for dest, src, kind in binaries:
        name = os.path.basename(dest)
        target = os.path.basename(src) if kind == "SYMLINK" else ""
        if (kind == "BINARY" and name in dropped) or (kind == "SYMLINK" and target in dropped):
            continue
        kept.append((dest, src, kind))
    return kept, sorted(dropped)
