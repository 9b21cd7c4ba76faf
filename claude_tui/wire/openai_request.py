"""Builds the JSON body of a Chat Completions request from a :class:`ChatRequest`."""

from __future__ import annotations

from typing import Any

from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.context_trim import sent_history


def openai_body(request: ChatRequest) -> dict[str, Any]:
    """The streaming request body with usage reporting turned on."""
    system = [{"role": "system", "content": request.system}] if request.system else []
    turns = sent_history(request, "openai").turns  # the view shows the same cut
    if request.prefill:
        turns.append({"role": "assistant", "content": request.prefill.rstrip()})
    body: dict[str, Any] = {
        "model": request.model,
        "messages": system + turns,
        "max_tokens": request.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if request.temperature is not None and not request.thinking_enabled:
        body["temperature"] = request.temperature
    if request.thinking_enabled and request.effort:
        body["reasoning_effort"] = request.effort
    body.update(request.extra_body)
    return body
