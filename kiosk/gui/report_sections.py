"""What the report says, section by section, onto :class:`kiosk.gui.report_document.Document`.

:func:`write_sections` writes them in order: the first page (period, filters,
intern or publiek, the totals, how to read the numbers), the free texts (only
on request, internal), the charts per statement, the tables per place and per
period, "Welke plek werkt?", signals and conversations, visits, referrals and
the staff's tallies.

Counts: :func:`count_cell` puts the percentage beside a count. A public
report's numbers (:class:`ReportData`) come from
:func:`kiosk.core.publication.publish`: rounded to multiples of 5, every total,
percentage and rate computed from the rounded counts.

A row whose time is doubtful (:mod:`kiosk.core.doubtful`: a laptop with a
wrong date, a hostile file) is counted under "tijd onbekend" wherever a table
shows a day, a month, a part of the day or a weekday, and the first page says
what that means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kiosk.core.doubtful import UNKNOWN, UNKNOWN_NOTE
from kiosk.core.export import (
    REFERRAL_KIND_WORDS,
    REFERRALS_NOTE,
    Labels,
    percent,
)
from kiosk.core.model import ANSWERS, OTHER_SIGNAL, Content
from kiosk.core.places import OPEN_SESSIONS_NOTE, PlaceComparison, PlaceStats
from kiosk.core.publication import STEP
from kiosk.core.summary import MONTHS, SessionRow, dutch_date, dutch_day, statement_words
from kiosk.core.tallies import Counts, Tallies
from kiosk.gui.report_approaches import write_approaches
from kiosk.gui.report_document import ANSWER_WORDS, INK_QUIET, Bar, nice_max
from kiosk.gui.report_document import Document as Pages
from kiosk.gui.theme import Theme

NO_THEME = "Overig"
OTHER_STATEMENTS = "Andere stellingen"


#: A statement with fewer answers gets a line instead of a chart.
SMALL = STEP


def count_cell(count: int, whole: int | None) -> str:
    """A count with its percentage of ``whole`` beside it: "12 (40%)"; "0"; just the count
    when whole is None."""
    text = str(count)
    if count == 0 or whole is None:
        return text
    share = percent(count, whole)
    return text if share is None else f"{text} ({share}%)"



@dataclass(frozen=True)
class ReportData:
    """Everything the report counts, read once from the database."""

    tallies: Tallies
    sessions: tuple[SessionRow, ...]
    courses: tuple  # CourseCount
    places: PlaceComparison
    since: date | None
    until: date | None
    location: str | None
    publiek: bool
    free_text: bool
    #: Per approach (:func:`kiosk.core.approaches.compare_approaches`), for "Welke aanpak werkt?".
    approaches: tuple = ()


def write_sections(pages: Pages, data: ReportData, content: Content, theme: Theme,
                   generated: date) -> None:
    """Every section of the report, in order."""
    _cover(pages, data, content.library.name, generated)
    if data.free_text:
        _free_texts(pages, data)
    _statements(pages, data, content, theme)
    _tables(pages, data)
    _places(pages, data)
    write_approaches(pages, data)
    _signals_and_conversations(pages, data, Labels(content))
    _visits(pages, data)
    _referrals_and_staff(pages, data, content)



def _values(counts: Counts) -> dict[str, int]:
    return {"eens": counts.eens, "oneens": counts.oneens, "weet_niet": counts.weet_niet}


def _chartable(counts: Counts) -> bool:
    """Enough answers for a chart: 5 or more."""
    return counts.total >= SMALL


def _statement_bars(counts: Counts, colors: dict[str, str]) -> list[Bar]:
    """Eens, oneens, weet niet: the count and its percentage in the label."""
    values = _values(counts)
    return [
        Bar(f"{ANSWER_WORDS[answer]}  {count_cell(values[answer], counts.total)}",
             values[answer], colors[answer])
        for answer in ANSWERS
    ]


# -- the report ----------------------------------------------------------------


def _period(data: ReportData) -> str:
    if data.since and data.until:
        return f"{dutch_date(data.since)} tot en met {dutch_date(data.until)}"
    if data.since:
        return f"vanaf {dutch_date(data.since)}"
    if data.until:
        return f"tot en met {dutch_date(data.until)}"
    days = sorted(s.date for s in data.sessions if s.date != UNKNOWN)
    unknown = sum(s.date == UNKNOWN for s in data.sessions)
    if not days:
        return f"alle sessies ({UNKNOWN})" if unknown else \
            "alle sessies (er zijn nog geen sessies)"
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    also = f", en {unknown} {'sessie' if unknown == 1 else 'sessies'} met {UNKNOWN}" \
        if unknown else ""
    return f"alle sessies: {dutch_date(first)} tot en met {dutch_date(last)}{also}"


def _statement_groups(content: Content, ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(theme name, statement ids) in the order of themes.toml, each theme's statements in
    the order of the set; statements with an unknown theme, then unknown ids, last."""
    ids = set(ids)
    by_theme: dict[str, list[str]] = {}
    seen: set[str] = set()
    for statement_set in content.sets.values():
        for statement in statement_set.statements:
            if statement.id in ids and statement.id not in seen:
                seen.add(statement.id)
                by_theme.setdefault(statement.theme, []).append(statement.id)
    groups = [(name, by_theme.pop(theme)) for theme, name in content.themes.items()
              if theme in by_theme]
    rest = [sid for statements in by_theme.values() for sid in statements]
    if rest:
        groups.append((NO_THEME, rest))
    unknown = sorted(ids - seen)
    if unknown:
        groups.append((OTHER_STATEMENTS, unknown))
    return groups


