"""New content while the kiosk runs: rebuild the staff screens that show it.

The app re-reads the content when ``KioskShell.content_changed`` fires (a workbook
installed, the previous content put back, the library's details changed) and hands
it to :meth:`KioskShell.use_content`, which calls :func:`use_content`. The start
screen (places, sets, approaches), "Gesprek gevoerd" and "Signaal" are built anew
from it, wired as :meth:`KioskShell.attach` wires them; "Turven bekijken" names
statements by the new content. A running session keeps the content it started with
(the Inhoud screen is only offered without a session); the next one uses the new.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from kiosk.core.model import Content


def _replace(shell, old: QWidget, new: QWidget, name: str) -> None:
    """Put ``new`` where ``old`` was in the shell's pages (shown if ``old`` was)."""
    current = shell.stack.currentWidget() is old
    shell.stack.insertWidget(shell.stack.indexOf(old), new)
    shell._names[new] = name
    if current:
        shell.stack.setCurrentWidget(new)
    shell.stack.removeWidget(old)
    shell._names.pop(old, None)
    old.hide()
    old.deleteLater()


def use_content(shell, content: Content, broken: bool = False) -> None:
    """Give ``shell`` the content ``content`` for its next session.

    ``broken``: the content files have problems and ``content`` is the last good one
    (the start screen tells staff).
    """
    from kiosk.gui.shell import CONTENT_BROKEN
    from kiosk.gui.staff import StaffStartScreen
    from kiosk.gui.staff.log import ConversationScreen, SignalScreen

    theme, pictograms = shell.theme, shell.pictograms
    shell.content = content
    if shell.window is not None:  # "Instellingen": the spoken invitation changes at once
        shell.window.invitation_minutes = content.library.invitation_minutes
    old = shell.start_screen
    printers = [name for name in old.printers.buttons if name]
    start = StaffStartScreen(content, printers, theme, pictograms, shell.settings)
    if broken:
        start.set_notice(CONTENT_BROKEN)
    start.start_requested.connect(shell.start_session)
    start.menu_requested.connect(shell.show_menu)
    _replace(shell, old, start, "start")
    shell.start_screen = start

    conversation = ConversationScreen(content, content.statement_set(), theme, pictograms)
    conversation.logged.connect(shell._log_conversation)
    conversation.back.connect(shell._log_back)
    _replace(shell, shell.conversation, conversation, "conversation")
    shell.conversation = conversation

    signals = SignalScreen(content, theme, pictograms)
    signals.logged.connect(shell._log_signal)
    signals.back.connect(shell._log_back)
    _replace(shell, shell.signals, signals, "signal")
    shell.signals = signals

    shell.history.statement_text = content.statement_text
