"""The stdio transport: the server is a child process; one JSON-RPC message per line on its
stdin and stdout (newline-delimited, no embedded newlines); its stderr is its log.

The last lines of stderr are kept so that a server that exits can be reported with its own
last words. Closing follows the spec: close stdin, wait, then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections import deque
from typing import Any

from claude_tui.profiles import McpServerConfig

from .mcp_errors import McpServerFailed
from .transport import Fail, Receive

INHERITED_ENV = ("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TMPDIR")
"""What a server gets of claude-tui's environment besides its own ``env``: enough to run,
and no API keys (``ANTHROPIC_API_KEY`` and the like stay with their endpoint), as the MCP
SDKs do."""
LINE_LIMIT = 64 * 1024 * 1024
"""Longest line read from the server (a tool result with an image is one line)."""
STDERR_LINES = 20
CLOSE_WAIT = 2.0


class StdioTransport:
    """Talks to the MCP server ``config`` starts."""

    def __init__(self, config: McpServerConfig) -> None:
        self.config = config
        self._process: asyncio.subprocess.Process | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._closing = False

    async def start(self, receive: Receive, fail: Fail) -> None:
        command = self.config.command or ""
        inherited = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
        env = {**inherited, **self.config.env}
        cwd = os.path.expanduser(self.config.cwd) if self.config.cwd else None
        try:
            self._process = await asyncio.create_subprocess_exec(
                command,
                *self.config.args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                cwd=cwd,
                limit=LINE_LIMIT,
                start_new_session=True,  # Ctrl+C in the terminal is the app's, not the server's
            )
        except OSError as error:
            raise McpServerFailed(
                f"could not start {command!r}: {error.strerror or error}; check command "
                f"and cwd of [mcp_servers.{self.config.name}]"
            ) from None
        self._tasks = [
            asyncio.create_task(self._read_stdout(receive, fail)),
            asyncio.create_task(self._read_stderr()),
        ]

    async def _read_stdout(self, receive: Receive, fail: Fail) -> None:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        while True:
            try:
                line = await stdout.readline()
            except (ValueError, asyncio.LimitOverrunError):
                fail(f"sent a line longer than {LINE_LIMIT // (1024 * 1024)} MiB")
                return
            if not line:
                break
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                preview = line[:80].decode("utf-8", "replace").strip()
                fail(f"wrote something that is not JSON-RPC to stdout: {preview!r}")
                return
            receive(message)
        if self._closing:
            return
        code = await self._process.wait()
        await asyncio.sleep(0)  # let the stderr reader take the last lines
        last = self._stderr[-1] if self._stderr else ""
        fail(f"exited (code {code})" + (f": {last}" if last else ""))

    async def _read_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        with contextlib.suppress(ValueError, asyncio.LimitOverrunError):
            async for line in self._process.stderr:
                text = line.decode("utf-8", "replace").strip()
                if text:
                    self._stderr.append(text)

    async def send(self, message: dict[str, Any]) -> None:
        process = self._process
        if process is None or process.stdin is None or process.stdin.is_closing():
            raise McpServerFailed("is not running")
        process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        try:
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            raise McpServerFailed("closed its input (it has exited)") from None

    def negotiated(self, protocol_version: str) -> None:
        """Nothing to do: stdio has no headers."""

    async def close(self) -> None:
        self._closing = True
        process = self._process
        if process is not None and process.returncode is None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            for stop in (None, process.terminate, process.kill):
                if stop is not None:
                    with contextlib.suppress(ProcessLookupError):
                        stop()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), CLOSE_WAIT)
                    break
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    @property
    def stderr_tail(self) -> tuple[str, ...]:
        """The server's last lines of stderr, for ``/tools``."""
        return tuple(self._stderr)
