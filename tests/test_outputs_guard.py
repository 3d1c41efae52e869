"""Outputs never replace the kiosk's own files (issue 17).

``kiosk export``, ``report``, ``backup``, ``slip`` and ``speech say/render``
refuse, before writing anything, a path that is the live database (also through
a symlink, while a store is open on it), the PIN file, or anything new inside
the data folder: exit code 2, one Dutch line, no traceback; the database and
the PIN file are unchanged afterwards. A path elsewhere still works.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.core.outputs import OutputRefused, check_output_path, kiosk_data_dirs
from kiosk.core.pin import PIN_FILE, PinStore
from kiosk.core.store import Store
from tests.conftest import run_kiosk

#: Each command with an output, as arguments before ``-o``.
COMMANDS = {
    "export-csv": ["export"],
    "export-xlsx": ["export", "--format", "xlsx"],
    "report": ["report"],
    "backup": ["backup"],
    "slip": ["slip", "taalhuis"],
    "speech-say": ["speech", "say", "hallo"],
}
#: Where ``-o`` points, relative to the data folder ("link" is a symlink to kiosk.db).
TARGETS = ["kiosk.db", PIN_FILE, "nieuw.csv", "link"]


def answers(db: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT id, statement_id, answer FROM answer "
                                  "ORDER BY id").fetchall()


def own_entries(data_dir: Path) -> list[str]:
    """What is in the data folder, but the log (the command logs its refusal there)."""
    return sorted(p.name for p in data_dir.iterdir() if p.name != "logs")


@pytest.fixture
def kiosk_folder(data_dir: Path):
    """A data folder with a database (a store kept open on it, as a running kiosk
    would) and a PIN file; yields (store, the bytes of staff.json)."""
    data_dir.mkdir(parents=True)
    pins = PinStore(data_dir / PIN_FILE)
    pins.set_pin("493817")
    store = Store.open(data_dir / paths.DB_NAME)
    session = store.start_session("Markt", "markt")
    visit = store.start_visit(session)
    store.record_answer(visit, "s1", "eens")
    store.finish_visit(visit, ["taalhuis"])
    try:
        yield store, (data_dir / PIN_FILE).read_bytes()
    finally:
        store.close()


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_on_the_kiosks_own_files_is_refused(kiosk_folder, data_dir: Path,
                                                       tmp_path: Path, command: str,
                                                       target: str) -> None:
    store, pin_bytes = kiosk_folder
    db = data_dir / paths.DB_NAME
    (tmp_path / "link").symlink_to(db)
    out = tmp_path / "link" if target == "link" else data_dir / target
    before = answers(db)
    inode = db.stat().st_ino
    listing = own_entries(data_dir)

    result = run_kiosk(*COMMANDS[command], "-o", str(out), "--quiet", timeout=120)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Kies een andere plek" in result.stderr
    if target in ("kiosk.db", "link"):
        assert "van de kiosk zelf (de database)" in result.stderr
    elif target == PIN_FILE:
        assert "van de kiosk zelf (het pincodebestand)" in result.stderr
    else:
        assert "ligt in de gegevensmap van de kiosk" in result.stderr
    assert db.stat().st_ino == inode  # not replaced ...
    assert answers(db) == before  # ... and still the same rows
    assert (data_dir / PIN_FILE).read_bytes() == pin_bytes
    assert own_entries(data_dir) == listing  # nothing new in the folder
    assert (tmp_path / "link").is_symlink()


def test_the_open_store_keeps_saving_into_the_live_file(kiosk_folder, data_dir: Path) -> None:
    store, _pin = kiosk_folder
    db = data_dir / paths.DB_NAME
    result = run_kiosk("export", "-o", str(db), timeout=120)
    assert result.returncode == 2
    session = store.start_session("Bieb", "bibliotheek")
    visit = store.start_visit(session)
    store.record_answer(visit, "s2", "oneens")  # a running kiosk saves after the refusal
    assert len(answers(db)) == 2  # into the file on disk, not a deleted one


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_elsewhere_is_written(kiosk_folder, data_dir: Path, tmp_path: Path,
                                        command: str) -> None:
    out = tmp_path / "uit" / {"export-csv": "telling.csv", "export-xlsx": "telling.xlsx",
                              "report": "rapport.pdf", "backup": "kopie.db",
                              "slip": "bon.pdf", "speech-say": "zin.wav"}[command]
    out.parent.mkdir()
    result = run_kiosk(*COMMANDS[command], "-o", str(out), timeout=180)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0


def test_a_data_folder_given_with_data_dir_and_the_default_one_are_both_protected(
        tmp_path: Path, data_dir: Path) -> None:
    """An export from a copy (``--data-dir``) must not replace the live database in the
    default data folder, nor write into the copy's folder."""
    copy = tmp_path / "kopie"
    copy.mkdir()
    with Store.open(copy / paths.DB_NAME) as store:
        store.start_session("Markt", "markt")
    with Store.open(data_dir / paths.DB_NAME) as store:
        store.start_session("Bieb", "bibliotheek")
    live = (data_dir / paths.DB_NAME).read_bytes()
    for out in (data_dir / paths.DB_NAME, copy / "uit.csv"):
        result = run_kiosk("export", "--data-dir", str(copy), "-o", str(out))
        assert result.returncode == 2, result.stderr
    assert (data_dir / paths.DB_NAME).read_bytes() == live
    assert not list(copy.glob("uit*"))


