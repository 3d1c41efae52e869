"""Composition root: builds the parts, wires them, starts Qt.

The only module that knows every part. Objects are passed down through
constructors; nothing global.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import paths
from kiosk.core.clock import Clock, system_clock

if TYPE_CHECKING:  # loaded when needed: the PIN pad paints before content is read
    from kiosk.core.model import Content, StatementSet

SNAPSHOT_NAME = "content-last-good.json"
log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class Options:
    """What ``kiosk run`` (and ``simulate``) was asked for."""

    data_dir: Path
    content_dir: Path | None = None
    #: None: staff choose the place on the start screen
    location: str | None = None
    place_kind: str = "anders"
    statement_set: str | None = None
    windowed: bool = False
    large_text: bool = False
    show_peers: bool = False
    speech: bool = True
    read_aloud: bool = True
    #: speech volume 0.0..1.0 (``--volume``); None: the library's (library.toml ``volume``)
    volume: float | None = None
    #: statements per visit: None: the library's choice (library.toml), ALL: every one
    per_visit: int | None = None
    #: problems only to the log, not to stderr
    quiet: bool = False
    #: the outbox folder (``--outbox``); None: ``outbox`` in library.toml, if any
    outbox: Path | None = None


#: ``Options.per_visit`` for "every statement of the set" (``--per-visit all``).
ALL = 0


def outbox_folder(options: Options, content: Content) -> Path | None:
    """Where snapshots for a sync tool go: ``--outbox``, else library.toml's ``outbox``
    (relative to the data folder, ``~`` for the home folder), else nowhere."""
    if options.outbox is not None:
        return options.outbox
    if content.library.outbox:
        return options.data_dir / Path(content.library.outbox).expanduser()
    return None


class UsageError(Exception):
    """Bad command-line input; the message says what is wrong and how to fix it."""


def content_dirs(options: Options) -> list[Path]:
    """Bundled default, then the data folder's own content, then ``--content`` (last wins)."""
    dirs = [paths.default_content_dir()]
    own = paths.user_content_dir(options.data_dir)
    if own.is_dir():
        dirs.append(own)
    if options.content_dir is not None:
        if not options.content_dir.is_dir():
            raise UsageError(f"inhoudsmap niet gevonden: {options.content_dir}")
        dirs.append(options.content_dir)
    return dirs


def load_content(options: Options, warn: Callable[[str], None]) -> Content:
    """Content to run with: the given folders, or the last good content if they are broken."""
    from kiosk.core.content import load_with_fallback

    content, error = load_with_fallback(
        content_dirs(options), options.data_dir / SNAPSHOT_NAME
    )
    if error is not None:
        warn(f"{error}\nDe kiosk gaat verder met de laatste goede inhoud.")
    return with_command_line(options, content)


def command_line_choices(options: Options) -> dict[str, int]:
    """``--per-visit`` and ``--volume`` when given, as a session holds them
    (``per_visit`` 0: every statement; ``volume`` 0..100)."""
    chosen: dict[str, int] = {}
    if options.per_visit is not None:
        chosen["per_visit"] = options.per_visit
    if options.volume is not None:
        chosen["volume"] = round(options.volume * 100)
    return chosen


def with_command_line(options: Options, content: Content) -> Content:
    """``content`` with :func:`command_line_choices` as the library's own choice for this
    run: what the start screen preselects, what a new session gets."""
    from dataclasses import replace

    chosen: dict[str, int | None] = dict(command_line_choices(options))
    if "per_visit" in chosen:
        chosen["per_visit"] = chosen["per_visit"] or None  # the library's "every statement"
    return replace(content, library=replace(content.library, **chosen)) if chosen else content


def last_with_command_line(options: Options, last):
    """The last session's settings with :func:`command_line_choices` instead: the command
    line wins over what staff chose last time."""
    from dataclasses import replace

    return None if last is None else replace(last, **command_line_choices(options))


def pick_set(content: Content, set_id: str | None) -> StatementSet:
    if set_id and set_id not in content.sets:
        known = ", ".join(content.sets)
        raise UsageError(f"onbekende stellingenset '{set_id}'; kies uit: {known}")
    return content.statement_set(set_id)


