"""Tests for the content loader and validator (kiosk.core.content). No Qt needed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.core.content import (
    HARD_WORDS,
    ContentError,
    Problem,
    content_from_dict,
    content_to_dict,
    hard_words,
    load_content,
    load_with_fallback,
    negations,
    summary,
)
from kiosk.core.model import OTHER_SIGNAL, Partner, SignalKind
from tests.conftest import run_kiosk

DEFAULT = paths.default_content_dir()
THEMES = {"lezen-schrijven", "rekenen", "digitaal", "gezondheid", "geld"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the default content to break."""
    return Path(shutil.copytree(DEFAULT, tmp_path / "content"))


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path`` by ``new``; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


def assert_reported(folder: Path, file: str, line: int | None, *parts: str) -> None:
    """Exactly one problem, naming ``file`` (and ``line``), that contains ``parts``."""
    report = problems(folder)
    assert report.endswith("1 probleem in de inhoud."), report
    first = report.splitlines()[0]
    where = str(folder / file) + (f":{line}:" if line else ":")
    assert first.startswith(where), first
    assert "Oplossing: " in first
    for part in parts:
        assert part in first, first


# -- the shipped content ---------------------------------------------------------------


def test_default_content_loads() -> None:
    content = load_content(DEFAULT)
    statements = [s for each in content.sets.values() for s in each.statements]
    assert len(statements) >= 12
    assert set(content.themes) == THEMES
    assert {s.theme for s in statements} == THEMES
    assert all(len(s.text.split()) <= 12 for s in statements)
    assert content.statement_set().id == content.library.default_set == "taalhuis"
    assert summary(content).startswith("inhoud in orde: 15 stellingen in 1 set, 5 cursussen")


def test_default_content_suggestions_make_sense() -> None:
    content = load_content(DEFAULT)
    assert content.suggest({"digid": "eens"})[0].id == "digisterker"
    assert content.suggest({"rekeningen": "eens"})[0].id == "geldfit"
    assert [c.id for c in content.suggest({})] == [content.default_course] == ["taalhuis"]


def test_default_content_has_no_problems_and_no_warnings() -> None:
    content = load_content(DEFAULT)
    assert content.warnings == ()
    assert content.library.per_visit == 3


def test_default_statements_are_easy_to_read() -> None:
    """A2: first person, one word for hard ("moeilijk"), positive, at most 12 words."""
    for statement in load_content(DEFAULT).statement_set("taalhuis").statements:
        text = statement.text
        assert negations(text) == [], text
        assert len(text.split()) <= 12, text
        assert text.startswith("Ik vind "), text
        assert text.endswith(" moeilijk."), text
        assert "lastig" not in text.lower(), text
        assert not hard_words(text) or statement.uitleg, text


def test_every_rule_and_course_of_the_default_content_is_used() -> None:
    content = load_content(DEFAULT)
    statement_ids = {s.id for each in content.sets.values() for s in each.statements}
    assert {rule.statement for rule in content.rules} <= statement_ids
    reachable = {rule.course for rule in content.rules} | {content.default_course}
    assert reachable == set(content.courses)


def test_default_content_wishes_are_gone_and_interests_point_to_a_course() -> None:
    content = load_content(DEFAULT)
    for old in ("voorlezen", "computer", "geld-overzicht", "rekenen-winkel"):
        assert content.statement_set().get(old) is None, old
    assert content.suggest({"voorlezen-kind": "eens"})[0].id == "taalhuis"
    assert content.suggest({"computer-werken": "eens"})[0].id == "klik-en-tik"
    assert content.suggest({"hoofdrekenen": "eens"})[0].id == "oefenen"
    assert content.suggest({"geld-bijhouden": "eens"})[0].id == "geldfit"


def test_summary_text() -> None:
    line = summary(load_content(DEFAULT))
    assert line == ("inhoud in orde: 15 stellingen in 1 set, 5 cursussen, 15 koppelingen, "
                    f"5 plekken, 8 partners, 8 signalen, 5 aanpakken (uit {DEFAULT}/)")


def test_problem_and_error_text() -> None:
    problem = Problem("content/courses.toml", 12, 'course "x"', "url moet beginnen met https://",
                      "gebruik het https://-adres.")
    assert str(problem) == ('content/courses.toml:12: course "x": url moet beginnen met https://. '
                            "Oplossing: gebruik het https://-adres.")
    assert str(Problem("a.toml", None, None, "fout", "los het op.")) == \
        "a.toml: fout. Oplossing: los het op."
    error = ContentError([problem, problem])
    assert str(error).splitlines() == [str(problem), str(problem), "2 problemen in de inhoud."]


# -- files -----------------------------------------------------------------------------


def test_toml_syntax_error_names_the_line(folder: Path) -> None:
    line = edit(folder / "courses.toml", 'name = "Digisterker"', 'name = "Digisterker')
    assert_reported(folder, "courses.toml", line, "schrijffout",
                    "aanhalingsteken aan het eind van de tekst ontbreekt",
                    "dubbele aanhalingstekens")


def test_not_utf8_names_the_line(folder: Path) -> None:
    path = folder / "sets" / "taalhuis.toml"
    line = edit(path, "Ik vind DigiD moeilijk.", "Ik vind DigiD moeilijk, caf\xe9.")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert_reported(folder, "sets/taalhuis.toml", line, "geen UTF-8", "sla het op als UTF-8")


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"])
def test_empty_file(folder: Path, text: str) -> None:
    (folder / "courses.toml").write_text(text, encoding="utf-8")
    assert_reported(folder, "courses.toml", None, "leeg", "vul het in")


