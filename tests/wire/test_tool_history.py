"""Tool rounds in the history are sent in pairs on both formats: a call with its result, an
unanswered call closed with an error result, a result without its call left out, and a
trimmed history never opening with results whose calls were cut."""

from __future__ import annotations

import json
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.context_trim import sent_history
from claude_tui.wire.history_shaping import anthropic_messages, openai_messages
from claude_tui.wire.tool_history import UNANSWERED_CALL

MODEL = "claude-sonnet-4-5"


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def user(*blocks: dict[str, Any]) -> ChatMessage:
    return ChatMessage(role="user", content=list(blocks))


def reply(*blocks: dict[str, Any], status: MessageStatus = MessageStatus.COMPLETE) -> ChatMessage:
    return ChatMessage(role="assistant", content=list(blocks), model=MODEL, status=status)


def call(call_id: str, name: str = "files__read", **tool_input: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": call_id, "name": name, "input": tool_input}


def result(call_id: str, content: str, *, error: bool = False) -> dict[str, Any]:
    block = {"type": "tool_result", "tool_use_id": call_id, "content": content}
    return {**block, "is_error": True} if error else block


def test_a_tool_round_is_sent_as_the_model_made_it() -> None:
    thought = {"type": "thinking", "thinking": "I should read it", "signature": "sig"}
    history = [
        user(text("what is in notes.txt?")),
        reply(thought, text("Let me look."), call("c1", path="notes.txt")),
        user(result("c1", "buy milk")),
        reply(text("It says: buy milk.")),
    ]
    turns = anthropic_messages(history, MODEL)
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]
    # Thinking goes back unchanged with the call, as the API requires across tool rounds.
    assert turns[1]["content"] == [thought, text("Let me look."), call("c1", path="notes.txt")]
    assert turns[2]["content"] == [result("c1", "buy milk")]


def test_an_unanswered_call_is_closed_with_an_error_result() -> None:
    history = [
        user(text("read it")),
        reply(call("c1", path="a"), call("c2", path="b")),
        user(result("c2", "b's text")),  # only one came back before the cut
        reply(text("...")),
        user(text("go on")),
    ]
    turns = anthropic_messages(history, MODEL)
    assert turns[2]["content"] == [
        result("c2", "b's text"),
        {"type": "tool_result", "tool_use_id": "c1", "content": UNANSWERED_CALL, "is_error": True},
    ]


def test_a_call_at_the_end_of_the_history_is_closed_too() -> None:
    history = [user(text("read it")), reply(call("c1"))]
    turns = anthropic_messages(history, MODEL)
    assert turns[-1] == {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": "c1",
                "content": UNANSWERED_CALL,
                "is_error": True,
            }
        ],
    }


def test_a_result_whose_call_was_not_sent_is_left_out() -> None:
    history = [
        user(text("read it")),
        reply(call("c1"), status=MessageStatus.ERROR),  # a failed reply is not sent
        user(result("c1", "text"), text("and now?")),
    ]
    turns = anthropic_messages(history, MODEL)
    assert turns == [{"role": "user", "content": [text("read it"), text("and now?")]}]


def test_trimming_never_starts_at_results_whose_call_was_cut() -> None:
    history = [
        user(text("x" * 4000)),
        reply(call("c1")),
        user(result("c1", "y" * 4000)),
        reply(text("done")),
        user(text("next question")),
    ]
    request = ChatRequest(history=history, model=MODEL, max_tokens=100, context_window=1500)
    sent = sent_history(request)
    assert sent.turns[0]["content"] == [text("next question")]
    assert sent.left_out == 4


def test_chat_completions_gets_tool_calls_and_tool_messages() -> None:
    history = [
        user(text("what is in notes.txt?")),
        reply(text("Let me look."), call("c1", path="notes.txt")),
        user(result("c1", "buy milk")),
        reply(text("It says: buy milk.")),
        user(text("thanks")),
    ]
    sources: list[int] = []
    messages = openai_messages(history, "be brief", sources=sources)
    assert messages == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "what is in notes.txt?"},
        {
            "role": "assistant",
            "content": "Let me look.",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "files__read", "arguments": '{"path": "notes.txt"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "buy milk"},
        {"role": "assistant", "content": "It says: buy milk."},
        {"role": "user", "content": "thanks"},
    ]
    assert sources == [0, 1, 2, 3, 4]
    assert json.loads(messages[2]["tool_calls"][0]["function"]["arguments"]) == {
        "path": "notes.txt"
    }


def test_chat_completions_error_results_say_so() -> None:
    history = [
        user(text("read")),
        reply(call("c1")),
        user(result("c1", "no such file", error=True)),
    ]
    messages = openai_messages(history, None)
    assert messages[-1] == {"role": "tool", "tool_call_id": "c1", "content": "Error: no such file"}


def test_a_history_without_tools_is_shaped_as_before() -> None:
    history = [user(text("hi")), reply(text("hello"))]
    assert openai_messages(history, None) == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]


def test_offered_tools_go_in_each_format_s_body() -> None:
    from claude_tui.wire.anthropic_request import anthropic_body
    from claude_tui.wire.openai_request import openai_body
    from claude_tui.wire.tool_specs import ToolSpec

    schema = {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
    tools = (ToolSpec("files__read", "Read a file", schema),)
    request = ChatRequest(history=[user(text("hi"))], model=MODEL, tools=tools)
    assert anthropic_body(request)["tools"] == [
        {"name": "files__read", "description": "Read a file", "input_schema": schema}
    ]
    assert openai_body(request)["tools"] == [
        {
            "type": "function",
            "function": {"name": "files__read", "description": "Read a file", "parameters": schema},
        }
    ]
    bare = ChatRequest(history=[user(text("hi"))], model=MODEL)
    assert "tools" not in anthropic_body(bare) and "tools" not in openai_body(bare)


def test_a_tool_name_the_apis_refuse_is_refused_early() -> None:
    import pytest

    from claude_tui.wire.tool_specs import ToolSpec

    with pytest.raises(ValueError, match="not a tool name"):
        ToolSpec("files.read")
