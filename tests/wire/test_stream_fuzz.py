"""Seeded fuzzing of the SSE reader, the stream parsers and ChatClient.stream.

The contract under test: whatever bytes an endpoint sends, the parsers either produce events
or raise an :class:`ApiError` subclass, and ``ChatClient.stream`` never raises but ends with
exactly one ``StreamFailed`` or ``MessageStopped``; no text or thinking delta carries a lone
surrogate (it could not be saved as UTF-8), and an emoji split across deltas comes out whole;
a second turn on the same client is untouched by whatever the first one got. Seeds are fixed
so a failure reproduces; the failing case is printed in the assertion message.

Cases per run: 2,000 Anthropic and 2,000 OpenAI parser cases (each followed by a clean second
turn with split emoji), 900 byte-level decoding cases (each also checked against httpx-sse),
1,200 split-surrogate cases per format (600 intact, 600 with deltas dropped or repeated), and
400 client streams per format, each followed by a second, valid stream on the same client.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_sse import EventSource

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.profiles.profile import Profile
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.chat_client import ChatClient
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.errors import ApiError
from claude_tui.wire.events import (
    CONTENT_EVENTS,
    MessageStopped,
    Retrying,
    StreamEvent,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
)
from claude_tui.wire.openai_stream import OpenAIStreamParser
from claude_tui.wire.retry_policy import RetryPolicy
from claude_tui.wire.sse_reader import SseReader

# -- generators ---------------------------------------------------------------------------------

ANTHROPIC_TYPES = [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
    "error",
    "mystery",
    "",
    "message",
]
DELTA_TYPES = [
    "text_delta",
    "thinking_delta",
    "signature_delta",
    "input_json_delta",
    "citations_delta",
    "odd",
]
BLOCK_TYPES = ["text", "thinking", "redacted_thinking", "tool_use", "server_tool_use", "x"]
KEYS = [
    "type",
    "index",
    "delta",
    "content_block",
    "message",
    "usage",
    "error",
    "choices",
    "text",
    "thinking",
    "partial_json",
    "input",
    "id",
    "name",
    "data",
    "signature",
    "content",
    "reasoning",
    "reasoning_content",
    "tool_calls",
    "function",
    "arguments",
    "finish_reason",
    "stop_reason",
    "prompt_tokens",
    "completion_tokens",
    "output_tokens",
    "input_tokens",
    "prompt_tokens_details",
    "cached_tokens",
]
ODD_TEXT = [
    "",
    " ",
    "<think>",
    "</think>",
    "<thi",
    "</",
    "[DONE]",
    "data:",
    "\n",
    "\r",
    "\ufeff",
    "\x00",
    "é",
    "😀",
    "\ud800",
    "\ud83d",
    "\ude00",
    "\udbff",
    "\udc00",
    "\ud83d\ude00",
    "{",
    "}",
    '"',
    "\\",
]


def random_text(rng: random.Random, limit: int = 12) -> str:
    pieces = []
    for _ in range(rng.randint(0, limit)):
        roll = rng.random()
        if roll < 0.4:
            pieces.append(rng.choice(ODD_TEXT))
        elif roll < 0.7:
            pieces.append(chr(rng.randint(32, 126)))
        else:
            pieces.append(chr(rng.randint(0, 0x10FFFF)))
    return "".join(pieces)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice(
            [
                None,
                True,
                False,
                0,
                1,
                -1,
                2**70,
                1.5,
                float("nan"),
                rng.randint(-3, 5),
                random_text(rng),
                rng.choice(ANTHROPIC_TYPES + DELTA_TYPES + BLOCK_TYPES),
            ]
        )
    if roll < 0.7:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def valid_anthropic_payloads(rng: random.Random) -> list[dict[str, Any]]:
    """A plausible reply: a random mix of block kinds, with all the documented events."""
    payloads: list[dict[str, Any]] = [
        {
            "type": "message_start",
            "message": {"id": "m", "model": "claude", "usage": {"input_tokens": 3}},
        }
    ]
    for index in range(rng.randint(0, 3)):
        kind = rng.choice(["text", "thinking", "redacted_thinking", "tool_use"])
        block: dict[str, Any] = {"type": kind}
        if kind == "tool_use":
            block.update(id="t", name="n", input={})
        if kind == "redacted_thinking":
            block["data"] = "xx"
        payloads.append({"type": "content_block_start", "index": index, "content_block": block})
        deltas: list[dict[str, Any]] = []
        if kind == "text":
            deltas = [{"type": "text_delta", "text": random_text(rng)} for _ in range(3)]
        elif kind == "thinking":
            deltas = [{"type": "thinking_delta", "thinking": random_text(rng)} for _ in range(3)]
            deltas.append({"type": "signature_delta", "signature": "s"})
        elif kind == "tool_use":
            deltas = [
                {"type": "input_json_delta", "partial_json": piece}
                for piece in ("", '{"a"', ": 1}")
            ]
        payloads.extend(
            {"type": "content_block_delta", "index": index, "delta": delta} for delta in deltas
        )
        payloads.append({"type": "content_block_stop", "index": index})
        if rng.random() < 0.2:
            payloads.append({"type": "ping"})
    payloads.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 9},
        }
    )
    payloads.append({"type": "message_stop"})
    return payloads


def valid_openai_payloads(rng: random.Random) -> list[dict[str, Any] | str]:
    payloads: list[dict[str, Any] | str] = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(["content", "content", "reasoning_content", "reasoning", "tool_calls"])
        if key == "tool_calls":
            call = {
                "index": rng.randint(0, 1),
                "function": {"arguments": rng.choice(['{"a"', ":1}"])},
            }
            delta: dict[str, Any] = {"tool_calls": [call]}
        else:
            delta = {key: random_text(rng)}
        payloads.append({"choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    payloads.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    payloads.append({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2}})
    payloads.append("[DONE]")
    return payloads


def mutate_payload(rng: random.Random, payload: Any) -> Any:
    """Replace, drop or retype one value somewhere inside a JSON payload."""
    if not isinstance(payload, dict) or not payload:
        return random_value(rng)
    payload = json.loads(json.dumps(payload))
    node = payload
    while True:
        key = rng.choice(list(node))
        child = node[key]
        if isinstance(child, dict) and child and rng.random() < 0.6:
            node = child
            continue
        action = rng.random()
        if action < 0.3:
            del node[key]
        elif action < 0.8:
            node[key] = random_value(rng)
        else:
            node[rng.choice(KEYS)] = random_value(rng)
        return payload


def mutate_text(rng: random.Random, data: str) -> str:
    roll = rng.random()
    if roll < 0.4 and data:
        return data[: rng.randint(0, len(data) - 1)]  # truncated JSON
    if roll < 0.7:
        position = rng.randint(0, len(data))
        return data[:position] + random_text(rng, 3) + data[position:]
    return random_text(rng, 30)


def sse_bytes(pairs: list[tuple[str, str]]) -> bytes:
    out = []
    for name, data in pairs:
        if name:
            out.append(f"event: {name}\n")
        out.extend(f"data: {line}\n" for line in data.split("\n"))
        out.append("\n")
    return "".join(out).encode("utf-8", "surrogatepass")


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        position = rng.randint(0, len(data))
        if roll < 0.25 and data:
            del data[position : position + rng.randint(1, 20)]
        elif roll < 0.5:
            data[position:position] = rng.randbytes(rng.randint(1, 8))
        elif roll < 0.7:
            data[position:position] = rng.choice(
                [
                    b"\n",
                    b"\r",
                    b"\r\n",
                    b"\n\n",
                    b"data: ",
                    b"event: error\n",
                    b":",
                    b"\xef\xbb\xbf",
                ]
            )
        elif roll < 0.85 and data:
            data = data[: rng.randint(0, len(data))]
        elif data:
            index = min(position, len(data) - 1)
            data[index] = rng.randint(0, 255)
    return bytes(data)


def decode_sse(raw: bytes, chunk_sizes: list[int] | None = None) -> list[tuple[str, str]]:
    """Decode bytes the way ChatClient does (its capped SseReader), in the given chunks."""
    pieces, start = [], 0
    for size in chunk_sizes or []:
        pieces.append(raw[start : start + size])
        start += size
    pieces.append(raw[start:])
    reader = SseReader()
    pairs = [(e.event, e.data) for piece in pieces if piece for e in reader.feed(piece)]
    reader.finish()
    return pairs


def decode_with_httpx_sse(raw: bytes) -> list[tuple[str, str]]:
    """The reference: httpx-sse 0.4.3 over httpx's text decoding."""
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=raw)
    return [(sse.event, sse.data) for sse in EventSource(response).iter_sse()]


