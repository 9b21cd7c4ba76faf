"""What can go wrong talking to an MCP server, as exceptions a user can act on."""

from __future__ import annotations


class McpError(Exception):
    """Base class: something went wrong with an MCP server. The message names the server
    (when known), what happened and what to do."""


class McpServerFailed(McpError):
    """The server cannot be used any more (did not start, exited, answered garbage, or
    does not speak a protocol version claude-tui knows); its tools are withdrawn."""


class McpRequestError(McpError):
    """The server answered a request with a JSON-RPC error; the server itself is fine."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class McpTimeout(McpError):
    """A request got no answer in time (the server was told to cancel it)."""
