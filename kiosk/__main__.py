import os
import sys

# A windowed build (PyInstaller --noconsole, a desktop shortcut) may start without
# stdout/stderr: a print would then fail. Problems still reach logs/kiosk.log.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from kiosk.cli import main  # noqa: E402

raise SystemExit(main())
