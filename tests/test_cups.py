"""Printing through a real CUPS: "Geprint" only when CUPS says the slip was printed.

The suite starts its own ``cupsd`` (root only: CI) with its own configuration
folder and socket, and a ``cups-pdf`` queue; ``CUPS_SERVER`` points every CUPS
client (pycups, lpadmin, the print helper, Qt) at it, so no test sees the
printers of the machine it runs on. PDFs that cups-pdf makes land in the job
owner's ``~/PDF`` (``Out ${HOME}/PDF`` in /etc/cups/cups-pdf.conf).

Besides the cups-pdf queue there are queues whose backend always fails
(a jam), holds a job as long as the test wants (a slow printer), points at a
printer that is not there, and a raw queue (no driver). Some tests kill and
start cupsd again mid-job, or run it with ``PreserveJobHistory No``.

The follow-the-job rules are also tested without CUPS, on a fake connection.
"""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from kiosk.gui import spooler
from kiosk.gui.spooler import COMPLETED

QUEUE = "KioskTest"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
SIGNAL_MS = 90_000  # generous: the helper starts Python and Qt, CUPS runs ghostscript

CUPSD_CONF = """\
Listen {folder}/cups.sock
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
CUPS_FILES_CONF = """\
ServerRoot {folder}
RequestRoot {folder}/spool
TempDir {folder}/tmp
CacheDir {folder}/cache
StateDir {folder}/state
AccessLog {folder}/log/access_log
ErrorLog {folder}/log/error_log
PageLog {folder}/log/page_log
DataDir /usr/share/cups
ServerBin {folder}/lib
User lp
Group lp
SystemGroup root
"""


#: A queue whose backend always fails (a paper jam): its jobs end aborted.
JAMMED = "KioskJammed"
JAM_BACKEND = """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct kioskjam "Unknown" "Kiosk test: always jams"'; exit 0; fi
cat > /dev/null
echo "ERROR: papier vast" >&2
exit 1
"""
#: A slow printer: its backend says it started (a file ``started-<job>`` in the
#: gate folder), then holds the job while the file ``hold`` is there; it jams
#: (exit 1) when the file ``jam`` is there, else the job completes.
SLOW = "KioskSlow"
GATE_BACKEND = """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct kioskgate "Unknown" "Kiosk test: holds jobs"'; exit 0; fi
cat > /dev/null
: > "{gate}/started-$1"
while [ -e "{gate}/hold" ]; do sleep 0.05; done
if [ -e "{gate}/jam" ]; then echo "ERROR: papier vast" >&2; exit 1; fi
exit 0
"""
#: A network printer that is not there (nothing listens on the discard port).
UNREACHABLE = "KioskUnreachable"
#: A raw queue: no driver; CUPS hands the PDF's bytes to the printer as they are.
RAW = "KioskRaw"
QUEUES = (QUEUE, JAMMED, RAW, SLOW, UNREACHABLE)


def _server_bin(lib: Path, gate: Path | None = None) -> None:
    """CUPS's programs (links to the system's), plus the jamming and the gate backends."""
    system = Path("/usr/lib/cups")
    lib.mkdir(mode=0o755)
    for entry in system.iterdir():
        if entry.name != "backend":
            (lib / entry.name).symlink_to(entry)
    backends = lib / "backend"
    backends.mkdir(mode=0o755)
    for entry in (system / "backend").iterdir():
        (backends / entry.name).symlink_to(entry)
    jam = backends / "kioskjam"
    jam.write_text(JAM_BACKEND)
    jam.chmod(0o755)
    if gate is not None:
        held = backends / "kioskgate"
        held.write_text(GATE_BACKEND.format(gate=gate))
        held.chmod(0o755)


def _run(*command: str, server: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "CUPS_SERVER": str(server)})


class PrivateCups:
    """A cupsd of the tests' own, in ``folder``; it can be killed and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "cups.sock"
        self.gate = folder / "gate"  # the slow printer's files (the backend runs as lp)
        self.daemon: subprocess.Popen | None = None
        self._out = open(folder / "cupsd.out", "ab")  # noqa: SIM115 - closed in close()

    def write_conf(self, extra: str = "") -> None:
        (self.folder / "cupsd.conf").write_text(CUPSD_CONF.format(folder=self.folder) + extra)

    def start(self) -> None:
        self.daemon = subprocess.Popen(
            [shutil.which("cupsd"), "-f", "-c", str(self.folder / "cupsd.conf"),
             "-s", str(self.folder / "cups-files.conf")],
            stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            ready = subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                                   env={**os.environ, "CUPS_SERVER": str(self.socket)})
            if ready.returncode == 0 and "is running" in ready.stdout:
                return
            if self.daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail("cupsd did not start: "
                            f"{(self.folder / 'cupsd.out').read_text(errors='replace')}")
            time.sleep(0.1)

    def stop(self, how: int = signal.SIGTERM) -> None:
        """Stop cupsd: SIGTERM as an update or a shutdown does, SIGKILL as a crash."""
        if self.daemon is None:
            return
        self.daemon.send_signal(how)
        try:
            self.daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            self.daemon.wait()
        self.daemon = None

    def restart(self, how: int = signal.SIGTERM, extra_conf: str | None = None) -> None:
        self.stop(how)
        if extra_conf is not None:
            self.write_conf(extra_conf)
        self.start()

    def close(self) -> None:
        self.stop()
        self._out.close()