def _answer_cells(counts: Counts) -> list[str]:
    """antwoorden, eens, oneens, weet niet: each answer with its share of the answers."""
    return [str(counts.total),
            *(count_cell(v, counts.total) for v in _values(counts).values())]


def _audience_line(publiek: bool) -> str:
    if publiek:
        return "Publiek: aantallen afgerond op veelvouden van 5"
    return "Intern: exacte aantallen. Niet doorsturen"



def _cover(pages: Pages, data: ReportData, library: str, generated: date) -> None:
    totals, publiek = data.tallies.totals, data.publiek
    pages.text(library, 24, bold=True)
    pages.space(2)
    pages.text("Stellingen over lezen, schrijven, rekenen en digitaal: rapport voor de gemeente",
               14)
    pages.space(8)
    pages.table(None, [
        ["Periode", _period(data)],
        ["Plek", data.location or "alle plekken"],
        ["Gemaakt op", dutch_date(generated)],
        ["Uitvoer", _audience_line(publiek)],
    ], (1, 3), numeric_from=2)
    if not publiek:
        pages.space(3)
        pages.boxed(
            "Intern rapport: alle aantallen zijn exact, ook kleine aantallen die iemand "
            "herkenbaar kunnen maken" + (
                ", en met de vrije tekst van medewerkers (direct na deze inleiding). Lees die "
                "tekst eerst na: er mogen geen namen of andere persoonsgegevens in staan"
                if data.free_text else "")
            + ". Stuur dit rapport niet door. Voor de gemeente: kiosk report --publiek.",
            10.5, bold=True)
    pages.heading("In het kort")
    places = {s.location for s in data.sessions}
    printed = sum(c.printed for c in data.courses)
    referrals = sum(c.referrals for c in data.courses)
    answers = totals.answers.total
    staffed = data.places.total.staffed_hours
    pages.table(("", "aantal"), [
        ["Sessies (dagdelen met de kiosk)", str(len(data.sessions))],
        ["Plekken", str(len(places))],
        ["Bemande uren", _hours(staffed)],
        ["Bezoekers bij de kiosk", str(totals.visits)],
        ["… die alle stellingen van hun bezoek beantwoordden",
         count_cell(totals.completed, totals.visits)],
        ["Antwoorden, totaal", str(answers)],
        ["… op het scherm", count_cell(totals.touch.total, answers)],
        ["… bij het spel, geteld door medewerkers",
         count_cell(totals.staff.total, answers)],
        ["Verwijzingen naar een cursus (QR-code)", str(referrals)],
        ["… met een geprint briefje", count_cell(printed, referrals)],
        ["Gesprekken gevoerd (geteld door medewerkers)",
         str(len(data.tallies.conversations))],
        ["Signalen genoteerd (door medewerkers)", str(len(data.tallies.signals))],
    ], (3, 1))
    pages.heading("Zo leest u de cijfers")
    small_counts = (
        "Alle aantallen zijn afgerond op veelvouden van 5, want kleine aantallen kunnen "
        "iemand herkenbaar maken. Een totaal is de som van de afgeronde aantallen, en ook "
        "de percentages en de bezoekers per uur zijn uit afgeronde aantallen berekend. Een "
        "totaal wijkt daardoor meestal hooguit 4 af van het echte aantal; bemande uren en "
        "het aantal sessies zijn exact." if publiek else
        "Dit is de interne versie: alle aantallen zijn exact. In de publieke versie "
        "(kiosk report --publiek) zijn alle aantallen afgerond op veelvouden van 5."
    )
    for line in (
        "Voorbijgangers gaven antwoord op korte stellingen: eens, oneens of weet niet. Bij het "
        "spel gooiden ze een zakje; medewerkers telden die worpen. Die tellen mee in de "
        "grafieken en staan ook apart.",
        "Alles is anoniem: geen namen, geen tekst van bezoekers, tijden afgerond op het "
        "kwartier. Gesprekken en signalen noteren medewerkers, zonder namen. Tussen haakjes "
        "staat het deel van het geheel: van de antwoorden op die stelling, van de bezoekers, "
        "of van alle signalen.",
        small_counts,
        *([UNKNOWN_NOTE] if data.tallies.unknown_times or data.places.unknown_times else []),
    ):
        pages.text(line, 10.5)
        pages.space(2)


