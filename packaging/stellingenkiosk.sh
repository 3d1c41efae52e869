#!/bin/sh
# /usr/bin/stellingenkiosk: starts the kiosk installed under /opt/stellingenkiosk.
# (A script, not a symlink: the bundle finds its _internal folder next to the real executable.)
exec /opt/stellingenkiosk/stellingenkiosk "$@"
