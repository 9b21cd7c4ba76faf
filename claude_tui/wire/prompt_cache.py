"""Prompt-cache breakpoints: the last step of building a request body.

Claude caches a prompt prefix only up to a block marked ``cache_control``, at most four such
breakpoints a request. A conversation grows at the end, so the marks go on the system
prompt (the prefix every turn shares) and on the newest user turns: the request for turn N
writes the prefix ending with its prompt, and the request for turn N+1 reads it back, paying
a tenth of the input price for everything before the new prompt.

The marks are put on whatever the body ends up holding (history shaping, attachments and
``extra_body`` all come first), so they land on the blocks actually sent. Breakpoints already
in the body (from ``extra_body``) count against the four. Blocks the API refuses to mark
(thinking, redacted thinking, empty text) are passed over for the block before them.

On the Chat Completions format nothing is added unless the model is a Claude model behind
an OpenAI-compatible relay: OpenRouter, LiteLLM and Portkey carry ``cache_control`` on
content parts through to Claude, which caches nothing without them; OpenAI and most other
providers cache prefixes by themselves and report ``prompt_tokens_details.cached_tokens``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MAX_BREAKPOINTS = 4
"""The Messages API refuses a request with more ``cache_control`` marks than this."""

CACHE_MODES = ("auto", "1h", "off")

_MARKABLE_ANTHROPIC = frozenset(
    {"text", "image", "document", "tool_use", "tool_result", "search_result"}
)
"""Block types the Messages API accepts ``cache_control`` on (not thinking, not redacted)."""

_MARKABLE_OPENAI = frozenset({"text"})
"""Content parts OpenAI-compatible relays document ``cache_control`` on."""


def cache_control(mode: str) -> dict[str, str] | None:
    """The ``cache_control`` object for a profile's ``cache`` setting (None when off)."""
    if mode == "auto":
        return {"type": "ephemeral"}
    if mode == "1h":
        return {"type": "ephemeral", "ttl": "1h"}
    return None


def add_anthropic_breakpoints(body: dict[str, Any], mode: str) -> dict[str, Any]:
    """Mark ``body`` (a Messages API body) for caching as ``mode`` says; returns ``body``.

    Order of preference, within the four allowed: the newest user turn, the system prompt,
    then earlier user turns newest first (the turn before the newest is where the previous
    request's prefix ended, so it is read back even when the new turn holds many blocks).
    """
    control = cache_control(mode)
    if control is None:
        return body
    budget = MAX_BREAKPOINTS - count_breakpoints(body)
    messages = body.get("messages")
    users = _user_turns_newest_first(messages)
    order: list[str | int] = []
    if users:
        order.append(users[0])
    order.append("system")
    order.extend(users[1:])
    for target in order:
        if budget <= 0:
            break
        if target == "system":
            marked = _mark_system(body, control)
        else:
            assert isinstance(messages, list) and isinstance(target, int)
            marked = _mark_message(messages, target, control, _MARKABLE_ANTHROPIC)
        budget -= marked
    return body


def add_openai_breakpoints(body: dict[str, Any], mode: str) -> dict[str, Any]:
    """Mark a Chat Completions ``body`` the way relays in front of Claude accept: on text
    content parts of the system message and the newest user turns. Only for Claude models
    (see the module docstring); returns ``body``."""
    control = cache_control(mode)
    model = body.get("model")
    if control is None or not isinstance(model, str) or "claude" not in model.lower():
        return body
    messages = body.get("messages")
    if not isinstance(messages, list):
        return body
    budget = MAX_BREAKPOINTS - count_breakpoints(body)
    users = _user_turns_newest_first(messages)
    systems = [i for i, m in enumerate(messages) if _role(m) == "system"][-1:]
    order = users[:1] + systems + users[1:]
    for index in order:
        if budget <= 0:
            break
        budget -= _mark_message(messages, index, control, _MARKABLE_OPENAI)
    return body


def count_breakpoints(value: Any) -> int:
    """How many ``cache_control`` marks ``value`` (a body or part of one) already holds."""
    return sum(1 for _ in _marks(value))


def _marks(value: Any) -> Iterator[None]:
    if isinstance(value, dict):
        if value.get("cache_control") is not None:
            yield None
        for key, item in value.items():
            if key != "cache_control":
                yield from _marks(item)
    elif isinstance(value, list):
        for item in value:
            yield from _marks(item)


def _role(message: Any) -> Any:
    return message.get("role") if isinstance(message, dict) else None


def _user_turns_newest_first(messages: Any) -> list[int]:
    if not isinstance(messages, list):
        return []
    return [i for i in range(len(messages) - 1, -1, -1) if _role(messages[i]) == "user"]


def _mark_system(body: dict[str, Any], control: dict[str, str]) -> int:
    """Mark the system prompt; a string becomes one text block, which can carry the mark."""
    system = body.get("system")
    if isinstance(system, str):
        if not system.strip():
            return 0
        body["system"] = [{"type": "text", "text": system, "cache_control": dict(control)}]
        return 1
    if isinstance(system, list):
        blocks = list(system)
        marked = _mark_last_block(blocks, control, _MARKABLE_ANTHROPIC)
        body["system"] = blocks
        return marked
    return 0


def _mark_message(
    messages: list[Any], index: int, control: dict[str, str], markable: frozenset[str]
) -> int:
    """Mark the last markable block of ``messages[index]`` (a copy: history is untouched)."""
    message = messages[index]
    content = message.get("content")
    if isinstance(content, str):
        if not content.strip():
            return 0
        blocks: list[Any] = [{"type": "text", "text": content}]
    elif isinstance(content, list):
        blocks = list(content)
    else:
        return 0
    marked = _mark_last_block(blocks, control, markable)
    if marked:
        messages[index] = {**message, "content": blocks}
    return marked


def _mark_last_block(blocks: list[Any], control: dict[str, str], markable: frozenset[str]) -> int:
    """Put ``control`` on the last block that may carry it; 0 when one already does (its
    mark was counted) or none may."""
    for position in range(len(blocks) - 1, -1, -1):
        block = blocks[position]
        if not isinstance(block, dict):
            continue
        if block.get("cache_control") is not None:
            return 0
        if block.get("type") not in markable:
            continue
        if block.get("type") == "text" and not str(block.get("text", "")).strip():
            continue  # the API refuses cache_control on an empty text block
        blocks[position] = {**block, "cache_control": dict(control)}
        return 1
    return 0
