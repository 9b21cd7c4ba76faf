"""What a conversation needs from whoever provides tools: the one seam of the tool loop.

The conversation runs the loop (offer tools, collect the model's calls, get each approved
and run, send the results back, until the model ends its turn); a :class:`ToolHost` knows
which tools there are and how to run them (MCP servers, in ``claude_tui.mcp``), and asks the
user (the UI's approval card, or print mode's ``--allowed-tools``). Keeping this a protocol
keeps the loop testable with a host of a few lines, and MCP out of the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from claude_tui.profiles.profile import Profile

if TYPE_CHECKING:
    from claude_tui.wire import ToolSpec

Approval = Literal["once", "session", "always", "deny"]
"""The user's answer to a call: allow this call, allow this tool for the session, always
allow it (saved per profile and tool), or decline it (the model gets an error result)."""


@dataclass(frozen=True)
class ToolCall:
    """One call the model asked for."""

    id: str
    """The ``tool_use`` block's id (the result answers it)."""
    name: str
    """The name the model used (``SERVER__TOOL``)."""
    input: Mapping[str, Any]
    server: str = ""
    """The MCP server behind the name (empty when the host does not know it)."""
    tool: str = ""
    """The tool's own name on that server."""


@dataclass(frozen=True)
class ToolOutcome:
    """What a call returned, as it goes back to the model."""

    content: str | list[dict[str, Any]]
    """Text, or a list of ``text`` / ``image`` blocks (images a tool returned)."""
    is_error: bool = False
    note: str = ""
    """Something the user should know about the result (``cut to 100,000 characters``)."""
    extra: Mapping[str, Any] = field(default_factory=dict)


class ToolHost(Protocol):
    """Provides, approves and runs the tools of a conversation."""

    def offered(self, profile: Profile) -> tuple[ToolSpec, ...]:
        """The tools ``profile`` offers now (after :meth:`prepare`); () for none."""
        ...

    async def prepare(self, profile: Profile) -> None:
        """Make the profile's tools ready (start servers on first need); called before the
        first request of a turn. Never raises for a broken server: its tools are withdrawn
        and the host reports it."""
        ...

    def describe(self, name: str, tool_input: Mapping[str, Any]) -> ToolCall:
        """The call the model asked for by ``name``, with its server and tool filled in."""
        ...

    async def approve(self, call: ToolCall, profile: Profile) -> Approval:
        """Ask (or answer from what the user already allowed) whether ``call`` may run."""
        ...

    async def run(self, call: ToolCall, profile: Profile) -> ToolOutcome:
        """Run ``call``; a failure, a timeout or a crashed server is an error outcome, never
        an exception (cancellation, Esc, propagates)."""
        ...
