"""Events of the tool loop, yielded by the conversation beside the stream's own.

A front-end shows each call from these while the turn runs; a resumed session has none and
reads the same states from the saved blocks (a call with a result is done, or failed when the
result is an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from claude_tui.conversation.tool_host import ToolCall, ToolOutcome

ToolCallState = Literal["waiting", "running", "done", "failed", "denied"]
"""``waiting`` for approval, ``running`` (since ``started``), then how it ended."""


@dataclass(frozen=True, slots=True)
class ToolCallChanged:
    """A call of the current round changed state."""

    call: ToolCall
    state: ToolCallState
    started: float | None = None
    """``time.monotonic()`` when it began running (for the elapsed time shown)."""
    outcome: ToolOutcome | None = None
    """What it returned, once done, failed or denied."""

    @property
    def description(self) -> str:
        """One line for a status bar."""
        words = {
            "waiting": "waiting for approval",
            "running": "running",
            "done": "done",
            "failed": "failed",
            "denied": "declined",
        }
        return f"{self.call.name}: {words[self.state]}"
