#!/usr/bin/env bash
# Install (or name) the system packages the kiosk needs.
#   scripts/system-deps.sh run    packages to run the kiosk
#   scripts/system-deps.sh test   the above plus the tools the tests use
# On Debian/Ubuntu: installs with apt-get when root, otherwise prints the exact
# command and exits 1. On other systems: prints a pointer to the README.
set -euo pipefail
mode="${1:-run}"

run_pkgs=(
  espeak-ng            # pyttsx3 loads libespeak-ng through ctypes (Dutch voice gmw/nl)
  libpulse0            # PySide6.QtMultimedia does not import without libpulse.so.0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  fonts-dejavu-core    # a font Qt can fall back to on a bare machine
  libcups2             # CUPS client library: pycups prints and follows each slip's job
  libcups2-dev gcc     # pycups (PyPI) has no wheels: pip builds it against libcups
)
test_pkgs=(
  zbar-tools           # zbarimg decodes the QR codes the kiosk paints
  poppler-utils        # pdftoppm / pdftotext read the PDFs it prints
  xvfb                 # a real X server for end-to-end runs
  openbox xdotool x11-utils  # tests/test_fit_window_manager.py: the real window under a window
                       # manager at each stand's screen size (xdotool: its geometry; xprop)
  binutils             # objdump, used by PyInstaller on Linux
  cups cups-client     # tests/test_cups.py starts its own cupsd; lpadmin, cupsreject, ...
  printer-driver-cups-pdf  # the test queue: a printer that writes PDFs (~/PDF)
  syncthing            # the outbox recipe of docs/outbox.md, tested between two instances
  pulseaudio pulseaudio-utils  # tests/sound.py: a private sound server (null sink) that the
                       # self-test plays into, recorded with parec (CI has no sound card)
  e2fsprogs            # mkfs.ext2: tests/test_staff_usb.py loop-mounts a USB stick image
  sox                  # tests/test_voice*.py: makes FLAC/OGG test files and measures loudness
                       # (sox stats); the kiosk itself decodes with QtMultimedia
  lame                 # tests/test_voice.py: an MP3 to decode (Qt's FFmpeg has no MP3 encoder)
  faketime             # libfaketime: the clock set back or forward mid-session (tests/test_merge_trust.py)
  libreoffice-calc-nogui  # soffice: tests/test_xlsx.py reads the XLSX back as a spreadsheet
                       # client would (a formula-looking name stays text, as typed)
  libreoffice-writer-nogui  # Writer: tests/test_report_odt.py converts the report's ODT to PDF
  # The .deb (issue 21): packaging/build-deb.sh and tests/test_deb.py, test_manpage.py,
  # test_autostart.py, and scripts/test-install-chroot.sh
  patchelf             # build-deb.sh removes RUNPATHs that point into the build machine
  lintian              # test_deb.py: 0 errors, every remaining tag overridden with a reason
  desktop-file-utils   # desktop-file-validate: the menu and autostart entries (Debian 12's rules)
  man-db groff-base mandoc  # man -l, groff -ww and mandoc -T lint render stellingenkiosk(1)
  mmdebstrap           # test-install-chroot.sh: a clean Debian 12 to install the .deb into
)

pkgs=("${run_pkgs[@]}")
[ "$mode" = "test" ] && pkgs+=("${test_pkgs[@]}")

# A Python without ensurepip (Debian's own python3) needs python3-venv.
PY="${PY:-python3}"
if command -v "$PY" >/dev/null && ! "$PY" -c "import ensurepip, venv" 2>/dev/null; then
  pkgs+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  case "$(uname -s)" in
    Linux) echo "note: not a Debian/Ubuntu system; install the equivalents of: ${pkgs[*]} (see README, 'System packages')." ;;
    *) : ;;  # macOS/Windows: the Python wheels carry Qt; see README.
  esac
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Run this once, then try again:"
  echo "  sudo apt-get install -y ${missing[*]}"
  exit 1
fi
