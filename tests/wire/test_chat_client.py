"""ChatClient over httpx.MockTransport: headers, retries, key refresh, failures as events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_tui import __version__
from claude_tui.chat_message import ChatMessage
from claude_tui.profiles.key_source import KeySource
from claude_tui.profiles.profile import Profile
from claude_tui.wire.chat_client import ChatClient
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.errors import (
    AuthenticationError,
    BadRequestError,
    ConnectionFailedError,
    CrossOriginRedirectError,
    KeyUnavailableError,
    MalformedStreamError,
    NotFoundError,
    OverloadedError,
    RedirectRefusedError,
    ReplyTimeoutError,
    StreamErrorEvent,
    StreamInterruptedError,
    StreamTooLargeError,
    UnexpectedResponseError,
)
from claude_tui.wire.events import (
    KeyRefreshed,
    MessageStarted,
    MessageStopped,
    Retrying,
    StreamEvent,
    StreamFailed,
    TextDelta,
)
from claude_tui.wire.openai_format import OpenAIFormat
from claude_tui.wire.retry_policy import RetryPolicy
from claude_tui.wire.sse_reader import MAX_LINE_BYTES, SseReader

Handler = Callable[[httpx.Request], httpx.Response]


def make_profile(**overrides: Any) -> Profile:
    settings: dict[str, Any] = {
        "name": "relay",
        "base_url": "https://relay.example",
        "api_key": "sk-test",
        "model": "claude-sonnet-4-5",
    }
    settings.update(overrides)
    return Profile(**settings)


def chat_request() -> ChatRequest:
    return ChatRequest(history=[ChatMessage.user("hi")], model="claude-sonnet-4-5", max_tokens=64)


def sse(*payloads: dict[str, Any]) -> bytes:
    return "".join(f"event: {p['type']}\ndata: {json.dumps(p)}\n\n" for p in payloads).encode()


def text_block(index: int, text: str) -> list[dict[str, Any]]:
    start = {"type": "text", "text": ""}
    return [
        {"type": "content_block_start", "index": index, "content_block": start},
        {
            "type": "content_block_delta",
            "index": index,
            "delta": {"type": "text_delta", "text": text},
        },
        {"type": "content_block_stop", "index": index},
    ]


MESSAGE_START = {
    "type": "message_start",
    "message": {"id": "msg_1", "model": "claude-sonnet-4-5", "usage": {"input_tokens": 5}},
}
MESSAGE_END = [
    {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 3}},
    {"type": "message_stop"},
]


def reply_stream(text: str = "Hello!") -> bytes:
    return sse(MESSAGE_START, *text_block(0, text), *MESSAGE_END)


def stream_response(body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream", **headers}, content=body
    )


def error_response(status: int, error_type: str, message: str, **headers: str) -> httpx.Response:
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    return httpx.Response(status, json=body, headers=headers)


class Server:
    """A scripted endpoint: answers requests in order and records them."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class SleepRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make_client(
    server: Server,
    profile: Profile | None = None,
    *,
    sleep: SleepRecorder | None = None,
    key_source: KeySource | None = None,
) -> ChatClient:
    profile = profile or make_profile()
    return ChatClient(
        profile,
        key_source=key_source,
        transport=server.transport,
        retry_policy=RetryPolicy(max_retries=profile.max_retries, random_source=lambda: 0.0),
        sleep=sleep or SleepRecorder(),
    )


async def collect(client: ChatClient, request: ChatRequest | None = None) -> list[StreamEvent]:
    events = [event async for event in client.stream(request or chat_request())]
    await client.aclose()
    return events


def reply_text(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def failure(events: list[StreamEvent]) -> StreamFailed:
    last = events[-1]
    assert isinstance(last, StreamFailed), events
    assert not any(isinstance(e, StreamFailed) for e in events[:-1])
    return last


# -- a normal reply and its headers -----------------------------------------------------------


async def test_successful_reply_and_anthropic_headers() -> None:
    server = Server(stream_response(reply_stream(), **{"request-id": "req_ok"}))
    events = await collect(make_client(server))
    assert reply_text(events) == "Hello!"
    assert isinstance(events[0], MessageStarted) and events[0].request_id == "req_ok"
    assert events[-1] == MessageStopped()
    (sent,) = server.requests
    assert sent.method == "POST"
    assert str(sent.url) == "https://relay.example/v1/messages"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.headers["x-api-key"] == "sk-test"
    assert "authorization" not in sent.headers
    assert "anthropic-beta" not in sent.headers
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.headers["user-agent"] == f"claude-tui/{__version__}"
    body = json.loads(sent.content)
    assert body["model"] == "claude-sonnet-4-5"
    assert body["stream"] is True
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]


