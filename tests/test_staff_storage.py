"""Drives and safe writing for the save screen; the merge summary in Dutch (no Qt windows)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from kiosk.core.store import MergeReport
from kiosk.gui.staff.merge import file_words, merge_summary
from kiosk.gui.storage import (
    GONE,
    STAGING_PREFIX,
    Drive,
    DriveGone,
    check_still_there,
    drive_lister,
    dutch_size,
    exports_drive,
    finish,
    is_removable_mount,
    problem_text,
    removable_drives,
    stage,
    write_into,
)


def test_sizes_in_dutch() -> None:
    assert dutch_size(14_234_000_000) == "14,2 GB vrij"
    assert dutch_size(850_000_000) == "850 MB vrij"
    assert dutch_size(123_400_000_000) == "123 GB vrij"
    assert dutch_size(None) == ""


def test_where_usb_sticks_are_mounted() -> None:
    assert is_removable_mount("/media/anna/KINGSTON", "linux")
    assert is_removable_mount("/run/media/anna/STICK", "linux")
    assert not is_removable_mount("/", "linux")
    assert not is_removable_mount("/home", "linux")
    assert is_removable_mount("/Volumes/STICK", "darwin")
    assert not is_removable_mount("/", "darwin")


def test_windows_drive_letters_count_only_when_removable(monkeypatch) -> None:
    from kiosk.gui import storage

    asked: list[str] = []
    monkeypatch.setattr(storage, "_windows_removable",
                        lambda root: asked.append(root) or root.startswith("E"))
    assert is_removable_mount("E:/", "win32")
    assert not is_removable_mount("C:/", "win32")
    assert not is_removable_mount("//server/share/", "win32")
    assert asked == ["E:/", "C:/"]


def test_no_qt_dialogs_anywhere() -> None:
    """Staff never see a file dialog or an English message box: every path is a touch screen."""
    root = Path(__file__).resolve().parent.parent / "kiosk"
    used = [path.name for path in root.rglob("*.py")
            if "QFileDialog" in path.read_text(encoding="utf-8")
            or "QMessageBox" in path.read_text(encoding="utf-8")]
    assert used == []


def test_the_real_listing_and_the_exports_folder(tmp_path: Path) -> None:
    assert all(drive.removable for drive in removable_drives())  # none on a build machine
    drives = drive_lister(tmp_path, sticks=lambda: [Drive(tmp_path / "usb", "STICK", 10)])()
    assert [d.label for d in drives] == ["STICK", "Deze laptop"]
    laptop = exports_drive(tmp_path)
    assert laptop.path == tmp_path / "exports"
    assert not laptop.removable
    assert laptop.free is not None


def test_files_appear_only_when_complete_and_synced(tmp_path: Path) -> None:
    steps: list[tuple[int, int, str]] = []

    def produce(folder: Path) -> None:
        assert folder.parent == tmp_path / "stick"
        assert folder.name.startswith(STAGING_PREFIX)  # hidden, on the same drive
        (folder / "a.csv").write_text("a", encoding="utf-8")
        (folder / "b.xlsx").write_bytes(b"b" * 1000)

    written = write_into(tmp_path / "stick", produce, lambda *step: steps.append(step))
    assert [p.name for p in written] == ["a.csv", "b.xlsx"]
    assert sorted(p.name for p in (tmp_path / "stick").iterdir()) == ["a.csv", "b.xlsx"]
    assert (tmp_path / "stick" / "b.xlsx").stat().st_size == 1000
    assert steps[0] == (0, 0, "Bestanden maken…")
    assert (3, 4, "Nalezen…") in steps  # read back before "Klaar"
    assert steps[-1] == (4, 4, "Klaar")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def produce(folder: Path) -> None:
        (folder / "half.csv").write_text("hal", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_into(tmp_path, produce)
    assert list(tmp_path.iterdir()) == []
    staging = stage(tmp_path)
    with pytest.raises(OSError, match="no files"):
        finish(tmp_path, staging)  # nothing made: never "klaar"
    assert list(tmp_path.iterdir()) == []


def test_a_stick_pulled_out_is_never_recreated_on_the_laptop(tmp_path: Path) -> None:
    gone = tmp_path / "media" / "STICK"
    with pytest.raises(OSError, match="not there") as error:
        write_into(gone, lambda folder: (folder / "a.csv").write_text("a"), create=False)
    assert error.value.errno == errno.ENOENT
    assert not gone.exists()
    assert problem_text(error.value) == GONE


def test_a_folder_that_is_not_the_listed_stick_is_refused(tmp_path: Path) -> None:
    """The stick's mount point, left behind on the laptop: same path, not a mount point."""
    folder = tmp_path / "media" / "STICK"
    folder.mkdir(parents=True)
    check_still_there(folder, None)  # not a stick: nothing to check
    for device in (tmp_path.stat().st_dev, tmp_path.stat().st_dev + 1):
        with pytest.raises(DriveGone):
            check_still_there(folder, device)
        with pytest.raises(DriveGone) as error:
            write_into(folder, lambda f: (f / "a.csv").write_text("a"), create=False,
                       device=device)
        assert problem_text(error.value) == GONE
        assert "Klaar" not in problem_text(error.value)
    assert list(folder.iterdir()) == []  # nothing written under the mount point
    # a real mount point passes (/ is one, on its own device)
    check_still_there(Path("/"), Path("/").stat().st_dev)


