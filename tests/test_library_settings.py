"""The library's settings as the "Instellingen" screen saves them (no Qt), the kiosk's own
name in the database, the merge and the outbox file, and library.toml's ``volume``.

Real files, a real SQLite database, the real content loader and merge.
"""

from __future__ import annotations

import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.app import Options, load_content, outbox_folder
from kiosk.core.content import ContentError
from kiosk.core.content import load_content as load_folders
from kiosk.core.content.workbook import read_workbook, write_workbook
from kiosk.core.databases import describe_database
from kiosk.core.library_settings import (
    LibraryValues,
    SettingsProblem,
    compose,
    library_file,
    outbox_choices,
    outbox_problem,
    save,
)
from kiosk.core.model import DEFAULT_VOLUME
from kiosk.core.store import Store, snapshot_name

BUILT_IN = paths.default_content_dir()


def values(**changed) -> LibraryValues:
    base = dict(name="Bibliotheek Zuid", address="Markt 1, Zuidstad", hours="ma-vr 10-17 uur",
                phone="010 123 45 67", outbox="", per_visit=3, volume=DEFAULT_VOLUME)
    return LibraryValues(**{**base, **changed})


def loaded(data: Path):
    """The content as ``kiosk run`` loads it for this data folder."""
    problems: list[str] = []
    content = load_content(Options(data_dir=data), problems.append)
    assert not problems, problems
    return content


# -- library.toml ---------------------------------------------------------------------


def test_saving_writes_a_library_toml_that_the_kiosk_loads(data_dir: Path) -> None:
    content = save(data_dir, values(name="Café & Co Bibliotheek", per_visit=None, volume=60))
    assert content.library.name == "Café & Co Bibliotheek"
    library = loaded(data_dir).library
    assert (library.name, library.per_visit, library.volume) == ("Café & Co Bibliotheek",
                                                                  None, 60)
    assert library.address == "Markt 1, Zuidstad"
    assert library.phone == "010 123 45 67"
    written = library_file(data_dir).read_text(encoding="utf-8")
    assert 'name = "Café & Co Bibliotheek"' in written
    assert 'default_set = "taalhuis"' in written  # the other keys stay
    assert "# The statement set the kiosk starts with" in written  # and the comments


def test_the_other_keys_of_an_own_library_toml_stay(data_dir: Path) -> None:
    own = library_file(data_dir)
    own.parent.mkdir(parents=True)
    own.write_text('# mijn eigen bestand\n[library]\nname = "Oud"\ndefault_set = "taalhuis"\n'
                   "per_visit = 4\n\n[qr]\ntags = true\n", encoding="utf-8")
    save(data_dir, values(per_visit=4))
    data = tomllib.loads(own.read_text(encoding="utf-8"))
    assert data["qr"] == {"tags": True}
    assert data["library"]["default_set"] == "taalhuis"
    assert data["library"]["name"] == "Bibliotheek Zuid"
    assert data["library"]["per_visit"] == 4
    assert own.read_text(encoding="utf-8").startswith("# mijn eigen bestand\n")
    assert loaded(data_dir).qr_tags


@pytest.mark.parametrize(("changed", "field", "words"), [
    ({"name": "B" * 70}, "name", "Te lang: 70 tekens. Het mag 60 tekens zijn."),
    ({"name": "<b>Bieb</b>"}, "name", "Haal de tekens < en > weg."),
    ({"name": "   "}, "name", "Typ de naam van de bibliotheek."),
    ({"hours": "ma\u200b-vr"}, "hours", "onzichtbaar"),
    ({"phone": "0" * 31}, "phone", "Te lang"),
    ({"outbox": "Sync/kiosk"}, "outbox", "Typ de hele map"),
    ({"volume": 101}, "volume", "0 tot 100"),
])
def test_a_bad_value_is_refused_in_dutch_and_nothing_is_written(
        data_dir: Path, changed: dict, field: str, words: str) -> None:
    with pytest.raises(SettingsProblem) as refused:
        save(data_dir, values(**changed))
    assert refused.value.field == field
    assert words in str(refused.value)
    assert not library_file(data_dir).exists()


