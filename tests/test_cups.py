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
import threading
import time
from pathlib import Path

import pytest

from kiosk.gui import spooler
from kiosk.gui.spooler import COMPLETED, JobUnknown, SpoolerError

QUEUE = "KioskTest"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
SIGNAL_MS = 90_000  # generous: the helper starts Python and Qt, CUPS runs ghostscript
#: The passer-by's limit in the GUI tests (the kiosk's own is PASSER_BY_SECONDS, 10 s):
#: short, so that the slip is surely not out by then while the slow printer holds it.
SHORT_WAIT_S = 0.5

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
    if os.geteuid() != 0:
        pytest.skip("a private cupsd needs root (CI runs as root)")
    missing = [what for what, ok in (("cupsd", shutil.which("cupsd")),
                                     ("cups-pdf", CUPS_PDF.exists() and PPD.exists()),
                                     ("lpadmin", shutil.which("lpadmin")),
                                     ("pycups", spooler.available())) if not ok]
    if missing:
        pytest.skip(f"missing for the CUPS tests: {', '.join(missing)} "
                    "(scripts/system-deps.sh test, pip install pycups)")
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


# -- the rules for following a job, on a fake CUPS ------------------------------------


#: In a FakeConnection's states: the job is not there (1030), CUPS is down (1282).
GONE_JOB, CUPS_DOWN = "gone", "down"


class FakeConnection:
    """A CUPS connection whose job goes through the given states, then stays in the last."""

    def __init__(self, states: list[int | str], printer_state: int = 3) -> None:
        self.states, self.printer_state = list(states), printer_state
        self.cancelled: list[int] = []

    def getJobAttributes(self, job, requested_attributes=None):  # noqa: N802 - pycups' name
        import cups

        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        if state == GONE_JOB:
            raise cups.IPPError(1030, "client-error-not-found")
        if state == CUPS_DOWN:
            raise cups.IPPError(1282, "Service Unavailable")
        return {"job-state": state, "job-printer-state-message": "kapot"}

    def getPrinterAttributes(self, name, requested_attributes=None):  # noqa: N802
        return {"printer-state": self.printer_state}

    def cancelJob(self, job, purge_job=False):  # noqa: N802
        self.cancelled.append(job)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


needs_pycups = pytest.mark.skipif(not spooler.available(), reason="pycups (Linux) only")


@needs_pycups
@pytest.mark.parametrize("states", [
    [spooler.PENDING, spooler.PROCESSING, spooler.DONE],
    # CUPS restarts mid-job (an update, a suspend/resume), brings the job back, finishes it
    [spooler.PROCESSING, CUPS_DOWN, CUPS_DOWN, spooler.PENDING, spooler.DONE],
])
def test_a_followed_job_is_printed_only_when_cups_says_so(states) -> None:
    clock = FakeClock()
    assert spooler.follow(FakeConnection(states), QUEUE, 7, 10, clock, clock.sleep) == COMPLETED


@needs_pycups
@pytest.mark.parametrize(("states", "words"), [
    # the job vanished: no job history, or lost in a crash of cupsd
    ([spooler.PROCESSING, GONE_JOB], "kent de bon voor printer 'KioskTest' niet meer"),
    ([spooler.PROCESSING, CUPS_DOWN, GONE_JOB], "kent de bon"),
    # CUPS stops answering and does not come back within the limit
    ([spooler.PROCESSING, CUPS_DOWN], r"antwoordt niet meer \(Service Unavailable\)"),
])
def test_a_job_cups_forgets_or_cannot_tell_is_unknown_never_printed(states, words) -> None:
    clock = FakeClock()
    connection = FakeConnection(states)
    with pytest.raises(JobUnknown, match=words) as error:
        spooler.follow(connection, QUEUE, 7, 10, clock, clock.sleep)
    assert str(error.value).startswith("Printen onzeker")
    assert connection.cancelled == []


