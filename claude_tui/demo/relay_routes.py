"""What each endpoint of the demo relay answers.

One request in, one response out: the connection handling lives in ``relay_server``; the reply
content in ``scripted_reply``; the two dialects' formats in ``anthropic_replies`` and
``openai_replies``. This module routes, validates and applies faults.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claude_tui.demo import anthropic_replies, openai_replies, server_tool_replies, tool_requests
from claude_tui.demo.billing_pages import BillingAccount, billing_page
from claude_tui.demo.fault_modes import (
    DISRUPTIVE_KINDS,
    ErrorResponse,
    Fault,
    ReplyPlan,
    error_response,
    fault_response,
    parse_keywords,
    plan_from_faults,
)
from claude_tui.demo.http_protocol import HttpRequest, ResponseWriter
from claude_tui.demo.prefix_cache import CacheUsage, PrefixCache
from claude_tui.demo.reply_steps import Abort, DeltaPacer, Pause, Step
from claude_tui.demo.request_reading import (
    estimate_input_tokens,
    read_conversation,
    thinking_requested,
)
from claude_tui.demo.scripted_reply import compose_reply

FLUSH_BYTES = 32 * 1024
"""With no pause due, buffered events are written once this many bytes are waiting."""

_RESPONSE_FAULTS = frozenset({"status", "html", "json200", "redirect"})

DEMO_MODELS: tuple[tuple[str, str], ...] = (
    ("claude-demo", "Claude Demo"),
    ("claude-demo-fast", "Claude Demo Fast"),
    ("claude-demo-thinking", "Claude Demo Thinking"),
)


@dataclass(frozen=True)
class RouteContext:
    """Relay settings and the queued fault (if any) that apply to one request."""

    chunk_delay: float
    required_key: str | None
    queued_fault: Fault | None
    prefix_cache: PrefixCache | None = None
    """The relay's prompt cache; None answers every request as uncached."""
    billing: BillingAccount | None = None
    """The billing pages served (relay balance); None serves none."""

    def cache_usage(self, body: Mapping[str, Any], total_tokens: int) -> CacheUsage | None:
        """What ``body``'s cache breakpoints read and write (None without any)."""
        if self.prefix_cache is None:
            return None
        return self.prefix_cache.usage(body, total_tokens)


def normalize_path(path: str) -> str:
    """Drop a trailing slash and tolerate a doubled ``/v1`` (a base URL that already had one)."""
    path = path.rstrip("/") or "/"
    while path.startswith("/v1/v1"):
        path = path[3:]
    return path


async def answer(request: HttpRequest, out: ResponseWriter, ctx: RouteContext) -> None:
    """Route ``request`` and write its response to ``out``."""
    path = normalize_path(request.path)
    openai = path.endswith("/chat/completions")
    fault = ctx.queued_fault
    if fault is not None and fault.kind in _RESPONSE_FAULTS:
        await _send(out, fault_response(fault, out.request_id, openai, request.target))
        return
    if ctx.required_key is not None and not _authorized(request, ctx.required_key):
        await _error(out, 401, "invalid x-api-key", openai)
        return

    method = request.method
    if path == "/v1/messages" and method == "POST":
        await _messages(request, out, ctx)
    elif path == "/v1/messages/count_tokens" and method == "POST":
        await _count_tokens(request, out)
    elif path in ("/v1/chat/completions", "/chat/completions") and method == "POST":
        await _chat_completions(request, out, ctx)
    elif path in ("/v1/models", "/models") and method == "GET":
        await _json(out, _model_list(request.query))
    elif path.startswith(("/v1/models/", "/models/")) and method == "GET":
        await _model(out, path.rsplit("/", 1)[1])
    elif method == "GET" and (page := billing_page(path, ctx.billing)) is not None:
        await _json(out, page)
    elif path in _KNOWN_PATHS:
        await _error(out, 405, f"Method {method} is not allowed on {path}", openai)
    else:
        await _error(
            out,
            404,
            f"Unknown path {request.path}: the demo relay serves POST /v1/messages, "
            "POST /v1/messages/count_tokens, POST /v1/chat/completions and GET /v1/models",
            openai,
        )


_KNOWN_PATHS = frozenset(
    {
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/v1/chat/completions",
        "/chat/completions",
        "/v1/models",
        "/models",
    }
)


def _authorized(request: HttpRequest, key: str) -> bool:
    headers = request.headers
    return headers.get("x-api-key") == key or headers.get("authorization") == f"Bearer {key}"


