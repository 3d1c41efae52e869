#!/usr/bin/env bash
# Install the .deb in a clean Debian 12 (bookworm, made with mmdebstrap) the two ways the
# README gives, run `stellingenkiosk self-test` inside after each, and purge it again.
#
#   scripts/test-install-chroot.sh [DEB]    default: the newest dist/stellingenkiosk_*.deb
#
#   laptop (a desktop):   apt install ./stellingenkiosk_<v>_<arch>.deb
#   minimal system:       apt install --no-install-recommends ./stellingenkiosk_<v>_<arch>.deb cups
#
# Prints, for each way (and for --no-install-recommends without cups), what apt reports
# before installing (new packages, download, disk space): the numbers in the README's
# install section. Then checks that
# `apt purge` removes the program and leaves the data folder alone.
#
# Root only (mmdebstrap --mode=root, mounts, chroot). Needs a Debian mirror
# (MIRROR, default http://deb.debian.org/debian; SUITE, default bookworm) and, on this
# machine, mmdebstrap and pulseaudio (scripts/system-deps.sh test installs both): the
# self-test fails without a sound device, so a private PulseAudio server with a null
# sink runs outside the chroot and the kiosk inside plays into its socket.
# KEEP=1 leaves the chroot folder for a look afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root_dir="$(dirname "$here")"
suite="${SUITE:-bookworm}"
mirror="${MIRROR:-http://deb.debian.org/debian}"

deb="${1:-$(ls -t "$root_dir"/dist/stellingenkiosk_*.deb 2>/dev/null | head -1 || true)}"
[ -n "$deb" ] && [ -f "$deb" ] || { echo "test-install-chroot: no .deb given or in dist/ (make deb)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "test-install-chroot: run as root (mmdebstrap --mode=root, chroot)" >&2; exit 2; }
for tool in mmdebstrap pulseaudio pactl chroot mount; do
  command -v "$tool" >/dev/null || { echo "test-install-chroot: $tool missing (scripts/system-deps.sh test)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/var/tmp}/stellingenkiosk-chroot.XXXXXX")"
target="$work/root"
pulse_pid=""
cleanup() {
  [ -n "$pulse_pid" ] && kill "$pulse_pid" 2>/dev/null && wait "$pulse_pid" 2>/dev/null || true
  for mnt in dev/pts dev sys proc; do
    mountpoint -q "$target/$mnt" 2>/dev/null && umount -l "$target/$mnt" || true
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "chroot kept: $target"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "clean Debian ($suite) from $mirror"
mmdebstrap --quiet --variant=apt --mode=root "$suite" "$target" "$mirror"
# packages installed in the chroot start no services
printf '#!/bin/sh\nexit 101\n' > "$target/usr/sbin/policy-rc.d"
chmod 0755 "$target/usr/sbin/policy-rc.d"
mount -t proc proc "$target/proc"
mount -t sysfs sysfs "$target/sys"
mount --bind /dev "$target/dev"
mount --bind /dev/pts "$target/dev/pts"
cp "$deb" "$target/tmp/"
inside_deb="/tmp/$(basename "$deb")"

step "a private sound card (PulseAudio, null sink) for the self-test"
sound="$target/run/kiosk-sound"
mkdir -p "$sound"
chmod 0755 "$sound"
HOME="$work" XDG_RUNTIME_DIR="$work" pulseaudio --daemonize=no --exit-idle-time=-1 \
  --system=no --disallow-exit -n \
  "--load=module-native-protocol-unix socket=$sound/pulse.sock auth-anonymous=1" \
  "--load=module-null-sink sink_name=kiosk_test" "--log-target=file:$work/pulse.log" &
pulse_pid=$!
for _ in $(seq 300); do
  PULSE_SERVER="unix:$sound/pulse.sock" pactl info >/dev/null 2>&1 && break
  kill -0 "$pulse_pid" 2>/dev/null || { cat "$work/pulse.log" >&2; exit 1; }
  sleep 0.1
done
PULSE_SERVER="unix:$sound/pulse.sock" pactl set-default-sink kiosk_test

in_chroot() {
  chroot "$target" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# What apt would do, from what it prints before asking: "N newly installed",
# "Need to get X of archives", "After this operation, Y of additional disk space".
sizes() {
  local out
  out="$(in_chroot apt-get install --assume-no "$@" 2>&1 || true)"
  printf '%s packages, download %s, on disk %s\n' \
    "$(sed -n 's/.* \([0-9]\+\) newly installed.*/\1/p' <<<"$out")" \
    "$(sed -n 's/^Need to get \([^ ]* [kMG]*B\).*/\1/p' <<<"$out")" \
    "$(sed -n 's/^After this operation, \([^ ]* [kMG]*B\).*/\1/p' <<<"$out")"
}

self_test() {
  in_chroot env QT_QPA_PLATFORM=offscreen PULSE_SERVER=unix:/run/kiosk-sound/pulse.sock \
    XDG_RUNTIME_DIR=/tmp KIOSK_DATA_DIR=/root/.local/share/Stellingenkiosk \
    stellingenkiosk self-test | tee "$work/self-test.txt"
  grep -q "zelftest geslaagd" "$work/self-test.txt"
}

purge() {
  mkdir -p "$target/root/.local/share/Stellingenkiosk"
  echo kept > "$target/root/.local/share/Stellingenkiosk/bewaard.txt"
  in_chroot apt-get purge -y -q stellingenkiosk >/dev/null
  in_chroot apt-get autoremove --purge -y -q >/dev/null
  [ ! -e "$target/opt/stellingenkiosk" ] && [ ! -e "$target/usr/bin/stellingenkiosk" ] ||
    { echo "apt purge left the program behind" >&2; exit 1; }
  [ -f "$target/root/.local/share/Stellingenkiosk/bewaard.txt" ] ||
    { echo "apt purge removed the data folder" >&2; exit 1; }
  echo "purged: /opt/stellingenkiosk gone, the data folder kept"
}

step "sizes, measured in the clean $suite"
in_chroot apt-get update -q >/dev/null
laptop="$(sizes "$inside_deb")"
minimal="$(sizes --no-install-recommends "$inside_deb" cups)"
noprint="$(sizes --no-install-recommends "$inside_deb")"
echo "laptop  (apt install ./$(basename "$deb")): $laptop"
echo "minimal (apt install --no-install-recommends ./$(basename "$deb") cups): $minimal"
echo "minimal without printing (apt install --no-install-recommends ./$(basename "$deb")): $noprint"

step "laptop: apt install ./$(basename "$deb")"
in_chroot apt-get install -y -q "$inside_deb" >/dev/null
self_test
purge

step "minimal: apt install --no-install-recommends ./$(basename "$deb") cups"
in_chroot apt-get install -y -q --no-install-recommends "$inside_deb" cups >/dev/null
self_test
purge

step "result"
echo "laptop:  $laptop"
echo "minimal: $minimal"
echo "minimal without printing: $noprint"
echo "test-install-chroot: passed (both installs ran stellingenkiosk self-test)"
