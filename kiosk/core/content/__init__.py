"""Read the content folders (TOML) into a :class:`~kiosk.core.model.Content`, and check them.

Every problem names the file, the line (or the item) and a fix, in Dutch: coordinators
read them (``kiosk check``). All problems are collected before :class:`ContentError` is
raised, so a coordinator fixes them in one go. Things worth fixing that do not stop the
kiosk (a hard word without word help) become :attr:`~kiosk.core.model.Content.warnings`.

The package: :mod:`~kiosk.core.content.values` checks one value (its characters by the
rulebook :mod:`kiosk.core.rules`, words, ids, URLs, QR codes);
:mod:`~kiosk.core.content.files` reads the TOML files and checks each table's shape;
:mod:`~kiosk.core.content.workbook` reads and writes the same content as one workbook
(``inhoud.xlsx``) and checks it through the same reader; :mod:`~kiosk.core.content.install`
installs checked content in the data folder and puts the previous one back. This module
checks what the files say about each other, builds the model and keeps the last good
content. The public names of values and files are importable from here too.
Standard library only; no Qt.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.core.content.files import (  # noqa: F401 - re-exported: one import for callers
    ALL_WORDS,
    COUNT_FIELDS,
    DEFAULT_FOLDER,
    FIELDS,
    FILES,
    FLAG_FIELDS,
    MINUTE_FIELDS,
    OPTIONAL_FIELDS,
    OPTIONAL_FILES,
    PERCENT_FIELDS,
    REQUIRED_KEYS,
    SET_FILE,
    ContentError,
    FileReader,
    Item,
    Problem,
)
from kiosk.core.content.values import (  # noqa: F401 - re-exported: one import for callers
    BIG_WORDS,
    HARD_WORDS,
    LANGUAGES,
    MAX_LINE_CHARS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MAX_UITLEG_CHARS,
    MAX_UITLEG_WORDS,
    MAX_WORD_CHARS,
    MAX_WORDS,
    NAME_FIELDS,
    NEGATIONS,
    QR_MAX_MODULES,
    TEXT_LIMITS,
    did_you_mean,
    hard_words,
    negations,
    value_problem,
)
from kiosk.core.files import write_text
from kiosk.core.model import (
    DEFAULT_VOLUME,
    Approach,
    Content,
    Course,
    Library,
    Location,
    Partner,
    Rule,
    SignalKind,
    Statement,
    StatementSet,
)

log = logging.getLogger(__name__)

#: Statements per visit when library.toml does not say (``per_visit``).
DEFAULT_PER_VISIT = 3
SNAPSHOT_VERSION = 1


def _count_value(text: str | None) -> int | None:
    """A checked ``per_visit`` as the model holds it: missing -> 3, "all" -> None."""
    if text is None:
        return DEFAULT_PER_VISIT
    return None if text in ALL_WORDS else int(text)


def _percent_value(text: str | None) -> int:
    """A checked ``volume`` as the model holds it: missing -> the default (80)."""
    return DEFAULT_VOLUME if text is None else int(text)


class _Reader(FileReader):
    """Reads content folders, checks them within and between files, and builds the model."""

    def unique(self, items: list[Item], key: str) -> None:
        """No two items may share ``key``."""
        seen: dict[str, Item] = {}
        for item in (i for i in items if key in i.values):
            first = seen.setdefault(item.values[key], item)
            if first is not item:
                place, line = first.where(key)
                self.at(item, key, f'{key} "{item.values[key]}" staat er twee keer (eerst '
                        f"in {place if line is None else f'{place}:{line}'})",
                        f"geef ze elk een eigen {key}.")

    def known(self, items: list[Item], key: str, choices: Collection[str] | None,
              what: str) -> None:
        """Each item's ``key`` must be in ``choices`` (None: unreadable, so not checked);
        ``what`` is the Dutch noun for one choice ("cursus")."""
        for item in items:
            value = item.values.get(key)
            if choices is not None and value is not None and value not in choices:
                self.at(item, key, f'er is geen {what} "{value}"',
                        did_you_mean(value, choices, what))

    def explained(self, statements: list[Item]) -> None:
        """Warn about statements that use a hard word and have no uitleg."""
        for item in statements:
            found = hard_words(item.get("text"))
            if not found or item.get("uitleg"):
                continue
            unique = list(dict.fromkeys(found))
            words = ", ".join(f'"{word}"' for word in unique)
            self.warnings.append(Problem(
                *item.where("text"), item.label,
                f"{'moeilijke woorden' if len(unique) > 1 else 'moeilijk woord'} {words} "
                "zonder uitleg (woordhulp)",
                f'zet onder de text een regel uitleg = "...": één korte zin die zegt wat '
                f'{words} {"betekenen" if len(unique) > 1 else "betekent"}, zoals '
                'uitleg = "Met DigiD laat je op internet zien wie je bent."'))

    def parse_dirs(self, dirs: list[Path]) -> tuple[dict[str, Any], tuple[str, ...]]:
        """Read and check each file of ``dirs``: relative path -> its tables (None:
        unreadable), and the files read."""
        files = self.files(dirs)
        parsed = {rel: self.read(path, SET_FILE if rel.startswith("sets/") else FILES[rel])
                  for rel, path in files.items()}
        if not any(rel.startswith("sets/") for rel in files):
            self.add(str(dirs[0] / "sets"), None, None, "geen stellingensets gevonden",
                     "voeg een bestand sets/<naam>.toml toe, met een tabel [set] en blokken "
                     "[[statement]].")
        return parsed, tuple(str(path) for path in files.values())

    def load(self, dirs: list[Path]) -> Content:
        """Read, check and build; problems are left in ``self.problems``."""
        return self.build(*self.parse_dirs(dirs))

    def build(self, parsed: dict[str, Any], sources: tuple[str, ...]) -> Content:
        """Check what the parsed files (relative path -> tables, from TOML files or a
        workbook: :mod:`kiosk.core.content.workbook`) say about each other; build."""
        set_files = sorted(rel for rel in parsed if rel.startswith("sets/"))

        def items(key: str, *rels: str) -> list[Item]:
            return [item for rel in rels for item in (parsed.get(rel) or {}).get(key, [])]

        def ids(found: list[Item], rels: list[str], key: str = "id") -> set[str] | None:
            """The values of ``key``; None when a file or an id is unreadable (no cascade)."""
            if not rels or any(parsed.get(rel) is None for rel in rels):
                return None
            values = {item.values.get(key) for item in found}
            return None if None in values else values

        library, top = items("library", "library.toml"), items("", "rules.toml")
        qr = items("qr", "library.toml")
        themes, courses = items("theme", "themes.toml"), items("course", "courses.toml")
        rules, locations = items("rule", "rules.toml"), items("location", "locations.toml")
        heads, statements = items("set", *set_files), items("statement", *set_files)
        partners, signals = items("partner", "partners.toml"), items("signal", "signals.toml")
        approaches = items("approach", "approaches.toml")
        pronounce = items("pronounce", "uitspraak.toml")
        for found, key in ((themes, "id"), (courses, "id"), (locations, "name"),
                           (heads, "id"), (statements, "id"), (partners, "id"), (signals, "id"),
                           (partners, "name"), (signals, "name"), (approaches, "id"),
                           (approaches, "name"), (pronounce, "written")):
            self.unique(found, key)
        course_ids = ids(courses, ["courses.toml"])
        self.known(statements, "theme", ids(themes, ["themes.toml"]), "thema")
        self.known(rules, "statement", ids(statements, set_files), "stelling")
        self.known(rules, "course", course_ids, "cursus")
        self.known(top, "default_course", course_ids, "cursus")
        self.known([i for i in library if i.get("default_set")], "default_set",
                   ids(heads, set_files), "stellingenset")

        self.explained(statements)

        def make(cls: type, item: Item) -> Any:
            names = {f.name for f in dataclasses.fields(cls)}  # check-only fields stay out
            return cls(**{key: _count_value(item.values.get(key)) if key in COUNT_FIELDS
                          else _percent_value(item.values.get(key)) if key in PERCENT_FIELDS
                          else int(item.values.get(key) or 0) if key in MINUTE_FIELDS
                          else item.get(key) for key in FIELDS[item.kind or ""] if key in names})

        sets: dict[str, StatementSet] = {}
        for rel in set_files:
            for head in items("set", rel):
                found = tuple(make(Statement, s) for s in items("statement", rel))
                sets[head.get("id")] = StatementSet(
                    head.get("id"), head.get("name"), head.get("language"), found)
        return Content(
            library=make(Library, library[0]) if library else Library(name=""),
            sets=sets,
            courses={c.get("id"): make(Course, c) for c in courses},
            rules=tuple(make(Rule, r) for r in rules),
            default_course=top[0].get("default_course") if top else "",
            locations=tuple(make(Location, loc) for loc in locations),
            themes={t.get("id"): t.get("name") for t in themes},
            sources=sources,
            qr_tags=bool(qr) and qr[0].get("tags") == "true",
            warnings=tuple(map(str, self.warnings)),
            partners={p.get("id"): make(Partner, p) for p in partners},
            signals={s.get("id"): make(SignalKind, s) for s in signals},
            approaches={a.get("id"): make(Approach, a) for a in approaches},
            pronunciations={p.get("written"): p.get("spoken") for p in pronounce},
        )


#: The checker, for readers of other sources (:mod:`kiosk.core.content.workbook`).
ContentReader = _Reader


def load_content(*dirs: Path, pictograms: frozenset[str] | None = None) -> Content:
    """Read content from ``dirs``; a later folder's file replaces the same file (same
    relative path) of an earlier one. Raise :class:`ContentError` with every problem."""
    reader = _Reader(paths.pictogram_names() if pictograms is None else pictograms)
    content = reader.load([Path(d) for d in dirs] or [paths.default_content_dir()])
    if reader.problems:
        raise ContentError(reader.problems)
    return content


def checked_files(dirs: list[Path], pictograms: frozenset[str] | None = None
                  ) -> dict[str, Any]:
    """The parsed files of ``dirs`` (relative path -> tables, as :func:`load_content` reads
    them), for :func:`kiosk.core.content.workbook.write_workbook`; checked first.

    Raises:
        ContentError: every problem, each with its file and line.
    """
    reader = _Reader(paths.pictogram_names() if pictograms is None else pictograms)
    parsed, sources = reader.parse_dirs([Path(d) for d in dirs])
    reader.build(parsed, sources)
    if reader.problems:
        raise ContentError(reader.problems)
    return parsed


def summary(content: Content) -> str:
    """One line about what was loaded, for ``kiosk check`` and the log."""
    parents = (Path(source).parent for source in content.sources)
    roots = dict.fromkeys(f"{p.parent if p.name == 'sets' else p}/" for p in parents)

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    statements = sum(len(s.statements) for s in content.sets.values())
    return (f"inhoud in orde: {count(statements, 'stelling', 'stellingen')} in "
            f"{count(len(content.sets), 'set', 'sets')}, "
            f"{count(len(content.courses), 'cursus', 'cursussen')}, "
            f"{count(len(content.rules), 'koppeling', 'koppelingen')}, "
            f"{count(len(content.locations), 'plek', 'plekken')}, "
            f"{count(len(content.partners), 'partner', 'partners')}, "
            f"{count(len(content.signals), 'signaal', 'signalen')}, "
            f"{count(len(content.approaches), 'aanpak', 'aanpakken')}"
            f" (uit {' + '.join(roots) or '?'})")


def content_to_dict(content: Content) -> dict[str, Any]:
    """Content as plain JSON-able data (for the last-good snapshot)."""
    return {"version": SNAPSHOT_VERSION, **asdict(content)}


def content_from_dict(data: dict[str, Any]) -> Content:
    """The inverse of :func:`content_to_dict`; raises ValueError/KeyError/TypeError on bad data."""
    if data.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"unknown snapshot version {data.get('version')!r}")
    library = Library(**data["library"])
    count = library.per_visit
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ValueError(f"bad per_visit {count!r} in the snapshot")
    return Content(
        library=library,
        sets={key: StatementSet(s["id"], s["name"], s["language"],
                                tuple(Statement(**x) for x in s["statements"]))
              for key, s in data["sets"].items()},
        courses={key: Course(**c) for key, c in data["courses"].items()},
        rules=tuple(Rule(**r) for r in data["rules"]),
        default_course=data["default_course"],
        locations=tuple(Location(**loc) for loc in data["locations"]),
        themes=dict(data["themes"]),
        sources=tuple(data["sources"]),
        qr_tags=bool(data.get("qr_tags", False)),
        warnings=tuple(str(w) for w in data.get("warnings", ())),
        # snapshots written before partners and signals existed have neither
        partners={key: Partner(**p) for key, p in data.get("partners", {}).items()},
        signals={key: SignalKind(**s) for key, s in data.get("signals", {}).items()},
        approaches={key: Approach(**a) for key, a in data.get("approaches", {}).items()},
        pronunciations={str(k): str(v) for k, v in data.get("pronunciations", {}).items()},
    )


def _write_snapshot(content: Content, snapshot: Path) -> None:
    """Write the snapshot atomically: a temp file next to it, then os.replace."""
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    write_text(snapshot, json.dumps(content_to_dict(content), ensure_ascii=False, indent=1))


def _read_snapshot(snapshot: Path) -> Content | None:
    """The snapshot's content; None if there is none (or it is unreadable)."""
    try:
        return content_from_dict(json.loads(snapshot.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("content snapshot %s is unreadable: %s", snapshot, error)
        return None


def load_with_fallback(dirs: list[Path], snapshot: Path, pictograms: frozenset[str] | None = None
                       ) -> tuple[Content, ContentError | None]:
    """Load for the running kiosk, which keeps the last good content.

    Success: write the snapshot, return (content, None). Failure: return the snapshot's
    content (else the first folder's alone: the bundled default) and the error.
    """
    dirs = [Path(d) for d in dirs] or [paths.default_content_dir()]
    try:
        content = load_content(*dirs, pictograms=pictograms)
    except ContentError as error:
        kept = _read_snapshot(snapshot)
        return (kept or load_content(dirs[0], pictograms=pictograms)), error
    try:
        _write_snapshot(content, snapshot)
    except OSError as error:
        log.warning("cannot write content snapshot %s: %s", snapshot, error)
    return content, None
