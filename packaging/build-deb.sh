#!/usr/bin/env bash
# Build a Debian package from the one-folder bundle (make bundle), with dpkg-deb only.
#
#   packaging/build-deb.sh [BUNDLE_DIR] [OUT_DIR]      (make deb)
#     BUNDLE_DIR  default dist/stellingenkiosk
#     OUT_DIR     default dist
#
# Prints the path of the .deb it wrote (stellingenkiosk_<version>_<arch>.deb).
# The package installs:
#   /opt/stellingenkiosk/                           the bundle, as built
#   /usr/bin/stellingenkiosk                        a launcher script
#   /usr/share/applications/stellingenkiosk.desktop the applications menu entry
#   /usr/share/icons/hicolor/scalable/apps/stellingenkiosk.svg  its icon
# and declares the system libraries the bundle loads but does not carry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bundle="${1:-$root/dist/stellingenkiosk}"
out="${2:-$root/dist}"
name=stellingenkiosk

[ -x "$bundle/$name" ] || { echo "build-deb: no bundle at $bundle (run: make bundle)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb not found (Debian/Ubuntu only)" >&2; exit 1; }

# The version from the frozen kiosk itself: "kiosk 0.1.0" -> "0.1.0" (it proves the bundle starts, too).
version="$("$bundle/$name" --version | awk '{print $2}')"
[ -n "$version" ] || { echo "build-deb: '$bundle/$name --version' printed no version" >&2; exit 1; }
arch="$(dpkg --print-architecture)"

# Run-time libraries, kept in step with run_pkgs in scripts/system-deps.sh
# (tests/test_deb.py checks): espeak-ng there is libespeak-ng1 here (pyttsx3 loads
# the library; the espeak-ng program is not needed), which pulls in the voices.
# Build-only packages there (gcc, *-dev: pip builds pycups) are not needed here.
# libcups2 and libpulse0 are load-bearing: kiosk.spec leaves libcups.so.2 and
# libpulse.so.0 (with GnuTLS, libsndfile & co., which only they link) out of the
# bundle, for the system's to be loaded (pyinstaller-hooks/systemlibs.py;
# tests/test_bundle.py checks that every package named there is here).
depends=(
  libespeak-ng1 libpulse0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  fonts-dejavu-core libcups2
)
# Printing slips goes through the local CUPS service (pycups); a laptop without a
# printer runs the kiosk without it.
recommends="cups"

stage="$(mktemp -d "${TMPDIR:-/tmp}/$name-deb.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
umask 022
pkg="$stage/$name"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/icons/hicolor/scalable/apps" "$pkg/usr/share/doc/$name"
cp -a "$bundle" "$pkg/opt/$name"
chmod -R u+rwX,go+rX,go-w "$pkg/opt/$name"
install -m 0755 "$here/$name.sh" "$pkg/usr/bin/$name"
install -m 0644 "$here/$name.desktop" "$pkg/usr/share/applications/$name.desktop"
install -m 0644 "$here/$name.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$name.svg"
cat > "$pkg/usr/share/doc/$name/copyright" <<EOF
Stellingenkiosk $version: a touchscreen kiosk for the Taalhuis of Dutch libraries.
The bundle under /opt/$name carries Python, Qt (LGPL-3.0) with FFmpeg (LGPL-2.1+)
and the Python packages listed in the project's pyproject.toml, each under its own
licence; their licence files are inside /opt/$name/_internal.
EOF

installed_kb="$(du -sk --exclude=DEBIAN "$pkg" | awk '{print $1}')"
IFS=,
deps="${depends[*]}"
unset IFS
cat > "$pkg/DEBIAN/control" <<EOF
Package: $name
Version: $version
Section: education
Priority: optional
Architecture: $arch
Installed-Size: $installed_kb
Depends: ${deps//,/, }
Recommends: $recommends
Maintainer: Stellingenkiosk <stellingenkiosk@localhost>
Description: touchscreen kiosk with statements about basic skills
 The digital twin of the Taalhuis stand game: a statement, two big targets
 (eens / oneens), the statement read aloud in Dutch, and a QR code (on screen
 or on a printed slip) to a course that fits the answers. Staff start and end a
 session with a PIN; coordinators export tallies and a report.
EOF

mkdir -p "$out"
deb="$out/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z6 --build "$pkg" "$deb" >/dev/null
echo "$deb"
