"""Chooses which turns are sent so a request fits ``max_messages`` and ``context_window``.

Trimming changes only what is sent: the session keeps everything. The kept history always
starts with a user message so the API accepts it.
"""

from __future__ import annotations

from typing import Any

from claude_tui.wire.token_estimate import estimate_message_tokens, estimate_text_tokens


def trim_history(
    messages: list[dict[str, Any]],
    *,
    max_messages: int = 0,
    context_window: int = 0,
    reserve_tokens: int = 0,
    system: str | None = None,
) -> list[dict[str, Any]]:
    """Newest messages that fit; the last message is always kept.

    ``reserve_tokens`` is room left for the reply (``max_tokens``). ``0`` disables a limit.
    """
    if not messages:
        return []
    kept = messages[-max_messages:] if max_messages > 0 else list(messages)
    if context_window > 0:
        budget = context_window - reserve_tokens - estimate_text_tokens(system or "")
        total = 0
        start = len(kept)
        for position in range(len(kept) - 1, -1, -1):
            cost = estimate_message_tokens(kept[position])
            if total + cost > budget and position < len(kept) - 1:
                break
            total += cost
            start = position
        kept = kept[start:]
    while len(kept) > 1 and kept[0].get("role") != "user":
        kept = kept[1:]
    return kept