async def test_base_url_with_v1_is_tolerated() -> None:
    server = Server(stream_response(reply_stream()))
    await collect(make_client(server, make_profile(base_url="https://relay.example/api/v1/")))
    assert str(server.requests[0].url) == "https://relay.example/api/v1/messages"


async def test_bearer_auth() -> None:
    server = Server(stream_response(reply_stream()))
    await collect(make_client(server, make_profile(auth="bearer")))
    sent = server.requests[0]
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert "x-api-key" not in sent.headers


async def test_custom_auth_header() -> None:
    server = Server(stream_response(reply_stream()))
    await collect(make_client(server, make_profile(auth_header="X-Relay-Token")))
    sent = server.requests[0]
    assert sent.headers["x-relay-token"] == "sk-test"
    assert "x-api-key" not in sent.headers and "authorization" not in sent.headers


async def test_auth_none_sends_no_key() -> None:
    server = Server(stream_response(reply_stream()))
    await collect(make_client(server, make_profile(auth="none", api_key=None)))
    sent = server.requests[0]
    assert "x-api-key" not in sent.headers and "authorization" not in sent.headers


async def test_custom_headers_beta_and_user_agent() -> None:
    server = Server(stream_response(reply_stream()))
    profile = make_profile(
        headers={"X-Group": "team-a", "X-Tenant": "t1"},
        anthropic_beta=("context-1m-2025-08-07", "interleaved-thinking-2025-05-14"),
        user_agent="my-agent/2.0",
    )
    await collect(make_client(server, profile))
    sent = server.requests[0]
    assert sent.headers["x-group"] == "team-a"
    assert sent.headers["x-tenant"] == "t1"
    assert sent.headers["anthropic-beta"] == (
        "context-1m-2025-08-07,interleaved-thinking-2025-05-14"
    )
    assert sent.headers["user-agent"] == "my-agent/2.0"


async def test_env_key_source() -> None:
    server = Server(stream_response(reply_stream()))
    profile = make_profile(api_key=None, api_key_env="RELAY_KEY")
    source = KeySource(profile, environ={"RELAY_KEY": "sk-env"})
    await collect(make_client(server, profile, key_source=source))
    assert server.requests[0].headers["x-api-key"] == "sk-env"


async def test_missing_key_is_a_failure_event_without_a_request() -> None:
    server = Server(stream_response(reply_stream()))
    profile = make_profile(api_key=None, api_key_env="RELAY_KEY")
    events = await collect(make_client(server, profile, key_source=KeySource(profile, environ={})))
    assert events == [failure(events)]
    assert isinstance(failure(events).error, KeyUnavailableError)
    assert "RELAY_KEY" in str(failure(events).error)
    assert server.requests == []


@pytest.mark.parametrize(
    "overrides",
    [{"api_key": "sk-clé"}, {"headers": {"X-Tenant": "Müller"}}],
    ids=["key", "header"],
)
async def test_header_value_httpx_cannot_send_is_a_failure_event(
    overrides: dict[str, Any],
) -> None:
    server = Server(stream_response(reply_stream()))
    events = await collect(make_client(server, make_profile(**overrides)))
    error = failure(events).error
    assert "ASCII" in str(error)
    assert "sk-clé" not in str(error)  # never echo the key
    assert server.requests == []