def test_bom_is_fine(folder: Path) -> None:
    path = folder / "library.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_content(folder).library.name == "Bibliotheek"


def test_missing_file(folder: Path) -> None:
    (folder / "rules.toml").unlink()
    assert_reported(folder, "rules.toml", None, "ontbreekt", "kopieer rules.toml")


def test_unknown_file_name(folder: Path) -> None:
    (folder / "courses.toml").rename(folder / "course.toml")
    report = problems(folder)
    assert f'{folder / "course.toml"}: onbekend bestand in de inhoudsmap. Oplossing: geef ' \
           'het de goede naam: bedoel je "courses.toml"?' in report


def test_no_sets_at_all(folder: Path) -> None:
    shutil.rmtree(folder / "sets")
    assert_reported(folder, "sets", None, "geen stellingensets", "sets/<naam>.toml")


def test_set_without_statements(folder: Path) -> None:
    text = '[set]\nid = "leeg"\nname = "Leeg"\nlanguage = "nl"\n'
    (folder / "sets" / "leeg.toml").write_text(text, encoding="utf-8")
    assert_reported(folder, "sets/leeg.toml", None, "geen statement", "[[statement]]")


def test_single_brackets_for_a_list(folder: Path) -> None:
    (folder / "locations.toml").write_text('[location]\nname = "Markt"\nkind = "markt"\n',
                                           encoding="utf-8")
    assert_reported(folder, "locations.toml", 1, "lijst van tabellen", "[[location]]")


# -- fields ----------------------------------------------------------------------------


def test_missing_field(folder: Path) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'text = "Ik vind DigiD moeilijk."\n', "")
    assert_reported(folder, "sets/taalhuis.toml", line - 2, 'statement "digid"', "text ontbreekt",
                    'voeg hier een regel text = "..." toe')


def test_unknown_field_suggests_the_closest(folder: Path) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'pictogram = "identification-card"',
                'pictgram = "identification-card"')
    report = problems(folder)
    assert f'taalhuis.toml:{line}: statement "digid": onbekend veld "pictgram". ' \
           'Oplossing: bedoel je "pictogram"?' in report
    assert "pictogram ontbreekt" in report


def test_wrong_type(folder: Path) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'text = "Ik vind DigiD moeilijk."', "text = 12")
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "digid"',
                    "text moet tekst tussen dubbele aanhalingstekens zijn (is nu een getal)",
                    'text = "..."')


def test_unknown_top_level_name(folder: Path) -> None:
    line = edit(folder / "rules.toml", "default_course =", "default_cours =")
    report = problems(folder)
    assert f'rules.toml:{line}: onbekende naam "default_cours". Oplossing: bedoel je ' \
           '"default_course"?' in report


@pytest.mark.parametrize(("file", "old", "new", "words"), [
    ("sets/taalhuis.toml", 'id = "computer-werken"', 'id = "digid"',
     ['id "digid" staat er twee keer']),
    ("courses.toml", 'id = "geldfit"', 'id = "oefenen"', ['id "oefenen" staat er twee keer']),
    ("themes.toml", 'id = "geld"', 'id = "rekenen"', ['id "rekenen" staat er twee keer']),
    ("locations.toml", 'name = "Zwembad"', 'name = "Weekmarkt"',
     ['name "Weekmarkt" staat er twee keer']),
])
def test_duplicates(folder: Path, file: str, old: str, new: str, words: list[str]) -> None:
    line = edit(folder / file, old, new)
    report = problems(folder)
    assert f"{folder / file}:{line}:" in report
    assert all(word in report for word in words), report
    assert "Oplossing: geef ze elk een eigen" in report


def test_duplicate_statement_across_sets(folder: Path) -> None:
    extra = folder / "sets" / "extra.toml"
    extra.write_text('[set]\nid = "extra"\nname = "Extra"\nlanguage = "nl"\n\n[[statement]]\n'
                     'id = "digid"\ntext = "Ik vind DigiD soms moeilijk."\npictogram = "laptop"\n'
                     'theme = "digitaal"\n', encoding="utf-8")
    line = edit(folder / "sets" / "taalhuis.toml", 'id = "digid"', 'id = "digid"')
    assert_reported(folder, "sets/taalhuis.toml", line, 'id "digid" staat er twee keer',
                    f'(eerst in {extra}:7)')


def test_duplicate_set_id(folder: Path) -> None:
    shutil.copy(folder / "sets" / "taalhuis.toml", folder / "sets" / "kopie.toml")
    report = problems(folder)
    assert 'set "taalhuis": id "taalhuis" staat er twee keer' in report
    assert "kopie.toml:" in report
    assert "15 stellingen" not in report


# -- statement texts, strings, ids, urls -------------------------------------------------


@pytest.mark.parametrize(("new", "words"), [
    ('text = ""', "text is leeg"),
    ('text = "Een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien."',
     "text is te lang (13 woorden"),
    ('text = "' + "Onbegrijpelijkerwijs " * 5 + '"', "tekens; hooguit 12 woorden en 90"),
    ('text = "Ik vind\\tDigiD moeilijk."', "text bevat een tab"),
    ('text = """Ik vind\nDigiD moeilijk."""', "text bevat een nieuwe regel (Enter)"),
    ('text = "Ik vind DigiD\\u200b moeilijk."', "verborgen teken (U+200B)"),
])
def test_statement_text(folder: Path, new: str, words: str) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'text = "Ik vind DigiD moeilijk."', new)
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "digid"', words)


def test_outer_whitespace_is_stripped(folder: Path) -> None:
    edit(folder / "sets" / "taalhuis.toml", '"Ik vind DigiD moeilijk."',
         '"  Ik vind DigiD moeilijk. "')
    assert load_content(folder).statement_text("digid") == "Ik vind DigiD moeilijk."


