"""The line above the composer that shows prompts queued while a reply streams.

Enter while a reply is still arriving does not throw the prompt away: the pane queues it
and sends it when the reply ends. This line says so, and how to take it back, so a queued
prompt is never out of sight.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from claude_tui.terminal_text import safe_for_terminal

PREVIEW_CHARS = 60


class QueuedPrompts(Static):
    """``queued: <first line>…``, with how many more and the keys that take them back."""

    DEFAULT_CLASSES = "hidden"
    DEFAULT_CSS = """
    QueuedPrompts {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    QueuedPrompts.hidden {
        display: none;
    }
    """

    def show_queue(self, prompts: Sequence[str]) -> None:
        """Show ``prompts`` (hidden when there are none)."""
        if not prompts:
            self.add_class("hidden")
            self.update("")
            return
        lines = prompts[0].strip().splitlines() or [""]
        first = lines[0]
        more_text = len(lines) > 1 or len(first) > PREVIEW_CHARS
        preview = first[:PREVIEW_CHARS] + ("…" if more_text else "")
        body = Text("queued: ", style="bold")
        body.append(safe_for_terminal(preview))
        if len(prompts) > 1:
            body.append(f"  (+{len(prompts) - 1} more)")
        body.append(
            "\nsent when the reply ends · Up on an empty composer takes it back to edit · "
            "Esc stops the reply and gives it back",
            style="dim",
        )
        self.update(body)
        self.remove_class("hidden")