async def test_openai_format_request() -> None:
    chunks = [
        {"id": "c1", "model": "gpt-x", "choices": [{"index": 0, "delta": {"content": "Hi"}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {"choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": 1}},
    ]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    server = Server(stream_response(body.encode()))
    profile = make_profile(api_format="openai", base_url="https://openrouter.ai/api/v1")
    events = await collect(make_client(server, profile))
    assert reply_text(events) == "Hi"
    assert events[-1] == MessageStopped()
    sent = server.requests[0]
    assert str(sent.url) == "https://openrouter.ai/api/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert "anthropic-version" not in sent.headers
    sent_body = json.loads(sent.content)
    assert sent_body["stream_options"] == {"include_usage": True}


class RelayFormat(OpenAIFormat):
    """A third format, as a newcomer would add one: the client must use only what it says."""

    def stream_url(self, base_url: str) -> str:
        return f"{base_url}/relay/stream"

    def headers(self, profile: Profile) -> dict[str, str]:
        return {"x-relay-dialect": "chat"}


async def test_the_client_asks_its_format_for_url_headers_body_and_parser() -> None:
    chunks = [
        {"id": "c1", "choices": [{"index": 0, "delta": {"content": "Hi"}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)
    server = Server(stream_response(body.encode()))
    client = make_client(server, make_profile(base_url="https://relay.test"))  # "anthropic"
    client.api_format = RelayFormat()
    events = await collect(client)
    assert reply_text(events) == "Hi"
    assert events[-1] == MessageStopped()
    sent = server.requests[0]
    assert str(sent.url) == "https://relay.test/relay/stream"
    assert sent.headers["x-relay-dialect"] == "chat"
    assert "anthropic-version" not in sent.headers
    assert json.loads(sent.content)["stream_options"] == {"include_usage": True}


async def test_openai_eof_after_finish_reason_completes() -> None:
    chunks = [
        {"choices": [{"index": 0, "delta": {"content": "Hi"}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]},
    ]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)
    server = Server(stream_response(body.encode()))
    events = await collect(make_client(server, make_profile(api_format="openai")))
    assert events[-1] == MessageStopped()


# -- retries ------------------------------------------------------------------------------------


async def test_529_then_success_retries_after_server_delay() -> None:
    sleep = SleepRecorder()
    server = Server(
        error_response(529, "overloaded_error", "Overloaded", **{"retry-after-ms": "250"}),
        stream_response(reply_stream("Second try")),
    )
    events = await collect(make_client(server, sleep=sleep))
    retrying = events[0]
    assert isinstance(retrying, Retrying)
    assert retrying.attempt == 1 and retrying.max_retries == 2
    assert retrying.delay == 0.25
    assert isinstance(retrying.error, OverloadedError)
    assert "overloaded" in retrying.description
    assert sleep.delays == [0.25]
    assert reply_text(events) == "Second try"
    assert events[-1] == MessageStopped()
    assert len(server.requests) == 2


async def test_retries_stop_at_max_retries_with_backoff() -> None:
    sleep = SleepRecorder()
    server = Server(error_response(503, "api_error", "Unavailable", **{"request-id": "req_5"}))
    events = await collect(make_client(server, make_profile(max_retries=3), sleep=sleep))
    assert [e.attempt for e in events if isinstance(e, Retrying)] == [1, 2, 3]
    assert sleep.delays == [0.5, 1.0, 2.0]  # random_source 0: no jitter
    assert len(server.requests) == 4
    error = failure(events).error
    assert error.status == 503 and error.request_id == "req_5"
    assert "Unavailable" in str(error) and "req_5" in str(error)
    assert not failure(events).partial


async def test_retry_after_seconds_header() -> None:
    sleep = SleepRecorder()
    server = Server(
        error_response(429, "rate_limit_error", "slow down", **{"retry-after": "2"}),
        stream_response(reply_stream()),
    )
    events = await collect(make_client(server, sleep=sleep))
    assert isinstance(events[0], Retrying) and events[0].delay == 2.0
    assert sleep.delays == [2.0]


async def test_spend_limit_429_is_not_retried() -> None:
    body = {
        "type": "error",
        "error": {
            "type": "rate_limit_error",
            "message": "spend limit reached",
            "details": {"error_code": "enforced_spend_limit_reached"},
        },
    }
    server = Server(httpx.Response(429, json=body))
    events = await collect(make_client(server))
    assert len(server.requests) == 1
    assert "spend limit" in str(failure(events).error)


async def test_zero_retries() -> None:
    server = Server(error_response(529, "overloaded_error", "busy"))
    events = await collect(make_client(server, make_profile(max_retries=0)))
    assert len(server.requests) == 1
    assert isinstance(failure(events).error, OverloadedError)


async def test_should_retry_false_header_stops_retries() -> None:
    server = Server(error_response(529, "overloaded_error", "busy", **{"x-should-retry": "false"}))
    events = await collect(make_client(server))
    assert len(server.requests) == 1
    assert not any(isinstance(e, Retrying) for e in events)


async def test_non_retryable_400_is_one_attempt() -> None:
    server = Server(
        error_response(
            400, "invalid_request_error", "max_tokens: too big", **{"request-id": "req_400"}
        )
    )
    events = await collect(make_client(server))
    assert len(server.requests) == 1
    assert len(events) == 1
    error = failure(events).error
    assert isinstance(error, BadRequestError)
    assert error.server_message == "max_tokens: too big"
    assert error.request_id == "req_400"


async def test_error_body_that_is_not_json_is_shown() -> None:
    server = Server(httpx.Response(404, text="<h1>no such route</h1>"))
    events = await collect(make_client(server))
    error = failure(events).error
    assert isinstance(error, NotFoundError)
    assert "no such route" in str(error)


async def test_connection_errors_are_retried_then_reported() -> None:
    sleep = SleepRecorder()
    server = Server(httpx.ConnectError("refused"))
    events = await collect(make_client(server, sleep=sleep))
    assert len(server.requests) == 3
    assert len(sleep.delays) == 2
    error = failure(events).error
    assert isinstance(error, ConnectionFailedError)
    assert "relay.example" in str(error)


async def test_connect_error_then_success() -> None:
    server = Server(httpx.ConnectError("refused"), stream_response(reply_stream("ok")))
    events = await collect(make_client(server))
    assert isinstance(events[0], Retrying)
    assert reply_text(events) == "ok"


async def test_read_timeout_before_answer_is_retried() -> None:
    server = Server(httpx.ReadTimeout("slow"), stream_response(reply_stream("late")))
    events = await collect(make_client(server))
    assert isinstance(events[0], Retrying)
    assert isinstance(events[0].error, ReplyTimeoutError)
    assert reply_text(events) == "late"


# -- answers that are not a stream --------------------------------------------------------------


async def test_html_200_is_an_unexpected_answer() -> None:
    page = "<html><head><title>Login required</title></head><body>" + "x" * 5000
    server = Server(httpx.Response(200, headers={"content-type": "text/html"}, text=page))
    events = await collect(make_client(server))
    assert len(server.requests) == 1
    error = failure(events).error
    assert isinstance(error, UnexpectedResponseError)
    message = str(error)
    assert "text/html" in message
    assert "<html><head><title>Login required" in message
    assert "api_format" in message or "base_url" in message
    assert len(message) < 500


async def test_json_200_is_an_unexpected_answer() -> None:
    server = Server(httpx.Response(200, json={"id": "msg", "content": []}))
    events = await collect(make_client(server))
    error = failure(events).error
    assert isinstance(error, UnexpectedResponseError)
    assert "application/json" in str(error)


async def test_garbage_in_the_stream_is_malformed_and_not_retried() -> None:
    server = Server(stream_response(b"data: this is not json\n\n"))
    events = await collect(make_client(server))
    assert len(server.requests) == 1
    assert isinstance(failure(events).error, MalformedStreamError)


# -- key refresh --------------------------------------------------------------------------------


def counter_command(tmp_path: Path) -> str:
    """A shell command printing key-1, key-2, ...: a new key on every run."""
    counter = tmp_path / "count"
    return (
        f'n=$(cat "{counter}" 2>/dev/null || echo 0); n=$((n+1)); '
        f'echo $n > "{counter}"; echo key-$n'
    )


async def test_401_with_key_command_refreshes_and_retries(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-api-key") == "key-2":
            return stream_response(reply_stream("welcome"))
        return error_response(401, "authentication_error", "invalid x-api-key")

    server = Server(answer)
    profile = make_profile(api_key=None, api_key_command=counter_command(tmp_path))
    sleep = SleepRecorder()
    events = await collect(make_client(server, profile, sleep=sleep))
    assert isinstance(events[0], KeyRefreshed)
    assert reply_text(events) == "welcome"
    assert events[-1] == MessageStopped()
    assert [r.headers["x-api-key"] for r in server.requests] == ["key-1", "key-2"]
    assert sleep.delays == []  # a refreshed key is tried at once


async def test_key_command_output_is_cached_between_requests(tmp_path: Path) -> None:
    server = Server(stream_response(reply_stream()))
    profile = make_profile(api_key=None, api_key_command=counter_command(tmp_path))
    client = make_client(server, profile)
    for _ in range(2):
        [event async for event in client.stream(chat_request())]
    await client.aclose()
    assert [r.headers["x-api-key"] for r in server.requests] == ["key-1", "key-1"]


async def test_second_401_after_refresh_fails(tmp_path: Path) -> None:
    server = Server(error_response(401, "authentication_error", "invalid x-api-key"))
    profile = make_profile(api_key=None, api_key_command=counter_command(tmp_path))
    events = await collect(make_client(server, profile))
    assert isinstance(events[0], KeyRefreshed)
    assert sum(isinstance(e, KeyRefreshed) for e in events) == 1
    assert isinstance(failure(events).error, AuthenticationError)
    assert len(server.requests) == 2


async def test_401_with_inline_key_fails_at_once() -> None:
    server = Server(error_response(401, "authentication_error", "invalid x-api-key"))
    events = await collect(make_client(server))
    assert len(events) == 1
    assert isinstance(failure(events).error, AuthenticationError)
    assert "key" in str(failure(events).error)
    assert len(server.requests) == 1


async def test_the_deltas_of_one_read_come_joined_per_block() -> None:
    """A fast relay's read holds many deltas: they reach the caller as one delta per run
    of a block, in order, with every character, and the next block's stay apart."""
    pieces = [f"word{n} " for n in range(200)]
    deltas = [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}
        for p in pieces
    ]
    start = {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "text", "text": ""},
    }
    body = sse(
        MESSAGE_START,
        start,
        *deltas,
        {"type": "content_block_stop", "index": 0},
        *text_block(1, "second block"),
        *MESSAGE_END,
    )
    events = await collect(make_client(Server(stream_response(body))))
    texts = [e for e in events if isinstance(e, TextDelta)]
    assert texts == [TextDelta(0, "".join(pieces)), TextDelta(1, "second block")]
    assert events[-1] == MessageStopped()


# -- failures mid-stream ------------------------------------------------------------------------


async def test_error_event_after_content_is_partial_and_not_retried() -> None:
    body = sse(
        MESSAGE_START,
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Par"}},
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )
    server = Server(stream_response(body, **{"request-id": "req_mid"}))
    events = await collect(make_client(server))
    assert reply_text(events) == "Par"
    last = failure(events)
    assert last.partial is True
    assert isinstance(last.error, StreamErrorEvent)
    assert last.error.error_type == "overloaded_error"
    assert last.error.request_id == "req_mid"
    assert len(server.requests) == 1
    assert not any(isinstance(e, Retrying) for e in events)


async def test_error_event_before_content_is_retried() -> None:
    first = sse(
        MESSAGE_START,
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )
    server = Server(stream_response(first), stream_response(reply_stream("after retry")))
    events = await collect(make_client(server))
    assert any(isinstance(e, Retrying) for e in events)
    assert reply_text(events) == "after retry"
    assert events[-1] == MessageStopped()


async def test_eof_without_message_stop_is_interrupted() -> None:
    body = sse(MESSAGE_START, *text_block(0, "cut short"))
    server = Server(stream_response(body))
    events = await collect(make_client(server))
    last = failure(events)
    assert isinstance(last.error, StreamInterruptedError)
    assert last.partial is True
    assert reply_text(events) == "cut short"
    assert len(server.requests) == 1


class BreakingStream(httpx.AsyncByteStream):
    """Sends some bytes, then the connection breaks."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx.ReadError("connection reset by peer")


async def test_connection_break_after_content_is_partial() -> None:
    body = sse(MESSAGE_START, *text_block(0, "before the break"))
    server = Server(
        httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=BreakingStream(body)
        )
    )
    events = await collect(make_client(server))
    last = failure(events)
    assert isinstance(last.error, StreamInterruptedError)
    assert last.partial is True
    assert reply_text(events) == "before the break"
    assert len(server.requests) == 1


class StallingStream(httpx.AsyncByteStream):
    """Sends some bytes, then nothing until the read times out."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx.ReadTimeout("no data")


async def test_idle_timeout_after_content_is_partial_and_not_retried() -> None:
    body = sse(MESSAGE_START, *text_block(0, "so far"))
    server = Server(
        httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=StallingStream(body)
        )
    )
    events = await collect(make_client(server, make_profile(idle_timeout=7)))
    last = failure(events)
    assert isinstance(last.error, ReplyTimeoutError)
    assert "7 s" in str(last.error)
    assert last.partial is True
    assert len(server.requests) == 1


class SlowStream(httpx.AsyncByteStream):
    """An event stream whose events trickle in with pauses."""

    def __init__(self, pieces: list[bytes], pause: float) -> None:
        self.pieces = pieces
        self.pause = pause

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece
            await asyncio.sleep(self.pause)


async def test_whole_reply_timeout_keeps_what_arrived() -> None:
    # The rest comes long after the deadline, so what arrived is exactly the first piece,
    # however loaded the machine.
    pieces = [
        sse(MESSAGE_START, *text_block(0, "slow ")[:2]),
        sse(text_block(0, "text")[1]),
        sse(*MESSAGE_END),
    ]
    server = Server(
        httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=SlowStream(pieces, 30)
        )
    )
    events = await collect(make_client(server, make_profile(timeout=0.2)))
    last = failure(events)
    assert isinstance(last.error, ReplyTimeoutError)
    assert "timeout" in str(last.error)
    assert last.partial is True
    assert reply_text(events) == "slow "
    assert len(server.requests) == 1


class TrackedStream(httpx.AsyncByteStream):
    """An endless event stream that notes when it is closed."""

    def __init__(self) -> None:
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield sse(MESSAGE_START, text_block(0, "x")[0])
        while True:
            yield sse(text_block(0, "more ")[1])

    async def aclose(self) -> None:
        self.closed = True


async def test_closing_the_stream_early_closes_the_response() -> None:
    tracked = TrackedStream()
    server = Server(
        httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=tracked)
    )
    client = make_client(server)
    stream = client.stream(chat_request())
    seen = 0
    async for event in stream:
        if isinstance(event, TextDelta):
            seen += 1
            if seen == 3:
                break
    await stream.aclose()  # type: ignore[attr-defined]
    assert tracked.closed
    await client.aclose()


# -- other endpoints ------------------------------------------------------------------------------


async def test_list_models_follows_pages() -> None:
    pages = {
        None: {
            "data": [{"id": "claude-a", "display_name": "Claude A"}, {"id": "claude-b"}],
            "has_more": True,
            "first_id": "claude-a",
            "last_id": "claude-b",
        },
        "claude-b": {
            "data": [{"id": "claude-c", "display_name": "Claude C", "max_tokens": 64000}],
            "has_more": False,
            "last_id": "claude-c",
        },
    }

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("after_id")])

    server = Server(answer)
    client = make_client(server)
    models = await client.list_models()
    await client.aclose()
    assert [m["id"] for m in models] == ["claude-a", "claude-b", "claude-c"]
    assert [m["display_name"] for m in models] == ["Claude A", "claude-b", "Claude C"]
    assert models[2]["max_tokens"] == 64000
    assert len(server.requests) == 2
    first, second = server.requests
    assert first.url.path == "/v1/models"
    assert first.method == "GET"
    assert "after_id" not in first.url.params
    assert second.url.params["after_id"] == "claude-b"
    assert first.headers["anthropic-version"] == "2023-06-01"
    assert first.headers["x-api-key"] == "sk-test"


