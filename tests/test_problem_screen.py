"""A kiosk that cannot start (a damaged PIN file) says so on the screen, in Dutch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from kiosk import paths
from kiosk.app import apply_theme
from kiosk.gui.problem import ProblemScreen
from kiosk.gui.theme import Theme
from tests.conftest import run_kiosk


def test_a_damaged_pin_file_shows_a_dutch_screen_not_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "staff.json").write_text("{garbage", encoding="utf-8")
    result = run_kiosk("run", "--data-dir", str(data), "--no-speech",
                       env={"QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_PAINT": "1"})
    assert result.returncode == 1
    assert "first-paint" in result.stdout  # the screen was painted
    assert "Het pincodebestand" in result.stderr
    assert "verwijder het bestand" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / "staff.json").read_text(encoding="utf-8") == "{garbage"  # left for staff


def test_the_problem_screen_shows_the_text_and_closes(qtbot, qapp) -> None:
    apply_theme(qapp)
    screen = ProblemScreen("De kiosk kan niet starten", "Het pincodebestand is beschadigd.",
                           Theme.load(paths.ui_dir()), paths.pictogram_dir())
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.text.text() == "Het pincodebestand is beschadigd."
    with qtbot.waitSignal(screen.closed, timeout=5000):
        qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
