"""The kiosk as staff run it: PIN, session start, the kiosk itself, the staff menu.

The shell is the top-level window. In kiosk mode it is full screen, frameless
and on top, and ignores Escape, Alt+F4 and window close; a staff gesture
(holding the top-left corner for 3 s: the quick bar; or Ctrl+Shift+M: the menu)
asks for the PIN (who may skip it, and when: :mod:`kiosk.gui.staff.access`, the
shell's mixin for the corner, the PIN's outcome and the quick bar). Every staff
path comes back to the locked kiosk: after a
minute without a touch (with a 10 s warning) a staff screen closes, to the
kiosk when a session runs and to the PIN pad when none does. It presents and
forwards: sessions, tallies, exports and merges go through the recorder (the
one writer), the staff executor and the core.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.pin import PinStore
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.fit import PageStack
from kiosk.gui.staff.access import STAFF_GRACE_S, StaffAccess  # noqa: F401 - re-exported
from kiosk.gui.staff.idle import IdleWatch
from kiosk.gui.staff.pin import PinPad
from kiosk.gui.staff.widgets import PLACE_KIND_NAMES
from kiosk.gui.theme import Theme
from kiosk.logs import Notice, NoticeHandler, Notices, weak_listener

if TYPE_CHECKING:  # the rest loads with attach(), after the PIN pad has painted
    from kiosk.core.model import Content
    from kiosk.core.recorder import Recorder
    from kiosk.core.settings import SessionSettings
    from kiosk.core.store import MergeReport, Store
    from kiosk.gui.storage import DriveLister
    from kiosk.gui.window import KioskWindow

CONTENT_BROKEN = ("Let op: de inhoud (stellingen, cursussen) heeft fouten. De kiosk gebruikt "
                  "de laatste goede inhoud. De coördinator ziet de fouten met: kiosk check")

log = logging.getLogger("kiosk.shell")


def _default_merge(store: Store, files: list[Path]) -> MergeReport:
    return store.merge(files)


class KioskShell(StaffAccess, QWidget):
    """Staff flow around the passer-by's kiosk.

    Args:
        make_window: builds the kiosk window for a session (content, set, speech...).
        exporter: writes the export files into the folder it is given.
        reporter: writes the report into the folder it is given (on the GUI thread).
        merger: merges database files into the store (on the recorder's thread).
        drives: lists where to save and merge from (USB sticks, this laptop's exports);
            by default the real sticks and ``exports/`` beside the settings file.
        monotonic: the clock for the staff time-out (a ManualClock in tests).
        kiosk_mode: full screen, frameless, on top; Escape and close ignored.
        content_broken: the content files have errors and the last good content is
            used: the start screen tells staff.
        notices: the problems logged so far, for "Meldingen" (the app passes the ones
            :func:`kiosk.logs.setup` collects; by default the shell collects the
            ``kiosk`` logger's warnings itself while it lives).

    Signals:
        finished(): staff chose "Afsluiten" and confirmed it (the app quits).
        session_started(str): a session began (its id).
        session_ended(str): a session ended (its id).
        status(str): a message for staff (also shown in the menu).
        locked(): a staff screen timed out and the kiosk (or the PIN pad) is back.
    """

    finished = Signal()
    session_started = Signal(str)
    session_ended = Signal(str)
    status = Signal(str)
    locked = Signal()
    #: the content folder or the library's settings changed on disk (the app reloads)
    content_changed = Signal()
    _notice_added = Signal()

    def __init__(
        self,
        content: Content | None,
        recorder: Recorder | None,
        pins: PinStore,
        theme: Theme,
        pictograms: Path,
        staff_pool: Executor,
        make_window: Callable[[SessionSettings, str], KioskWindow] | None,
        settings_path: Path,
        last: SessionSettings | None = None,
        printers: list[str] | None = None,
        exporter: Callable[[Path], object] | None = None,
        reporter: Callable[[Path], int] | None = None,
        merger: Callable[[Store, list[Path]], MergeReport] | None = None,
        test_printer: Callable[[str], None] | None = None,
        drives: DriveLister | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        kiosk_mode: bool = True,
        content_broken: bool = False,
        notices: Notices | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """The shell; with ``content=None`` only the lock (the PIN pad), see :meth:`attach`."""
        super().__init__(parent)
        self.setObjectName("kiosk_shell")
        self.setWindowTitle("Stellingenkiosk")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.theme, self.pictograms = theme, pictograms
        self.staff_pool, self.settings_path = staff_pool, settings_path
        self.kiosk_mode = kiosk_mode
        self.monotonic = monotonic
        self._init_access()
        self.bridge = FutureBridge(self)
        self.settings: SessionSettings | None = last
        #: Settings to start with right after the PIN (``kiosk run --location``).
        self.preset: SessionSettings | None = None
        self.session_id: str | None = None
        self.window: KioskWindow | None = None
        #: Where the PIN leads without a session: the start screen in the morning,
        #: the menu once a session has ended.
        self.after_pin = "start"
        #: False until :meth:`attach` has built the staff screens.
        self.attached = False
        self._pin_waiting = False  # the PIN was accepted before attach() was done
        self._quitting = False

        self.pin = PinPad(pins, staff_pool, theme, pictograms)
        self.kiosk_page = QWidget(objectName="kiosk_page")
        # every page laid out for the window's size, hidden ones too (kiosk.gui.fit)
        self.kiosk_layout = PageStack(self.kiosk_page)
        self.stack = PageStack(self)
        self._names = {self.pin: "pin", self.kiosk_page: "kiosk"}
        self.stack.addWidget(self.pin)
        self.stack.addWidget(self.kiosk_page)
        self.idle = IdleWatch(monotonic, hold=self._busy, parent=self)
        self.stack.currentChanged.connect(self._page_changed)
        self.pin.accepted.connect(self._pin_accepted)
        self.pin.cancelled.connect(self._pin_cancelled)
        self.pin.failed.connect(self.status)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+M"), self)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self.ask_for_staff)
        self.ask_for_staff()
        if content is not None:
            self.attach(content, recorder, make_window, last=last, printers=printers,
                        exporter=exporter, reporter=reporter, merger=merger,
                        test_printer=test_printer, drives=drives,
                        content_broken=content_broken, notices=notices)

    def attach(
        self,
        content: Content,
        recorder: Recorder,
        make_window: Callable[[SessionSettings, str], KioskWindow],
        last: SessionSettings | None = None,
        printers: list[str] | None = None,
        exporter: Callable[[Path], object] | None = None,
        reporter: Callable[[Path], int] | None = None,
        merger: Callable[[Store, list[Path]], MergeReport] | None = None,
        test_printer: Callable[[str], None] | None = None,
        drives: DriveLister | None = None,
        content_broken: bool = False,
        notices: Notices | None = None,
    ) -> None:
        """Build the staff screens around the PIN pad (``kiosk run`` calls this once the
        PIN pad has painted, so the first screen does not wait for content, database,
        speech and printers)."""
        from kiosk.core.history import staff_tallies
        from kiosk.gui.staff import (
            IdleWarning,
            MergeScreen,
            SessionSummary,
            StaffMenu,
            StaffStartScreen,
            TallyHistoryScreen,
            TallyScreen,
        )
        from kiosk.gui.staff.log import ConversationScreen, SignalScreen
        from kiosk.gui.staff.notices import NoticesScreen
        from kiosk.gui.staff.save import SaveScreen
        from kiosk.gui.staff.strip import StaffStrip
        from kiosk.gui.storage import drive_lister

        theme, pictograms = self.theme, self.pictograms
        if last is not None and self.settings is None:
            self.settings = last
        self.content, self.recorder, self.make_window = content, recorder, make_window
        self.exporter, self.reporter = exporter, reporter
        self.merger = merger or _default_merge
        self.test_printer = test_printer
        drives = drives or drive_lister(self.settings_path.parent)

        self.start_screen = StaffStartScreen(content, printers or [], theme, pictograms, last)
        if content_broken:
            self.start_screen.set_notice(CONTENT_BROKEN)
        self.menu = StaffMenu(theme, pictograms, last.volume if last else 80)
        self.tally = TallyScreen(theme, pictograms)
        self.summary = SessionSummary(theme, pictograms)
        self.save_screen = SaveScreen(theme, pictograms, self.staff_pool, drives)
        self.merge_screen = MergeScreen(theme, pictograms, self.staff_pool, drives,
                                        self._merge_files)
        self.history = TallyHistoryScreen(theme, pictograms,
                                          lambda: recorder.run(staff_tallies),
                                          content.statement_text)
        self.conversation = ConversationScreen(content, content.statement_set(), theme,
                                               pictograms)
        self.signals = SignalScreen(content, theme, pictograms)
        if notices is None:
            notices = Notices()
            handler, kiosk_log = NoticeHandler(notices), logging.getLogger("kiosk")
            kiosk_log.addHandler(handler)
            self.destroyed.connect(lambda *_: kiosk_log.removeHandler(handler))
        self.notices = notices
        self.notices_screen = NoticesScreen(notices, theme, pictograms)
        pages = {self.start_screen: "start", self.menu: "menu", self.tally: "tally",
                 self.summary: "summary", self.save_screen: "save",
                 self.merge_screen: "merge", self.history: "history",
                 self.conversation: "conversation", self.signals: "signal",
                 self.notices_screen: "notices"}
        self._names.update(pages)
        for page in pages:
            self.stack.addWidget(page)

        #: The quick bar over the kiosk (the corner hold and the PIN; see StaffAccess).
        self.strip = StaffStrip(theme, pictograms, self.kiosk_page)
        self._connect_strip()
        self.idle_warning = IdleWarning(theme, pictograms, self)
        self.idle.warn.connect(self.idle_warning.show_seconds)
        self.idle.resumed.connect(self.idle_warning.hide)
        self.idle.expired.connect(self.lock)
        self.idle_warning.touched.connect(self.idle.touch)

        self.start_screen.start_requested.connect(self.start_session)
        self.start_screen.menu_requested.connect(self.show_menu)
        self.menu.back_requested.connect(self._menu_back)
        self.menu.new_session_requested.connect(self._new_session)
        self.menu.pause_requested.connect(lambda: self._pause(True))
        self.menu.resume_requested.connect(lambda: self._pause(False))
        self.menu.volume_changed.connect(self._volume)
        self.menu.tally_requested.connect(self._open_tally)
        self.menu.conversation_requested.connect(lambda: self._open_conversation("menu"))
        self.menu.signal_requested.connect(lambda: self._open_signal("menu"))
        self.conversation.logged.connect(self._log_conversation)
        self.conversation.back.connect(self._log_back)
        self.signals.logged.connect(self._log_signal)
        self.signals.back.connect(self._log_back)
        self.menu.tally_history_requested.connect(self._open_history)
        self.menu.end_session_requested.connect(self.confirm_end_session)
        self.menu.switch_set_requested.connect(self._switch_set)
        self.menu.export_requested.connect(self._export)
        self.menu.report_requested.connect(self._report)
        self.menu.merge_requested.connect(self._merge)
        self.menu.test_print_requested.connect(self._test_print)
        self.menu.quit_requested.connect(self.confirm_quit)
        self.menu.content_requested.connect(self._open_own("content_screen"))
        self.menu.settings_requested.connect(self._open_own("settings_screen"))
        self.menu.voice_requested.connect(self._open_own("voice_screen"))
        self.tally.save_requested.connect(self._save_tally)
        self.tally.cancelled.connect(self.show_menu)
        self.summary.done.connect(self.show_menu)
        self.save_screen.finished.connect(self._back_from_work)
        self.merge_screen.finished.connect(self._back_from_work)
        self.history.back_requested.connect(self.show_menu)
        self.status.connect(self.menu.set_status)
        self.menu.notices_requested.connect(self._open_notices)
        self.notices_screen.back_requested.connect(self.show_menu)
        self._notice_added.connect(self._update_notice_count)
        self.notices.listen(weak_listener(self._on_notice))  # any thread: to the GUI thread
        self._update_notice_count()
        self.bridge.watch(recorder.kiosk_id, self._own_kiosk, lambda _error: None)

        self._hold = QTimer(self, singleShot=True)
        self._hold.timeout.connect(self._gesture)
        QApplication.instance().installEventFilter(self)
        self.attached = True
        if self._pin_waiting:  # staff were quicker than the start-up
            self._pin_waiting = False
            self._pin_accepted()

    # -- pages ---------------------------------------------------------------

    @property
    def page(self) -> str:
        return self._names[self.stack.currentWidget()]

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.setStyleSheet(self.theme.stylesheet(self.width(), self.height()))
        super().resizeEvent(event)

    def _to_start(self) -> None:
        self.stack.setCurrentWidget(self.start_screen)

    def show_menu(self) -> None:
        """The staff menu: the session's, or the one without a session."""
        running = self.window is not None
        self.menu.set_session_running(running)
        self.menu.set_notice_count(len(self.notices))
        if running and self.settings is not None:
            kind = PLACE_KIND_NAMES.get(self.settings.place_kind, self.settings.place_kind)
            self.menu.set_session(f"{self.settings.location} · {kind.lower()}")
            self.menu.set_volume(self.settings.volume)
            self.menu.set_paused(self.window.paused)
        self.stack.setCurrentWidget(self.menu)

    def _menu_back(self) -> None:
        if self.window is not None:
            self.show_kiosk()
        else:
            self.ask_for_staff()

    def _new_session(self) -> None:
        self._to_start()  # as staff left it: a place typed earlier is still there

    def show_kiosk(self) -> None:
        self.close_quick_access()  # every way back to the kiosk; the quick bar reopens it
        if self.window is not None:
            self.stack.setCurrentWidget(self.kiosk_page)
            self.window.setFocus()

    # -- the staff time-out ----------------------------------------------------

    def _page_changed(self, _index: int) -> None:
        if self.page != "kiosk" and getattr(self, "strip", None) is not None:
            self.strip.hide()  # it lives on the kiosk page: never back by itself
        if self.page == "kiosk" or (self.page == "pin" and self.window is None):
            self.idle.disarm()  # the kiosk, or the lock itself
        else:
            self.idle.arm()

    def _busy(self) -> bool:
        page = self.stack.currentWidget()
        return bool(getattr(page, "busy", False))

    def lock(self) -> None:
        """Back to the locked kiosk (or the PIN pad without a session); nothing is lost.

        The screen shown keeps (or saves) what staff typed or counted first.
        """
        page = self.stack.currentWidget()
        timed_out = getattr(page, "timed_out", None)
        if timed_out is not None:
            timed_out()
        self.idle_warning.hide()
        self.strip.hide()
        if self.window is not None:
            self.show_kiosk()
        else:
            self.ask_for_staff()
        self.locked.emit()

    # -- sessions ------------------------------------------------------------

    def start_session(self, settings: SessionSettings) -> None:
        """Record the session, build the kiosk for it, and show it."""
        self.settings = settings
        from kiosk.core.settings import save_last

        self.staff_pool.submit(save_last, self.settings_path, settings)
        future = self.recorder.start_session(settings.location, settings.place_kind,
                                             settings.statement_set,
                                             per_visit=settings.statements_per_visit,
                                             approach=settings.approach)
        self.bridge.watch(future, lambda session_id: self._session_started(session_id),
                          self._failed)

    def _session_started(self, session_id: str) -> None:
        self.session_id = session_id
        self.window = self.make_window(self.settings, session_id)
        self.window.store_failed.connect(self._store_failed)
        if getattr(self, "strip", None) is not None:  # no invitation over the quick bar
            self.window.quiet_while = self.strip.isVisible
        from kiosk.gui.window import RESUMED

        self.window.store_recovered.connect(lambda: self.status.emit(RESUMED))
        # the gesture must see every press first, also those the kiosk's tap filter drops
        app = QApplication.instance()
        app.removeEventFilter(self)
        app.installEventFilter(self)
        self.kiosk_layout.addWidget(self.window)
        self.kiosk_layout.setCurrentWidget(self.window)
        self.window.set_paused(False)
        self.show_kiosk()
        self.session_started.emit(session_id)

    def confirm_end_session(self) -> None:
        """"Sessie beëindigen?" over the menu; "Ja" ends it."""
        self.menu.ask("confirm_end", "Sessie beëindigen?",
                      "De kiosk stopt met deze sessie. Daarna zie je de cijfers.",
                      [("yes", "Ja, beëindigen", "accent", "stop-circle"),
                       ("no", "Nee, terug", "quiet", "arrow-left")],
                      lambda key: self.end_session() if key == "yes" else None)

    def end_session(self) -> None:
        """End the session on disk, then show what it brought."""
        if self.session_id is None:
            return
        from kiosk.core.summary import session_summary

        session_id, content = self.session_id, self.content
        self._close_window()
        self.after_pin = "menu"
        self.start_screen.apply(self.settings)  # the next session starts from this one
        self.menu.set_status("")
        self.recorder.end_session(session_id)
        self.bridge.watch(
            self.recorder.run(lambda store: session_summary(store, session_id, content)),
            self._show_summary, self._failed,
        )
        self.session_ended.emit(session_id)

    def _show_summary(self, data) -> None:
        self.summary.show_summary(data)
        if self.page == "menu":  # still waiting there (not timed out in between)
            self.stack.setCurrentWidget(self.summary)

    def _close_window(self) -> None:
        self.strip.hide()
        if self.window is not None:
            self.window.close()
            self.kiosk_layout.removeWidget(self.window)
            self.window.deleteLater()
            self.window = None
        self.session_id = None

    def _switch_set(self) -> None:
        """A session has one statement set: end it, and set up the next one."""
        if self.session_id is not None:
            self._close_window_and_end()
        self.start_screen.apply(self.settings)
        self._to_start()

    def _close_window_and_end(self) -> None:
        session_id = self.session_id
        self._close_window()
        self.after_pin = "menu"
        self.recorder.end_session(session_id)
        self.session_ended.emit(session_id)

    def confirm_quit(self) -> None:
        """"Kiosk afsluiten?" over the menu; "Ja" quits."""
        text = ("De sessie stopt en het programma gaat dicht." if self.window is not None
                else "Het programma gaat dicht.")
        self.menu.ask("confirm_quit", "Kiosk afsluiten?", text,
                      [("yes", "Ja, afsluiten", "accent", "power"),
                       ("no", "Nee, terug", "quiet", "arrow-left")],
                      lambda key: self.quit() if key == "yes" else None)

    def quit(self) -> None:
        """End the session (if any) and let the app quit."""
        if self.session_id is not None:
            self._close_window_and_end()
        self.idle.disarm()
        self._quitting = True
        self.finished.emit()

    # -- staff actions -------------------------------------------------------

    def _pause(self, paused: bool) -> None:
        if self.window is not None:
            self.window.set_paused(paused)
            self.menu.set_paused(paused)
            self.show_kiosk()

    def _volume(self, volume: int) -> None:
        if self.settings is not None:
            self.settings = replace(self.settings, volume=volume)
            from kiosk.core.settings import save_last

            self.staff_pool.submit(save_last, self.settings_path, self.settings)
        if self.window is not None and self.window.speaker is not None:
            self.window.speaker.set_volume(volume / 100)

    def _open_tally(self) -> None:
        if self.window is not None:
            self.tally.set_statements(self.window.statement_set.statements)
            self.stack.setCurrentWidget(self.tally)

    def _save_tally(self, counts: list) -> None:
        if self.session_id is None:
            return
        futures = [self.recorder.add_staff_tally(self.session_id, statement_id, answer, count)
                   for statement_id, answer, count in counts]
        throws = sum(count for _s, _a, count in counts)
        if futures:
            self.bridge.watch(futures[-1], lambda _ids: self._tally_saved(throws), self._failed)
        else:
            self._tally_saved(0)

    def _tally_saved(self, throws: int) -> None:
        self.tally.reset()
        self.status.emit(f"Turven opgeslagen: {throws} worpen.")
        if self.page == "tally":  # a time-out saved it: stay locked
            self.show_menu()

    def _open_history(self) -> None:
        self.history.open()
        self.stack.setCurrentWidget(self.history)

    def _export(self) -> None:
        self._open_save("Exporteren", "De cijfers, als CSV, Excel en JSON.", self.exporter,
                        "Exporteren kan hier niet.")

    def _report(self) -> None:
        self._open_save("Rapport maken", "Een pdf voor de gemeente, en een odt om te "
                        "bewerken in Word.", self.reporter, "Een rapport maken kan hier niet.")

    def _open_save(self, title: str, line: str, work: Callable[[Path], object] | None,
                   unavailable: str, on_gui_thread: bool = False) -> None:
        """The save screen for ``work`` (export or report); ``unavailable`` without it."""
        from kiosk.gui.staff.save import SaveJob

        if work is None:
            self.status.emit(unavailable)
            return
        self.save_screen.open(SaveJob(title, line, work, on_gui_thread=on_gui_thread))
        self.stack.setCurrentWidget(self.save_screen)

    def _merge(self) -> None:
        self.merge_screen.open()
        self.stack.setCurrentWidget(self.merge_screen)

    def _merge_files(self, files: list[Path]):
        merger = self.merger
        return self.recorder.run(lambda store: merger(store, files))

    def _own_kiosk(self, kiosk_id: str) -> None:
        self.merge_screen.own_kiosk_id = kiosk_id

    def _back_from_work(self, status: str) -> None:
        if status:
            self.status.emit(status)
        self.show_menu()

    def _open_own(self, module: str) -> Callable[[], None]:
        """"Inhoud", "Instellingen", "Inspreken": ``kiosk.gui.staff.<module>.open_for(shell)``."""
        def open_screen() -> None:
            import importlib

            importlib.import_module(f"kiosk.gui.staff.{module}").open_for(self)
        return open_screen

    def use_content(self, content: Content, broken: bool = False) -> None:
        """New content (the app reloaded it): the staff screens show it, the next session
        uses it (:mod:`kiosk.gui.staff.content_reload`)."""
        from kiosk.gui.staff.content_reload import use_content

        use_content(self, content, broken)

    def _test_print(self) -> None:
        if self.test_printer is not None:
            self.test_printer(self.settings.printer if self.settings else "")
            self.status.emit("De testbon wordt geprint…")  # the real result follows

    def _failed(self, exc: BaseException) -> None:
        """Staff work on the store failed: the log, the menu's line and "Meldingen"."""
        import sqlite3

        from kiosk.core.failures import save_failure

        if isinstance(exc, sqlite3.Error | OSError) or type(exc).__name__ == "StoreError":
            text = save_failure(exc).text
        else:
            text = f"Dat lukte niet: {str(exc) or type(exc).__name__}"
        log.error("staff action failed: %s: %s", type(exc).__name__, exc,
                  extra={"notice": text})
        self.status.emit(text)

    def _store_failed(self, text: str) -> None:
        """Saving a passer-by's answer failed: staff read why in the menu (and Meldingen)."""
        self.status.emit(text)
        self.strip.set_message(text)

    # -- Meldingen ---------------------------------------------------------------

    def _on_notice(self, _notice: Notice) -> None:
        self._notice_added.emit()

    def _update_notice_count(self) -> None:
        self.menu.set_notice_count(len(self.notices))
        if self.page == "notices":
            self.notices_screen.refresh()

    def _open_notices(self) -> None:
        self.notices_screen.refresh()
        self.stack.setCurrentWidget(self.notices_screen)