async def test_list_models_openai() -> None:
    server = Server(
        httpx.Response(200, json={"object": "list", "data": [{"id": "m1"}, {"id": 3}, "x"]})
    )
    client = make_client(server, make_profile(api_format="openai"))
    models = await client.list_models()
    await client.aclose()
    assert models == [{"id": "m1", "display_name": "m1"}]
    assert str(server.requests[0].url) == "https://relay.example/v1/models"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"models": []}),
        httpx.Response(200, text="<html>"),
        httpx.Response(200, json=[1, 2]),
    ],
    ids=["no-data", "html", "list"],
)
async def test_list_models_bad_shape(answer: httpx.Response) -> None:
    client = make_client(Server(answer))
    with pytest.raises(UnexpectedResponseError):
        await client.list_models()
    await client.aclose()


async def test_list_models_error_status_raises_typed_error() -> None:
    client = make_client(Server(error_response(401, "authentication_error", "bad key")))
    with pytest.raises(AuthenticationError) as caught:
        await client.list_models()
    await client.aclose()
    assert "bad key" in str(caught.value)


async def test_list_models_connection_error() -> None:
    client = make_client(Server(httpx.ConnectError("refused")))
    with pytest.raises(ConnectionFailedError):
        await client.list_models()
    await client.aclose()


