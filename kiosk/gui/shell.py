"""The kiosk as staff run it: PIN, session start, the kiosk itself, the staff menu.

The shell is the top-level window. In kiosk mode it is full screen, frameless
and on top, and ignores Escape, Alt+F4 and window close; a staff gesture
(holding the top-left corner for 3 s, or Ctrl+Shift+M) asks for the PIN and
opens the staff menu. It presents and forwards: sessions, tallies, exports
and reports go through the recorder (the one writer) and the core.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QStackedLayout, QWidget

from kiosk.core.model import Content
from kiosk.core.pin import PinStore
from kiosk.core.recorder import Recorder
from kiosk.core.settings import SessionSettings, save_last
from kiosk.core.store import Store
from kiosk.gui.bridge import FutureBridge
from kiosk.gui.staff import PinPad, SessionSummary, StaffMenu, StaffStartScreen, TallyScreen
from kiosk.gui.theme import Theme, px_per_mm
from kiosk.gui.window import KioskWindow

GESTURE_CORNER_MM = 25  # the staff corner: top-left, this many millimetres square
GESTURE_HOLD_MS = 3000
CONTENT_BROKEN = ("Let op: de inhoud (stellingen, cursussen) heeft fouten. De kiosk gebruikt "
                  "de laatste goede inhoud. De coördinator ziet de fouten met: kiosk check")


class KioskShell(QWidget):
    """Staff flow around the passer-by's kiosk.

    Args:
        make_window: builds the kiosk window for a session (content, set, speech...).
        choose_folder: asks staff for a folder (a USB stick); None when cancelled.
        choose_databases: asks staff for other kiosks' database files.
        kiosk_mode: full screen, frameless, on top; Escape and close ignored.
        content_broken: the content files have errors and the last good content is
            used: the start screen tells staff.

    Signals:
        finished(): staff chose "Afsluiten" (the app quits).
        session_started(str): a session began (its id).
        session_ended(str): a session ended (its id).
        status(str): a message for staff (also shown in the menu).
    """

    finished = Signal()
    session_started = Signal(str)
    session_ended = Signal(str)
    status = Signal(str)

    def __init__(
        self,
        content: Content,
        recorder: Recorder,
        pins: PinStore,
        theme: Theme,
        pictograms: Path,
        staff_pool: Executor,
        make_window: Callable[[SessionSettings, str], KioskWindow],
        settings_path: Path,
        last: SessionSettings | None = None,
        printers: list[str] | None = None,
        exporter: Callable[[Path], None] | None = None,
        reporter: Callable[[Path], int] | None = None,
        merger: Callable[[Store, list[Path]], str] | None = None,
        test_printer: Callable[[str], None] | None = None,
        choose_folder: Callable[[], Path | None] | None = None,
        choose_databases: Callable[[], list[Path]] | None = None,
        kiosk_mode: bool = True,
        content_broken: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_shell")
        self.setWindowTitle("Stellingenkiosk")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.content, self.recorder, self.theme = content, recorder, theme
        self.staff_pool, self.make_window = staff_pool, make_window
        self.settings_path = settings_path
        self.exporter, self.reporter, self.merger = exporter, reporter, merger
        self.test_printer = test_printer
        self.choose_folder = choose_folder or (lambda: None)
        self.choose_databases = choose_databases or (lambda: [])
        self.kiosk_mode = kiosk_mode
        self.gesture_hold_ms = GESTURE_HOLD_MS
        self.bridge = FutureBridge(self)
        self.settings: SessionSettings | None = None
        #: Settings to start with right after the PIN (``kiosk run --location``).
        self.preset: SessionSettings | None = None
        self.session_id: str | None = None
        self.window: KioskWindow | None = None
        self._quitting = False
        self._gesture_target: QObject | None = None
        self._swallow_release = False

        self.pin = PinPad(pins, staff_pool, theme, pictograms)
        self.start_screen = StaffStartScreen(content, printers or [], theme, pictograms, last)
        if content_broken:
            self.start_screen.set_notice(CONTENT_BROKEN)
        self.menu = StaffMenu(theme, pictograms, last.volume if last else 80)
        self.tally = TallyScreen(theme, pictograms)
        self.summary = SessionSummary(theme, pictograms)
        self.kiosk_page = QWidget(objectName="kiosk_page")
        self.kiosk_layout = QStackedLayout(self.kiosk_page)
        self.stack = QStackedLayout(self)
        for page in (self.pin, self.start_screen, self.kiosk_page, self.menu, self.tally,
                     self.summary):
            self.stack.addWidget(page)

        self.pin.accepted.connect(self._pin_accepted)
        self.pin.cancelled.connect(self._pin_cancelled)
        self.pin.failed.connect(self.status)
        self.start_screen.start_requested.connect(self.start_session)
        self.start_screen.quit_requested.connect(self.quit)
        self.menu.back_requested.connect(self.show_kiosk)
        self.menu.pause_requested.connect(lambda: self._pause(True))
        self.menu.resume_requested.connect(lambda: self._pause(False))
        self.menu.volume_changed.connect(self._volume)
        self.menu.tally_requested.connect(self._open_tally)
        self.menu.end_session_requested.connect(self.end_session)
        self.menu.switch_set_requested.connect(self._switch_set)
        self.menu.export_requested.connect(self._export)
        self.menu.report_requested.connect(self._report)
        self.menu.merge_requested.connect(self._merge)
        self.menu.test_print_requested.connect(self._test_print)
        self.menu.quit_requested.connect(self.quit)
        self.tally.save_requested.connect(self._save_tally)
        self.tally.cancelled.connect(lambda: self.stack.setCurrentWidget(self.menu))
        self.summary.done.connect(self._to_start)
        self.status.connect(self.menu.set_status)

        self._hold = QTimer(self, singleShot=True)
        self._hold.timeout.connect(self._gesture)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+M"), self)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self.ask_for_staff)
        QApplication.instance().installEventFilter(self)
        self.ask_for_staff()

    # -- pages ---------------------------------------------------------------

    @property
    def page(self) -> str:
        current = self.stack.currentWidget()
        names = {self.pin: "pin", self.start_screen: "start", self.kiosk_page: "kiosk",
                 self.menu: "menu", self.tally: "tally", self.summary: "summary"}
        return names[current]

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.setStyleSheet(self.theme.stylesheet(self.width(), self.height()))
        super().resizeEvent(event)

    def ask_for_staff(self) -> None:
        """The PIN pad: to choose a PIN the first time, then before every staff screen."""
        self.pin.reset()
        self.stack.setCurrentWidget(self.pin)
        self.pin.setFocus()

    def _pin_accepted(self) -> None:
        if self.window is None and self.preset is not None:
            preset, self.preset = self.preset, None
            self.start_session(preset)
        elif self.window is None:
            self._to_start()
        else:
            self.menu.set_session(f"{self.settings.location} · {self.settings.place_kind}")
            self.menu.set_volume(self.settings.volume)
            self.menu.set_paused(self.window.paused)
            self.stack.setCurrentWidget(self.menu)

    def _pin_cancelled(self) -> None:
        if self.window is None:
            self.quit()
        else:
            self.show_kiosk()

    def _to_start(self) -> None:
        self.stack.setCurrentWidget(self.start_screen)

    def show_kiosk(self) -> None:
        if self.window is not None:
            self.stack.setCurrentWidget(self.kiosk_page)
            self.window.setFocus()

    # -- sessions ------------------------------------------------------------

    def start_session(self, settings: SessionSettings) -> None:
        """Record the session, build the kiosk for it, and show it."""
        self.settings = settings
        self.staff_pool.submit(save_last, self.settings_path, settings)
        future = self.recorder.start_session(settings.location, settings.place_kind,
                                             settings.statement_set,
                                             per_visit=settings.statements_per_visit)
        self.bridge.watch(future, lambda session_id: self._session_started(session_id),
                          self._failed)

    def _session_started(self, session_id: str) -> None:
        self.session_id = session_id
        self.window = self.make_window(self.settings, session_id)
        # the gesture must see every press first, also those the kiosk's tap filter drops
        app = QApplication.instance()
        app.removeEventFilter(self)
        app.installEventFilter(self)
        self.kiosk_layout.addWidget(self.window)
        self.kiosk_layout.setCurrentWidget(self.window)
        self.window.set_paused(False)
        self.show_kiosk()
        self.session_started.emit(session_id)

    def end_session(self) -> None:
        """End the session on disk, then show what it brought."""
        if self.session_id is None:
            return
        from kiosk.core.summary import session_summary

        session_id, content = self.session_id, self.content
        self._close_window()
        self.recorder.end_session(session_id)
        self.bridge.watch(
            self.recorder.run(lambda store: session_summary(store, session_id, content)),
            self._show_summary, self._failed,
        )
        self.session_ended.emit(session_id)

    def _show_summary(self, data) -> None:
        self.summary.show_summary(data)
        self.stack.setCurrentWidget(self.summary)

    def _close_window(self) -> None:
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
        self.recorder.end_session(session_id)
        self.session_ended.emit(session_id)

    def quit(self) -> None:
        """End the session (if any) and let the app quit."""
        if self.session_id is not None:
            self._close_window_and_end()
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
        self.stack.setCurrentWidget(self.menu)

    def _export(self) -> None:
        folder = self.choose_folder()
        if folder is None or self.exporter is None:
            return
        self.status.emit("Exporteren…")
        self.bridge.watch(self.staff_pool.submit(self.exporter, folder),
                          lambda _r: self.status.emit(f"Klaar: bestanden staan in {folder}."),
                          self._failed)

    def _report(self) -> None:
        folder = self.choose_folder()
        if folder is None or self.reporter is None:
            return
        self.status.emit("Rapport maken…")
        # QtCharts paints on the GUI thread: let the status line paint first
        QTimer.singleShot(0, lambda: self._make_report(folder))

    def _make_report(self, folder: Path) -> None:
        try:
            pages = self.reporter(folder)
        except Exception as exc:  # a full stick, a removed stick: tell staff, keep running
            self._failed(exc)
            return
        self.status.emit(f"Rapport klaar ({pages} bladzijden) in {folder}.")

    def _merge(self) -> None:
        files = self.choose_databases()
        if not files or self.merger is None:
            return
        self.status.emit("Samenvoegen…")
        merger = self.merger
        self.bridge.watch(self.recorder.run(lambda store: merger(store, files)),
                          self.status.emit, self._failed)

    def _test_print(self) -> None:
        if self.test_printer is not None:
            self.test_printer(self.settings.printer if self.settings else "")
            self.status.emit("Testprint gestuurd.")

    def _failed(self, exc: BaseException) -> None:
        message = str(exc) or type(exc).__name__
        print(f"kiosk: {message}", file=sys.stderr)
        self.status.emit(f"Dat lukte niet: {message}")

    # -- kiosk mode ----------------------------------------------------------

    def _in_corner(self, obj: QObject, event) -> bool:
        if not isinstance(obj, QWidget) or not (obj is self or self.isAncestorOf(obj)):
            return False
        point = obj.mapTo(self, event.position().toPoint()) if obj is not self else (
            event.position().toPoint())
        corner = GESTURE_CORNER_MM * px_per_mm(self)
        return 0 <= point.x() <= corner and 0 <= point.y() <= corner

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The staff gesture: hold the top-left corner of the kiosk for 3 seconds."""
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and self.page == "kiosk":
            if self._in_corner(obj, event):
                self._gesture_target = obj
                self._hold.start(self.gesture_hold_ms)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._hold.stop()
            if self._swallow_release and isinstance(obj, QWidget) and self.isAncestorOf(obj):
                self._swallow_release = False
                return True  # the hold was the gesture, not a tap on what lay under it
        return False

    def _gesture(self) -> None:
        target = self._gesture_target
        if isinstance(target, QAbstractButton):
            target.setDown(False)
        self._swallow_release = True
        self.ask_for_staff()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk_mode and event.key() == Qt.Key.Key_Escape:
            return  # no way out for a passer-by
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk_mode and not self._quitting:
            event.ignore()  # Alt+F4 or the window manager: only staff may close
            return
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    def show_kiosk_mode(self) -> None:
        """Full screen, frameless, on top (kiosk mode), or a plain window."""
        if self.kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
            self.showFullScreen()
        else:
            self.resize(1366, 768)
            self.show()
