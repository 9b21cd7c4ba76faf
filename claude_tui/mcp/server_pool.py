"""The configured MCP servers of one app run: started on first need, kept, stopped at exit.

A server is started the first time a turn needs its tools (never at launch), once even when
several turns ask at the same time. One that cannot start, exits, or answers garbage is
marked ``failed`` with its reason, reported once through ``notice`` (a toast in the UI, a
line on stderr in print mode), and its tools are withdrawn; the chat goes on. Turning it off
and on again in ``/tools`` lets it start afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from claude_tui.profiles import McpServerConfig

from .mcp_errors import McpError, McpServerFailed
from .mcp_session import McpSession, McpTool
from .transport import Transport

ServerState = Literal["not started", "starting", "running", "failed"]
Notice = Callable[[str], None]
"""Shows the user a one-line message about a server."""
START_TIMEOUT = 30.0
"""Seconds a server has to start and answer initialize and tools/list."""


@dataclass
class ServerEntry:
    """What is known about one configured server."""

    config: McpServerConfig
    state: ServerState = "not started"
    tools: tuple[McpTool, ...] = ()
    error: str = ""
    """The last failure, kept after a restart for ``/tools``."""
    enabled: bool = True
    """Off for this session (``/tools``): not started, its tools not offered."""
    session: McpSession | None = field(default=None, repr=False)
    starting: asyncio.Task[None] | None = field(default=None, repr=False)


def default_transport(config: McpServerConfig) -> Transport:
    """stdio for a command, streamable HTTP for a URL (httpx is imported only then)."""
    if config.transport == "stdio":
        from .stdio_transport import StdioTransport

        return StdioTransport(config)
    from .http_transport import HttpTransport

    return HttpTransport(config)


class McpServers:
    """The servers, their state and their tools."""

    def __init__(
        self,
        configs: Mapping[str, McpServerConfig],
        *,
        notice: Notice | None = None,
        transport_for: Callable[[McpServerConfig], Transport] = default_transport,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.entries = {name: ServerEntry(config) for name, config in configs.items()}
        self.notice = notice if notice is not None else (lambda text: None)
        self._transport_for = transport_for
        self.start_timeout = start_timeout
        self.changed: list[Callable[[], None]] = []
        """Called after any state change (``/tools`` refreshes from it)."""
        self._failing: set[asyncio.Task[None]] = set()  # held: the loop keeps weak refs

    def entry(self, name: str) -> ServerEntry | None:
        return self.entries.get(name)

    async def ensure(self, names: Iterable[str]) -> None:
        """Start each of ``names`` that is enabled and not started; never raises."""
        waits = [self._start(self.entries[name]) for name in names if name in self.entries]
        if waits:
            await asyncio.gather(*waits)

    async def _start(self, entry: ServerEntry) -> None:
        if not entry.enabled or entry.state in ("running", "failed"):
            return
        if entry.starting is None:
            entry.starting = asyncio.ensure_future(self._open(entry))
        await asyncio.shield(entry.starting)

    async def _open(self, entry: ServerEntry) -> None:
        entry.state = "starting"
        self._changed()
        session = McpSession(self._transport_for(entry.config), name=entry.config.name)
        entry.session = session
        try:
            await session.open(self.start_timeout)
            tools = await session.list_tools(self.start_timeout)
        except McpError as error:
            await self.fail(entry.config.name, str(error))
            return
        except asyncio.CancelledError:
            await self._stop(entry)
            raise
        finally:
            entry.starting = None
        if session.failure is not None:  # broke while we listed
            await self.fail(entry.config.name, session.failure)
            return
        entry.tools = tuple(tools)
        entry.state = "running"
        session.on_failure = lambda reason: self._broke(entry, reason)
        self._changed()

    def _broke(self, entry: ServerEntry, reason: str) -> None:
        """The session broke by itself (crash, garbage): fail it from a task of its own."""
        task = asyncio.get_running_loop().create_task(self.fail(entry.config.name, reason))
        self._failing.add(task)
        task.add_done_callback(self._failing.discard)

    async def fail(self, name: str, reason: str) -> None:
        """Mark ``name`` failed, withdraw its tools, stop it and tell the user (once)."""
        entry = self.entries[name]
        if entry.state == "failed":
            return
        entry.state, entry.tools, entry.error = "failed", (), reason
        self._changed()
        self.notice(
            f"MCP server {name!r} {reason}; its tools are withdrawn "
            "(turn it off and on in /tools to restart it)"
        )
        await self._stop(entry)

    async def _stop(self, entry: ServerEntry) -> None:
        session, entry.session = entry.session, None
        if session is not None:
            session.on_failure = None
            with contextlib.suppress(Exception):
                await session.close()

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Turn a server off or on for this session; on again after a failure restarts it."""
        entry = self.entries[name]
        entry.enabled = enabled
        if enabled and entry.state == "failed":
            entry.state = "not started"
        self._changed()

    def session(self, name: str) -> McpSession:
        """The running session of ``name``; McpServerFailed saying why there is none."""
        entry = self.entries.get(name)
        if entry is None:
            raise McpServerFailed("is not configured")
        if entry.state == "failed":
            raise McpServerFailed(f"has failed ({entry.error})")
        if not entry.enabled:
            raise McpServerFailed("is turned off in /tools")
        if entry.session is None or entry.state != "running":
            raise McpServerFailed("is not running")
        return entry.session

    async def close(self) -> None:
        """Stop every server (at exit)."""
        for entry in self.entries.values():
            if entry.starting is not None:
                entry.starting.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await entry.starting
        await asyncio.gather(*(self._stop(entry) for entry in self.entries.values()))
        for entry in self.entries.values():
            if entry.state in ("running", "starting"):
                entry.state = "not started"

    def _changed(self) -> None:
        for listener in list(self.changed):
            listener()
