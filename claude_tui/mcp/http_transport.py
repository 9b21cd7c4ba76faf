"""The streamable HTTP transport: every message is POSTed to the server's one URL.

The server answers a request either with ``application/json`` (the answer) or with
``text/event-stream`` (SSE events, each a message, the answer among them); a notification
gets 202. The ``Mcp-Session-Id`` the server gives at initialize goes with every later
request, the negotiated ``MCP-Protocol-Version`` too, and closing DELETEs the session.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx

from claude_tui.profiles import McpServerConfig

from .mcp_errors import McpServerFailed
from .transport import Fail, Receive

SESSION_HEADER = "Mcp-Session-Id"
VERSION_HEADER = "MCP-Protocol-Version"
CONNECT_TIMEOUT = 10.0


class HttpTransport:
    """Talks to the MCP server at ``config.url``."""

    def __init__(self, config: McpServerConfig, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._client = client
        self._own_client = client is None
        self._receive: Receive | None = None
        self._fail: Fail | None = None
        self.session_id: str | None = None
        self._version: str | None = None

    async def start(self, receive: Receive, fail: Fail) -> None:
        self._receive, self._fail = receive, fail
        if self._client is None:
            timeout = httpx.Timeout(None, connect=CONNECT_TIMEOUT)
            # trust_env off: an MCP server URL is the user's own, not for a proxy to see.
            self._client = httpx.AsyncClient(timeout=timeout, trust_env=False)

    def _headers(self) -> dict[str, str]:
        headers = {
            **self.config.headers,
            "Accept": "application/json, text/event-stream",
            "Content-Type": "application/json",
        }
        if self.session_id is not None:
            headers[SESSION_HEADER] = self.session_id
        if self._version is not None:
            headers[VERSION_HEADER] = self._version
        return headers

    async def send(self, message: dict[str, Any]) -> None:
        assert self._client is not None and self._receive is not None
        url = self.config.url or ""
        body = json.dumps(message, separators=(",", ":"))
        try:
            async with self._client.stream(
                "POST", url, content=body, headers=self._headers()
            ) as response:
                await self._read_answer(response, message)
        except httpx.HTTPError as error:
            raise McpServerFailed(f"cannot be reached at {url}: {error}") from None

    async def _read_answer(self, response: httpx.Response, message: dict[str, Any]) -> None:
        assert self._receive is not None
        if message.get("method") == "initialize" and SESSION_HEADER in response.headers:
            self.session_id = response.headers[SESSION_HEADER]
        if response.status_code == 404 and self.session_id is not None:
            raise McpServerFailed(
                "ended the session (HTTP 404); it will start a new one when turned on again"
            )
        if response.status_code >= 400:
            text = (await response.aread()).decode("utf-8", "replace")[:200].strip()
            raise McpServerFailed(f"answered HTTP {response.status_code}: {text or 'no text'}")
        if response.status_code == 202 or "id" not in message:
            await response.aread()
            return
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "text/event-stream":
            await self._read_events(response, message["id"])
            return
        data = await response.aread()
        try:
            value = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise McpServerFailed(
                f"answered something that is not JSON ({kind or 'no content type'}): "
                f"{data[:80].decode('utf-8', 'replace')!r}"
            ) from None
        self._receive(value)

    async def _read_events(self, response: httpx.Response, request_id: object) -> None:
        """Each SSE ``message`` event's data is one JSON-RPC message; reading stops at the
        answer to ``request_id`` (a server may keep the stream open after it)."""
        assert self._receive is not None
        data: list[str] = []
        event = "message"
        async for line in response.aiter_lines():
            if line == "":
                if data and event == "message":
                    text = "\n".join(data)
                    try:
                        value = json.loads(text)
                    except json.JSONDecodeError:
                        raise McpServerFailed(
                            f"sent an event that is not JSON: {text[:80]!r}"
                        ) from None
                    self._receive(value)
                    if _answers(value, request_id):
                        return
                data, event = [], "message"
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif line.startswith("event:"):
                event = line[6:].strip()

    def negotiated(self, protocol_version: str) -> None:
        self._version = protocol_version

    async def close(self) -> None:
        client = self._client
        if client is None:
            return
        if self.session_id is not None:
            with contextlib.suppress(httpx.HTTPError):
                await client.delete(self.config.url or "", headers=self._headers(), timeout=2.0)
        if self._own_client:
            await client.aclose()
        self._client = None


def _answers(value: object, request_id: object) -> bool:
    """Whether ``value`` is the answer (result or error) to the request ``request_id``."""
    return (
        isinstance(value, dict)
        and value.get("id") == request_id
        and ("result" in value or "error" in value)
    )