#: The running private cupsd of each socket (tests/test_bundle.py imports only cups_server).
_DAEMONS: dict[Path, PrivateCups] = {}


@pytest.fixture(scope="module")
def cups_server():
    """A private cupsd with the test queues (the cups-pdf one is the default); its socket."""
    assert os.geteuid() == 0, "a private cupsd needs root: run the tests as root (CI does)"
    missing = [what for what, ok in (("cupsd", shutil.which("cupsd")),
                                     ("cups-pdf", CUPS_PDF.exists() and PPD.exists()),
                                     ("lpadmin", shutil.which("lpadmin")),
                                     ("pycups", spooler.available())) if not ok]
    assert not missing, (f"missing for the CUPS tests: {', '.join(missing)} "
                         "(make test installs them: scripts/system-deps.sh test, pycups)")
    folder = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))  # not under pytest's 0700 tmp
    try:
        folder.chmod(0o755)
        for sub in ("spool", "cache", "state", "log", "ppd"):
            (folder / sub).mkdir()
        for sub in ("tmp", "gate"):
            (folder / sub).mkdir()
            (folder / sub).chmod(0o1777)
        _server_bin(folder / "lib", folder / "gate")
        (folder / "cups-files.conf").write_text(CUPS_FILES_CONF.format(folder=folder))
        cups = PrivateCups(folder)
        cups.write_conf()
        try:
            cups.start()
            socket = cups.socket
            _run("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD),
                 server=socket)
            _run("lpadmin", "-d", QUEUE, server=socket)
            _run("lpadmin", "-p", JAMMED, "-E", "-v", "kioskjam:/", "-P", str(PPD),
                 "-o", "printer-error-policy=abort-job", server=socket)
            _run("lpadmin", "-p", SLOW, "-E", "-v", "kioskgate:/", "-P", str(PPD),
                 "-o", "printer-error-policy=abort-job", server=socket)
            _run("lpadmin", "-p", UNREACHABLE, "-E", "-v", "socket://127.0.0.1:9", "-P",
                 str(PPD), server=socket)
            _run("lpadmin", "-p", RAW, "-E", "-v", "cups-pdf:/", "-m", "raw", server=socket)
            _DAEMONS[socket] = cups
            yield socket
        finally:
            _DAEMONS.pop(cups.socket, None)
            _release(cups.gate)
            cups.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cups_daemon(cups_server: Path) -> PrivateCups:
    """The private cupsd itself: to stop, restart or reconfigure it mid-test."""
    return _DAEMONS[cups_server]


def _release(gate: Path) -> None:
    """Let every held job of the slow printer go on (and not jam)."""
    for name in ("hold", "jam"):
        (gate / name).unlink(missing_ok=True)