def assert_saveable(events: list[StreamEvent], message: ChatMessage) -> None:
    """Every text and thinking delta, and the text the accumulator built from them, can be
    encoded (and so saved) as UTF-8; the message as a whole serialises."""
    for event in events:
        if isinstance(event, TextDelta):
            event.text.encode("utf-8")
        elif isinstance(event, ThinkingDelta):
            event.thinking.encode("utf-8")
    for block in message.content:
        for key in ("text", "thinking"):
            value = block.get(key)
            if isinstance(value, str):
                value.encode("utf-8")
    json.dumps(message.to_json())


# -- parser-level fuzzing -----------------------------------------------------------------------


def run_anthropic(pairs: list[tuple[str, str]]) -> list[StreamEvent]:
    parser = AnthropicStreamParser("req")
    message = ChatMessage(role="assistant", content=[])
    accumulator = MessageAccumulator(message)
    events: list[StreamEvent] = []
    try:
        for name, data in pairs:
            for event in parser.feed(name, data):
                accumulator.apply(event)
                events.append(event)
            if parser.finished:
                break
        parser.finish()
    except ApiError as error:
        for event in parser.flush_held():
            accumulator.apply(event)
            events.append(event)
        accumulator.fail(error)
        assert message.status in (MessageStatus.ERROR, MessageStatus.INTERRUPTED)
    else:
        assert parser.finished
    assert_saveable(events, message)
    return events


