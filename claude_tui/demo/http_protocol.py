"""Just enough HTTP/1.1 for the demo relay, on top of asyncio streams.

The relay must behave like a real server to the clients under test (httpx keeps connections
alive, streams arrive with chunked transfer encoding, a cut stream must look like a dropped
TCP connection), so it speaks HTTP itself instead of depending on a server framework.
Only what clients actually send is understood: a request line, headers, and a body framed by
``Content-Length`` or ``Transfer-Encoding: chunked``.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
SERVER_NAME = "claude-tui-demo"

# Statuses the Anthropic API uses that the standard library does not name.
_EXTRA_REASONS = {529: "Overloaded"}


class HttpProtocolError(Exception):
    """A request the relay cannot parse; the connection is answered with ``status`` and closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class HttpRequest:
    """One parsed request: what the router and the request log need."""

    method: str
    target: str
    """The request target as sent, query string included."""
    version: str
    headers: dict[str, str]
    """Header names lowercased; repeated headers joined with ``", "``."""
    body: bytes

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.split("?", 1)[0]

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; the last value wins, which is all the relay needs."""
        if "?" not in self.target:
            return {}
        pairs = (part.partition("=") for part in self.target.split("?", 1)[1].split("&") if part)
        return {name: value for name, _, value in pairs}

    @property
    def keep_alive(self) -> bool:
        """Whether the client expects the connection to stay open after the response."""
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection


def new_request_id() -> str:
    """A fresh ``request-id`` in the shape clients show in error details."""
    return f"req_demo_{secrets.token_hex(12)}"


def reason_phrase(status: int) -> str:
    """The reason phrase for a status line, including Anthropic's 529."""
    if status in _EXTRA_REASONS:
        return _EXTRA_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


async def read_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> HttpRequest | None:
    """Read one request, or return ``None`` when the client closed an idle connection.

    ``writer`` is needed only to answer ``Expect: 100-continue`` (curl sends it for large
    bodies and would otherwise wait a second before sending the body).
    """
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise HttpProtocolError(400, "Incomplete request head") from exc
    except asyncio.LimitOverrunError as exc:
        raise HttpProtocolError(431, "Request headers too large") from exc

    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpProtocolError(400, f"Malformed request line: {lines[0][:100]!r}")
    method, target, version = parts

    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise HttpProtocolError(400, f"Malformed header line: {line[:100]!r}")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value

    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()

    body = await _read_body(reader, headers)
    return HttpRequest(method=method, target=target, version=version, headers=headers, body=body)


async def _read_body(reader: asyncio.StreamReader, headers: Mapping[str, str]) -> bytes:
    """Read the body framed by ``Content-Length`` or chunked encoding; empty when neither."""
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return await _read_chunked_body(reader)
        length_text = headers.get("content-length", "0")
        try:
            length = int(length_text)
        except ValueError as exc:
            raise HttpProtocolError(400, f"Bad Content-Length: {length_text!r}") from exc
        if length < 0:
            raise HttpProtocolError(400, f"Bad Content-Length: {length_text!r}")
        if length > MAX_BODY_BYTES:
            raise HttpProtocolError(413, "Request body too large for the demo relay")
        return await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as exc:
        raise HttpProtocolError(400, "Request body ended early") from exc


async def _read_chunked_body(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise HttpProtocolError(400, "Bad chunk size in request body") from exc
        if size == 0:
            # Skip optional trailers up to the blank line that ends the body.
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(parts)
        total += size
        if total > MAX_BODY_BYTES:
            raise HttpProtocolError(413, "Request body too large for the demo relay")
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class ResponseWriter:
    """Writes one response: either a whole body, or a chunked stream flushed in batches.

    Streams are buffered and written as one HTTP chunk per ``flush`` so that a 20,000-token
    reply costs a few hundred socket writes, not tens of thousands.
    """

    def __init__(self, writer: asyncio.StreamWriter, request_id: str, keep_alive: bool) -> None:
        self._writer = writer
        self.request_id = request_id
        self.keep_alive = keep_alive
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self.status: int | None = None

    @property
    def pending_bytes(self) -> int:
        """Bytes buffered for the next chunk."""
        return self._pending_bytes

    def _head(
        self, status: int, content_type: str, headers: Mapping[str, str], framing: str
    ) -> bytes:
        self.status = status
        lines = [
            f"HTTP/1.1 {status} {reason_phrase(status)}",
            f"date: {formatdate(usegmt=True)}",
            f"server: {SERVER_NAME}",
            f"content-type: {content_type}",
            f"request-id: {self.request_id}",
            framing,
            f"connection: {'keep-alive' if self.keep_alive else 'close'}",
        ]
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send a complete response framed by ``Content-Length``."""
        head = self._head(status, content_type, headers or {}, f"content-length: {len(body)}")
        self._writer.write(head + body)
        await self._writer.drain()

    async def send_truncated(self, status: int, body: bytes, content_type: str, keep: int) -> None:
        """Promise ``len(body)`` bytes, send only ``keep`` of them, then drop the connection."""
        head = self._head(status, content_type, {}, f"content-length: {len(body)}")
        self._writer.write(head + body[:keep])
        await self.abort()

    async def begin_stream(
        self, status: int, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        """Send the response head for a chunked body."""
        head = self._head(status, content_type, headers or {}, "transfer-encoding: chunked")
        self._writer.write(head)
        await self._writer.drain()

    def buffer(self, data: bytes) -> None:
        """Queue bytes for the next chunk."""
        self._pending.append(data)
        self._pending_bytes += len(data)

    async def flush(self) -> None:
        """Write everything buffered as one chunk and wait for the socket to take it."""
        if not self._pending_bytes:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_bytes = 0
        self._writer.write(b"%x\r\n%b\r\n" % (len(data), data))
        await self._writer.drain()

    async def end_stream(self) -> None:
        """Flush and write the terminating zero-length chunk."""
        await self.flush()
        self._writer.write(b"0\r\n\r\n")
        await self._writer.drain()

    async def abort(self) -> None:
        """Flush what was promised so far, then drop the TCP connection mid-body."""
        await self.flush()
        self.keep_alive = False
        # ``transport.abort()`` discards unsent data, so first wait until the kernel has it all.
        self._writer.transport.set_write_buffer_limits(high=0)
        await self._writer.drain()
        self._writer.transport.abort()
