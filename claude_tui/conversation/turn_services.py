"""What a conversation asks of the world around it when it sends a turn.

A :class:`Conversation` is built by the UI (one per tab) and by print mode. Both give it
the same :class:`TurnServices`, made once by the front-end: the other profiles (for
``fallback``), the spending check (budgets) and where each request's record goes besides the
conversation's own log (``--debug-log``). Each is optional, so a test can build a
conversation with none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claude_tui.profiles.profile import Profile

if TYPE_CHECKING:
    from claude_tui.conversation.tool_host import ToolHost
    from claude_tui.wire import RequestRecord


class SendRefusedError(Exception):
    """A turn was refused before anything was saved or sent; ``prompt`` is the user's text
    (given back to the composer), the message says why and what to do."""

    def __init__(self, message: str, prompt: str = "") -> None:
        super().__init__(message)
        self.prompt = prompt


class BudgetExceededError(SendRefusedError):
    """The profile's ``daily_limit_usd`` or ``monthly_limit_usd`` is spent."""

    def __init__(
        self, message: str, *, profile: str, period: str, spent: float, limit: float
    ) -> None:
        super().__init__(message)
        self.profile = profile
        self.period = period
        """``"daily"`` or ``"monthly"``."""
        self.spent = spent
        self.limit = limit


BudgetCheck = Callable[[Profile], None]
"""Raises :class:`BudgetExceededError` when ``profile`` may not start another turn."""
ProfileLookup = Callable[[str], "Profile | None"]
"""The current profile of that name, or None when there is none (removed from the config)."""
RequestSink = Callable[["RequestRecord"], None]
"""Receives every request's record, in the order they ended."""


@dataclass
class TurnServices:
    """The front-end's services for every conversation it makes."""

    profiles: ProfileLookup | None = None
    """Resolves ``fallback`` names; without it a turn never fails over."""
    check_budget: BudgetCheck | None = None
    """Asked before each turn; without it nothing is refused for money."""
    request_sink: RequestSink | None = None
    """Gets each request record too (the ``--debug-log`` file)."""
    tools: ToolHost | None = None
    """Provides the tools turns may use (MCP servers); without it no tools are offered."""