def run_openai(datas: list[str]) -> list[StreamEvent]:
    parser = OpenAIStreamParser("req")
    message = ChatMessage(role="assistant", content=[])
    accumulator = MessageAccumulator(message)
    events: list[StreamEvent] = []
    try:
        for data in datas:
            events.extend(parser.feed("message", data))
            if parser.finished:
                break
        events.extend(parser.finish())
    except ApiError as error:
        events.extend(parser.flush_held())
        for event in events:
            accumulator.apply(event)
        accumulator.fail(error)
    else:
        assert isinstance(events[-1], MessageStopped)
        for event in events:
            accumulator.apply(event)
        assert message.status == MessageStatus.COMPLETE
    assert_saveable(events, message)
    return events


def event_name(payload: Any) -> str:
    """The SSE event name a server would give this payload."""
    kind = payload.get("type") if isinstance(payload, dict) else None
    return kind if isinstance(kind, str) else "message"


def anthropic_case(rng: random.Random) -> list[tuple[str, str]]:
    style = rng.random()
    if style < 0.25:  # random names and data
        return [
            (
                rng.choice(ANTHROPIC_TYPES),
                rng.choice([random_text(rng, 20), json.dumps(random_value(rng))]),
            )
            for _ in range(rng.randint(0, 8))
        ]
    payloads: list[Any] = valid_anthropic_payloads(rng)
    if style < 0.6:  # structurally mutated payloads
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(payloads))
            payloads[position] = mutate_payload(rng, payloads[position])
    pairs = [(event_name(p), json.dumps(p)) for p in payloads]
    if style >= 0.6:  # text-level damage: truncated JSON, inserted junk, random unicode
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(pairs))
            name, data = pairs[position]
            pairs[position] = (name, mutate_text(rng, data))
    if rng.random() < 0.2:
        pairs = pairs[: rng.randint(0, len(pairs))]
    return pairs


