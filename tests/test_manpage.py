"""``stellingenkiosk(1)``: generated from the argparse parser, renders without warnings,
names every command and option (issue 21). The installed copy is checked in test_deb."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import COMMANDS, build_parser
from kiosk.cli.manpage import render


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: scripts/system-deps.sh test installs it (make test)"
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("man") / "stellingenkiosk.1"
    path.write_text(render(day=date(2026, 12, 3)), encoding="ascii")  # non-ASCII is escaped
    return path


def rendered(page: Path) -> str:
    """The page as ``man -l`` shows it; fails on any warning groff or man-db prints."""
    result = subprocess.run(
        [_tool("man"), "--warnings", "-l", str(page)], capture_output=True, text=True,
        timeout=120, env={**os.environ, "MANWIDTH": "100", "LC_ALL": "C.UTF-8",
                          "MANPAGER": "cat", "PAGER": "cat"})
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr
    return re.sub(".\b", "", result.stdout)  # bold and underline by overstriking


def test_mandoc_and_groff_find_nothing_to_warn_about(page: Path) -> None:
    lint = subprocess.run([_tool("mandoc"), "-T", "lint", "-W", "warning", str(page)],
                          capture_output=True, text=True, timeout=60)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    groff = subprocess.run([_tool("groff"), "-man", "-ww", "-z", "-Tutf8", str(page)],
                           capture_output=True, text=True, timeout=60)
    assert groff.returncode == 0, groff.stderr
    assert not groff.stderr.strip(), groff.stderr


def _walk(parser: argparse.ArgumentParser, prefix: str):
    """(command path, option strings) of every parser, sub-commands included."""
    yield prefix, [o for a in parser._actions for o in a.option_strings]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, f"{prefix} {name}")


def test_every_command_and_option_is_on_the_page(page: Path) -> None:
    text = rendered(page)
    assert text.startswith("STELLINGENKIOSK(1)"), text[:200]
    for heading in ("NAAM", "OVERZICHT", "OPDRACHTEN", "BESTANDEN", "OMGEVING"):
        assert f"\n{heading}\n" in text, heading
    # each .SS heading is a line indented by exactly three spaces
    sections = {part.split("\n", 1)[0].strip(): part
                for part in re.split(r"\n(?=   \S)", text)}
    sections["stellingenkiosk"] = text.split("OPDRACHTEN")[0]
    for command, options in _walk(build_parser(), "stellingenkiosk"):
        assert command in sections, f"no section for '{command}'"
        for option in options:
            assert option in sections[command], f"{option} of '{command}' is not on the page"
    for command in COMMANDS:
        assert f"stellingenkiosk {command}\n" in text, command


def test_the_page_speaks_dutch_and_names_the_installed_command(page: Path) -> None:
    text = rendered(page)
    assert "kiosk run" not in text.replace("stellingenkiosk run", "")
    assert "toon deze hulp en stop" in text
    assert "gebruik:" not in text  # the usage lines stand on their own, bold
    assert "Een bon printen" in text or "Één bon printen" in text
