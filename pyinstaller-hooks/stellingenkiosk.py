"""Entry script of the PyInstaller bundle (see ``kiosk.spec``).

PyInstaller needs a script path; ``kiosk/__main__.py`` would put the package
folder itself on the analysis path, so this launcher sits outside the package
and only calls the CLI.
"""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
