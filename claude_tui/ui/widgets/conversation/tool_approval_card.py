"""The card above the composer that asks whether a tool call may run.

Every call the model asks for waits here unless the user already allowed its tool: the card
names the tool and its server and shows the arguments as pretty JSON, and takes one key:
``y`` allow this call, ``a`` allow this tool for the rest of the session, ``A`` always allow
it (the tool host saves that in the profile's ``allowed_tools``), ``n`` decline (the model
gets an error result saying so, and can go on). Esc stops the whole turn.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.conversation.tool_host import Approval, ToolCall

KEY_HINT = (
    "y allow once · a allow {tool} this session · A always allow (saved in profile {profile})"
    " · n deny · Esc stop the turn"
)
ALWAYS_NOTE = (
    "{tool} is now always allowed for profile {profile} (saved in config.toml, allowed_tools)."
)


class ToolApprovalCard(Static, can_focus=True):
    """Shows one call waiting for approval and takes the user's answer."""

    DEFAULT_CLASSES = "hidden"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('once')", "Allow once", id="tool_approval.once"),
        Binding("a", "answer('session')", "Allow for the session", id="tool_approval.session"),
        Binding("A", "answer('always')", "Always allow", id="tool_approval.always"),
        Binding("n", "answer('deny')", "Deny", id="tool_approval.deny"),
        Binding("escape", "stop_turn", "Stop the turn", id="tool_approval.stop"),
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="tool-approval")
        self._answer: asyncio.Future[Approval] | None = None
        self.call: ToolCall | None = None
        self.profile_name = ""
        self.turn = asyncio.Lock()
        """Held while a card asks: the next call's card waits its turn, in order."""

    def ask(self, call: ToolCall, profile_name: str) -> asyncio.Future[Approval]:
        """Show ``call`` and take the focus; the future gets the answer (cancelled by Esc)."""
        from claude_tui.ui.widgets.conversation.tool_call_block import (
            pretty_arguments,
            tool_and_server_of,
        )

        tool, server = tool_and_server_of(call)
        self.call = call
        self.profile_name = profile_name
        self._answer = asyncio.get_running_loop().create_future()
        body = Text()
        body.append(pretty_arguments(dict(call.input)))
        body.append("\n")
        hint = KEY_HINT.format(
            tool=safe_for_terminal(tool), profile=safe_for_terminal(profile_name)
        )
        body.append(hint, style="dim")
        where = f" on {safe_for_terminal(server)}" if server else ""
        self.border_title = f"Allow {safe_for_terminal(tool)}{where}?"
        self.update(body)
        self.remove_class("hidden")
        self.scroll_home(animate=False)
        self.focus()
        return self._answer

    def hide(self) -> None:
        """Take the card away (answered or the turn stopped)."""
        self.add_class("hidden")
        self.call = None
        self._answer = None

    @property
    def shown(self) -> bool:
        """Whether the card is asking."""
        return not self.has_class("hidden")

    def action_answer(self, answer: Approval) -> None:
        future = self._answer
        if future is None or future.done():
            return
        if answer == "always" and self.call is not None:
            tool, _server = _names(self.call)
            self.notify(ALWAYS_NOTE.format(tool=tool, profile=self.profile_name), timeout=6)
        future.set_result(answer)

    def action_stop_turn(self) -> None:
        """Esc: no answer; the turn that asked is stopped (the pane's reply worker)."""
        future = self._answer
        if future is not None and not future.done():
            future.cancel()
        stop = getattr(self.parent, "stop", None)
        if callable(stop):
            stop()


def _names(call: ToolCall) -> tuple[str, str]:
    from claude_tui.ui.widgets.conversation.tool_call_block import tool_and_server_of

    tool, server = tool_and_server_of(call)
    return safe_for_terminal(tool), safe_for_terminal(server)