def _hours(hours: float) -> str:
    """Hours the Dutch way: "3,5", "12"."""
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _free_texts(pages: Pages, data: ReportData) -> None:
    """The free texts as staff typed them (plain text: no markup is read in them)."""
    pages.new_page()
    pages.title("Vrije tekst van medewerkers: eerst nalezen")
    pages.space(3)
    pages.boxed("Lees deze teksten na voordat u het rapport doorstuurt. Medewerkers typten "
                "ze bij een signaal \"Anders\". Staat er een naam, een adres, een nummer of iets "
                "anders in waaraan iemand te herkennen is? Stuur het rapport dan niet door, en "
                "maak een versie zonder vrije tekst (zonder --met-vrije-tekst).", 10.5)
    pages.space(3)
    texts = [s for s in data.tallies.signals if s.kind == OTHER_SIGNAL and s.text]
    if not texts:
        pages.text("Geen vrije tekst in deze periode.")
    for signal in texts:  # whole, wrapped: a text is at most 140 characters
        pages.text(f"{signal.location}, {dutch_day(signal.date)}", 9.5,
                   color=INK_QUIET, keep_with=pages.mm(6))
        pages.text(signal.text, 11)
        pages.space(2.5)


def _statements(pages: Pages, data: ReportData, content: Content, theme: Theme) -> None:
    per_statement: dict[str, Counts] = {}
    for row in data.tallies.rows:
        per_statement[row.statement_id] = per_statement.get(row.statement_id,
                                                            Counts()) + row.answers
    pages.new_page()
    pages.title("Antwoorden per stelling")
    pages.space(2)
    if not per_statement:
        pages.text("Geen antwoorden in deze periode.")
        return
    groups = _statement_groups(content, per_statement)
    chartable = {sid for sid, counts in per_statement.items() if _chartable(counts)}
    if not chartable:
        pages.text(f"Te weinig antwoorden voor een grafiek: geen stelling heeft {SMALL} of meer "
                   "antwoorden" + ("") + ". De aantallen:",
                   10.5)
        pages.space(2)
        pages.table(("stelling", "antwoorden", "eens", "oneens", "weet niet"), [
            [content.statement_text(sid), *_answer_cells(per_statement[sid])]
            for _name, ids in groups for sid in ids
        ], (6, 1.6, 1.5, 1.5, 1.6))
        return
    colors = {"eens": theme.colors["eens"], "oneens": theme.colors["oneens"],
              "weet_niet": theme.colors["quiet_border"]}
    pages.text("Alle antwoorden, op het scherm en bij het spel, per thema. Elke grafiek heeft "
               "dezelfde schaal, zodat u de stellingen kunt vergelijken. Tussen haakjes: het "
               "deel van de antwoorden op die stelling.", 10.5)
    pages.space(2)
    pages.legend(colors)
    drawn = [bar.value for sid in chartable
             for bar in _statement_bars(per_statement[sid], colors)]
    axis_max = nice_max(max(drawn, default=SMALL))
    chart_mm = 22.0
    for theme_name, ids in groups:
        pages.heading(theme_name, keep_with=pages.mm(chart_mm + 8))
        for statement_id in ids:
            counts = per_statement[statement_id]
            pages.space(2)
            if statement_id not in chartable:
                pages.text(content.statement_text(statement_id), 11, bold=True,
                           keep_with=pages.mm(6))
                each = ", ".join(f"{ANSWER_WORDS[a].lower()} {str(v)}"
                                 for a, v in _values(counts).items())
                pages.text(f"Te weinig antwoorden voor een grafiek: "
                           f"{str(counts.total)} antwoorden ({each}).", 10,
                           color=INK_QUIET)
                continue
            pages.text(content.statement_text(statement_id), 11, bold=True,
                       keep_with=pages.mm(chart_mm))
            pages.bars(_statement_bars(counts, colors), axis_max, chart_mm)


