"""The report for the municipality: a real PDF, rendered by pdftoppm, read back by pdftotext."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.app import Options, load_content
from kiosk.core.export import Labels, percent
from kiosk.core.model import Content
from kiosk.core.places import compare_places
from kiosk.core.publication import publish
from kiosk.core.store import Store
from kiosk.core.summary import referrals_per_course, session_rows
from kiosk.core.tallies import Counts, tallies
from kiosk.gui.report import (
    ReportError,
    _nice_max,
    _read,
    _tick_step,
    build_report,
    count_cell,
)

LIBRARY = "Bibliotheek Rivierenland"
FREE_TEXT = "=1+1 vroeg een man over de gemeentelijke website"


@pytest.fixture
def content(data_dir: Path) -> Content:
    loaded = load_content(Options(data_dir=data_dir), lambda message: None)
    return dataclasses.replace(loaded, library=dataclasses.replace(loaded.library, name=LIBRARY))


def fill(db: Path) -> None:
    """Two sessions: a busy market in March (big counts, conversations and signals), a quiet
    pool in April (small counts)."""
    now = [datetime(2026, 3, 5, 10, 0)]
    with Store.open(db, clock=lambda: now[0]) as store:
        market = store.start_session("Weekmarkt", "markt", "taalhuis", per_visit=3)
        for index in range(12):
            visit = store.start_visit(market)
            store.record_answer(visit, "digid", "eens" if index < 9 else "oneens")
            store.record_answer(visit, "formulieren", "eens" if index < 6 else "weet_niet")
            store.finish_visit(visit, ["digisterker"] if index < 9 else ["taalhuis"])
        store.add_staff_tally(market, "computer", "eens", 7)
        store.add_staff_tally(market, "computer", "oneens", 2)
        for _ in range(6):
            store.log_conversation(market, "digitaal", "partner", "digitaal-hulpplein")
        store.log_conversation(market)
        for _ in range(5):
            store.log_signal(market, "website-gemeente")
        store.log_signal(market, "anders", FREE_TEXT)
        now[0] = datetime(2026, 3, 5, 13, 0)
        store.end_session(market)
        now[0] = datetime(2026, 4, 2, 14, 0)
        pool = store.start_session("Zwembad De Wetering", "zwembad", "taalhuis")
        for answer in ("eens", "oneens", "eens"):
            visit = store.start_visit(pool)
            store.record_answer(visit, "bijsluiter", answer)
            store.finish_visit(visit, ["taalhuis"])
        store.end_session(pool)


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                            text=True, timeout=60, check=True)
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def render(pdf: Path, out: Path) -> list[Path]:
    """Every page to PNG with pdftoppm (fails on a broken PDF)."""
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")],
                   capture_output=True, timeout=120, check=True)
    return sorted(out.glob("page-*.png"))


def test_report_renders_with_statements_library_and_small_counts(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    folder = tmp_path / "usb"
    folder.mkdir()
    out = folder / "rapport.pdf"
    pages = build_report(data_dir / "kiosk.db", content, out, generated=date(2026, 5, 1),
                         publiek=True)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["rapport.pdf"]  # no temporary file left

    images = render(out, tmp_path)
    assert len(images) == pages >= 3
    for image_path in images:
        image = QImage(str(image_path))
        assert image.width() > 300
        assert image.height() > image.width()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        assert len(colours) > 2, f"{image_path.name} is blank"

    text = pdf_text(out)
    words = flat(text)
    assert LIBRARY in words
    assert "5 maart 2026 tot en met 2 april 2026" in words  # the period, from the data
    assert "1 mei 2026" in words
    for statement_id in ("digid", "formulieren", "computer", "bijsluiter"):
        assert content.statement_text(statement_id) in words
    assert content.statement_text("huisarts") not in words  # no answers: no chart
    assert "<5" not in words
    # the numbers are the publication control's (kiosk.core.publication): rounded to 5,
    # percentages of the rounded counts
    data = _read(data_dir / "kiosk.db", None, None, None, content, True, False)
    digid = sum((r.answers for r in data.tallies.rows if r.statement_id == "digid"), Counts())
    assert digid.eens % 5 == digid.oneens % 5 == 0
    assert f"Eens {digid.eens} ({percent(digid.eens, digid.total)}%)" in words
    assert "Weet niet 0" in words  # 0 is 0
    assert "Publiek" in words
    assert "intern" not in words
    assert FREE_TEXT not in words
    assert "Weekmarkt" in words
    assert "Zwembad De Wetering" in words
    assert "Digisterker" in words
    assert "Taalhuis in de bibliotheek" in words
    assert "Geteld bij het spel" in words
    # statements per visit: the market asked 3 per visit, the pool (default) all of them
    assert "Zinnen per bezoek" in words
    by_choice = {s.per_visit: s for s in data.sessions}
    assert (by_choice[3].visits, by_choice[None].visits) == (10, 5)  # 12 and 3, rounded
    assert "3 zinnen 1 10 10 (100%)" in words  # 1 session, 12 visitors, all completed
    assert "alle zinnen 1 5 5 (100%)" in words


def test_report_filters_on_location_and_dates(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "maart.pdf"
    build_report(data_dir / "kiosk.db", content, out, since=date(2026, 3, 1),
                 until=date(2026, 3, 31), location="Weekmarkt")
    words = flat(pdf_text(out))
    assert "1 maart 2026 tot en met 31 maart 2026" in words
    assert "Plek Weekmarkt" in words
    assert "Zwembad De Wetering" not in words
    assert content.statement_text("bijsluiter") not in words
    assert "afgemaakt 3 zinnen 1 12 12 (100%) Verwijzingen" in words  # only the market's


def test_an_empty_period_still_makes_a_readable_report(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "leeg.pdf"
    build_report(data_dir / "kiosk.db", content, out, since=date(2030, 1, 1))
    assert render(out, tmp_path)
    words = flat(pdf_text(out))
    assert "vanaf 1 januari 2030" in words
    assert "Geen antwoorden in deze periode." in words
    assert "Geen verwijzingen in deze periode." in words
    assert "Geen sessies in deze periode." in words


def test_report_errors_name_the_fix(qapp, content: Content, data_dir: Path, tmp_path: Path):
    with pytest.raises(ReportError, match="--data-dir"):
        build_report(data_dir / "kiosk.db", content, tmp_path / "r.pdf")
    fill(data_dir / "kiosk.db")
    with pytest.raises(ReportError, match="bestaat niet"):
        build_report(data_dir / "kiosk.db", content, tmp_path / "missing" / "r.pdf")
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("hello", encoding="utf-8")
    with pytest.raises(ReportError, match="kiosk.db"):
        build_report(not_a_db, content, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_report_runs_without_a_display_or_an_application(
    data_dir: Path, tmp_path: Path
) -> None:
    """As `kiosk report` will: a fresh process, no QApplication, no screen."""
    fill(data_dir / "kiosk.db")
    out = tmp_path / "cli.pdf"
    code = (
        "import sys; from pathlib import Path\n"
        "from kiosk.app import Options, load_content\n"
        "from kiosk.gui.report import build_report\n"
        f"content = load_content(Options(data_dir=Path({str(data_dir)!r})), print)\n"
        f"print(build_report(Path({str(data_dir / 'kiosk.db')!r}), content, Path({str(out)!r})))\n"
        "print('PySide6.QtCharts' in sys.modules)\n"
    )
    env = {key: value for key, value in __import__("os").environ.items()
           if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    pages, charts = result.stdout.split()
    assert int(pages) >= 3
    assert charts == "False"  # the charts are QPainter's: QtCharts is never loaded
    assert "Weekmarkt" in pdf_text(out)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout
    assert "SourceSans3" in fonts  # the numbers: a face without a slashed zero


def test_the_public_report_reads_its_numbers_from_publication_control(
    content: Content, data_dir: Path
) -> None:
    fill(db := data_dir / "kiosk.db")
    with closing(sqlite3.connect(db)) as conn:
        exact = tallies(conn)
        expected = publish(exact, Labels(content).statement_key, compare_places(conn),
                           session_rows(conn))
    public = _read(db, None, None, None, content, True, False)
    assert public.tallies == expected.tallies
    assert public.places == expected.places
    assert public.sessions == expected.sessions
    assert public.courses == referrals_per_course(expected.tallies, content)
    inside = _read(db, None, None, None, content, False, False)
    assert inside.tallies == exact  # the internal report keeps exact numbers


def test_count_cells_and_axis_steps() -> None:
    assert [count_cell(n, 8) for n in (0, 3, 6)] == ["0", "3 (38%)", "6 (75%)"]
    assert count_cell(3, None) == "3"
    assert [_nice_max(n) for n in (0, 5, 7, 12, 39, 57, 140, 999)] == [
        5, 5, 8, 15, 40, 60, 150, 1000]
    for axis_max in (5, 8, 15, 40, 60, 150, 1000, 25000):
        step = _tick_step(axis_max)
        assert 1 <= axis_max / step <= 8


def page_text(pdf: Path, page: int) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                             "-"], capture_output=True, text=True, timeout=60, check=True)
    return flat(result.stdout)


def test_the_internal_report_has_exact_counts_and_says_so_on_every_page(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "intern.pdf"
    pages = build_report(data_dir / "kiosk.db", content, out)
    words = flat(pdf_text(out))
    assert "Intern: exacte aantallen" in words
    assert "Stuur dit rapport niet door" in words
    assert "Oneens 3 (25%)" in words  # exact, with its percentage
    assert "<5" not in words
    for page in range(1, pages + 1):
        assert "intern: exacte aantallen, niet doorsturen" in page_text(out, page), page
    assert FREE_TEXT not in words  # free text only when asked for


def test_statements_are_grouped_by_theme_in_the_order_of_themes_toml(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "r.pdf"
    build_report(data_dir / "kiosk.db", content, out)
    words = flat(pdf_text(out))
    section = words[words.index("Antwoorden per stelling"):words.index("Per plek en per periode")]
    order = [section.index(name) for name in (
        "Lezen en schrijven", content.statement_text("formulieren"), "Digitaal",
        content.statement_text("digid"), "Gezondheid", content.statement_text("bijsluiter"),
        "Andere stellingen", "computer")]
    assert order == sorted(order)
    # the pool's statement has 3 answers: one line instead of a chart
    assert "Te weinig antwoorden voor een grafiek: 3 antwoorden (eens 2, oneens 1, " \
        "weet niet 0)." in section


def test_signals_conversations_and_places_sections(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir / "kiosk.db")
    out = tmp_path / "r.pdf"
    build_report(data_dir / "kiosk.db", content, out)
    words = flat(pdf_text(out))
    signals = words[words.index("Signalen en gesprekken"):]
    assert "Signalen per soort signaal aantal Website van de gemeente te moeilijk 5 (83%) " \
        "Anders 1 (17%)" in signals
    assert "Signalen per plek" in signals
    assert "Signalen per dag" in signals
    assert "Gesprekken per onderwerp onderwerp gesprekken Digitaal 6 (86%) " \
        "zonder onderwerp 1 (14%)" in signals
    assert "Digitaal Hulpplein partner 6 (86%) niet verwezen 1 (14%)" in signals
    places = words[words.index("Welke plek werkt?"):words.index("Signalen en gesprekken")]
    # the market: 10:00-13:00, 12 of the 15 visitors, 4 per staffed hour, 9 with an eens
    assert "Weekmarkt 3 12 (80%) 4,0 9 (75%) 12" in places
    for heading in ("Per plek", "Per soort plek", "Per dagdeel", "Per dag van de week"):
        assert heading in places
    assert "ochtend" in places
    assert "middag" in places
    assert "donderdag" in places
    assert "zonder einde" not in places  # both sessions ended
    assert "Per bezoek stelt de kiosk tot 2 cursussen voor" in words


def test_free_text_only_when_asked_and_then_first_and_literal(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    db = data_dir / "kiosk.db"
    fill(db)
    with sqlite3.connect(db) as conn:  # a row from another laptop's older kiosk: markup
        session = conn.execute("SELECT id FROM session ORDER BY started").fetchone()[0]
        conn.execute("INSERT INTO signal (id, session_id, at, kind, text) VALUES "
                     "('merged', ?, '2026-03-05T11:00', 'anders', '<b>x</b> & co')", [session])
    conn.close()
    out = tmp_path / "vrij.pdf"
    build_report(db, content, out, free_text=True)
    first, second = page_text(out, 1), page_text(out, 2)
    assert "vrije tekst van medewerkers (direct na deze inleiding)" in first
    assert second.startswith("Vrije tekst van medewerkers: eerst nalezen")
    assert "Lees deze teksten na voordat u het rapport doorstuurt" in second
    assert FREE_TEXT in second  # as typed: a formula is just text in a PDF
    assert "<b>x</b> & co" in second  # markup stays literal
    assert "Weekmarkt, 5 maart 2026" in second
    with pytest.raises(ReportError, match="toont nooit vrije tekst"):
        build_report(db, content, tmp_path / "p.pdf", publiek=True, free_text=True)
    assert not (tmp_path / "p.pdf").exists()


def test_a_session_too_small_for_any_chart_says_so_in_one_line(
    qapp, content: Content, data_dir: Path, tmp_path: Path
) -> None:
    now = [datetime(2026, 6, 1, 10, 0)]
    with Store.open(data_dir / "kiosk.db", clock=lambda: now[0]) as store:
        session = store.start_session("Bieb", "bibliotheek", "taalhuis", per_visit=3)
        for answer in ("eens", "oneens"):
            visit = store.start_visit(session)
            store.record_answer(visit, "digid", answer)
            store.record_answer(visit, "formulieren", "eens")
        store.end_session(session)
    out = tmp_path / "klein.pdf"
    build_report(data_dir / "kiosk.db", content, out)
    words = flat(pdf_text(out))
    assert words.count("Te weinig antwoorden voor een grafiek") == 1
    assert "Eens Oneens Weet niet" not in words  # no legend: no charts
    assert content.statement_text("digid") in words  # the counts are in a table
    assert "Ik vind DigiD moeilijk. 2" in words
    # public: 4 answers in all, rounded to 5 in running order (digid 2 -> 0, then
    # formulieren 2 more -> 5): one statement has a chart of 5, the other 0 answers
    build_report(data_dir / "kiosk.db", content, out, publiek=True)
    words = flat(pdf_text(out))
    assert "<5" not in words
    assert "Antwoorden, totaal 5" in words
