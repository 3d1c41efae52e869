"""The library's own settings as staff change them on the "Instellingen" screen.

The ``[library]`` table of ``library.toml``: the library's name, address, hours and
phone (the end screen and the slips show them), the outbox folder, and what a new
session starts with (statements per visit, volume). :func:`save` checks the values
by the content rules (:mod:`kiosk.core.content`: the same checks ``kiosk check``
runs), writes ``<data>/content/library.toml`` atomically, keeping every other line
of the file (``default_set``, ``[qr]``, comments), then reads the file back and
loads the content as the kiosk will: only then is it saved. A value that is not
allowed raises :class:`SettingsProblem` with a short Dutch reason, and nothing is
written. The data folder's content folder overrides the built-in one file by file
(:func:`kiosk.app.content_dirs`), so this one file is enough.

Standard library only; no Qt.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths
from kiosk.core import rules
from kiosk.core.content import ContentError, load_content
from kiosk.core.content.files import FILES, FileReader, Item
from kiosk.core.content.values import TEXT_LIMITS
from kiosk.core.files import write_text
from kiosk.core.model import DEFAULT_VOLUME, Content, Library

LIBRARY_FILE = "library.toml"
#: The keys of ``[library]`` this screen changes; the others stay as they are.
EDITED = ("name", "address", "hours", "phone", "per_visit", "outbox", "volume",
          "invitation_minutes")
#: Folders a sync tool keeps in the home folder, as staff know them.
SYNC_FOLDERS = (("Sync", "Syncthing"), ("Nextcloud", "Nextcloud"), ("OneDrive", "OneDrive"),
                ("Dropbox", "Dropbox"))
#: The kiosk's own folder inside a sync folder or on a stick.
OUTBOX_SUBFOLDER = "stellingenkiosk"
#: The longest outbox folder name taken.
MAX_FOLDER_CHARS = 200
#: Dutch names of the fields, for the reasons staff read.
FIELD_NAMES = {"name": "Naam van de bibliotheek", "address": "Adres",
               "hours": "Openingstijden", "phone": "Telefoon", "outbox": "Map voor de cijfers",
               "kiosk": "Naam van deze kiosk"}


class SettingsProblem(Exception):
    """A value that may not be saved (nothing was written), or saving failed.

    Attributes:
        field: the field it is about ("name", "outbox", ...), or None.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LibraryValues:
    """What the screen shows and saves. ``per_visit`` None: every statement of the set."""

    name: str
    address: str = ""
    hours: str = ""
    phone: str = ""
    outbox: str = ""
    per_visit: int | None = 3
    volume: int = DEFAULT_VOLUME
    #: Read the invitation aloud every this many minutes on the start screen; 0: never.
    invitation_minutes: int = 0

    @classmethod
    def of(cls, library: Library) -> LibraryValues:
        return cls(library.name, library.address, library.hours, library.phone,
                   library.outbox, library.per_visit, library.volume,
                   library.invitation_minutes)

    def toml_values(self) -> dict[str, object]:
        """The values as library.toml holds them (texts cleaned as the reader keeps them)."""
        return {"name": clean(self.name), "address": clean(self.address),
                "hours": clean(self.hours), "phone": clean(self.phone),
                "per_visit": "alle" if self.per_visit is None else self.per_visit,
                "outbox": self.outbox.strip(), "volume": self.volume,
                "invitation_minutes": self.invitation_minutes}


def clean(text: str) -> str:
    """A text as it is saved: as the rulebook stores text (one plain space between words,
    accents joined to their letters; :func:`kiosk.core.rules.clean_text`)."""
    return rules.clean_text(text)


def library_file(data_dir: Path) -> Path:
    """The data folder's own library.toml (it overrides the built-in one)."""
    return paths.user_content_dir(Path(data_dir)) / LIBRARY_FILE


# -- checking ------------------------------------------------------------------


def text_problem(key: str, text: str) -> str | None:
    """Why the library's ``key`` ("name", "address", "hours", "phone") cannot be ``text``,
    in short Dutch for staff; None when it may be saved. The rulebook's reasons, with the
    content's limits (:data:`~kiosk.core.content.values.TEXT_LIMITS`)."""
    text = clean(text)
    if not text:
        return "Typ de naam van de bibliotheek." if key == "name" else None
    limit = TEXT_LIMITS[("library", key)]
    return rules.text_problem(text, limit)


def kiosk_name_problem(name: str) -> str | None:
    """Why the kiosk cannot be called ``name`` (the rulebook, as for a place), or None."""
    return rules.name_problem(name)


