"""Builds the JSON body of a Chat Completions request from a :class:`ChatRequest`."""

from __future__ import annotations

from typing import Any

from claude_tui.profiles.profile_values import OpenAIThinkingDialect
from claude_tui.wire.attachment_blocks import expand_openai_turns
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.context_trim import sent_history
from claude_tui.wire.prompt_cache import add_openai_breakpoints
from claude_tui.wire.thinking_dialects import reasoning_fields
from claude_tui.wire.tool_specs import openai_tools


def openai_body(
    request: ChatRequest, thinking_dialect: OpenAIThinkingDialect = "reasoning_effort"
) -> dict[str, Any]:
    """The streaming request body with usage reporting turned on.

    Thinking goes in the fields ``thinking_dialect`` names; temperature is left out only
    when thinking is actually sent (a model that is not asked to think takes it).
    """
    system = [{"role": "system", "content": request.system}] if request.system else []
    turns = sent_history(request, "openai").turns  # the view shows the same cut
    # Attachments are read and encoded only now (a PDF is refused here, before sending).
    turns = expand_openai_turns(turns, request.attachments)
    if request.prefill:
        turns.append({"role": "assistant", "content": request.prefill.rstrip()})
    body: dict[str, Any] = {
        "model": request.model,
        "messages": system + turns,
        "max_tokens": request.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if request.tools:
        body["tools"] = openai_tools(request.tools)
    thinking = reasoning_fields(request, thinking_dialect)
    if request.temperature is not None and not thinking:
        body["temperature"] = request.temperature
    body.update(thinking)
    body.update(request.extra_body)
    return add_openai_breakpoints(body, request.cache)  # last: marks the parts sent
