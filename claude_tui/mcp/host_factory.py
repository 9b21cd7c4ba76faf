"""The one way a front-end gets its tool host: None when no MCP server is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_tui.profiles import Config

    from .mcp_tool_host import AskUser, McpToolHost
    from .server_pool import Notice


def tool_host_for(
    config: Config, *, ask: AskUser | None = None, notice: Notice | None = None
) -> McpToolHost | None:
    """The host of ``config``'s MCP servers, or None (then no tools are offered at all).

    ``ask`` answers approvals (the UI's card, print mode's ``--allowed-tools``; default: deny);
    ``notice`` shows a server's trouble (a toast, a stderr line). "Always allow" is saved to
    ``config.path``.
    """
    if not config.mcp_servers:
        return None
    from claude_tui.profiles import save_profile

    from .mcp_tool_host import McpToolHost

    path = config.path
    return McpToolHost(
        config.mcp_servers,
        ask=ask,
        notice=notice,
        save_profile=lambda profile: save_profile(profile, path),
    )
