"""The commands' guard for ``-o``: never write over the kiosk's own files.

Each command that writes calls :func:`refused` first, before it opens the
database or makes a folder; a refused path is a refused argument: the Dutch
message on stderr and exit code 2, as for the other wrong arguments. The rule
itself is :func:`kiosk.core.outputs.check_output_path`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

#: The exit code of a refused output path (as argparse's own refused arguments).
REFUSED = 2


def refused(targets: Iterable[str | os.PathLike[str]],
            data_dir: str | os.PathLike[str] | None = None, *,
            allowed: Iterable[str | os.PathLike[str]] = (), prefix: str = "kiosk") -> bool:
    """True (after saying why on stderr) when any of ``targets`` may not be written.

    Args:
        data_dir: the command's ``--data-dir``; the default data folders are
            protected as well (see :func:`kiosk.core.outputs.kiosk_data_dirs`).
        allowed: dedicated output folders (see :func:`~kiosk.core.outputs.check_output_path`).
        prefix: what starts the line ("kiosk", "kiosk speech").
    """
    from kiosk.core.outputs import OutputRefused, check_output_paths, kiosk_data_dirs

    try:
        check_output_paths(targets, kiosk_data_dirs(data_dir), allowed=allowed)
    except OutputRefused as refusal:
        print(f"{prefix}: {refusal}", file=sys.stderr)
        return True
    return False
