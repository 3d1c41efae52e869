"""Speech: text-to-speech and playback behind a small interface.

The GUI gets one :class:`kiosk.speech.speaker.Speaker` and calls
``say(key, text)``; it never waits. Inside:

- ``phrases``: everything the kiosk can say, as (key, text) (no Qt).
- ``recordings``: the library's own voice, each recording tied to its text (no Qt).
- ``pcm``: 16-bit WAV in and out, loudness, trimming, normalising (no Qt).
- ``decode``: sound files from outside, through QtMultimedia's QAudioDecoder.
- ``cache``: the pre-rendered computer voice, a cache of normalised WAV files (no Qt).
- ``voices``: choosing the Dutch voice on Linux, Windows and macOS (no Qt).
- ``synth``: pyttsx3 to WAV, waiting until the file is complete (no Qt).
- ``worker``: the one synthesis thread, with a watchdog.
- ``playback``: the one QMediaPlayer, driven through the event loop.
- ``speaker``: the Speaker the GUI uses.
- ``kiosk.cli.speech`` / ``kiosk.cli.voice``: ``kiosk speech ...`` and ``kiosk voice ...``.
"""