def test_control_character_in_any_string(folder: Path) -> None:
    line = edit(folder / "courses.toml", 'name = "Geldfit"', 'name = "Geld\\u0007fit"')
    assert_reported(folder, "courses.toml", line, 'course "geldfit"', "name bevat een verborgen",
                    "op één regel")


def test_course_line_too_long(folder: Path) -> None:
    line = edit(folder / "courses.toml", 'line = "Hulp en tips', 'line = "' + "x" * 80 + " Hulp")
    assert_reported(folder, "courses.toml", line, 'course "geldfit"', "line is te lang",
                    "maak er één korte zin van")


def test_bad_id(folder: Path) -> None:
    line = edit(folder / "courses.toml", 'id = "klik-en-tik"', 'id = "Klik_en Tik"')
    report = problems(folder)
    assert f'courses.toml:{line}: course "Klik_en Tik": id "Klik_en Tik" mag alleen kleine ' \
           'letters, cijfers en streepjes (-) hebben. Oplossing: gebruik bijvoorbeeld ' \
           '"klik-en-tik".' in report


@pytest.mark.parametrize(("url", "words"), [
    ("javascript:alert(1)", "moet beginnen met https://"),
    ("data:text/html,hoi", "moet beginnen met https://"),
    ("http://www.geldfit.nl", "moet beginnen met https://"),
    ("ftp://www.geldfit.nl", "moet beginnen met https://"),
    ("https://", "geen geldige naam van een website"),
    ("https:///pad", "geen geldige naam van een website"),
    ("https://www.geldfit.nl/mijn pagina", "spatie"),
    ("https://user:geheim@www.geldfit.nl", "gebruikersnaam of wachtwoord"),
    ("https://[www.geldfit.nl", "geen geldig webadres"),
    ("https://192.168.1.20/geldfit", "IP-adres"),
    ("https://[::1]/geldfit", "IP-adres"),
    ("https://www.geldfіt.nl", "geen gewone a-z"),  # a Cyrillic і in the name
    ("https://www.gëldfit.nl", "geen gewone a-z"),
    ("https://www.geld_fit.nl", "die daar niet mogen"),
    ("https://www.geldfit.nl/" + "a" * 4000, "te lang voor een QR-code"),
    ("https://www.geldfit.nl/" + "a" * 200, "van een stap afstand"),
])
def test_bad_url(folder: Path, url: str, words: str) -> None:
    line = edit(folder / "courses.toml", "https://www.geldfit.nl", url)
    assert_reported(folder, "courses.toml", line, 'course "geldfit"', words, "https://")


def test_a_url_that_fits_a_qr_code_at_the_limit_passes(folder: Path) -> None:
    edit(folder / "courses.toml", "https://www.geldfit.nl", "https://www.geldfit.nl/" + "a" * 60)
    load_content(folder)


def test_punycode_hosts_only_when_the_content_says_so(folder: Path) -> None:
    line = edit(folder / "courses.toml", "https://www.geldfit.nl", "https://www.xn--gldfit-fua.nl")
    assert_reported(folder, "courses.toml", line, "xn--", "punycode = true")
    edit(folder / "courses.toml", 'url = "https://www.xn--gldfit-fua.nl"',
         'url = "https://www.xn--gldfit-fua.nl"\npunycode = true')
    content = load_content(folder)
    assert content.courses["geldfit"].url == "https://www.xn--gldfit-fua.nl"


@pytest.mark.parametrize(("file", "old", "new", "words"), [
    ("library.toml", 'name = "Bibliotheek"', 'name = "' + "B" * 10_000 + '"',
     "name is te lang (10000 tekens, hooguit 60)"),
    ("library.toml", 'hours = "', 'hours = "' + "x " * 60, "hours is te lang"),
    ("courses.toml", 'name = "Digisterker"', 'name = "Digisterker voor iedereen die het wil '
     'leren, jong en oud"', "name is te lang"),
    ("sets/taalhuis.toml", 'text = "Ik vind DigiD moeilijk."',
     'text = "Ik vind arbeidsongeschiktheidsverzekeringen moeilijk."', "te lang voor het "
     "kleinste scherm (35 letters, hooguit 20)"),
    ("courses.toml", 'name = "Digisterker"', 'name = "Digisterkerbijdebibliotheek"',
     "te lang voor het kleinste scherm"),
])
def test_texts_and_words_over_their_limits(folder: Path, file: str, old: str, new: str,
                                           words: str) -> None:
    line = edit(folder / file, old, new)
    assert_reported(folder, file, line, words)


def test_deep_nesting_is_a_problem_not_a_crash(folder: Path) -> None:
    (folder / "locations.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n",
                                           encoding="utf-8")
    assert_reported(folder, "locations.toml", None, "veel te veel lijsten of tabellen in elkaar")


def test_checking_stays_linear_with_thousands_of_problems(folder: Path) -> None:
    """8,000 statements with a theme themes.toml lacks: 8,000 problems, each with its line
    (found inside its own table: before, each search re-read the whole file)."""
    blocks = [f'[[statement]]\nid = "s{i}"\ntext = "Ik vind ding {i} moeilijk."\n'
              f'pictogram = "coins"\ntheme = "onbekend"\n' for i in range(8000)]
    (folder / "sets" / "groot.toml").write_text(
        '[set]\nid = "groot"\nname = "Groot"\nlanguage = "nl"\n\n' + "\n".join(blocks),
        encoding="utf-8")
    report = problems(folder).splitlines()
    assert report[-1] == "8000 problemen in de inhoud."
    assert report[-2].startswith(f"{folder / 'sets' / 'groot.toml'}:{5 + 6 * 7999 + 5}:")


