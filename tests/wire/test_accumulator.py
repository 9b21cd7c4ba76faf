"""MessageAccumulator: stream events folded into a ChatMessage in Messages API shape."""

from __future__ import annotations

import json
import time
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.errors import ConnectionFailedError, OverloadedError, StreamErrorEvent
from claude_tui.wire.events import (
    BlockStarted,
    BlockStopped,
    KeyRefreshed,
    MessageStarted,
    MessageStopped,
    RedactedThinking,
    Retrying,
    SignatureDelta,
    StopReason,
    StreamEvent,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)
from claude_tui.wire.openai_stream import OpenAIStreamParser


def new_reply(**kwargs: object) -> ChatMessage:
    return ChatMessage(role="assistant", content=[], **kwargs)  # type: ignore[arg-type]


def apply_all(acc: MessageAccumulator, events: list[StreamEvent]) -> None:
    for event in events:
        acc.apply(event)


def started(model: str = "claude-sonnet-4-5", request_id: str | None = "req_1") -> MessageStarted:
    return MessageStarted("msg_1", model, Usage(input_tokens=10, output_tokens=1), request_id)


def test_streaming_status_from_the_start() -> None:
    message = new_reply(status=MessageStatus.COMPLETE, error="old error")
    MessageAccumulator(message)
    assert message.status == MessageStatus.STREAMING
    assert message.error is None


def block_start(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def delta(index: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": body}


def test_builds_messages_api_blocks_from_parsed_anthropic_stream() -> None:
    raw = [
        {"type": "message_start", "message": {"id": "m", "model": "claude-x", "usage": {}}},
        block_start(0, {"type": "thinking"}),
        delta(0, {"type": "thinking_delta", "thinking": "a"}),
        delta(0, {"type": "thinking_delta", "thinking": "b"}),
        delta(0, {"type": "signature_delta", "signature": "S"}),
        {"type": "content_block_stop", "index": 0},
        block_start(1, {"type": "redacted_thinking", "data": "R"}),
        {"type": "content_block_stop", "index": 1},
        block_start(2, {"type": "text", "text": ""}),
        delta(2, {"type": "text_delta", "text": "Hi "}),
        delta(2, {"type": "text_delta", "text": "there"}),
        {"type": "content_block_stop", "index": 2},
        block_start(3, {"type": "tool_use", "id": "tu", "name": "calc", "input": {}}),
        delta(3, {"type": "input_json_delta", "partial_json": '{"x": 1}'}),
        {"type": "content_block_stop", "index": 3},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "tool_use"},
            "usage": {"output_tokens": 30},
        },
        {"type": "message_stop"},
    ]
    parser = AnthropicStreamParser("req_a")
    message = new_reply()
    acc = MessageAccumulator(message)
    for payload in raw:
        apply_all(acc, parser.feed(payload["type"], json.dumps(payload)))
    assert message.content == [
        {"type": "thinking", "thinking": "ab", "signature": "S"},
        {"type": "redacted_thinking", "data": "R"},
        {"type": "text", "text": "Hi there"},
        {"type": "tool_use", "id": "tu", "name": "calc", "input": {"x": 1}},
    ]
    assert message.status == MessageStatus.COMPLETE
    assert message.stop_reason == "tool_use"
    assert message.model == "claude-x"
    assert message.request_id == "req_a"
    assert message.usage == Usage(output_tokens=30)
    assert message.text == "Hi there"
    assert message.thinking_text == "ab"
    assert message.duration_ms is not None and message.duration_ms >= 0
    assert "partial_json" not in message.content[3]


def test_text_in_a_start_block_is_not_doubled() -> None:
    parser = AnthropicStreamParser()
    message = new_reply()
    acc = MessageAccumulator(message)
    for payload in [
        block_start(0, {"type": "thinking", "thinking": "pre", "signature": ""}),
        delta(0, {"type": "thinking_delta", "thinking": "-more"}),
        block_start(1, {"type": "text", "text": "Hello"}),
        delta(1, {"type": "text_delta", "text": " world"}),
    ]:
        apply_all(acc, parser.feed(payload["type"], json.dumps(payload)))
    assert message.thinking_text == "pre-more"
    assert message.text == "Hello world"


def test_openai_stream_gives_the_same_shape() -> None:
    parser = OpenAIStreamParser()
    message = new_reply()
    acc = MessageAccumulator(message)
    for data in [
        json.dumps({"model": "r1", "choices": [{"index": 0, "delta": {"content": "<think>hm"}}]}),
        json.dumps({"choices": [{"index": 0, "delta": {"content": "m</think>OK"}}]}),
        json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
        json.dumps({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4}}),
        "[DONE]",
    ]:
        apply_all(acc, parser.feed("message", data))
    assert message.content == [
        {"type": "thinking", "thinking": "hmm"},
        {"type": "text", "text": "OK"},
    ]
    assert message.status == MessageStatus.COMPLETE
    assert message.stop_reason == "end_turn"
    assert message.usage == Usage(input_tokens=9, output_tokens=4)
    assert message.model == "r1"