def openai_case(rng: random.Random) -> list[str]:
    style = rng.random()
    if style < 0.25:
        return [
            rng.choice([random_text(rng, 20), json.dumps(random_value(rng)), "[DONE]"])
            for _ in range(rng.randint(0, 8))
        ]
    payloads: list[Any] = valid_openai_payloads(rng)
    if style < 0.6:
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(payloads))
            payloads[position] = mutate_payload(rng, payloads[position])
    datas = [p if isinstance(p, str) else json.dumps(p) for p in payloads]
    if style >= 0.6:
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(datas))
            datas[position] = mutate_text(rng, datas[position])
    if rng.random() < 0.2:
        datas = datas[: rng.randint(0, len(datas))]
    return datas


@pytest.mark.parametrize("seed", range(4))
def test_anthropic_parser_fuzz(seed: int) -> None:
    rng = random.Random(seed)
    for case in range(500):
        pairs = anthropic_case(rng)
        try:
            run_anthropic(pairs)
            second_anthropic_turn(rng)
        except Exception as exc:  # pragma: no cover - the report is the point
            raise AssertionError(f"seed {seed} case {case}: {pairs!r}") from exc


@pytest.mark.parametrize("seed", range(4))
def test_openai_parser_fuzz(seed: int) -> None:
    rng = random.Random(1000 + seed)
    for case in range(500):
        datas = openai_case(rng)
        try:
            run_openai(datas)
            second_openai_turn(rng)
        except Exception as exc:  # pragma: no cover
            raise AssertionError(f"seed {seed} case {case}: {datas!r}") from exc


@pytest.mark.parametrize("seed", range(3))
def test_sse_decoding_of_random_and_mutated_bytes(seed: int) -> None:
    rng = random.Random(2000 + seed)
    for case in range(300):
        roll = rng.random()
        if roll < 0.3:
            raw = rng.randbytes(rng.randint(0, 300))
        elif roll < 0.65:
            raw = mutate_bytes(rng, sse_bytes(anthropic_case(rng)))
        else:
            raw = mutate_bytes(rng, sse_bytes([("", d) for d in openai_case(rng)]))
        chunks = [rng.randint(1, 7) for _ in range(rng.randint(0, 40))]
        try:
            pairs = decode_sse(raw, chunks)
            assert pairs == decode_sse(raw)  # chunk boundaries change nothing
            if not raw.startswith(b"\xef\xbb\xbf"):  # the one documented difference
                assert pairs == decode_with_httpx_sse(raw)
            run_anthropic(pairs)
            run_openai([data for _name, data in pairs if data])
        except Exception as exc:  # pragma: no cover
            raise AssertionError(f"seed {seed} case {case}: {raw!r} {chunks}") from exc


# -- split surrogate pairs ----------------------------------------------------------------------

ASTRAL = ["😀", "🎉", "🤔", "𝄞", "👍🏽", "🇫🇷", "𠜎"]


def emoji_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.5:
            pieces.append(rng.choice(ASTRAL))
        elif roll < 0.8:
            pieces.append(chr(rng.randint(32, 126)))
        else:
            pieces.append(rng.choice(["é", "中", "\n", " "]))
    return "".join(pieces)


def utf16_pieces(rng: random.Random, text: str) -> list[str]:
    """``text`` cut at random UTF-16 code units, as a relay that splits JSON strings does:
    a cut inside a pair leaves a lone high surrogate ending one piece and a low one
    starting the next."""
    units = text.encode("utf-16-le")
    count = len(units) // 2
    cuts = (
        sorted(rng.sample(range(1, count), min(count - 1, rng.randint(0, 6)))) if count > 1 else []
    )
    bounds = [0, *cuts, count]
    return [
        units[2 * a : 2 * b].decode("utf-16-le", "surrogatepass")
        for a, b in itertools.pairwise(bounds)
    ]