def test_a_file_that_reads_back_wrong_is_not_klaar_and_not_left(tmp_path: Path,
                                                                 monkeypatch) -> None:
    from kiosk.gui import storage

    real = storage._digest
    monkeypatch.setattr(storage, "_digest", lambda path, from_disk=False: (
        "bad" if from_disk and path.name == "b.xlsx" else real(path, from_disk)))
    steps: list[tuple[int, int, str]] = []

    def produce(folder: Path) -> None:
        (folder / "a.csv").write_text("a", encoding="utf-8")
        (folder / "b.xlsx").write_bytes(b"b" * 1000)

    with pytest.raises(OSError, match="read back differs") as error:
        write_into(tmp_path, produce, lambda *step: steps.append(step))
    assert error.value.errno == errno.EIO
    assert "Klaar" not in [text for *_n, text in steps]
    assert list(tmp_path.iterdir()) == []


def test_problems_in_dutch() -> None:
    assert "geen plek meer op de USB-stick" in problem_text(OSError(errno.ENOSPC, "full"))
    assert "niet schrijven op deze laptop" in problem_text(OSError(errno.EACCES, "no"),
                                                            removable=False)
    assert "weg of werkt niet goed" in problem_text(OSError(errno.EIO, "gone"))
    assert problem_text(OSError(errno.ENODEV, "gone")) == GONE
    assert problem_text(OSError(errno.ENOENT, "gone")) == GONE
    assert problem_text(RuntimeError("x")).startswith("Er ging iets mis")


def test_the_merge_summary_in_dutch(tmp_path: Path) -> None:
    report = MergeReport()
    report.added[tmp_path / "a.db"] = {"kiosk": 1, "session": 2, "visit": 1, "answer": 5,
                                       "referral": 0, "conversation": 1, "signal": 3}
    report.added[tmp_path / "b.db"] = {t: 0 for t in report.added[tmp_path / "a.db"]}
    report.passed[tmp_path / "kiosk.db"] = "own"
    report.skipped[tmp_path / "half.db"] = "het bestand is leeg."
    report.repaired[tmp_path / "a.db"] = {"session": 1}
    report.doubtful[tmp_path / "a.db"] = {"answer": 3}
    assert merge_summary(report).splitlines() == [
        "2 bestanden samengevoegd.",
        "Nieuw in deze kiosk: 2 sessies, 1 bezoek, 5 antwoorden, 1 gesprek en 3 signalen.",
        "1 sessie of bezoek eindigde voor het begin (de klok ging terug). Dat is hersteld.",
        "3 regels hebben een verkeerde datum (voor 2020 of na morgen). Die tellen mee onder "
        "'tijd onbekend'.",
        "kiosk.db is het bestand van deze laptop zelf. Dat is overgeslagen.",
        "half.db kon niet mee: het bestand is leeg.",
    ]
    again = MergeReport()
    again.added[tmp_path / "a.db"] = {t: 0 for t in report.added[tmp_path / "a.db"]}
    assert merge_summary(again).splitlines()[1] == (
        "Er was niets nieuws: alles stond al in deze kiosk.")
    later = MergeReport()
    later.added[tmp_path / "a.db"] = {t: 0 for t in report.added[tmp_path / "a.db"]}
    later.updated[tmp_path / "a.db"] = {"answer": 1, "visit": 1}
    later.refused[tmp_path / "a.db"] = {"a time that is not a quarter hour": 2}
    later.conflicts[tmp_path / "a.db"] = [("answer", "x")]
    assert merge_summary(later).splitlines()[1:] == [
        "Bijgewerkt (een nieuwere versie): 1 bezoek en 1 antwoord.",
        "2 regels niet overgenomen: die klopten niet. De coördinator ziet waarom met "
        "kiosk merge.",
        "1 regel stond op twee laptops verschillend. De regels van deze laptop zijn gebleven.",
    ]


def test_file_lines(tmp_path: Path) -> None:
    from kiosk.core.databases import DatabaseInfo

    info = DatabaseInfo(tmp_path / "k.db", "kiosk-1a2b3c4d", "id", 1, 3,
                        "2026-03-05T10:00", "2026-03-12T15:45")
    assert file_words(info, own=False) == (
        "kiosk-1a2b3c4d", "3 sessies, 5 maart 2026 tot 12 maart 2026 · k.db")
    assert file_words(info, own=True)[0] == "kiosk-1a2b3c4d (deze laptop)"
    broken = DatabaseInfo(tmp_path / "x.db", problem="Beschadigd.")
    assert file_words(broken, own=False) == ("x.db", "Kan niet mee. Beschadigd.")
