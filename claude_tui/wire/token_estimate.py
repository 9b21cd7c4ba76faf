"""A quick token estimate for when the endpoint cannot count: about 4 characters a token.

Used for the context meter before the first reply, for trimming, and for the thinking
viewer's "~1.8k tokens". Exact counts come from usage or ``count_tokens`` when available.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

CHARS_PER_TOKEN = 4.0
MESSAGE_OVERHEAD_TOKENS = 4


def estimate_text_tokens(text: str) -> int:
    """Tokens in a piece of text, rounded up."""
    if not text:
        return 0
    return int(len(text) / CHARS_PER_TOKEN + 0.999)


def estimate_block_tokens(block: dict[str, Any]) -> int:
    """Tokens one content block costs when sent back."""
    kind = block.get("type")
    if kind == "attachment":
        # Never the bytes: the block says what it costs (see claude_tui.attachments).
        tokens = block.get("tokens")
        return tokens if isinstance(tokens, int) and tokens > 0 else 0
    if kind == "text":
        return estimate_text_tokens(str(block.get("text", "")))
    if kind == "thinking":
        return estimate_text_tokens(str(block.get("thinking", "")))
    if kind == "redacted_thinking":
        return estimate_text_tokens(str(block.get("data", ""))) // 4
    return estimate_text_tokens(json.dumps(block, ensure_ascii=False))


def estimate_message_tokens(message: dict[str, Any]) -> int:
    """Tokens for one ``{"role", "content"}`` API message."""
    content = message.get("content", "")
    if isinstance(content, str):
        return MESSAGE_OVERHEAD_TOKENS + estimate_text_tokens(content)
    return MESSAGE_OVERHEAD_TOKENS + sum(
        estimate_block_tokens(b) for b in content if isinstance(b, dict)
    )


def estimate_request_tokens(
    messages: Iterable[dict[str, Any]], system: str | list[dict[str, Any]] | None = None
) -> int:
    """Input tokens of a whole request. ``system`` as the body carries it: a string, or
    text blocks (the form a cache breakpoint needs)."""
    if isinstance(system, list):
        total = sum(estimate_block_tokens(b) for b in system if isinstance(b, dict))
    else:
        total = estimate_text_tokens(system or "")
    return total + sum(estimate_message_tokens(m) for m in messages)


def estimate_first_request_tokens(system: str | None, placeholder: str = "\u2026") -> int:
    """Input tokens of a conversation's first request before anything is typed: the system
    prompt and a one-character prompt (``placeholder``). The status bar shows this on launch,
    before the context meter (and the request builders it asks) have loaded."""
    text = {"type": "text", "text": placeholder}
    return estimate_text_tokens(system or "") + estimate_message_tokens(
        {"role": "user", "content": [text]}
    )