def _pdf_folder() -> Path:
    return Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"


@pytest.fixture
def cups(cups_daemon: PrivateCups, monkeypatch):
    """The private CUPS for this test: queues accepting, printers enabled, no jobs left."""
    cups_server = cups_daemon.socket
    monkeypatch.setenv("CUPS_SERVER", str(cups_server))
    if cups_daemon.daemon is None:  # a test that stopped it failed half-way
        cups_daemon.start()
    _release(cups_daemon.gate)
    for queue in QUEUES:
        _run("cupsaccept", queue, server=cups_server)
        _run("cupsenable", queue, server=cups_server)
    subprocess.run(["cancel", "-a", "-x"], capture_output=True, timeout=60,
                   env={**os.environ, "CUPS_SERVER": str(cups_server)})
    yield cups_server
    _release(cups_daemon.gate)
    if cups_daemon.daemon is None:
        cups_daemon.start()
    _run("cupsaccept", QUEUE, server=cups_server)
    _run("cupsenable", QUEUE, server=cups_server)


def _slips() -> set[Path]:
    """The slips cups-pdf has written so far."""
    folder = _pdf_folder()
    return set(folder.glob("Stellingenkiosk-bon-*.pdf")) if folder.is_dir() else set()


def _new_slips(before: set[Path]) -> list[Path]:
    return sorted(_slips() - before)


def _taken(pdf: Path, folder: Path) -> Path:
    """Move a slip cups-pdf made into the test's own folder (nothing left in ~/PDF)."""
    return Path(shutil.move(pdf, folder / pdf.name))


def test_printers_are_those_of_the_cups_server_chosen(monkeypatch, qapp) -> None:
    """No test depends on this machine's printers: a server that is not there has none."""
    from kiosk.cli.printing import printer_lines
    from kiosk.gui.printing import printers

    monkeypatch.setenv("CUPS_SERVER", "/nonexistent/kiosk-test/cups.sock")
    assert printers() == []
    assert printer_lines()[0].startswith("geen printers gevonden")


# -- a real CUPS ------------------------------------------------------------------------


def test_printers_lists_the_test_queue_as_default(cups, qapp) -> None:
    from kiosk.cli.printing import printer_lines
    from kiosk.gui.printing import printers

    others = sorted(set(QUEUES) - {QUEUE})
    assert printers() == [(QUEUE, True), *((name, False) for name in others)]
    assert printer_lines() == [f"* {QUEUE}", *(f"  {name}" for name in others)]


def test_print_test_reports_a_completed_job_and_the_pdf_arrives(cups, qapp, tmp_path) -> None:
    from kiosk.cli.printing import print_test
    from tests.test_printing import decode_pdf

    started = _slips()
    line = print_test(QUEUE)
    assert line.startswith(f"testbon geprint op {QUEUE}"), line
    (pdf,) = _new_slips(started)
    decoded = decode_pdf(_taken(pdf, tmp_path))
    assert len(decoded) == 1
    assert decoded[0].startswith("https://")


@pytest.mark.parametrize(("command", "words"), [
    ("cupsreject", "neemt geen opdrachten aan"),
    ("cupsdisable", "staat stil"),
])
def test_print_test_on_a_queue_that_does_not_print_fails(cups, qapp, command, words) -> None:
    from kiosk.app import UsageError
    from kiosk.cli.printing import print_test

    _run(command, QUEUE, server=cups)
    started = _slips()
    with pytest.raises(UsageError, match=words):
        print_test(QUEUE)
    assert _new_slips(started) == []


def test_print_test_on_a_printer_that_aborts_the_job_fails(cups, qapp) -> None:
    from kiosk.app import UsageError
    from kiosk.cli.printing import print_test

    with pytest.raises(UsageError, match=f"printer '{JAMMED}' brak de bon af"):
        print_test(JAMMED)


