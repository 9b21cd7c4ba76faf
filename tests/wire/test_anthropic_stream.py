"""AnthropicStreamParser: Messages API SSE events in, typed stream events out."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from httpx_sse import EventSource

from claude_tui.chat_message import Usage
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.errors import (
    ApiError,
    MalformedStreamError,
    StreamErrorEvent,
    StreamInterruptedError,
)
from claude_tui.wire.events import (
    BlockStarted,
    BlockStopped,
    MessageStarted,
    MessageStopped,
    RedactedThinking,
    SignatureDelta,
    StopReason,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)


def event(payload: dict[str, Any]) -> tuple[str, str]:
    """An SSE (event name, data) pair whose name equals the payload's type, as the API sends."""
    return payload["type"], json.dumps(payload)


def feed_all(parser: AnthropicStreamParser, pairs: list[tuple[str, str]]) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    for name, data in pairs:
        events.extend(parser.feed(name, data))
    return events


def message_start(**usage: int) -> tuple[str, str]:
    return event(
        {
            "type": "message_start",
            "message": {
                "id": "msg_01",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-5",
                "content": [],
                "stop_reason": None,
                "usage": {"input_tokens": 12, "output_tokens": 1, **usage},
            },
        }
    )


def block_start(index: int, block: dict[str, Any]) -> tuple[str, str]:
    return event({"type": "content_block_start", "index": index, "content_block": block})


def delta(index: int, body: dict[str, Any]) -> tuple[str, str]:
    return event({"type": "content_block_delta", "index": index, "delta": body})


def block_stop(index: int) -> tuple[str, str]:
    return event({"type": "content_block_stop", "index": index})


def message_delta(output_tokens: int, stop_reason: str | None = "end_turn") -> tuple[str, str]:
    return event(
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": output_tokens},
        }
    )


MESSAGE_STOP = event({"type": "message_stop"})
PING = event({"type": "ping"})


def full_reply() -> list[tuple[str, str]]:
    """The documented sequence: thinking (with signature), then text, then stop."""
    return [
        message_start(cache_read_input_tokens=100, cache_creation_input_tokens=7),
        PING,
        block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
        delta(0, {"type": "thinking_delta", "thinking": "Let me "}),
        delta(0, {"type": "thinking_delta", "thinking": "think."}),
        delta(0, {"type": "signature_delta", "signature": "sig-abc"}),
        block_stop(0),
        block_start(1, {"type": "text", "text": ""}),
        delta(1, {"type": "text_delta", "text": "Hello"}),
        PING,
        delta(1, {"type": "text_delta", "text": ", world"}),
        block_stop(1),
        message_delta(25),
        MESSAGE_STOP,
    ]


def test_full_sequence_yields_events_in_order() -> None:
    parser = AnthropicStreamParser(request_id="req_1")
    events = feed_all(parser, full_reply())
    assert events == [
        MessageStarted(
            message_id="msg_01",
            model="claude-sonnet-4-5",
            usage=Usage(
                input_tokens=12,
                output_tokens=1,
                cache_creation_input_tokens=7,
                cache_read_input_tokens=100,
            ),
            request_id="req_1",
        ),
        BlockStarted(0, {"type": "thinking", "thinking": "", "signature": ""}),
        ThinkingDelta(0, "Let me "),
        ThinkingDelta(0, "think."),
        SignatureDelta(0, "sig-abc"),
        BlockStopped(0),
        BlockStarted(1, {"type": "text", "text": ""}),
        TextDelta(1, "Hello"),
        TextDelta(1, ", world"),
        BlockStopped(1),
        UsageUpdate(
            Usage(
                input_tokens=12,
                output_tokens=25,
                cache_creation_input_tokens=7,
                cache_read_input_tokens=100,
            )
        ),
        StopReason("end_turn"),
        MessageStopped(),
    ]
    assert parser.finished
    parser.finish()  # a completed reply does not raise


def test_usage_is_cumulative_overwritten_not_added() -> None:
    parser = AnthropicStreamParser()
    events = feed_all(
        parser,
        [message_start(), message_delta(10, stop_reason=None), message_delta(25), MESSAGE_STOP],
    )
    updates = [e.usage.output_tokens for e in events if isinstance(e, UsageUpdate)]
    assert updates == [10, 25]
    assert parser.usage.output_tokens == 25
    assert parser.usage.input_tokens == 12  # fields missing from message_delta are kept


