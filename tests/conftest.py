"""Shared fixtures for the whole test suite."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay

_ISOLATED_VARIABLES = (
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_CUSTOM_HEADERS",
    "API_TIMEOUT_MS",
    "EDITOR",
    "VISUAL",
)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config and data folders and no real API variables, so no
    test can read the developer's config, write their history or reach a real API."""
    home = tmp_path / "claude-tui-home"
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(home / "data"))
    for name in _ISOLATED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def demo_relay() -> Iterator[DemoRelay]:
    """A running demo relay on a free loopback port, with no delay between deltas."""
    relay = DemoRelay()
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()


@pytest.fixture
def second_relay() -> Iterator[DemoRelay]:
    """Another relay, to switch profiles to."""
    with DemoRelay() as relay:
        yield relay


@pytest.fixture
async def pool() -> AsyncIterator[EndpointPool]:
    """The connection pool a Conversation draws its HTTP clients from, closed after the test."""
    endpoint_pool = EndpointPool()
    yield endpoint_pool
    await endpoint_pool.aclose()


@pytest.fixture
def http_echo() -> Iterator[object]:
    """The test MCP server (tests/mcp_servers/echo_server.py) over streamable HTTP on loopback."""
    from mcp_servers.echo_server import HttpEchoServer, options_from

    server = HttpEchoServer(options_from([])).start()
    try:
        yield server
    finally:
        server.stop()
