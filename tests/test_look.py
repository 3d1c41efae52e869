"""Measured accessibility: target sizes in millimetres, text that fits, 7:1 contrast."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk import paths
from kiosk.app import Options, apply_theme, build_window
from kiosk.core.clock import ManualClock
from kiosk.gui.theme import Theme, contrast_ratio, px_per_mm
from kiosk.screenshots import SCREENS as SHOT_SCREENS
from kiosk.screenshots import SIZES

SCREENS = ("attract", "statement", "end", "idle")


@pytest.fixture(params=[False, True], ids=["normal-text", "large-text"])
def large_text(request) -> bool:
    return request.param


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_targets_are_big_enough_and_text_fits(qtbot, qapp, data_dir: Path, size, large_text):
    apply_theme(qapp)
    clock = ManualClock()
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, large_text=large_text, speech=False), monotonic=clock
    )
    qtbot.addWidget(window)
    width, height = size
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    try:
        mm = px_per_mm(window)
        window.start_visit()
        window.end_screen.show_courses(list(window.content.courses.values())[:2])
        for name in SCREENS:
            window.stack.setCurrentWidget(window._screens[name])
            QApplication.processEvents()
            screen = window._screens[name]
            for button in screen.findChildren(QPushButton):
                if not button.isVisible() or not button.isEnabled():
                    continue
                assert button.height() / mm >= 20, f"{name}/{button.objectName()} height"
                assert button.width() / mm >= 20, f"{name}/{button.objectName()} width"
                # the word fits beside its pictogram, at full size or shrunk a little
                assert button.scale() >= (0.9 if not large_text else 0.8), (
                    f"{name}/{button.objectName()}: its word does not fit ({button.scale():.2f})"
                )
            for label in screen.findChildren(QLabel):
                if label.isVisible() and label.text():
                    needed = label.heightForWidth(label.width())
                    assert needed <= label.height() + 2, f"{name}/{label.objectName()} clipped"
        for answer in ("eens", "oneens"):
            target = window.statement_screen.buttons[answer]
            assert target.height() / mm >= 30
            assert target.width() >= width / 3
        longest = max(window.statement_set.statements, key=lambda s: len(s.text))
        text = window.statement_screen.text
        text.setText(longest.text)
        QApplication.processEvents()
        assert text.heightForWidth(text.width()) <= text.height() + 2, "longest statement clipped"
        assert window.end_screen.qr.width() / mm >= 50
        picture = window.statement_screen.pictogram.height() / height
        assert picture >= (0.2 if large_text else 0.25), "the pictogram is the statement's face"
    finally:
        window.close()
        recorder.close()


def test_every_text_colour_reaches_7_to_1() -> None:
    theme = Theme.load(paths.ui_dir())
    assert len(theme.contrast_pairs) >= 10
    for foreground, background in theme.contrast_pairs:
        ratio = contrast_ratio(theme.colors[foreground], theme.colors[background])
        assert ratio >= 7.0, f"{foreground} on {background}: {ratio:.2f}:1"


def test_answer_colours_do_not_mean_right_and_wrong() -> None:
    """Eens and Oneens: no green and red (an answer is not right or wrong), and they
    stay apart from each other in hue, so the pair holds for colour-blind eyes too."""
    import colorsys

    theme = Theme.load(paths.ui_dir())

    def hue(name: str) -> float:
        value = theme.colors[name].lstrip("#")
        red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
        return colorsys.rgb_to_hls(red, green, blue)[0] * 360

    for name in ("eens", "eens_pressed", "oneens", "oneens_pressed"):
        assert not 75 <= hue(name) <= 165, f"{name} is green ({hue(name):.0f} degrees)"
        assert 20 <= hue(name) <= 340, f"{name} is red ({hue(name):.0f} degrees)"
        assert contrast_ratio(theme.colors["on_dark"], theme.colors[name]) >= 7.0
    apart = abs(hue("eens") - hue("oneens"))
    assert min(apart, 360 - apart) >= 90, "Eens and Oneens must differ clearly in colour"


def test_contrast_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_screenshots_renders_every_screen_at_every_size(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from tests.conftest import run_kiosk

    result = run_kiosk("screenshots", "-o", str(tmp_path / "shots"))
    assert result.returncode == 0, result.stderr
    for width, height in SIZES:
        for screen in SHOT_SCREENS:
            image = QImage(str(tmp_path / "shots" / f"{screen}-{width}x{height}.png"))
            assert (image.width(), image.height()) == (width, height), screen
            # not a blank page: the theme's ink is on it
            assert image.pixelColor(width // 2, height // 2).isValid()
    assert len(list((tmp_path / "shots").glob("*.png"))) == len(SIZES) * len(SHOT_SCREENS)


def test_the_longest_word_content_allows_fits_the_smallest_screen(qtbot, qapp, data_dir):
    """kiosk check allows words of MAX_WORD_CHARS letters: one fits a line of the statement
    at 1080x1920 (portrait) in large text, the narrowest line the kiosk has."""
    from PySide6.QtGui import QFontMetrics

    from kiosk.core.content import MAX_WORD_CHARS

    apply_theme(qapp)
    window, recorder, _ = build_window(
        Options(data_dir=data_dir, large_text=True, speech=False), monotonic=ManualClock())
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.start_visit()
        QApplication.processEvents()
        text = window.statement_screen.text
        word = "Huurtoeslagaanvragen"  # 20 letters, a real Dutch word of ordinary letters
        assert len(word) == MAX_WORD_CHARS
        assert QFontMetrics(text.font()).horizontalAdvance(word) <= text.width()
    finally:
        window.close()
        recorder.close()
