"""OpenAIStreamParser: Chat Completions chunks in, the same events as the Anthropic parser out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claude_tui.chat_message import Usage
from claude_tui.wire.errors import (
    MalformedStreamError,
    StreamErrorEvent,
    StreamInterruptedError,
)
from claude_tui.wire.events import (
    BlockStarted,
    BlockStopped,
    MessageStarted,
    MessageStopped,
    StopReason,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)
from claude_tui.wire.openai_stream import OpenAIStreamParser


def chunk(
    delta: dict[str, Any] | None = None, finish_reason: str | None = None, **extra: Any
) -> str:
    payload: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "model": "deepseek-r1",
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish_reason}],
    }
    payload.update(extra)
    return json.dumps(payload)


def usage_chunk(prompt: int, completion: int, cached: int | None = None) -> str:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if cached is not None:
        usage["prompt_tokens_details"] = {"cached_tokens": cached}
    return json.dumps({"id": "chatcmpl-1", "choices": [], "usage": usage})


def feed_all(parser: OpenAIStreamParser, chunks: list[str]) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    for data in chunks:
        events.extend(parser.feed("message", data))
    return events


def block_kinds(events: list[StreamEvent]) -> list[tuple[int, str]]:
    return [(e.index, e.block["type"]) for e in events if isinstance(e, BlockStarted)]


def joined_text(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def joined_thinking(events: list[StreamEvent]) -> str:
    return "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))


def test_plain_content_stream() -> None:
    parser = OpenAIStreamParser(request_id="req_o")
    events = feed_all(
        parser,
        [
            chunk({"role": "assistant", "content": ""}),
            chunk({"content": "Hel"}),
            chunk({"content": "lo"}),
            chunk({}, finish_reason="stop"),
            usage_chunk(10, 2),
            "[DONE]",
        ],
    )
    assert events == [
        MessageStarted("chatcmpl-1", "deepseek-r1", Usage(), request_id="req_o"),
        BlockStarted(0, {"type": "text", "text": ""}),
        TextDelta(0, "Hel"),
        TextDelta(0, "lo"),
        StopReason("end_turn"),
        UsageUpdate(Usage(input_tokens=10, output_tokens=2)),
        BlockStopped(0),
        MessageStopped(),
    ]
    assert parser.finished
    assert parser.finish() == []  # nothing more after [DONE]


@pytest.mark.parametrize("key", ["reasoning_content", "reasoning"])
def test_reasoning_fields_become_a_thinking_block_before_text(key: str) -> None:
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [
            chunk({key: "Let me "}),
            chunk({key: "think."}),
            chunk({"content": "Answer."}),
            chunk({}, finish_reason="stop"),
            "[DONE]",
        ],
    )
    assert block_kinds(events) == [(0, "thinking"), (1, "text")]
    assert joined_thinking(events) == "Let me think."
    assert joined_text(events) == "Answer."
    # the thinking block is closed when the text block opens
    stops = [e.index for e in events if isinstance(e, BlockStopped)]
    assert stops == [0, 1]
    assert events.index(BlockStopped(0)) < events.index(
        BlockStarted(1, {"type": "text", "text": ""})
    )


def test_both_reasoning_fields_with_the_same_text_show_it_once() -> None:
    # vLLM during its rename sends the text under both names
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [
            chunk({"reasoning_content": "step 1", "reasoning": "step 1"}),
            chunk({"reasoning_content": None, "reasoning": " step 2"}),
        ],
    )
    assert joined_thinking(events) == "step 1 step 2"


def test_null_and_empty_reasoning_fields_open_no_block() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(parser, [chunk({"reasoning_content": None, "reasoning": "", "content": "x"})])
    assert block_kinds(events) == [(0, "text")]


def test_think_tags_in_content_become_thinking() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [
            chunk({"content": "<think>plan"}),
            chunk({"content": " it</think>"}),
            chunk({"content": "\n\nDone."}),
            chunk({}, finish_reason="stop"),
            "[DONE]",
        ],
    )
    assert block_kinds(events) == [(0, "thinking"), (1, "text")]
    assert joined_thinking(events) == "plan it"
    assert joined_text(events) == "Done."  # no blank lines where the tags were


@pytest.mark.parametrize("cut", range(1, len("<think>abc</think>xyz")))
def test_think_tags_split_across_chunks(cut: int) -> None:
    content = "<think>abc</think>xyz"
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [chunk({"content": content[:cut]}), chunk({"content": content[cut:]}), "[DONE]"],
    )
    assert joined_thinking(events) == "abc"
    assert joined_text(events) == "xyz"
    assert block_kinds(events) == [(0, "thinking"), (1, "text")]


def test_think_tags_one_character_per_chunk() -> None:
    content = "<think>a<b</think>c</thin"
    parser = OpenAIStreamParser()
    events = feed_all(parser, [chunk({"content": ch}) for ch in content] + ["[DONE]"])
    assert joined_thinking(events) == "a<b"
    # a held-back possible tag is flushed as plain text at the end
    assert joined_text(events) == "c</thin"


def test_pending_partial_tag_is_flushed_on_finish_reason() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(parser, [chunk({"content": "x <thi"}), chunk({}, finish_reason="length")])
    assert joined_text(events) == "x <thi"
    assert events[-1] == StopReason("max_tokens")


@pytest.mark.parametrize(
    ("finish_reason", "stop_reason"),
    [
        ("stop", "end_turn"),
        ("length", "max_tokens"),
        ("tool_calls", "tool_use"),
        ("function_call", "tool_use"),
        ("content_filter", "refusal"),
        ("something_new", "something_new"),
    ],
)
def test_finish_reason_mapping(finish_reason: str, stop_reason: str) -> None:
    events = OpenAIStreamParser().feed("message", chunk({}, finish_reason=finish_reason))
    assert events[-1] == StopReason(stop_reason)


def test_usage_chunk_with_empty_choices_and_cached_tokens() -> None:
    parser = OpenAIStreamParser()
    feed_all(parser, [chunk({"content": "hi"}), chunk({}, finish_reason="stop")])
    events = parser.feed("message", usage_chunk(1000, 50, cached=800))
    assert events == [
        UsageUpdate(Usage(input_tokens=200, output_tokens=50, cache_read_input_tokens=800))
    ]
    assert parser.usage.total_input_tokens == 1000


def test_usage_repeated_is_overwritten_not_added() -> None:
    parser = OpenAIStreamParser()
    parser.feed("message", usage_chunk(10, 3))
    parser.feed("message", usage_chunk(10, 7))
    assert parser.usage == Usage(input_tokens=10, output_tokens=7)


def test_usage_on_a_content_chunk_is_read() -> None:
    parser = OpenAIStreamParser()
    data = chunk({"content": "x"}, finish_reason="stop", usage={"prompt_tokens": 5})
    events = parser.feed("message", data)
    assert isinstance(events[-1], UsageUpdate)
    assert events[-1].usage.input_tokens == 5


def test_first_chunk_being_usage_still_starts_the_message() -> None:
    events = OpenAIStreamParser().feed("message", usage_chunk(3, 0))
    assert isinstance(events[0], MessageStarted)
    assert len([e for e in events if isinstance(e, MessageStarted)]) == 1


def test_done_ends_the_message_and_closes_blocks() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(parser, [chunk({"content": "partial"}), " [DONE] "])
    assert events[-2:] == [BlockStopped(0), MessageStopped()]
    assert parser.finished
    assert parser.feed("message", "[DONE]") == []  # a second [DONE] adds nothing


def test_error_key_mid_stream_raises_stream_error() -> None:
    parser = OpenAIStreamParser(request_id="req_err")
    parser.feed("message", chunk({"content": "some text"}))
    error_chunk = json.dumps(
        {"error": {"message": "upstream overloaded", "type": "overloaded_error", "code": 529}}
    )
    with pytest.raises(StreamErrorEvent) as caught:
        parser.feed("message", error_chunk)
    assert caught.value.error_type == "overloaded_error"
    assert caught.value.server_message == "upstream overloaded"
    assert caught.value.request_id == "req_err"
    assert "upstream overloaded" in str(caught.value)


def test_error_with_code_only_uses_code_as_type() -> None:
    with pytest.raises(StreamErrorEvent) as caught:
        OpenAIStreamParser().feed(
            "message", json.dumps({"error": {"message": "m", "code": "rate_limit"}})
        )
    assert caught.value.error_type == "rate_limit"


def test_eof_after_finish_reason_without_done_is_complete() -> None:
    parser = OpenAIStreamParser()
    feed_all(parser, [chunk({"content": "all of it"}), chunk({}, finish_reason="stop")])
    assert not parser.finished
    events = parser.finish()
    assert events == [BlockStopped(0), MessageStopped()]
    assert parser.finished


def test_eof_without_finish_reason_is_interrupted() -> None:
    parser = OpenAIStreamParser(request_id="req_cut")
    parser.feed("message", chunk({"content": "half"}))
    with pytest.raises(StreamInterruptedError) as caught:
        parser.finish()
    assert caught.value.request_id == "req_cut"


def test_eof_on_empty_stream_is_interrupted() -> None:
    with pytest.raises(StreamInterruptedError):
        OpenAIStreamParser().finish()


def test_tool_call_fragments_are_assembled() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [
            chunk({"content": "Checking."}),
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": ""},
                        }
                    ]
                }
            ),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": ' "Oslo"}'}}]}),
            chunk(
                {
                    "tool_calls": [
                        {"index": 1, "id": "call_2", "function": {"name": "now", "arguments": ""}}
                    ]
                }
            ),
            chunk({}, finish_reason="tool_calls"),
            "[DONE]",
        ],
    )
    assert block_kinds(events) == [(0, "text"), (1, "tool_use"), (2, "tool_use")]
    assert (
        BlockStarted(1, {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {}})
        in events
    )
    assert [e.partial_json for e in events if isinstance(e, ToolInputDelta)] == [
        '{"city":',
        ' "Oslo"}',
    ]
    tools = [e for e in events if isinstance(e, ToolUse)]
    assert tools == [
        ToolUse(1, "call_1", "get_weather", {"city": "Oslo"}),
        ToolUse(2, "call_2", "now", {}),
    ]
    # the text block was closed before the first tool block opened
    assert events.index(BlockStopped(0)) < events.index(tools[0])
    assert StopReason("tool_use") in events
    assert events[-1] == MessageStopped()


def test_unparseable_tool_arguments_are_kept_not_fatal() -> None:
    parser = OpenAIStreamParser()
    events = feed_all(
        parser,
        [
            chunk({"tool_calls": [{"index": 0, "id": "c", "function": {"name": "f"}}]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"a": '}}]}),
            "[DONE]",
        ],
    )
    (tool,) = [e for e in events if isinstance(e, ToolUse)]
    assert tool.input == {"_unparsed_arguments": '{"a": '}


def test_other_choice_indexes_are_ignored() -> None:
    parser = OpenAIStreamParser()
    data = json.dumps(
        {
            "choices": [
                {"index": 1, "delta": {"content": "other"}},
                {"index": 0, "delta": {"content": "mine"}},
            ]
        }
    )
    assert joined_text(parser.feed("message", data)) == "mine"


@pytest.mark.parametrize(
    "data",
    ["not json", "{", '"a string"', "[1]", "null", "[" * 100_000],
    ids=["text", "brace", "string", "list", "null", "deep"],
)
def test_non_json_or_non_object_chunk_is_malformed(data: str) -> None:
    with pytest.raises(MalformedStreamError) as caught:
        OpenAIStreamParser().feed("message", data)
    assert "OpenAI Chat Completions" in str(caught.value)


def test_odd_shapes_are_tolerated() -> None:
    parser = OpenAIStreamParser()
    for data in [
        json.dumps({"choices": None}),
        json.dumps({"choices": ["x", 1, None]}),
        json.dumps({"choices": [{"index": 0, "delta": "text"}]}),
        json.dumps({"choices": [{"index": 0, "delta": {"content": 5, "tool_calls": "x"}}]}),
        json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": [1, {"function": 3}]}}]}),
        json.dumps({"usage": {"prompt_tokens": "many"}}),
    ]:
        parser.feed("message", data)
    assert parser.usage == Usage()


# -- surrogate pairs split across chunks ---------------------------------------------------------


def test_emoji_split_across_content_and_reasoning_chunks_is_rejoined() -> None:
    events = feed_all(
        OpenAIStreamParser(),
        [
            chunk({"reasoning_content": "think \ud83e"}),
            chunk({"reasoning_content": "\udd14 done"}),
            chunk({"content": "smile \ud83d"}),
            chunk({"content": "\ude00 ok"}),
            chunk({}, "stop"),
            "[DONE]",
        ],
    )
    thinking = "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert (thinking, text) == ("think 🤔 done", "smile 😀 ok")


def test_half_left_when_the_field_changes_or_the_reply_ends_is_replaced() -> None:
    events = feed_all(
        OpenAIStreamParser(),
        [
            chunk({"reasoning": "a \ud83e"}),
            chunk({"content": "b \ud83d"}),
            chunk({}, "stop"),
        ],
    )
    thinking = "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert (thinking, text) == ("a \ufffd", "b \ufffd")


def test_split_emoji_inside_think_tags() -> None:
    events = feed_all(
        OpenAIStreamParser(),
        [chunk({"content": "<think>x \ud83d"}), chunk({"content": "\ude00</think>y"}), "[DONE]"],
    )
    thinking = "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))
    assert thinking == "x 😀"
