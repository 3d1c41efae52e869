"""The command line as a coordinator uses it: real processes, real files."""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sqlite3
from pathlib import Path

from kiosk.cli import COMMANDS, build_parser
from tests.conftest import run_kiosk


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_every_command_has_help_text() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert set(helps) == set(COMMANDS)
    assert all(helps.values())
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.dest != "help" and action.option_strings:
                assert action.help or action.dest == "help", f"{name} {action.option_strings}"


def test_check_summarises_good_content_in_one_line() -> None:
    result = run_kiosk("check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("inhoud in orde: 15 stellingen")


def test_check_names_the_file_and_the_fix_for_bad_content(tmp_path: Path) -> None:
    folder = tmp_path / "mijn-inhoud"
    folder.mkdir()
    (folder / "courses.toml").write_text(
        '[[course]]\nid = "taalhuis"\nname = "Taalhuis"\nline = "Hulp."\n'
        'url = "javascript:alert(1)"\npictogram = "books"\n',
        encoding="utf-8",
    )
    result = run_kiosk("check", str(folder))
    assert result.returncode == 1
    no_traceback(result)
    assert "courses.toml:5" in result.stderr
    assert "https://" in result.stderr


def test_run_without_a_display_says_how_to_proceed() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "kiosk", "run"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "xvfb-run" in result.stderr


def test_bad_dates_and_missing_database_get_clear_messages(tmp_path: Path) -> None:
    result = run_kiosk("export", "-o", str(tmp_path / "x.csv"), "--since", "28-11-2026")
    assert result.returncode == 2
    assert "JJJJ-MM-DD" in result.stderr
    result = run_kiosk("export", "-o", str(tmp_path / "x.csv"), "--data-dir", str(tmp_path / "no"))
    assert result.returncode == 2
    assert "geen database" in result.stderr
    no_traceback(result)


def _simulate(data: Path, visits: int, seed: int, location: str):
    result = run_kiosk("simulate", "--visits", str(visits), "--seed", str(seed),
                       "--size", "1366x768", "--location", location, "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return result


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    conn.close()
    return count


def test_simulate_merge_export_and_backup_end_to_end(tmp_path: Path) -> None:
    laptop_a, laptop_b = tmp_path / "a", tmp_path / "b"
    out = _simulate(laptop_a, 3, 1, "Weekmarkt").stdout
    assert "gesimuleerd: 3 bezoeken, 9 antwoorden" in out
    assert "tik tot ingedrukte knop" in out
    assert "p95" in out
    _simulate(laptop_b, 2, 2, "=Zwembad")  # a location name that looks like a formula

    merged = run_kiosk("merge", str(laptop_b / "kiosk.db"), "--data-dir", str(laptop_a))
    assert merged.returncode == 0, merged.stderr
    again = run_kiosk("merge", str(laptop_b / "kiosk.db"), "--data-dir", str(laptop_a))
    assert again.returncode == 0, again.stderr
    assert _count(laptop_a / "kiosk.db", "visit") == 5
    assert _count(laptop_a / "kiosk.db", "answer") == 15  # 5 visits of 3 statements

    csv_path = tmp_path / "tallies.csv"
    exported = run_kiosk("export", "--format", "csv", "-o", str(csv_path),
                         "--data-dir", str(laptop_a))
    assert exported.returncode == 0, exported.stderr
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["plek", "datum", "stelling", "tekst"]
    locations = {row[0] for row in body}
    assert locations == {"Weekmarkt", "'=Zwembad"}
    total = header.index("totaal")
    assert sum(int(row[total]) for row in body) == 15

    backup = tmp_path / "backup.db"
    made = run_kiosk("backup", "-o", str(backup), "--data-dir", str(laptop_a))
    assert made.returncode == 0, made.stderr
    assert _count(backup, "answer") == 15
    refused = run_kiosk("backup", "-o", str(backup), "--data-dir", str(laptop_a))
    assert refused.returncode == 1
    no_traceback(refused)


def test_merge_of_a_file_that_is_not_a_kiosk_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "foto.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = run_kiosk("merge", str(junk), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    no_traceback(result)
    assert f"{junk}: OVERGESLAGEN: het is geen leesbare database van de kiosk" in result.stdout


def test_self_test_passes_on_this_machine() -> None:
    from tests.sound import virtual_sound_card

    with virtual_sound_card() as card:  # the self-test fails without a sound device
        result = run_kiosk("self-test", env=card.env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("zelftest geslaagd:")
    assert "gmw/nl" in result.stdout


def test_run_paints_its_first_screen_and_can_be_told_to_quit() -> None:
    """The start-up benchmark's hook: the real `kiosk run`, offscreen, quits when all is built."""
    result = run_kiosk("run", "--windowed", "--location", "Test",
                       env={"QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_PAINT": "1"},
                       timeout=60)
    assert result.returncode == 0, result.stderr
    # the PIN pad paints first; content, database, speech and staff screens come after
    assert result.stdout.split() == ["first-paint", "ready"]


def test_speech_commands_say_and_render_with_the_cache(tmp_path: Path) -> None:
    import wave

    short, long = tmp_path / "kort.wav", tmp_path / "lang.wav"
    assert run_kiosk("speech", "say", "Ik vind DigiD lastig.", "-o", str(short)).returncode == 0
    text = " ".join(["Dit is een zin over de bibliotheek."] * 6)
    assert run_kiosk("speech", "say", text, "-o", str(long)).returncode == 0
    with wave.open(str(short)) as a, wave.open(str(long)) as b:
        assert b.getnframes() > 4 * a.getnframes()
    first = run_kiosk("speech", "render")
    assert first.returncode == 0, first.stderr
    second = run_kiosk("speech", "render")
    assert second.returncode == 0, second.stderr
    assert " 0 nieuw gemaakt" in second.stdout, second.stdout
    voices = run_kiosk("speech", "voices")
    assert any(line.startswith("*") and "gmw/nl" in line for line in voices.stdout.splitlines())


def _commands(parser):
    """(name, parser) of every command and sub-command, e.g. ("speech say", ...)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subparsers:
        for name, sub in action.choices.items():
            yield name, sub
            for inner, deeper in _commands(sub):
                yield f"{name} {inner}", deeper


def test_every_option_with_a_value_has_a_metavar_and_every_command_quiet() -> None:
    for name, sub in _commands(build_parser()):
        if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
            continue  # "speech": its sub-commands carry the options
        for action in sub._actions:
            if action.option_strings and action.nargs != 0:
                assert action.metavar, f"{name} {action.option_strings}"
            if action.option_strings:
                assert action.help, f"{name} {action.option_strings}"
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"-q", "--quiet"} <= options, name


def test_slip_sizes_of_the_parser_are_the_slip_sizes() -> None:
    from kiosk.cli.printing import SIZES
    from kiosk.gui.slip import SIZES as SLIP_SIZES

    assert tuple(SLIP_SIZES) == SIZES


def test_building_the_parser_loads_no_qt() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom kiosk.cli import build_parser\nbuild_parser()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_kiosk_run_parses_without_loading_the_other_commands() -> None:
    """The kiosk's own start pays only for ``run``'s parser before its first screen
    paints (docs/benchmarks.md, start-up): no other command's module, no content model."""
    import subprocess
    import sys

    code = ("import sys\nfrom kiosk.cli import build_parser\n"
            "build_parser(only_run=True).parse_args(['run', '--windowed'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('kiosk.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    loaded = set(eval(result.stdout))  # noqa: S307 - our own subprocess's list
    assert loaded <= {"kiosk.cli", "kiosk.cli.common", "kiosk.cli.kiosk", "kiosk.core",
                      "kiosk.core.rules", "kiosk.paths"}, loaded


def test_location_help_says_how_to_write_a_place_with_a_minus_sign() -> None:
    for command in ("run", "simulate", "export", "report"):
        result = run_kiosk(command, "--help")
        assert "--location=-2+3" in " ".join(result.stdout.split()), command


def test_export_with_no_rows_warns_and_quiet_prints_nothing(tmp_path: Path) -> None:
    from kiosk.core.store import Store

    data = tmp_path / "data"
    data.mkdir()
    Store.open(data / "kiosk.db").close()
    out = tmp_path / "leeg.csv"
    result = run_kiosk("export", "-o", str(out), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "geen antwoorden gevonden" in result.stderr
    assert out.read_text(encoding="utf-8-sig").count("\n") == 1  # the header only
    quiet = run_kiosk("export", "-q", "-o", str(out), "--data-dir", str(data))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""
    assert quiet.stderr == ""


# -- one language: Dutch -------------------------------------------------------------------

#: Common English words that must not come back in what a coordinator reads (lowercase,
#: as whole words: "default_set", a name the coordinator types, does not count).
ENGLISH = ("the", "folder", "file", "use", "default", "with", "and", "must", "usage:",
           "error:", "options:", "positional arguments", "show this help", "not found",
           "unknown", "missing", "too long", "write", "fix:", "print only")


def _english_in(text: str, names: set[str]) -> list[str]:
    """The words of :data:`ENGLISH` in ``text`` once ``names`` (option names, metavars,
    command names, choices: what the user types) are taken out."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = " ".join(text.lower().split())
    return [word for word in ENGLISH
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def _typed_names(parser: argparse.ArgumentParser) -> set[str]:
    names = {parser.prog, *COMMANDS}
    for action in parser._actions:
        names.update(action.option_strings)
        if isinstance(action.metavar, str):
            names.add(action.metavar)
        names.update(str(choice) for choice in action.choices or ())
        names.add(action.dest)
    return names


def test_the_help_of_every_command_is_dutch() -> None:
    parser = build_parser()
    helps = [("kiosk", parser)] + [(f"kiosk {name}", sub) for name, sub in _commands(parser)]
    assert len(helps) > len(COMMANDS)  # "speech" has sub-commands of its own
    for name, each in helps:
        text = each.format_help()
        assert text.startswith("gebruik: "), name
        assert "opties:" in text, name
        assert _english_in(text, _typed_names(each)) == [], f"{name}:\n{text}"


def test_argparse_errors_are_dutch(tmp_path: Path) -> None:
    cases = [("export",), ("export", "-o", "x.csv", "--since", "gisteren"),
             ("slip", "-o", str(tmp_path), "--size", "a5"), ("simulate", "--visits", "veel"),
             ("backup", "-o", "x.db", "--extra"), ("bestaat-niet",)]
    for args in cases:
        result = run_kiosk(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "gebruik: kiosk" in result.stderr, result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert ": fout: " in last, last
        assert _english_in(last, _typed_names(build_parser())) == [], last


def test_kiosk_check_speaks_dutch_about_every_kind_of_problem(tmp_path: Path) -> None:
    folder = tmp_path / "inhoud"
    (folder / "sets").mkdir(parents=True)
    (folder / "courses.toml").write_text(
        '[[course]]\nid = "Taal Huis"\nname = "Taalhuis"\nline = "Hulp."\n'
        'url = "http://www.taalhuis.nl"\npictogram = "boeks"\nkleur = "rood"\n',
        encoding="utf-8")
    (folder / "library.toml").write_text('[library\nname = "Bieb"\n', encoding="utf-8")
    (folder / "themes.toml").write_text("", encoding="utf-8")
    (folder / "extra.toml").write_text("x = 1\n", encoding="utf-8")
    (folder / "rules.toml").write_text(
        'default_course = "digisterkr"\n\n[[rule]]\nstatement = "zz"\nanswer = "ja"\n'
        'course = "taalhuis"\n', encoding="utf-8")
    (folder / "locations.toml").write_text('[[location]]\nname = "Markt"\nkind = "marktt"\n',
                                           encoding="utf-8")
    (folder / "sets" / "taalhuis.toml").write_text(
        '[set]\nid = "taalhuis"\nname = "Taalhuis"\nlanguage = "en"\nper_visit = 0\n\n'
        '[[statement]]\nid = "a"\ntext = "Ik vind formulieren niet moeilijk."\n'
        'pictogram = "books"\ntheme = 3\n\n[[statement]]\nid = "a"\ntext = ""\n',
        encoding="utf-8")
    result = run_kiosk("check", str(folder))
    assert result.returncode == 1, result.stdout
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 15, result.stderr
    assert lines[-1] == f"{len(lines) - 1} problemen in de inhoud."
    assert all("Oplossing: " in line for line in lines[:-1]), result.stderr
    assert "Fix:" not in result.stderr
    typed = {str(folder), "default_course", "per_visit", "language", "pictogram", "theme",
             "text", "statement", "course", "location", "library", "rule", "set", "kind"}
    assert _english_in(result.stderr, typed) == [], result.stderr


def test_a_location_from_locations_toml_keeps_its_kind_of_place(tmp_path: Path) -> None:
    """``--location supermarkt`` is the shipped "Supermarkt", kind supermarkt (not anders);
    a place the content does not know stays "anders"."""
    import sqlite3
    from contextlib import closing

    for place, kind in (("supermarkt", "supermarkt"), ("Zwémbad", "zwembad"),
                        ("Ergens  Anders", "anders")):
        data = tmp_path / kind
        result = run_kiosk("simulate", "--visits", "1", "--no-speech", "--location", place,
                           "--data-dir", str(data), env={"QT_QPA_PLATFORM": "offscreen"})
        assert result.returncode == 0, result.stderr
        with closing(sqlite3.connect(data / "kiosk.db")) as conn:
            assert conn.execute("SELECT place_kind FROM session").fetchall() == [(kind,)]