def test_a_refused_value_leaves_the_saved_file_as_it_was(data_dir: Path) -> None:
    save(data_dir, values())
    before = library_file(data_dir).read_bytes()
    with pytest.raises(SettingsProblem):
        save(data_dir, values(address="<script>"))
    assert library_file(data_dir).read_bytes() == before


def test_a_folder_that_cannot_be_written_is_a_dutch_reason(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "content").write_text("geen map", encoding="utf-8")  # in the way
    with pytest.raises(SettingsProblem, match="Bewaren lukte niet"):
        save(data_dir, values())


def test_an_outbox_inside_the_data_folder_is_refused(data_dir: Path, tmp_path: Path) -> None:
    assert "van de kiosk zelf" in outbox_problem(str(data_dir / "uit"), data_dir)
    assert outbox_problem("", data_dir) is None
    assert outbox_problem(str(tmp_path / "Sync" / "kiosk"), data_dir) is None
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    assert "geen map" in outbox_problem(str(tmp_path / "bestand"), data_dir)


def test_the_outbox_folder_is_resolved_as_the_kiosk_does(data_dir: Path) -> None:
    save(data_dir, values(outbox="~/Sync/stellingenkiosk"))  # made at the first copy
    content = loaded(data_dir)
    assert content.library.outbox == "~/Sync/stellingenkiosk"
    assert outbox_folder(Options(data_dir=data_dir), content) == (
        Path("~/Sync/stellingenkiosk").expanduser())


def test_outbox_choices_are_only_folders_that_exist(tmp_path: Path) -> None:
    home, stick = tmp_path / "home", tmp_path / "media" / "KINGSTON"
    (home / "Sync").mkdir(parents=True)
    (home / "Dropbox").mkdir()
    (home / "OneDrive").write_text("een bestand, geen map", encoding="utf-8")
    stick.mkdir(parents=True)
    choices = outbox_choices(home, [("KINGSTON", stick), ("WEG", tmp_path / "weg")])
    assert [(c.title, c.value) for c in choices] == [
        ("Syncthing", "~/Sync/stellingenkiosk"), ("Dropbox", "~/Dropbox/stellingenkiosk"),
        ("USB-stick KINGSTON", str(stick / "stellingenkiosk")), ("Geen map", "")]
    kept = outbox_choices(home, current="/srv/gedeeld/kiosk")
    assert ("De map van nu", "/srv/gedeeld/kiosk") in [(c.title, c.value) for c in kept]


def test_compose_edits_lines_and_rewrites_what_it_cannot_edit() -> None:
    base = '[library]\nname = "A"  # een opmerking\n\n[qr]\ntags = true\n'
    text = compose(base, {"name": "B", "volume": 50})
    assert tomllib.loads(text) == {"library": {"name": "B", "volume": 50},
                                   "qr": {"tags": True}}
    multi = '[library]\nname = """A\nB"""\n[qr]\ntags = false\n'
    again = compose(multi, {"name": "C"})
    assert tomllib.loads(again) == {"library": {"name": "C"}, "qr": {"tags": False}}


# -- volume in the content --------------------------------------------------------------


def own_library(tmp_path: Path, line: str) -> Path:
    folder = tmp_path / "eigen"
    folder.mkdir()
    (folder / "library.toml").write_text(f'[library]\nname = "Bieb"\n{line}\n',
                                          encoding="utf-8")
    return folder


@pytest.mark.parametrize("line", ["volume = 101", "volume = -1", 'volume = "80"',
                                  "volume = 7.5", "volume = true"])
def test_a_bad_volume_in_library_toml_is_a_problem_at_its_line(tmp_path: Path,
                                                               line: str) -> None:
    with pytest.raises(ContentError) as error:
        load_folders(BUILT_IN, own_library(tmp_path, line))
    assert "library.toml:3" in str(error.value)
    assert "volume moet een heel getal van 0 tot 100 zijn" in str(error.value)


def test_volume_is_read_and_defaults_to_the_one_default(tmp_path: Path) -> None:
    assert load_folders(BUILT_IN, own_library(tmp_path, "volume = 0")).library.volume == 0
    assert load_folders(BUILT_IN).library.volume == DEFAULT_VOLUME == 80
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "library.toml").write_text('[library]\nname = "Bieb"\n', encoding="utf-8")
    assert load_folders(BUILT_IN, bare).library.volume == DEFAULT_VOLUME


