"""Streamable HTTP against the echo server on loopback: the session id kept and ended,
the negotiated version sent, JSON and SSE answers, garbage."""

from __future__ import annotations

import pytest
from mcp_servers.echo_server import HttpEchoServer, options_from

from claude_tui.mcp import SUPPORTED_VERSIONS, McpToolHost
from claude_tui.profiles import McpServerConfig

from .conftest import Notices, profile_with


def http_host(server: HttpEchoServer, notices: Notices | None = None) -> McpToolHost:
    config = McpServerConfig(name="web", url=server.url, headers={"X-Test": "1"})
    return McpToolHost({"web": config}, notice=notices)


async def test_calls_carry_the_session_id_and_close_deletes_it(http_echo: HttpEchoServer) -> None:
    host = http_host(http_echo)
    profile = profile_with()
    await host.prepare(profile)
    try:
        names = [spec.name for spec in host.offered(profile)]
        outcome = await host.run(host.describe("web__echo", {"text": "over http"}), profile)
    finally:
        await host.close()
    assert names[:2] == ["web__echo", "web__add"] and len(names) == 8
    assert outcome.content == "over http"
    assert http_echo.session_headers and set(http_echo.session_headers) == {HttpEchoServer.SESSION}
    assert set(http_echo.version_headers) == {SUPPORTED_VERSIONS[0]}
    assert http_echo.deleted == [HttpEchoServer.SESSION]
    methods = [message.get("method") for message in http_echo.protocol.received]
    assert methods[:2] == ["initialize", "notifications/initialized"]


@pytest.mark.parametrize("flags", [["--sse"], ["--sse", "--sse-progress"], ["--sse", "--sse-hold"]])
async def test_answers_as_an_event_stream_are_read(flags: list[str]) -> None:
    """Also with a notification before the answer, and with a stream the server keeps
    open after it (the call ends at the answer, not at the stream's end)."""
    server = HttpEchoServer(options_from(flags)).start()
    host = http_host(server)
    profile = profile_with(tool_timeout=20)
    try:
        await host.prepare(profile)
        outcome = await host.run(host.describe("web__add", {"a": 40, "b": 2}), profile)
    finally:
        await host.close()
        server.stop()
    assert outcome.content == "42"


async def test_a_server_answering_garbage_over_http_is_failed(notices: Notices) -> None:
    server = HttpEchoServer(options_from(["--garbage"])).start()
    host = http_host(server, notices)
    profile = profile_with()
    try:
        await host.prepare(profile)
        offered = host.offered(profile)
    finally:
        await host.close()
        server.stop()
    assert offered == ()
    assert host.servers.entries["web"].state == "failed"
    assert len(notices) == 1 and "not JSON" in notices[0]


async def test_an_unreachable_url_is_a_clear_failure(notices: Notices) -> None:
    server = HttpEchoServer(options_from([]))  # bound but never serving, then closed
    url = server.url
    server.httpd.server_close()
    config = McpServerConfig(name="gone", url=url)
    host = McpToolHost({"gone": config}, notice=notices)
    await host.prepare(profile_with())
    await host.close()
    assert host.servers.entries["gone"].state == "failed"
    assert "cannot be reached" in notices[0]
