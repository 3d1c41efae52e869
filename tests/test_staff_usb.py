"""Saving to a real USB stick stand-in that is pulled out: the save screen never says "Klaar"
for files that landed on the laptop, and says "Klaar" only for files read back from the stick.

The stick is a real mount under ``/media`` (where :func:`removable_drives` looks), made in a
child process with its own mount namespace, so nothing is left mounted on this machine:
as root (CI), a loop-mounted ext2 image (``mkfs.ext2``, Debian e2fsprogs), which also
shows that the files are in the image after it is unmounted and mounted again; as a
normal user, a tmpfs in a user and mount namespace (``unshare --map-root-user``).
``/media`` itself is a fresh tmpfs in the child, so the laptop under the stick is a
real other file system, and the real sticks of this machine are out of sight.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

STICK = Path("/media/KIOSKTEST")
PAYLOAD = {"stellingen.csv": b"zin;eens;oneens\nIk vind formulieren lastig;3;1\n",
           "stellingen.xlsx": bytes(range(256)) * 400}


def in_private_mounts(function: str, *args: str) -> None:
    """Run ``function`` ("tests.module:name") in a child with its own mount namespace
    and a fresh tmpfs on /media; its first argument: "loop" (root) or "tmpfs"."""
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed"
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root:
        assert shutil.which("mkfs.ext2"), "mkfs.ext2 is needed (apt-get install e2fsprogs)"
    module, name = function.split(":")
    code = (f"import sys\nfrom {module} import {name}\n{name}(*sys.argv[1:])\n")
    namespace = ["--mount", "--propagation", "private"] if root else [
        "--map-root-user", "--mount"]
    script = 'mount -t tmpfs -o size=4m,mode=755 kiosk-media /media && exec "$@"'
    result = subprocess.run(
        [unshare, *namespace, "sh", "-c", script, "sh", sys.executable, "-c", code,
         "loop" if root else "tmpfs", *args],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, f"{function}:\n{result.stdout}{result.stderr}"


def test_a_stick_pulled_out_after_listing_gets_no_klaar_and_nothing_on_the_laptop(
        tmp_path: Path) -> None:
    image = tmp_path / "stick.img"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        with open(image, "wb") as out:
            out.truncate(8 * 1024 * 1024)
        subprocess.run(["mkfs.ext2", "-q", "-F", "-L", "KIOSKTEST", str(image)], check=True,
                       capture_output=True, timeout=60)
    in_private_mounts("tests.test_staff_usb:pull_the_stick", str(image), str(tmp_path))


# -- in the child (root in its own mount namespace) -------------------------------------


class _Stick:
    def __init__(self, kind: str, image: Path) -> None:
        self.kind, self.image = kind, image

    def mount(self) -> None:
        STICK.mkdir(exist_ok=True)
        if self.kind == "loop":
            command = ["mount", "-o", "loop", str(self.image), str(STICK)]
        else:
            command = ["mount", "-t", "tmpfs", "-o", "size=2m", "kiosk-stick", str(STICK)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
        assert os.path.ismount(STICK)

    def pull(self, lazy: bool = False) -> None:
        """The stick goes: unmounted; its mount point stays behind on the laptop's disk."""
        subprocess.run(["umount", *(["-l"] if lazy else []), str(STICK)], check=True,
                       capture_output=True, timeout=60)
        assert STICK.is_dir()
        assert not os.path.ismount(STICK)


def pull_the_stick(kind: str, image: str, scratch: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk import paths
    from kiosk.app import apply_theme
    from kiosk.gui.staff.save import EJECT, SaveJob, SaveScreen
    from kiosk.gui.storage import GONE, drive_lister
    from kiosk.gui.theme import Theme

    app = QApplication([])
    apply_theme(app)

    def wait_until(condition, timeout: float = 60.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    stick = _Stick(kind, Path(image))
    stick.mount()
    laptop = os.stat("/media").st_dev
    assert os.stat(STICK).st_dev != laptop
    pool = ThreadPoolExecutor(max_workers=1)
    made: list[Path] = []

    def produce(folder: Path) -> None:
        made.append(folder)
        for name, data in PAYLOAD.items():
            (folder / name).write_bytes(data)

    screen = SaveScreen(Theme.load(paths.ui_dir()), paths.pictogram_dir(), pool,
                        drive_lister(Path(scratch) / "data"))
    screen.resize(1366, 768)
    screen.show()

    def listed_and_tap(then=None) -> None:
        wait_until(lambda: STICK in screen.drive_list.buttons)
        drive = next(d for d in screen.drive_list.drives if d.path == STICK)
        assert drive.removable
        assert drive.device == os.stat(STICK).st_dev
        if then is not None:
            then()  # between listing and the tap; no events run in between
        screen.drive_list.buttons[STICK].click()
        wait_until(lambda: screen.state in ("done", "failed"))

    # 1. Pulled out after it was listed: the tap finds its empty mount point
    screen.open(SaveJob("Exporteren", "De cijfers.", produce))
    listed_and_tap(then=stick.pull)
    assert screen.state == "failed"
    assert screen.result_title.text() != EJECT
    assert screen.result_text.text() == GONE
    assert list(STICK.iterdir()) == [], "files landed on the laptop's disk"
    assert screen.retry_button.isVisible()

    # 2. Pulled out while the files were being made (after the first check)
    stick.mount()
    screen.retry_button.click()

    def produce_and_pull(folder: Path) -> None:
        produce(folder)
        stick.pull(lazy=True)

    screen.job = SaveJob("Exporteren", "De cijfers.", produce_and_pull)
    listed_and_tap()
    assert screen.state == "failed"
    assert screen.result_text.text() == GONE
    assert list(STICK.iterdir()) == [], "files landed on the laptop's disk"

    # 3. In, and staying in: written, read back, "Klaar"
    stick.mount()
    # (a stick pulled while writing keeps the hidden folder it was being written into)
    hidden_before = {p.name for p in STICK.iterdir() if p.name.startswith(".")}
    screen.retry_button.click()
    screen.job = SaveJob("Exporteren", "De cijfers.", produce)
    listed_and_tap()
    assert screen.state == "done", screen.result_text.text()
    assert screen.result_title.text() == EJECT
    assert sorted(p.name for p in screen.files) == sorted(PAYLOAD)
    on_stick = {p.name: p.read_bytes() for p in STICK.iterdir()
                if p.name != "lost+found" and not p.name.startswith(".")}
    assert on_stick == PAYLOAD
    assert {p.name for p in STICK.iterdir() if p.name.startswith(".")} == hidden_before
    assert all(os.stat(STICK / name).st_dev != laptop for name in PAYLOAD)
    if kind == "loop":  # really in the image: out and in again, the files are there
        stick.pull()
        assert list(STICK.iterdir()) == []
        stick.mount()
        assert {n: (STICK / n).read_bytes() for n in PAYLOAD} == PAYLOAD
    stick.pull()
    screen.close()
    pool.shutdown(wait=True)