def outbox_problem(folder: str, data_dir: Path) -> str | None:
    """Why ``folder`` cannot be the outbox, in short Dutch; None when it can ("" too:
    no outbox). A whole folder (from ``/``, a drive letter or ``~``), not inside the
    data folder (the house rule: outputs never land among the kiosk's own files)."""
    from kiosk.core.outputs import OutputRefused, check_output_path

    folder = folder.strip()
    if not folder:
        return None
    if len(folder) > MAX_FOLDER_CHARS:
        return rules.TOO_LONG.format(n=len(folder), max=MAX_FOLDER_CHARS)
    if (ch := rules.bad_char(folder)) is not None:
        return rules.HIDDEN.format(code=ord(ch))
    path = Path(folder).expanduser()
    if not path.is_absolute():
        return "Typ de hele map, bijvoorbeeld ~/Sync/stellingenkiosk."
    try:
        check_output_path(path, data_dir)
    except OutputRefused:
        return "Die map is van de kiosk zelf. Kies een andere map, zoals ~/Sync/stellingenkiosk."
    if path.exists() and not path.is_dir():
        return "Dat is een bestand, geen map. Kies een map."
    return None


def problems(values: LibraryValues, data_dir: Path) -> list[SettingsProblem]:
    """Every value that may not be saved, each with its field and a Dutch reason."""
    found = [SettingsProblem(f"{FIELD_NAMES[key]}: {reason}", key)
             for key in ("name", "address", "hours", "phone")
             if (reason := text_problem(key, getattr(values, key)))]
    if reason := outbox_problem(values.outbox, data_dir):
        found.append(SettingsProblem(f"{FIELD_NAMES['outbox']}: {reason}", "outbox"))
    if values.per_visit is not None and not 1 <= values.per_visit <= 1000:
        found.append(SettingsProblem("Kies hoeveel zinnen per bezoek.", "per_visit"))
    if not 0 <= values.volume <= 100:
        found.append(SettingsProblem("Het geluid is 0 tot 100.", "volume"))
    if not 0 <= values.invitation_minutes <= 60:
        found.append(SettingsProblem("Kies hoe vaak de uitnodiging klinkt: 0 tot 60 minuten.",
                                     "invitation_minutes"))
    return found


def check_text(text: str, where: str = LIBRARY_FILE) -> list[str]:
    """The content rules' problems with library.toml as ``text`` (empty: none)."""
    reader = FileReader(paths.pictogram_names())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [f"{where}: {error}"]
    reader.parse(Item(where, text, None, 1, None, {}), data, FILES[LIBRARY_FILE])
    return [str(problem) for problem in reader.problems]


# -- the file --------------------------------------------------------------------


