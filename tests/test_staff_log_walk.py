"""A session at the stand with conversations and signals, logged by staff in kiosk mode,
and what the coordinator's exports and report then contain.

The real shell, store and recorder; then the real ``kiosk export`` and ``kiosk report``
as processes, read back with csv, openpyxl and pdftotext.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.gui.shell import STAFF_GRACE_S
from tests.conftest import run_kiosk
from tests.test_shell import click, enter_pin, make_shell, rows, start_at_the_market


def log_from_menu(qtbot, shell) -> None:
    shell.clock.advance(STAFF_GRACE_S + 1)
    shell.ask_for_staff()
    enter_pin(qtbot, shell)
    qtbot.waitUntil(lambda: shell.page == "menu", timeout=10_000)


def saved(qtbot, shell, text: str) -> None:
    qtbot.waitUntil(lambda: text in shell.menu.status.text(), timeout=10_000)


def test_staff_log_conversations_and_signals_and_the_coordinator_sees_them(
        qtbot, qapp, data_dir, tmp_path) -> None:
    maker = make_shell(qtbot, qapp, data_dir)
    shell = next(maker)
    try:
        start_at_the_market(qtbot, shell)
        log_from_menu(qtbot, shell)

        click(qtbot, shell.menu.buttons["conversation_requested"])
        assert shell.page == "conversation"
        click(qtbot, shell.conversation.save_button)  # two taps: Gesprek +1, Opslaan
        saved(qtbot, shell, "Deze sessie: 1 gesprek, 0 signalen.")
        assert shell.page == "menu"

        click(qtbot, shell.menu.buttons["conversation_requested"])
        click(qtbot, shell.conversation.topics.buttons["geld"])
        shell.conversation.scroll.ensureWidgetVisible(
            shell.conversation.referrals.buttons["partner:schuldhulp"])
        click(qtbot, shell.conversation.referrals.buttons["partner:schuldhulp"])
        click(qtbot, shell.conversation.save_button)
        saved(qtbot, shell, "Deze sessie: 2 gesprekken, 0 signalen.")

        click(qtbot, shell.menu.buttons["signal_requested"])
        click(qtbot, shell.signals.buttons["geldzorgen"])  # two taps
        saved(qtbot, shell, "2 gesprekken, 1 signaal.")

        click(qtbot, shell.menu.buttons["signal_requested"])
        click(qtbot, shell.signals.buttons["anders"])
        shell.signals.entry.field.setText("=HYPERLINK(\"x\") energietoeslag <b>vragen</b>")
        click(qtbot, shell.signals.entry.keyboard.keys["done"])
        assert shell.page == "signal"  # markup refused: the keyboard stays with the reason
        assert "Haal de tekens < en > weg." in shell.signals.entry.warning.text()
        shell.signals.entry.field.setText("=HYPERLINK(\"x\") vragen over energietoeslag")
        click(qtbot, shell.signals.entry.keyboard.keys["done"])
        saved(qtbot, shell, "2 gesprekken, 2 signalen.")

        # the quick bar: the menu closed, so the corner gesture asks for the PIN first
        click(qtbot, shell.menu.back_button)
        assert shell.page == "kiosk"
        shell.gesture_hold_ms = 200
        QTest.mousePress(shell.window.attract, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        qtbot.waitUntil(lambda: shell.page == "pin", timeout=5000)
        QTest.mouseRelease(shell.window.attract, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        enter_pin(qtbot, shell)
        qtbot.waitUntil(lambda: shell.strip.isVisible(), timeout=10_000)
        assert shell.page == "kiosk"
        click(qtbot, shell.strip.conversation)
        click(qtbot, shell.conversation.save_button)
        qtbot.waitUntil(lambda: shell.page == "kiosk", timeout=10_000)  # back to the stand
        assert "3 gesprekken, 2 signalen." in shell.strip.message.text()
        qtbot.waitUntil(lambda: len(rows(shell.recorder_path,
                                         "SELECT * FROM conversation")) == 3, timeout=10_000)
    finally:
        for _ in maker:
            pass

    db = data_dir / "kiosk.db"
    assert rows(db, "SELECT topic, referred_kind, referred_to FROM conversation ORDER BY rowid") \
        == [("", "", ""), ("geld", "partner", "schuldhulp"), ("", "", "")]
    assert rows(db, "SELECT kind FROM signal ORDER BY rowid") == [("geldzorgen",), ("anders",)]

    out = tmp_path / "uit"
    out.mkdir()
    exported = run_kiosk("export", "--format", "csv", "-o", str(out / "stellingen.csv"),
                         "--data-dir", str(data_dir))
    assert exported.returncode == 0, exported.stderr
    signals = (out / "stellingen-signalen.csv").read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(signals), delimiter=";"))
    flat = [cell for row in table for cell in row]
    assert "Geldzorgen" in flat
    assert "'=HYPERLINK(\"x\") vragen over energietoeslag" in flat  # neutralised, literal
    conversations = (out / "stellingen-gesprekken.csv").read_text(encoding="utf-8-sig")
    assert "Schuldhulp" in conversations or "schuldhulp" in conversations.lower()

    as_json = run_kiosk("export", "--format", "json", "-o", str(out / "alles.json"),
                        "--data-dir", str(data_dir))
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads((out / "alles.json").read_text(encoding="utf-8"))
    assert len(data["conversations"]) == 3
    assert len(data["signals"]) == 2

    publiek = run_kiosk("export", "--format", "csv", "--publiek", "-o",
                        str(out / "publiek.csv"), "--data-dir", str(data_dir))
    assert publiek.returncode == 0, publiek.stderr
    assert "energietoeslag" not in (out / "publiek-signalen.csv").read_text(encoding="utf-8-sig")

    for free_text in (False, True):
        pdf = out / f"rapport-{free_text}.pdf"
        args = ["report", "-o", str(pdf), "--data-dir", str(data_dir)]
        made = run_kiosk(*args, *(["--met-vrije-tekst"] if free_text else []))
        assert made.returncode == 0, made.stderr
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Signalen en gesprekken" in text
        assert "Geldzorgen" in text
        assert ("vragen over energietoeslag" in text) is free_text
