"""A small MCP server for the tests, speaking stdio (``python echo_server.py``) or streamable
HTTP on loopback (:func:`serve_http`, in the test's own process).

Tools: ``echo`` (returns its text), ``add`` (a + b), ``slow`` (sleeps ``seconds``), ``crash``
(the process exits mid-call), ``image`` (a 1x1 PNG), ``big`` (``n`` characters), ``fail``
(an ``isError`` result). ``tools/list`` is paginated (``--page-size``). Flags make it
misbehave: ``--garbage`` (answers initialize with a line that is not JSON), ``--no-tools``
(advertises no tools capability), ``--version V`` (answers that protocol version),
``--crash-at-start``. ``--log PATH`` records every message it receives, one JSON a line.
Only the standard library: it runs in any Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PNG_1X1 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
TOOLS = [
    {
        "name": "echo",
        "description": "Returns its text",
        "inputSchema": {
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
        },
    },
    {
        "name": "add",
        "description": "Adds two numbers",
        "inputSchema": {
            "type": "object",
            "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
            "required": ["a", "b"],
        },
    },
    {"name": "slow", "description": "Sleeps", "inputSchema": {"type": "object"}},
    {"name": "crash", "description": "Exits mid-call", "inputSchema": {"type": "object"}},
    {"name": "image", "description": "A tiny PNG", "inputSchema": {"type": "object"}},
    {"name": "big", "description": "n characters", "inputSchema": {"type": "object"}},
    {"name": "fail", "description": "An error result", "inputSchema": {"type": "object"}},
    {"name": "env", "description": "An environment variable", "inputSchema": {"type": "object"}},
]


class EchoServer:
    """The protocol side, shared by both transports."""

    def __init__(self, options: argparse.Namespace, exit_process: Callable[[], None]) -> None:
        self.options = options
        self.exit_process = exit_process
        self.received: list[dict[str, Any]] = []
        self.cancelled: set[Any] = set()
        self._lock = threading.Lock()

    def record(self, message: dict[str, Any]) -> None:
        with self._lock:
            self.received.append(message)
            if self.options.log:
                with open(self.options.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(message) + "\n")
        if message.get("method") == "notifications/cancelled":
            self.cancelled.add(message.get("params", {}).get("requestId"))

    def answer(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The response to ``message`` (None for a notification)."""
        self.record(message)
        method, request_id = message.get("method"), message.get("id")
        if request_id is None or method is None:
            return None
        params = message.get("params") or {}
        try:
            result = self._result(method, params, request_id)
        except LookupError as error:
            return {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {"code": -32601, "message": str(error)},
            }
        return {"jsonrpc": "2.0", "id": request_id, "result": result}

    def _result(self, method: str, params: dict[str, Any], request_id: Any) -> Any:
        if method == "initialize":
            capabilities: dict[str, Any] = {} if self.options.no_tools else {"tools": {}}
            return {
                "protocolVersion": self.options.version or params["protocolVersion"],
                "capabilities": capabilities,
                "serverInfo": {"name": "echo", "version": "1"},
            }
        if method == "tools/list" and not self.options.no_tools:
            start = int(params.get("cursor") or 0)
            size = self.options.page_size
            page: dict[str, Any] = {"tools": TOOLS[start : start + size]}
            if start + size < len(TOOLS):
                page["nextCursor"] = str(start + size)
            return page
        if method == "tools/call":
            return self._call(params["name"], params.get("arguments") or {}, request_id)
        if method == "ping":
            return {}
        raise LookupError(f"no method {method}")

    def _call(self, name: str, arguments: dict[str, Any], request_id: Any) -> Any:
        if name == "echo":
            return {"content": [{"type": "text", "text": str(arguments.get("text", ""))}]}
        if name == "add":
            total = arguments["a"] + arguments["b"]
            return {"content": [{"type": "text", "text": str(total)}]}
        if name == "slow":
            deadline = time.monotonic() + float(arguments.get("seconds", 30))
            while time.monotonic() < deadline and request_id not in self.cancelled:
                time.sleep(0.01)
            return {"content": [{"type": "text", "text": "slept"}]}
        if name == "crash":
            self.exit_process()
        if name == "image":
            image = {"type": "image", "data": PNG_1X1, "mimeType": "image/png"}
            return {"content": [{"type": "text", "text": "a dot"}, image]}
        if name == "big":
            return {"content": [{"type": "text", "text": "x" * int(arguments.get("n", 10))}]}
        if name == "env":
            value = os.environ.get(str(arguments.get("name")), "<unset>")
            return {"content": [{"type": "text", "text": value}]}
        if name == "fail":
            return {"content": [{"type": "text", "text": "it broke"}], "isError": True}
        raise LookupError(f"no tool {name}")


