"""The content as a workbook: export, check (each problem names its cell), import, restore.

Real files and real processes; the round trip goes through LibreOffice Calc
(xlsx -> ods -> xlsx), as a coordinator's edit would.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kiosk import paths
from kiosk.core.content import ContentError, ContentReader
from kiosk.core.content.install import install
from kiosk.core.content.workbook import SHEETS, read_workbook
from tests.conftest import run_kiosk


def cell_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {title: [tuple(v for v in row) for row in book[title].iter_rows(values_only=True)
                        if any(v is not None for v in row)]
                for title in book.sheetnames}
    finally:
        book.close()


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def soffice(source: Path, to: str, outdir: Path, profile: Path) -> Path:
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", to, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    result = outdir / f"{source.stem}.{to}"
    assert result.is_file(), done.stdout + done.stderr
    return result


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    out = tmp_path / "inhoud.xlsx"
    result = run_kiosk("content", "export", str(out), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    return out


def test_the_workbook_has_a_sheet_per_kind_with_explained_headers(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames[:3] == ["stellingen", "stellingensets", "thema's"]
    assert "bibliotheek" in book.sheetnames
    assert "aanpakken" in book.sheetnames
    statements = book["stellingen"]
    assert [c.value for c in statements[1]] == ["id", "tekst", "thema", "pictogram", "uitleg",
                                                "set"]
    assert all(c.comment is not None and c.comment.text for c in statements[1])
    assert statements.freeze_panes == "A2"
    assert statements.column_dimensions["B"].width >= 40
    lists = {str(v.sqref).split(":")[0]: v.formula1
             for v in statements.data_validations.dataValidation}
    assert lists["C2"] == "'thema''s'!$A$2:$A$1000"
    assert statements["B2"].value == "Ik vind brieven van de gemeente moeilijk."
    places = {str(v.sqref).split(":")[0] for v in book["plekken"].data_validations.dataValidation}
    assert places == {"B2"}
    settings = {r[0].value: r[1].value for r in book["bibliotheek"].iter_rows(min_row=2)}
    assert settings["stellingen per bezoek"] == 3
    assert settings["standaardset"] == "taalhuis"


def test_round_trip_through_libreoffice_gives_the_same_cells(exported: Path,
                                                              tmp_path: Path) -> None:
    profile = tmp_path / "lo-profile"  # a private profile: tests run side by side
    ods = soffice(exported, "ods", tmp_path / "ods", profile)
    back = soffice(ods, "xlsx", tmp_path / "back", profile)
    data = tmp_path / "data"
    result = run_kiosk("content", "import", str(back), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "inhoud geïnstalleerd" in result.stdout
    assert (data / "content" / "sets" / "taalhuis.toml").is_file()
    again = tmp_path / "opnieuw.xlsx"
    result = run_kiosk("content", "export", str(again), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert cell_values(again) == cell_values(exported)
    assert run_kiosk("check", str(back)).returncode == 0


def test_a_problem_names_its_cell_in_dutch(exported: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(exported)
    book["stellingen"]["B3"] = "Ik kan niet goed lezen."
    book["stellingen"]["C5"] = "sport"
    book["regels"]["B2"] = "ja"
    book["bibliotheek"]["B2"] = None  # naam
    book["bibliotheek"]["B9"] = "misschien"  # qr-tags
    bad = tmp_path / "fout.xlsx"
    book.save(bad)
    result = run_kiosk("check", str(bad))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith('stellingen!B3: ') and '"niet"' in line and "Oplossing:" in line
               for line in lines), result.stderr
    assert any(line.startswith('stellingen!C5: ') and 'geen thema "sport"' in line
               for line in lines), result.stderr
    assert any(line.startswith("regels!B2: ") for line in lines), result.stderr
    assert "bibliotheek!B2: bibliotheek: naam ontbreekt. Oplossing: vul deze cel in." in lines
    assert "bibliotheek!B9: bibliotheek: qr-tags moet ja of nee zijn. Oplossing: kies ja of " \
           "nee." in lines
    assert result.stderr.rstrip().endswith("5 problemen in de inhoud.")
    assert "Traceback" not in result.stderr


def test_a_refused_import_changes_nothing(exported: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_kiosk("content", "import", str(exported), "--data-dir", str(data)).returncode == 0
    before = folder_files(data)
    book = openpyxl.load_workbook(exported)
    book["stellingen"]["B2"] = "Ik lees nooit de krant."
    bad = tmp_path / "fout.xlsx"
    book.save(bad)
    result = run_kiosk("content", "import", str(bad), "--data-dir", str(data))
    assert result.returncode == 1
    assert result.stderr.startswith("stellingen!B2: ")
    assert folder_files(data) == before
    assert sorted(p.name for p in data.iterdir()) == ["content", "content.vorige"]


def test_restore_puts_the_previous_content_back(exported: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_kiosk("content", "restore", "--data-dir", str(data)).returncode == 1
    assert run_kiosk("content", "import", str(exported), "--data-dir", str(data)).returncode == 0
    first = folder_files(data / "content")
    book = openpyxl.load_workbook(exported)
    book["stellingen"]["B2"] = "Ik vind brieven van de bank moeilijk."
    changed = tmp_path / "nieuw.xlsx"
    book.save(changed)
    assert run_kiosk("content", "import", str(changed), "--data-dir", str(data)).returncode == 0
    assert b"van de bank" in (data / "content" / "sets" / "taalhuis.toml").read_bytes()
    result = run_kiosk("content", "restore", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert folder_files(data / "content") == first
    assert b"van de bank" in (data / "content.vorige" / "sets" / "taalhuis.toml").read_bytes()


def test_export_into_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    result = run_kiosk("content", "export", str(data / "inhoud.xlsx"), "--data-dir", str(data))
    assert result.returncode == 2
    assert not (data / "inhoud.xlsx").exists()


def test_a_hostile_file_is_a_dutch_problem_not_a_traceback(tmp_path: Path) -> None:
    fake = tmp_path / "inhoud.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(ContentError) as caught:
        read_workbook(fake)
    assert "geen werkmap" in str(caught.value)
    result = run_kiosk("check", str(tmp_path))  # a folder, not a workbook: the TOML check
    assert "Traceback" not in result.stderr


def test_install_writes_toml_that_the_toml_reader_reads_back(exported: Path,
                                                             tmp_path: Path) -> None:
    content, parsed = read_workbook(exported)
    folder = install(parsed, tmp_path / "data")
    reader = ContentReader(paths.pictogram_names())
    again = reader.build(*reader.parse_dirs([paths.default_content_dir(), folder]))
    assert reader.problems == []
    assert again.sets == content.sets
    assert again.library == content.library
    assert again.courses == content.courses
    assert again.locations == content.locations
    assert {s.title for s in SHEETS} <= set(openpyxl.load_workbook(exported).sheetnames)
    shutil.rmtree(folder)


def test_unknown_sheets_columns_and_sets_are_named_by_cell(exported: Path,
                                                            tmp_path: Path) -> None:
    book = openpyxl.load_workbook(exported)
    book.create_sheet("kladblok")
    book["cursussen"]["G1"] = "prijs"
    book["stellingen"]["F4"] = "bestaat-niet"
    del book["thema's"]
    bad = tmp_path / "fout.xlsx"
    book.save(bad)
    with pytest.raises(ContentError) as caught:
        read_workbook(bad)
    lines = str(caught.value).splitlines()
    assert any(line.startswith('kladblok!A1: onbekend werkblad "kladblok"') for line in lines)
    assert any(line.startswith('cursussen!G1: onbekende kolom "prijs"') for line in lines)
    assert any(line.startswith('stellingen!F4: er is geen stellingenset "bestaat-niet"')
               for line in lines)
    assert any(line.startswith("thema's: het werkblad \"thema's\" ontbreekt") for line in lines)


def test_a_new_data_folder_is_private(exported: Path, tmp_path: Path) -> None:
    _, parsed = read_workbook(exported)
    folder = install(parsed, tmp_path / "nieuw" / "data")
    assert (folder.parent.stat().st_mode & 0o777) == 0o700


def test_too_many_rows_and_a_missing_or_other_file_are_dutch_problems(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "signalen"
    book.active.append(["id", "naam"])
    for number in range(5001):
        book.active.append([f"s{number}", "Geldzorgen"])
    big = tmp_path / "groot.xlsx"
    book.save(big)
    with pytest.raises(ContentError) as caught:
        read_workbook(big)
    assert "signalen!A5002: het werkblad heeft meer dan 5000 regels" in str(caught.value)
    result = run_kiosk("check", str(tmp_path / "weg.xlsx"))
    assert result.returncode == 1
    assert "de werkmap bestaat niet" in result.stderr
    ods = tmp_path / "inhoud.ods"
    ods.write_bytes(b"not a workbook")
    result = run_kiosk("check", str(ods))
    assert result.returncode == 1
    assert "sla de werkmap op als Excel-werkmap (.xlsx)" in result.stderr