async def _messages(request: HttpRequest, out: ResponseWriter, ctx: RouteContext) -> None:
    body = await _json_body(request, out, openai=False)
    if body is None:
        return
    plan = _plan(body, ctx.queued_fault)
    problem = anthropic_replies.request_problem(body, plan)
    if problem:
        await _error(out, 400, problem, openai=False)
        return
    if plan.error is not None:
        await _send(out, fault_response(plan.error, out.request_id, False, request.target))
        return
    stop = body.get("stop_sequences")
    thinking = thinking_requested(body)
    if body.get("stream") and server_tool_replies.asks_web_search(body):
        steps = server_tool_replies.web_search_stream(
            body, model=str(body["model"]), input_tokens=estimate_input_tokens(body)
        )
        await _play(out, steps)
        return
    if (turn := tool_requests.tool_turn(body, openai=False)) is not None:
        if turn.calls and body.get("stream"):
            steps = tool_requests.anthropic_tool_stream(
                turn,
                model=str(body["model"]),
                input_tokens=estimate_input_tokens(body),
                cut=plan.cut,
                thinking=thinking,
            )
            await _play(out, steps)
            return
        plan = plan_from_faults([])  # the results' answer: no faults from the earlier prompt
        reply = tool_requests.answer_reply(turn)
    else:
        reply = compose_reply(
            read_conversation(body["messages"]),
            plan,
            thinking=thinking,
            max_tokens=body["max_tokens"],
            stop_sequences=[s for s in stop if isinstance(s, str)]
            if isinstance(stop, list)
            else [],
        )
    model = str(body["model"])
    input_tokens = estimate_input_tokens(body)
    cache = ctx.cache_usage(body, input_tokens)
    if body.get("stream"):
        pacer = DeltaPacer(plan, ctx.chunk_delay, len(reply.text_deltas))
        steps = anthropic_replies.message_stream(
            reply,
            model=model,
            input_tokens=input_tokens,
            plan=plan,
            pacer=pacer,
            thinking=thinking,
            cache=cache,
        )
        await _play(out, steps)
        return
    message = anthropic_replies.message_json(
        reply, model=model, input_tokens=input_tokens, cache=cache
    )
    await _whole_reply(out, plan, message, openai=False)


async def _chat_completions(request: HttpRequest, out: ResponseWriter, ctx: RouteContext) -> None:
    body = await _json_body(request, out, openai=True)
    if body is None:
        return
    problem = openai_replies.request_problem(body)
    if problem:
        await _error(out, 400, problem, openai=True)
        return
    plan = _plan(body, ctx.queued_fault)
    view = read_conversation(body["messages"])
    if plan.no_prefill and view.prefill is not None:
        await _error(out, 400, anthropic_replies.PREFILL_UNSUPPORTED, openai=True)
        return
    if plan.error is not None:
        await _send(out, fault_response(plan.error, out.request_id, True, request.target))
        return
    if (turn := tool_requests.tool_turn(body, openai=True)) is not None:
        if turn.calls and body.get("stream"):
            options = body.get("stream_options")
            steps = tool_requests.openai_tool_stream(
                turn,
                model=str(body["model"]),
                prompt_tokens=estimate_input_tokens(body),
                include_usage=isinstance(options, Mapping) and options.get("include_usage") is True,
                cut=plan.cut,
            )
            await _play(out, steps)
            return
        plan = plan_from_faults([])
        reply = tool_requests.answer_reply(turn)
    else:
        reply = compose_reply(
            view,
            plan,
            thinking=True,
            max_tokens=openai_replies.max_tokens_of(body),
            stop_sequences=openai_replies.stop_sequences_of(body),
        )
    model = str(body["model"])
    prompt_tokens = estimate_input_tokens(body)
    cache = ctx.cache_usage(body, prompt_tokens)
    if body.get("stream"):
        options = body.get("stream_options")
        include_usage = isinstance(options, Mapping) and options.get("include_usage") is True
        pacer = DeltaPacer(plan, ctx.chunk_delay, len(reply.text_deltas))
        steps = openai_replies.completion_stream(
            reply,
            model=model,
            prompt_tokens=prompt_tokens,
            plan=plan,
            pacer=pacer,
            include_usage=include_usage,
            cache=cache,
        )
        await _play(out, steps)
        return
    completion = openai_replies.completion_json(
        reply, model=model, prompt_tokens=prompt_tokens, plan=plan, cache=cache
    )
    await _whole_reply(out, plan, completion, openai=True)


