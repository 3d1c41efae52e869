"""Speech: text-to-speech and playback behind a small interface.

The GUI gets one :class:`kiosk.speech.speaker.Speaker` and calls
``say(key, text)``; it never waits. Inside:

- ``phrases``: everything the kiosk can say, as (key, text) (no Qt).
- ``cache``: recorded clips first (``<key>.wav``), then a cache of WAV files (no Qt).
- ``voices``: choosing the Dutch voice on Linux, Windows and macOS (no Qt).
- ``synth``: pyttsx3 to WAV, waiting until the file is complete (no Qt).
- ``worker``: the one synthesis thread, with a watchdog.
- ``playback``: the one QMediaPlayer, driven through the event loop.
- ``speaker``: the Speaker the GUI uses.
- ``cli``: ``kiosk speech voices | say | render`` (no Qt).
"""
