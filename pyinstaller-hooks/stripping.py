"""Selective ``strip --strip-unneeded`` of the bundle's shared libraries (Linux).

Not a PyInstaller hook: ``kiosk.spec`` loads this module after COLLECT.

PyInstaller's ``strip=True`` made the kiosk mute: Qt's FFmpeg libraries were
patched after linking (extra LOAD segments at the end of the file), and GNU
strip 2.40 writes two of them, libavformat.so.61 and libavutil.so.59, with a
LOAD segment whose file offset and address disagree modulo the page size. The
loader then refuses them ("ELF load command address/offset not page-aligned"),
Qt's FFmpeg plugin does not load and QtMultimedia has no backend. Measured one
library at a time (docs/benchmarks.md, "## Bundle"): stripping libavcodec,
libswresample, libswscale or the FFmpeg stubs is harmless but saves at most
10 KB; stripping any other library in the bundle leaves the sound working.

So: FFmpeg's libraries are never touched (tests/test_bundle.py checks they are
byte-for-byte the wheel's), every other ELF shared library is stripped into a
copy, and the copy replaces the original only when it is smaller and all its
LOAD segments are still aligned (the check the loader makes). The executable is
never stripped: PyInstaller appends the Python archive to it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

#: FFmpeg and Qt's FFmpeg shims: left as in the wheel (libavformat.so.61, swscale-8.dll, ...).
UNTOUCHED = ("libav", "libsw", "libQt6FFmpegStub", "libffmpegmediaplugin")


def is_shared_library(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(18)
    return head[:4] == b"\x7fELF" and struct.unpack_from("<H", head, 16)[0] == 3  # ET_DYN


def loads_aligned(path: Path) -> bool:
    """Every PT_LOAD has ``p_offset % p_align == p_vaddr % p_align`` (64-bit little-endian ELF)."""
    with path.open("rb") as f:
        header = f.read(64)
        if header[:6] != b"\x7fELF\x02\x01":
            return False
        phoff, = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, _, _, p_align = struct.unpack_from(
            "<IIQQQQQQ", table, i * phentsize)
        if p_type == 1 and p_align > 1 and p_offset % p_align != p_vaddr % p_align:
            return False
    return True


def strip_tree(root: Path, workdir: Path, strip: str = "strip") -> int:
    """Strip every shared library under ``root`` but FFmpeg's; returns the bytes saved."""
    workdir.mkdir(parents=True, exist_ok=True)
    saved = 0
    for path in sorted(root.rglob("*.so*")):
        if (path.is_symlink() or not path.is_file() or path.name.startswith(UNTOUCHED)
                or not is_shared_library(path)):
            continue
        copy = workdir / "stripped.so"
        result = subprocess.run([strip, "--strip-unneeded", "-o", str(copy), str(path)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not loads_aligned(copy):
            why = result.stderr.strip() or "LOAD segments would be misaligned"
            print(f"stripping: kept {path.name} unstripped ({why})")
            continue
        before, after = path.stat().st_size, copy.stat().st_size
        if after < before:
            mode = path.stat().st_mode
            shutil.copyfile(copy, path)
            os.chmod(path, mode)
            saved += before - after
    return saved
