"""The demo relay: a loopback HTTP server that imitates the Anthropic and OpenAI APIs.

It lets the app run without an API key (``claude-tui --demo``), lets tests drive the real wire
clients over real sockets, and lets a human try other clients against
``python -m claude_tui.demo``. It runs its own asyncio loop in a daemon thread so that sync
tests, async tests and the Textual app can all use it without sharing an event loop.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from claude_tui.demo.billing_pages import BillingAccount
from claude_tui.demo.fault_modes import Fault, error_response
from claude_tui.demo.http_protocol import (
    MAX_HEADER_BYTES,
    HttpProtocolError,
    HttpRequest,
    ResponseWriter,
    new_request_id,
    read_request,
)
from claude_tui.demo.prefix_cache import PrefixCache
from claude_tui.demo.relay_routes import RouteContext, answer

_LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}


class NonLoopbackHostError(ValueError):
    """The relay was asked to listen somewhere other than this machine."""


def loopback_address(host: str) -> str:
    """The address to bind for ``host``; raises ``NonLoopbackHostError`` for anything remote.

    The relay answers any key and has no rate limits, so it must never be reachable from
    another machine.
    """
    address = _LOOPBACK.get(host.strip("[]").lower())
    if address is None:
        raise NonLoopbackHostError(
            f"The demo relay only listens on loopback (127.0.0.1, ::1 or localhost), not {host!r}."
        )
    return address


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the relay received it, for tests to check what a client sent."""

    method: str
    path: str
    """The request target as sent, query string included."""
    headers: dict[str, str]
    """Header names lowercased."""
    json: Any
    """The body parsed as JSON, or ``None`` when empty or not JSON."""
    body: bytes


class DemoRelay:
    """A scripted Claude-compatible server on a loopback port.

    ``chunk_delay`` is the pause between streamed deltas (the app's demo uses ~0.015 s, tests
    0). With ``required_key`` set, requests must carry it as ``x-api-key`` or
    ``Authorization: Bearer``. Faults queued with ``queue_fault`` are consumed one per request,
    in order, whatever the endpoint.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        chunk_delay: float = 0.0,
        required_key: str | None = None,
    ) -> None:
        self._address = loopback_address(host)
        self._port = port
        self.chunk_delay = chunk_delay
        self.required_key = required_key
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._faults: deque[Fault] = deque()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self._connection_count = 0
        self._start_error: BaseException | None = None
        self.prefix_cache = PrefixCache()
        """Prompt prefixes written by requests with ``cache_control`` breakpoints."""
        self.billing: BillingAccount | None = None
        """Billing pages to serve (a relay's balance, see ``billing_pages``); None: none."""

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> str:
        """Start listening in a background thread; returns the base URL (without ``/v1``)."""
        if self._thread is not None:
            raise RuntimeError("The demo relay is already running")
        ready = threading.Event()
        self._start_error = None
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="claude-tui-demo-relay", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=10):
            raise RuntimeError("The demo relay did not start within 10 s")
        if self._start_error is not None:
            self._thread.join()
            self._thread = None
            raise self._start_error
        return self.base_url

    def stop(self) -> None:
        """Stop listening, cut any open connections, and join the thread. Safe to repeat."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._close(), loop)
            try:
                future.result(timeout=5)
            finally:
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._thread = None
        self._loop = None

    def __enter__(self) -> DemoRelay:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port actually bound (useful when constructed with ``port=0``)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: what a profile's base URL should be set to."""
        host = f"[{self._address}]" if ":" in self._address else self._address
        return f"http://{host}:{self._port}"

    # -- what tests use -------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def connection_count(self) -> int:
        """How many TCP connections have been accepted: tests use it to check keep-alive."""
        return self._connection_count

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    def queue_fault(self, fault: Fault) -> None:
        """Make a coming request misbehave as ``fault``, after any faults already queued."""
        with self._lock:
            self._faults.append(fault)

    def queue_faults(self, faults: Iterable[Fault]) -> None:
        """Queue several faults, consumed one per request in this order."""
        with self._lock:
            self._faults.extend(faults)

    # -- the loop thread ------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            try:
                loop.run_until_complete(self._open())
            except BaseException as exc:
                self._start_error = exc
                return
            finally:
                ready.set()
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _open(self) -> None:
        self._server = await asyncio.start_server(
            self._on_connection, self._address, self._port, limit=MAX_HEADER_BYTES
        )
        self._port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self._connection_count += 1
        try:
            await self._serve_connection(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away; nothing to answer
        except asyncio.CancelledError:
            # ``stop()`` cancels open connections. Finishing normally instead of re-raising
            # avoids asyncio.streams (3.11) logging the cancellation as an error.
            pass
        finally:
            self._connections.discard(task)
            writer.close()

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            try:
                request = await read_request(reader, writer)
            except HttpProtocolError as exc:
                out = ResponseWriter(writer, new_request_id(), keep_alive=False)
                response = error_response(exc.status, exc.message, out.request_id, openai=False)
                await out.send(response.status, response.body, response.content_type)
                return
            if request is None:
                return
            out = ResponseWriter(writer, new_request_id(), request.keep_alive)
            self._record(request)
            context = RouteContext(
                self.chunk_delay,
                self.required_key,
                self._next_fault(),
                self.prefix_cache,
                billing=self.billing,
            )
            try:
                await answer(request, out, context)
            except ConnectionError:
                raise
            except Exception as exc:
                # A bug in the relay must reach the test as a 500, not as a hang.
                print(f"demo relay: error answering {request.target}: {exc!r}", file=sys.stderr)
                if out.status is None:
                    response = error_response(
                        500, f"demo relay bug: {exc!r}", out.request_id, openai=False
                    )
                    await out.send(response.status, response.body, response.content_type)
                else:
                    await out.abort()
                return
            if not out.keep_alive:
                return

    def _record(self, request: HttpRequest) -> None:
        try:
            parsed: Any = json.loads(request.body) if request.body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            parsed = None
        recorded = RecordedRequest(
            request.method, request.target, dict(request.headers), parsed, request.body
        )
        with self._lock:
            self._requests.append(recorded)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None


def run_forever(
    host: str = "127.0.0.1",
    port: int = 8765,
    chunk_delay: float = 0.015,
    required_key: str | None = None,
    billing: BillingAccount | None = None,
) -> None:
    """Run the relay in the foreground until Ctrl-C, printing where it listens."""
    relay = DemoRelay(host, port, chunk_delay, required_key)
    relay.billing = billing
    url = relay.start()
    print(f"claude-tui demo relay listening on {url}")
    print(f"  Anthropic: ANTHROPIC_BASE_URL={url}   (POST /v1/messages)")
    print(f"  OpenAI:    base URL {url}/v1         (POST /v1/chat/completions)")
    print("  Faults: put [demo:cut], [demo:status=529], [demo:long=20000]... in a prompt;")
    print("  [demo:markdown=20000] streams a markdown-heavy reply in tiny deltas.")
    if billing is not None:
        print(f"  Billing: {billing.shape} pages (claude-tui profiles balance)")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()