def test_speech_render_refuses_a_cache_among_the_kiosks_own_files(kiosk_folder,
                                                                  data_dir: Path) -> None:
    """The speech cache (``<cache folder>/speech``) may be a subfolder of the data folder
    of its own (Windows puts the cache folder there), never inside the logs."""
    result = run_kiosk("speech", "render", "--quiet",
                       env={"KIOSK_CACHE_DIR": str(data_dir / "logs")})
    assert result.returncode == 2
    assert "ligt in een map van de kiosk zelf (het logboek)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data_dir / "logs" / "speech").exists()


def test_screenshots_refuse_a_folder_inside_the_data_folder(kiosk_folder, data_dir: Path) -> None:
    result = run_kiosk("screenshots", "-o", str(data_dir / "plaatjes"))
    assert result.returncode == 2
    assert "ligt in de gegevensmap van de kiosk" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data_dir / "plaatjes").exists()


# -- the rule itself -----------------------------------------------------------------


def test_the_rule(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    db = data / paths.DB_NAME
    db.write_bytes(b"db")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()

    def refused(target: Path, **kwargs) -> str:
        with pytest.raises(OutputRefused) as caught:
            check_output_path(target, data, **kwargs)
        return str(caught.value)

    assert "(de database)" in refused(db)
    assert "(een hulpbestand van de database)" in refused(data / "kiosk.db-wal")
    assert "(het pincodebestand)" in refused(data / PIN_FILE)  # not there yet: still refused
    assert "(het logboek)" in refused(data / "logs" / "kiosk.log")
    assert "is de gegevensmap" in refused(data)
    assert "ligt in de gegevensmap" in refused(data / "nieuw" / "map" / "x.csv")
    hard = elsewhere / "hard.db"
    os.link(db, hard)  # the same file under another name
    assert "(de database)" in refused(hard)
    alias = elsewhere / "alias"
    alias.symlink_to(data)  # the folder under another name
    assert "ligt in de gegevensmap" in refused(alias / "x.csv")
    dangling = elsewhere / "dangling"
    dangling.symlink_to(data / "session.json")  # a link to an own file that is not there
    assert "van de kiosk zelf" in refused(dangling)
    other_db = elsewhere / "open.db"  # an open database elsewhere, given by the caller
    assert "(de database)" in refused(other_db, own_files=[other_db])
    assert "hulpbestand" in refused(elsewhere / "open.db-shm", own_files=[other_db])

    assert check_output_path(elsewhere / "x.csv", data) == elsewhere / "x.csv"
    assert check_output_path(elsewhere / "nieuw" / "x.csv", data) == elsewhere / "nieuw" / "x.csv"


def test_a_dedicated_exports_folder_may_be_inside_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    (data / paths.DB_NAME).write_bytes(b"db")
    exports = data / "exports"
    assert check_output_path(exports / "x.csv", data, allowed=[exports])
    with pytest.raises(OutputRefused):  # not the data folder's other places
        check_output_path(data / "x.csv", data, allowed=[exports])
    (exports).symlink_to(data / "logs")  # "exports" that is really the logs: refused
    with pytest.raises(OutputRefused):
        check_output_path(exports / "x.csv", data, allowed=[exports])
    with pytest.raises(OutputRefused):  # the data folder itself is never "dedicated"
        check_output_path(data / "x.csv", data, allowed=[data])
    with pytest.raises(OutputRefused):  # own files stay refused inside an allowed folder
        check_output_path(data / paths.DB_NAME, data, allowed=[data / paths.DB_NAME])


def test_every_data_folder_in_use_is_protected(tmp_path: Path) -> None:
    chosen = tmp_path / "kopie"
    folders = kiosk_data_dirs(chosen)
    assert chosen in folders
    assert Path(os.environ["KIOSK_DATA_DIR"]) in folders  # what a kiosk uses without one