def _tables(pages: Pages, data: ReportData) -> None:
    rows = data.tallies.rows
    visitors = data.tallies.totals.visits
    headers = ("sessies", "bezoekers", "antwoorden", "eens", "oneens", "weet niet")
    weights = (3.2, 1.2, 1.8, 1.6, 1.7, 1.7, 1.7)
    empty = ["Geen sessies in deze periode.", "", "", "", "", "", ""]

    pages.title("Per plek en per periode")
    pages.text("Tussen haakjes: het deel van alle bezoekers, en van de antwoorden in die rij.",
               10)
    pages.heading("Per plek")
    by_place: dict[str, list] = {}
    for session in data.sessions:
        entry = by_place.setdefault(session.location, [0, 0, Counts()])
        entry[0] += 1
        entry[1] += session.visits
    for row in rows:
        by_place.setdefault(row.location, [0, 0, Counts()])[2] += row.answers
    pages.table(("plek", *headers), [
        [place, str(n), count_cell(v, visitors), *_answer_cells(c)]
        for place, (n, v, c) in sorted(by_place.items(), key=lambda i: i[0].casefold())
    ] or [empty], weights)

    # per period: months, or days when everything is in one month
    by_day = _by_day([s.date for s in data.sessions] + [r.date for r in rows])
    by_period: dict[str, list] = {}
    for session in data.sessions:
        entry = by_period.setdefault(_period_of(session.date, by_day), [0, 0, Counts()])
        entry[0] += 1
        entry[1] += session.visits
    for row in rows:
        by_period.setdefault(_period_of(row.date, by_day), [0, 0, Counts()])[2] += row.answers

    pages.heading("Per dag" if by_day else "Per maand")
    pages.table(("dag" if by_day else "maand", *headers), [
        [_period_name(period, by_day), str(n), count_cell(v, visitors),
         *_answer_cells(c)]
        for period, (n, v, c) in sorted(by_period.items())
    ] or [empty], weights)


