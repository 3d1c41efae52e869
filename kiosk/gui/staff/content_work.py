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
from kiosk.core.content.files import Problem
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
    """The checked content files of ``dirs`` (as the kiosk loads them), for the workbook
    (:func:`kiosk.core.content.checked_files`; ContentError with every problem)."""
    from kiosk.core.content import checked_files

    return checked_files(dirs)


def export_parts(dirs: list[Path], data_dir: Path) -> tuple[dict[str, Any], int]:
    """(the checked content files, how many own recordings go along); see :func:`content_files`."""
    from kiosk.speech.recordings import VoiceStore

    return content_files(dirs), len(VoiceStore.in_data(data_dir).recordings())


def export_words(name: str, recordings: int) -> str:
    """The save screen's line about the files."""
    from kiosk.speech.travel import folder_beside

    line = f"De stellingen en cursussen in de werkmap {name}"
    if not recordings:
        return f"{line}."
    return (f"{line}, en {recordings} {'opname' if recordings == 1 else 'opnamen'} van de eigen "
            f"stem in de map {folder_beside(Path(name)).name}.")


def write_export(parsed: dict[str, Any], folder: Path, name: str,
                 data_dir: Path | None = None) -> None:
    """The save job's work: the workbook into the save screen's staging folder, and the
    data folder's own recordings in a folder beside it (when there are any)."""
    from kiosk.core.content.workbook import write_workbook
    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.travel import export_into

    write_workbook(parsed, folder / name)
    if data_dir is not None:
        export_into(VoiceStore.in_data(data_dir), folder, name)


def check_workbook(path: Path):
    """(content, files, how many sound files are in the recordings folder beside it) of a
    workbook that passes the content rules (ContentError if not)."""
    from kiosk.core.content.workbook import read_workbook
    from kiosk.speech.travel import sound_files_beside

    content, parsed = read_workbook(path)
    return content, parsed, sound_files_beside(path)


def install_files(parsed: dict[str, Any], data_dir: Path, workbook: Path | None = None,
                  live=None):
    """Install the content and the recordings beside ``workbook``; a
    :class:`kiosk.speech.travel.Installed`. ``live``: the running kiosk's voice store."""
    from kiosk.speech.travel import found_beside, install

    recordings = found_beside(workbook) if workbook is not None else None
    return install(parsed, data_dir, recordings, live)


#: After a restore that put the recordings of before back too.
RECORDINGS_BACK = "De opnamen van de eigen stem van toen zijn ook terug."


def restore_previous(data_dir: Path, live=None) -> str:
    """The previous content back, with its recordings (:func:`kiosk.speech.travel.restore`);
    a line about the recordings ("" when they stayed as they were)."""
    from kiosk.speech.travel import VOICE_PREVIOUS, restore

    voice = (Path(data_dir) / VOICE_PREVIOUS).is_dir()
    restore(data_dir, live)
    return RECORDINGS_BACK if voice else ""


def recordings_along(count: int) -> str:
    """The preview's line about the recordings beside the workbook."""
    return ("Er gaat 1 opname van de eigen stem mee." if count == 1 else
            f"Er gaan {count} opnamen van de eigen stem mee.")


def recordings_words(found) -> str:
    """What came of the recordings beside the workbook (a ``VoiceImport``; "" for none)."""
    if found is None:
        return ""
    count, stale = len(found.imported), found.stale
    line = (f"{count} {'opname' if count == 1 else 'opnamen'} van de eigen stem "
            f"{'kwam' if count == 1 else 'kwamen'} mee"
            + (f", {stale} {'is' if stale == 1 else 'zijn'} verouderd (de tekst is "
               "veranderd)" if stale else "") + ".")
    if found.refused:
        shown = [f"{name} ({reason.split(': ', 1)[0]})" for name, reason in found.refused[:5]]
        more = len(found.refused) - len(shown)
        line += (" Niet gebruikt: " + ", ".join(shown)
                 + (f" en nog {more}" if more else "") + ".")
    return line


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
