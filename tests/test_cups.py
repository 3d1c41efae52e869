"""Printing through a real CUPS: "Geprint" only when CUPS says the slip was printed.

The suite starts its own ``cupsd`` (root only: CI) with its own configuration
folder and socket, and a ``cups-pdf`` queue; ``CUPS_SERVER`` points every CUPS
client (pycups, lpadmin, the print helper, Qt) at it, so no test sees the
printers of the machine it runs on. PDFs that cups-pdf makes land in the job
owner's ``~/PDF`` (``Out ${HOME}/PDF`` in /etc/cups/cups-pdf.conf).

The follow-the-job rules are also tested without CUPS, on a fake connection.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from kiosk.gui import spooler
from kiosk.gui.spooler import ACCEPTED, COMPLETED, SpoolerError

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


def _server_bin(lib: Path) -> None:
    """CUPS's programs (links to the system's), plus the jamming backend."""
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


def _run(*command: str, server: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "CUPS_SERVER": str(server)})


@pytest.fixture(scope="module")
def cups_server():
    """A private cupsd with one cups-pdf queue (the default); its socket path."""
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
        (folder / "tmp").mkdir(mode=0o1777)
        (folder / "tmp").chmod(0o1777)
        _server_bin(folder / "lib")
        (folder / "cupsd.conf").write_text(CUPSD_CONF.format(folder=folder))
        (folder / "cups-files.conf").write_text(CUPS_FILES_CONF.format(folder=folder))
        socket = folder / "cups.sock"
        log = open(folder / "cupsd.out", "wb")  # noqa: SIM115 - closed below
        daemon = subprocess.Popen(
            [shutil.which("cupsd"), "-f", "-c", str(folder / "cupsd.conf"),
             "-s", str(folder / "cups-files.conf")],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                ready = subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                                       env={**os.environ, "CUPS_SERVER": str(socket)})
                if ready.returncode == 0 and "is running" in ready.stdout:
                    break
                if daemon.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("cupsd did not start: "
                                f"{(folder / 'cupsd.out').read_text(errors='replace')}")
                time.sleep(0.2)
            _run("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD),
                 server=socket)
            _run("lpadmin", "-d", QUEUE, server=socket)
            _run("lpadmin", "-p", JAMMED, "-E", "-v", "kioskjam:/", "-P", str(PPD),
                 "-o", "printer-error-policy=abort-job", server=socket)
            yield socket
        finally:
            daemon.terminate()
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
            log.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pdf_folder() -> Path:
    return Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"


@pytest.fixture
def cups(cups_server: Path, monkeypatch):
    """The private CUPS for this test: queue accepting, printer enabled, no jobs left."""
    monkeypatch.setenv("CUPS_SERVER", str(cups_server))
    for queue in (QUEUE, JAMMED):
        _run("cupsaccept", queue, server=cups_server)
        _run("cupsenable", queue, server=cups_server)
    subprocess.run(["cancel", "-a", "-x"], capture_output=True, timeout=60,
                   env={**os.environ, "CUPS_SERVER": str(cups_server)})
    yield cups_server
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


class FakeConnection:
    """A CUPS connection whose job goes through the given states, then stays in the last."""

    def __init__(self, states: list[int | None], printer_state: int = 3) -> None:
        self.states, self.printer_state = list(states), printer_state
        self.cancelled: list[int] = []

    def getJobAttributes(self, job, requested_attributes=None):  # noqa: N802 - pycups' name
        import cups

        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        if state is None:
            raise cups.IPPError(1030, "client-error-not-found")
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
@pytest.mark.parametrize(("states", "outcome"), [
    ([spooler.PENDING, spooler.PROCESSING, spooler.DONE], COMPLETED),
    ([spooler.PROCESSING, None], ACCEPTED),  # the job vanished: no history, no completion
])
def test_a_followed_job_is_printed_only_when_cups_says_so(states, outcome) -> None:
    clock = FakeClock()
    assert spooler.follow(FakeConnection(states), QUEUE, 7, 10, clock, clock.sleep) == outcome


@needs_pycups
@pytest.mark.parametrize(("states", "printer_state", "words", "cancelled"), [
    ([spooler.PROCESSING, spooler.ABORTED], 3, r"brak de bon af \(kapot\)", []),
    ([spooler.CANCELED], 3, "geannuleerd", []),
    ([spooler.PENDING], spooler.PRINTER_STOPPED, "staat stil", [7]),
    ([spooler.STOPPED], 3, "staat stil", [7]),
    ([spooler.PROCESSING], 4, "niet af binnen 10 seconden", [7]),
])
def test_a_job_that_does_not_complete_is_a_failure(states, printer_state, words,
                                                    cancelled) -> None:
    clock = FakeClock()
    connection = FakeConnection(states, printer_state)
    with pytest.raises(SpoolerError, match=words) as error:
        spooler.follow(connection, QUEUE, 7, 10, clock, clock.sleep)
    assert str(error.value).startswith("Printen lukt niet")
    assert connection.cancelled == cancelled  # a stuck job is not left to come out later


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

    assert printers() == [(QUEUE, True), (JAMMED, False)]
    assert printer_lines() == [f"* {QUEUE}", f"  {JAMMED}"]


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
def cups_kiosk(qtbot, qapp, data_dir: Path, cups):
    from kiosk.app import ALL, Options, apply_theme, build_window
    from kiosk.core.clock import ManualClock
    from kiosk.gui.printing import SlipPrinter, attach_printing

    apply_theme(qapp)
    clock = ManualClock()
    window, recorder, _session = build_window(
        Options(data_dir=data_dir, location="Markt", place_kind="markt", per_visit=ALL,
                speech=False), monotonic=clock)
    qtbot.addWidget(window)
    printer = SlipPrinter(QUEUE, size="80mm")
    control = attach_printing(window, printer, window.content, place_kind="markt")
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.clock_ = clock
    yield window, control, printer
    window.close()
    printer.wait(SIGNAL_MS)
    recorder.close()


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
