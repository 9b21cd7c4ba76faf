"""What the demo relay reads from a request body, in either wire dialect.

Both dialects carry ``messages`` whose ``content`` is a string or a list of parts with
``{"type": "text", "text": ...}``, so one reader serves both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConversationView:
    """The parts of a conversation that decide what the demo answers."""

    prompt: str
    """Text of the last user message (keywords included)."""
    prefill: str | None
    """Text of a trailing assistant message, when the request ends with one."""
    earlier_reply: str | None
    """Assistant text just before the last user message, for "please continue" turns."""
    earlier_prompt: str | None
    """The user text that ``earlier_reply`` answered."""


def content_text(content: Any) -> str:
    """The plain text of a message ``content``: a string, or the text parts of a list."""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        return "".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, Mapping) and part.get("type") == "text"
        )
    return ""


def read_conversation(messages: Sequence[Any]) -> ConversationView:
    """Summarise ``messages`` (already checked to be a list) for the reply composer."""
    turns = [
        (str(m.get("role")), content_text(m.get("content")))
        for m in messages
        if isinstance(m, Mapping) and m.get("role") in ("user", "assistant")
    ]
    prefill = None
    if turns and turns[-1][0] == "assistant":
        prefill = turns.pop()[1]
    user_indexes = [i for i, (role, _) in enumerate(turns) if role == "user"]
    if not user_indexes:
        return ConversationView("", prefill, None, None)
    last = user_indexes[-1]
    earlier_reply = earlier_prompt = None
    if last >= 2 and turns[last - 1][0] == "assistant" and turns[last - 2][0] == "user":
        earlier_reply, earlier_prompt = turns[last - 1][1], turns[last - 2][1]
    return ConversationView(turns[last][1], prefill, earlier_reply, earlier_prompt)


# Keys whose values are structure rather than content, so a one-word prompt costs one token.
_STRUCTURAL_KEYS = frozenset({"role", "type", "cache_control"})


def estimate_input_tokens(body: Mapping[str, Any]) -> int:
    """Input tokens: the characters of the content strings in system, messages and tools, / 4.

    The same estimate backs ``count_tokens`` and ``message_start`` so a client can check that
    the two agree.
    """
    chars = sum(string_chars(body.get(key)) for key in ("system", "messages", "tools"))
    return max(1, chars // 4)


def string_chars(value: Any) -> int:
    """Characters of the content strings in ``value`` (structure such as roles, block types
    and cache marks left out): the unit of the relay's token estimate."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(string_chars(v) for k, v in value.items() if k not in _STRUCTURAL_KEYS)
    if isinstance(value, list):
        return sum(string_chars(v) for v in value)
    return 0


def thinking_requested(body: Mapping[str, Any]) -> bool:
    """Whether an Anthropic request turns extended thinking on (``enabled`` or ``adaptive``)."""
    thinking = body.get("thinking")
    return isinstance(thinking, Mapping) and thinking.get("type") in ("enabled", "adaptive")
