"""Every way in takes a place name by the one rulebook (kiosk.core.rules), issue 17.

The command line's ``--location``, ``locations.toml`` (content loading and ``kiosk
check``) and the staff start screen (typing a new place) accept exactly the names
``rules.name_problem`` accepts, and keep them as ``rules.clean_text`` makes them: so
whatever the kiosk can store, the merge (which checks by the same rulebook) accepts.
Content text refuses what the rulebook refuses in any text (U+FFFF, controls); the
start screen warns staff about a laptop clock that cannot be right.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk import paths
from kiosk.app import apply_theme
from kiosk.cli import build_parser
from kiosk.core import rules
from kiosk.core.content import ContentError, load_content
from kiosk.core.model import Content
from kiosk.gui.staff import StaffStartScreen
from kiosk.gui.theme import Theme
from tests.conftest import ROOT, run_kiosk

DEFAULT = paths.default_content_dir()
PRINTERS = ["HP_LaserJet_M404"]

#: Characters that each break something somewhere: markup, XML-invalid, controls, lone
#: surrogates, spaces that are not the plain one, accents to stack, a quote for TOML.
NASTY = ("<", ">", "\uffff", "\ufffe", "\ud800", "\udfff", "\x00", "\x07", "\x1b", "\t",
         "\n", "\r", "\x85", "\u00a0", "\u2028", "\u200b", "\u202e", "\ue000", "\u0301",
         "\u0302", "\u0303", "\u0323", " ", '"', "\\", "=", "-", "é", "ệ", "\U0001f600",
         "\u0378")
#: Any code point (surrogates too), or one of the nasty ones, often.
CHARS = st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY))
#: Short names, and names around the 60-character limit (a long plain start).
NAMES = st.one_of(
    st.text(CHARS, max_size=12),
    st.builds(lambda n, tail: "a" * n + tail, st.integers(50, 66), st.text(CHARS, max_size=6)),
    st.builds(lambda head, n: head + "b" * n, st.text(CHARS, max_size=6), st.integers(50, 66)),
)


def allowed(name: str) -> bool:
    return rules.name_problem(name) is None


# -- the command line ----------------------------------------------------------


def parse_location(name: str) -> tuple[str | None, str]:
    """``kiosk run --location=NAME`` parsed as the command line does: (the stored name,
    or None when refused; what argparse said on stderr)."""
    err = io.StringIO()
    code = None
    with contextlib.redirect_stderr(err):
        try:
            args = build_parser().parse_args(["run", f"--location={name}"])
        except SystemExit as exit_:
            code = exit_.code
    if code is not None:
        assert code == 2  # a refused argument
        return None, err.getvalue()
    return args.location, err.getvalue()


def test_a_location_of_61_characters_is_refused_in_dutch() -> None:
    result = run_kiosk("run", "--location", "x" * 61, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Te lang: 61 tekens. Het mag 60 tekens zijn." in result.stderr
    assert "Kies een kortere naam" in result.stderr
    assert parse_location("x" * 60)[0] == "x" * 60


@pytest.mark.parametrize(("name", "said"), [
    ("Markt <b>", "Haal de tekens < en > weg."),
    ("Markt\uffff", "(U+FFFF)"),
    ("Markt\u200b Oost", "(U+200B)"),
    ("Z\u0301\u0302\u0303\u0304", "te veel accenten"),
    ("   ", "de naam van de plek is leeg"),
])
def test_a_refused_location_says_why(name: str, said: str) -> None:
    stored, stderr = parse_location(name)
    assert stored is None
    assert said in stderr
    assert "fout: argument --location: " in stderr


def test_a_location_is_stored_clean() -> None:
    assert parse_location("  Weekmarkt\u00a0 Oost\t")[0] == "Weekmarkt Oost"
    assert parse_location("Cafe\u0301")[0] == "Caf\u00e9"  # NFC: the accent joins its letter


# -- content -------------------------------------------------------------------


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string; every character but printable ASCII escaped, so
    the file holds exactly ``text`` (a lone surrogate cannot be written: TOML refuses it)."""
    def escape(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        if " " <= ch <= "~":
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
    return '"' + "".join(map(escape, text)) + '"'


def content_with_location(folder: Path, name: str) -> Content | None:
    """The default content with one location named ``name`` (a folder over the default
    one); None when ``kiosk check`` would refuse it."""
    folder.mkdir(exist_ok=True)
    (folder / "locations.toml").write_text(
        f'[[location]]\nname = {toml_string(name)}\nkind = "markt"\n', encoding="utf-8")
    try:
        return load_content(DEFAULT, folder)
    except ContentError as error:
        problems = error.problems
    assert all("locations.toml" in problem.file for problem in problems), problems
    return None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the default content to break."""
    return Path(shutil.copytree(DEFAULT, tmp_path / "content"))


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path`` by ``new``; the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_kiosk_check_names_file_line_and_fix_for_markup_in_a_place(folder: Path) -> None:
    line = replace_in(folder / "locations.toml", 'name = "Zwembad"', 'name = "Markt <b>"')
    result = run_kiosk("check", str(folder), timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (f'locations.toml:{line}: location "Markt <b>": name heeft het teken < of >'
            in result.stderr)
    assert "Oplossing: haal de tekens < en > weg uit de naam" in result.stderr


def test_kiosk_check_refuses_a_place_name_over_60_characters(folder: Path) -> None:
    line = replace_in(folder / "locations.toml", 'name = "Zwembad"', f'name = "{"z" * 61}"')
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (line, "name is te lang (61 tekens, hooguit 60)")]


def test_kiosk_check_refuses_u_ffff_in_a_statement(folder: Path) -> None:
    statements = folder / "sets" / "taalhuis.toml"
    text = statements.read_text(encoding="utf-8")
    first = text[text.index('text = "') + 8:].split('"', 1)[0]
    line = replace_in(statements, first, first[:5] + "\uffff" + first[5:])
    result = run_kiosk("check", str(folder), timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"taalhuis.toml:{line}: " in result.stderr
    assert "text bevat een ongeldig teken (U+FFFF)" in result.stderr
    assert "Oplossing: haal het weg" in result.stderr


@pytest.mark.parametrize("char", ["\ufffe", "\ue000", "\u2028", "\x1f"])
def test_content_text_refuses_what_the_rulebook_refuses(folder: Path, char: str) -> None:
    escaped = f"\\u{ord(char):04x}"  # as a TOML escape: a raw control is a TOML error
    line = replace_in(folder / "courses.toml", 'line = "', f'line = "Kort{escaped}')
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    [problem] = caught.value.problems
    assert problem.line == line
    assert problem.message.startswith("line bevat een ")
    assert f"U+{ord(char):04X}" in problem.message or "nieuwe regel" in problem.message


def test_a_no_break_space_in_content_is_made_a_plain_space(folder: Path) -> None:
    """Pasted from a word processor: invisible, so cleaned instead of refused."""
    text = (folder / "courses.toml").read_text(encoding="utf-8")
    original = text[text.index('line = "') + 8:].split('"', 1)[0]
    replace_in(folder / "courses.toml", original, original.replace(" ", "\u00a0", 1))
    replace_in(folder / "locations.toml", 'name = "Zwembad"', 'name = "Zwem\u00a0 bad "')
    content = load_content(folder)
    assert original in [course.line for course in content.courses.values()]
    assert "Zwem bad" in [location.name for location in content.locations]


def test_the_shipped_content_passes() -> None:
    result = run_kiosk("check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert all(rules.name_problem(loc.name) is None and loc.name == rules.clean_text(loc.name)
               for loc in load_content(DEFAULT).locations)


# -- the start screen ----------------------------------------------------------


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)
    return Theme.load(paths.ui_dir())


@pytest.fixture
def content() -> Content:
    return load_content(DEFAULT)


def start_screen(qtbot, theme: Theme, content: Content, **kwargs) -> StaffStartScreen:
    screen = StaffStartScreen(content, PRINTERS, theme, paths.pictogram_dir(), **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible(), button.objectName()
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_keyboard_says_when_a_new_place_is_too_long(qtbot, theme, content) -> None:
    screen = start_screen(qtbot, theme, content)
    click(qtbot, screen.locations.buttons[""])  # Nieuwe plek…: the keyboard opens
    entry = screen.entry
    assert entry.isVisible()
    for _ in range(rules.MAX_NAME):
        entry.keyboard.press("m")
    assert entry.counter.text() == "Nog 0 tekens"
    assert not entry.warning.isVisible()
    click(qtbot, entry.keyboard.keys["m"])  # one more key: not typed, and said
    assert len(screen.new_location.text()) == 60
    assert entry.warning.text() == "Nog 0 tekens over. Er past niets meer bij."
    entry.field.insert("m")  # a physical keyboard or a paste: kept whole, and said
    assert len(screen.new_location.text()) == 61
    assert entry.counter.text() == "1 teken te veel"
    assert entry.warning.text() == "Te lang: 61 tekens. Het mag 60 tekens zijn."
    click(qtbot, entry.keyboard.keys["done"])
    assert entry.isVisible()  # "Klaar" waits until the name may be stored
    assert not screen.start_button.isEnabled()
    assert screen.problem.text() == "Te lang: 61 tekens. Het mag 60 tekens zijn."
    click(qtbot, entry.keyboard.keys["backspace"])
    assert entry.counter.text() == "Nog 0 tekens"
    assert not entry.warning.isVisible()
    with qtbot.waitSignal(entry.done, timeout=1000):
        click(qtbot, entry.keyboard.keys["done"])
    assert not entry.isVisible()
    assert screen.start_button.isEnabled()
    assert screen.settings().location == "m" * 60


def test_a_pasted_name_is_not_cut_without_a_word(qtbot, theme, content) -> None:
    screen = start_screen(qtbot, theme, content)
    click(qtbot, screen.locations.buttons[""])
    screen.entry.hide()
    screen.new_location.setText("Markt <b>" + "x" * 70)  # a physical keyboard, pasted
    assert len(screen.new_location.text()) == 79  # nothing cut silently
    assert screen.problem.text() == "Te lang: 79 tekens. Het mag 60 tekens zijn."
    screen.new_location.setText("Markt <b>")
    assert screen.problem.text() == "Haal de tekens < en > weg."
    assert not screen.start_button.isEnabled()
    screen.open_keyboard()
    assert screen.entry.warning.text() == "Haal de tekens < en > weg."


def test_the_start_screen_accepts_exactly_the_rulebooks_names(qtbot, theme, content) -> None:
    screen = start_screen(qtbot, theme, content)
    click(qtbot, screen.locations.buttons[""])
    screen.entry.hide()
    known = {loc.name.casefold(): loc.name for loc in content.locations}

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(name=NAMES)
    def check(name: str) -> None:
        screen.new_location.setText(name)
        typed = screen.new_location.text()  # Qt cannot hold a lone surrogate: it drops it
        if not any("\ud800" <= ch <= "\udfff" for ch in name):
            assert typed == name
        accepted = screen.start_button.isEnabled()
        assert accepted == allowed(typed), (name, screen.problem.text())
        if accepted:
            cleaned = rules.clean_text(typed)
            assert screen.settings().location == known.get(cleaned.casefold(), cleaned)
        else:
            assert screen.settings() is None
            assert screen.problem.text() in (rules.name_problem(typed), "Typ de naam van de plek.")

    check()


# -- all ways in at once --------------------------------------------------------


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_the_command_line_and_content_accept_exactly_the_rulebooks_names(
        tmp_path: Path, name: str) -> None:
    """The same names, and the same stored form, by every way in that reads text."""
    expected = rules.clean_text(name) if allowed(name) else None
    assert parse_location(name)[0] == expected
    loaded = content_with_location(tmp_path / "over", name)
    if expected is None:
        assert loaded is None
    else:
        assert loaded is not None
        assert [loc.name for loc in loaded.locations] == [expected]
        assert rules.stored_text_ok(expected)  # what the merge's row check asks of a name


# -- the clock -----------------------------------------------------------------


def test_staff_see_a_clock_reset_to_2000_on_the_start_screen(qtbot, theme, content,
                                                            caplog) -> None:
    now = [datetime(2000, 1, 1, 10, 0)]
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        screen = start_screen(qtbot, theme, content, clock=lambda: now[0])
    assert screen.clock_notice.isVisible()
    assert screen.clock_notice.text().startswith("De klok van deze laptop staat op 1 januari "
                                                 "2000. Zet de datum en tijd goed")
    assert screen.clock_notice.accessibleName() == screen.clock_notice.text()
    logged = [r for r in caplog.records if getattr(r, "notice", None)]
    assert [r.notice for r in logged] == [screen.clock_notice.text()]  # once, for Meldingen
    assert "2000-01-01T10:00" in logged[0].getMessage()

    now[0] = datetime(2026, 5, 4, 9, 30)  # staff set the clock; the next session is fine
    screen.hide()
    screen.show()
    assert not screen.clock_notice.isVisible()


def test_a_clock_behind_the_newest_day_is_named(qtbot, theme, content) -> None:
    screen = start_screen(qtbot, theme, content, clock=lambda: datetime(2024, 3, 1, 9, 0),
                          newest_day=date(2026, 5, 4))
    assert screen.clock_notice.isVisible()
    assert "1 maart 2024" in screen.clock_notice.text()
    assert "4 mei 2026" in screen.clock_notice.text()
    fine = start_screen(qtbot, theme, content)  # the real clock of this machine
    assert not fine.clock_notice.isVisible()


#: libfaketime (Debian faketime, in scripts/system-deps.sh): the clock of one process.
FAKETIME_LIB = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
#: The real start of ``kiosk run`` (kiosk.app.start) up to the staff screens; prints what
#: the start screen says about the clock and what reached Meldingen.
REAL_START = """
import json, logging, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from kiosk.app import Options, start
from kiosk.core.pin import PinStore
from kiosk.logs import NoticeHandler, Notices
data = Path(sys.argv[1])
PinStore(data / "staff.json").set_pin("480263")
notices = Notices()
logging.getLogger("kiosk").addHandler(NoticeHandler(notices))  # as kiosk.logs.setup does
started = start(Options(data_dir=data, windowed=True, speech=False), notices)
app = QApplication.instance()
while not started.shell.attached:
    app.processEvents()
screen = started.shell.start_screen
print(json.dumps({"shown": not screen.clock_notice.isHidden(), "text": screen.clock_notice.text(),
                  "notices": [notice.text for notice in notices.newest_first()]}))
started.shell.kiosk_mode = False
started.shell.close()
started.stop()
"""


def test_the_real_kiosk_warns_when_the_laptop_clock_says_2000(tmp_path: Path) -> None:
    """The kiosk as ``kiosk run`` builds it, its clock set to 1 January 2000 by libfaketime."""
    assert FAKETIME_LIB.exists(), "apt-get install faketime (scripts/system-deps.sh)"
    env = dict(os.environ, LD_PRELOAD=str(FAKETIME_LIB), FAKETIME="@2000-01-01 10:00:00",
               FAKETIME_DONT_FAKE_MONOTONIC="1", QT_QPA_PLATFORM="offscreen")
    (tmp_path / "data").mkdir(exist_ok=True)
    result = subprocess.run([sys.executable, "-c", REAL_START, str(tmp_path / "data")],
                            capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["shown"]
    assert seen["text"].startswith("De klok van deze laptop staat op 1 januari 2000.")
    assert seen["text"] in seen["notices"]  # logged: in the log file and in Meldingen


def test_location_arg_is_the_command_lines_type() -> None:
    """Both commands that start a kiosk (run and simulate) check --location."""
    parser = build_parser()
    for command in ("run", "simulate"):
        with contextlib.redirect_stderr(io.StringIO()), pytest.raises(SystemExit):
            parser.parse_args([command, "--location=<b>"])
    assert isinstance(parser, argparse.ArgumentParser)
