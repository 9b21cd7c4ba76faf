"""One MCP client session: the handshake, ``tools/list``, ``tools/call``, over a transport.

The lifecycle follows the spec: ``initialize`` with the newest protocol version claude-tui
speaks; the server answers with the version it will use, which must be one claude-tui
knows (else the server is refused, clearly); then ``notifications/initialized``. Methods the
server did not advertise are never called (no ``tools`` capability: no ``tools/list``).
Requests the server sends are answered ``-32601`` (method not found), except ``ping``;
notifications claude-tui has no use for are ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .mcp_errors import McpError, McpRequestError, McpServerFailed, McpTimeout
from .transport import Transport

SUPPORTED_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
"""Protocol versions claude-tui speaks, newest first (it asks for the first)."""
CLIENT_INFO = {"name": "claude-tui", "version": "1"}
MAX_PAGES = 100
"""``tools/list`` pages read at most (a server repeating its cursor would loop forever)."""
METHOD_NOT_FOUND = -32601


@dataclass(frozen=True)
class McpTool:
    """One tool as the server lists it."""

    name: str
    description: str = ""
    input_schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})


class McpSession:
    """A connected, initialized MCP server."""

    def __init__(self, transport: Transport, *, name: str = "") -> None:
        self.transport = transport
        self.name = name
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self.failure: str | None = None
        """Why the session broke, once it has."""
        self.protocol_version = ""
        self.capabilities: dict[str, Any] = {}
        self.server_info: dict[str, Any] = {}
        self._server_tasks: set[asyncio.Task[None]] = set()
        self.on_failure: Callable[[str], None] | None = None
        """Told (once) when the session breaks by itself: the server exited or sent garbage."""

    # -- lifecycle -----------------------------------------------------------------------------

    async def open(self, timeout: float) -> None:
        """Start the transport and shake hands; McpServerFailed when that fails."""
        await self.transport.start(self._receive, self._broken)
        try:
            result = await self.request(
                "initialize",
                {
                    "protocolVersion": SUPPORTED_VERSIONS[0],
                    "capabilities": {},
                    "clientInfo": CLIENT_INFO,
                },
                timeout=timeout,
            )
        except McpTimeout:
            raise McpServerFailed(f"did not answer initialize within {timeout:g} s") from None
        except McpRequestError as error:
            raise McpServerFailed(f"refused initialize: {error}") from None
        if not isinstance(result, dict):
            raise McpServerFailed("answered initialize with something that is not an object")
        version = result.get("protocolVersion")
        if version not in SUPPORTED_VERSIONS:
            raise McpServerFailed(
                f"speaks MCP protocol version {version!r}, which claude-tui does not "
                f"(it speaks {', '.join(SUPPORTED_VERSIONS)}); update the server or claude-tui"
            )
        self.protocol_version = str(version)
        capabilities = result.get("capabilities")
        self.capabilities = capabilities if isinstance(capabilities, dict) else {}
        info = result.get("serverInfo")
        self.server_info = info if isinstance(info, dict) else {}
        self.transport.negotiated(self.protocol_version)
        await self.notify("notifications/initialized")

    async def close(self) -> None:
        """End the session (the transport stops the process or DELETEs the HTTP session)."""
        self.failure = self.failure or "closed"
        self._fail_pending(McpServerFailed("was stopped"))
        for task in self._server_tasks:
            task.cancel()
        await self.transport.close()

    # -- tools -----------------------------------------------------------------------------------

    @property
    def has_tools(self) -> bool:
        """Whether the server advertised the ``tools`` capability."""
        return "tools" in self.capabilities

    async def list_tools(self, timeout: float) -> list[McpTool]:
        """Every tool, following ``nextCursor`` pages; [] when tools are not advertised."""
        if not self.has_tools:
            return []
        tools: list[McpTool] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params = {"cursor": cursor} if cursor is not None else {}
            result = await self.request("tools/list", params, timeout=timeout)
            if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
                raise McpServerFailed("answered tools/list without a list of tools")
            tools.extend(_tool(item) for item in result["tools"] if _is_tool(item))
            cursor = result.get("nextCursor")
            if not isinstance(cursor, str) or not cursor:
                return tools
        raise McpServerFailed(f"listed more than {MAX_PAGES} pages of tools")

    async def call_tool(
        self, name: str, arguments: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        """``tools/call``'s result object (``content``, ``isError``...)."""
        result = await self.request(
            "tools/call", {"name": name, "arguments": arguments}, timeout=timeout
        )
        if not isinstance(result, dict):
            raise McpServerFailed("answered tools/call with something that is not an object")
        return result

    # -- JSON-RPC --------------------------------------------------------------------------------

    async def request(self, method: str, params: dict[str, Any], *, timeout: float) -> Any:
        """Send a request and wait for its answer; on timeout or cancellation the server is
        sent ``notifications/cancelled`` for it."""
        if self.failure is not None:
            raise McpServerFailed(self.failure)
        request_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        message = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        try:
            return await asyncio.wait_for(self._exchange(message, future), timeout)
        except TimeoutError:
            await self._cancel(method, request_id, f"timed out after {timeout:g} s")
            raise McpTimeout(f"{method} got no answer within {timeout:g} s") from None
        except asyncio.CancelledError:
            await asyncio.shield(self._cancel(method, request_id, "cancelled by the user"))
            raise
        finally:
            self._pending.pop(request_id, None)

    async def _exchange(self, message: dict[str, Any], future: asyncio.Future[Any]) -> Any:
        try:
            await self.transport.send(message)
        except McpServerFailed as error:
            self._broken(str(error))
        return await future

    async def _cancel(self, method: str, request_id: int, reason: str) -> None:
        if self.failure is not None or method == "initialize":  # the spec forbids that one
            return
        with contextlib.suppress(McpError, OSError):
            await asyncio.wait_for(
                self.notify("notifications/cancelled", {"requestId": request_id, "reason": reason}),
                2.0,
            )

    async def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        """Send a notification (no answer expected)."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        await self.transport.send(message)

    def _receive(self, value: Any) -> None:
        for message in value if isinstance(value, list) else [value]:
            self._receive_one(message)

    def _receive_one(self, message: Any) -> None:
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            self._broken(f"sent a message that is not JSON-RPC 2.0: {str(message)[:80]!r}")
            return
        if "method" in message:
            if "id" in message:
                self._answer_server_request(message)
            return  # a notification: logging, progress, list_changed... nothing to do
        future = self._pending.get(message.get("id"))  # type: ignore[arg-type]
        if future is None or future.done():
            return  # an answer to a request already given up on
        error = message.get("error")
        if isinstance(error, dict):
            text = str(error.get("message") or "unknown error")
            code = error.get("code")
            future.set_exception(McpRequestError(text, code if isinstance(code, int) else None))
        elif "result" in message:
            future.set_result(message["result"])
        else:
            self._broken("answered without a result or an error")

    def _answer_server_request(self, message: dict[str, Any]) -> None:
        if message.get("method") == "ping":
            answer: dict[str, Any] = {"jsonrpc": "2.0", "id": message["id"], "result": {}}
        else:
            answer = {
                "jsonrpc": "2.0",
                "id": message["id"],
                "error": {
                    "code": METHOD_NOT_FOUND,
                    "message": "claude-tui does not support this method",
                },
            }
        task = asyncio.get_running_loop().create_task(self._send_quietly(answer))
        self._server_tasks.add(task)
        task.add_done_callback(self._server_tasks.discard)

    async def _send_quietly(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(McpError, OSError):
            await self.transport.send(message)

    def _broken(self, reason: str) -> None:
        if self.failure is None:
            self.failure = reason
            if self.on_failure is not None:
                self.on_failure(reason)
        self._fail_pending(McpServerFailed(reason))

    def _fail_pending(self, error: McpServerFailed) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)


def _is_tool(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("name"), str) and bool(item["name"])


def _tool(item: dict[str, Any]) -> McpTool:
    schema = item.get("inputSchema")
    description = item.get("description")
    return McpTool(
        name=item["name"],
        description=description if isinstance(description, str) else "",
        input_schema=schema if isinstance(schema, dict) else {"type": "object"},
    )