@needs_pycups
@pytest.mark.parametrize(("states", "printer_state", "words", "cancelled"), [
    ([spooler.PROCESSING, spooler.ABORTED], 3, r"brak de bon af \(kapot\)", []),
    ([spooler.CANCELED], 3, "geannuleerd", []),
    ([spooler.PENDING], spooler.PRINTER_STOPPED, "staat stil", [7]),
    ([spooler.STOPPED], 3, "staat stil", [7]),
    ([spooler.PROCESSING], 4, "niet af binnen 10 seconden", [7]),
    ([spooler.PROCESSING, CUPS_DOWN, spooler.PROCESSING], 4, "niet af binnen 10 seconden",
     [7]),
])
def test_a_job_that_does_not_complete_is_a_failure(states, printer_state, words,
                                                    cancelled) -> None:
    clock = FakeClock()
    connection = FakeConnection(states, printer_state)
    with pytest.raises(SpoolerError, match=words) as error:
        spooler.follow(connection, QUEUE, 7, 10, clock, clock.sleep)
    assert not isinstance(error.value, JobUnknown)
    assert str(error.value).startswith("Printen lukt niet")
    assert connection.cancelled == cancelled  # a stuck job is not left to come out later


@needs_pycups
@pytest.mark.parametrize(("attributes", "refused"), [
    ({"printer-make-and-model": "Generic CUPS-PDF Printer (no options)",
      "document-format-supported": ["application/octet-stream", "application/pdf"]}, ""),
    # cupsd lists every format for a raw queue, PDF included: the model gives it away
    ({"printer-make-and-model": "Local Raw Printer",
      "document-format-supported": ["application/octet-stream", "application/pdf"]},
     "zonder stuurprogramma"),
    ({"printer-make-and-model": "Bonprinter",
      "document-format-supported": "application/octet-stream"}, "geen PDF"),
    ({"printer-make-and-model": "Bonprinter",
      "document-format-supported": ["application/vnd.cups-raster"]}, "geen PDF"),
    ({"printer-make-and-model": "Bonprinter"}, "geen PDF"),
])
def test_a_queue_must_print_pdf(attributes, refused) -> None:
    if not refused:
        spooler.check_pdf(QUEUE, attributes)
        return
    with pytest.raises(SpoolerError, match=refused) as error:
        spooler.check_pdf(QUEUE, attributes)
    assert str(error.value).startswith(f"Printen lukt niet: printer '{QUEUE}'")


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


# -- printed means printed: only a job CUPS reports completed ----------------------------


@pytest.fixture
def slip_pdf(qapp, tmp_path: Path) -> Path:
    """A real slip as PDF, as the print helper makes it."""
    from kiosk.app import apply_theme
    from kiosk.core.content import load_content
    from kiosk.gui.slip import write_slip_pdf

    apply_theme(qapp)
    content = load_content()
    course = content.courses[content.default_course]
    return write_slip_pdf(tmp_path / "bon.pdf", course, content.library, course.url, "80mm")