# -- references ------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "words"), [
    ('statement = "digid"', 'statement = "digi-d"',
     ["rule nr. 7", 'er is geen stelling "digi-d"', '"digid"?']),
    ('course = "digisterker"', 'course = "digisterk"',
     ["rule nr. 7", 'er is geen cursus "digisterk"', '"digisterker"?']),
    ('answer = "eens"', 'answer = "ja"',
     ["rule nr. 1", 'onbekend antwoord "ja"', "eens, oneens, weet_niet"]),
])
def test_bad_rule(folder: Path, old: str, new: str, words: list[str]) -> None:
    line = edit(folder / "rules.toml", old, new)
    assert_reported(folder, "rules.toml", line, *words)


def test_unknown_default_course(folder: Path) -> None:
    line = edit(folder / "rules.toml", 'default_course = "taalhuis"', 'default_course = "taalhuiz"')
    assert_reported(folder, "rules.toml", line, 'er is geen cursus "taalhuiz"', '"taalhuis"?')


def test_unknown_pictogram_suggests_a_close_one(folder: Path) -> None:
    line = edit(folder / "courses.toml", 'pictogram = "books"', 'pictogram = "book"')
    assert_reported(folder, "courses.toml", line, 'course "taalhuis"',
                    'er is geen pictogram "book"', 'bedoel je "books"?', "ui/pictograms/")


def test_unknown_theme(folder: Path) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'theme = "geld"', 'theme = "gelt"')
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "rekeningen"',
                    'er is geen thema "gelt"', '"geld"?')


def test_unknown_location_kind(folder: Path) -> None:
    line = edit(folder / "locations.toml", 'kind = "zwembad"', 'kind = "bad"')
    assert_reported(folder, "locations.toml", line, 'location "Zwembad"',
                    'er is geen soort plek "bad"', '"zwembad"?')
    edit(folder / "locations.toml", 'kind = "bad"', 'kind = "haven"')
    assert_reported(folder, "locations.toml", line, "kies uit: anders, bibliotheek, markt")


def test_language_other_than_dutch(folder: Path) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'language = "nl"', 'language = "en"')
    assert_reported(folder, "sets/taalhuis.toml", line, 'set "taalhuis"', "alleen Nederlands",
                    'language = "nl"')


def test_unknown_default_set(folder: Path) -> None:
    line = edit(folder / "library.toml", 'default_set = "taalhuis"', 'default_set = "taalhui"')
    assert_reported(folder, "library.toml", line, "library:", 'er is geen stellingenset "taalhui"',
                    '"taalhuis"?')


def test_all_problems_are_reported_together(folder: Path) -> None:
    edit(folder / "courses.toml", "https://www.geldfit.nl", "http://www.geldfit.nl")
    edit(folder / "sets" / "taalhuis.toml", 'theme = "geld"', 'theme = "gelt"')
    edit(folder / "locations.toml", 'kind = "zwembad"', 'kind = "bad"')
    (folder / "themes.toml").write_text("", encoding="utf-8")  # a broken file: no theme checks
    edit(folder / "library.toml", 'name = "Bibliotheek"', "name = ")
    report = problems(folder)
    assert report.endswith("4 problemen in de inhoud."), report
    for file in ("courses.toml", "locations.toml", "themes.toml", "library.toml"):
        assert str(folder / file) in report


# -- overlay, snapshot, fallback -------------------------------------------------------


def test_overlay_with_only_library(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "library.toml").write_text('[library]\nname = "Bibliotheek Oost"\n', encoding="utf-8")
    content = load_content(DEFAULT, mine)
    assert content.library.name == "Bibliotheek Oost"
    assert content.courses == load_content(DEFAULT).courses
    assert str(mine / "library.toml") in content.sources
    assert str(DEFAULT / "library.toml") not in content.sources


def test_overlay_replaces_a_set_file(tmp_path: Path, folder: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "sets").mkdir(parents=True)
    shutil.copy(folder / "sets" / "taalhuis.toml", mine / "sets" / "taalhuis.toml")
    edit(mine / "sets" / "taalhuis.toml", "Ik vind DigiD moeilijk.", "DigiD vind ik moeilijk.")
    content = load_content(DEFAULT, mine)
    assert content.statement_text("digid") == "DigiD vind ik moeilijk."
    assert len(content.sets) == 1