async def test_count_tokens() -> None:
    server = Server(httpx.Response(200, json={"input_tokens": 1234}))
    client = make_client(server)
    assert await client.count_tokens(chat_request()) == 1234
    await client.aclose()
    sent = server.requests[0]
    assert str(sent.url) == "https://relay.example/v1/messages/count_tokens"
    body = json.loads(sent.content)
    assert "max_tokens" not in body and "stream" not in body


@pytest.mark.parametrize(
    "answer",
    [
        error_response(404, "not_found_error", "no such endpoint"),
        httpx.Response(200, json={"tokens": 5}),
        httpx.Response(200, json=["x"]),
        httpx.Response(200, text="not json"),
        httpx.ConnectError("refused"),
    ],
    ids=["404", "no-field", "list", "text", "connect"],
)
async def test_count_tokens_falls_back_to_none(answer: httpx.Response | Exception) -> None:
    client = make_client(Server(answer))
    assert await client.count_tokens(chat_request()) is None
    await client.aclose()


async def test_count_tokens_not_asked_on_openai() -> None:
    server = Server(httpx.Response(200, json={"input_tokens": 1}))
    client = make_client(server, make_profile(api_format="openai"))
    assert await client.count_tokens(chat_request()) is None
    await client.aclose()
    assert server.requests == []


