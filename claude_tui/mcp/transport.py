"""What an MCP session needs from a transport (stdio or streamable HTTP)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Receive = Callable[[Any], None]
"""Called with each JSON value the server sent (a message, or a batch list)."""
Fail = Callable[[str], None]
"""Called once when the transport breaks for good (the server exited, sent garbage)."""


class Transport(Protocol):
    """Moves JSON-RPC messages to and from one server."""

    async def start(self, receive: Receive, fail: Fail) -> None:
        """Connect (start the process); raises McpServerFailed when that is impossible."""
        ...

    async def send(self, message: dict[str, Any]) -> None:
        """Send one message; answers arrive through ``receive`` (perhaps before this returns)."""
        ...

    def negotiated(self, protocol_version: str) -> None:
        """The handshake chose ``protocol_version`` (HTTP sends it as a header from now on)."""
        ...

    async def close(self) -> None:
        """Disconnect and release everything; never raises."""
        ...
