"""The kiosk window's times: the idle prompt and its countdown, the end screen's time,
the spoken invitation every few minutes, and trying a failed save again.

A mixin of :class:`kiosk.gui.window.KioskWindow`; its ``tick`` runs every quarter
second from the window's QTimer and reads the window's clock (tests pass a manual one).
"""

from __future__ import annotations

from kiosk.speech.phrases import IDLE_SECONDS, PHRASES

IDLE_AFTER = 60.0  # seconds without a touch in a visit before "Ben je er nog?"
IDLE_COUNTDOWN = float(IDLE_SECONDS)  # seconds of "Ben je er nog?" before starting over
END_SECONDS = 45.0  # the end screen stays this long unless "Klaar" is tapped
#: After nobody came back (an idle ending) the end screen stays only this long, and a
#: touch anywhere starts a fresh visit: the next person gets nothing of the last one.
WALK_AWAY_END_SECONDS = 15.0
PROBE_SECONDS = 5.0  # while saving fails: try again this often
INVITATION_KEY = "uitnodiging"  # what "Luister" on the attract screen says


class KioskTimes:
    """The window's timed behaviour (see the module's description)."""

    def invite(self) -> None:
        """Read the invitation (attract screen: "Luister", or every few minutes)."""
        self._invited_at = self.clock()
        self.say_phrase("uitnodiging")

    def tick(self) -> None:
        """Runs every quarter second: idle prompt, its countdown, the end screen's time."""
        now, screen = self.clock(), self.current_screen
        if self.failure is not None:
            if now - self._probe_at >= PROBE_SECONDS:
                self.probe_store()
            return
        if screen == "statement" and now - self._last_touch >= IDLE_AFTER:
            self._show("idle")
            self.idle_screen.set_remaining(round(IDLE_COUNTDOWN))
            if self.speaker is not None:  # once: the question, the time, the two buttons
                self.speaker.say_all([("nog-daar", PHRASES["nog-daar"]),
                                      ("nog-daar-tijd", PHRASES["nog-daar-tijd"]),
                                      ("stoppen", PHRASES["stoppen"]),
                                      ("ga-door", PHRASES["ga-door"])])
        elif screen == "idle":
            left = IDLE_COUNTDOWN - (now - self._entered_at)
            if left <= 0:
                self._walked_away = True  # nobody came back: the end screen is brief
                self._leave()
            else:
                self.idle_screen.set_remaining(max(1, round(left + 0.49)))
        elif screen == "end" and now - self._entered_at >= (
                WALK_AWAY_END_SECONDS if self._walked_away else END_SECONDS):
            self.to_attract()
        elif screen == "attract":
            self._maybe_invite(now)

    def _maybe_invite(self, now: float) -> None:
        """Every ``invitation_minutes`` of an untouched attract screen: the invitation,
        never while paused, while staff have a screen open, or while something plays."""
        minutes = self.invitation_minutes
        if minutes <= 0 or self.paused or self.speaker is None:
            return
        waited_since = max(self._invited_at, self._entered_at, self._last_touch)
        if now - waited_since < minutes * 60:
            return
        if not self.isVisible() or self.quiet_while() or self.speaker.busy:
            self._invited_at = now  # staff are here: the next one a whole period later
            return
        self.invite()
