"""What the save screen writes: the export (CSV, XLSX and JSON) and the report (PDF, ODT).

Each writes into the folder it is given: the save screen gives a hidden folder
on the chosen drive and moves the files into place once they are complete
(see :func:`kiosk.gui.storage.write_into`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.core.model import Content


def export_to_folder(db: Path, content: Content, folder: Path) -> None:
    """Tallies as CSV, XLSX and JSON into ``folder``, read-only on the database."""
    import sqlite3

    from kiosk.core.export import export
    from kiosk.core.tallies import tallies
    from kiosk.core.xlsx import export_xlsx

    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = tallies(connection)
        stamp = date.today().isoformat()
        # for the coordinator: exact counts, marked "intern" inside the files
        export(result, content.statement_text, "csv", folder / f"stellingen-{stamp}.csv",
               course_name=content.course_name, content=content)
        export_xlsx(result, content.statement_text, folder / f"stellingen-{stamp}.xlsx",
                    connection, course_name=content.course_name, content=content)
        export(result, content.statement_text, "json", folder / f"stellingen-{stamp}.json",
               course_name=content.course_name, content=content)
    finally:
        connection.close()


def report_to_folder(db: Path, content: Content, folder: Path) -> int:
    """The report for the municipality into ``folder``, as PDF and as ODT (to edit in
    Word or LibreOffice), both from one document (public: counts through publication
    control, :mod:`kiosk.core.publication`; no free texts); returns its number of pages.

    No widget, no pixmap: this runs on the staff executor, off the GUI thread. The
    coordinator's internal report (exact counts, free texts) comes from ``kiosk report``,
    not from the staff menu.
    """
    from kiosk.gui.report import build_report

    name = f"rapport-gemeente-{date.today().isoformat()}"
    return build_report(db, content, [folder / f"{name}.pdf", folder / f"{name}.odt"],
                        publiek=True)