def test_ttft_set_on_first_content_only() -> None:
    message = new_reply()
    acc = MessageAccumulator(message, started_at=time.monotonic() - 2.0)
    apply_all(acc, [started(), BlockStarted(0, {"type": "text", "text": ""})])
    assert message.ttft_ms is None
    assert not acc.content_arrived
    acc.apply(TextDelta(0, "x"))
    assert acc.content_arrived
    first = message.ttft_ms
    assert first is not None and 2000 <= first < 10_000
    acc.apply(TextDelta(0, "y"))
    assert message.ttft_ms == first


def test_ttft_counts_thinking_as_content() -> None:
    message = new_reply()
    acc = MessageAccumulator(message, started_at=time.monotonic())
    acc.apply(ThinkingDelta(0, "hmm"))
    assert message.ttft_ms is not None


def test_usage_updates_replace() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    apply_all(
        acc, [started(), UsageUpdate(Usage(output_tokens=10)), UsageUpdate(Usage(output_tokens=25))]
    )
    assert message.usage == Usage(output_tokens=25)


def test_failure_after_content_is_interrupted_and_keeps_partial() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    error = StreamErrorEvent("The reply was interrupted", request_id="req_fail")
    apply_all(
        acc,
        [
            started(request_id=None),
            BlockStarted(0, {"type": "text", "text": ""}),
            TextDelta(0, "Half an ans"),
            StreamFailed(error, partial=True),
        ],
    )
    assert message.status == MessageStatus.INTERRUPTED
    assert message.content == [{"type": "text", "text": "Half an ans"}]
    assert message.error == str(error)
    assert message.request_id == "req_fail"
    assert message.duration_ms is not None


def test_failure_before_content_is_an_error() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    error = OverloadedError("The API is overloaded", status=529)
    apply_all(acc, [started(), BlockStarted(0, {"type": "text", "text": ""}), StreamFailed(error)])
    assert message.status == MessageStatus.ERROR
    assert message.error == "The API is overloaded"
    assert message.usage is not None  # always set when finished


def test_failure_with_nothing_at_all_sets_empty_usage() -> None:
    message = new_reply()
    MessageAccumulator(message).apply(StreamFailed(ConnectionFailedError("down")))
    assert message.status == MessageStatus.ERROR
    assert message.usage == Usage()
    assert message.content == []


def test_stop_is_interrupted_even_without_content() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.stop()
    assert message.status == MessageStatus.INTERRUPTED
    assert message.stop_reason == "user_stopped"
    assert message.error and "Stopped" in message.error


def test_stop_keeps_content_and_a_real_stop_reason() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    apply_all(acc, [TextDelta(0, "some"), StopReason("max_tokens")])
    acc.stop()
    assert message.status == MessageStatus.INTERRUPTED
    assert message.text == "some"
    assert message.stop_reason == "max_tokens"


def test_partial_tool_input_is_kept_on_failure() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    apply_all(
        acc,
        [
            BlockStarted(0, {"type": "tool_use", "id": "t", "name": "n", "input": {}}),
            ToolInputDelta(0, '{"a": '),
            ToolInputDelta(0, "1"),
            StreamFailed(ConnectionFailedError("cut"), partial=True),
        ],
    )
    assert message.status == MessageStatus.INTERRUPTED
    assert message.content[0]["partial_json"] == '{"a": 1'


def test_retrying_clears_empty_started_blocks() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    error = OverloadedError("busy")
    apply_all(
        acc,
        [
            started(),
            BlockStarted(0, {"type": "thinking", "thinking": ""}),
            Retrying(1, 2, 0.5, error),
        ],
    )
    assert message.content == []
    apply_all(
        acc,
        [
            started(),
            BlockStarted(0, {"type": "text", "text": ""}),
            TextDelta(0, "fresh"),
            BlockStopped(0),
            MessageStopped(),
        ],
    )
    assert message.content == [{"type": "text", "text": "fresh"}]
    assert message.status == MessageStatus.COMPLETE


def test_key_refreshed_also_resets_block_indexes() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    apply_all(
        acc,
        [
            BlockStarted(0, {"type": "text", "text": ""}),
            KeyRefreshed(),
            BlockStarted(0, {"type": "text", "text": ""}),
            TextDelta(0, "ok"),
        ],
    )
    assert message.content == [{"type": "text", "text": "ok"}]


def test_deltas_without_block_start_create_blocks() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    apply_all(
        acc,
        [
            ThinkingDelta(0, "t"),
            SignatureDelta(0, "sig"),
            RedactedThinking(1, "D"),
            TextDelta(2, "x"),
            ToolUse(3, "id", "name", {"k": "v"}),
        ],
    )
    assert message.content == [
        {"type": "thinking", "thinking": "t", "signature": "sig"},
        {"type": "redacted_thinking", "data": "D"},
        {"type": "text", "text": "x"},
        {"type": "tool_use", "id": "id", "name": "name", "input": {"k": "v"}},
    ]


