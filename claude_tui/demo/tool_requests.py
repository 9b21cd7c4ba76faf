"""The demo relay asking for tool calls, so the client's tool loop can be run end to end.

A request that offers ``tools`` and whose prompt holds ``[demo:tool]`` (the first offered
tool), ``[demo:tool=NAME]`` or ``[demo:tools=N]`` (N calls in one round, through the offered
tools in turn) is answered with ``tool_use`` blocks (``stop_reason: "tool_use"``; Chat
Completions: ``tool_calls``, ``finish_reason: "tool_calls"``), the input built from each tool's
``input_schema``. ``[demo:tool_rounds=N]`` asks again after each round until N rounds were
answered. Once the request ends with the results, the reply quotes them ("The tool returned:
...") and ends the turn. With ``[demo:cut]`` the connection drops right after the calls, before
the reply ends: a reply cut during a tool call.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claude_tui.demo.reply_steps import Abort, Step, message_shell, sse_event, typed_event
from claude_tui.demo.request_reading import content_text
from claude_tui.demo.scripted_reply import ComposedReply, delta_tokens, fake_signature, split_deltas

_KEYWORD = re.compile(r"\[demo:(tool|tools|tool_rounds)(?:=([^\]\s]*))?\]")
THINKING_BEFORE_CALLS = "The user asked for a tool; I will call it."
MAX_DEMO_CALLS = 8
"""The most calls ``[demo:tools=N]`` asks for in one round."""


@dataclass(frozen=True)
class DemoCall:
    """One call the relay asks for."""

    id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class ToolTurn:
    """What the relay answers a request that offers tools: calls, or the results quoted."""

    text: str
    """The leading text before the calls, or the whole answer when there are none."""
    calls: list[DemoCall] = field(default_factory=list)


def tool_turn(body: Mapping[str, Any], *, openai: bool) -> ToolTurn | None:
    """The tool reply ``body`` asks for, or None for an ordinary reply (no tools offered, no
    keyword, or not answering results)."""
    tools = _offered(body.get("tools"), openai=openai)
    messages = body.get("messages")
    if not tools or not isinstance(messages, list):
        return None
    prompt_at = _prompt_index(messages)
    if prompt_at is None:
        return None
    prompt = content_text(messages[prompt_at].get("content"))
    wanted = _keywords(prompt)
    # A prompt typed after unanswered results is a new question, not the results' turn.
    answering = prompt_at < len(messages) - 1
    results = _trailing_results(messages, openai=openai) if answering else []
    rounds_done = _rounds_since(messages, prompt_at, openai=openai)
    if not wanted and not results:
        return None
    rounds = max(1, _number(wanted.get("tool_rounds"), 1))
    if wanted and rounds_done < rounds:
        return ToolTurn(*_calls(wanted, tools, openai=openai))
    if results:
        return ToolTurn("The tool returned: " + " | ".join(results))
    return None


def answer_reply(turn: ToolTurn) -> ComposedReply:
    """The ordinary reply that answers the results: ``turn``'s text, ending the turn."""
    deltas = split_deltas(turn.text)
    return ComposedReply(
        thinking_deltas=[],
        text_deltas=deltas,
        signature="",
        stop_reason="end_turn",
        stop_sequence=None,
        thinking_tokens=0,
        output_tokens=max(1, sum(delta_tokens(d) for d in deltas)),
    )


def anthropic_tool_stream(
    turn: ToolTurn, *, model: str, input_tokens: int, cut: bool, thinking: bool = False
) -> Iterator[Step]:
    """The Messages API stream of ``turn``'s calls: a signed thinking block (when thinking
    is on, so a client can check it goes back unchanged), a text block, then one ``tool_use``
    block per call with its input in ``input_json_delta`` pieces."""
    message = message_shell(model, input_tokens)
    yield sse_event("message_start", {"type": "message_start", "message": message})
    index = 0
    if thinking:
        opening = {"type": "thinking", "thinking": "", "signature": ""}
        yield typed_event({"type": "content_block_start", "index": 0, "content_block": opening})
        delta = {"type": "thinking_delta", "thinking": THINKING_BEFORE_CALLS}
        yield typed_event({"type": "content_block_delta", "index": 0, "delta": delta})
        delta = {"type": "signature_delta", "signature": fake_signature(THINKING_BEFORE_CALLS)}
        yield typed_event({"type": "content_block_delta", "index": 0, "delta": delta})
        yield typed_event({"type": "content_block_stop", "index": 0})
        index = 1
    if turn.text:
        text_block = {"type": "text", "text": ""}
        yield typed_event(
            {"type": "content_block_start", "index": index, "content_block": text_block}
        )
        delta = {"type": "text_delta", "text": turn.text}
        yield typed_event({"type": "content_block_delta", "index": index, "delta": delta})
        yield typed_event({"type": "content_block_stop", "index": index})
        index += 1
    for offset, call in enumerate(turn.calls):
        block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
        at = index + offset
        yield typed_event({"type": "content_block_start", "index": at, "content_block": block})
        for piece in _pieces(json.dumps(call.input)):
            delta = {"type": "input_json_delta", "partial_json": piece}
            yield typed_event({"type": "content_block_delta", "index": at, "delta": delta})
        yield typed_event({"type": "content_block_stop", "index": at})
    if cut:
        yield Abort()
        return
    stopped: dict[str, Any] = {"stop_reason": "tool_use", "stop_sequence": None}
    usage = {"output_tokens": 10 * (1 + len(turn.calls))}
    yield typed_event({"type": "message_delta", "delta": stopped, "usage": usage})
    yield typed_event({"type": "message_stop"})


