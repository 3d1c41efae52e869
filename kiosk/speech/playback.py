"""One QMediaPlayer, driven so that it can never deadlock the GUI thread.

Called straight from Python, ``QMediaPlayer.stop()`` and ``setSource()`` keep
the GIL while they wait for FFmpeg's audio thread to wind down; that thread may
itself need the GIL (PySide asks Python whether ``disconnectNotify`` is
overridden), so both wait forever. Seen here within 60 quick re-taps.
So every command goes through a queued signal to the player's C++ slot: Qt runs
it from the event loop, where PySide has released the GIL.

Because commands run a moment later, events from the player are matched to
the clip that was asked for: a clip ending just as the next one is asked for
does not end the next one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtMultimedia import QMediaPlayer

State = QMediaPlayer.PlaybackState
Status = QMediaPlayer.MediaStatus
log = logging.getLogger(__name__)


class Playback(QObject):
    """Plays one clip at a time on ``player``; says when the clip asked for starts and ends.

    Signals:
        started(str key): the clip of ``key`` is playing.
        ended(str key): the clip of ``key`` reached its end, or could not be played.
    """

    started = Signal(str)
    ended = Signal(str)

    # Commands: queued to the player's slots (see the module docstring).
    _stop = Signal()
    _load = Signal(QUrl)
    _play = Signal()
    _drained = Signal()

    def __init__(self, player: QMediaPlayer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.key: str | None = None  # the clip asked for (None: nothing)
        self._url = QUrl()
        self._ours = False  # the player holds the clip asked for (not an older one)
        self._started_sent = False
        queued = Qt.ConnectionType.QueuedConnection
        self._stop.connect(player.stop, queued)
        self._load.connect(player.setSource, queued)
        self._play.connect(player.play, queued)
        player.sourceChanged.connect(self._on_source)
        player.playbackStateChanged.connect(self._on_state)
        player.mediaStatusChanged.connect(self._on_status)
        player.errorOccurred.connect(self._on_error)

    def play(self, key: str, path: Path) -> None:
        """Play ``path`` as ``key``, replacing whatever plays."""
        self.key, self._url = key, QUrl.fromLocalFile(str(path))
        self._ours = self._started_sent = False
        # Unload first, so that the same clip again also loads afresh (sourceChanged).
        self._load.emit(QUrl())
        self._load.emit(self._url)
        self._play.emit()

    def stop(self) -> str | None:
        """Stop playing; returns the key that was asked for, if any."""
        key, self.key, self._ours = self.key, None, False
        if key is not None:
            self._stop.emit()
        return key

    def drain(self, timeout_ms: int = 2000) -> None:
        """Stop, unload, and let the queued commands run (for shutdown: a player that
        is deleted while it still plays can deadlock the same way)."""
        self.stop()
        self._load.emit(QUrl())
        loop = QEventLoop()
        self._drained.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(timeout_ms, loop.quit)
        self._drained.emit()  # delivered after every command queued before it
        loop.exec()
        self._drained.disconnect(loop.quit)

    @Slot(QUrl)
    def _on_source(self, url: QUrl) -> None:
        self._ours = self.key is not None and url == self._url

    @Slot(QMediaPlayer.PlaybackState)
    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if state == State.PlayingState and self._ours and not self._started_sent:
            self._started_sent = True
            self.started.emit(self.key)

    @Slot(QMediaPlayer.MediaStatus)
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (Status.EndOfMedia, Status.InvalidMedia):
            self._end()

    @Slot(QMediaPlayer.Error, str)
    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if self._ours:
            log.warning("speech playback failed (%s): %s", error.name, message)
        self._end()

    def _end(self) -> None:
        if self._ours and self.key is not None:
            key, self.key, self._ours = self.key, None, False
            self.ended.emit(key)