def display_problem() -> str | None:
    """A one-line explanation when Qt would have no screen to draw on, else None."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "Geen scherm gevonden: start de kiosk vanaf het bureaublad, of gebruik zonder scherm "
        "'xvfb-run make run' (of QT_QPA_PLATFORM=offscreen om te testen)."
    )


def db_path(options: Options) -> Path:
    return options.data_dir / paths.DB_NAME


def build_window(options: Options, clock: Clock = system_clock, warn=None, monotonic=None,
                 rng=None):
    """Create the recorder, start a session and build the window (QApplication must exist).

    ``rng`` (a ``random.Random``) breaks ties in the rotation of statements;
    ``kiosk simulate`` seeds it so a run can be repeated.

    Returns:
        (window, recorder, session_id)
    """
    import time

    from kiosk.core.recorder import Recorder
    from kiosk.gui.theme import Theme
    from kiosk.gui.window import KioskWindow

    warn = warn or log.warning
    content = load_content(options, warn)
    statement_set = pick_set(content, options.statement_set)
    recorder = Recorder(db_path(options), clock=clock)
    count = content.library.per_visit  # --per-visit is in it (with_command_line); None: all
    session_id = recorder.start_session(
        options.location or "Onbekend", place_kind_of(options, content), statement_set.id,
        per_visit=count
    ).result()
    speaker = build_speaker(options, content, statement_set, warn) if options.speech else None
    window = KioskWindow(
        content, statement_set, recorder, session_id, paths.pictogram_dir(),
        Theme.load(paths.ui_dir()), clock=monotonic or time.monotonic,
        large_text=options.large_text, show_peers=options.show_peers,
        speaker=speaker, read_aloud=options.read_aloud, per_visit=count, rng=rng,
    )
    if speaker is not None:
        speaker.setParent(window)
        window.owns_speaker = True
    return window, recorder, session_id


def build_speaker(options: Options, content: Content, statement_set: StatementSet, warn):
    """The Speaker, rendering everything it can say in the background from the start."""
    from kiosk.speech.phrases import speakable_items
    from kiosk.speech.recordings import VoiceStore
    from kiosk.speech.speaker import Speaker

    speaker = Speaker(language=statement_set.language,
                      voice=VoiceStore.in_data(options.data_dir),
                      pronunciations=content.pronunciations)
    speaker.set_volume(content.library.volume / 100)
    speaker.unavailable.connect(lambda message: warn(f"spraak: {message}"))

    def report(done: int, total: int) -> None:
        if done == total:
            log.info("speech ready: %d items", total)

    speaker.progress.connect(report)
    speaker.prepare(speakable_items(content, statement_set))
    return speaker


def place_kind_of(options: Options, content) -> str:
    """The kind of place for ``--location``: the kind ``locations.toml`` gives a place of
    that name (case, accents and spacing aside), else the options' own (``anders``)."""
    import unicodedata

    from kiosk.core.rules import clean_text

    def plain(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", clean_text(name).casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    wanted = plain(options.location or "")
    for location in content.locations:
        if plain(location.name) == wanted:
            return location.kind
    return options.place_kind


def _quiet_qt_messages() -> None:
    """Qt's messages go to the log (logger ``qt``); the offscreen-platform chatter is dropped."""
    from kiosk.logs import install_qt_handler

    install_qt_handler()


def create_qt_app(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    # QtMultimedia logs every missing optional library (PipeWire, VA-API), each
    # clip's stream format and each interrupted load (a tap stops speech): noise
    # at a stand. Playback errors still reach the Speaker. Set QT_LOGGING_RULES
    # yourself to see them.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    # never Qt's PulseAudio engine lines, even when asked for qt.multimedia.*: that
    # engine logs from its own thread while the GUI thread waits for it holding the
    # GIL, and the Python message handler then deadlocks both (kiosk.selftest.PULSE_QUIET)
    from kiosk.selftest import PULSE_QUIET

    if PULSE_QUIET not in os.environ["QT_LOGGING_RULES"]:
        os.environ["QT_LOGGING_RULES"] += ";" + PULSE_QUIET
    _quiet_qt_messages()
    # No QT_MAX_CACHED_GLYPH_SIZE above Qt's 64 px: it painted the big type faster
    # offscreen, but on a real X display (xcb) the statement, "Doe mee!" and the end
    # screen's titles then showed as nothing (tests/test_fit_window_manager.py looks).
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Stellingenkiosk")
    from kiosk.gui.touch import install_palm_guard

    install_palm_guard()  # a palm on a staff screen or the kiosk taps nothing
    apply_theme(app)
    return app


def apply_theme(app) -> None:
    """The look from ``ui/``: its fonts (the window applies the stylesheet per size)."""
    from kiosk.gui.theme import load_fonts

    load_fonts(paths.ui_dir())


def run(options: Options) -> int:
    """The kiosk as staff use it: PIN, session start screen, kiosk mode, staff menu."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from kiosk.core.lock import DataFolderLock
    from kiosk.logs import setup as setup_logging

    folder_lock = DataFolderLock(options.data_dir).acquire()  # FolderInUse: exit 2
    logging_setup = setup_logging(options.data_dir, echo=not options.quiet)
    try:
        return _run(options, logging_setup.notices)
    finally:
        logging_setup.close()
        folder_lock.release()


def _run(options: Options, notices) -> int:
    started = start(options, notices)
    if isinstance(started, int):
        return started
    code = started.app.exec()
    if started.failure:
        raise started.failure[0]
    return code


@dataclass
class Started:
    """A kiosk that shows its PIN pad and builds the rest after the pad's first paint."""

    app: object
    shell: object
    #: what was built, stopped in reverse order when the app quits
    stopping: list[Callable[[], None]]
    #: an exception from building the rest (the event loop exits with 1)
    failure: list[BaseException]
    #: ends the event loop with an exit code (tests that drive the start replace it)
    quit: Callable[[int], None]

    def stop(self) -> None:
        while self.stopping:
            self.stopping.pop()()


def start(options: Options, notices) -> Started | int:
    """Paint the PIN pad first, then build the rest (content, database, speech, staff
    screens) right after its first paint: the screen is there at once, and a PIN
    typed meanwhile waits in the queue (see :meth:`KioskShell.attach`).

    Returns the exit code instead when the kiosk cannot start (a damaged PIN file)."""
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QTimer

    from kiosk.core.pin import PIN_FILE, PinError, PinStore
    from kiosk.gui.shell import KioskShell
    from kiosk.gui.theme import Theme

    content_dirs(options)  # a missing --content folder: say so before any window shows
    app = create_qt_app()
    try:
        pins = PinStore(options.data_dir / PIN_FILE)
        pins.is_set()
    except PinError as exc:  # a damaged PIN file: say so on the screen, in Dutch
        log.error("the staff PIN file cannot be used")
        return _show_problem(app, options, "De kiosk kan niet starten", str(exc))
    staff_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-staff")
    shell = KioskShell(None, None, pins, Theme.load(paths.ui_dir()), paths.pictogram_dir(),
                       staff_pool, None, options.data_dir / paths.SETTINGS_NAME,
                       kiosk_mode=not options.windowed)
    started = Started(app, shell, [lambda: staff_pool.shutdown(wait=True)], [], app.exit)
    shell.finished.connect(lambda: started.quit(0))
    app.aboutToQuit.connect(started.stop)

    def attach() -> None:
        if shell.attached or started.failure:
            return
        try:
            _attach(app, options, shell, notices, started.stopping)
        except BaseException as exc:  # noqa: BLE001 - re-raised after the event loop
            started.failure.append(exc)
            started.quit(1)
            return
        if os.environ.get(FIRST_PAINT_ENV):
            print("ready", flush=True)  # everything behind the PIN pad is built
            if getattr(shell.pin, "painted", False):  # else the paint hook quits
                QTimer.singleShot(0, shell.quit)

    if os.environ.get(STARTUP_ENV) == "eager":  # benchmarks: the old order, to compare
        attach()
    _after_first_paint(app, shell, attach)
    if os.environ.get(FIRST_PAINT_ENV):
        _quit_after_first_paint(app, shell.pin, lambda: shell.attached and shell.quit())
    if not options.windowed:
        from PySide6.QtCore import Qt

        shell.setCursor(Qt.CursorShape.BlankCursor)  # a touch screen: no pointer
    shell.show_kiosk_mode()
    QTimer.singleShot(2000, attach)  # no paint (a screen that is off): build it anyway
    return started


def _attach(app, options: Options, shell, notices, stopping: list) -> None:
    """The second half of the start: everything behind the PIN pad."""
    from kiosk.core.recorder import Recorder
    from kiosk.core.settings import SETTINGS_FILE, SessionSettings, load_last
    from kiosk.gui.printing import SlipPrinter, attach_printing, print_test_slip, tag_links
    from kiosk.gui.shell import CONTENT_BROKEN
    from kiosk.gui.staff.actions import export_to_folder, report_to_folder
    from kiosk.gui.storage import drive_lister
    from kiosk.gui.window import KioskWindow
    from kiosk.speech.phrases import speakable_items

    warnings: list[str] = []

    def warn(message: str) -> None:
        # speech problems are Dutch already; content errors get the start screen's sentence
        notice = message.removeprefix("spraak: ") if message.startswith("spraak: ") else (
            CONTENT_BROKEN)
        log.warning("%s", message, extra={"notice": notice})
        warnings.append(message)

    content = load_content(options, warn)
    content_broken = bool(warnings)
    default_set = pick_set(content, options.statement_set)
    recorder = Recorder(db_path(options))
    stopping.append(recorder.close)
    theme = shell.theme
    speaker = build_speaker(options, content, default_set, warn) if options.speech else None
    slip_printer = SlipPrinter()  # one per run: a print job may outlive its session's window
    # a slip being printed is finished, not cut off
    stopping.append(lambda: slip_printer.wait(10_000))
    if speaker is not None:
        stopping.append(speaker.shutdown)

    live = Live(content, default_set)  # the content now; a reload replaces it

    def make_window(settings: SessionSettings, session_id: str) -> KioskWindow:
        content = live.content
        statement_set = pick_set(content, settings.statement_set or live.default_set.id)
        voice = speaker if settings.speech else None
        if voice is not None:
            voice.set_volume(settings.volume / 100)
            voice.prepare(speakable_items(content, statement_set))
        window = KioskWindow(
            content, statement_set, recorder, session_id, paths.pictogram_dir(), theme,
            large_text=options.large_text, show_peers=settings.show_peers, speaker=voice,
            read_aloud=options.read_aloud, per_visit=settings.statements_per_visit,
        )
        if settings.printer:
            slip_printer.printer_name, slip_printer.size = settings.printer, settings.slip_size
            printing = attach_printing(window, slip_printer, content, settings.place_kind)
            printing.staff_message.connect(shell.status)
        else:
            tag_links(window, content, settings.place_kind)
        return window

    if options.location:  # before attach(): a PIN typed already starts it
        shell.preset = SessionSettings(
            location=options.location, place_kind=place_kind_of(options, content),
            statement_set=default_set.id, speech=options.speech, show_peers=options.show_peers,
            volume=content.library.volume, per_visit=content.library.per_visit or ALL,
        )
    shell.attach(
        content, recorder, make_window,
        last=last_with_command_line(options, load_last(options.data_dir / SETTINGS_FILE)),
        printers=printer_names(),
        exporter=lambda folder: export_to_folder(db_path(options), live.content, folder),
        reporter=lambda folder: report_to_folder(db_path(options), live.content, folder),
        test_printer=lambda name: print_test_slip(slip_printer, live.content, name,
                                                  shell.status.emit),
        drives=drive_lister(options.data_dir),
        content_broken=content_broken, notices=notices,
    )
    #: for the Inhoud screen: "Luister", and the folders a workbook is made from
    shell.speaker, shell.content_dirs = speaker, lambda: content_dirs(options)
    if speaker is not None:  # no Dutch voice: staff read it on the start screen and in the menu
        speaker.unavailable.connect(shell.status)
        # the start screen of the moment (a reload builds a new one)
        speaker.unavailable.connect(lambda message: shell.start_screen.set_notice(message))

    def use_outbox(folder: Path | None) -> None:
        """Snapshots for a sync tool go to ``folder`` (None: nowhere) from now on."""
        from kiosk.gui.outbox import Outbox

        if live.outbox is not None:
            if live.outbox.folder == folder:
                return
            live.outbox.deleteLater()  # its timer stops with it
            live.outbox = None
        if folder is not None:
            live.outbox = Outbox(recorder, folder, parent=shell)
            live.outbox.failed.connect(shell.status)

    use_outbox(outbox_folder(options, content))
    shell.session_ended.connect(lambda _session: live.outbox and live.outbox.write_now())
    # the day's last answers travel too
    stopping.append(lambda: live.outbox and live.outbox.write_and_wait())

    def reload() -> None:
        """The content folder or library.toml changed: read it again (off the GUI thread)."""
        found: list[str] = []

        def warn_again(message: str) -> None:
            found.append(message)
            warn(message)

        shell.bridge.watch(shell.staff_pool.submit(load_content, options, warn_again),
                           lambda new: reloaded(new, bool(found)), reload_failed)

    def reloaded(new: Content, broken: bool) -> None:
        live.content = new
        try:
            live.default_set = pick_set(new, options.statement_set)
        except UsageError:  # --set names a set the new content lacks: its own default
            live.default_set = new.statement_set()
        if speaker is not None:
            speaker.pronunciations = dict(new.pronunciations)
            speaker.prepare(speakable_items(new, live.default_set))
        shell.use_content(new, broken)
        if speaker is not None and not speaker.available and speaker.problem:
            shell.start_screen.set_notice(speaker.problem)
        before = live.outbox
        use_outbox(outbox_folder(options, new))
        if live.outbox is not None and live.outbox is not before:
            live.outbox.write_now()  # the new folder gets a copy now (or staff read why not)
        log.info("content reloaded")

    def reload_failed(error: BaseException) -> None:
        log.error("reloading the content failed: %s", error,
                  extra={"notice": "De nieuwe inhoud kon niet worden gelezen. De kiosk "
                                   "gebruikt de inhoud van daarvoor."})

    shell.content_changed.connect(reload)


@dataclass
class Live:
    """What the running kiosk uses now; a reload (``KioskShell.content_changed``) replaces
    it, and the next session's window, the exports and the reports read it from here."""

    content: Content
    default_set: StatementSet
    #: The :class:`kiosk.gui.outbox.Outbox` writing snapshots, or None.
    outbox: object | None = None


def _after_first_paint(app, widget, then: Callable[[], None]) -> None:
    """Call ``then`` from the event loop once ``widget`` (or a child) has painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Painted(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and (
                    obj is widget or isinstance(obj, QWidget) and widget.isAncestorOf(obj)):
                app.removeEventFilter(self)
                QTimer.singleShot(0, then)
            return False

    from PySide6.QtWidgets import QWidget

    widget._painted_probe = Painted(widget)
    app.installEventFilter(widget._painted_probe)


def printer_names() -> list[str]:
    """The system's printers, the default first."""
    from PySide6.QtPrintSupport import QPrinterInfo

    default = QPrinterInfo.defaultPrinterName()
    names = QPrinterInfo.availablePrinterNames()
    return sorted(names, key=lambda name: name != default)


#: ``eager``: build everything before the first paint (the order before, to compare).
STARTUP_ENV = "KIOSK_STARTUP"

#: Benchmarks set this: print "first-paint" when the first screen has painted, and
#: (``kiosk run``) "ready" once everything behind it is built, then quit.
FIRST_PAINT_ENV = "KIOSK_EXIT_AFTER_FIRST_PAINT"


def _show_problem(app, options: Options, title: str, text: str) -> int:
    """A full-screen Dutch message and "Sluiten" (staff never see a terminal); exit 1."""
    from kiosk.gui.problem import ProblemScreen
    from kiosk.gui.theme import Theme

    print(text, file=sys.stderr)  # for whoever started it from a terminal
    screen = ProblemScreen(title, text, Theme.load(paths.ui_dir()), paths.pictogram_dir())
    screen.closed.connect(app.quit)
    if os.environ.get(FIRST_PAINT_ENV):
        _quit_after_first_paint(app, screen, app.quit)
    if options.windowed:
        screen.resize(1366, 768)
        screen.show()
    else:
        screen.showFullScreen()
    app.exec()
    return 1


def _quit_after_first_paint(app, watched, quit_app) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and obj is watched:
                watched.painted = True
                print("first-paint", flush=True)
                app.removeEventFilter(self)
                if quit_app is not None:
                    QTimer.singleShot(0, quit_app)
            return False

    watched._first_paint_probe = FirstPaint(watched)
    app.installEventFilter(watched._first_paint_probe)


__all__ = ["Options", "UsageError", "run", "build_window"]