def split_anthropic_reply(rng: random.Random) -> tuple[list[tuple[str, str]], str, str]:
    """A valid reply whose thinking and text deltas split emoji; (pairs, thinking, text)."""
    thinking, text = emoji_text(rng), emoji_text(rng)
    payloads: list[dict[str, Any]] = [
        {"type": "message_start", "message": {"id": "m", "model": "c", "usage": {}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking"}},
        *(
            {"type": "content_block_delta", "index": 0,
             "delta": {"type": "thinking_delta", "thinking": piece}}
            for piece in utf16_pieces(rng, thinking)
        ),
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text"}},
        *(
            {"type": "content_block_delta", "index": 1,
             "delta": {"type": "text_delta", "text": piece}}
            for piece in utf16_pieces(rng, text)
        ),
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}},
        {"type": "message_stop"},
    ]  # fmt: skip
    # json.dumps escapes each lone half as \udXXX, exactly what such a relay sends
    return [(p["type"], json.dumps(p)) for p in payloads], thinking, text


def split_openai_reply(rng: random.Random) -> tuple[list[str], str, str]:
    thinking, text = emoji_text(rng), emoji_text(rng)
    field = rng.choice(["reasoning_content", "reasoning"])
    datas = [
        json.dumps({"choices": [{"index": 0, "delta": {field: piece}}]})
        for piece in utf16_pieces(rng, thinking)
    ]
    datas += [
        json.dumps({"choices": [{"index": 0, "delta": {"content": piece}}]})
        for piece in utf16_pieces(rng, text)
    ]
    datas += [json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})]
    return [*datas, "[DONE]"], thinking, text


def joined(events: list[StreamEvent]) -> tuple[str, str]:
    thinking = "".join(e.thinking for e in events if isinstance(e, ThinkingDelta))
    return thinking, "".join(e.text for e in events if isinstance(e, TextDelta))


def second_anthropic_turn(rng: random.Random) -> None:
    """After any first case, a clean reply on a fresh parser comes out exactly."""
    pairs, thinking, text = split_anthropic_reply(rng)
    events = run_anthropic(pairs)
    assert isinstance(events[-1], MessageStopped)
    assert joined(events) == (thinking, text)


def second_openai_turn(rng: random.Random) -> None:
    datas, thinking, text = split_openai_reply(rng)
    events = run_openai(datas)
    assert joined(events) == (thinking, text)


@pytest.mark.parametrize("seed", range(3))
def test_split_surrogate_pairs_are_rejoined(seed: int) -> None:
    rng = random.Random(6000 + seed)
    for case in range(200):
        pairs, thinking, text = split_anthropic_reply(rng)
        datas, o_thinking, o_text = split_openai_reply(rng)
        try:
            assert joined(run_anthropic(pairs)) == (thinking, text)
            assert joined(run_openai(datas)) == (o_thinking, o_text)
        except Exception as exc:  # pragma: no cover
            raise AssertionError(f"seed {seed} case {case}: {pairs!r} {datas!r}") from exc


@pytest.mark.parametrize("seed", range(3))
def test_split_surrogates_through_mutation_never_leave_lone_halves(seed: int) -> None:
    """Dropped, swapped or truncated split deltas: halves that lose their pair become U+FFFD."""
    rng = random.Random(6500 + seed)
    for case in range(200):
        pairs, _, _ = split_anthropic_reply(rng)
        datas, _, _ = split_openai_reply(rng)
        for _ in range(rng.randint(1, 3)):
            del pairs[rng.randrange(1, len(pairs))]
            position = rng.randrange(len(datas))
            datas[position : position + 1] = rng.choice([[], [datas[position]] * 2])
        try:
            run_anthropic(pairs)  # asserts that no delta holds a lone surrogate
            run_openai(datas)
        except Exception as exc:  # pragma: no cover
            raise AssertionError(f"seed {seed} case {case}: {pairs!r} {datas!r}") from exc


def test_valid_cases_complete() -> None:
    """The generators' unmutated streams really are complete replies (the fuzz's baseline)."""
    rng = random.Random(7)
    for _ in range(50):
        payloads = valid_anthropic_payloads(rng)
        events = run_anthropic([(p["type"], json.dumps(p)) for p in payloads])
        assert isinstance(events[-1], MessageStopped)
        datas = [p if isinstance(p, str) else json.dumps(p) for p in valid_openai_payloads(rng)]
        assert isinstance(run_openai(datas)[-1], MessageStopped)


