"""A smaller ICU data library for the bundle (Linux): Qt's own ICU, minus what Qt never reads.

Not a PyInstaller hook (no ``hook-`` prefix): ``kiosk.spec`` loads this module and
calls :func:`shrink_library` on the collected ``libicudata.so.NN``.

Why it is safe
--------------
PySide6's QtCore links ICU (libicuuc, libicui18n, libicudata: ~38 MB, of which the
data library is 32 MB). QtCore is the only library in the bundle that links ICU,
and it imports just three groups of ICU functions (``nm -D libQt6Core.so.6 | grep
_NN``): collation (``ucol_*``: QCollator, ``QString::localeAwareCompare``),
time-zone names (``ucal_*``: ``QTimeZone::displayName``) and legacy text
encodings (``ucnv_*``: QStringConverter beyond UTF-8/16/32 and Latin-1), plus
``u_strToUpper``/``u_strToLower`` (whose case tables are compiled into libicuuc).
None of them reads ICU's break-iterator rules and dictionaries (``brkitr/``),
transliterators (``translit/``), spelled-out numbers (``rbnf/``), unit, currency,
language or region display names (``unit/ curr/ lang/ region/``) or character
names (``unames.icu``): 15+ MB. Those trees are dropped whole.

The locale trees these functions do read (the main tree, ``coll/``, ``zone/``) keep
their ``root``, English and Dutch bundles (the kiosk is Dutch; staff laptops run
nl_NL or en_*); ICU falls back to ``root`` for any other locale (Unicode's default
collation order, "GMT+01:00" style zone names) instead of failing.

Converters: the 139 single-byte code pages stay (windows-125x, ISO-8859-x, DOS,
Mac, KOI8, EBCDIC: 0.4 MB); the 51 multi-byte ones (Chinese, Japanese, Korean:
Shift-JIS, GBK, Big5, EUC-*, GB 18030; 4.7 MB) go: a Dutch kiosk never decodes
them, and ICU then simply does not list them (``ucnv_countAvailable`` opens each
one). UTF-8/16/32 and Latin-1 never touch ICU in Qt. Everything else is kept as
it is: the converter alias table, normalisation and StringPrep data, and the
supplemental data (likely subtags, calendars, time zones, plural rules, ...).

Measured with ``strace -e trace=stat`` and ``ICU_DATA`` pointing at an empty
folder (ICU looks for each item as a loose file before its built-in package):
the kiosk's ``self-test`` reads no ICU data at all; a QCollator, a time-zone name
and a windows-1252 decoder read ``coll/``, ``zone/``, the main tree,
``cnvalias.icu``, one ``.cnv`` and supplemental items only (docs/benchmarks.md,
"## Bundle").

The package format ("CmnD", ICU's common data file, as ``icupkg`` writes it): a
``MappedData`` + ``UDataInfo`` header, then a table of contents (``uint32`` count,
then per item ``uint32`` name offset and ``uint32`` data offset, both relative to
the table's start), the item names (``icudt73l/coll/nl.res``, NUL-terminated),
then the items, each starting on a 16-byte boundary. The library only exports
that package as the symbol ``icudtNN_dat``; a new one is assembled with
binutils' ``as`` and ``ld`` (PyInstaller needs binutils on Linux anyway).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

#: Whole trees Qt's ICU calls never read.
DROPPED_TREES = ("brkitr", "translit", "rbnf", "unit", "curr", "lang", "region")
#: Top-level items of those APIs (character names: u_charName).
DROPPED_ITEMS = ("unames.icu",)
#: Locale bundles kept in the main tree, coll/ and zone/ (root is always kept).
KEPT_LOCALES = re.compile(r"^(en|nl)(_[A-Za-z0-9]*)*$")
#: A locale's bundle: nl.res, en_US_POSIX.res, de__PHONEBOOK.res (not likelySubtags.res).
_LOCALE_BUNDLE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
_ALWAYS = ("root.res", "pool.res", "res_index.res")


def keep_item(name: str, data: bytes) -> bool:
    """Keep this item? ``name`` lacks the package prefix: ``coll/nl.res``, ``cnvalias.icu``."""
    *folders, leaf = name.split("/")
    if folders and folders[0] in DROPPED_TREES:
        return False
    if not folders and leaf in DROPPED_ITEMS:
        return False
    if leaf.endswith(".cnv"):
        return _max_bytes_per_char(data) == 1
    if leaf in _ALWAYS or not _LOCALE_BUNDLE.match(leaf):
        return True  # supplemental data, normalisation, StringPrep, ...
    return bool(KEPT_LOCALES.match(leaf[: -len(".res")]))


def _max_bytes_per_char(cnv: bytes) -> int:
    """``maxBytesPerChar`` of a converter table: its ``UConverterStaticData`` starts after the
    data header (``uint32`` size, ``char name[60]``, ``int32`` codepage, then ``int8``
    platform, type, minBytesPerChar, maxBytesPerChar)."""
    (header_size,) = struct.unpack_from("<H", cnv, 0)
    return cnv[header_size + 71]


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(item name, item bytes), ...]) of a little-endian ICU common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[8] != 0 or blob[12:16] != b"CmnD":
        raise ValueError("not a little-endian ICU common data package (CmnD)")
    toc = header_size
    (count,) = struct.unpack_from("<I", blob, toc)
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    offsets = [data for _, data in entries] + [len(blob) - toc]
    if offsets != sorted(offsets):
        raise ValueError("ICU package items are not stored in table order")
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        end = blob.index(b"\0", toc + name_offset)
        name = blob[toc + name_offset:end].decode("ascii")
        items.append((name, blob[toc + data_offset:toc + offsets[i + 1]]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of :func:`read_package` (items in the given order, each 16-byte aligned)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc = bytearray(struct.pack("<I", len(items)))
    body = bytearray()
    name_offset = 4 + 8 * len(items)
    data_start = name_offset + len(names)
    data_start += -(len(header) + data_start) % 16
    for name, data in items:
        body += b"\xaa" * (-(len(header) + data_start + len(body)) % 16)  # icupkg's padding
        toc += struct.pack("<II", name_offset, data_start + len(body))
        name_offset += len(name) + 1
        body += data
    toc += names
    toc += b"\xaa" * (data_start - len(toc))
    return bytes(header) + bytes(toc) + bytes(body)


def _symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the ``icudtNN_dat`` symbol, from ``nm`` and the ELF sections."""
    out = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)], check=True,
                         capture_output=True, text=True).stdout
    match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) [RrDd] (icudt\d+_dat)$", out, re.MULTILINE)
    if not match:
        raise ValueError(f"{library} exports no icudtNN_dat symbol")
    address, size, name = int(match[1], 16), int(match[2], 16), match[3]
    elf = library.read_bytes()[:64]
    if elf[:5] != b"\x7fELF\x02" or elf[5] != 1:
        raise ValueError(f"{library} is not a little-endian 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    with library.open("rb") as f:
        f.seek(shoff)
        table = f.read(shentsize * shnum)
    for i in range(shnum):
        _, sh_type, _, sh_addr, sh_offset, sh_size = struct.unpack_from(
            "<IIQQQQ", table, i * shentsize)
        if sh_type == 1 and sh_addr <= address and address + size <= sh_addr + sh_size:
            return name, sh_offset + address - sh_addr, size
    raise ValueError(f"{name} is in no PROGBITS section of {library}")


def shrink_library(library: Path, workdir: Path) -> tuple[int, int]:
    """Rewrite ``library`` (``libicudata.so.NN``) with only the items :func:`keep_item` keeps.

    Returns (size before, size after) in bytes. The new library has the same
    SONAME and exports the same symbol; nothing else links or loads it.
    """
    missing = [tool for tool in ("nm", "as", "ld") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"icudata: {', '.join(missing)} not found; install binutils "
                         "(scripts/system-deps.sh test does)")
    symbol, offset, size = _symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        blob = f.read(size)
    header, items = read_package(blob)
    prefix = items[0][0].split("/", 1)[0] + "/"  # icudt73l/
    kept = [(name, data) for name, data in items
            if name.startswith(prefix) and keep_item(name[len(prefix):], data)]
    package = write_package(header, kept)
    if read_package(package) != (header, kept):
        raise AssertionError("the rewritten ICU package does not read back")

    workdir.mkdir(parents=True, exist_ok=True)
    dat, asm, obj, out = (workdir / f"{symbol}.{ext}" for ext in ("dat", "s", "o", "so"))
    dat.write_bytes(package)
    asm.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
        f"{symbol}:\n\t.incbin \"{dat}\"\n\t.size {symbol}, . - {symbol}\n"
        "\t.section .note.GNU-stack,\"\",@progbits\n",
        encoding="ascii",
    )
    subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
    subprocess.run(["ld", "-shared", "-soname", library.name, "-z", "noexecstack",
                    "-o", str(out), str(obj)], check=True)
    before = library.stat().st_size
    shutil.copyfile(out, library)
    return before, library.stat().st_size
