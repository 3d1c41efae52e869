"""Replaces PyInstaller's hook for PySide6.QtGui: the same collection minus the
Qt plugins a kiosk in an X11 or Wayland desktop session never loads.

Pruning here, before PyInstaller's dependency analysis, matters: the system
libraries that only these plugins link (GTK's cairo, pango, harfbuzz, pixman,
gdk-pixbuf for the gtk3 theme) are then not collected either. Filtering
``a.binaries`` in the spec would leave them behind.

Kept: platforms xcb, wayland (+ its wayland-* plugins), offscreen and minimal;
xcbglintegrations; iconengines; imageformats svg, jpeg, gif, ico (PNG is built
into QtGui); platforminputcontexts compose and ibus; generic (evdev and TUIO
touch input, for odd touch panels). QtNetwork's plugins: see
hook-PySide6.QtNetwork.py.
"""

import fnmatch
import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# KIOSK_BUNDLE_KEEP (see kiosk.spec) turns pruning steps off, for bench/bench_bundle.py.
_KEEP = {step.strip() for step in os.environ.get("KIOSK_BUNDLE_KEEP", "").split(",")}

DROPPED = (
    # GTK 3 theme: the kiosk draws itself with its own stylesheet; the plugin
    # would load the target's GTK on top of the cairo/pango bundled from the
    # build machine.
    "platformthemes/*qgtk3.*",
    # Full-screen without a desktop session (embedded boards) and remote
    # framebuffers: the kiosk runs in an X11 or Wayland session.
    "platforms/*qeglfs.*",
    "platforms/*qminimalegl.*",
    "platforms/*qlinuxfb.*",
    "platforms/*qvnc.*",
    "platforms/*qvkkhrdisplay.*",
    "egldeviceintegrations/*",
    # Qt Virtual Keyboard needs QML modules that are not bundled, so it could
    # not work anyway; passers-by never type (anonymous by construction).
    "platforminputcontexts/*qtvirtualkeyboardplugin.*",
    # Image formats nobody puts in ui/ or content/. qpdf renders PDF pages as
    # images and alone pulls in libQt6Pdf.so.6 (4.5 MB).
    "imageformats/*qpdf.*",
    "imageformats/*qtiff.*",
    "imageformats/*qwebp.*",
    "imageformats/*qicns.*",
    "imageformats/*qtga.*",
    "imageformats/*qwbmp.*",
)


def _kept(src: str, dest_dir: str) -> bool:
    """``dest_dir`` is e.g. ``PySide6/Qt/plugins/platforms``; match ``platforms/<file>``."""
    folder = dest_dir.replace("\\", "/").rsplit("/plugins/", 1)[-1]
    name = folder + "/" + src.replace("\\", "/").rsplit("/", 1)[-1]
    return not any(fnmatch.fnmatch(name, pattern) for pattern in DROPPED)


if "all" in _KEEP or "qt-plugins" in _KEEP:
    DROPPED = tuple(p for p in DROPPED if p == "imageformats/*qpdf.*")
if "all" in _KEEP or "qt-pdf" in _KEEP:
    DROPPED = tuple(p for p in DROPPED if p != "imageformats/*qpdf.*")

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if _kept(src, dest)]