def test_a_bad_overlay_is_reported(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "library.toml").write_text('[library]\nnaam = "Oost"\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(DEFAULT, mine)
    assert f'{mine / "library.toml"}:2: library: onbekend veld "naam"' in str(caught.value)


def test_snapshot_round_trip() -> None:
    content = load_content(DEFAULT)
    assert content_from_dict(json.loads(json.dumps(content_to_dict(content)))) == content


def test_fallback_keeps_the_last_good_content(tmp_path: Path, folder: Path) -> None:
    snapshot = tmp_path / "data" / "content.json"
    edit(folder / "library.toml", 'name = "Bibliotheek"', 'name = "Bibliotheek West"')
    good, error = load_with_fallback([DEFAULT, folder], snapshot)
    assert error is None
    assert good.library.name == "Bibliotheek West"
    assert snapshot.exists()
    assert not list(snapshot.parent.glob("*.tmp"))
    edit(folder / "courses.toml", 'id = "geldfit"', "id = geldfit")
    kept, error = load_with_fallback([DEFAULT, folder], snapshot)
    assert kept == good
    assert isinstance(error, ContentError)
    assert "courses.toml" in str(error)


def test_fallback_without_snapshot_uses_the_bundled_default(tmp_path: Path, folder: Path) -> None:
    edit(folder / "library.toml", 'name = "Bibliotheek"', 'name = "Bibliotheek West"')
    edit(folder / "courses.toml", "https://www.geldfit.nl", "javascript:alert(1)")
    snapshot = tmp_path / "content.json"
    content, error = load_with_fallback([DEFAULT, folder], snapshot)
    assert error is not None
    assert content == load_content(DEFAULT)
    assert not snapshot.exists()
    snapshot.write_text("{not json", encoding="utf-8")  # an unreadable snapshot: same result
    assert load_with_fallback([DEFAULT, folder], snapshot)[0] == load_content(DEFAULT)


# -- QR link tags ----------------------------------------------------------------------


def test_qr_tags_are_off_by_default_and_can_be_enabled(folder: Path) -> None:
    assert load_content(DEFAULT).qr_tags is False
    edit(folder / "library.toml", "tags = false", "tags = true")
    content = load_content(folder)
    assert content.qr_tags is True
    assert content_from_dict(json.loads(json.dumps(content_to_dict(content)))) == content


def test_library_without_a_qr_table_has_no_tags(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "library.toml").write_text('[library]\nname = "Bibliotheek Oost"\n', encoding="utf-8")
    assert load_content(DEFAULT, mine).qr_tags is False
    (mine / "library.toml").write_text('[library]\nname = "Oost"\n\n[qr]\n', encoding="utf-8")
    assert load_content(DEFAULT, mine).qr_tags is False


def test_an_old_snapshot_without_qr_tags_still_loads() -> None:
    data = content_to_dict(load_content(DEFAULT))
    del data["qr_tags"]
    assert content_from_dict(data).qr_tags is False


@pytest.mark.parametrize(("new", "words"), [
    ('tags = "true"', ['tags moet true of false zijn (is nu tekst "true")',
                       "zonder aanhalingstekens"]),
    ("tags = 1", ["tags moet true of false zijn (is nu een getal)", "tags = true of tags = false"]),
    ("tag = true", ['qr: onbekend veld "tag"', 'bedoel je "tags"?']),
])
def test_bad_qr_setting(folder: Path, new: str, words: list[str]) -> None:
    line = edit(folder / "library.toml", "tags = false", new)
    assert_reported(folder, "library.toml", line, *words)


def test_qr_must_be_one_table(folder: Path) -> None:
    line = edit(folder / "library.toml", "[qr]", "[[qr]]")
    assert_reported(folder, "library.toml", line, "qr moet één tabel zijn", "[qr]")


# -- word help (uitleg) ----------------------------------------------------------------


def test_uitleg_loads() -> None:
    content = load_content(DEFAULT)
    digid = content.statement_set().get("digid")
    assert digid is not None
    assert digid.uitleg == "Met DigiD laat je op internet zien wie je bent."
    assert content.statement_set().get("brieven-gemeente").uitleg == ""


def test_uitleg_is_optional_and_stripped(folder: Path) -> None:
    edit(folder / "sets" / "taalhuis.toml", 'uitleg = "Met DigiD', 'uitleg = "  Met DigiD')
    assert load_content(folder).statement_set().get("digid").uitleg.startswith("Met DigiD")
    edit(folder / "sets" / "taalhuis.toml",
         'uitleg = "Een app is een programma op je telefoon, zoals WhatsApp."', 'uitleg = ""')
    content = load_content(folder)  # an empty uitleg is no uitleg: a warning, no problem
    assert content.statement_set().get("apps-telefoon").uitleg == ""
    assert [w for w in content.warnings if 'statement "apps-telefoon"' in w]


@pytest.mark.parametrize(("new", "words"), [
    ('uitleg = "' + "een " * 15 + 'woord."', "uitleg is te lang (16 woorden"),
    ('uitleg = "' + "x" * 101 + '"', "hooguit 15 woorden en 100 tekens"),
    ('uitleg = "Met DigiD log je in. Het is je code."', "uitleg moet één zin zijn"),
    ('uitleg = """Met DigiD laat je\nzien wie je bent."""', "uitleg bevat een nieuwe regel"),
    ("uitleg = 3", "uitleg moet tekst tussen dubbele aanhalingstekens zijn (is nu een getal)"),
])
def test_bad_uitleg(folder: Path, new: str, words: str) -> None:
    line = edit(folder / "sets" / "taalhuis.toml",
                'uitleg = "Met DigiD laat je op internet zien wie je bent."', new)
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "digid"', words)


# -- statements per visit (per_visit) --------------------------------------------------


@pytest.mark.parametrize(("new", "expected"), [
    ("per_visit = 3", 3),
    ("per_visit = 1", 1),
    ("per_visit = 7", 7),
    ('per_visit = "all"', None),
    ('per_visit = "ALL"', None),
    ('per_visit = " alle "', None),
    ("", 3),  # missing: three statements
])
def test_per_visit(folder: Path, new: str, expected: int | None) -> None:
    edit(folder / "library.toml", "per_visit = 3", new)
    content = load_content(folder)
    assert content.library.per_visit == expected
    assert content_from_dict(json.loads(json.dumps(content_to_dict(content)))) == content


def test_per_visit_missing_in_an_overlay_is_three(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "library.toml").write_text('[library]\nname = "Oost"\n', encoding="utf-8")
    assert load_content(DEFAULT, mine).library.per_visit == 3


@pytest.mark.parametrize(("new", "shown"), [
    ("per_visit = 0", "(is nu 0)"),
    ("per_visit = -2", "(is nu -2)"),
    ("per_visit = 2.5", "(is nu 2.5)"),
    ('per_visit = "many"', '(is nu tekst "many")'),
    ('per_visit = "3"', '(is nu tekst "3")'),
    ("per_visit = true", "(is nu true/false)"),
    ("per_visit = [3]", "(is nu een lijst)"),
])
def test_bad_per_visit(folder: Path, new: str, shown: str) -> None:
    line = edit(folder / "library.toml", "per_visit = 3", new)
    assert_reported(folder, "library.toml", line, "library:",
                    'per_visit moet een heel getal vanaf 1 zijn, of "alle"', shown,
                    'per_visit = 3 (zonder aanhalingstekens), of per_visit = "alle"')


# -- snapshots of the new fields ---------------------------------------------------------


def test_snapshot_keeps_uitleg_per_visit_and_warnings(folder: Path) -> None:
    edit(folder / "library.toml", "per_visit = 3", 'per_visit = "all"')
    edit(folder / "sets" / "taalhuis.toml",
         'uitleg = "Met DigiD laat je op internet zien wie je bent."\n', "")
    content = load_content(folder)
    assert content.library.per_visit is None
    assert content.warnings
    data = json.loads(json.dumps(content_to_dict(content)))
    assert data["library"]["per_visit"] is None
    back = content_from_dict(data)
    assert back == content
    assert back.statement_set().get("bijsluiter").uitleg.startswith("De bijsluiter")


def test_an_old_snapshot_without_the_new_fields_still_loads() -> None:
    data = content_to_dict(load_content(DEFAULT))
    del data["library"]["per_visit"], data["warnings"]
    for statement in data["sets"]["taalhuis"]["statements"]:
        del statement["uitleg"]
    old = content_from_dict(data)
    assert old.library.per_visit == 3
    assert old.warnings == ()
    assert all(s.uitleg == "" for s in old.statement_set().statements)


@pytest.mark.parametrize("bad", [0, "3", 2.5, True])
def test_a_snapshot_with_a_bad_per_visit_is_not_used(tmp_path: Path, folder: Path,
                                                     bad: object) -> None:
    data = content_to_dict(load_content(DEFAULT))
    data["library"]["per_visit"] = bad
    with pytest.raises(ValueError, match="per_visit"):
        content_from_dict(data)
    snapshot = tmp_path / "content.json"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    edit(folder / "courses.toml", "https://www.geldfit.nl", "http://www.geldfit.nl")
    content, error = load_with_fallback([DEFAULT, folder], snapshot)
    assert error is not None
    assert content == load_content(DEFAULT)  # the bundled default, not the bad snapshot


# -- negations and length ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "word"), [
    ("Ik begrijp de dokter niet altijd goed.", "niet"),
    ("Ik reken liever niet uit mijn hoofd.", "niet"),
    ("Ik heb geen computer.", "geen"),
    ("Ik lees nooit een boek.", "nooit"),
    ("Niemand helpt mij met brieven.", "Niemand"),
    ("Ik snap er NIETS van.", "NIETS"),
    ("Ik snap er niks van.", "niks"),
    ("Ik kan nergens hulp vinden.", "nergens"),
])
def test_negation_is_rejected(folder: Path, text: str, word: str) -> None:
    line = edit(folder / "sets" / "taalhuis.toml", 'text = "Ik vind DigiD moeilijk."',
                f'text = "{text}"')
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "digid"',
                    f'text heeft het woord "{word}"', "dubbele ontkenning",
                    "schrijf de stelling positief",
                    "'Ik vind rekenen uit mijn hoofd moeilijk.'")


