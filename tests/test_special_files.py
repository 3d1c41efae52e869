"""Files from outside are regular files of bounded size (issue 17).

A FIFO or a symlink to ``/dev/zero`` named ``courses.toml`` or ``staff.json``
used to hang ``kiosk check``, the PIN check and the start; ``staff.json`` was
accepted when anyone could write it, or as a symlink. The subprocess timeouts
below are the failure detectors (a hang), not waits.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.core import safefile
from kiosk.core.content import ContentError, load_content
from kiosk.core.pin import PIN_FILE, PinError, PinStore
from kiosk.core.safefile import CONTENT_LIMIT, UnsafeFile, read_regular
from tests.conftest import run_kiosk

HANG = 30  # seconds: a command still running by then hangs


def special(path: Path, kind: str) -> None:
    """Make ``path`` a FIFO, or a symlink to /dev/zero."""
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "inhoud"
    shutil.copytree(paths.default_content_dir(), folder)
    return folder


# -- the reader --------------------------------------------------------------------


def test_read_regular(tmp_path: Path) -> None:
    plain = tmp_path / "gewoon.toml"
    plain.write_bytes(b"a = 1\n")
    assert read_regular(plain, 100) == b"a = 1\n"
    assert read_regular(plain, 6) == b"a = 1\n"  # exactly the limit
    with pytest.raises(UnsafeFile, match="te groot"):
        read_regular(plain, 5)
    link = tmp_path / "link.toml"
    link.symlink_to(plain)
    assert read_regular(link, 100) == b"a = 1\n"  # a symlink to a regular file is fine
    with pytest.raises(UnsafeFile, match="snelkoppeling"):
        read_regular(link, 100, follow_symlinks=False)
    with pytest.raises(UnsafeFile, match="een map"):
        read_regular(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "weg.toml", 100)
    for kind in ("fifo", "zero"):
        path = tmp_path / f"{kind}.toml"
        special(path, kind)
        with pytest.raises(UnsafeFile) as caught:
            read_regular(path, 100)
        assert ("een pipe (FIFO)" if kind == "fifo" else "een apparaat") in str(caught.value)
        assert str(path) in str(caught.value)
        assert isinstance(caught.value, OSError)  # callers that catch OSError keep working


# -- content -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_kiosk_check_refuses_a_special_content_file_at_once(content_copy: Path,
                                                           kind: str) -> None:
    (content_copy / "courses.toml").unlink()
    special(content_copy / "courses.toml", kind)
    result = run_kiosk("check", str(content_copy), timeout=HANG)
    assert result.returncode == 1
    assert "courses.toml" in result.stderr
    assert "geen gewoon bestand" in result.stderr
    assert "zet er een gewoon bestand neer" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_content_file_larger_than_the_limit_is_refused(content_copy: Path) -> None:
    big = content_copy / "locations.toml"
    with open(big, "r+b") as file:  # sparse: no disk needed
        file.truncate(CONTENT_LIMIT + 1)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    message = str(caught.value)
    assert "locations.toml" in message
    assert "het bestand is te groot (meer dan 16,0 MB)" in message


def test_a_symlink_to_a_regular_content_file_is_fine(content_copy: Path, tmp_path: Path) -> None:
    real = tmp_path / "echte-courses.toml"
    (content_copy / "courses.toml").rename(real)
    (content_copy / "courses.toml").symlink_to(real)
    assert load_content(content_copy).courses


# -- the PIN file -----------------------------------------------------------------


@pytest.fixture
def pin_file(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / PIN_FILE
    PinStore(path).set_pin("493817")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(PinError) as caught:
        PinStore(path)
    message = str(caught.value)
    assert f"Het pincodebestand {path} is niet veilig" in message
    assert "verwijder het bestand" in message  # how to reset it, as for a damaged file
    return message


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_pin_file_is_refused_at_once(data_dir: Path, kind: str) -> None:
    data_dir.mkdir(parents=True)
    special(data_dir / PIN_FILE, kind)
    message = refusal(data_dir / PIN_FILE)
    assert ("snelkoppeling" if kind == "zero" else "een pipe (FIFO)") in message


def test_a_symlinked_pin_file_is_refused(pin_file: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "ergens.json"
    pin_file.rename(elsewhere)
    pin_file.symlink_to(elsewhere)
    assert "snelkoppeling (symlink)" in refusal(pin_file)
    dangling = tmp_path / "weg.json"
    pin_file.unlink()
    pin_file.symlink_to(dangling)  # not even a file there: still a symlink, refused
    refusal(pin_file)


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_a_pin_file_others_may_change_is_refused(pin_file: Path, mode: int) -> None:
    pin_file.chmod(mode)
    assert "ook anderen mogen het bestand veranderen" in refusal(pin_file)


def test_a_pin_file_of_another_user_is_refused(pin_file: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.getuid()
    monkeypatch.setattr(safefile.os, "getuid", lambda: real + 1)  # as if someone else ran it
    assert "niet van deze gebruiker" in refusal(pin_file)


def test_a_normal_pin_file_still_works(pin_file: Path) -> None:
    assert pin_file.stat().st_mode & 0o777 == 0o600
    pins = PinStore(pin_file)
    assert pins.is_set()
    assert pins.check("493817")
    pin_file.chmod(0o644)  # readable by others is fine (only the hash is in it)
    assert PinStore(pin_file).check("493817")


@pytest.mark.parametrize("kind", ["fifo", "zero", "world-writable"])
def test_the_kiosk_shows_the_pin_file_problem_instead_of_hanging(data_dir: Path,
                                                                 kind: str) -> None:
    data_dir.mkdir(parents=True)
    if kind == "world-writable":
        PinStore(data_dir / PIN_FILE).set_pin("493817")
        (data_dir / PIN_FILE).chmod(0o666)
    else:
        special(data_dir / PIN_FILE, kind)
    result = run_kiosk("run", "--data-dir", str(data_dir), "--no-speech", timeout=HANG + 30,
                       env={"QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_PAINT": "1"})
    assert result.returncode == 1
    assert "first-paint" in result.stdout  # the problem screen was painted
    assert "Het pincodebestand" in result.stderr
    assert "niet veilig" in result.stderr
    assert "Traceback" not in result.stderr


# -- pictograms ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_pictogram_paints_nothing_instead_of_hanging(qapp, tmp_path: Path,
                                                               kind: str) -> None:
    from kiosk.gui.widgets import svg_icon

    special(tmp_path / "eens.svg", kind)
    icon = svg_icon(tmp_path, "eens", "#000000", size=32)  # returns: no hang, no crash
    image = icon.pixmap(32, 32).toImage()
    assert all(image.pixelColor(x, y).alpha() == 0 for x in range(32) for y in range(32))