def _job_state(server: Path, job: int) -> int | None:
    """The job's state as CUPS tells it now (a connection of its own); None: not known."""
    import cups as pycups

    pycups.setServer(str(server))
    try:
        return pycups.Connection().getJobAttributes(job, requested_attributes=["job-state"])[
            "job-state"]
    except pycups.IPPError:
        return None


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    """Wait until ``condition()`` holds (CUPS has no signal to wait on: it is asked)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:g} s for: {what}")
        time.sleep(0.05)


def _started(gate: Path, job: int) -> bool:
    return (gate / f"started-{job}").exists()


class Follower:
    """A slip submitted to ``queue``, followed by :func:`spooler.follow` on a thread.

    The follower's pause between polls is where the test looks in: ``polls``
    counts them, and :meth:`pause` parks the follower there until :meth:`go_on`.
    """

    def __init__(self, server: Path, queue: str, pdf: Path, timeout: float = 60) -> None:
        import cups as pycups

        pycups.setServer(str(server))
        self.connection = pycups.Connection()
        spooler.check_ready(self.connection, queue)
        self.job = spooler.submit(self.connection, queue, pdf, "Stellingenkiosk-bon-test", {})
        self.queue, self.timeout = queue, timeout
        self.polls = 0
        self.result: str | None = None
        self.error: Exception | None = None
        self._changed = threading.Condition()
        self._may_go = threading.Event()
        self._may_go.set()
        self.thread = threading.Thread(target=self._follow, daemon=True)
        self.thread.start()

    def _follow(self) -> None:
        try:
            self.result = spooler.follow(self.connection, self.queue, self.job, self.timeout,
                                         sleep=self._sleep)
        except Exception as error:  # noqa: BLE001 - the test looks at it
            self.error = error
        with self._changed:
            self._changed.notify_all()

    def _sleep(self, seconds: float) -> None:
        with self._changed:
            self.polls += 1
            self._changed.notify_all()
        self._may_go.wait()
        time.sleep(seconds)

    def wait_polls(self, count: int) -> None:
        """Wait until the follower has asked CUPS ``count`` more times (or has ended)."""
        with self._changed:
            goal = self.polls + count
            assert self._changed.wait_for(
                lambda: self.polls >= goal or not self.thread.is_alive(), timeout=60)

    def pause(self) -> None:
        """Park the follower between two polls (it asks CUPS nothing meanwhile)."""
        self._may_go.clear()
        self.wait_polls(1)

    def go_on(self) -> None:
        self._may_go.set()

    def end(self):
        self.go_on()
        self.thread.join(timeout=self.timeout + 30)
        assert not self.thread.is_alive()
        return self.result, self.error


def test_print_pdf_on_a_printer_that_prints_is_completed(cups, slip_pdf) -> None:
    started = _slips()
    jobs: list[int] = []
    name, outcome = spooler.print_pdf(slip_pdf, QUEUE, "Stellingenkiosk-bon-pdf", {},
                                      submitted=jobs.append)
    assert (name, outcome) == (QUEUE, COMPLETED)
    assert _job_state(cups, jobs[0]) == spooler.DONE
    assert _jobs_on(cups, QUEUE) == 1
    assert len(_new_slips(started)) == 1
    for pdf in _new_slips(started):
        pdf.unlink()


def test_print_pdf_on_a_printer_that_fails_is_not_printed(cups, slip_pdf) -> None:
    with pytest.raises(SpoolerError, match=f"printer '{JAMMED}' brak de bon af") as error:
        spooler.print_pdf(slip_pdf, JAMMED, "Stellingenkiosk-bon-jam", {})
    assert not isinstance(error.value, JobUnknown)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_cupsd_restarted_mid_job_is_never_printed_unless_the_job_completes(
        cups, cups_daemon, slip_pdf, how) -> None:
    """cupsd goes away while the slip is being printed (an update: SIGTERM; a crash:
    SIGKILL) and comes back. While it is away the follower keeps asking; afterwards
    the slip is printed only if CUPS brought the job back and reports it completed."""
    gate = cups_daemon.gate
    (gate / "hold").touch()
    follower = Follower(cups, SLOW, slip_pdf)
    _wait_for(lambda: _started(gate, follower.job), "the slow printer has the job")
    assert _job_state(cups, follower.job) == spooler.PROCESSING
    cups_daemon.stop(how)
    follower.wait_polls(3)  # it asked a CUPS that is not there, three times
    assert follower.thread.is_alive(), (follower.result, follower.error)  # not "printed"
    cups_daemon.start()
    state = _job_state(cups, follower.job)
    if how == signal.SIGTERM:  # an orderly stop keeps the job: it is printed again
        assert state in (spooler.PENDING, spooler.PROCESSING)
        follower.wait_polls(3)
        assert follower.thread.is_alive(), (follower.result, follower.error)
    _release(gate)
    result, error = follower.end()
    if result is not None:
        assert result == COMPLETED
        assert _job_state(cups, follower.job) == spooler.DONE  # CUPS says so
    else:
        assert state is None, "a job CUPS still knew must be followed to its end"
        assert isinstance(error, JobUnknown), error
        assert "kent de bon" in str(error)
    if how == signal.SIGTERM:
        assert result == COMPLETED


@pytest.fixture
def no_job_history(cups, cups_daemon):
    """The test CUPS with ``PreserveJobHistory No``: a finished job is forgotten at once."""
    cups_daemon.restart(extra_conf="PreserveJobHistory No\n")
    yield cups
    cups_daemon.restart(extra_conf="")


def test_a_finished_job_cups_no_longer_knows_is_unknown(no_job_history, cups_daemon,
                                                         slip_pdf) -> None:
    gate = cups_daemon.gate
    (gate / "hold").touch()
    follower = Follower(no_job_history, SLOW, slip_pdf)
    _wait_for(lambda: _started(gate, follower.job), "the slow printer has the job")
    follower.pause()
    _release(gate)  # the job completes, and CUPS forgets it
    _wait_for(lambda: _job_state(no_job_history, follower.job) is None, "the job is gone")
    result, error = follower.end()
    assert result is None  # never "printed"
    assert isinstance(error, JobUnknown)
    assert str(error).startswith("Printen onzeker")
    assert "PreserveJobHistory Yes" in str(error)


def test_without_job_history_the_kiosk_never_says_printed(qtbot, make_kiosk, no_job_history,
                                                          data_dir, meldingen) -> None:
    """The slip comes out of the cups-pdf printer, but CUPS cannot say so: the kiosk
    does not claim it. The passer-by gets the kind line, staff read why."""
    from kiosk.gui.printing import KIND_LINE, PRINT_TEXT, UNKNOWN
    from tests.test_printing import finish_visit, printed_on_disk

    window, control, printer = make_kiosk(QUEUE)
    started = _slips()
    finish_visit(qtbot, window)
    with qtbot.waitSignal(printer.job_ended, timeout=SIGNAL_MS) as ended, \
            qtbot.waitSignal(control.kind_line, timeout=SIGNAL_MS):
        control.button.click()
    assert ended.args[1] == UNKNOWN
    assert control.button.text() == PRINT_TEXT
    assert window.end_screen.print_line.text() == KIND_LINE
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert set(printed_on_disk(data_dir).values()) == {0}
    assert _texts(meldingen) == [ended.args[2]]
    assert "kent de bon" in ended.args[2]
    for pdf in _new_slips(started):  # it did print: nobody could know
        pdf.unlink()


def test_a_raw_queue_is_refused_before_anything_is_printed(cups, qapp) -> None:
    from kiosk.app import UsageError
    from kiosk.cli.printing import print_test

    started = _slips()
    with pytest.raises(UsageError, match=f"printer '{RAW}' is een wachtrij zonder "
                                         "stuurprogramma"):
        print_test(RAW)
    assert _jobs_on(cups, RAW) == 0
    assert _new_slips(started) == []


def test_a_raw_queue_gives_the_kind_line_and_staff_read_why(qtbot, make_kiosk, meldingen,
                                                             data_dir) -> None:
    from kiosk.gui.printing import KIND_LINE
    from tests.test_printing import finish_visit, printed_on_disk

    window, control, _printer = make_kiosk(RAW)
    finish_visit(qtbot, window)
    with qtbot.waitSignal(control.staff_message, timeout=SIGNAL_MS) as staff:
        control.button.click()
    assert "zonder stuurprogramma" in staff.args[0]
    assert window.end_screen.print_line.text() == KIND_LINE
    assert _texts(meldingen) == [staff.args[0]]
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert set(printed_on_disk(data_dir).values()) == {0}


def test_a_jammed_printer_tells_staff_in_meldingen(qtbot, make_kiosk, meldingen,
                                                   data_dir) -> None:
    from kiosk.gui.printing import FAILED, KIND_LINE, PRINT_TEXT
    from tests.test_printing import finish_visit, printed_on_disk

    window, control, printer = make_kiosk(JAMMED)
    finish_visit(qtbot, window)
    with qtbot.waitSignal(printer.job_ended, timeout=SIGNAL_MS) as ended:
        control.button.click()
    assert ended.args[1] == FAILED
    assert f"printer '{JAMMED}' brak de bon af" in ended.args[2]
    assert control.button.text() == PRINT_TEXT
    assert window.end_screen.print_line.text() == KIND_LINE
    assert _texts(meldingen) == [ended.args[2]]  # the Dutch message itself, not a generic one
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert set(printed_on_disk(data_dir).values()) == {0}


# -- the passer-by waits PASSER_BY_SECONDS at most ---------------------------------------


def _said(window) -> list[str]:
    """The phrases the window says from now on (the slip's "bonnetje" among them)."""
    said: list[str] = []
    original = window.say_phrase

    def say(key, *args, **kwargs):
        said.append(key)
        return original(key, *args, **kwargs)

    window.say_phrase = say
    return said


@pytest.mark.parametrize("jam", [False, True])
def test_a_slow_slip_gives_the_kind_line_and_staff_hear_the_end(
        qtbot, make_kiosk, cups_daemon, meldingen, data_dir, jam) -> None:
    from kiosk.gui.printing import DONE_TEXT, FAILED, KIND_LINE, PASSER_BY_SECONDS, PRINT_TEXT
    from tests.test_printing import finish_visit, printed_on_disk

    assert PASSER_BY_SECONDS == 10
    gate = cups_daemon.gate
    (gate / "hold").touch()
    if jam:
        (gate / "jam").touch()
    window, control, printer = make_kiosk(SLOW, wait_seconds=SHORT_WAIT_S)
    said = _said(window)
    referrals = finish_visit(qtbot, window)
    course = window.end_screen.shown
    ended: list[tuple] = []
    printer.job_ended.connect(lambda *args: ended.append(args))
    with qtbot.waitSignal(control.kind_line, timeout=SIGNAL_MS) as kind:
        control.button.click()
    assert ended == []  # the slip is still on its way
    assert kind.args == [KIND_LINE]
    assert window.end_screen.print_line.text() == KIND_LINE
    assert control.button.text() == PRINT_TEXT
    assert not control.button.isEnabled()  # no second slip behind the first
    control.button.click()
    assert len(control._jobs) == 1
    assert _texts(meldingen) == []
    qtbot.waitUntil(lambda: any(gate.glob("started-*")), timeout=SIGNAL_MS)
    with qtbot.waitSignal(control.staff_message, timeout=SIGNAL_MS) as staff:
        (gate / "hold").unlink()  # the printer goes on (and jams, or prints)
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert _texts(meldingen) == [staff.args[0]]
    if jam:
        assert ended[0][1] == FAILED
        assert f"printer '{SLOW}' brak de bon af" in staff.args[0]
        assert set(printed_on_disk(data_dir).values()) == {0}
    else:
        assert ended[0][1] == COMPLETED
        assert staff.args[0].startswith("Een bon kwam pas na")
        assert printed_on_disk(data_dir)[referrals[course.id]] == 1  # it did print
    # the passer-by was never told "Geprint"
    assert control.button.text() == PRINT_TEXT != DONE_TEXT
    assert window.end_screen.print_line.text() == KIND_LINE
    assert "bonnetje" not in said


def test_an_unreachable_printer_gives_the_kind_line_within_the_limit(
        qtbot, make_kiosk, cups, meldingen) -> None:
    """A network printer that is not there: CUPS keeps trying, the passer-by does not wait."""
    from kiosk.gui.printing import FAILED, KIND_LINE
    from tests.test_printing import finish_visit

    window, control, printer = make_kiosk(UNREACHABLE, wait_seconds=SHORT_WAIT_S)
    finish_visit(qtbot, window)
    with qtbot.waitSignal(control.kind_line, timeout=SIGNAL_MS):
        control.button.click()
    assert window.end_screen.print_line.text() == KIND_LINE
    # staff cancel it in the printer's queue; Meldingen gets the end
    qtbot.waitUntil(lambda: _jobs_on(cups, UNREACHABLE) == 1, timeout=SIGNAL_MS)
    with qtbot.waitSignal(printer.job_ended, timeout=SIGNAL_MS) as ended:
        _run("cancel", "-a", UNREACHABLE, server=cups)
    assert ended.args[1] == FAILED
    assert "geannuleerd" in ended.args[2]
    assert _texts(meldingen) == [ended.args[2]]


def _jobs_on(server: Path, queue: str) -> int:
    """How many jobs were submitted to ``queue`` (since the ``cups`` fixture purged them)."""
    import cups as pycups

    pycups.setServer(str(server))
    jobs = pycups.Connection().getJobs(which_jobs="all",
                                       requested_attributes=["job-id", "job-printer-uri"])
    return sum(job["job-printer-uri"].endswith(f"/{queue}") for job in jobs.values())


def test_cups_that_hangs_gives_the_kind_line_within_the_limit(
        qtbot, make_kiosk, cups_daemon, cups, meldingen, data_dir) -> None:
    """cupsd stops answering (SIGSTOP): the passer-by gets the kind line at the limit;
    when it answers again the slip prints, and staff hear it came late."""
    from tests.test_printing import finish_visit, printed_on_disk

    window, control, printer = make_kiosk(QUEUE, wait_seconds=SHORT_WAIT_S)
    referrals = finish_visit(qtbot, window)
    course = window.end_screen.shown
    started = _slips()
    cups_daemon.daemon.send_signal(signal.SIGSTOP)
    try:
        with qtbot.waitSignal(control.kind_line, timeout=SIGNAL_MS):
            control.button.click()
    finally:
        cups_daemon.daemon.send_signal(signal.SIGCONT)
    with qtbot.waitSignal(printer.job_ended, timeout=SIGNAL_MS) as ended:
        pass
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=SIGNAL_MS)
    assert ended.args[1] == COMPLETED
    assert _texts(meldingen)[0].startswith("Een bon kwam pas na")
    assert printed_on_disk(data_dir)[referrals[course.id]] == 1
    for pdf in _new_slips(started):
        pdf.unlink()