def test_the_workbook_carries_the_volume(tmp_path: Path) -> None:
    from kiosk.core.content import ContentReader

    reader = ContentReader(paths.pictogram_names())
    parsed, _sources = reader.parse_dirs([BUILT_IN, own_library(tmp_path, "volume = 35")])
    out = tmp_path / "inhoud.xlsx"
    write_workbook(parsed, out)
    content, _files = read_workbook(out)
    assert content.library.volume == 35


# -- the kiosk's own name -------------------------------------------------------------------


def test_a_kiosk_name_is_stored_with_a_new_version_and_checked(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a" / "kiosk.db") as store:
        assert store.kiosk_name() == f"kiosk-{store.kiosk_id[:8]}"
        assert store.rename_kiosk("  Kiosk   bakfiets ") == "Kiosk bakfiets"
        version = store.db.execute("SELECT version FROM kiosk").fetchone()[0]
        assert version == 2
        store.rename_kiosk("Kiosk bakfiets")  # the same name: no new version
        assert store.db.execute("SELECT version FROM kiosk").fetchone()[0] == 2
        for bad, reason in (("K" * 61, "Te lang"), ("<b>kiosk</b>", "< en >"),
                            ("   ", "Typ eerst iets")):
            with pytest.raises(ValueError, match=reason):
                store.rename_kiosk(bad)
        assert store.kiosk_name() == "Kiosk bakfiets"


def test_the_name_travels_in_the_outbox_file_and_the_merge(tmp_path: Path) -> None:
    outbox, central = tmp_path / "Sync" / "stellingenkiosk", tmp_path / "centraal"
    with Store.open(tmp_path / "laptop" / "kiosk.db") as laptop:
        laptop.start_session("Markt")
        first = laptop.snapshot(outbox)
        assert first.name == f"kiosk-{laptop.kiosk_id[:8]}.db"
        with Store.open(central / "kiosk.db") as coordinator:
            coordinator.merge([outbox])
            laptop.rename_kiosk("Laptop Taalhuis 2 & Café")
            named = laptop.snapshot(outbox)
            assert named.name == f"Laptop-Taalhuis-2-Cafe-{laptop.kiosk_id[:8]}.db"
            assert sorted(outbox.glob("*.db")) == [named]  # the old copy is gone
            assert describe_database(named).kiosk_name == "Laptop Taalhuis 2 & Café"
            report = coordinator.merge([outbox])
            assert report.updated[named]["kiosk"] == 1  # a file may rename its own kiosk
            assert report.names[named] == "Laptop Taalhuis 2 & Café"
            assert f"{named} (Laptop Taalhuis 2 & Café):" in report.lines()
            with closing(sqlite3.connect(central / "kiosk.db")) as conn:
                names = {row[0] for row in conn.execute("SELECT name FROM kiosk")}
            assert "Laptop Taalhuis 2 & Café" in names
    assert describe_database(tmp_path / "laptop" / "kiosk.db").kiosk_name == (
        "Laptop Taalhuis 2 & Café")


def test_a_snapshot_of_another_kiosk_with_the_same_short_id_stays(tmp_path: Path) -> None:
    outbox = tmp_path / "uit"
    with Store.open(tmp_path / "a" / "kiosk.db") as store:
        outbox.mkdir()
        stranger = outbox / f"Iemand-anders-{store.kiosk_id[:8]}.db"
        with closing(sqlite3.connect(stranger)) as conn:
            conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('kiosk_id', 'iemand-anders')")
            conn.commit()
        store.snapshot(outbox)
    assert stranger.exists()


@pytest.mark.parametrize(("name", "file"), [
    ("Kiosk bakfiets", "Kiosk-bakfiets-12345678.db"),
    ("kiosk-12345678", "kiosk-12345678.db"),
    ("Ééé", "Eee-12345678.db"),
    ("€€€", "kiosk-12345678.db"),
    ("a/b\\c:d", "a-b-c-d-12345678.db"),
])
def test_snapshot_names_are_readable_and_file_safe(name: str, file: str) -> None:
    assert snapshot_name(name, "12345678-aaaa-bbbb-cccc-dddddddddddd") == file
