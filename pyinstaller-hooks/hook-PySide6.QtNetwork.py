"""Replaces PyInstaller's hook for PySide6.QtNetwork: the library without its plugins.

The kiosk never opens a network connection through Qt. ``PySide6.QtNetwork`` is
only in the bundle because ``import PySide6.QtMultimedia`` imports it, and
libQt6Network.so.6 because QtMultimedia and its FFmpeg plugin link it. Left out:

- ``networkinformation/`` (NetworkManager, ConnMan, GLib): loaded only by
  ``QNetworkInformation::load*``. The GLib one alone pulls in GIO, GObject,
  GModule, libmount, libblkid and libselinux from the build machine (~3.4 MB).
- ``tls/`` (OpenSSL and certificate-only backends): loaded only for
  ``QSslSocket``/HTTPS. The kiosk plays local WAV files; FFmpeg has its own TLS
  shim (libQt6FFmpegStub-ssl) for network streams it never gets.
- ``networkaccess/`` (none in the Linux wheel) and the OpenSSL libraries that
  PyInstaller's own hook adds for the tls plugin (Python's ``_ssl``/``_hashlib``
  still bring libssl/libcrypto; ``hashlib.scrypt`` needs libcrypto).
"""

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies, pyside6_library_info

DROPPED_PLUGIN_TYPES = ("networkaccess", "networkinformation", "tls")
# KIOSK_BUNDLE_KEEP (see kiosk.spec) turns pruning steps off, for bench/bench_bundle.py.
_KEEP = {step.strip() for step in os.environ.get("KIOSK_BUNDLE_KEEP", "").split(",")}


def _kept(dest_dir: str) -> bool:
    """``dest_dir`` is e.g. ``PySide6/Qt/plugins/tls``."""
    folder = dest_dir.replace("\\", "/").rsplit("/plugins/", 1)
    return len(folder) == 1 or folder[1].split("/")[0] not in DROPPED_PLUGIN_TYPES


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
if "all" in _KEEP or "qt-network-plugins" in _KEEP:  # what PyInstaller's own hook does
    binaries += pyside6_library_info.collect_qtnetwork_files()
else:
    binaries = [(src, dest) for src, dest in binaries if _kept(dest)]