# -- time limits hold whatever bytes arrive -------------------------------------------------------


class ScriptedStream(httpx.AsyncByteStream):
    """Sends ``first``, then ``filler`` every ``pause`` seconds, ``repeat`` times (then EOF)."""

    def __init__(self, first: bytes, filler: bytes, pause: float, repeat: int = 400) -> None:
        self.first, self.filler, self.pause, self.repeat = first, filler, pause, repeat

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        for _ in range(self.repeat):
            await asyncio.sleep(self.pause)
            yield self.filler


def scripted_response(stream: httpx.AsyncByteStream) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=stream)


@pytest.mark.parametrize(
    ("filler", "said"),
    [
        (b": keep-alive\n\n", "only keep-alives"),
        (b'event: ping\ndata: {"type": "ping"}\n\n', "No reply content"),
        (b"\n\n", "No reply content"),
        (b"x", "part of a line"),
    ],
    ids=["comment", "ping", "blank", "trickled-line"],
)
async def test_idle_timeout_counts_content_not_bytes(filler: bytes, said: str) -> None:
    # Before: any byte restarted httpx's read timeout, so this ran until the filler ran out
    # (8 s here, forever from a hostile relay) and ended as a plain interruption.
    first = sse(MESSAGE_START, *text_block(0, "kept")[:2])
    if filler == b"x":
        first += b"event: content_block_delta\ndata: {"
    server = Server(scripted_response(ScriptedStream(first, filler, 0.02)))
    events = await collect(make_client(server, make_profile(idle_timeout=0.3, timeout=30)))
    last = failure(events)
    assert isinstance(last.error, ReplyTimeoutError)
    assert "0.3 s" in str(last.error) and said in str(last.error)
    assert "what arrived is kept" in str(last.error)
    assert last.partial is True
    assert reply_text(events) == "kept"
    assert len(server.requests) == 1


