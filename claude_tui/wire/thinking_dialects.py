"""How a Chat Completions request asks for thinking, in the dialect its relay understands.

Chat Completions has no one way to ask for thinking. Relays that serve Claude over it accept
OpenAI's ``reasoning_effort``, OpenRouter's ``reasoning`` object, or Anthropic's own
``thinking`` object passed through; the profile's ``thinking_dialect`` says which. Each
dialect carries what it can of the session's thinking and effort; thinking off sends nothing
in every dialect.
"""

from __future__ import annotations

from typing import Any

from claude_tui.profiles.profile_values import OpenAIThinkingDialect
from claude_tui.wire.chat_request import ChatRequest

LOW_BUDGET_BELOW = 4096
"""A thinking budget under this many tokens asks for ``low`` effort."""
MEDIUM_BUDGET_BELOW = 16384
"""A budget under this (and not low) asks for ``medium``; anything larger is ``high``."""

_NEAREST_EFFORT: dict[str, str] = {
    "low": "low",
    "medium": "medium",
    "high": "high",
    "xhigh": "high",
    "max": "high",
}
"""Anthropic's effort levels as the nearest of the three both effort dialects accept."""


def budget_effort(budget: int) -> str:
    """The effort level that best matches a thinking budget, for dialects with no budget."""
    if budget < LOW_BUDGET_BELOW:
        return "low"
    if budget < MEDIUM_BUDGET_BELOW:
        return "medium"
    return "high"


def reasoning_fields(request: ChatRequest, dialect: OpenAIThinkingDialect) -> dict[str, Any]:
    """The body fields asking for ``request``'s thinking in ``dialect`` (empty when none)."""
    thinking = request.thinking
    budget = thinking if isinstance(thinking, int) and thinking > 0 else None
    if dialect == "none" or (budget is None and thinking != "adaptive"):
        return {}
    # A budget must leave room for the answer, as the Messages API requires.
    capped = None if budget is None else min(budget, request.max_tokens - 1)
    effort = _NEAREST_EFFORT.get(request.effort, "medium") if request.effort else "medium"
    if dialect == "reasoning_effort":
        return {"reasoning_effort": effort if capped is None else budget_effort(capped)}
    if dialect == "openrouter":
        if capped is None:
            return {"reasoning": {"effort": effort}}
        return {"reasoning": {"max_tokens": capped}}
    # "anthropic": the Messages API's own fields, for relays that pass them through.
    if capped is not None:
        return {"thinking": {"type": "enabled", "budget_tokens": capped}}
    fields: dict[str, Any] = {"thinking": {"type": "adaptive"}}
    if request.effort:
        fields["output_config"] = {"effort": request.effort}
    return fields