@pytest.mark.parametrize("text", [
    "Ik vind een nieuwe telefoon moeilijk.",  # "nieuw" is a word of its own
    "Ik vind een nietje moeilijk.",
    "Ik vind DigiD eigenlijk moeilijk.",
])
def test_words_that_look_like_a_negation_are_fine(folder: Path, text: str) -> None:
    edit(folder / "sets" / "taalhuis.toml", 'text = "Ik vind DigiD moeilijk."', f'text = "{text}"')
    assert load_content(folder).statement_text("digid") == text
    assert negations(text) == []


def test_thirteen_words_are_too_many_twelve_are_fine(folder: Path) -> None:
    twelve = "Ik vind het moeilijk om een brief van de bank te lezen."
    thirteen = "Ik vind het best moeilijk om een brief van de bank te lezen."
    assert (len(twelve.split()), len(thirteen.split())) == (12, 13)
    path = folder / "sets" / "taalhuis.toml"
    line = edit(path, 'text = "Ik vind DigiD moeilijk."', f'text = "{twelve}"')
    assert load_content(folder).statement_text("digid") == twelve
    edit(path, twelve, thirteen)
    assert_reported(folder, "sets/taalhuis.toml", line, 'statement "digid"',
                    "text is te lang (13 woorden", "hooguit 12 woorden", "één kort idee")


# -- hard words: a warning, not a problem ------------------------------------------------


def test_hard_words_list_is_short_and_lowercase() -> None:
    assert 15 <= len(HARD_WORDS) <= 25
    assert all(word == word.lower().strip() for word in HARD_WORDS)
    assert {"digid", "bijsluiter", "bankzaken", "formulier", "app"} <= set(HARD_WORDS)


@pytest.mark.parametrize(("text", "found"), [
    ("Ik vind DigiD moeilijk.", ["DigiD"]),
    ("Ik vind formulieren invullen moeilijk.", ["formulieren"]),
    ("Ik vind apps en e-mails moeilijk.", ["apps", "e-mails"]),
    ("Ik vind toeslagen aanvragen moeilijk.", ["toeslagen"]),
    ("Ik vind een appel schillen moeilijk.", []),  # whole words only
    ("Ik vind happen moeilijk.", []),
])
def test_hard_words(text: str, found: list[str]) -> None:
    assert hard_words(text) == found


