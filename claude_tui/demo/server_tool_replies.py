"""The demo relay playing Claude's web search server tool, ``[demo:web_search]``.

When a Messages request offers the ``web_search`` server tool (a ``tools`` entry of type
``web_search_...``) and its last prompt holds ``[demo:web_search]``, the reply is what the
API streams for a search it ran itself: a text block, a ``server_tool_use`` block (its input
in ``input_json_delta`` pieces), a ``web_search_tool_result`` block that arrives whole with
two results, then text whose passages carry ``citations_delta`` citations of those results;
``stop_reason: "end_turn"`` and ``usage.server_tool_use.web_search_requests``. With
``[demo:pause_turn]`` as well, the reply stops after the call with ``stop_reason:
"pause_turn"`` (no result), as the API does for a long server tool turn.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from claude_tui.demo.reply_steps import Step, message_shell, sse_event, typed_event
from claude_tui.demo.request_reading import content_text

KEYWORD = "[demo:web_search]"
PAUSE_KEYWORD = "[demo:pause_turn]"
QUERY = "claude-tui terminal client"
RESULTS = (
    {
        "type": "web_search_result",
        "title": "claude-tui: a terminal chat client for Claude",
        "url": "https://example.com/claude-tui",
        "encrypted_content": "demo-encrypted-1",
        "page_age": "1 day ago",
    },
    {
        "type": "web_search_result",
        "title": "The demo relay on loopback",
        "url": "https://example.org/demo-relay",
        "encrypted_content": "demo-encrypted-2",
        "page_age": "2 days ago",
    },
)
OPENING = "I'll search the web for that."
CITED = (
    ("claude-tui is a terminal chat client for Claude", 0),
    (", and its demo relay answers on loopback", 1),
    (".", None),
)
"""The answer's passages and the result each one cites (None: not cited)."""


def asks_web_search(body: Mapping[str, Any]) -> bool:
    """Whether ``body`` offers the web search server tool and its prompt asks for the demo."""
    tools = body.get("tools")
    offered = isinstance(tools, list) and any(
        isinstance(t, Mapping) and str(t.get("type", "")).startswith("web_search_") for t in tools
    )
    return offered and KEYWORD in _last_prompt(body.get("messages"))


def web_search_stream(body: Mapping[str, Any], *, model: str, input_tokens: int) -> Iterator[Step]:
    """The Messages API stream of a web search the server ran, as described above."""
    paused = PAUSE_KEYWORD in _last_prompt(body.get("messages"))
    message = message_shell(model, input_tokens)
    yield sse_event("message_start", {"type": "message_start", "message": message})
    yield from _text_block(0, OPENING, None)
    call_id = f"srvtoolu_demo{secrets.token_hex(8)}"
    call = {"type": "server_tool_use", "id": call_id, "name": "web_search", "input": {}}
    yield typed_event({"type": "content_block_start", "index": 1, "content_block": call})
    query = json.dumps({"query": QUERY})
    for piece in (query[:10], query[10:]):
        delta = {"type": "input_json_delta", "partial_json": piece}
        yield typed_event({"type": "content_block_delta", "index": 1, "delta": delta})
    yield typed_event({"type": "content_block_stop", "index": 1})
    if paused:
        yield from _stop("pause_turn", requests=0)
        return
    result = {
        "type": "web_search_tool_result",
        "tool_use_id": call_id,
        "content": [dict(r) for r in RESULTS],
    }
    yield typed_event({"type": "content_block_start", "index": 2, "content_block": result})
    yield typed_event({"type": "content_block_stop", "index": 2})
    for offset, (text, cited) in enumerate(CITED):
        yield from _text_block(3 + offset, text, cited)
    yield from _stop("end_turn", requests=1)


def history_problem(messages: Sequence[Any]) -> str | None:
    """Why the API would refuse ``messages``' server tool blocks (a call without its result
    in the same assistant turn, or a result without its call), or None."""
    for position, message in enumerate(messages):
        content = message.get("content") if isinstance(message, Mapping) else None
        if not isinstance(content, list):
            continue
        blocks = [b for b in content if isinstance(b, Mapping)]
        calls = {b.get("id") for b in blocks if b.get("type") == "server_tool_use"}
        results = {
            b.get("tool_use_id") for b in blocks if str(b.get("type", "")).endswith("_tool_result")
        }
        results.discard(None)
        for call in calls - results:
            return f"messages.{position}: server_tool_use {call} without its result block"
        for result in results - calls:
            return f"messages.{position}: a server tool result for {result} without its call"
    return None


def _text_block(index: int, text: str, cited: int | None) -> Iterator[Step]:
    opening: dict[str, Any] = {"type": "text", "text": ""}
    if cited is not None:
        opening["citations"] = []
    yield typed_event({"type": "content_block_start", "index": index, "content_block": opening})
    if cited is not None:
        source = RESULTS[cited]
        citation = {
            "type": "web_search_result_location",
            "url": source["url"],
            "title": source["title"],
            "encrypted_index": f"demo-index-{cited + 1}",
            "cited_text": text.strip(", ."),
        }
        delta = {"type": "citations_delta", "citation": citation}
        yield typed_event({"type": "content_block_delta", "index": index, "delta": delta})
    yield typed_event(
        {
            "type": "content_block_delta",
            "index": index,
            "delta": {"type": "text_delta", "text": text},
        }
    )
    yield typed_event({"type": "content_block_stop", "index": index})


def _stop(reason: str, *, requests: int) -> Iterator[Step]:
    usage = {"output_tokens": 40, "server_tool_use": {"web_search_requests": requests}}
    stopped = {"stop_reason": reason, "stop_sequence": None}
    yield typed_event({"type": "message_delta", "delta": stopped, "usage": usage})
    yield typed_event({"type": "message_stop"})


def _last_prompt(messages: Any) -> str:
    if not isinstance(messages, Sequence) or isinstance(messages, str):
        return ""
    for message in reversed(messages):
        if isinstance(message, Mapping) and message.get("role") == "user":
            text = content_text(message.get("content"))
            if text:
                return text
    return ""
