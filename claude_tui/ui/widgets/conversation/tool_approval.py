"""The "ask the user" callable the tool host gets: routed to the pane whose turn asked.

A tool host is shared by the app's conversations; it calls ``ask(call, profile)`` from
inside the reply worker of the pane whose turn made the call. That worker sets
:data:`ASKING_PANE` (a context variable: each worker task has its own), so the card opens
in that pane, not in whichever tab is in front.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget

    from claude_tui.conversation.tool_host import Approval, ToolCall
    from claude_tui.profiles.profile import Profile
    from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard

ASKING_PANE: ContextVar[Any] = ContextVar("asking_pane", default=None)
"""The conversation pane whose reply worker is running in this task (None elsewhere)."""


async def ask_on_card(
    pane: Widget, card: ToolApprovalCard, call: ToolCall, profile: Profile
) -> Approval:
    """Show ``call`` on ``card`` once the calls asked before it were answered, wait for
    the answer, then give the focus back to what had it. Esc cancels the wait (and stops
    the turn): :class:`asyncio.CancelledError` propagates to the tool loop."""
    async with card.turn:
        before = pane.app.focused
        answer = card.ask(call, profile.name)
        try:
            return await answer
        finally:
            card.hide()
            _give_focus_back(pane, before)


def _give_focus_back(pane: Widget, before: Widget | None) -> None:
    if before is not None and before.is_attached and before.focusable:
        before.focus()
        return
    with contextlib.suppress(Exception):  # the pane is closing: nothing to focus
        pane.focus_composer()  # type: ignore[attr-defined]


async def ask_tool_approval(app: Any, call: ToolCall, profile: Profile) -> Approval:
    """The tool host's ``ask``: the card of the pane whose turn asked (the active pane if
    asked from outside any pane's worker)."""
    pane = ASKING_PANE.get() or getattr(app, "active_pane", None)
    if pane is None:  # no window to ask in: a call nobody allowed does not run
        return "deny"
    result: Approval = await pane.ask_tool_approval(call, profile)
    return result
