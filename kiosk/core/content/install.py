"""Install checked content as the data folder's own content folder, and put the previous back.

The content comes as checked content files (relative path -> tables, from
:func:`kiosk.core.content.workbook.read_workbook`). :func:`install` writes them as
TOML into a new folder beside the data folder's ``content/``, checks that folder
together with the built-in content exactly as ``kiosk run`` loads them, and only
then swaps: the old ``content/`` becomes ``content.vorige/`` (the previous one is
dropped) and the new folder becomes ``content/``. :func:`restore` swaps back.
Standard library only; no Qt.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.core.content.files import (
    COUNT_FIELDS,
    FIELDS,
    FLAG_FIELDS,
    MINUTE_FIELDS,
    OPTIONAL_FIELDS,
    PERCENT_FIELDS,
    Item,
)

if TYPE_CHECKING:
    from kiosk.core.model import Content

#: Beside the data folder's ``content/``: the one before, and a new one being written.
PREVIOUS = "content.vorige"
NEW = "content.nieuw"
SWAP = "content.wissel"
HEADER = "# Written by the kiosk from a workbook (kiosk content import).\n"


class InstallError(Exception):
    """Installing or restoring is not possible; the message is Dutch and says why."""


def toml_text(tables: dict[str, list[Item]]) -> str:
    """One content file's tables (checked values) as TOML."""
    lines = [HEADER]
    top = tables.get("", [])
    for key, value in (top[0].values.items() if top else ()):
        lines.append(f"{key} = {_toml_value(key, value)}")
    for kind, items in tables.items():
        if not kind:
            continue
        single = kind in ("library", "set", "qr")
        for item in items:
            lines.append(f"\n[{kind}]" if single else f"\n[[{kind}]]")
            for key in FIELDS[kind]:
                value = item.values.get(key)
                if value is None or (value == "" and key in OPTIONAL_FIELDS):
                    continue
                lines.append(f"{key} = {_toml_value(key, value)}")
    return "\n".join(lines) + "\n"


def _toml_value(key: str, value: str) -> str:
    if key in FLAG_FIELDS:
        return "true" if value == "true" else "false"
    if key in COUNT_FIELDS | PERCENT_FIELDS | MINUTE_FIELDS and value.isdigit():
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def file_names(parsed: dict[str, Any]) -> dict[str, str]:
    """Relative path in the workbook's files -> the file it becomes: a set is named by its
    id (``sets/taalhuis.toml`` replaces the built-in set of that id)."""
    names = {}
    for rel, tables in parsed.items():
        if rel.startswith("sets/"):
            names[rel] = f"sets/{tables['set'][0].get('id')}.toml"
        else:
            names[rel] = rel
    return names


def _write_folder(parsed: dict[str, Any], folder: Path) -> None:
    (folder / "sets").mkdir(parents=True)
    for rel, name in file_names(parsed).items():
        path = folder / name
        with open(path, "w", encoding="utf-8", newline="\n") as file:
            file.write(toml_text(parsed[rel]))
            file.flush()
            os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def install(parsed: dict[str, Any], data_dir: Path,
            prepare: Callable[[Content], object] | None = None) -> Path:
    """Install ``parsed`` as ``data_dir``'s content; return the content folder.

    Args:
        prepare: called with the new content as the kiosk will load it, after the
            check and before the swap (the recordings that came with it are made
            ready here); if it raises, nothing changed.

    Raises:
        ContentError: the new folder, with the built-in content, does not pass the check
            (nothing changed).
        OSError: the folder cannot be written (nothing changed).
    """
    data_dir = paths.private_dir(data_dir)  # as the kiosk makes it: 0700 when new
    target, new = paths.user_content_dir(data_dir), data_dir / NEW
    previous = data_dir / PREVIOUS
    shutil.rmtree(new, ignore_errors=True)  # what a killed install left
    try:
        _write_folder(parsed, new)
        content = load_content(paths.default_content_dir(), new)  # as kiosk run will load it
        if prepare is not None:
            prepare(content)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        os.replace(target, previous)
    else:
        previous.mkdir()  # no own content before: restoring gives the built-in content
    os.replace(new, target)
    _sync_folder(data_dir)
    return target


def restore(data_dir: Path) -> Path:
    """Swap the data folder's content and the previous content; return the content folder.

    Raises:
        InstallError: there is no previous content.
    """
    target, previous = paths.user_content_dir(data_dir), data_dir / PREVIOUS
    swap = data_dir / SWAP
    if not previous.is_dir():
        raise InstallError(f"er is geen vorige inhoud in {data_dir}: er is nog nooit inhoud "
                           "geïnstalleerd met kiosk content import.")
    shutil.rmtree(swap, ignore_errors=True)
    if target.exists():
        os.replace(target, swap)
    os.replace(previous, target)
    if swap.exists():
        os.replace(swap, previous)
    _sync_folder(data_dir)
    return target