async def test_whole_reply_timeout_holds_against_keep_alives() -> None:
    first = sse(MESSAGE_START, *text_block(0, "kept")[:2])
    stream = ScriptedStream(first, b": keep-alive\n\n", 0.02)
    server = Server(scripted_response(stream))
    events = await collect(make_client(server, make_profile(idle_timeout=60, timeout=0.4)))
    last = failure(events)
    assert isinstance(last.error, ReplyTimeoutError)
    assert "timeout (0.4 s)" in str(last.error)
    assert last.partial is True
    assert reply_text(events) == "kept"


async def test_whole_reply_timeout_holds_against_steady_content() -> None:
    # Content keeps the idle timer happy; the whole-reply deadline still ends it.
    first = sse(MESSAGE_START, text_block(0, "x")[0])
    stream = ScriptedStream(first, sse(text_block(0, "more ")[1]), 0.01)
    server = Server(scripted_response(stream))
    events = await collect(make_client(server, make_profile(idle_timeout=60, timeout=0.3)))
    last = failure(events)
    assert isinstance(last.error, ReplyTimeoutError)
    assert reply_text(events).startswith("more ")


async def test_empty_deltas_are_not_progress() -> None:
    first = sse(MESSAGE_START, *text_block(0, "kept")[:2])
    empty = sse(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": ""}}
    )
    server = Server(scripted_response(ScriptedStream(first, empty, 0.02)))
    events = await collect(make_client(server, make_profile(idle_timeout=0.3, timeout=30)))
    assert isinstance(failure(events).error, ReplyTimeoutError)
    assert reply_text(events) == "kept"


