"""``kiosk check`` on a big set: 8,000 statements, all good, and all with a theme that
themes.toml lacks (8,000 problems, each with its file and line).

The obvious alternative, measured in the same run on a smaller set (it is quadratic):
finding each problem's line by re-reading the whole file, as the checker did before.

Run: ``.venv/bin/python bench/bench_check.py``
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk import paths
from kiosk.core.content import ContentError, load_content
from kiosk.core.content import files as content_module  # where the line search lives


def make_folder(base: Path, statements: int, theme: str) -> Path:
    folder = base / f"content-{statements}-{theme}"
    shutil.copytree(paths.default_content_dir(), folder)
    blocks = [f'[[statement]]\nid = "s{i}"\ntext = "Ik vind ding {i} moeilijk."\n'
              f'pictogram = "coins"\ntheme = "{theme}"\n' for i in range(statements)]
    (folder / "sets" / "groot.toml").write_text(
        '[set]\nid = "groot"\nname = "Groot"\nlanguage = "nl"\n\n' + "\n".join(blocks),
        encoding="utf-8")
    return folder


def check_seconds(folder: Path, runs: int = 3) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        getattr(content_module._layout, "cache_clear", lambda: None)()
        start = time.perf_counter()
        try:
            load_content(folder)
            found = 0
        except ContentError as error:
            found = len(error.problems)
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


UNCACHED = content_module._layout.__wrapped__


def rescanning_layout(text: str):
    """The old way: no cache, so every problem's line search reads the whole file again."""
    return UNCACHED(text)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print("| content | problems | kiosk check (median of 3) |")
        print("|---|---|---|")
        for statements, theme in ((8000, "geld"), (8000, "onbekend")):
            seconds, found = check_seconds(make_folder(base, statements, theme))
            print(f"| {statements} statements, theme {theme!r} | {found} | {seconds:.2f} s |")
        cached = content_module._layout
        for statements in (1000, 2000):
            folder = make_folder(base, statements, "onbekend")
            fast, found = check_seconds(folder, runs=1)
            content_module._layout = rescanning_layout
            try:
                slow, _ = check_seconds(folder, runs=1)
            finally:
                content_module._layout = cached
            print(f"| {statements} statements, theme 'onbekend': re-reading the file per "
                  f"problem (before) vs per file (now) | {found} | {slow:.2f} s vs {fast:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
