"""history_shaping: saved conversations turned into message lists the APIs accept."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.wire.history_shaping import anthropic_messages, openai_messages

MODEL = "claude-sonnet-4-5"
OTHER = "claude-opus-4-1"


def user(text: str) -> ChatMessage:
    return ChatMessage.user(text)


def reply(
    *blocks: dict[str, Any],
    model: str = MODEL,
    status: MessageStatus = MessageStatus.COMPLETE,
) -> ChatMessage:
    return ChatMessage(role="assistant", content=list(blocks), model=model, status=status)


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def thinking(value: str, signature: str | None = "sig") -> dict[str, Any]:
    block: dict[str, Any] = {"type": "thinking", "thinking": value}
    if signature is not None:
        block["signature"] = signature
    return block


REDACTED = {"type": "redacted_thinking", "data": "opaque"}


def roles(messages: list[dict[str, Any]]) -> list[str]:
    return [m["role"] for m in messages]


def test_simple_conversation() -> None:
    history = [user("hi"), reply(text("hello")), user("how are you?")]
    assert anthropic_messages(history, MODEL) == [
        {"role": "user", "content": [text("hi")]},
        {"role": "assistant", "content": [text("hello")]},
        {"role": "user", "content": [text("how are you?")]},
    ]


def test_thinking_kept_with_signature_for_the_same_model() -> None:
    history = [user("q"), reply(thinking("deep", "SIG1"), REDACTED, text("a")), user("q2")]
    shaped = anthropic_messages(history, MODEL)
    assert shaped[1]["content"] == [
        {"type": "thinking", "thinking": "deep", "signature": "SIG1"},
        {"type": "redacted_thinking", "data": "opaque"},
        text("a"),
    ]


def test_thinking_stripped_for_another_model() -> None:
    history = [user("q"), reply(thinking("deep"), REDACTED, text("a"), model=OTHER), user("q2")]
    shaped = anthropic_messages(history, MODEL)
    assert shaped[1]["content"] == [text("a")]


def test_unsigned_thinking_is_stripped() -> None:
    history = [
        user("q"),
        reply(thinking("no sig", None), thinking("empty sig", ""), text("a")),
        user("q2"),
    ]
    assert anthropic_messages(history, MODEL)[1]["content"] == [text("a")]


def test_thinking_only_reply_from_another_model_disappears_and_users_merge() -> None:
    history = [user("q"), reply(thinking("t"), model=OTHER), user("q2")]
    assert anthropic_messages(history, MODEL) == [
        {"role": "user", "content": [text("q"), text("q2")]}
    ]


def test_extra_block_fields_are_not_sent() -> None:
    block = {"type": "thinking", "thinking": "t", "signature": "s", "ui_collapsed": True}
    history = [user("q"), reply(block, {**text("a"), "citations": None, "note": 1}), user("q2")]
    assert anthropic_messages(history, MODEL)[1]["content"] == [
        {"type": "thinking", "thinking": "t", "signature": "s"},
        text("a"),
    ]


def test_error_turns_skipped_and_same_role_turns_merged() -> None:
    history = [
        user("first"),
        reply(status=MessageStatus.ERROR),
        user("second"),
        reply(text("ok")),
        user("third"),
    ]
    assert anthropic_messages(history, MODEL) == [
        {"role": "user", "content": [text("first"), text("second")]},
        {"role": "assistant", "content": [text("ok")]},
        {"role": "user", "content": [text("third")]},
    ]


def test_error_turn_with_partial_text_is_still_skipped() -> None:
    history = [user("a"), reply(text("junk"), status=MessageStatus.ERROR), user("b")]
    shaped = anthropic_messages(history, MODEL)
    assert roles(shaped) == ["user"]
    assert "junk" not in str(shaped)


def test_interrupted_reply_keeps_only_its_text() -> None:
    history = [
        user("q"),
        reply(thinking("t"), text("partial"), status=MessageStatus.INTERRUPTED),
        user("go on"),
    ]
    assert anthropic_messages(history, MODEL)[1] == {
        "role": "assistant",
        "content": [text("partial")],
    }


def test_merged_assistant_turns_keep_thinking_only_at_the_start() -> None:
    history = [
        user("q"),
        reply(thinking("t1", "s1"), text("a1")),
        reply(thinking("t2", "s2"), REDACTED, text("a2")),
        user("q2"),
    ]
    shaped = anthropic_messages(history, MODEL)
    assert shaped[1] == {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "t1", "signature": "s1"},
            text("a1"),
            text("a2"),
        ],
    }


def test_blank_text_and_unsendable_blocks_dropped() -> None:
    history = [
        user("q"),
        reply(
            text(""),
            text("  \n"),
            {"type": "web_search_tool_result", "content": []},
            text("real"),
        ),
        user("q2"),
    ]
    assert anthropic_messages(history, MODEL)[1]["content"] == [text("real")]


def test_images_and_documents_pass_through() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "x"}}
    message = ChatMessage(role="user", content=[image, text("what is this?")])
    assert anthropic_messages([message], MODEL)[0]["content"] == [image, text("what is this?")]


def test_starts_with_user() -> None:
    history = [reply(text("greeting")), reply(text("more")), user("hi")]
    assert anthropic_messages(history, MODEL) == [{"role": "user", "content": [text("hi")]}]


def test_empty_history() -> None:
    assert anthropic_messages([], MODEL) == []
    assert anthropic_messages([reply(text("alone"))], MODEL) == []


def test_history_is_not_modified() -> None:
    history = [
        user("q"),
        reply(thinking("t", "s"), text("a")),
        reply(text("b")),
        user("c"),
        user("d"),
    ]
    before = copy.deepcopy([m.content for m in history])
    shaped = anthropic_messages(history, MODEL)
    shaped[0]["content"].append(text("mutated"))
    shaped[1]["content"][0]["thinking"] = "changed"
    assert [m.content for m in history] == before


def test_alternation_holds_for_messy_histories() -> None:
    history = [
        reply(text("a")),
        user("1"),
        user("2"),
        reply(status=MessageStatus.ERROR),
        reply(text("b"), status=MessageStatus.INTERRUPTED),
        reply(thinking("x", None)),
        user("3"),
        reply(text("c"), model=OTHER),
        user("4"),
    ]
    shaped = anthropic_messages(history, MODEL)
    assert shaped[0]["role"] == "user"
    assert all(a["role"] != b["role"] for a, b in itertools.pairwise(shaped))
    assert all(m["content"] for m in shaped)


# -- OpenAI -----------------------------------------------------------------------------------


def test_openai_text_only_with_system_first() -> None:
    history = [
        user("q"),
        reply(thinking("t"), text("a")),
        user("q2"),
    ]
    assert openai_messages(history, "Be brief.") == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a"},
        {"role": "user", "content": "q2"},
    ]


def test_openai_no_system_when_empty() -> None:
    assert openai_messages([user("q")], None) == [{"role": "user", "content": "q"}]
    assert openai_messages([user("q")], "") == [{"role": "user", "content": "q"}]


def test_openai_skips_errors_merges_and_starts_with_user() -> None:
    history = [
        reply(text("stray")),
        user("one"),
        reply(status=MessageStatus.ERROR),
        user("two"),
        reply(thinking("only thinking")),
        reply(text("x")),
        reply(text("y")),
        user("three"),
    ]
    assert openai_messages(history, "sys") == [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "one\n\ntwo"},
        {"role": "assistant", "content": "x\n\ny"},
        {"role": "user", "content": "three"},
    ]


def test_openai_joins_text_blocks_of_one_message() -> None:
    message = ChatMessage(role="user", content=[text("a"), text("b")])
    assert openai_messages([message], None) == [{"role": "user", "content": "ab"}]
