"""Staff log conversations and signals in one or two taps; a free text is checked first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk import paths
from kiosk.app import Options, apply_theme, load_content
from kiosk.gui.staff.log import NO_NAMES, ConversationScreen, SignalScreen
from kiosk.gui.theme import Theme


@pytest.fixture
def theme(qapp) -> Theme:
    apply_theme(qapp)
    return Theme.load(paths.ui_dir())


@pytest.fixture
def content(data_dir: Path):
    return load_content(Options(data_dir=data_dir), lambda message: None)


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, button) -> None:
    assert button.isVisible(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_conversation_is_one_tap_and_may_carry_topic_and_referral(qtbot, theme, content):
    screen = show(qtbot, ConversationScreen(content, content.statement_set(), theme,
                                            paths.pictogram_dir()))
    with qtbot.waitSignal(screen.logged, timeout=5000) as logged:
        click(qtbot, screen.save_button)  # the quick path: just +1
    assert logged.args == ["", "", ""]
    click(qtbot, screen.topics.buttons["digitaal"])
    partner = next(iter(content.partners.values()))
    screen.scroll.ensureWidgetVisible(screen.referrals.buttons[f"partner:{partner.id}"])
    click(qtbot, screen.referrals.buttons[f"partner:{partner.id}"])
    with qtbot.waitSignal(screen.logged, timeout=5000) as logged:
        click(qtbot, screen.save_button)
    assert logged.args == ["digitaal", "partner", partner.id]
    click(qtbot, screen.referrals.buttons["course:digisterker"])
    assert screen.choice() == ("digitaal", "course", "digisterker")
    screen.reset("Opgeslagen.")
    assert screen.choice() == ("", "", "")
    assert screen.message.text() == "Opgeslagen."


def test_a_signal_is_one_tap(qtbot, theme, content):
    screen = show(qtbot, SignalScreen(content, theme, paths.pictogram_dir()))
    assert list(screen.buttons) == [*content.signals, "anders"]
    with qtbot.waitSignal(screen.logged, timeout=5000) as logged:
        click(qtbot, screen.buttons["geldzorgen"])
    assert logged.args == ["geldzorgen", ""]


def test_anders_takes_a_checked_short_text_and_keeps_it_when_refused(qtbot, theme, content):
    screen = show(qtbot, SignalScreen(content, theme, paths.pictogram_dir()))
    click(qtbot, screen.buttons["anders"])
    entry = screen.entry
    assert screen.writing
    assert NO_NAMES in entry.warning.text()
    assert entry.field.maxLength() > 140  # a longer (pasted) text is not cut: refused
    emitted = []
    screen.logged.connect(lambda *args: emitted.append(args))
    for key in "meneer":  # on the on-screen keys
        click(qtbot, entry.keyboard.keys[key])
    entry.field.insert(" <b>")  # < and > only come from a physical keyboard
    assert screen.draft == "meneer <b>"
    click(qtbot, entry.keyboard.keys["done"])
    assert emitted == []
    assert screen.writing  # refused: the keyboard stays, with the reason
    assert "Haal de tekens < en > weg." in entry.warning.text()
    click(qtbot, entry.back_button)  # back to the list: the text waits for next time
    assert not screen.writing
    assert screen.message.text().startswith("Je tekst bij Anders is nog niet opgeslagen")
    click(qtbot, screen.buttons["anders"])
    assert entry.field.text() == "meneer <b>"
    entry.field.setText("  =1+1   de site   is te moeilijk ")
    with qtbot.waitSignal(screen.logged, timeout=5000) as logged:
        entry.field.returnPressed.emit()
    assert logged.args == ["anders", "=1+1 de site is te moeilijk"]  # the exports neutralise
    assert screen.draft == ""


def test_a_time_out_keeps_the_anders_draft(qtbot, theme, content):
    screen = show(qtbot, SignalScreen(content, theme, paths.pictogram_dir()))
    click(qtbot, screen.buttons["anders"])
    screen.entry.field.setText("Vragen over de energietoeslag")
    screen.timed_out()
    assert not screen.writing
    assert screen.draft == "Vragen over de energietoeslag"
    click(qtbot, screen.buttons["anders"])
    assert screen.entry.field.text() == "Vragen over de energietoeslag"
