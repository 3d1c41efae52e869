#!/usr/bin/env bash
# Build a Debian package from the one-folder bundle (make bundle), with dpkg-deb only.
#
#   packaging/build-deb.sh [BUNDLE_DIR] [OUT_DIR]      (make deb)
#     BUNDLE_DIR  default dist/stellingenkiosk
#     OUT_DIR     default dist
#
# Prints the path of the .deb it wrote (stellingenkiosk_<version>_<arch>.deb).
# The package installs:
#   /opt/stellingenkiosk/                           the bundle (RUNPATHs into the build
#                                                   machine removed, libraries 0644)
#   /usr/bin/stellingenkiosk                        a launcher script
#   /usr/share/applications/stellingenkiosk.desktop the applications menu entry
#   /usr/share/icons/hicolor/scalable/apps/stellingenkiosk.svg  its icon
#   /usr/share/man/man1/stellingenkiosk.1.gz        the manual page (kiosk/cli/manpage.py)
#   /usr/share/doc/stellingenkiosk/copyright        DEP-5: every bundled component and its
#                                                   licence (packaging/debian_copyright.py)
#   /usr/share/doc/stellingenkiosk/licenses/        their full licence texts (kiosk.spec
#                                                   collects them: pyinstaller-hooks/licences.py)
#   /usr/share/doc/stellingenkiosk/changelog.gz     packaging/changelog
#   /usr/share/lintian/overrides/stellingenkiosk    packaging/lintian-overrides (one reason each)
# and declares the system libraries the bundle loads but does not carry.
#
# Environment:
#   MAINTAINER  "Name <address>" for the Maintainer field and the changelog; default
#               "$DEBFULLNAME <$DEBEMAIL>" when both are set, else
#               "Stellingenkiosk <stellingenkiosk@example.org>" (a placeholder: set yours).
#   PYTHON      the Python that builds the manual page from the kiosk's parser; default
#               .venv/bin/python of the checkout, else python3.
#   SOURCE_DATE_EPOCH  the date printed in the manual page (default: the changelog's).
# Needs dpkg-deb, patchelf and readelf (binutils): scripts/system-deps.sh test installs them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bundle="${1:-$root/dist/stellingenkiosk}"
out="${2:-$root/dist}"
name=stellingenkiosk

[ -x "$bundle/$name" ] || { echo "build-deb: no bundle at $bundle (run: make bundle)" >&2; exit 1; }
for tool in dpkg-deb patchelf readelf gzip; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool not found (Debian/Ubuntu: scripts/system-deps.sh test installs it)" >&2; exit 1; }
done
if [ -n "${MAINTAINER:-}" ]; then maintainer="$MAINTAINER"
elif [ -n "${DEBFULLNAME:-}" ] && [ -n "${DEBEMAIL:-}" ]; then maintainer="$DEBFULLNAME <$DEBEMAIL>"
else maintainer="Stellingenkiosk <stellingenkiosk@example.org>"
fi
[[ "$maintainer" =~ ^[^\<\>]+\ \<[^@\ ]+@[^@\ ]+\.[^@\ ]+\>$ ]] || {
  echo "build-deb: MAINTAINER must look like 'Name <name@example.org>', not '$maintainer'" >&2; exit 1; }
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$root/.venv/bin/python" ]; then PYTHON="$root/.venv/bin/python"; else PYTHON=python3; fi
fi
manifest="$bundle/_internal/licenses/manifest.json"
[ -f "$manifest" ] || { echo "build-deb: $manifest missing: rebuild the bundle (make bundle)" >&2; exit 1; }

# The version from the frozen kiosk itself: "kiosk 0.1.0" -> "0.1.0" (it proves the bundle starts, too).
version="$("$bundle/$name" --version | awk '{print $2}')"
[ -n "$version" ] || { echo "build-deb: '$bundle/$name --version' printed no version" >&2; exit 1; }
arch="$(dpkg --print-architecture)"
head -1 "$here/changelog" | grep -q "^$name ($version) " || {
  echo "build-deb: packaging/changelog has no entry for $version on top: add one" >&2; exit 1; }

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
doc="$pkg/usr/share/doc/$name"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/icons/hicolor/scalable/apps" "$doc" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/lintian/overrides"
cp -a "$bundle" "$pkg/opt/$name"
chmod -R u+rwX,go+rX,go-w "$pkg/opt/$name"

# ELF files of the bundle: shared libraries are not programs (0644), and a RUNPATH that
# points outside the bundle (PyInstaller copies Python's extension modules and libpython
# with the build machine's pyenv path, e.g. /root/.pyenv/versions/3.11.7/lib) is removed:
# the bootloader finds every bundled library through _internal anyway. $ORIGIN-relative
# RUNPATHs (Qt's own) stay. patchelf --remove-rpath only drops the entry, nothing moves.
elfs=()
while IFS= read -r -d '' file; do
  [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ] && elfs+=("$file")
done < <(find "$pkg/opt/$name" -type f -print0)
for file in "${elfs[@]}"; do
  [ "$file" = "$pkg/opt/$name/$name" ] || chmod 0644 "$file"
  runpath="$(readelf -d "$file" 2>/dev/null | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p')"
  if [ -n "$runpath" ] && [[ "$runpath" != '$ORIGIN'* ]]; then
    patchelf --remove-rpath "$file"
  fi
done
# libc6: the newest GLIBC_ symbol version any bundled ELF file asks for.
glibc="$(for file in "${elfs[@]}"; do readelf -W --dyn-syms "$file" 2>/dev/null; done |
  grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
[ -n "$glibc" ] || { echo "build-deb: no GLIBC symbol versions found in the bundle" >&2; exit 1; }

install -m 0755 "$here/$name.sh" "$pkg/usr/bin/$name"
install -m 0644 "$here/$name.desktop" "$pkg/usr/share/applications/$name.desktop"
install -m 0644 "$here/$name.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$name.svg"
install -m 0644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/$name"

# Licences: the texts kiosk.spec collected move from the bundle to the doc folder, and the
# DEP-5 copyright is generated from the same manifest (fails on a library without one).
mv "$pkg/opt/$name/_internal/licenses" "$doc/licenses"
rm "$doc/licenses/manifest.json"
chmod 0644 "$doc/licenses/"*
python3 "$here/debian_copyright.py" "$manifest" "opt/$name" "/usr/share/doc/$name/licenses" \
  > "$doc/copyright"

# Changelog (a native package: changelog.gz), with this build's maintainer.
changelog="$(cat "$here/changelog")"
# (quoted: bash 5.2 would read an & in the name as "the matched text")
printf '%s\n' "${changelog//@MAINTAINER@/"$maintainer"}" | gzip -9n > "$doc/changelog.gz"

# Manual page, generated from the kiosk's argparse parser, dated by the changelog.
changed="$(sed -n 's/^ -- .*>  \(.*\)$/\1/p' "$here/changelog" | head -1)"
epoch="${SOURCE_DATE_EPOCH:-$(date -d "$changed" +%s)}"
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m kiosk.cli.manpage \
  --date "$(date -u -d "@$epoch" +%F)" > "$stage/$name.1"
gzip -9n < "$stage/$name.1" > "$pkg/usr/share/man/man1/$name.1.gz"
chmod 0644 "$pkg/usr/share/man/man1/$name.1.gz" "$doc/copyright" "$doc/changelog.gz"

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
Depends: libc6 (>= $glibc), ${deps//,/, }
Recommends: $recommends
Maintainer: $maintainer
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