async def test_endless_line_ends_with_a_size_error_and_bounded_buffer() -> None:
    readers: list[SseReader] = []

    def recording_reader() -> SseReader:
        readers.append(SseReader())
        return readers[-1]

    first = sse(MESSAGE_START, *text_block(0, "kept")[:2]) + b"data: "
    stream = ScriptedStream(first, b"z" * 65536, 0, repeat=10_000)
    client = make_client(Server(scripted_response(stream)))
    client.reader_factory = recording_reader
    events = await collect(client)
    last = failure(events)
    assert isinstance(last.error, StreamTooLargeError)
    assert "1 MiB" in str(last.error)
    assert last.partial is True
    assert reply_text(events) == "kept"
    assert readers[0].peak_buffered <= MAX_LINE_BYTES


# -- redirects never carry the key to another origin --------------------------------------------


def redirect(location: str, status: int = 307) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


@pytest.mark.parametrize(
    "auth", [{"auth": "x-api-key"}, {"auth": "bearer"}, {"auth_header": "X-Relay-Token"}]
)
async def test_cross_origin_redirect_is_refused_before_sending(auth: dict[str, str]) -> None:
    server = Server(redirect("https://other.example/relay/v1/messages"), stream_response(b""))
    events = await collect(make_client(server, make_profile(**auth)))
    error = failure(events).error
    assert isinstance(error, CrossOriginRedirectError)
    message = str(error)
    assert "https://other.example" in message and "was not sent" in message
    assert "base_url to https://other.example/relay" in message
    assert [r.url.host for r in server.requests] == ["relay.example"]  # nothing went there


@pytest.mark.parametrize(
    "location",
    ["http://relay.example/v1/messages", "https://relay.example:8443/v1/messages"],
    ids=["scheme", "port"],
)
async def test_another_scheme_or_port_is_another_origin(location: str) -> None:
    server = Server(redirect(location), stream_response(b""))
    events = await collect(make_client(server))
    assert isinstance(failure(events).error, CrossOriginRedirectError)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [307, 308])
async def test_same_origin_redirect_keeps_method_body_and_key(status: int) -> None:
    server = Server(redirect("/moved/v1/messages", status), stream_response(reply_stream()))
    events = await collect(make_client(server))
    assert reply_text(events) == "Hello!"
    first, second = server.requests
    assert str(second.url) == "https://relay.example/moved/v1/messages"
    assert second.method == "POST" and second.content == first.content
    assert second.headers["x-api-key"] == "sk-test"


async def test_redirect_loop_is_refused() -> None:
    server = Server(redirect("/v1/messages"))
    events = await collect(make_client(server))
    error = failure(events).error
    assert isinstance(error, RedirectRefusedError)
    assert "more than 5 times" in str(error)
    assert len(server.requests) == 6


async def test_list_models_and_count_tokens_refuse_cross_origin_redirects() -> None:
    server = Server(redirect("https://other.example/v1/models"))
    client = make_client(server)
    with pytest.raises(CrossOriginRedirectError):
        await client.list_models()
    assert await client.count_tokens(chat_request()) is None
    await client.aclose()
    assert {r.url.host for r in server.requests} == {"relay.example"}