def base_text(data_dir: Path, sources: Iterable[str] = ()) -> str:
    """The library.toml the new one starts from: the data folder's own; else the one the
    running content was read from (the last in ``sources``); else the built-in one."""
    own = library_file(data_dir)
    candidates = [own, *reversed([Path(s) for s in sources if Path(s).name == LIBRARY_FILE
                                  and Path(s).parent.name != "sets"]),
                  paths.default_content_dir() / LIBRARY_FILE]
    for path in candidates:
        try:
            return path.read_text(encoding="utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError):
            continue
    return "[library]\n"


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


_HEADER = re.compile(r"\s*\[\s*(\[)?\s*([A-Za-z0-9_-]+)\s*\]")


def compose(base: str, values: dict[str, object]) -> str:
    """``base`` (library.toml's text) with the ``[library]`` keys of ``values`` set; every
    other line stays (comments, ``default_set``, ``[qr]``). When the lines cannot be
    edited safely (a value over several lines), the file is written anew from its data."""
    lines = base.splitlines()
    start = next((n for n, line in enumerate(lines)
                  if (m := _HEADER.match(line)) and not m[1] and m[2] == "library"), None)
    if start is not None:
        end = next((n for n in range(start + 1, len(lines)) if _HEADER.match(lines[n])),
                   len(lines))
        last = start
        for n in range(start + 1, end):
            stripped = lines[n].strip()
            if stripped and not stripped.startswith("#"):
                last = n
        missing = []
        for key, value in values.items():
            found = [n for n in range(start + 1, end)
                     if re.match(rf"\s*{re.escape(key)}\s*=", lines[n])]
            if found:
                lines[found[0]] = f"{key} = {toml_value(value)}"
            else:
                missing.append(f"{key} = {toml_value(value)}")
        lines[last + 1:last + 1] = missing
        text = "\n".join(lines) + "\n"
        if _same_apart_from(base, text, values):
            return text
    return _rewrite(base, values)


def _same_apart_from(base: str, text: str, values: dict[str, object]) -> bool:
    """``text`` holds exactly ``base``'s data with ``values`` in ``[library]``."""
    try:
        before, after = tomllib.loads(base), tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    library = before.get("library")
    expected = {**before, "library": {**(library if isinstance(library, dict) else {}),
                                      **values}}
    return after == expected


def _rewrite(base: str, values: dict[str, object]) -> str:
    """library.toml written anew from ``base``'s data (its comments are lost)."""
    try:
        data = tomllib.loads(base)
    except tomllib.TOMLDecodeError:
        data = {}
    library = data.get("library") if isinstance(data.get("library"), dict) else {}
    data["library"] = {**library, **values}
    out = ["# The library's settings (written by the kiosk: Instellingen)."]
    for key, value in data.items():
        if not isinstance(value, dict):
            out.append(f"{key} = {toml_value(value)}")
    for name, table in data.items():
        if isinstance(table, dict):
            out.append(f"\n[{name}]")
            out += [f"{key} = {toml_value(value)}" for key, value in table.items()
                    if isinstance(value, str | int | bool)]
    return "\n".join(out) + "\n"


def save(data_dir: Path, values: LibraryValues, sources: Sequence[str] = (),
         extra_dirs: Sequence[Path] = ()) -> Content:
    """Check ``values``, write the data folder's library.toml, read it back and load the
    content as the kiosk does (built-in, the data folder's own, then ``extra_dirs``).

    Returns the content loaded with the new file (its ``library`` has the new values).

    Raises:
        SettingsProblem: a value is not allowed, or the content rules refuse the file
            (nothing written); or the file could not be written or read back (the
            previous file is put back).
    """
    data_dir = Path(data_dir)
    if found := problems(values, data_dir):
        raise found[0]
    target = library_file(data_dir)
    text = compose(base_text(data_dir, sources), values.toml_values())
    if refused := check_text(text, str(target)):
        raise SettingsProblem("Dat kan niet bewaard worden: " + refused[0])
    try:
        previous = target.read_bytes() if target.is_file() else None
    except OSError as error:
        raise SettingsProblem(_os_reason(error)) from error
    try:
        paths.private_dir(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text(target, text, newline="\n")
    except OSError as error:
        raise SettingsProblem(_os_reason(error)) from error
    try:
        if target.read_text(encoding="utf-8") != text:
            raise SettingsProblem("Het bestand is anders dan geschreven.")
        content = load_content(paths.default_content_dir(), target.parent, *extra_dirs)
        if LibraryValues.of(content.library) != _expected(values):
            raise SettingsProblem("De kiosk leest andere waarden terug.")
    except (OSError, UnicodeDecodeError, ContentError, SettingsProblem) as error:
        _put_back(target, previous)
        reason = str(error.problems[0] if isinstance(error, ContentError) else error)
        raise SettingsProblem(f"Bewaren lukte niet: {reason.rstrip('.')}. Er is niets "
                              "veranderd.") from error
    return content


def _expected(values: LibraryValues) -> LibraryValues:
    data = values.toml_values()
    return LibraryValues(str(data["name"]), str(data["address"]), str(data["hours"]),
                         str(data["phone"]), str(data["outbox"]), values.per_visit,
                         values.volume, values.invitation_minutes)


def _put_back(target: Path, previous: bytes | None) -> None:
    try:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            with open(target, "wb") as file:
                file.write(previous)
                file.flush()
                os.fsync(file.fileno())
    except OSError:
        pass  # the reason staff read says it did not work; the log has the rest


def _os_reason(error: OSError) -> str:
    return (f"Bewaren lukte niet: de map kan niet beschreven worden ({error.strerror or error})."
            " Er is niets veranderd.")


# -- the outbox folder ------------------------------------------------------------


@dataclass(frozen=True)
class OutboxChoice:
    """One folder staff can choose: the value stored, a title and a line under it."""

    value: str
    title: str
    detail: str


def home_form(path: Path, home: Path) -> str:
    """``path`` as stored: ``~/...`` inside the home folder (the same on every laptop)."""
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)


def outbox_choices(home: Path, sticks: Iterable[tuple[str, Path]] = (), current: str = ""
                   ) -> list[OutboxChoice]:
    """The outbox folders to offer: the sync folders in ``home`` that exist (Syncthing's
    ``Sync``, ``Nextcloud``, ``OneDrive``, ``Dropbox``), each USB stick (label, mount
    folder), the current folder if it is none of these, then "Geen map" (""). The copies
    go in a folder ``stellingenkiosk`` inside (made at the first copy)."""
    found: list[OutboxChoice] = []
    for folder, title in SYNC_FOLDERS:
        root = home / folder
        if root.is_dir():
            value = home_form(root / OUTBOX_SUBFOLDER, home)
            found.append(OutboxChoice(value, title, value))
    for label, mount in sticks:
        if Path(mount).is_dir():
            value = str(Path(mount) / OUTBOX_SUBFOLDER)
            found.append(OutboxChoice(value, f"USB-stick {label}", value))
    current = current.strip()
    if current and all(choice.value != current for choice in found):
        found.append(OutboxChoice(current, "De map van nu", current))
    found.append(OutboxChoice("", "Geen map", "De cijfers blijven op deze laptop."))
    return found
