"""ChatClient against a hostile demo relay over real loopback sockets.

Each test asks the relay to misbehave the way a hostile or broken relay does (a redirect to
another origin, keep-alives forever, a trickled or endless line, emoji cut in half) and checks
that the client stays in control: no key crosses origins, the time limits and the size cap
hold, and what arrived is kept and valid.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.fault_modes import parse_keywords
from claude_tui.demo.hostile_streams import ESCAPES_TEXT
from claude_tui.profiles import profile_from_table
from claude_tui.profiles.profile import Profile
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.chat_client import ChatClient
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.errors import CrossOriginRedirectError, ReplyTimeoutError, StreamTooLargeError
from claude_tui.wire.events import MessageStopped, StreamEvent, StreamFailed, TextDelta
from claude_tui.wire.retry_policy import RetryPolicy
from claude_tui.wire.sse_reader import MAX_LINE_BYTES, SseReader

KEY = "sk-hostile-test-key"

# A regression must fail the test, not hang the suite; this bound is far above the limits
# under test, so it never decides a passing run.
GUARD_SECONDS = 20


@pytest.fixture
def other_relay() -> Iterator[DemoRelay]:
    """A second server on another port: another origin, recording every header it gets."""
    with DemoRelay() as relay:
        yield relay


def profile_for(relay: DemoRelay, **settings: Any) -> Profile:
    table: dict[str, Any] = {
        "name": "hostile",
        "base_url": relay.base_url,
        "api_key": KEY,
        "model": "claude-demo",
        "max_retries": 0,
    }
    table.update(settings)
    return Profile(**table)


def client_for(profile: Profile) -> ChatClient:
    return ChatClient(profile, retry_policy=RetryPolicy(max_retries=0))


def request(prompt: str, **settings: Any) -> ChatRequest:
    return ChatRequest(history=[ChatMessage.user(prompt)], model="claude-demo", **settings)


async def run(client: ChatClient, chat: ChatRequest) -> tuple[list[StreamEvent], ChatMessage]:
    """Stream one reply into a message the way the app does; closes the client."""
    message = ChatMessage(role="assistant", content=[])
    accumulator = MessageAccumulator(message)
    events: list[StreamEvent] = []
    async with asyncio.timeout(GUARD_SECONDS), client:
        async for event in client.stream(chat):
            events.append(event)
            if isinstance(event, StreamFailed):
                accumulator.fail(event.error)
            else:
                accumulator.apply(event)
    return events, message


def text_of(message: ChatMessage) -> str:
    return "".join(str(b.get("text", "")) for b in message.content if b.get("type") == "text")


def key_headers(headers: dict[str, str]) -> dict[str, str]:
    names = ("x-api-key", "authorization", "x-relay-token")
    return {name: value for name, value in headers.items() if name in names}


# -- redirects -------------------------------------------------------------------------------------

AUTH_STYLES = [
    {"auth": "x-api-key"},
    {"auth": "bearer"},
    {"auth_header": "X-Relay-Token"},
]


@pytest.mark.parametrize("auth", AUTH_STYLES, ids=["x-api-key", "bearer", "custom-header"])
@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_cross_origin_redirect_never_carries_the_key(
    demo_relay: DemoRelay, other_relay: DemoRelay, auth: dict[str, str], api_format: str
) -> None:
    # Before: httpx followed the 307 and stripped only Authorization, so x-api-key and the
    # custom header reached the other port.
    demo_relay.queue_fault(Fault.redirect(other_relay.base_url))
    profile = profile_for(demo_relay, api_format=api_format, **auth)
    events, message = await run(client_for(profile), request("hello"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert isinstance(failed.error, CrossOriginRedirectError)
    assert other_relay.base_url in str(failed.error)
    assert "not sent" in str(failed.error)
    assert other_relay.requests == []  # the other origin never saw a request, let alone a key
    assert key_headers(demo_relay.requests[0].headers)  # the profile's own origin got it
    assert message.status == MessageStatus.ERROR


async def test_redirect_keyword_typed_in_a_prompt(
    demo_relay: DemoRelay, other_relay: DemoRelay
) -> None:
    prompt = f"[demo:redirect={other_relay.base_url}] hello"
    events, _ = await run(client_for(profile_for(demo_relay)), request(prompt))
    assert isinstance(events[-1], StreamFailed)
    assert isinstance(events[-1].error, CrossOriginRedirectError)
    assert other_relay.requests == []


@pytest.mark.parametrize("auth", AUTH_STYLES, ids=["x-api-key", "bearer", "custom-header"])
async def test_models_and_token_count_refuse_cross_origin_redirects(
    demo_relay: DemoRelay, other_relay: DemoRelay, auth: dict[str, str]
) -> None:
    demo_relay.queue_faults([Fault.redirect(other_relay.base_url)] * 2)
    async with client_for(profile_for(demo_relay, **auth)) as client:
        with pytest.raises(CrossOriginRedirectError):
            await client.list_models()
        assert await client.count_tokens(request("hi")) is None
    assert other_relay.requests == []


async def test_same_origin_redirect_is_followed_with_the_key(demo_relay: DemoRelay) -> None:
    demo_relay.queue_fault(Fault.redirect(demo_relay.base_url))
    events, message = await run(client_for(profile_for(demo_relay)), request("hello"))
    assert isinstance(events[-1], MessageStopped)
    assert message.status == MessageStatus.COMPLETE
    first, second = demo_relay.requests
    assert second.method == "POST" and second.body == first.body
    assert second.headers["x-api-key"] == KEY


def test_redirect_keyword_only_points_at_loopback() -> None:
    assert parse_keywords("[demo:redirect=http://example.com/v1]") == []
    assert parse_keywords("[demo:redirect=http://127.0.0.1:9]")[0].target == "http://127.0.0.1:9"


# -- time limits against keep-alives and trickles ------------------------------------------------


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
@pytest.mark.parametrize(
    ("keyword", "said"),
    [("keepalive=0.05", "only keep-alives"), ("trickle=0.05", "part of a line")],
    ids=["keepalive", "trickle"],
)
async def test_idle_timeout_holds_against_bytes_that_are_not_content(
    demo_relay: DemoRelay, api_format: str, keyword: str, said: str
) -> None:
    # Before: every keep-alive or trickled byte restarted httpx's read timeout, and the reply
    # never ended.
    profile = profile_for(demo_relay, api_format=api_format, timeout=1.5, idle_timeout=0.5)
    events, message = await run(client_for(profile), request(f"[demo:{keyword}] hello"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert isinstance(failed.error, ReplyTimeoutError)
    assert "0.5 s" in str(failed.error) and said in str(failed.error)
    assert failed.partial is True
    assert message.status == MessageStatus.INTERRUPTED
    kept = text_of(message)
    assert kept and kept == "".join(e.text for e in events if isinstance(e, TextDelta))


async def test_whole_reply_timeout_holds_against_keep_alives(demo_relay: DemoRelay) -> None:
    profile = profile_for(demo_relay, timeout=1.0, idle_timeout=60)
    events, message = await run(client_for(profile), request("[demo:keepalive=0.05] hello"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert isinstance(failed.error, ReplyTimeoutError)
    assert "timeout (1 s)" in str(failed.error)
    assert message.status == MessageStatus.INTERRUPTED and text_of(message)


# -- a line that never ends -----------------------------------------------------------------------


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_endless_line_ends_with_the_size_error_and_a_bounded_buffer(
    demo_relay: DemoRelay, api_format: str
) -> None:
    readers: list[SseReader] = []

    def recording_reader() -> SseReader:
        readers.append(SseReader())
        return readers[-1]

    client = client_for(profile_for(demo_relay, api_format=api_format))
    client.reader_factory = recording_reader
    events, message = await run(client, request("[demo:endless_line] hello"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert isinstance(failed.error, StreamTooLargeError)
    assert "1 MiB" in str(failed.error)
    assert message.status == MessageStatus.INTERRUPTED and text_of(message)
    (reader,) = readers
    assert 0 < reader.peak_buffered <= MAX_LINE_BYTES
    # The relay noticed the hang-up and serves the next request normally.
    events, message = await run(client_for(profile_for(demo_relay)), request("hello again"))
    assert isinstance(events[-1], MessageStopped)


# -- content that breaks naive clients -------------------------------------------------------------


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_split_surrogates_are_rejoined(demo_relay: DemoRelay, api_format: str) -> None:
    profile = profile_for(demo_relay, api_format=api_format)
    chat = request("[demo:split_surrogate] hello", thinking=2048, max_tokens=4096)
    events, message = await run(client_for(profile), chat)
    assert isinstance(events[-1], MessageStopped)
    text = text_of(message)
    text.encode("utf-8")  # before: lone surrogates made this (and saving the session) fail
    assert "smile 😀 and party 🎉 ok." in text
    thinking = "".join(str(b.get("thinking", "")) for b in message.content)
    assert "Thinking with a smile 😀." in thinking


async def test_escapes_arrive_unchanged_for_the_terminal_layer(demo_relay: DemoRelay) -> None:
    # The wire layer passes the text through; making it safe to draw is the UI's job.
    events, message = await run(client_for(profile_for(demo_relay)), request("[demo:escapes] x"))
    assert isinstance(events[-1], MessageStopped)
    assert text_of(message).startswith(ESCAPES_TEXT)
    for sequence in ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;aGk=\x07", "\x9b", "\x08"):
        assert sequence in text_of(message)


# -- end to end: what the app saves ----------------------------------------------------------------


@pytest.mark.parametrize("keyword", ["keepalive=0.05", "trickle=0.05", "endless_line"])
async def test_conversation_saves_the_partial_reply_of_a_hostile_stream(
    demo_relay: DemoRelay, keyword: str
) -> None:
    # Before: keep-alives and trickles kept the reply open forever, so nothing was saved
    # until Esc; now the stream ends and Conversation saves the partial, marked interrupted.
    profile = profile_from_table(
        "hostile",
        {
            "base_url": demo_relay.base_url,
            "auth": "none",
            "model": "claude-demo",
            "max_retries": 0,
            "timeout": 1.5,
            "idle_timeout": 0.5,
        },
    )
    pool = EndpointPool()
    session = SessionStore().create(
        SessionSettings(profile=profile.name, model=profile.model, thinking="off")
    )
    conversation = Conversation(session, profile, pool)
    replies: list[ChatMessage] = []
    try:
        async with asyncio.timeout(GUARD_SECONDS):
            async for _event, message in conversation.send(f"[demo:{keyword}] hello"):
                replies.append(message)
    finally:
        await pool.aclose()
    reply = replies[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text and reply.error
    saved = SessionStore().open(session.id).messages[-1]
    assert saved.status is MessageStatus.INTERRUPTED
    assert saved.text == reply.text
    saved.text.encode("utf-8")