def _by_day(days: Iterable[str]) -> bool:
    """Whether a table of these days (``YYYY-MM-DD`` or "tijd onbekend") goes per day:
    when every known one is in the same month."""
    return len({day[:7] for day in days if day != UNKNOWN}) <= 1


def _period_of(day: str, by_day: bool) -> str:
    """The period a day counts in: itself, or its month (``YYYY-MM``); "tijd onbekend"."""
    return day if by_day or day == UNKNOWN else day[:7]


def _period_name(period: str, by_day: bool) -> str:
    if period == UNKNOWN:
        return UNKNOWN
    if by_day:
        return dutch_day(period)
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


PLACE_HEADERS = ("bemande uren", "bezoekers", "per uur", "met eens", "verwijzingen", "geprint",
                 "gesprekken", "signalen")


def _place_row(stats: PlaceStats, total: PlaceStats) -> list[str]:
    per_hour = stats.visits_per_hour
    return [
        _hours(stats.staffed_hours),
        count_cell(stats.visits, total.visits),
        "–" if per_hour is None
        else f"{per_hour:.1f}".replace(".", ","),
        count_cell(stats.visits_with_eens, stats.visits),
        str(stats.referrals_shown),
        count_cell(stats.referrals_printed, stats.referrals_shown),
        count_cell(stats.conversations, total.conversations),
        count_cell(stats.signals, total.signals),
    ]


def _places(pages: Pages, data: ReportData) -> None:
    places = data.places
    pages.new_page()
    pages.title("Welke plek werkt?")
    pages.space(2)
    pages.text(
        "Bemande uren: van het begin tot het einde van elke sessie. Per uur: bezoekers per "
        "bemand uur. Met eens: bezoekers die minstens één stelling eens gaven (tussen haakjes: "
        "het deel van de bezoekers in die rij). Verwijzingen: cursussen met een QR-code op het "
        "scherm; geprint: met een briefje. Tussen haakjes bij bezoekers, gesprekken en "
        "signalen: het deel van het totaal.", 10)
    if places.open_sessions:
        pages.space(1.5)
        pages.text(f"{places.open_sessions} "
                   f"{'sessie' if places.open_sessions == 1 else 'sessies'} zonder einde. "
                   + OPEN_SESSIONS_NOTE, 10, bold=True)
    weights = (2.0, 1.35, 1.55, 0.9, 1.55, 1.65, 1.25, 1.6, 1.45)
    total = places.total
    for title, first, rows, note in (
        ("Per plek", "plek", places.places, ""),
        ("Per soort plek", "soort plek", places.kinds, ""),
        ("Per dagdeel", "dagdeel", places.parts_of_day,
         "Ochtend: tot 12 uur. Middag: 12 tot 18 uur. Avond: vanaf 18 uur. Een sessie die "
         "over twee dagdelen loopt, telt in allebei mee met haar uren daar; een bezoek, "
         "gesprek of signaal telt op zijn eigen tijd."
         + (f" {UNKNOWN_NOTE}" if places.unknown_times else "")),
        ("Per dag van de week", "dag", places.weekdays, ""),
    ):
        pages.heading(title, points=13)
        if note:
            pages.text(note, 9.5)
            pages.space(1)
        pages.table((first, *PLACE_HEADERS), [
            [stats.name, *_place_row(stats, total)] for stats in rows
        ] or [["Geen sessies in deze periode.", *[""] * len(PLACE_HEADERS)]], weights,
            points=8.5)


