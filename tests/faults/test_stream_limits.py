"""The capped SSE reader: same events as httpx-sse, bounded memory, a clear error past a cap."""

from __future__ import annotations

import random

import httpx
import pytest
from httpx_sse import EventSource

from claude_tui.wire.errors import MalformedStreamError, StreamTooLargeError
from claude_tui.wire.sse_reader import MAX_EVENT_CHARS, MAX_LINE_BYTES, SseReader


def read_all(chunks: list[bytes], reader: SseReader | None = None) -> list[tuple[str, str]]:
    reader = reader or SseReader()
    events = [(e.event, e.data) for chunk in chunks for e in reader.feed(chunk)]
    reader.finish()
    return events


def httpx_sse_events(chunks: list[bytes]) -> list[tuple[str, str]]:
    response = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=iter(chunks)
    )
    return [(e.event, e.data) for e in EventSource(response).iter_sse()]


def split_at(raw: bytes, sizes: list[int]) -> list[bytes]:
    pieces, start = [], 0
    for size in sizes:
        pieces.append(raw[start : start + size])
        start += size
    pieces.append(raw[start:])
    return [p for p in pieces if p]


def test_fields_comments_multiline_data_and_default_name() -> None:
    raw = (
        b": keep-alive\n"
        b'event: message_start\ndata: {"a":1}\n\n'
        b"data: line one\ndata:line two\n\n"
        b"event: ping\n\n"
        b"id: 7\nretry: 10\nfoo: ignored\ndata: x\n\n"
    )
    reader = SseReader()
    assert read_all([raw], reader) == [
        ("message_start", '{"a":1}'),
        ("message", "line one\nline two"),
        ("ping", ""),
        ("message", "x"),
    ]
    assert reader.comments == 1


@pytest.mark.parametrize("newline", [b"\n", b"\r", b"\r\n"])
def test_every_line_ending_even_split_across_chunks(newline: bytes) -> None:
    raw = newline.join([b"event: a", b"data: 1", b"", b"data: 2", b"", b""])
    expected = [("a", "1"), ("message", "2")]
    assert read_all([raw]) == expected
    for cut in range(1, len(raw)):
        assert read_all([raw[:cut], raw[cut:]]) == expected, cut
    assert read_all([bytes([b]) for b in raw]) == expected


def test_multibyte_character_split_across_chunks() -> None:
    raw = "data: café 😀 ok\n\n".encode()
    for cut in range(1, len(raw)):
        assert read_all([raw[:cut], raw[cut:]]) == [("message", "café 😀 ok")]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    assert read_all([b"data: a\xffb\n\n"]) == [("message", "a\ufffdb")]


def test_leading_bom_is_dropped_even_split() -> None:
    raw = b"\xef\xbb\xbfevent: message_start\ndata: {}\n\n"
    for cut in range(1, 4):
        assert read_all([raw[:cut], raw[cut:]]) == [("message_start", "{}")]
    # only at the very start
    assert read_all([b"data: \xef\xbb\xbfx\n\n"]) == [("message", "\ufeffx")]


def test_event_without_closing_blank_line_is_dropped() -> None:
    assert read_all([b"data: 1\n\ndata: 2\n"]) == [("message", "1")]
    assert read_all([b"data: 1\n\ndata: 2"]) == [("message", "1")]


@pytest.mark.parametrize("seed", range(3))
def test_same_events_as_httpx_sse_on_random_bytes(seed: int) -> None:
    """Differential check: for any bytes without a BOM, both readers agree, however chunked."""
    rng = random.Random(5000 + seed)
    alphabet = [b"\n", b"\r", b"\r\n", b"data: ", b"data:", b"event: ", b": c", b"id: 1",
                b"id: \x00", b"retry: 5", b"retry: x", b"x", b"{}", b" ", b"\xc3\xa9", b"\xf0\x9f",
                b"\x98\x80", b"\xff", b":"]  # fmt: skip
    for case in range(300):
        raw = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if raw.startswith(b"\xef\xbb\xbf"):
            continue
        sizes = [rng.randint(1, 6) for _ in range(rng.randint(0, 12))]
        chunks = split_at(raw, sizes)
        assert read_all(chunks) == httpx_sse_events(chunks), (case, raw, sizes)


def test_endless_line_is_refused_at_the_cap_and_never_buffered_past_it() -> None:
    reader = SseReader(max_line_bytes=1000)
    chunk = b"x" * 64
    with pytest.raises(StreamTooLargeError, match="1,000 bytes") as caught:
        for _ in range(100):
            list(reader.feed(chunk))
    assert reader.peak_buffered <= 1000
    assert isinstance(caught.value, MalformedStreamError)  # not retried
    assert "what arrived before it is kept" in str(caught.value)


def test_long_line_inside_one_chunk_is_refused() -> None:
    reader = SseReader(max_line_bytes=100)
    with pytest.raises(StreamTooLargeError):
        list(reader.feed(b"data: " + b"y" * 200 + b"\n\n"))


def test_events_before_the_oversized_line_are_delivered_first() -> None:
    reader = SseReader(max_line_bytes=100)
    received = []
    with pytest.raises(StreamTooLargeError):
        for event in reader.feed(b"data: ok\n\ndata: " + b"z" * 500):
            received.append(event.data)
    assert received == ["ok"]


def test_event_data_over_the_cap_is_refused() -> None:
    reader = SseReader(max_event_chars=50)
    with pytest.raises(StreamTooLargeError, match="50 characters"):
        list(reader.feed(b"data: 0123456789\n" * 10))


def test_default_caps_are_documented_sizes() -> None:
    assert MAX_LINE_BYTES == 1024 * 1024
    assert MAX_EVENT_CHARS == 4 * 1024 * 1024
    with pytest.raises(StreamTooLargeError, match="1 MiB"):
        list(SseReader().feed(b"data: " + b"q" * MAX_LINE_BYTES))
