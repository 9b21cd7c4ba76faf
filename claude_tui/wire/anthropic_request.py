"""Builds the JSON body of a Messages API request from a :class:`ChatRequest`."""

from __future__ import annotations

from typing import Any

from claude_tui.wire.attachment_blocks import expand_anthropic_turns
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.context_trim import sent_history
from claude_tui.wire.prompt_cache import add_anthropic_breakpoints
from claude_tui.wire.server_tools import server_tool_definitions
from claude_tui.wire.tool_specs import anthropic_tools

ANTHROPIC_VERSION = "2023-06-01"


def anthropic_body(request: ChatRequest, *, stream: bool = True) -> dict[str, Any]:
    """The request body; thinking and temperature follow the API's rules."""
    messages = sent_history(request, "anthropic").turns  # the view shows the same cut
    # Attachments are read and encoded only now, for what is actually sent.
    messages = expand_anthropic_turns(messages, request.attachments)
    if request.prefill:
        # The API refuses a final assistant turn that ends in white space.
        messages.append(
            {"role": "assistant", "content": [{"type": "text", "text": request.prefill.rstrip()}]}
        )
    body: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": messages,
    }
    if stream:
        body["stream"] = True
    if request.system:
        body["system"] = request.system
    if request.tools or request.server_tools:
        body["tools"] = [
            *anthropic_tools(request.tools),
            *server_tool_definitions(request.server_tools),
        ]
    thinking = request.thinking
    if thinking == "adaptive":
        body["thinking"] = {"type": "adaptive"}
        if request.effort:
            body["output_config"] = {"effort": request.effort}
    elif isinstance(thinking, int) and thinking > 0:
        budget = min(thinking, request.max_tokens - 1)
        body["thinking"] = {"type": "enabled", "budget_tokens": budget}
    elif request.temperature is not None:
        body["temperature"] = request.temperature  # never with thinking: many models 400
    body.update(request.extra_body)
    return add_anthropic_breakpoints(body, request.cache)  # last: marks the blocks sent


def count_tokens_body(request: ChatRequest) -> dict[str, Any]:
    """Body for ``/v1/messages/count_tokens``: the same request without generation fields."""
    body = anthropic_body(request, stream=False)
    for key in ("max_tokens", "temperature", "stream"):
        body.pop(key, None)
    return body
