"""Printed means printed: "Geprint" only for a job CUPS reports completed (job-state 9).

What happens to a slip when CUPS cannot say it printed: cupsd restarted or
killed mid-job, a CUPS without job history (``PreserveJobHistory No``), a raw
queue, a jam, a printer that is not there, a CUPS that hangs, a slow printer
(the passer-by waits :data:`~kiosk.gui.printing.PASSER_BY_SECONDS` at most).
Runs against the private cupsd of tests/test_cups.py (its fixtures, one cupsd
for this module), and the rules for following a job on a fake connection.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from kiosk.gui import spooler
from kiosk.gui.spooler import COMPLETED, JobUnknown, SpoolerError
from tests import test_cups as private_cups
from tests.test_cups import (
    JAMMED,
    QUEUE,
    RAW,
    SIGNAL_MS,
    SLOW,
    UNREACHABLE,
    _new_slips,
    _release,
    _run,
    _slips,
    _texts,
)

# The private cupsd's fixtures (one cupsd for this module).
cups_server = private_cups.cups_server
cups_daemon = private_cups.cups_daemon
cups = private_cups.cups
make_kiosk = private_cups.make_kiosk
meldingen = private_cups.meldingen

#: The passer-by's limit in the GUI tests (the kiosk's own is PASSER_BY_SECONDS, 10 s):
#: short, so that the slip is surely not out by then while the slow printer holds it.
SHORT_WAIT_S = 0.5


# -- the rules for following a job, on a fake CUPS ------------------------------------


#: In a FakeConnection's states: the job is not there (1030), CUPS is down (1282).
GONE_JOB, CUPS_DOWN = "gone", "down"


class FakeConnection:
    """A CUPS connection whose job goes through the given states, then stays in the last."""

    def __init__(self, states: list[int | str], printer_state: int = 3) -> None:
        self.states, self.printer_state = list(states), printer_state
        self.cancelled: list[int] = []

    def getJobAttributes(self, job, requested_attributes=None):  # noqa: N802 - pycups' name
        import cups as pycups

        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        if state == GONE_JOB:
            raise pycups.IPPError(1030, "client-error-not-found")
        if state == CUPS_DOWN:
            raise pycups.IPPError(1282, "Service Unavailable")
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




@pytest.mark.parametrize("states", [
    [spooler.PENDING, spooler.PROCESSING, spooler.DONE],
    # CUPS restarts mid-job (an update, a suspend/resume), brings the job back, finishes it
    [spooler.PROCESSING, CUPS_DOWN, CUPS_DOWN, spooler.PENDING, spooler.DONE],
])
def test_a_followed_job_is_printed_only_when_cups_says_so(states) -> None:
    clock = FakeClock()
    assert spooler.follow(FakeConnection(states), QUEUE, 7, 10, clock, clock.sleep) == COMPLETED


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