async def _count_tokens(request: HttpRequest, out: ResponseWriter) -> None:
    body = await _json_body(request, out, openai=False)
    if body is None:
        return
    if not isinstance(body.get("messages"), list):
        await _error(out, 400, "messages: Field required", openai=False)
        return
    await _json(out, {"input_tokens": estimate_input_tokens(body)})


def _plan(body: Mapping[str, Any], queued: Fault | None) -> ReplyPlan:
    """Combine the queued fault with keywords from the last user message.

    When the request resumes an earlier reply (it ends with an assistant prefill), keywords
    that break the response are ignored, so that resuming a ``[demo:cut]`` reply succeeds.
    """
    faults = [queued] if queued is not None else []
    messages = body.get("messages")
    if isinstance(messages, list):
        view = read_conversation(messages)
        keywords = parse_keywords(view.prompt)
        if view.prefill is not None:
            keywords = [f for f in keywords if f.kind not in DISRUPTIVE_KINDS]
        faults.extend(keywords)
    return plan_from_faults(faults)


async def _whole_reply(
    out: ResponseWriter, plan: ReplyPlan, payload: Mapping[str, Any], openai: bool
) -> None:
    """Send a non-streaming reply, applying the faults that make sense without a stream."""
    if plan.error_event:
        await _error(out, 529, "Overloaded", openai)
        return
    if plan.stall_seconds:
        await asyncio.sleep(plan.stall_seconds)
    raw = json.dumps(payload, ensure_ascii=False).encode()
    if plan.cut:
        await out.send_truncated(200, raw, "application/json", keep=len(raw) // 2)
        return
    await out.send(200, raw, "application/json")


async def _play(out: ResponseWriter, steps: Iterable[Step]) -> None:
    """Stream ``steps`` as a chunked ``text/event-stream`` body."""
    await out.begin_stream(200, "text/event-stream; charset=utf-8", {"cache-control": "no-cache"})
    for step in steps:
        if isinstance(step, bytes):
            out.buffer(step)
            if out.pending_bytes >= FLUSH_BYTES:
                await out.flush()
        elif isinstance(step, Pause):
            await out.flush()
            if step.seconds > 0:
                await asyncio.sleep(step.seconds)
        elif isinstance(step, Abort):
            await out.abort()
            return
    await out.end_stream()


def _model_entry(model_id: str, name: str) -> dict[str, Any]:
    # Both dialects' fields, as relays that serve both clients do.
    return {
        "type": "model",
        "id": model_id,
        "display_name": name,
        "created_at": "2026-01-01T00:00:00Z",
        "max_input_tokens": 200_000,
        "max_tokens": 64_000,
        "object": "model",
        "created": 1_767_225_600,
        "owned_by": "claude-tui-demo",
    }


def _model_list(query: Mapping[str, str]) -> dict[str, Any]:
    entries = [_model_entry(model_id, name) for model_id, name in DEMO_MODELS]
    ids = [e["id"] for e in entries]
    if query.get("after_id") in ids:
        entries = entries[ids.index(query["after_id"]) + 1 :]
    elif query.get("before_id") in ids:
        entries = entries[: ids.index(query["before_id"])]
    try:
        limit = max(1, int(query.get("limit", "20")))
    except ValueError:
        limit = 20
    page = entries[:limit]
    return {
        "object": "list",
        "data": page,
        "has_more": len(entries) > limit,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
    }


async def _model(out: ResponseWriter, model_id: str) -> None:
    for known_id, name in DEMO_MODELS:
        if known_id == model_id:
            await _json(out, _model_entry(known_id, name))
            return
    await _error(out, 404, f"model: {model_id}", openai=False)


async def _json_body(
    request: HttpRequest, out: ResponseWriter, openai: bool
) -> dict[str, Any] | None:
    """The request's JSON object, or ``None`` after answering 400."""
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        await _error(out, 400, f"Request body is not valid JSON: {exc}", openai)
        return None
    if not isinstance(body, dict):
        await _error(out, 400, "Request body must be a JSON object", openai)
        return None
    return body


async def _json(out: ResponseWriter, payload: Mapping[str, Any]) -> None:
    await out.send(200, json.dumps(payload, ensure_ascii=False).encode(), "application/json")


async def _error(out: ResponseWriter, status: int, message: str, openai: bool) -> None:
    await _send(out, error_response(status, message, out.request_id, openai))


async def _send(out: ResponseWriter, response: ErrorResponse) -> None:
    await out.send(response.status, response.body, response.content_type, response.headers)
