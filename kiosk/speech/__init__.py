"""Speech: text-to-speech and playback behind a small interface."""