def test_continue_text_appends_to_the_last_text_block() -> None:
    message = new_reply(status=MessageStatus.INTERRUPTED)
    message.content = [
        {"type": "thinking", "thinking": "t", "signature": "s"},
        {"type": "text", "text": "The quick brown"},
    ]
    acc = MessageAccumulator(message, continue_text=True)
    apply_all(
        acc,
        [
            started(),
            BlockStarted(0, {"type": "text", "text": ""}),
            TextDelta(0, " fox"),
            BlockStopped(0),
            MessageStopped(),
        ],
    )
    assert message.content == [
        {"type": "thinking", "thinking": "t", "signature": "s"},
        {"type": "text", "text": "The quick brown fox"},
    ]
    assert message.status == MessageStatus.COMPLETE


def test_continue_text_survives_a_retry() -> None:
    message = new_reply(status=MessageStatus.INTERRUPTED)
    message.content = [{"type": "text", "text": "The quick brown"}]
    acc = MessageAccumulator(message, continue_text=True)
    apply_all(
        acc,
        [
            started(),
            BlockStarted(0, {"type": "text", "text": ""}),
            Retrying(1, 2, 0.1, OverloadedError("busy")),
        ],
    )
    assert message.content == [{"type": "text", "text": "The quick brown"}]
    apply_all(
        acc,
        [
            started(),
            BlockStarted(0, {"type": "text", "text": ""}),
            TextDelta(0, " fox"),
            MessageStopped(),
        ],
    )
    assert message.content == [{"type": "text", "text": "The quick brown fox"}]


def test_continue_failure_without_new_content_keeps_old_text_interrupted() -> None:
    message = new_reply(status=MessageStatus.INTERRUPTED)
    message.content = [{"type": "text", "text": "kept"}]
    acc = MessageAccumulator(message, continue_text=True)
    acc.apply(StreamFailed(ConnectionFailedError("down")))
    assert message.status == MessageStatus.INTERRUPTED
    assert message.content == [{"type": "text", "text": "kept"}]


# -- streamed text: what the message says was appended (ChatMessage.text_since) ------------


def test_text_since_gives_only_the_deltas_after_a_mark() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "Hello"))
    first = message.text_since(None)
    assert (first.text, first.restarted) == ("Hello", True)  # a first look is the whole text
    acc.apply(TextDelta(0, ", wor"))
    acc.apply(TextDelta(0, "ld"))
    later = message.text_since(first.mark)
    assert (later.text, later.restarted) == (", world", False)
    assert message.text_since(later.mark).text == ""
    assert message.text_length == len(message.text) == 12


def test_text_changed_outside_the_accumulator_restarts_with_the_whole_text() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "first answer  "))
    mark = message.text_since(None).mark
    message.content[0]["text"] = "edited"  # an edit, a trim: not an append
    since = message.text_since(mark)
    assert (since.text, since.restarted) == ("edited", True)
    assert message.text_length == 6
    message.content = [{"type": "text", "text": "replaced"}]
    assert message.text_since(since.mark) == ("replaced", message.text_since(None).mark, True)


def test_a_text_block_after_a_tool_call_is_an_append_to_the_joined_text() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "Let me look. "))
    mark = message.text_since(None).mark
    acc.apply(ToolUse(1, "toolu_1", "search", {"q": "x"}))
    acc.apply(TextDelta(2, "Found it."))
    since = message.text_since(mark)
    assert (since.text, since.restarted) == ("Found it.", False)
    assert message.text == "Let me look. Found it."


def test_continuing_a_reply_appends_to_its_last_text_block() -> None:
    message = ChatMessage(role="assistant", content=[{"type": "text", "text": "Part one"}])
    mark = message.text_since(None).mark  # the reply as loaded, before /continue
    acc = MessageAccumulator(message, continue_text=True)
    acc.apply(TextDelta(0, ", part two"))
    since = message.text_since(mark)
    assert (since.text, since.restarted) == (", part two", False)
    assert message.text == "Part one, part two"


def test_thinking_length_is_kept_as_thinking_streams() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    for piece in ("Let me ", "think ", "about it."):
        acc.apply(ThinkingDelta(0, piece))
    assert message.thinking_length == len(message.thinking_text) == 22
    assert message.text_since(None, "thinking").text == "Let me think about it."
    assert message.text_length == 0


def test_the_append_log_leaves_the_saved_form_and_equality_alone() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "Hi"))
    acc.apply(MessageStopped())
    saved = message.to_json()
    assert not [key for key in saved if key.startswith("_")]
    assert saved["content"] == [{"type": "text", "text": "Hi"}]
    loaded = ChatMessage.from_json(json.loads(json.dumps(message.to_json())))
    assert loaded == message
    assert loaded.text_since(None).text == "Hi"


def test_an_edit_to_an_earlier_block_is_noticed_while_a_later_one_streams() -> None:
    message = new_reply()
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "First. "))
    acc.apply(ToolUse(1, "toolu_1", "search", {}))
    acc.apply(TextDelta(2, "Second"))
    mark = message.text_since(None).mark
    message.content[0]["text"] = "Changed. "
    acc.apply(TextDelta(2, " part"))
    since = message.text_since(mark)
    assert (since.text, since.restarted) == ("Changed. Second part", True)
    assert message.text_length == len(message.text)
