"""The words and the work of the Inhoud screen (:mod:`kiosk.gui.staff.content_screen`).

What staff read (a problem as sheet, cell, what and fix; a workbook on the stick as
its name, date and size) and the work the screen hands to the staff executor:
the content the kiosk uses as checked files, the workbook written, a workbook
checked, installed, the previous content put back. No widgets here.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.core.content.files import ContentError, Problem
from kiosk.core.content.finding import FoundWorkbook
from kiosk.core.summary import dutch_date
from kiosk.gui.storage import dutch_size

NO_PREVIOUS = "Er is nog geen vorige inhoud. Die is er als je een keer nieuwe inhoud gebruikt."
READY = "De nieuwe inhoud is klaar."
RESTORED = "De vorige inhoud is terug."
NEXT_SESSION = "De volgende sessie gebruikt hem."
UNREADABLE = ("de kiosk kan dit bestand niet lezen",
              "sla de werkmap op als Excel-werkmap (.xlsx) en probeer het opnieuw.")


def export_name(day: date) -> str:
    """The workbook's name on the stick: ``inhoud-2026-12-03.xlsx``."""
    return f"inhoud-{day.isoformat()}.xlsx"


def content_files(dirs: list[Path]) -> dict[str, Any]:
    """The checked content files of ``dirs`` (as the kiosk loads them), for the workbook.

    Raises:
        ContentError: the content has problems (each with its file and line).
    """
    from kiosk.core.content import ContentReader

    reader = ContentReader(paths.pictogram_names())
    parsed, sources = reader.parse_dirs(dirs)
    reader.build(parsed, sources)
    if reader.problems:
        raise ContentError(reader.problems)
    return parsed


def write_export(parsed: dict[str, Any], folder: Path, name: str) -> None:
    """The save job's work: the workbook into the save screen's staging folder."""
    from kiosk.core.content.workbook import write_workbook

    write_workbook(parsed, folder / name)


def check_workbook(path: Path):
    """(content, files) of a workbook that passes the content rules (ContentError if not)."""
    from kiosk.core.content.workbook import read_workbook

    return read_workbook(path)


def install_files(parsed: dict[str, Any], data_dir: Path) -> Path:
    from kiosk.core.content.install import install

    return install(parsed, data_dir)


def restore_previous(data_dir: Path) -> Path:
    from kiosk.core.content.install import restore

    return restore(data_dir)


def problem_words(problem: Problem) -> tuple[str, str, str]:
    """(where, what is wrong, how to fix it) in the words of the problems list."""
    sheet, bang, cell = problem.file.partition("!")
    if bang:
        where = f"Werkblad {sheet}, cel {cell}"
    elif problem.line is None and "/" not in problem.file and "\\" not in problem.file:
        where = f"Werkblad {problem.file}"
    else:
        name = Path(problem.file).name
        where = f"Bestand {name}" + (f", regel {problem.line}" if problem.line else "")
    what = problem.message.rstrip(".")
    if problem.item:
        what = f"{problem.item}: {what}"
    fix = problem.fix.rstrip()
    return where, f"{what[:1].upper()}{what[1:]}.", f"{fix[:1].upper()}{fix[1:]}"


def workbook_words(book: FoundWorkbook) -> tuple[str, str]:
    """(first line, second line) of a workbook's button."""
    moment = datetime.fromtimestamp(book.modified)
    size = dutch_size(book.size).removesuffix(" vrij") if book.size >= 1000 else \
        "minder dan 1 kB"
    return book.name, f"{dutch_date(moment.date())}, {moment:%H:%M} · {size}"


def content_dirs_of(shell) -> list[Path]:
    """The folders the kiosk loads its content from: the app's (``--content`` too), else
    the built-in content and the data folder's own. Call it off the GUI thread."""
    dirs = getattr(shell, "content_dirs", None)
    if dirs is not None:
        return dirs()
    own = paths.user_content_dir(shell.settings_path.parent)
    return [paths.default_content_dir(), *([own] if own.is_dir() else [])]