def test_message_delta_can_update_input_tokens() -> None:
    parser = AnthropicStreamParser()
    parser.feed(*message_start())
    name, data = event(
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"input_tokens": 40, "output_tokens": 5, "cache_read_input_tokens": 3},
        }
    )
    (update, _stop) = parser.feed(name, data)
    assert isinstance(update, UsageUpdate)
    assert update.usage == Usage(input_tokens=40, output_tokens=5, cache_read_input_tokens=3)


def test_usage_snapshots_are_not_shared_with_the_parser() -> None:
    parser = AnthropicStreamParser()
    (started,) = parser.feed(*message_start())
    assert isinstance(started, MessageStarted)
    parser.feed(*message_delta(99))
    assert started.usage.output_tokens == 1


def test_stop_sequence_is_reported() -> None:
    parser = AnthropicStreamParser()
    name, data = event(
        {
            "type": "message_delta",
            "delta": {"stop_reason": "stop_sequence", "stop_sequence": "END"},
            "usage": {"output_tokens": 3},
        }
    )
    events = parser.feed(name, data)
    assert events[-1] == StopReason("stop_sequence", "END")


def test_pings_and_unknown_events_are_ignored() -> None:
    parser = AnthropicStreamParser()
    assert parser.feed(*PING) == []
    assert parser.feed("ping", "") == []
    assert parser.feed("future_event", json.dumps({"type": "future_event", "x": 1})) == []
    # unknown delta types are not fatal either (citations_delta: tests/wire/test_server_tools)
    assert parser.feed(*delta(0, {"type": "brand_new_delta"})) == []
    assert not parser.finished


def test_empty_default_event_is_ignored() -> None:
    # an SSE event made only of an ``id:`` or ``retry:`` line has no name and no data
    assert AnthropicStreamParser().feed("", "") == []
    assert AnthropicStreamParser().feed("message", "") == []


def test_redacted_thinking_arrives_whole() -> None:
    parser = AnthropicStreamParser()
    events = feed_all(
        parser, [block_start(0, {"type": "redacted_thinking", "data": "opaque=="}), block_stop(0)]
    )
    assert events == [
        BlockStarted(0, {"type": "redacted_thinking", "data": "opaque=="}),
        RedactedThinking(0, "opaque=="),
        BlockStopped(0),
    ]


def test_initial_text_in_block_start_is_sent_once_as_a_delta() -> None:
    parser = AnthropicStreamParser()
    events = parser.feed(*block_start(0, {"type": "text", "text": "Hi"}))
    assert events == [BlockStarted(0, {"type": "text", "text": ""}), TextDelta(0, "Hi")]
    events = parser.feed(*block_start(1, {"type": "thinking", "thinking": "hmm", "signature": ""}))
    assert events == [
        BlockStarted(1, {"type": "thinking", "thinking": "", "signature": ""}),
        ThinkingDelta(1, "hmm"),
    ]


def test_start_block_fields_of_the_wrong_type_are_normalised() -> None:
    parser = AnthropicStreamParser()
    (started, delta_event) = parser.feed(*block_start(0, {"type": "text", "text": 12}))
    assert started == BlockStarted(0, {"type": "text", "text": ""})
    assert delta_event == TextDelta(0, "12")
    (started,) = parser.feed(*block_start(1, {"type": "thinking", "thinking": [], "signature": 5}))
    assert started == BlockStarted(1, {"type": "thinking", "thinking": ""})


def test_tool_use_json_pieces_are_parsed_at_block_stop() -> None:
    parser = AnthropicStreamParser()
    start = {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}
    events = feed_all(
        parser,
        [
            block_start(2, start),
            delta(2, {"type": "input_json_delta", "partial_json": ""}),
            delta(2, {"type": "input_json_delta", "partial_json": '{"city": "Pa'}),
            delta(2, {"type": "input_json_delta", "partial_json": 'ris", "days": 3}'}),
        ],
    )
    assert not any(isinstance(e, ToolUse) for e in events)
    assert [e.partial_json for e in events if isinstance(e, ToolInputDelta)] == [
        "",
        '{"city": "Pa',
        'ris", "days": 3}',
    ]
    assert parser.feed(*block_stop(2)) == [
        ToolUse(2, "toolu_1", "get_weather", {"city": "Paris", "days": 3}),
        BlockStopped(2),
    ]