# -- ChatClient.stream fuzzing ------------------------------------------------------------------


class ChunkedBody(httpx.AsyncByteStream):
    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece


class FuzzEndpoint:
    """Serves the current case's answer for every attempt of one stream."""

    def __init__(self) -> None:
        self.status = 200
        self.content_type = "text/event-stream"
        self.pieces: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            self.status,
            headers={"content-type": self.content_type},
            stream=ChunkedBody(list(self.pieces)),
        )


def split_randomly(rng: random.Random, raw: bytes) -> list[bytes]:
    pieces = []
    while raw:
        size = rng.randint(1, 64)
        pieces.append(raw[:size])
        raw = raw[size:]
    return pieces


async def _no_sleep(_delay: float) -> None:
    return None


def check_stream_events(events: list[StreamEvent]) -> None:
    assert events, "a stream always ends with an event"
    last = events[-1]
    assert isinstance(last, StreamFailed | MessageStopped)
    assert not any(isinstance(e, StreamFailed | MessageStopped) for e in events[:-1])
    content_seen = False
    for event in events:
        if isinstance(event, CONTENT_EVENTS):
            content_seen = True
        if isinstance(event, Retrying):
            assert not content_seen, "never retried after content"
            content_seen = False
    for event in events:
        if isinstance(event, TextDelta):
            event.text.encode("utf-8")
        elif isinstance(event, ThinkingDelta):
            event.thinking.encode("utf-8")
    if isinstance(last, StreamFailed):
        assert isinstance(last.error, ApiError)
        assert str(last.error)
        if last.partial:
            assert content_seen


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_chat_client_stream_never_raises(api_format: str) -> None:
    rng = random.Random(3000 if api_format == "anthropic" else 4000)
    endpoint = FuzzEndpoint()
    profile = Profile(
        name="fuzz",
        base_url="https://relay.example",
        api_key="sk-fuzz",
        api_format=api_format,  # type: ignore[arg-type]
        max_retries=1,
    )
    client = ChatClient(
        profile,
        transport=httpx.MockTransport(endpoint),
        retry_policy=RetryPolicy(max_retries=1, random_source=rng.random),
        sleep=_no_sleep,
    )
    request = ChatRequest(history=[ChatMessage.user("hi")], model="m", max_tokens=16)
    async with client:
        for case in range(400):
            if api_format == "anthropic":
                stream = sse_bytes(anthropic_case(rng))
            else:
                stream = sse_bytes([("", data) for data in openai_case(rng)])
            roll = rng.random()
            if roll < 0.25:
                raw = rng.randbytes(rng.randint(0, 400))
            elif roll < 0.45:
                raw = stream
            else:
                raw = mutate_bytes(rng, stream)
            endpoint.status = rng.choice([200] * 8 + [400, 429, 500, 529])
            endpoint.content_type = rng.choice(
                ["text/event-stream"] * 6
                + ["text/event-stream; charset=utf-8", "text/html", "application/json", ""]
            )
            endpoint.pieces = split_randomly(rng, raw)
            events: list[StreamEvent] = []
            try:
                async for event in client.stream(request):
                    events.append(event)
                check_stream_events(events)
                # A second turn on the same client gets its reply whole, split emoji and all.
                if api_format == "anthropic":
                    pairs, thinking, text = split_anthropic_reply(rng)
                    second = sse_bytes(pairs)
                else:
                    datas, thinking, text = split_openai_reply(rng)
                    second = sse_bytes([("", data) for data in datas])
                endpoint.status, endpoint.content_type = 200, "text/event-stream"
                endpoint.pieces = split_randomly(rng, second)
                events = [event async for event in client.stream(request)]
                assert isinstance(events[-1], MessageStopped), events[-1]
                assert joined(events) == (thinking, text)
            except Exception as exc:  # pragma: no cover
                raise AssertionError(
                    f"{api_format} case {case}: status {endpoint.status} "
                    f"{endpoint.content_type!r} body {raw!r}"
                ) from exc
