"""The demo relay's tool-call replies, read as bodies (no sockets): which requests get calls,
the inputs built from schemas, and the results quoted back."""

from __future__ import annotations

from typing import Any

from claude_tui.demo.tool_requests import demo_input, tool_turn

READ = {
    "name": "files__read",
    "description": "",
    "input_schema": {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "force": {"type": "boolean"},
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "tags": {"type": "array"},
            "optional": {"type": "string"},
        },
        "required": ["path", "count", "ratio", "force", "mode", "tags"],
    },
}
LIST = {"name": "files__list", "description": "", "input_schema": {"type": "object"}}


def body(*messages: dict[str, Any], tools: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "model": "m",
        "messages": list(messages),
        "tools": [READ, LIST] if tools is None else tools,
    }


def test_inputs_fill_the_required_properties_from_the_schema() -> None:
    assert demo_input(READ["input_schema"]) == {
        "path": "demo",
        "count": 1,
        "ratio": 1,
        "force": True,
        "mode": "fast",
        "tags": [],
    }


def test_the_keyword_asks_for_the_first_named_or_several_tools() -> None:
    first = tool_turn(body({"role": "user", "content": "[demo:tool] go"}), openai=False)
    assert first is not None and [c.name for c in first.calls] == ["files__read"]
    named = tool_turn(body({"role": "user", "content": "[demo:tool=files__list]"}), openai=False)
    assert named is not None and [c.name for c in named.calls] == ["files__list"]
    several = tool_turn(body({"role": "user", "content": "[demo:tools=3]"}), openai=False)
    assert several is not None
    assert [c.name for c in several.calls] == ["files__read", "files__list", "files__read"]
    assert len({c.id for c in several.calls}) == 3


def test_no_tools_offered_or_no_keyword_is_an_ordinary_reply() -> None:
    assert (
        tool_turn(body({"role": "user", "content": "[demo:tool]"}, tools=[]), openai=False) is None
    )
    assert tool_turn(body({"role": "user", "content": "hello"}), openai=False) is None


def test_results_are_quoted_back_on_both_formats() -> None:
    anthropic = body(
        {"role": "user", "content": "[demo:tool]"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "t1", "name": "x", "input": {}}],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "t1", "content": "42", "is_error": True}
            ],
        },
    )
    turn = tool_turn(anthropic, openai=False)
    assert turn is not None and not turn.calls
    assert turn.text == "The tool returned: error: 42"
    openai_tools = [{"type": "function", "function": {"name": "x", "parameters": {}}}]
    openai = body(
        {"role": "user", "content": "[demo:tool]"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1"}]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
        tools=openai_tools,
    )
    turn = tool_turn(openai, openai=True)
    assert turn is not None and turn.text == "The tool returned: 42"


def test_a_new_prompt_after_results_is_not_answered_as_results() -> None:
    request = body(
        {"role": "user", "content": "[demo:tool]"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "t1", "name": "x", "input": {}}],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "t1", "content": "cancelled"},
                {"type": "text", "text": "what now?"},
            ],
        },
    )
    assert tool_turn(request, openai=False) is None
