"""How much memory this process holds (RSS), for ``kiosk simulate --rss``. Pure Python.

On Linux the resident set size now (``VmRSS`` in ``/proc/self/status``); on
other systems with the ``resource`` module only the peak so far (``ru_maxrss``),
marked as such; elsewhere (Windows) nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def resident_kb() -> tuple[int, bool] | None:
    """(kilobytes, is_peak): the resident set now (False) or its peak so far (True);
    None when this system tells neither."""
    try:
        for line in STATUS.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]), False
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # bytes on macOS, kilobytes on Linux and the BSDs
    return (peak // 1024 if sys.platform == "darwin" else peak), True


def megabytes(kb: int) -> str:
    """``kb`` kilobytes in MB with one decimal and a decimal comma: "118,2 MB"."""
    return f"{kb / 1024:.1f} MB".replace(".", ",")


def rss_line(moment: str) -> str:
    """One line for coordinators, in Dutch: "geheugen <moment>: 118,2 MB"."""
    found = resident_kb()
    if found is None:
        return f"geheugen {moment}: niet beschikbaar op dit systeem"
    kb, peak = found
    return f"geheugen {moment}: {megabytes(kb)}" + (" (hoogste tot nu toe)" if peak else "")
