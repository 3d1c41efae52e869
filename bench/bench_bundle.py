"""Size of the one-folder bundle (kiosk.spec), pruned as shipped and not pruned at all.

Builds ``kiosk.spec`` into a temporary folder under /tmp (never the repository's
dist/ or build/), twice in one run: as shipped, and with every pruning step off
(``KIOSK_BUNDLE_KEEP=all``: all Qt plugins and translations, no excluded modules,
ICU's full data, nothing stripped, libcups and libpulse bundled). For each build:
total size (the bytes of all files; symlinks not counted; in MB = 10^6 bytes, as
issue #13 counts, and in MiB), whether the frozen ``self-test`` plays its clip
through Qt's FFmpeg backend, whether ``run`` starts (first paint, then "ready",
offscreen), and the 25 largest files.

    .venv/bin/python bench/bench_bundle.py               # shipped vs. no pruning (~1 min)
    .venv/bin/python bench/bench_bundle.py --steps       # + one build per step left out
    .venv/bin/python bench/bench_bundle.py --dist DIR    # measure a built folder, no build

``--steps`` builds once more per pruning step with only that step off, so each
row shows what that one step saves in the shipped configuration. The steps are
listed in kiosk.spec (KIOSK_BUNDLE_KEEP).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.sound: a private sound card for the frozen self-test
NAME = "stellingenkiosk"
STEPS = ["qt-plugins", "qt-pdf", "qt-network-plugins", "qt-translations", "qt-modules",
         "stdlib", "ssl", "cjk-codecs", "icu-data", "strip", "system-cups", "system-pulse"]
#: Issue #13: at most 150 MB, decimal (its "194 MB" was 194.3e6 bytes); 143.05 MiB.
#: tests/test_bundle.py asserts it.
LIMIT = 150_000_000


def build(base: Path, keep: str) -> tuple[Path, float]:
    """Build kiosk.spec into ``base``; returns (bundle folder, seconds)."""
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(base / "config"), KIOSK_BUNDLE_KEEP=keep)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build"),
         str(ROOT / "kiosk.spec")],
        capture_output=True, text=True, cwd=base, env=env, timeout=900,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed (KIOSK_BUNDLE_KEEP={keep!r}):\n{result.stderr}")
    shutil.rmtree(base / "build", ignore_errors=True)
    shutil.rmtree(base / "config", ignore_errors=True)
    return base / "dist" / NAME, seconds


def files(folder: Path) -> list[tuple[int, str]]:
    """(size, path relative to the folder) of every regular file, largest first."""
    found = [(p.stat().st_size, p.relative_to(folder).as_posix())
             for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(found, reverse=True)


def _env(scratch: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "QT_PLUGIN_PATH")}
    env.update(QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(scratch / "data"),
               KIOSK_CACHE_DIR=str(scratch / "cache"), **extra)
    return env


def plays(exe: Path) -> str:
    """The frozen self-test played its clip to the end through the FFmpeg backend?"""
    from tests.sound import virtual_sound_card  # the self-test fails without a sound device

    with tempfile.TemporaryDirectory() as scratch, virtual_sound_card() as card:
        result = subprocess.run([str(exe), "self-test"], capture_output=True, text=True,
                                timeout=180, cwd=scratch,
                                env=_env(Path(scratch), QT_LOGGING_RULES="qt.multimedia.*=true",
                                         **card.env))
    out = result.stdout
    if (result.returncode == 0 and re.search(r"ffmpeg.backend \(FFmpeg \S+\)", out)
            and re.search(r"clip played to its end|tot het eind gespeeld", out)):
        return "yes"
    reason = (result.stderr.strip().splitlines() or ["?"])[-1]
    return f"NO ({reason[:80]})"


def starts(exe: Path) -> str:
    """``run`` paints its first screen and builds the rest ("ready"), offscreen."""
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [str(exe), "run", "--windowed", "--location", "bench"], capture_output=True,
            text=True, timeout=180, cwd=scratch,
            env=_env(Path(scratch), KIOSK_EXIT_AFTER_FIRST_PAINT="1"))
    lines = result.stdout.split()
    if result.returncode == 0 and "first-paint" in lines and "ready" in lines:
        return "yes"
    reason = (result.stderr.strip().splitlines() or ["?"])[-1]
    return f"NO ({reason[:80]})"


def mb(size: int, sign: str = "") -> str:
    """``152.7 MB (145.6 MiB)``: decimal megabytes as the issue counts, and MiB."""
    return f"{size / 1e6:{sign}.1f} MB ({size / 2**20:{sign}.1f} MiB)"


def verdict(total: int) -> str:
    within = f"within, {mb(LIMIT - total)} to spare" if total <= LIMIT else "OVER"
    return f"{total:,} bytes = {mb(total)}; limit {LIMIT:,} bytes = {mb(LIMIT)}: {within}"


def report(title: str, folder: Path, top: int = 25) -> int:
    listing = files(folder)
    total = sum(size for size, _ in listing)
    print(f"\n### {title}: {mb(total)}, {len(listing)} files\n")
    print("| size | file |\n|---:|---|")
    for size, path in listing[:top]:
        print(f"| {size / 1e6:.2f} MB | {path} |")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="measure this bundle folder; build nothing")
    parser.add_argument("--steps", action="store_true",
                        help="also build once per pruning step with only that step off")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    if args.dist:
        dist = args.dist.resolve()
        folder = dist if (dist / NAME).is_file() else dist / NAME
        total = report(str(folder), folder, args.top)
        print(f"\nself-test plays: {plays(folder / NAME)}; run starts: {starts(folder / NAME)}")
        print(verdict(total))
        return

    variants = [("shipped (all pruning steps)", "")]
    if args.steps:
        variants += [(f"without {step}", step) for step in STEPS]
    variants.append(("no pruning (KIOSK_BUNDLE_KEEP=all)", "all"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-bundle-", dir="/tmp") as tmp:
        for index, (title, keep) in enumerate(variants):
            base = Path(tmp, f"b{index}")
            base.mkdir()
            folder, seconds = build(base, keep)
            exe = folder / NAME
            total = sum(size for size, _ in files(folder))
            rows.append((title, keep, total, seconds, plays(exe), starts(exe)))
            if keep in ("", "all"):
                report(title, folder, args.top)
            shutil.rmtree(base)

    shipped = rows[0][2]
    print(f"\n### Builds (`{Path(sys.executable).name} bench/bench_bundle.py"
          f"{' --steps' if args.steps else ''}`)\n")
    print("| build | KIOSK_BUNDLE_KEEP | total | vs. shipped | build time | self-test plays "
          "| run starts |")
    print("|---|---|---:|---:|---:|---|---|")
    for index, (title, keep, total, seconds, played, started) in enumerate(rows):
        delta = mb(total - shipped, "+") if index else "–"
        print(f"| {title} | {keep or '–'} | {mb(total)} | {delta} | {seconds:.0f} s "
              f"| {played} | {started} |")
    print(f"\nshipped: {verdict(shipped)}")


if __name__ == "__main__":
    main()