def options_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page-size", type=int, default=3)
    parser.add_argument("--garbage", action="store_true")
    parser.add_argument("--no-tools", action="store_true")
    parser.add_argument("--version", default="")
    parser.add_argument("--crash-at-start", action="store_true")
    parser.add_argument("--log", default="")
    parser.add_argument("--sse", action="store_true")
    parser.add_argument("--sse-progress", action="store_true")
    parser.add_argument("--sse-hold", action="store_true")
    return parser.parse_args(argv)


def serve_stdio(options: argparse.Namespace) -> None:
    """Newline-delimited JSON-RPC on stdin/stdout; each call on a thread of its own."""
    if options.crash_at_start:
        print("echo server: refusing to start", file=sys.stderr, flush=True)
        sys.exit(2)
    out_lock = threading.Lock()

    def write(message: dict[str, Any]) -> None:
        with out_lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    def crash() -> None:
        print("echo server: crashing as asked", file=sys.stderr, flush=True)
        os._exit(3)

    server = EchoServer(options, crash)

    def handle(message: dict[str, Any]) -> None:
        if options.garbage and message.get("method") == "initialize":
            with out_lock:
                sys.stdout.write("this is not json\n")
                sys.stdout.flush()
            return
        answer = server.answer(message)
        if answer is not None:
            write(answer)

    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        if "method" not in message:  # an answer to our own request: ignore
            server.record(message)
            continue
        if message.get("method") == "tools/call":
            threading.Thread(target=handle, args=(message,), daemon=True).start()
        else:
            handle(message)


class HttpEchoServer:
    """The echo server on streamable HTTP at ``url`` (loopback, a free port)."""

    SESSION = "echo-session-1"

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.protocol = EchoServer(options, self._crash)
        self.deleted: list[str] = []
        self.session_headers: list[str | None] = []
        self.version_headers: list[str | None] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                owner._post(self)

            def do_DELETE(self) -> None:
                owner.deleted.append(self.headers.get("Mcp-Session-Id", ""))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mcp"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _crash(self) -> None:
        raise ConnectionAbortedError

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        message = json.loads(body)
        session = handler.headers.get("Mcp-Session-Id")
        if message.get("method") != "initialize":
            self.session_headers.append(session)
            self.version_headers.append(handler.headers.get("MCP-Protocol-Version"))
            if session != self.SESSION:
                self._send(handler, 400 if session is None else 404, b"bad session", "text/plain")
                return
        if self.options.garbage and message.get("method") == "initialize":
            self._send(handler, 200, b"<html>not json</html>", "application/json")
            return
        try:
            answer = self.protocol.answer(message)
        except ConnectionAbortedError:
            handler.close_connection = True
            handler.wfile.write(b"HTTP/1.1 500 crashed\r\nContent-Length: 5\r\n\r\ncrash")
            return
        if answer is None:
            self._send(handler, 202, b"", "text/plain")
            return
        new = message.get("method") == "initialize"
        if self.options.sse:
            data = b"event: message\ndata: " + json.dumps(answer).encode() + b"\n\n"
            if self.options.sse_progress:  # a notification first, as servers that report do
                note = {"jsonrpc": "2.0", "method": "notifications/progress", "params": {}}
                data = b"data: " + json.dumps(note).encode() + b"\n\n" + data
            if self.options.sse_hold and not new:  # the stream stays open after the answer
                handler.send_response(200)
                handler.send_header("Content-Type", "text/event-stream")
                handler.end_headers()
                handler.wfile.write(data)
                handler.wfile.flush()
                time.sleep(30)
                return
            self._send(handler, 200, data, "text/event-stream", new)
        else:
            self._send(handler, 200, json.dumps(answer).encode(), "application/json", new)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        kind: str,
        new_session: bool = False,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        if new_session:
            handler.send_header("Mcp-Session-Id", self.SESSION)
        handler.end_headers()
        handler.wfile.write(body)

    def start(self) -> HttpEchoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    serve_stdio(options_from())