def _signals_and_conversations(pages: Pages, data: ReportData, labels: Labels) -> None:
    signals, conversations = data.tallies.signals, data.tallies.conversations
    pages.new_page()
    pages.title("Signalen en gesprekken")
    pages.space(2)
    pages.text("Medewerkers noteren wat ze bij de stand horen (een signaal, bijvoorbeeld "
               "\"Website van de gemeente te moeilijk\") en de gesprekken die ze voeren: "
               "waarover, en naar wie ze iemand verwezen. Zonder namen. Tussen haakjes: het "
               "deel van alle signalen of gesprekken.", 10)

    total = len(signals)
    by_kind: dict[str, int] = {}
    for signal in signals:
        by_kind[signal.kind] = by_kind.get(signal.kind, 0) + 1
    kinds = sorted(by_kind, key=labels.signal_key)
    pages.heading("Signalen per soort", points=13)
    pages.table(("signaal", "aantal"), [
        [labels.signal(kind), count_cell(by_kind[kind], total)] for kind in kinds
    ] or [["Geen signalen in deze periode.", ""]], (5, 1.6))

    pages.heading("Signalen per plek", points=13)
    by_place: dict[tuple[str, str], int] = {}
    per_place: dict[str, int] = {}
    for signal in signals:
        by_place[(signal.location, signal.kind)] = by_place.get(
            (signal.location, signal.kind), 0) + 1
        per_place[signal.location] = per_place.get(signal.location, 0) + 1
    pages.table(("plek", "signaal", "aantal", "van de plek"), [
        [place, labels.signal(kind), str(by_place[(place, kind)]),
         _percent_cell(by_place[(place, kind)], per_place[place])]
        for place, kind in sorted(by_place, key=lambda k: (k[0].casefold(),
                                                           labels.signal_key(k[1])))
    ] or [["Geen signalen in deze periode.", "", "", ""]], (2.6, 4, 1.2, 1.4), numeric_from=2)

    by_day = _by_day(s.date for s in signals)
    pages.heading("Signalen per dag" if by_day else "Signalen per maand", points=13)
    by_period: dict[tuple[str, str], int] = {}
    for signal in signals:
        period = _period_of(signal.date, by_day)
        by_period[(period, signal.kind)] = by_period.get((period, signal.kind), 0) + 1
    pages.table(("dag" if by_day else "maand", "signaal", "aantal"), [
        [_period_name(period, by_day), labels.signal(kind),
         count_cell(by_period[(period, kind)], total)]
        for period, kind in sorted(by_period, key=lambda k: (k[0], labels.signal_key(k[1])))
    ] or [["Geen signalen in deze periode.", "", ""]], (2.6, 4, 1.6), numeric_from=2)

    count = len(conversations)
    pages.heading("Gesprekken per onderwerp", points=13)
    by_topic: dict[str, int] = {}
    for conversation in conversations:
        by_topic[conversation.topic] = by_topic.get(conversation.topic, 0) + 1
    pages.table(("onderwerp", "gesprekken"), [
        [labels.theme(topic) or "zonder onderwerp", count_cell(by_topic[topic], count)]
        for topic in sorted(by_topic, key=labels.theme_key)
    ] or [["Geen gesprekken in deze periode.", ""]], (5, 1.6))

    pages.heading("Gesprekken per verwijzing", points=13)
    by_target: dict[tuple[str, str], int] = {}
    for conversation in conversations:
        target = (conversation.referred_kind, conversation.referred_to)
        by_target[target] = by_target.get(target, 0) + 1
    pages.table(("verwezen naar", "soort", "gesprekken"), [
        [labels.referral_target(*target) or "niet verwezen",
         REFERRAL_KIND_WORDS.get(target[0], target[0]),
         count_cell(by_target[target], count)]
        for target in sorted(by_target, key=lambda t: labels.referral_key(*t))
    ] or [["Geen gesprekken in deze periode.", "", ""]], (4.4, 1.2, 1.6), numeric_from=2)
    if data.free_text:
        pages.space(2)
        pages.text("De vrije tekst bij \"Anders\" staat vooraan, direct na de inleiding.", 10,
                   color=INK_QUIET)


