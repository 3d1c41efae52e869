"""The on-screen keyboard types Dutch: accents, signs, capitals; it refuses past the
limit instead of cutting, and says each refusal once (issue 19)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk import paths
from kiosk.app import apply_theme
from kiosk.core.freetext import PERSONAL, free_text_problem
from kiosk.core.model import FREE_TEXT_MAX
from kiosk.gui.keyboard import (
    FULL,
    KEY_MIN_MM,
    LETTERS,
    MORE,
    SIGNS,
    TOP,
    TextEntry,
    key_min_px,
)
from kiosk.gui.theme import Theme

#: Every character a Dutch place name, partner or signal needs.
NEEDED = "éëèêïöüáàç&?!:;/@-'()\"0123456789"


@pytest.fixture
def host(qtbot, qapp) -> QWidget:
    apply_theme(qapp)
    widget = QWidget()
    widget.setStyleSheet(Theme.load(paths.ui_dir()).stylesheet(1366, 768))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


@pytest.fixture
def entry(host: QWidget) -> TextEntry:
    return TextEntry(Theme.load(paths.ui_dir()), paths.pictogram_dir(), host)


def settle(qapp, entry: TextEntry) -> None:
    """Let the layout place the keys (after a resize or a page change)."""
    for _ in range(3):
        entry.layout().activate()
        entry.keyboard.layout().activate()
        qapp.processEvents()


def tap(qtbot, button: QAbstractButton) -> None:
    """A finger on the real key: a press and release in its middle."""
    assert button.isVisible(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def type_on_keys(qtbot, entry: TextEntry, text: str) -> None:
    """Type ``text`` as staff would: shift for a capital, "é&?" for the next sign."""
    keys = entry.keyboard.keys
    for char in text:
        lower = char.lower()
        if char == " ":
            tap(qtbot, keys["space"])
            continue
        if char != lower:
            tap(qtbot, keys["shift"])
        if any(lower in row for row in SIGNS):
            tap(qtbot, keys[MORE])  # once: for the next character only
        tap(qtbot, keys[lower])


def test_every_needed_character_has_a_key() -> None:
    on_keys = {key for row in (TOP, *LETTERS, *SIGNS) for key in row}
    assert set(NEEDED) <= on_keys
    assert set("abcdefghijklmnopqrstuvwxyz") <= on_keys


def test_typing_cafe_poezie_on_the_real_keys(qtbot, entry: TextEntry) -> None:
    entry.open("Nieuwe partner", "", "", max_length=60)
    type_on_keys(qtbot, entry, "Café Poëzie & Co (ja?)!")
    assert entry.text() == "Café Poëzie & Co (ja?)!"
    assert entry.keyboard.more == "off"  # the letters came back by themselves
    assert entry.keyboard.keys["a"].isVisible()
    assert not entry.keyboard.keys["é"].isVisible()
    assert entry.counter.text() == f"Nog {60 - 23} tekens"


def test_a_capital_accent_and_the_page_kept_on(qtbot, entry: TextEntry) -> None:
    entry.open("Typen", "", "", max_length=60)
    keys = entry.keyboard.keys
    tap(qtbot, keys["shift"])
    tap(qtbot, keys[MORE])
    assert keys["é"].text() == "É"
    tap(qtbot, keys["é"])
    tap(qtbot, keys[MORE])
    tap(qtbot, keys[MORE])  # twice: the signs stay
    assert keys[MORE].text() == "abc"
    for key in ("/", ":", "@"):
        tap(qtbot, keys[key])
    tap(qtbot, keys[MORE])  # third tap: back to the letters
    tap(qtbot, keys["e"])
    assert entry.text() == "É/:@e"


def test_a_finger_touch_types_too(qtbot, qapp, entry: TextEntry) -> None:
    from PySide6.QtGui import QPointingDevice
    from PySide6.QtTest import QTest

    entry.open("Typen", "", "", max_length=60)
    settle(qapp, entry)
    device = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    window = entry.window().windowHandle()
    for name in ("key_more", "key_e_trema"):
        key = entry.findChild(QAbstractButton, name)
        centre = key.mapTo(entry.window(), key.rect().center())
        QTest.touchEvent(window, device).press(0, centre, window).commit()
        QTest.touchEvent(window, device).release(0, centre, window).commit()
        qtbot.waitUntil(lambda k=key: not k.isDown(), timeout=1000)
    qtbot.waitUntil(lambda: entry.text() == "ë", timeout=1000)


@pytest.mark.parametrize("dpi", [96, 160, 240])
def test_keys_are_at_least_12_mm(qtbot, entry: TextEntry, dpi: int) -> None:
    entry.open("Typen", "", "", max_length=60)
    keyboard = entry.keyboard
    smallest = key_min_px(dpi)
    assert smallest == math.ceil(KEY_MIN_MM / 25.4 * dpi)
    keyboard.resize(200, keyboard.height())  # far too narrow: the keys keep their size
    keyboard.fit(control=10, key_min=smallest)
    for name, key in keyboard.keys.items():
        assert key.width() >= smallest, name
        assert key.minimumHeight() >= smallest, name


def test_keys_on_the_real_screen_are_at_least_12_mm(qtbot, entry: TextEntry) -> None:
    entry.open("Typen", "", "", max_length=60)
    qtbot.waitUntil(lambda: entry.keyboard.keys["q"].width() > 0, timeout=1000)
    smallest = KEY_MIN_MM * entry.logicalDpiY() / 25.4
    for name, key in entry.keyboard.keys.items():
        if key.isVisible():
            assert key.width() >= smallest, name
            assert key.height() >= smallest, name


def test_a_key_past_the_limit_is_refused_not_cut(qtbot, entry: TextEntry) -> None:
    entry.open("Ander signaal", "", "", max_length=FREE_TEXT_MAX, warning=PERSONAL)
    text = "x" * (FREE_TEXT_MAX - 1)
    entry.field.insert(text)
    tap(qtbot, entry.keyboard.keys["y"])
    assert entry.counter.text() == "Nog 0 tekens"
    tap(qtbot, entry.keyboard.keys["z"])  # one too many: not typed, and said why
    assert entry.text() == text + "y"
    assert entry.warning.isVisible()
    assert entry.warning.text() == f"{FULL} {PERSONAL}"
    assert FULL.startswith("Nog 0 tekens over")
    tap(qtbot, entry.keyboard.keys["backspace"])  # a change: the reason goes
    assert entry.warning.text() == PERSONAL


def test_a_long_pasted_text_is_kept_whole_and_refused(qtbot, entry: TextEntry) -> None:
    entry.open("Ander signaal", "", "", max_length=FREE_TEXT_MAX, warning=PERSONAL)
    long = "Veel vragen over de energietoeslag " * 4 + "en meer"  # 147 characters
    qtbot.keyClicks(entry.field, long[:10])
    entry.field.insert(long[10:])  # a paste
    assert entry.text() == long
    assert entry.counter.text() == f"{len(long) - FREE_TEXT_MAX} tekens te veel"
    assert entry.warning.text() == (f"Te lang: {len(long)} tekens. Het mag {FREE_TEXT_MAX} "
                                    f"tekens zijn. {PERSONAL}")
    tap(qtbot, entry.keyboard.keys["a"])  # no key adds to a text that is too long
    assert entry.text() == long
    tap(qtbot, entry.keyboard.keys["done"])
    assert entry.isVisible()  # "Klaar" waits until it fits


def test_the_refusal_is_said_once(qtbot, entry: TextEntry) -> None:
    problem = free_text_problem("bel 06-12345678 of mail jan@example.nl, mevrouw jansen")
    entry.open("Ander signaal", "", "bel 06", max_length=FREE_TEXT_MAX,
               warning=f"{problem} {PERSONAL}")  # as the signal screen shows a refusal
    shown = entry.warning.text()
    sentences = [part.strip() + "." for part in shown.split(".") if part.strip()]
    assert len(sentences) == len(set(sentences)), shown
    assert shown.count(PERSONAL) == 1
    assert "Haal de naam weg." in shown


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1080, 1920)])
def test_render_the_keyboard(qtbot, qapp, host: QWidget, entry: TextEntry, tmp_path: Path,
                             width: int, height: int) -> None:
    """Both pages fit the screen; the PNGs are for a look (KIOSK_SHOTS=folder keeps them)."""
    import os

    host.setStyleSheet(Theme.load(paths.ui_dir()).stylesheet(width, height))
    host.resize(width, height)
    entry.open("Nieuwe plek", "Typ de naam van de plek. Tik dan op Klaar.", "Café Poëzie",
               max_length=60)
    folder = Path(os.environ.get("KIOSK_SHOTS", tmp_path))
    for page in ("letters", "tekens"):
        if page == "tekens":
            tap(qtbot, entry.keyboard.keys[MORE])
        qtbot.waitUntil(lambda: entry.size() == host.size(), timeout=1000)
        settle(qapp, entry)
        image = entry.grab()
        assert image.save(str(folder / f"keyboard-{page}-{width}x{height}.png"))
        screen = entry.rect()
        for name, key in entry.keyboard.keys.items():
            if key.isVisible():
                corner = key.mapTo(entry, QPoint(key.width() - 1, key.height() - 1))
                assert screen.contains(corner), (name, page, width, height)