def test_hard_word_without_uitleg_is_a_warning(folder: Path) -> None:
    path = folder / "sets" / "taalhuis.toml"
    edit(path, 'uitleg = "Met DigiD laat je op internet zien wie je bent."\n', "")
    line = edit(path, 'text = "Ik vind DigiD moeilijk."', 'text = "Ik vind DigiD moeilijk."')
    content = load_content(folder)  # no ContentError: the kiosk runs
    assert content.statement_text("digid") == "Ik vind DigiD moeilijk."
    assert len(content.warnings) == 1, content.warnings
    warning = content.warnings[0]
    assert warning.startswith(f'{path}:{line}: statement "digid": moeilijk woord "DigiD" zonder '
                              "uitleg"), warning
    assert 'Oplossing: zet onder de text een regel uitleg = "..."' in warning


def test_every_hard_word_statement_without_uitleg_is_named(folder: Path) -> None:
    path = folder / "sets" / "taalhuis.toml"
    edit(path, 'text = "Ik vind een kaartje schrijven moeilijk."',
         'text = "Ik vind wachtwoorden en pincodes moeilijk."')
    warnings = load_content(folder).warnings
    assert len(warnings) == 1
    assert ('statement "kaartje-schrijven": moeilijke woorden "wachtwoorden", "pincodes"'
            in warnings[0])


def test_kiosk_check_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "sets").mkdir(parents=True)
    shutil.copy(DEFAULT / "sets" / "taalhuis.toml", mine / "sets" / "taalhuis.toml")
    edit(mine / "sets" / "taalhuis.toml",
         'uitleg = "Bankzaken zijn dingen die je met je bank regelt, zoals geld overmaken."\n',
         "")
    result = run_kiosk("check", str(mine))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("inhoud in orde: 15 stellingen"), result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "1 waarschuwing in de inhoud (de kiosk werkt wel)."
    assert str(mine / "sets" / "taalhuis.toml") in lines[0]
    assert 'statement "bankieren": moeilijk woord "bankzaken"' in lines[0]
    assert 'uitleg = "..."' in lines[0]