def _percent_cell(part: int, whole: int) -> str:
    share = percent(part, whole)
    return "–" if share is None else f"{share}%"


def _visits(pages: Pages, data: ReportData) -> None:
    pages.title("Bezoekers")
    pages.heading("Bezoekers per plek en dag")
    pages.text("Een bezoeker is één persoon die bij de kiosk begon. Afgemaakt: die alle "
               "stellingen van het bezoek beantwoordde (tussen haakjes: het deel van de "
               "bezoekers).", 10)
    pages.space(1)
    pages.table(("plek", "datum", "bezoekers", "afgemaakt"), [
        [v.location, dutch_day(v.date), str(v.visits),
         count_cell(v.completed, v.visits)]
        for v in data.tallies.visits
    ] or [["Geen bezoekers in deze periode.", "", "", ""]], (4, 2.5, 1.5, 1.8), numeric_from=2)

    by_choice: dict[int | None, list[int]] = {}
    for session in data.sessions:
        entry = by_choice.setdefault(session.per_visit, [0, 0, 0])
        entry[0] += 1
        entry[1] += session.visits
        entry[2] += session.completed_visits
    pages.heading("Zinnen per bezoek")
    pages.text("Medewerkers kiezen per sessie hoeveel zinnen (stellingen) één bezoeker krijgt. "
               "De kiosk wisselt de zinnen af, zodat elke stelling ongeveer even vaak aan bod "
               "komt. Krijgt een bezoeker niet alle zinnen, dan heeft een stelling minder "
               "antwoorden dan er bezoekers waren.", 10)
    pages.space(1)
    choices = sorted(by_choice, key=lambda n: (n is None, n or 0))  # "alle" last
    pages.table(("per bezoek", "sessies", "bezoekers", "afgemaakt"), [
        [statement_words(n), str(by_choice[n][0]), str(by_choice[n][1]),
         count_cell(by_choice[n][2], by_choice[n][1])]
        for n in choices
    ] or [["Geen sessies in deze periode.", "", "", ""]], (4, 1.5, 1.5, 1.8))


def _referrals_and_staff(pages: Pages, data: ReportData, content: Content) -> None:
    pages.heading("Verwijzingen per cursus")
    pages.text(REFERRALS_NOTE + " Verwijzingen: hoe vaak een cursus werd voorgesteld (tussen "
               "haakjes: het deel van alle verwijzingen). Geprint: er is ook een briefje "
               "meegegeven (tussen haakjes: het deel van die cursus).", 10)
    pages.space(1)
    referrals = sum(c.referrals for c in data.courses)
    pages.table(("cursus", "verwijzingen", "geprint"), [
        [c.name, count_cell(c.referrals, referrals),
         count_cell(c.printed, c.referrals)] for c in data.courses
    ] or [["Geen verwijzingen in deze periode.", "", ""]], (5, 1.8, 1.8))

    pages.heading("Geteld bij het spel (door medewerkers)")
    staff: dict[str, Counts] = {}
    for row in data.tallies.rows:
        if row.staff.total:
            staff[row.statement_id] = staff.get(row.statement_id, Counts()) + row.staff
    pages.text("Naast de kiosk staat het spel met zakjes. Medewerkers tellen de worpen en "
               "zetten ze in de kiosk. Deze aantallen zitten ook in de grafieken.", 10)
    pages.space(1)
    order = [sid for _name, ids in _statement_groups(content, staff) for sid in ids]
    pages.table(("stelling", "antwoorden", "eens", "oneens", "weet niet"), [
        [content.statement_text(sid), *_answer_cells(staff[sid])] for sid in order
    ] or [["Niets geteld in deze periode.", "", "", "", ""]], (6, 1.7, 1.5, 1.5, 1.6))
