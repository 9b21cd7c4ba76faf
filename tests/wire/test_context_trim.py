"""context_trim and token_estimate: what is sent when a conversation outgrows its limits."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.wire.context_trim import trim_history
from claude_tui.wire.token_estimate import (
    MESSAGE_OVERHEAD_TOKENS,
    estimate_block_tokens,
    estimate_message_tokens,
    estimate_request_tokens,
    estimate_text_tokens,
)


def turn(role: str, text: str) -> dict[str, Any]:
    return {"role": role, "content": [{"type": "text", "text": text}]}


def conversation(pairs: int, size: int = 400) -> list[dict[str, Any]]:
    """user/assistant pairs, then a final user turn; each text ``size`` characters."""
    messages: list[dict[str, Any]] = []
    for n in range(pairs):
        messages.append(turn("user", f"u{n}".ljust(size, ".")))
        messages.append(turn("assistant", f"a{n}".ljust(size, ".")))
    messages.append(turn("user", "last".ljust(size, ".")))
    return messages


def first_text(message: dict[str, Any]) -> str:
    return str(message["content"][0]["text"])


def test_no_limits_keeps_everything() -> None:
    messages = conversation(5)
    trimmed = trim_history(messages)
    assert trimmed == messages
    assert trimmed is not messages  # a new list: callers may append a prefill


def test_empty() -> None:
    assert trim_history([], max_messages=3, context_window=100) == []


def test_max_messages_keeps_the_newest() -> None:
    messages = conversation(5)  # 11 messages
    trimmed = trim_history(messages, max_messages=3)
    assert trimmed == messages[-3:]
    assert first_text(trimmed[-1]).startswith("last")


def test_max_messages_then_starts_with_user() -> None:
    messages = conversation(5)
    trimmed = trim_history(messages, max_messages=4)  # would start with an assistant turn
    assert trimmed == messages[-3:]
    assert trimmed[0]["role"] == "user"


def test_context_window_keeps_the_newest_that_fit() -> None:
    messages = conversation(10, size=400)  # ~104 tokens a message
    per_message = estimate_message_tokens(messages[0])
    trimmed = trim_history(messages, context_window=per_message * 5 + 2)
    assert trimmed == messages[-5:]
    assert trimmed[0]["role"] == "user"
    total = sum(estimate_message_tokens(m) for m in trimmed)
    assert total <= per_message * 5 + 2


def test_context_window_drops_a_leading_assistant_turn() -> None:
    messages = conversation(10, size=400)
    per_message = estimate_message_tokens(messages[0])
    trimmed = trim_history(messages, context_window=per_message * 4 + 2)  # 4 fit
    assert trimmed == messages[-3:]
    assert trimmed[0]["role"] == "user"


def test_reserve_and_system_take_room() -> None:
    messages = conversation(10, size=400)
    per_message = estimate_message_tokens(messages[0])
    window = per_message * 5 + 2
    assert len(trim_history(messages, context_window=window)) == 5
    assert len(trim_history(messages, context_window=window, reserve_tokens=per_message)) == 3
    system = "s" * (per_message * 4)  # one message's worth of tokens
    assert len(trim_history(messages, context_window=window, system=system)) == 3


def test_last_message_kept_even_when_too_big() -> None:
    messages = [*conversation(2), turn("user", "x" * 100_000)]
    trimmed = trim_history(messages, context_window=1000, reserve_tokens=500)
    assert trimmed == messages[-1:]


def test_both_limits_apply() -> None:
    messages = conversation(10, size=400)
    per_message = estimate_message_tokens(messages[0])
    assert len(trim_history(messages, max_messages=3, context_window=per_message * 100)) == 3
    assert len(trim_history(messages, max_messages=9, context_window=per_message * 3 + 1)) == 3


@pytest.mark.parametrize("window", [1, 50, 200, 1_000, 5_000, 100_000])
@pytest.mark.parametrize("max_messages", [0, 1, 2, 5, 50])
def test_invariants(window: int, max_messages: int) -> None:
    messages = conversation(8, size=300)
    trimmed = trim_history(messages, max_messages=max_messages, context_window=window)
    assert trimmed  # never empty when there was something
    assert trimmed[-1] is messages[-1]
    assert trimmed[0]["role"] == "user"
    assert trimmed == messages[len(messages) - len(trimmed) :]  # a suffix: newest kept
    if max_messages:
        assert len(trimmed) <= max_messages


def test_string_content_is_counted() -> None:
    messages = [
        {"role": "user", "content": "a" * 4000},
        {"role": "assistant", "content": "b" * 4000},
        {"role": "user", "content": "c" * 40},
    ]
    assert trim_history(messages, context_window=1500) == messages[-1:]
    assert trim_history(messages, context_window=5000) == messages


# -- token_estimate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"), [("", 0), ("a", 1), ("abcd", 1), ("abcde", 2), ("x" * 400, 100)]
)
def test_text_tokens_round_up(text: str, tokens: int) -> None:
    assert estimate_text_tokens(text) == tokens


def test_block_tokens_by_kind() -> None:
    assert estimate_block_tokens({"type": "text", "text": "x" * 40}) == 10
    assert estimate_block_tokens({"type": "thinking", "thinking": "x" * 80, "signature": "s"}) == 20
    assert estimate_block_tokens({"type": "redacted_thinking", "data": "x" * 160}) == 10
    image = {"type": "image", "source": {"type": "base64", "data": "x" * 400}}
    assert estimate_block_tokens(image) > 100


def test_message_and_request_tokens() -> None:
    message = {"role": "user", "content": [{"type": "text", "text": "x" * 40}, "junk"]}
    assert estimate_message_tokens(message) == MESSAGE_OVERHEAD_TOKENS + 10
    assert estimate_message_tokens({"role": "user", "content": "y" * 8}) == (
        MESSAGE_OVERHEAD_TOKENS + 2
    )
    assert estimate_request_tokens([message, message], system="z" * 4) == 1 + 2 * (
        MESSAGE_OVERHEAD_TOKENS + 10
    )
    assert estimate_request_tokens([]) == 0
