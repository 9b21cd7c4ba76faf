"""Prompt-cache breakpoints on request bodies (wire/prompt_cache.py, called last by both
request builders): where they go, the TTL, the limit of four, and the blocks skipped."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.wire.anthropic_request import anthropic_body, count_tokens_body
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.openai_request import openai_body
from claude_tui.wire.prompt_cache import (
    MAX_BREAKPOINTS,
    add_anthropic_breakpoints,
    count_breakpoints,
)

MODEL = "claude-sonnet-4-5"
EPHEMERAL = {"type": "ephemeral"}


def turns(count: int) -> list[ChatMessage]:
    """``count`` exchanges then a new prompt: user, assistant, ..., user."""
    history: list[ChatMessage] = []
    for n in range(count):
        history.append(ChatMessage.user(f"question {n}"))
        history.append(
            ChatMessage(
                role="assistant",
                content=[
                    {"type": "thinking", "thinking": "hmm", "signature": "SIG"},
                    {"type": "text", "text": f"answer {n}"},
                ],
                model=MODEL,
            )
        )
    history.append(ChatMessage.user("newest question"))
    return history


def request(history: list[ChatMessage] | None = None, **kwargs: Any) -> ChatRequest:
    return ChatRequest(history=history or turns(2), model=MODEL, **kwargs)


def marks(blocks: Any) -> list[Any]:
    return [b.get("cache_control") for b in blocks if isinstance(b, dict)]


def test_auto_marks_the_system_prompt_and_the_newest_user_turns() -> None:
    body = anthropic_body(request(system="Be kind.", cache="auto"))
    assert body["system"] == [{"type": "text", "text": "Be kind.", "cache_control": EPHEMERAL}]
    user_marks = [marks(m["content"]) for m in body["messages"] if m["role"] == "user"]
    # newest turn: writes the prefix the next request reads; the one before: where the
    # previous request's prefix ended, so it is read back; the oldest gets the fourth
    assert user_marks == [[EPHEMERAL], [EPHEMERAL], [EPHEMERAL]]
    assert count_breakpoints(body) == MAX_BREAKPOINTS
    for message in body["messages"]:
        if message["role"] == "assistant":
            assert marks(message["content"]) == [None, None]


def test_never_more_than_four_and_the_newest_win() -> None:
    body = anthropic_body(request(turns(6), system="S", cache="auto"))
    assert count_breakpoints(body) == MAX_BREAKPOINTS
    marked = [i for i, m in enumerate(body["messages"]) if any(marks(m["content"]))]
    last = len(body["messages"]) - 1
    assert marked == [last - 4, last - 2, last]
    assert body["system"][0]["cache_control"] == EPHEMERAL


def test_without_a_system_prompt_the_four_go_to_user_turns() -> None:
    body = anthropic_body(request(turns(6), cache="auto"))
    assert "system" not in body
    assert count_breakpoints(body) == MAX_BREAKPOINTS


def test_one_hour_sets_the_ttl() -> None:
    body = anthropic_body(request(system="S", cache="1h"))
    one_hour = {"type": "ephemeral", "ttl": "1h"}
    assert body["system"][0]["cache_control"] == one_hour
    assert body["messages"][-1]["content"][-1]["cache_control"] == one_hour


def test_off_sends_no_breakpoints_and_the_system_as_a_string() -> None:
    body = anthropic_body(request(system="S", cache="off"))
    assert body["system"] == "S"
    assert count_breakpoints(body) == 0


def test_breakpoints_already_in_extra_body_count_against_the_four() -> None:
    system = [
        {"type": "text", "text": "a", "cache_control": EPHEMERAL},
        {"type": "text", "text": "b", "cache_control": EPHEMERAL},
    ]
    tools = [{"name": "t", "input_schema": {}, "cache_control": EPHEMERAL}]
    body = anthropic_body(
        request(turns(3), cache="auto", extra_body={"system": system, "tools": tools})
    )
    assert count_breakpoints(body) == MAX_BREAKPOINTS
    assert body["messages"][-1]["content"][-1]["cache_control"] == EPHEMERAL
    assert body["system"] == system  # already marked: not marked again


def test_thinking_and_empty_text_are_passed_over_for_the_block_before() -> None:
    body: dict[str, Any] = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "look"},
                    {"type": "image", "source": {"type": "base64", "data": "AA"}},
                    {"type": "text", "text": "  "},
                ],
            },
            {
                "role": "assistant",
                "content": [{"type": "thinking", "thinking": "x", "signature": "S"}],
            },
            {"role": "user", "content": [{"type": "redacted_thinking", "data": "x"}]},
        ]
    }
    add_anthropic_breakpoints(body, "auto")
    first, thinking, unmarkable = (m["content"] for m in body["messages"])
    assert marks(first) == [None, EPHEMERAL, None]  # the image carries it
    assert marks(thinking) == [None]
    assert marks(unmarkable) == [None]


def test_string_content_becomes_a_block_that_carries_the_mark() -> None:
    body: dict[str, Any] = {"messages": [{"role": "user", "content": "hi"}], "system": "S"}
    add_anthropic_breakpoints(body, "auto")
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "hi", "cache_control": EPHEMERAL}
    ]


def test_marking_the_body_leaves_the_saved_history_untouched() -> None:
    history = turns(2)
    saved = copy.deepcopy([m.to_json() for m in history])
    anthropic_body(request(history, system="S", cache="auto"))
    assert [m.to_json() for m in history] == saved


def test_prefill_is_not_marked_but_the_prompt_before_it_is() -> None:
    body = anthropic_body(request(turns(1), cache="auto", prefill="Partial"))
    prefill = body["messages"][-1]
    assert prefill["role"] == "assistant"
    assert marks(prefill["content"]) == [None]
    assert body["messages"][-2]["content"][-1]["cache_control"] == EPHEMERAL


def test_count_tokens_carries_the_same_marks() -> None:
    # count_tokens accepts cache_control; the count is of the request that will be sent
    body = count_tokens_body(request(system="S", cache="auto"))
    assert count_breakpoints(body) == MAX_BREAKPOINTS


def test_openai_body_marks_text_parts_for_claude_models() -> None:
    body = openai_body(request(system="Be kind.", cache="auto"))
    system, *rest = body["messages"]
    assert system == {
        "role": "system",
        "content": [{"type": "text", "text": "Be kind.", "cache_control": EPHEMERAL}],
    }
    assert rest[-1]["content"] == [
        {"type": "text", "text": "newest question", "cache_control": EPHEMERAL}
    ]
    assert all(isinstance(m["content"], str) for m in rest if m["role"] == "assistant")
    assert count_breakpoints(body) == MAX_BREAKPOINTS


@pytest.mark.parametrize("model", ["gpt-5", "deepseek-chat", "openai/gpt-4.1"])
def test_openai_body_sends_nothing_for_models_that_cache_by_themselves(model: str) -> None:
    body = openai_body(ChatRequest(history=turns(2), model=model, system="S", cache="auto"))
    assert count_breakpoints(body) == 0
    assert body["messages"][0] == {"role": "system", "content": "S"}


def test_openai_body_off_sends_nothing() -> None:
    body = openai_body(request(system="S", cache="off"))
    assert count_breakpoints(body) == 0