def test_tool_use_without_deltas_keeps_start_input() -> None:
    parser = AnthropicStreamParser()
    parser.feed(
        *block_start(
            0, {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"q": 1}}
        )
    )
    assert parser.feed(*block_stop(0))[0] == ToolUse(0, "srv_1", "web_search", {"q": 1})


def test_tool_input_that_is_not_an_object_is_wrapped() -> None:
    parser = AnthropicStreamParser()
    parser.feed(*block_start(0, {"type": "tool_use", "id": "t", "name": "n", "input": {}}))
    parser.feed(*delta(0, {"type": "input_json_delta", "partial_json": "[1, 2]"}))
    assert parser.feed(*block_stop(0))[0] == ToolUse(0, "t", "n", {"value": [1, 2]})


@pytest.mark.parametrize(
    "raw", ['{"city": "Par', "{'single': 1}", "[" * 100_000], ids=["cut", "quotes", "deep"]
)
def test_bad_tool_json_is_malformed(raw: str) -> None:
    parser = AnthropicStreamParser(request_id="req_t")
    parser.feed(*block_start(0, {"type": "tool_use", "id": "t", "name": "n", "input": {}}))
    parser.feed(*delta(0, {"type": "input_json_delta", "partial_json": raw}))
    with pytest.raises(MalformedStreamError) as caught:
        parser.feed(*block_stop(0))
    assert "tool call" in str(caught.value)
    assert caught.value.request_id == "req_t"


def test_error_event_raises_stream_error_with_type() -> None:
    parser = AnthropicStreamParser(request_id="req_e")
    feed_all(parser, full_reply()[:8])
    name, data = event(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    )
    with pytest.raises(StreamErrorEvent) as caught:
        parser.feed(name, data)
    error = caught.value
    assert isinstance(error, ApiError)
    assert isinstance(error, StreamInterruptedError)
    assert error.error_type == "overloaded_error"
    assert error.server_message == "Overloaded"
    assert error.request_id == "req_e"
    assert error.short_reason == "overloaded"
    assert "overloaded_error" in str(error) and "Overloaded" in str(error)
    assert "req_e" in str(error)


def test_error_event_name_alone_is_enough() -> None:
    # a relay that names the event "error" but puts something else in data
    with pytest.raises(StreamErrorEvent):
        AnthropicStreamParser().feed("error", json.dumps({"message": "boom"}))


def test_eof_before_message_stop_is_interrupted() -> None:
    parser = AnthropicStreamParser(request_id="req_x")
    feed_all(parser, full_reply()[:-1])
    assert not parser.finished
    with pytest.raises(StreamInterruptedError) as caught:
        parser.finish()
    assert caught.value.request_id == "req_x"
    assert not isinstance(caught.value, StreamErrorEvent)


def test_eof_on_empty_stream_is_interrupted() -> None:
    with pytest.raises(StreamInterruptedError):
        AnthropicStreamParser().finish()


@pytest.mark.parametrize(
    "data",
    ["not json", "{", '"a string"', "[1, 2]", "42", "null", "[" * 100_000],
    ids=["text", "brace", "string", "list", "number", "null", "deep"],
)
def test_non_json_or_non_object_data_is_malformed(data: str) -> None:
    with pytest.raises(MalformedStreamError) as caught:
        AnthropicStreamParser(request_id="req_m").feed("message_start", data)
    assert "Anthropic Messages API" in str(caught.value)
    assert "api_format" in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "message_start"},
        {"type": "message_start", "message": "nope"},
        {"type": "content_block_start", "content_block": {"type": "text"}},
        {"type": "content_block_start", "index": -1, "content_block": {"type": "text"}},
        {"type": "content_block_start", "index": True, "content_block": {"type": "text"}},
        {"type": "content_block_start", "index": 0},
        {"type": "content_block_start", "index": 0, "content_block": {"type": 3}},
        {"type": "content_block_delta", "index": 0},
        {"type": "content_block_delta", "index": "0", "delta": {}},
        {"type": "content_block_stop"},
    ],
)
def test_wrong_shapes_are_malformed(payload: dict[str, Any]) -> None:
    with pytest.raises(MalformedStreamError):
        AnthropicStreamParser().feed(*event(payload))


