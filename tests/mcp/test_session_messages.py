"""How the session treats what a server sends unasked: requests get -32601 (ping an empty
result), notifications are ignored, answers to forgotten requests are dropped."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from claude_tui.mcp import McpRequestError, McpServerFailed, McpSession
from claude_tui.mcp.transport import Fail, Receive


class ScriptedTransport:
    """Answers initialize and records what the session sends."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.receive: Receive = lambda value: None
        self.fail: Fail = lambda reason: None

    async def start(self, receive: Receive, fail: Fail) -> None:
        self.receive, self.fail = receive, fail

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        if message.get("method") == "initialize":
            result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}}
            self.receive({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif message.get("method") == "tools/call":
            error = {"code": -32602, "message": "unknown tool"}
            self.receive({"jsonrpc": "2.0", "id": message["id"], "error": error})

    def negotiated(self, protocol_version: str) -> None:
        pass

    async def close(self) -> None:
        pass


async def opened() -> tuple[McpSession, ScriptedTransport]:
    transport = ScriptedTransport()
    session = McpSession(transport)
    await session.open(timeout=5)
    return session, transport


async def until_sent(transport: ScriptedTransport, count: int) -> None:
    while len(transport.sent) < count:
        await asyncio.sleep(0)


async def test_server_requests_are_answered_method_not_found_and_ping_empty() -> None:
    session, transport = await opened()
    transport.receive({"jsonrpc": "2.0", "id": "s1", "method": "sampling/createMessage"})
    transport.receive({"jsonrpc": "2.0", "id": "s2", "method": "ping"})
    transport.receive({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
    await until_sent(transport, 4)
    answers = {message["id"]: message for message in transport.sent[2:]}
    assert answers["s1"]["error"]["code"] == -32601
    assert answers["s2"]["result"] == {}
    assert session.failure is None


async def test_a_json_rpc_error_is_a_request_error_not_a_broken_server() -> None:
    session, _ = await opened()
    with pytest.raises(McpRequestError, match="unknown tool"):
        await session.call_tool("nope", {}, timeout=5)
    assert session.failure is None


async def test_a_message_that_is_not_json_rpc_breaks_the_session() -> None:
    session, transport = await opened()
    transport.receive({"hello": "world"})
    assert session.failure is not None
    with pytest.raises(McpServerFailed):
        await session.call_tool("echo", {}, timeout=5)
