"""Fixtures for the MCP tests: the echo server over stdio (a child process) and over
streamable HTTP (a loopback server in the test's own process)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from claude_tui.profiles import McpServerConfig, Profile

ECHO_SERVER = Path(__file__).parent.parent / "mcp_servers" / "echo_server.py"


def stdio_server(*flags: str, name: str = "echo", log: Path | None = None) -> McpServerConfig:
    """The echo server as a stdio server started with ``flags``."""
    args = [str(ECHO_SERVER), *flags]
    if log is not None:
        args += ["--log", str(log)]
    return McpServerConfig(name=name, command=sys.executable, args=tuple(args))


def logged(log: Path) -> list[dict[str, Any]]:
    """Every message the stdio echo server received, in order."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def profile_with(**settings: Any) -> Profile:
    """A plain profile with ``settings`` set, including ones the loop adds (tool_timeout),
    whether or not this checkout's Profile has them yet."""
    profile = Profile(name="tester")
    for key, value in settings.items():
        object.__setattr__(profile, key, value)
    return profile


class Notices(list[str]):
    """Collects the host's notices."""

    def __call__(self, text: str) -> None:
        self.append(text)


@pytest.fixture
def notices() -> Notices:
    return Notices()
