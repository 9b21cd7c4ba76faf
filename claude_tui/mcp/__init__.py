"""MCP servers as the tools of a conversation: config to processes/URLs, the client, the host.

A small JSON-RPC 2.0 client of its own (stdio pipes and streamable HTTP over httpx) rather
than the ``mcp`` SDK, whose import costs a quarter to half a second and brings a server
stack (starlette, uvicorn, pydantic) a client does not need. Nothing here is imported at
launch: the app and print mode import this package when a config names MCP servers.
"""

from __future__ import annotations

from .host_factory import tool_host_for
from .mcp_errors import McpError, McpRequestError, McpServerFailed, McpTimeout
from .mcp_session import SUPPORTED_VERSIONS, McpSession, McpTool
from .mcp_tool_host import AskUser, McpToolHost, deny_without_card
from .server_pool import McpServers, ServerEntry, ServerState
from .tool_names import ToolNames, offered_name

__all__ = [
    "SUPPORTED_VERSIONS",
    "AskUser",
    "McpError",
    "McpRequestError",
    "McpServerFailed",
    "McpServers",
    "McpSession",
    "McpTimeout",
    "McpTool",
    "McpToolHost",
    "ServerEntry",
    "ServerState",
    "ToolNames",
    "deny_without_card",
    "offered_name",
    "tool_host_for",
]
