"""OpenAI Chat Completions replies, as relays send them.

Reasoning is always included, in one of the three places relays put it
(``delta.reasoning_content``, ``delta.reasoning``, or ``<think>`` tags inside ``content``), so
a client's thinking viewer can be tried against each.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator, Mapping
from typing import Any

from claude_tui.demo.fault_modes import ReplyPlan
from claude_tui.demo.hostile_streams import hang_steps
from claude_tui.demo.prefix_cache import CacheUsage, breakpoint_problem
from claude_tui.demo.reply_steps import Abort, DeltaPacer, Step, sse_event
from claude_tui.demo.scripted_reply import ComposedReply

_FINISH_REASONS = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length"}


def request_problem(body: Mapping[str, Any]) -> str | None:
    """Why an OpenAI-compatible server would answer this request with 400, or ``None``."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must contain at least one message"
    return breakpoint_problem(body)  # a relay in front of Claude passes Claude's refusal on


def max_tokens_of(body: Mapping[str, Any]) -> int | None:
    """The output limit, from ``max_completion_tokens`` or the older ``max_tokens``."""
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def stop_sequences_of(body: Mapping[str, Any]) -> list[str]:
    """``stop`` as a list: OpenAI accepts a string or a list of strings."""
    stop = body.get("stop")
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, list):
        return [s for s in stop if isinstance(s, str)]
    return []


class _Chunks:
    """Builds ``chat.completion.chunk`` objects sharing one id, model and timestamp."""

    def __init__(self, model: str) -> None:
        self.id = f"chatcmpl-demo{secrets.token_hex(10)}"
        self.model = model
        self.created = int(time.time())

    def __call__(
        self,
        delta: Mapping[str, Any] | None,
        finish_reason: str | None = None,
        usage: Mapping[str, Any] | None = None,
    ) -> bytes:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": []
            if delta is None
            else [{"index": 0, "delta": dict(delta), "finish_reason": finish_reason}],
        }
        if usage is not None:
            chunk["usage"] = dict(usage)
        return sse_event(None, chunk)


def completion_stream(
    reply: ComposedReply,
    *,
    model: str,
    prompt_tokens: int,
    plan: ReplyPlan,
    pacer: DeltaPacer,
    include_usage: bool,
    cache: CacheUsage | None = None,
) -> Iterator[Step]:
    """The SSE steps of one streamed chat completion."""
    chunk = _Chunks(model)
    yield chunk({"role": "assistant", "content": ""})

    style = plan.reasoning_style
    if style == "think_tags":
        yield chunk({"content": "<think>\n"})
    for piece in reply.thinking_deltas:
        field = "content" if style == "think_tags" else style
        yield chunk({field: piece})
        yield from pacer.after_delta()
    if style == "think_tags":
        yield chunk({"content": "\n</think>\n\n"})

    text_deltas = reply.text_deltas
    if pacer.interrupt_at is not None:
        text_deltas = text_deltas[: pacer.interrupt_at]
    for piece in text_deltas:
        yield chunk({"content": piece})
        yield from pacer.after_delta()

    if plan.cut:
        yield Abort()
        return
    if plan.hang:
        yield from hang_steps(plan, openai=True, index=0)
        return
    if plan.error_event:
        error = {"message": "Overloaded", "type": "overloaded_error", "code": "529"}
        yield sse_event(None, {"error": error})
        return

    yield chunk({}, _FINISH_REASONS[reply.stop_reason])
    if include_usage:
        yield chunk(None, usage=_usage(reply, prompt_tokens, cache))
    yield sse_event(None, "[DONE]")


def completion_json(
    reply: ComposedReply,
    *,
    model: str,
    prompt_tokens: int,
    plan: ReplyPlan,
    cache: CacheUsage | None = None,
) -> dict[str, Any]:
    """The non-streaming chat completion object."""
    chunk = _Chunks(model)
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.thinking and plan.reasoning_style == "think_tags":
        message["content"] = f"<think>\n{reply.thinking}\n</think>\n\n{reply.text}"
    elif reply.thinking:
        message[plan.reasoning_style] = reply.thinking
    return {
        "id": chunk.id,
        "object": "chat.completion",
        "created": chunk.created,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": _FINISH_REASONS[reply.stop_reason]}
        ],
        "usage": _usage(reply, prompt_tokens, cache),
    }


def _usage(reply: ComposedReply, prompt_tokens: int, cache: CacheUsage | None) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,  # cached tokens included, as OpenAI counts them
        "completion_tokens": reply.output_tokens,
        "total_tokens": prompt_tokens + reply.output_tokens,
        "completion_tokens_details": {"reasoning_tokens": reply.thinking_tokens},
    }
    if cache is not None:
        usage["prompt_tokens_details"] = cache.openai_details()
    return usage
