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


def tool_host_for(config: Config, *, ask: AskApproval) -> ToolHost | None:
    """The tool host for ``config``'s MCP servers, asking ``ask`` about calls; None when no
    MCP servers are configured (the MCP package builds the host here once it exists)."""
    del config, ask  # until then: no servers can be configured, so no host
    return None
