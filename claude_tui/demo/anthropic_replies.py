"""Anthropic Messages replies: request checks, the SSE event stream, and the JSON message.

The stream follows the documented order exactly, plus the irregularities real streams have
and clients must tolerate: ``ping`` events, and one event type the client cannot know.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from claude_tui.demo.fault_modes import ReplyPlan
from claude_tui.demo.hostile_streams import hang_steps
from claude_tui.demo.prefix_cache import CacheUsage, breakpoint_problem
from claude_tui.demo.reply_steps import Abort, DeltaPacer, Step, message_shell, sse_event
from claude_tui.demo.request_reading import read_conversation, thinking_requested
from claude_tui.demo.scripted_reply import ComposedReply
from claude_tui.demo.server_tool_replies import history_problem

PING_EVERY = 20
"""A ``ping`` follows every this many events."""

PREFILL_UNSUPPORTED = (
    "This model does not support assistant message prefill. "
    "The conversation must end with a user message."
)


def request_problem(body: Mapping[str, Any], plan: ReplyPlan) -> str | None:
    """Why the real API would answer this request with 400, or ``None`` when it is fine."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: Field required"
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        return "max_tokens: Field required (a positive integer)"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    cache_problem = breakpoint_problem(body)
    if cache_problem is not None:
        return cache_problem
    server_problem = history_problem(messages)
    if server_problem is not None:
        return server_problem
    view = read_conversation(messages)
    thinking = body.get("thinking")
    if thinking_requested(body):
        assert isinstance(thinking, Mapping)
        temperature = body.get("temperature")
        if temperature is not None and temperature != 1:
            return (
                "`temperature` may only be set to 1 when thinking is enabled or in interleaved "
                "thinking mode."
            )
        if thinking.get("type") == "enabled":
            budget = thinking.get("budget_tokens")
            if not isinstance(budget, int) or budget < 1024:
                return "thinking.budget_tokens: Input should be greater than or equal to 1024"
            if budget >= max_tokens:
                return "`max_tokens` must be greater than `thinking.budget_tokens`."
        if view.prefill is not None:
            return (
                "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                "`text`. When `thinking` is enabled, a final `assistant` message must start with "
                "a thinking block."
            )
    if view.prefill is not None:
        if plan.no_prefill:
            return PREFILL_UNSUPPORTED
        if view.prefill != view.prefill.rstrip():
            return "messages: final assistant content cannot end with trailing whitespace"
    return None


class _Events:
    """Encodes events and slips in a ``ping`` after every ``PING_EVERY`` of them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, data: Mapping[str, Any]) -> bytes:
        self.count += 1
        event = sse_event(str(data["type"]), data)
        if self.count % PING_EVERY == 0:
            event += sse_event("ping", {"type": "ping"})
        return event


def message_stream(
    reply: ComposedReply,
    *,
    model: str,
    input_tokens: int,
    plan: ReplyPlan,
    pacer: DeltaPacer,
    thinking: bool,
    cache: CacheUsage | None = None,
) -> Iterator[Step]:
    """The SSE steps of one streamed message."""
    event = _Events()
    message = _message_shell(model, input_tokens, cache)
    yield event({"type": "message_start", "message": message})
    yield sse_event("ping", {"type": "ping"})
    # Clients must ignore event types they do not know; make sure they get to practise.
    yield sse_event("demo_unknown", {"type": "demo_unknown", "note": "ignore me"})

    index = 0
    if thinking:
        yield event(_block_start(index, {"type": "thinking", "thinking": "", "signature": ""}))
        for delta in reply.thinking_deltas:
            yield event(_block_delta(index, {"type": "thinking_delta", "thinking": delta}))
            yield from pacer.after_delta()
        yield event(_block_delta(index, {"type": "signature_delta", "signature": reply.signature}))
        yield event({"type": "content_block_stop", "index": index})
        index += 1

    text_deltas = reply.text_deltas
    if pacer.interrupt_at is not None:
        text_deltas = text_deltas[: pacer.interrupt_at]
    if text_deltas or pacer.interrupt_at is None:
        yield event(_block_start(index, {"type": "text", "text": ""}))
    for delta in text_deltas:
        yield event(_block_delta(index, {"type": "text_delta", "text": delta}))
        yield from pacer.after_delta()

    if plan.cut:
        yield Abort()
        return
    if plan.hang:
        yield from hang_steps(plan, openai=False, index=index)
        return
    if plan.error_event:
        error = {"type": "overloaded_error", "message": "Overloaded"}
        yield sse_event("error", {"type": "error", "error": error})
        return

    yield event({"type": "content_block_stop", "index": index})
    usage: dict[str, Any] = {"output_tokens": reply.output_tokens}
    if reply.thinking_tokens:
        usage["output_tokens_details"] = {"thinking_tokens": reply.thinking_tokens}
    yield event(
        {
            "type": "message_delta",
            "delta": {"stop_reason": reply.stop_reason, "stop_sequence": reply.stop_sequence},
            "usage": usage,
        }
    )
    yield event({"type": "message_stop"})


def message_json(
    reply: ComposedReply, *, model: str, input_tokens: int, cache: CacheUsage | None = None
) -> dict[str, Any]:
    """The non-streaming message object."""
    message = _message_shell(model, input_tokens, cache)
    content: list[dict[str, Any]] = []
    if reply.signature:
        content.append(
            {"type": "thinking", "thinking": reply.thinking, "signature": reply.signature}
        )
    content.append({"type": "text", "text": reply.text})
    message.update(
        content=content, stop_reason=reply.stop_reason, stop_sequence=reply.stop_sequence
    )
    message["usage"]["output_tokens"] = reply.output_tokens
    return message


def _message_shell(model: str, input_tokens: int, cache: CacheUsage | None) -> dict[str, Any]:
    usage = {"cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    if cache is not None:
        usage.update(cache.anthropic_fields())
    return message_shell(model, input_tokens, usage)


def _block_start(index: int, block: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": dict(block)}


def _block_delta(index: int, delta: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": dict(delta)}
