"""Reading one reply's events under its two time limits, whatever bytes keep arriving.

httpx's read timeout restarts at every byte, so a relay sending ``: keep-alive`` each second, or
one byte a second of a line that never ends, would keep a reply open forever. Here both limits
are measured on the event stream itself:

- the whole-reply ``timeout`` is a wall-clock deadline on the attempt;
- the ``idle_timeout`` counts from the last *content progress*: an event the parser turned into
  something (a comment, a ``ping``, an empty event, an empty delta or part of a line is not).

Events are yielded as each read of the socket is parsed (runs of text deltas joined, see
:func:`joined_deltas`), so everything that arrived before a limit is reached or a failure
is with the caller before the error is raised.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

import httpx

from claude_tui.wire.api_format import StreamParser
from claude_tui.wire.errors import ApiError, ReplyTimeoutError
from claude_tui.wire.events import (
    CONTENT_EVENTS,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
)
from claude_tui.wire.sse_reader import SseReader

#: Builds the reader for each reply; tests swap it to watch the reader's buffer.
ReaderFactory = Callable[[], SseReader]


@dataclass(frozen=True)
class ReplyLimits:
    """The profile's two limits for one attempt, and the deadline already running."""

    deadline: float
    """``time.monotonic()`` value at which the whole reply must be done."""
    timeout: float
    idle_timeout: float


@dataclass
class AttemptProgress:
    """What one try at the request got to before it ended."""

    content_arrived: bool = False


async def reply_events(
    response: httpx.Response,
    parser: StreamParser,
    limits: ReplyLimits,
    progress: AttemptProgress,
    *,
    reader_factory: ReaderFactory = SseReader,
) -> AsyncGenerator[StreamEvent, None]:
    """The parsed events of ``response``; raises an ApiError subclass when it ends badly."""
    reader = reader_factory()
    chunks = response.aiter_bytes()
    last_progress = time.monotonic()
    comments_then = 0  # keep-alive comments seen up to the last progress
    try:
        while True:
            now = time.monotonic()
            if now >= limits.deadline:
                raise _whole_reply_timeout(limits, parser)
            if now - last_progress >= limits.idle_timeout:
                raise _idle_timeout(limits, parser, reader, comments_then)
            wait_until = min(limits.deadline, last_progress + limits.idle_timeout)
            try:
                # A fresh scope per read: a scope held across ``yield`` would cancel whatever
                # the consumer happened to be awaiting.
                async with asyncio.timeout(wait_until - now):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except TimeoutError:
                if wait_until >= limits.deadline:
                    raise _whole_reply_timeout(limits, parser) from None
                raise _idle_timeout(limits, parser, reader, comments_then) from None
            parsed: list[StreamEvent] = []
            try:
                for sse in reader.feed(chunk):
                    events = parser.feed(sse.event, sse.data)
                    parsed.extend(events)
                    if events and _advances(events):
                        last_progress = time.monotonic()
                        comments_then = reader.comments
                    if parser.finished:
                        break
            finally:  # what the chunk held before a failure reaches the caller first
                for event in joined_deltas(parsed):
                    if isinstance(event, CONTENT_EVENTS):
                        progress.content_arrived = True
                    yield event
            if parser.finished:
                return
        reader.finish()
        for event in parser.finish():
            yield event
    except (ApiError, httpx.HTTPError):
        # Half of a surrogate pair held back for the next delta will not get one: show it as
        # U+FFFD with the rest of what arrived.
        for event in parser.flush_held():
            yield event
        raise


def joined_deltas(events: list[StreamEvent]) -> list[StreamEvent]:
    """``events`` with each run of text (or thinking) deltas to one block joined into one.

    A fast reply brings hundreds of events in one read of the socket; every one of them
    went through five generators, the accumulator, the session's checkpoint clock and
    the view, a few microseconds each: more than reading the stream cost. Joined, a read
    is a handful of events, and the text is the same.
    """
    if len(events) < 2:
        return events
    joined: list[StreamEvent] = []
    for event in events:
        last = joined[-1] if joined else None
        if (
            isinstance(event, TextDelta)
            and isinstance(last, TextDelta)
            and last.index == event.index
        ):
            joined[-1] = TextDelta(event.index, last.text + event.text)
        elif (
            isinstance(event, ThinkingDelta)
            and isinstance(last, ThinkingDelta)
            and last.index == event.index
        ):
            joined[-1] = ThinkingDelta(event.index, last.thinking + event.thinking)
        else:
            joined.append(event)
    return joined


def _advances(events: list[StreamEvent]) -> bool:
    """Whether these events are progress: anything but empty deltas (some relays send
    ``"content": ""`` chunks as heartbeats)."""
    for event in events:
        if isinstance(event, TextDelta):
            if event.text:
                return True
        elif isinstance(event, ThinkingDelta):
            if event.thinking:
                return True
        elif isinstance(event, ToolInputDelta):
            if event.partial_json:
                return True
        else:
            return True
    return False


def _whole_reply_timeout(limits: ReplyLimits, parser: StreamParser) -> ReplyTimeoutError:
    return ReplyTimeoutError(
        f"The reply took longer than the profile's timeout ({limits.timeout:g} s), so it was "
        "cut off; what arrived is kept, and you can continue or retry (or raise timeout)",
        request_id=parser.request_id,
    )


def _idle_timeout(
    limits: ReplyLimits, parser: StreamParser, reader: SseReader, comments_then: int
) -> ReplyTimeoutError:
    if reader.buffered_bytes:
        what = " (only part of a line that never ended arrived)"
    elif reader.comments > comments_then:
        what = " (only keep-alives arrived)"
    else:
        what = ""
    return ReplyTimeoutError(
        f"No reply content for {limits.idle_timeout:g} s{what}, so the reply was cut off; "
        "what arrived is kept, and you can continue or retry (or raise idle_timeout)",
        request_id=parser.request_id,
    )
