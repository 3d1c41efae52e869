"""The outbox: each laptop leaves a consistent snapshot in a synced folder, the
coordinator merges the folder. Two data folders, one sync folder, one central folder.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from kiosk import paths
from kiosk.core.recorder import Recorder
from tests.conftest import run_kiosk


def simulate(data: Path, outbox: Path | None, visits: int, seed: int, *extra: str):
    args = ["simulate", "--visits", str(visits), "--seed", str(seed), "--no-speech",
            "--size", "1024x768", "--data-dir", str(data), *extra]
    if outbox is not None:
        args += ["--outbox", str(outbox)]
    result = run_kiosk(*args, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def count(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_two_laptops_a_synced_folder_and_the_coordinators_merge(tmp_path: Path) -> None:
    synced, central = tmp_path / "Syncthing" / "kiosk", tmp_path / "centraal"
    simulate(tmp_path / "laptop-a", synced, 4, 1)
    simulate(tmp_path / "laptop-b", synced, 3, 2)
    snapshots = sorted(synced.glob("*.db"))
    assert len(snapshots) == 2  # one file per laptop, named after the kiosk
    assert all(p.name.startswith("kiosk-") for p in snapshots)
    assert not list(synced.glob("*.tmp*"))  # never a half-written file in the folder
    for snapshot in snapshots:
        with closing(sqlite3.connect(snapshot)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    merged = run_kiosk("merge", str(synced), "--data-dir", str(central))
    assert merged.returncode == 0, merged.stderr
    answers = count(tmp_path / "laptop-a" / "kiosk.db", "answer") + count(
        tmp_path / "laptop-b" / "kiosk.db", "answer")
    assert count(central / "kiosk.db", "answer") == answers
    assert count(central / "kiosk.db", "session") == 2

    simulate(tmp_path / "laptop-a", synced, 2, 3)  # the next day: the snapshot is replaced
    assert len(list(synced.glob("*.db"))) == 2
    again = run_kiosk("merge", str(synced), "--data-dir", str(central))
    assert again.returncode == 0, again.stderr
    answers = count(tmp_path / "laptop-a" / "kiosk.db", "answer") + count(
        tmp_path / "laptop-b" / "kiosk.db", "answer")
    assert count(central / "kiosk.db", "answer") == answers
    assert count(central / "kiosk.db", "session") == 3


def test_the_outbox_can_be_set_in_library_toml(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(paths.default_content_dir(), content)
    library = content / "library.toml"
    library.write_text(library.read_text(encoding="utf-8").replace(
        'default_set = "taalhuis"', 'default_set = "taalhuis"\noutbox = "naar-de-bieb"'),
        encoding="utf-8")
    data = tmp_path / "data"
    simulate(data, None, 1, 1, "--content", str(content))
    assert len(list((data / "naar-de-bieb").glob("kiosk-*.db"))) == 1


def test_the_outbox_object_writes_and_says_when_it_cannot(qtbot, tmp_path: Path) -> None:
    from kiosk.gui.outbox import Outbox

    recorder = Recorder(tmp_path / "data" / "kiosk.db")
    try:
        recorder.start_session("Markt", "markt").result()
        outbox = Outbox(recorder, tmp_path / "out")
        with qtbot.waitSignal(outbox.written, timeout=30_000) as written:
            outbox.write_now()
        assert Path(written.args[0]).parent == tmp_path / "out"
        blocked = tmp_path / "a-file"
        blocked.write_text("not a folder", encoding="utf-8")
        broken = Outbox(recorder, blocked)
        with qtbot.waitSignal(broken.failed, timeout=30_000) as failed:
            broken.write_now()
        assert failed.args[0].startswith("De kopie voor de synchronisatiemap lukte niet.")
    finally:
        recorder.close()
