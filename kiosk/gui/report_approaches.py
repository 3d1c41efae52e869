"""The report's section "Welke aanpak werkt?": the sessions compared per approach.

The numbers come from :func:`kiosk.core.approaches.compare_approaches` (a public
report's through the publication control); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.core.approaches import TITLE, ApproachStats, hours, number, total
from kiosk.gui.report_document import Document as Pages

#: The table's columns after "aanpak".
HEADERS = ("sessies", "bemande uren", "bezoekers", "per uur", "met eens",
           "gesprekken per 10 bezoekers", "verwijzingen per 10 bezoekers")
WEIGHTS = (2.6, 1.0, 1.1, 1.1, 1.0, 1.0, 1.4, 1.5)
EXPLANATION = (
    "Welke aanpak koos het team voor de sessie: een bakfiets op de markt, een digispot, een "
    "ijsbreker, ... (de medewerker kiest hem bij de start). Bemande uren: van het begin tot "
    "het einde van elke sessie. Per uur: bezoekers per bemand uur. Met eens: het deel van de "
    "bezoekers dat minstens één stelling eens gaf. Gesprekken en verwijzingen (cursussen met "
    "een QR-code op het scherm) per 10 bezoekers.")
PUBLIC_NOTE = ("Publiek: bezoekers, gesprekken en verwijzingen zijn afgerond op vijftallen; "
               "de verhoudingen zijn uitgerekend met de afgeronde aantallen.")


def row_cells(stats: ApproachStats) -> list[str]:
    """One row of the table, as the report prints it."""
    share = stats.eens_share
    return [
        stats.name, str(stats.sessions), hours(stats.staffed_hours), str(stats.visits),
        number(stats.visits_per_hour),
        "-" if share is None else f"{round(100 * share)}%",
        number(stats.conversations_per_10), number(stats.referrals_per_10),
    ]


def write_approaches(pages: Pages, data) -> None:
    """The section, from ``data.approaches`` (:class:`kiosk.gui.report_sections.ReportData`)."""
    rows: Sequence[ApproachStats] = getattr(data, "approaches", ())
    pages.room(pages.mm(70 + 7 * len(rows)))  # the section on one page, when it fits there
    pages.title(TITLE)
    pages.text(EXPLANATION, 10)
    if data.publiek:
        pages.space(1)
        pages.text(PUBLIC_NOTE, 9.5)
    pages.space(2)
    table = [row_cells(stats) for stats in rows]
    if len(rows) > 1:
        table.append(row_cells(total(rows)))
    pages.table(("aanpak", *HEADERS), table or [
        ["Geen sessies in deze periode.", *[""] * len(HEADERS)]], WEIGHTS, points=8.5)
