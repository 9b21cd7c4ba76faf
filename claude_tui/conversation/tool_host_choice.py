"""Which :class:`ToolHost` a front-end gets for a config: the one place that decides.

Print mode and the app both ask :func:`tool_host_for`; a config without MCP servers gets no
host, and its turns offer no tools (the requests carry no ``tools`` key at all).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from claude_tui.conversation.tool_host import Approval, ToolCall, ToolHost
from claude_tui.profiles.profile import Profile

if TYPE_CHECKING:
    from claude_tui.profiles import Config

AskApproval = Callable[[ToolCall, Profile], Awaitable[Approval]]
"""Asks the user about a call the host has not been told to allow (the app's approval card,
print mode's ``--allowed-tools``)."""


def tool_host_for(
    config: Config, *, ask: AskApproval, notice: Callable[[str], None] | None = None
) -> ToolHost | None:
    """The tool host for ``config``'s MCP servers, asking ``ask`` about calls and telling
    ``notice`` when a server is in trouble (a toast, a stderr line); None when no MCP servers
    are configured. The MCP package loads only here, when there are some."""
    if not config.mcp_servers:
        return None
    from claude_tui.mcp import tool_host_for as mcp_tool_host_for

    return mcp_tool_host_for(config, ask=ask, notice=notice)
