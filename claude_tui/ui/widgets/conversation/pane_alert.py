"""A card above the composer for what went wrong outside any one reply.

A reply's own failure is drawn in the message view, under that reply. Some failures have no
reply to sit under: a prompt that could not be saved (full or read-only disk), a bug of ours
caught at the pane's boundary. They are shown here, at once and until dismissed, so the user
knows what happened and what to do, while the text they typed stays in the composer.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from claude_tui.terminal_text import safe_for_terminal


class PaneAlert(Static):
    """An error card: a title in the border, the message, and how to dismiss it."""

    DEFAULT_CLASSES = "hidden"

    def show_alert(self, title: str, message: str) -> None:
        """Show ``message`` under ``title``, replacing any card already shown."""
        body = Text(safe_for_terminal(message))
        body.append("\nEsc dismisses this card.", style="dim")
        self.border_title = title
        self.update(body)
        self.remove_class("hidden")

    def dismiss(self) -> bool:
        """Hide the card; True if one was shown."""
        if self.has_class("hidden"):
            return False
        self.add_class("hidden")
        return True

    @property
    def shown(self) -> bool:
        """Whether a card is on screen."""
        return not self.has_class("hidden")
