"""Every phrase the kiosk prepares is said somewhere; nothing is rendered for nothing."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk import paths
from kiosk.core.content import load_content
from kiosk.speech.phrases import PHRASES, end_screen_items, speakable_items

KIOSK = Path(__file__).resolve().parent.parent / "kiosk"


def test_every_fixed_phrase_is_played_somewhere() -> None:
    phrases_file = KIOSK / "speech" / "phrases.py"
    code = "\n".join(path.read_text(encoding="utf-8") for path in KIOSK.rglob("*.py")
                     if path != phrases_file)
    content = load_content(paths.default_content_dir())
    course = next(iter(content.courses.values()))
    on_end_screen = {key for key, _ in end_screen_items(course, content.library)}
    held = {"eens", "oneens", "weet_niet", "klaar-vroeg"}  # statement screen, held buttons
    held.add("pauze-opslaan")  # the pause screen, as window.PAUSE_KEY (tests/test_voice.py)
    for key in PHRASES:
        quoted = f"[\"']{re.escape(key)}[\"']"
        used = re.search(rf"say_phrase\({quoted}\)|PHRASES\[{quoted}\]", code)
        assert used or key in on_end_screen or key in held, f"phrase {key!r} is never played"


def test_the_end_screen_lines_are_prepared_before_the_session() -> None:
    content = load_content(paths.default_content_dir())
    prepared = dict(speakable_items(content, content.statement_set()))
    for course in content.courses.values():
        for key, text in end_screen_items(course, content.library):
            assert prepared.get(key) == text, key
    for statement in content.statement_set().statements:
        if statement.uitleg:
            assert prepared[f"uitleg-{statement.id}"] == statement.uitleg