@pytest.fixture
def make_kiosk(qtbot, qapp, data_dir: Path, cups):
    """make_kiosk(queue, wait_seconds): a kiosk window printing on ``queue`` of the test CUPS."""
    from kiosk.app import ALL, Options, apply_theme, build_window
    from kiosk.core.clock import ManualClock
    from kiosk.gui.printing import PASSER_BY_SECONDS, SlipPrinter, attach_printing

    apply_theme(qapp)
    made = []

    def make(queue: str = QUEUE, wait_seconds: float = PASSER_BY_SECONDS):
        clock = ManualClock()
        window, recorder, _session = build_window(
            Options(data_dir=data_dir, location="Markt", place_kind="markt", per_visit=ALL,
                    speech=False), monotonic=clock)
        qtbot.addWidget(window)
        printer = SlipPrinter(queue, size="80mm")
        control = attach_printing(window, printer, window.content, place_kind="markt",
                                  wait_seconds=wait_seconds)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.clock_ = clock
        made.append((window, printer, recorder))
        return window, control, printer

    yield make
    for window, printer, recorder in made:
        window.close()
        printer.wait(SIGNAL_MS)
        recorder.close()


@pytest.fixture
def cups_kiosk(make_kiosk):
    # these tests look at what follows the printer's answer, not at the passer-by's
    # limit: on a busy machine Python, Qt and ghostscript may take longer than 10 s
    return make_kiosk(QUEUE, wait_seconds=SIGNAL_MS / 1000)


@pytest.fixture
def meldingen():
    """What staff read in "Meldingen": the kiosk's own notices, fed by the log."""
    from kiosk.logs import NoticeHandler, Notices

    notices = Notices()
    handler = NoticeHandler(notices)
    logging.getLogger().addHandler(handler)
    yield notices
    logging.getLogger().removeHandler(handler)


def _texts(notices) -> list[str]:
    return [notice.text for notice in notices.newest_first()]


def test_a_slip_from_the_end_screen_arrives_and_is_marked_printed(qtbot, cups_kiosk, data_dir,
                                                                  tmp_path) -> None:
    from kiosk.gui.printing import DONE_TEXT
    from tests.test_printing import decode_pdf, finish_visit, printed_on_disk

    window, control, printer = cups_kiosk
    referrals = finish_visit(qtbot, window)
    course = window.end_screen.shown
    started = _slips()
    with qtbot.waitSignal(printer.job_done, timeout=SIGNAL_MS) as done, \
            qtbot.waitSignal(control.marked_printed, timeout=SIGNAL_MS) as marked:
        control.button.click()
    assert done.args[1] == COMPLETED
    assert marked.args == [referrals[course.id]]
    assert control.button.text() == DONE_TEXT
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert printed_on_disk(data_dir)[referrals[course.id]] == 1
    (pdf,) = _new_slips(started)
    assert decode_pdf(_taken(pdf, tmp_path)) == [control.link(course)]


@pytest.mark.parametrize(("command", "words"), [
    ("cupsreject", "neemt geen opdrachten aan"),
    ("cupsdisable", "staat stil"),
])
def test_a_queue_that_does_not_print_shows_the_kind_line_and_marks_nothing(
        qtbot, cups_kiosk, cups, data_dir, command, words) -> None:
    from kiosk.gui.printing import KIND_LINE, PRINT_TEXT
    from tests.test_printing import finish_visit, printed_on_disk

    window, control, printer = cups_kiosk
    _run(command, QUEUE, server=cups)
    started = _slips()
    referrals = finish_visit(qtbot, window)
    marked: list[str] = []
    control.marked_printed.connect(marked.append)
    with qtbot.waitSignal(control.staff_message, timeout=SIGNAL_MS) as staff:
        control.button.click()
    assert words in staff.args[0]
    assert control.button.text() == PRINT_TEXT  # never "Geprint"
    assert window.end_screen.print_line.text() == KIND_LINE
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert marked == []
    assert set(printed_on_disk(data_dir).values()) == {0}
    assert set(printed_on_disk(data_dir)) == set(referrals.values())
    _run("cupsenable", QUEUE, server=cups)  # a cancelled job does not come out later
    assert _new_slips(started) == []