def test_kiosk_check_of_the_default_content_has_no_warnings() -> None:
    result = run_kiosk("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip().splitlines() == [summary(load_content(DEFAULT))]


# -- partners and signals (staff log conversations and signals) ----------------------------


def test_default_partners_and_signals() -> None:
    content = load_content(DEFAULT)
    assert {"schuldhulp", "welzijn", "huisarts", "digitaal-hulpplein",
            "informatiepunt"} <= set(content.partners)
    assert content.partners["digitaal-hulpplein"].name == "Digitaal Hulpplein"
    assert content.partners["informatiepunt"].name == (
        "Informatiepunt Digitale Overheid in de bibliotheek")
    for partner in content.partners.values():
        assert partner.name, partner
        assert len(partner.line) <= 80, partner
        assert partner.line.endswith("."), partner
    assert {k: s.name for k, s in content.signals.items() if k in (
        "website-gemeente", "vragen-ingewikkelder", "geldzorgen", "digid-problemen",
        "brief-gemeente")} == {
        "website-gemeente": "Website van de gemeente te moeilijk",
        "vragen-ingewikkelder": "Vragen worden ingewikkelder",
        "geldzorgen": "Geldzorgen",
        "digid-problemen": "Problemen met DigiD",
        "brief-gemeente": "Brief van de gemeente niet begrepen",
    }
    assert 6 <= len(content.signals) <= 8
    assert OTHER_SIGNAL not in content.signals  # the kiosk adds "Anders" itself
    assert all(s.id == key for key, s in content.signals.items())
    assert list(content.partners)[0] == "schuldhulp"  # the file's order is kept


def test_partners_and_signals_are_optional_in_a_coordinators_folder(tmp_path: Path,
                                                                    folder: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "library.toml").write_text('[library]\nname = "Oost"\n', encoding="utf-8")
    layered = load_content(DEFAULT, mine)  # the bundled default applies
    assert layered.partners == load_content(DEFAULT).partners
    assert layered.signals == load_content(DEFAULT).signals
    (folder / "partners.toml").unlink()
    (folder / "signals.toml").unlink()
    alone = load_content(folder)  # a folder on its own without them: none, no problem
    assert alone.partners == {}
    assert alone.signals == {}


def test_a_coordinators_partners_replace_the_default(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "partners.toml").write_text(
        '[[partner]]\nid = "voedselbank"\nname = "Voedselbank Oost"\n'
        'line = "Eten als je even te weinig geld hebt."\n', encoding="utf-8")
    (mine / "signals.toml").write_text('[[signal]]\nid = "huur"\nname = "Huur te hoog"\n',
                                       encoding="utf-8")
    content = load_content(DEFAULT, mine)
    assert list(content.partners) == ["voedselbank"]
    assert content.partners["voedselbank"] == Partner(
        "voedselbank", "Voedselbank Oost", "Eten als je even te weinig geld hebt.")
    assert content.signals == {"huur": SignalKind("huur", "Huur te hoog")}
    assert str(mine / "partners.toml") in content.sources


@pytest.mark.parametrize(("file", "old", "new", "words"), [
    ("partners.toml", 'id = "huisarts"', 'id = "welzijn"',
     ['partner "welzijn": id "welzijn" staat er twee keer', "Oplossing: geef ze elk een eigen id"]),
    ("signals.toml", 'id = "eenzaamheid"', 'id = "geldzorgen"',
     ['signal "geldzorgen": id "geldzorgen" staat er twee keer', "een eigen id"]),
    ("signals.toml", 'name = "Eenzaamheid"', 'name = "Geldzorgen"',
     ['signal "eenzaamheid": name "Geldzorgen" staat er twee keer', "een eigen name"]),
    ("signals.toml", 'id = "geldzorgen"', 'id = "anders"',
     ['signal "anders": de id "anders" is al de eigen knop "Anders" van de kiosk',
      "geef het een andere id"]),
    ("signals.toml", 'name = "Geldzorgen"', 'name = "Anders"',
     ['de naam "Anders" is al de eigen knop van de kiosk', "zegt wat je hoorde"]),
    ("signals.toml", 'id = "geldzorgen"', 'id = "Geld zorgen"',
     ['id "Geld zorgen" mag alleen kleine letters', 'gebruik bijvoorbeeld "geld-zorgen"']),
    ("partners.toml", 'id = "huisarts"', 'id = "Huisarts"', ['gebruik bijvoorbeeld "huisarts"']),
    ("signals.toml", 'name = "Geldzorgen"', 'name = "' + "Geldzorgen " * 6 + '"',
     ["name is te lang (65 tekens, hooguit 60)", "knop voor medewerkers"]),
    ("partners.toml", 'name = "Huisarts"', 'name = "' + "Huisarts " * 7 + '"',
     ["name is te lang (62 tekens, hooguit 60)"]),
    ("partners.toml", 'line = "Voor vragen over je gezondheid en je medicijnen."',
     'line = "' + "Voor vragen over je gezondheid. " * 3 + '"',
     ["line is te lang (95 tekens, hooguit 80)", "maak er één korte zin van"]),
    ("partners.toml", 'name = "Huisarts"', 'name = ""', ['partner "huisarts": name is leeg']),
    ("partners.toml", 'name = "Huisarts"', 'naam = "Huisarts"',
     ['onbekend veld "naam"', 'bedoel je "name"?']),
    ("signals.toml", 'name = "Geldzorgen"', 'name = "Geld\\u200bzorgen"',
     ["name bevat een verborgen teken (U+200B)"]),
    ("signals.toml", 'name = "Geldzorgen"', 'name = 3',
     ["name moet tekst tussen dubbele aanhalingstekens zijn"]),
])
def test_bad_partner_or_signal(folder: Path, file: str, old: str, new: str,
                               words: list[str]) -> None:
    line = edit(folder / file, old, new)
    report = problems(folder)
    assert f"{folder / file}:{line}:" in report, report
    assert "Oplossing: " in report
    for word in words:
        assert word in report, report


def test_a_partner_without_a_line_is_reported(folder: Path) -> None:
    line = edit(folder / "partners.toml", 'line = "Voor vragen over je gezondheid en je '
                'medicijnen."\n', "")
    assert_reported(folder, "partners.toml", line - 3, 'partner "huisarts"', "line ontbreekt",
                    'voeg hier een regel line = "..." toe')


@pytest.mark.parametrize("file", ["partners.toml", "signals.toml"])
def test_partner_and_signal_files_are_lists_of_tables(folder: Path, file: str) -> None:
    kind = file.removesuffix("s.toml")
    (folder / file).write_text(f'[{kind}]\nid = "x"\nname = "X"\n', encoding="utf-8")
    assert_reported(folder, file, 1, f"{kind} moet een lijst van tabellen zijn", f"[[{kind}]]")
    (folder / file).write_text("# nothing here yet\n", encoding="utf-8")
    assert_reported(folder, file, None, "het bestand is leeg", "vul het in")


def test_a_stack_of_accent_marks_in_content_text_is_reported(folder: Path) -> None:
    line = edit(folder / "signals.toml", 'name = "Geldzorgen"',
                'name = "Geldzo\\u0301\\u0302\\u0303\\u0304rgen"')
    assert_reported(folder, "signals.toml", line, 'signal "geldzorgen"',
                    "name heeft een letter met 4 accenten op elkaar", "hooguit één accent")
    edit(folder / "signals.toml", "Geldzo\\u0301\\u0302\\u0303\\u0304rgen",
         "Geldzo\\u0301rgen")  # one accent (decomposed) is fine
    assert load_content(folder).signals["geldzorgen"].name == "Geldzo\u0301rgen"


def test_snapshot_keeps_partners_and_signals() -> None:
    content = load_content(DEFAULT)
    data = json.loads(json.dumps(content_to_dict(content)))
    assert data["partners"]["huisarts"] == {"id": "huisarts", "name": "Huisarts",
                                            "line": content.partners["huisarts"].line}
    assert data["signals"]["geldzorgen"] == {"id": "geldzorgen", "name": "Geldzorgen"}
    back = content_from_dict(data)
    assert back == content
    assert list(back.signals) == list(content.signals)


def test_an_old_snapshot_without_partners_and_signals_still_loads() -> None:
    data = content_to_dict(load_content(DEFAULT))
    del data["partners"], data["signals"]
    old = content_from_dict(data)
    assert old.partners == {}
    assert old.signals == {}
    assert old.courses == load_content(DEFAULT).courses


def test_kiosk_check_checks_partners_and_signals(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "signals.toml").write_text('[[signal]]\nid = "anders"\nname = "Iets anders"\n',
                                       encoding="utf-8")
    result = run_kiosk("check", str(mine))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert f'{mine / "signals.toml"}:2: signal "anders": de id "anders"' in result.stderr
    (mine / "signals.toml").write_text('[[signal]]\nid = "huur"\nname = "Huur te hoog"\n',
                                       encoding="utf-8")
    result = run_kiosk("check", str(mine))
    assert result.returncode == 0, result.stderr
    assert "8 partners, 1 signaal, 5 aanpakken (uit" in result.stdout
