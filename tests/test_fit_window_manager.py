"""Every screen fits every stand: the real kiosk window at each stand's screen size.

Kiosk stands use landscape laptops and portrait screens (1080x1920). Under a window
manager a window that asks for more room than the screen has is simply made larger
than the screen: the PIN pad once lost its 3/6/9 column and OK, "Oneens" showed as
"On…" and Luister was gone on a portrait screen, while offscreen pictures looked fine.

Two parts, both through the window ``kiosk run`` shows (:func:`kiosk.app.start`) and
the walk of :mod:`kiosk.gui.tour` (PIN pad, start screen, attract, statement, word
help, idle, end screen, staff menu), with and without large text:

- in this process, offscreen, the shell resized to each size (its minimum size
  respected): nothing cut off, overlapping or outside (:mod:`kiosk.gui.fit`), on the
  walk and on every other staff screen (tally, summary, save, merge, ...); the QR
  code at least 35 mm; large text never makes the QR code or a pictogram smaller; no
  pictogram touches its word (from the pixels: :mod:`tests.icon_gaps`);
- the real program on an X server (Xvfb) with a window manager (openbox), in kiosk
  mode: the active window is the kiosk and its geometry is the screen's, on every
  screen of the walk, and again nothing is cut off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app import Options, start
from kiosk.core.pin import PIN_FILE, PinStore
from kiosk.gui.end_screen import QR_MIN_MM
from kiosk.gui.fit import fit_problems
from kiosk.gui.theme import px_per_mm
from kiosk.gui.tour import TOUR, tour
from kiosk.logs import Notices
from tests.conftest import ROOT
from tests.icon_gaps import icon_gap_problems

#: The screens of the stands: portrait kiosk screen, tablets both ways, laptops, full HD.
STANDS = ((1080, 1920), (768, 1024), (1024, 768), (1280, 800), (1366, 768), (1920, 1080))
PIN = "480263"


def _walk_offscreen(data: Path, width: int, height: int, large_text: bool) -> dict:
    """Walk the real shell at ``width`` x ``height``; assert every screen fits; return the
    sizes of the QR code and the pictograms."""
    PinStore(data / PIN_FILE).set_pin(PIN)
    started = start(Options(data_dir=data, windowed=True, speech=False,
                            large_text=large_text), Notices())
    shell = started.shell
    measured: dict[str, float] = {}
    seen = []
    try:
        shell.resize(width, height)
        for name, page in tour(shell, PIN):
            seen.append(name)
            where = f"{name} {width}x{height}{' groot' if large_text else ''}"
            assert fit_problems(shell, width, height, page) == [], where
            assert icon_gap_problems(page) == [], where  # pictograms never touch their words
            window = shell.window
            if name == "statement":
                screen = window.statement_screen
                measured["pictogram"] = screen.pictogram.side()
                # the set's longest statement fits too, and the pictogram keeps its room
                longest = max(window.statement_set.statements, key=lambda s: len(s.text))
                screen.text.setText(longest.text)
                QApplication.processEvents()
                assert fit_problems(shell, width, height, page) == [], f"{where}: longest"
                assert screen.pictogram.side() == measured["pictogram"], where
            if name == "end":
                end = window.end_screen
                mm = px_per_mm(end)
                side = min(end.qr.width(), end.qr.height())
                assert side / mm >= QR_MIN_MM, f"{where}: QR code {side / mm:.0f} mm"
                measured["qr"] = side
                measured["course_pictogram"] = end.course_pictogram.side()
        for index in range(shell.stack.count()):  # every other staff screen fits too
            page = shell.stack.widget(index)
            shell.stack.setCurrentWidget(page)
            QApplication.processEvents()
            where = f"{shell.page} {width}x{height}"
            assert fit_problems(shell, width, height, page) == [], where
            assert icon_gap_problems(page) == [], where
    finally:
        started.quit = lambda _code: None  # no app.exit(): it would end every later event loop
        shell.quit()
        shell.close()
        started.stop()
        shell.deleteLater()
        QApplication.processEvents()
    assert seen == list(TOUR)
    return measured


@pytest.mark.parametrize("size", STANDS, ids=[f"{w}x{h}" for w, h in STANDS])
def test_every_screen_fits_and_large_text_never_shrinks_the_qr_code_or_pictograms(
        qapp, tmp_path: Path, size) -> None:
    width, height = size
    normal = _walk_offscreen(tmp_path / "normaal", width, height, large_text=False)
    large = _walk_offscreen(tmp_path / "groot", width, height, large_text=True)
    for what in ("qr", "pictogram", "course_pictogram"):
        assert large[what] >= normal[what], f"{what}: {normal[what]} -> {large[what]} px"


def test_the_screenshots_fail_when_a_screen_does_not_fit(tmp_path: Path) -> None:
    """``kiosk screenshots`` renders through the window's real minimum size: a screen too
    small for it is shown cut off at the edge, and the command says so (exit 1)."""
    from PySide6.QtGui import QImage

    code = ("import sys\nfrom pathlib import Path\nfrom kiosk.screenshots import screenshots\n"
            "from kiosk.app import UsageError\n"
            "try:\n    screenshots(Path(sys.argv[1]), sizes=((500, 400),))\n"
            "except UsageError as exc:\n    print(exc)\n    sys.exit(1)\n")
    out = tmp_path / "shots"
    result = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                            text=True, timeout=120, cwd=ROOT,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "niet elk scherm past" in result.stdout
    assert "het venster vraagt minstens" in result.stdout
    image = QImage(str(out / "staff-pin-500x400.png"))
    assert (image.width(), image.height()) == (500, 400)  # the screen, cut off at its edge


# -- the real window under a window manager ------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed: scripts/system-deps.sh test installs it"
    return path


def _start_x(width: int, height: int, tmp: Path) -> tuple[str, list[subprocess.Popen]]:
    """Xvfb with one screen of ``width`` x ``height`` and openbox managing it."""
    xvfb, openbox = _tool("Xvfb"), _tool("openbox")
    _tool("xdotool")
    _tool("xprop")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0",
                               f"{width}x{height}x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as display_number:  # Xvfb writes it once it accepts clients
        display = f":{display_number.readline().strip()}"
    env = dict(os.environ, DISPLAY=display, HOME=str(tmp))
    manager = subprocess.Popen([openbox, "--sm-disable"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:  # openbox has taken the screen once it names itself on the root window
        names = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                               capture_output=True, text=True, timeout=10).stdout
        if "window id" in names:
            break
        assert time.monotonic() < deadline, "openbox did not start"
        time.sleep(0.05)
    return display, [manager, server]


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("size", STANDS, ids=[f"{w}x{h}" for w, h in STANDS])
def test_the_real_window_fills_the_screen_under_a_window_manager(tmp_path: Path, size) -> None:
    width, height = size
    display, processes = _start_x(width, height, tmp_path)
    try:
        shots = os.environ.get("KIOSK_FIT_SHOTS")  # keep the pictures of the X screen
        env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path))
        result = subprocess.run(
            [sys.executable, "-m", "tests.fit_driver", str(tmp_path / "data"), str(width),
             str(height), *([shots] if shots else [])],
            capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    finally:
        _stop(processes)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["screen"], r["large_text"]) for r in reports] == [
        (name, large) for large in (False, True) for name in TOUR]
    for report in reports:
        where = f"{report['screen']}{' groot' if report['large_text'] else ''}"
        assert report["ours"], f"{where}: the active window is not the kiosk"
        assert report["geometry"] == [0, 0, width, height], where
        assert report["problems"] == [], where
        # the X server shows every label's text (Qt's glyph cache above 64 px drew the
        # statement, "Doe mee!" and the end screen's titles as nothing under xcb)
        assert report["blank"] == [], where