def openai_tool_stream(
    turn: ToolTurn, *, model: str, prompt_tokens: int, include_usage: bool, cut: bool
) -> Iterator[Step]:
    """The Chat Completions stream of ``turn``'s calls: ``delta.tool_calls`` fragments (the
    id and name first, the arguments in pieces), ``finish_reason: "tool_calls"``."""
    base = {
        "id": f"chatcmpl-demo{secrets.token_hex(10)}",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
    }

    def chunk(delta: Mapping[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": dict(delta), "finish_reason": finish}
        return sse_event(None, {**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    if turn.text:
        yield chunk({"content": turn.text})
    for position, call in enumerate(turn.calls):
        opening = {"name": call.name, "arguments": ""}
        start = {"index": position, "id": call.id, "type": "function", "function": opening}
        yield chunk({"tool_calls": [start]})
        for piece in _pieces(json.dumps(call.input)):
            yield chunk({"tool_calls": [{"index": position, "function": {"arguments": piece}}]})
    if cut:
        yield Abort()
        return
    yield chunk({}, "tool_calls")
    if include_usage:
        completion = 10 * (1 + len(turn.calls))
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": prompt_tokens + completion,
        }
        yield sse_event(None, {**base, "choices": [], "usage": usage})
    yield sse_event(None, "[DONE]")


def demo_input(schema: Mapping[str, Any]) -> dict[str, Any]:
    """An input that satisfies ``schema``'s required properties: strings ``"demo"``, numbers
    1, booleans true, arrays and objects empty, an enum its first value."""
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    required = schema.get("required")
    names = [n for n in required if isinstance(n, str)] if isinstance(required, list) else []
    built: dict[str, Any] = {}
    for name in names:
        prop = properties.get(name)
        built[name] = _sample(prop if isinstance(prop, Mapping) else {})
    return built


def _sample(prop: Mapping[str, Any]) -> Any:
    enum = prop.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    samples: dict[str, Any] = {
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "object": {},
        "null": None,
    }
    return samples.get(str(kind), "demo")


def _pieces(text: str) -> list[str]:
    """``text`` in about three pieces, as streamed tool input arrives."""
    size = max(1, len(text) // 3)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _offered(raw: Any, *, openai: bool) -> list[tuple[str, Mapping[str, Any]]]:
    """(name, input schema) of each offered tool."""
    if not isinstance(raw, list):
        return []
    offered = []
    for tool in raw:
        if not isinstance(tool, Mapping):
            continue
        if not openai and tool.get("type") not in (None, "custom"):
            continue  # one of Claude's server tools (web_search_...): the server runs it
        spec = tool.get("function") if openai else tool
        if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
            continue
        schema = spec.get("parameters" if openai else "input_schema")
        offered.append((spec["name"], schema if isinstance(schema, Mapping) else {}))
    return offered


def _prompt_index(messages: Sequence[Any]) -> int | None:
    """The last user message with text of its own (not only tool results)."""
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if (
            isinstance(message, Mapping)
            and message.get("role") == "user"
            and content_text(message.get("content"))
        ):
            return index
    return None


def _keywords(prompt: str) -> dict[str, str]:
    return {match[1]: match[2] or "" for match in _KEYWORD.finditer(prompt)}


def _number(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _calls(
    wanted: Mapping[str, str], tools: list[tuple[str, Mapping[str, Any]]], *, openai: bool
) -> tuple[str, list[DemoCall]]:
    schemas = dict(tools)
    named = wanted.get("tool")
    if named:
        chosen = [(named, schemas.get(named, {}))]
    else:
        count = min(MAX_DEMO_CALLS, max(1, _number(wanted.get("tools"), 1)))
        chosen = [tools[i % len(tools)] for i in range(count)]
    prefix = "call_demo_" if openai else "toolu_demo_"
    calls = [
        DemoCall(f"{prefix}{secrets.token_hex(8)}", name, demo_input(schema))
        for name, schema in chosen
    ]
    names = ", ".join(dict.fromkeys(call.name for call in calls))
    return f"Let me call {names}.", calls


def _trailing_results(messages: Sequence[Any], *, openai: bool) -> list[str]:
    """The texts of the results the request ends with (none when it ends otherwise)."""
    if not messages or not isinstance(messages[-1], Mapping):
        return []
    if openai:
        texts: list[str] = []
        for message in reversed(messages):
            if not isinstance(message, Mapping) or message.get("role") != "tool":
                break
            texts.insert(0, content_text(message.get("content")))
        return texts
    last = messages[-1]
    content = last.get("content")
    if last.get("role") != "user" or not isinstance(content, list):
        return []
    found = []
    for block in content:
        if isinstance(block, Mapping) and block.get("type") == "tool_result":
            text = content_text(block.get("content"))
            found.append(f"error: {text}" if block.get("is_error") else text)
    return found


def _rounds_since(messages: Sequence[Any], prompt_at: int, *, openai: bool) -> int:
    """How many rounds of calls were answered after the prompt."""
    later = [m for m in messages[prompt_at + 1 :] if isinstance(m, Mapping)]
    if openai:
        return sum(1 for m in later if m.get("role") == "assistant" and m.get("tool_calls"))
    return sum(
        1
        for m in later
        if m.get("role") == "assistant"
        and isinstance(m.get("content"), list)
        and any(isinstance(b, Mapping) and b.get("type") == "tool_use" for b in m["content"])
    )
