"""The MCP handshake, tools/list pagination and protocol rules against the stdio echo server."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.mcp import SUPPORTED_VERSIONS, McpServerFailed, McpSession
from claude_tui.mcp.stdio_transport import StdioTransport

from .conftest import logged, stdio_server


async def open_session(*flags: str, log: Path | None = None) -> McpSession:
    session = McpSession(StdioTransport(stdio_server(*flags, log=log)))
    await session.open(timeout=20)
    return session


async def test_handshake_asks_for_the_newest_version_then_says_initialized(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    session = await open_session(log=log)
    try:
        tools = await session.list_tools(timeout=20)
    finally:
        await session.close()
    methods = [message.get("method") for message in logged(log)]
    assert methods[:2] == ["initialize", "notifications/initialized"]
    initialize = logged(log)[0]["params"]
    assert initialize["protocolVersion"] == SUPPORTED_VERSIONS[0]
    assert initialize["clientInfo"]["name"] == "claude-tui"
    assert session.protocol_version == SUPPORTED_VERSIONS[0]
    assert [tool.name for tool in tools][:2] == ["echo", "add"]


async def test_tools_list_follows_every_cursor(tmp_path: Path) -> None:
    log = tmp_path / "log"
    session = await open_session("--page-size", "2", log=log)
    try:
        tools = await session.list_tools(timeout=20)
    finally:
        await session.close()
    assert [tool.name for tool in tools] == [
        "echo", "add", "slow", "crash", "image", "big", "fail", "env"
    ]  # fmt: skip
    cursors = [m["params"].get("cursor") for m in logged(log) if m.get("method") == "tools/list"]
    assert cursors == [None, "2", "4", "6"]
    assert tools[0].input_schema["required"] == ["text"]


async def test_no_tools_capability_means_no_tools_list(tmp_path: Path) -> None:
    log = tmp_path / "log"
    session = await open_session("--no-tools", log=log)
    try:
        assert await session.list_tools(timeout=20) == []
    finally:
        await session.close()
    assert "tools/list" not in [message.get("method") for message in logged(log)]


async def test_an_older_supported_version_is_accepted() -> None:
    session = await open_session("--version", "2025-03-26")
    try:
        assert session.protocol_version == "2025-03-26"
    finally:
        await session.close()


async def test_an_unknown_version_is_refused_clearly() -> None:
    with pytest.raises(McpServerFailed, match="protocol version '1999-01-01'"):
        await open_session("--version", "1999-01-01")


async def test_garbage_on_stdout_fails_the_server() -> None:
    with pytest.raises(McpServerFailed, match="not JSON-RPC"):
        await open_session("--garbage")


async def test_a_server_that_exits_at_start_is_reported_with_its_last_words() -> None:
    with pytest.raises(McpServerFailed, match="exited \\(code 2\\): echo server: refusing"):
        await open_session("--crash-at-start")


async def test_a_missing_program_says_so() -> None:
    config = stdio_server().__class__(name="nope", command="/nonexistent/mcp-server")
    with pytest.raises(McpServerFailed, match="could not start"):
        await McpSession(StdioTransport(config)).open(timeout=5)