def test_type_in_data_wins_over_event_name() -> None:
    # relays sometimes send everything as the default "message" event
    parser = AnthropicStreamParser()
    events = parser.feed("message", message_start()[1])
    assert isinstance(events[0], MessageStarted)
    assert parser.feed("message", MESSAGE_STOP[1]) == [MessageStopped()]
    assert parser.finished


def _sse_events(raw: bytes) -> list[tuple[str, str]]:
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=raw)
    return [(sse.event, sse.data) for sse in EventSource(response).iter_sse()]


def test_bom_prefixed_first_event_still_parses() -> None:
    # httpx-sse does not strip a BOM, so the first "event:" field name is garbled and the
    # event arrives under the default name: the parser must go by the "type" in data.
    body = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in full_reply())
    pairs = _sse_events(b"\xef\xbb\xbf" + body.encode())
    assert pairs[0][0] != "message_start"  # the premise: the name really was lost
    parser = AnthropicStreamParser()
    events = feed_all(parser, pairs)
    assert isinstance(events[0], MessageStarted)
    assert events[-1] == MessageStopped()
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello, world"


def test_decoded_stream_with_crlf_and_comments() -> None:
    lines = [": keep-alive comment"]
    for name, data in full_reply():
        lines += [f"event: {name}", f"data: {data}", ""]
    pairs = _sse_events("\r\n".join(lines).encode() + b"\r\n")
    parser = AnthropicStreamParser()
    events = feed_all(parser, pairs)
    assert events[-1] == MessageStopped()
    assert "".join(e.thinking for e in events if isinstance(e, ThinkingDelta)) == "Let me think."


def test_event_not_closed_by_blank_line_is_dropped_so_eof_is_interrupted() -> None:
    body = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in full_reply()[:-1])
    body += f"event: message_stop\ndata: {MESSAGE_STOP[1]}\n"  # no closing blank line
    parser = AnthropicStreamParser()
    feed_all(parser, _sse_events(body.encode()))
    with pytest.raises(StreamInterruptedError):
        parser.finish()


# -- surrogate pairs split across deltas ---------------------------------------------------------


def texts(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_emoji_split_across_text_deltas_is_rejoined() -> None:
    # json.dumps escapes the lone halves as "\ud83d" / "\ude00", as a relay cutting by UTF-16
    # units sends them; before, each delta carried a lone surrogate.
    pairs = [
        message_start(),
        block_start(0, {"type": "text", "text": ""}),
        delta(0, {"type": "text_delta", "text": "smile \ud83d"}),
        delta(0, {"type": "text_delta", "text": "\ude00 ok"}),
        block_stop(0),
        message_delta(3),
        MESSAGE_STOP,
    ]
    assert '"smile \\ud83d"' in pairs[2][1]
    events = feed_all(AnthropicStreamParser(), pairs)
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert deltas == ["smile ", "😀 ok"]
    assert texts(events).encode("utf-8")


def test_split_thinking_and_lone_halves_become_replacement_characters() -> None:
    pairs = [
        message_start(),
        block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
        delta(0, {"type": "thinking_delta", "thinking": "hmm \ud83e"}),
        delta(0, {"type": "thinking_delta", "thinking": "\udd14 and \udc00 alone"}),
        block_stop(0),
        block_start(1, {"type": "text", "text": ""}),
        delta(1, {"type": "text_delta", "text": "end \ud83d"}),
        block_stop(1),  # the pair never came: U+FFFD before the block stops
        message_delta(3),
        MESSAGE_STOP,
    ]
    events = feed_all(AnthropicStreamParser(), pairs)
    thinking = "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))
    assert thinking == "hmm 🤔 and \ufffd alone"
    assert texts(events) == "end \ufffd"
    stop = events.index(BlockStopped(1))
    assert events[stop - 1] == TextDelta(1, "\ufffd")


def test_held_half_is_flushed_when_the_stream_breaks() -> None:
    parser = AnthropicStreamParser()
    feed_all(
        parser,
        [
            message_start(),
            block_start(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "cut \ud83d"}),
        ],
    )
    assert parser.flush_held() == [TextDelta(0, "\ufffd")]
    assert parser.flush_held() == []
