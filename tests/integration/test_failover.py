"""Failover across two real loopback relays: a turn that fails before any reply arrived goes,
with the whole history, to the next ``fallback`` profile; the reply says so, the request log
marks it, and only failures of the endpoint (not of the request) move the turn."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.demo import DemoRelay, Fault
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire import FailedOver, StreamFailed


@pytest.fixture
def relay_b() -> Iterator[DemoRelay]:
    with DemoRelay() as relay:
        yield relay


def profile_for(base_url: str, name: str, **table: Any) -> Profile:
    settings: dict[str, Any] = {"base_url": base_url, "auth": "none", "model": f"{name}-model"}
    settings.update({"max_retries": 0, **table})
    return profile_from_table(name, settings)


def conversation_with(first: Profile, others: list[Profile], pool: EndpointPool) -> Conversation:
    profiles = {p.name: p for p in [first, *others]}
    session = SessionStore().create(SessionSettings.from_profile(first))
    return Conversation(session, first, pool, TurnServices(profiles=profiles.get))


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def send(conversation: Conversation, text: str) -> tuple[list[Any], Any]:
    events = []
    message = None
    async for event, streamed in conversation.send(text):
        events.append(event)
        message = streamed
    return events, message


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault("status", status=529), "overloaded"),
        (Fault("status", status=429), "rate limited"),
        (Fault("status", status=502), "server error 502"),
    ],
)
async def test_a_failed_turn_goes_to_the_fallback_with_the_whole_history(
    demo_relay: DemoRelay, relay_b: DemoRelay, pool: EndpointPool, fault: Fault, reason: str
) -> None:
    a = profile_for(demo_relay.base_url, "relay-a", fallback=["relay-b"])
    b = profile_for(relay_b.base_url, "relay-b")
    conversation = conversation_with(a, [b], pool)
    await send(conversation, "first question")  # answered by relay-a
    demo_relay.queue_fault(fault)

    events, reply = await send(conversation, "second question")

    moved = [e for e in events if isinstance(e, FailedOver)]
    assert [m.description for m in moved] == [f"{reason} on relay-a, sent to relay-b"]
    assert not any(isinstance(e, StreamFailed) for e in events)
    assert reply.status == MessageStatus.COMPLETE and reply.text
    assert reply.profile == "relay-b" and reply.model == "relay-b-model"
    assert reply.failover == f"{reason} on relay-a, sent to relay-b"
    # relay-b got the whole conversation, not just the last prompt.
    sent = relay_b.requests[-1].json
    texts = [str(m["content"]) for m in sent["messages"]]
    assert "first question" in texts[0] and "second question" in texts[-1]
    assert len(sent["messages"]) == 3
    assert sent["model"] == "relay-b-model"
    # The request log holds both requests; the second is marked as the failover.
    log = conversation.request_log
    assert [(r.profile, r.status, r.failover_from) for r in log[-2:]] == [
        ("relay-a", fault.status, None),
        ("relay-b", 200, "relay-a"),
    ]
    # The session stays on relay-a: the next turn tries it first again.
    assert conversation.profile.name == "relay-a"
    assert conversation.settings.profile == "relay-a"
    reloaded = SessionStore().open(conversation.session.id)
    assert reloaded.messages[-1].failover == reply.failover
    assert reloaded.messages[-1].profile == "relay-b"


async def test_a_refused_connection_fails_over_and_the_chain_goes_on(
    relay_b: DemoRelay, pool: EndpointPool
) -> None:
    down = profile_for(closed_port_url(), "down", fallback=["also-down", "relay-b"])
    also_down = profile_for(closed_port_url(), "also-down")
    b = profile_for(relay_b.base_url, "relay-b")
    conversation = conversation_with(down, [also_down, b], pool)

    events, reply = await send(conversation, "hello")

    assert [e.description for e in events if isinstance(e, FailedOver)] == [
        "connection failed on down, sent to also-down",
        "connection failed on also-down, sent to relay-b",
    ]
    assert reply.status == MessageStatus.COMPLETE
    assert reply.profile == "relay-b"
    assert [r.failover_from for r in conversation.request_log] == [None, "down", "down"]


async def test_a_bad_request_does_not_fail_over(
    demo_relay: DemoRelay, relay_b: DemoRelay, pool: EndpointPool
) -> None:
    a = profile_for(demo_relay.base_url, "relay-a", fallback=["relay-b"])
    b = profile_for(relay_b.base_url, "relay-b")
    conversation = conversation_with(a, [b], pool)
    demo_relay.queue_fault(Fault("status", status=400))

    events, reply = await send(conversation, "hello")

    assert not any(isinstance(e, FailedOver) for e in events)
    assert reply.status == MessageStatus.ERROR
    assert relay_b.requests == []


async def test_a_reply_cut_after_content_arrived_does_not_fail_over(
    demo_relay: DemoRelay, relay_b: DemoRelay, pool: EndpointPool
) -> None:
    a = profile_for(demo_relay.base_url, "relay-a", fallback=["relay-b"])
    b = profile_for(relay_b.base_url, "relay-b")
    conversation = conversation_with(a, [b], pool)
    demo_relay.queue_fault(Fault("cut"))

    events, reply = await send(conversation, "hello")

    assert not any(isinstance(e, FailedOver) for e in events)
    assert reply.status == MessageStatus.INTERRUPTED and reply.text
    assert relay_b.requests == []


async def test_without_a_fallback_the_failure_stands(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    a = profile_for(demo_relay.base_url, "relay-a")
    conversation = conversation_with(a, [], pool)
    demo_relay.queue_fault(Fault("status", status=529))

    events, reply = await send(conversation, "hello")

    assert isinstance(events[-1], StreamFailed)
    assert reply.status == MessageStatus.ERROR and reply.failover is None


def test_print_mode_fails_over_and_says_so_on_stderr(
    demo_relay: DemoRelay, relay_b: DemoRelay
) -> None:
    from config_files import write_config_file

    from integration.cli_process import run_claude_tui

    write_config_file(
        {
            "relay-a": {
                "base_url": demo_relay.base_url,
                "auth": "none",
                "max_retries": 0,
                "fallback": ["relay-b"],
            },
            "relay-b": {"base_url": relay_b.base_url, "auth": "none", "max_retries": 0},
        },
        default_profile="relay-a",
    )
    demo_relay.queue_fault(Fault("status", status=529))

    run = run_claude_tui("-p", "hello there")

    assert run.code == 0, run.stderr
    assert "overloaded on relay-a, sent to relay-b" in run.stderr
    assert run.stdout.strip()
    assert len(relay_b.requests) == 1


async def test_the_key_that_served_a_reply_is_saved_by_position_only(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    keys = ["sk-relay-pool-key-number-one-1111", "sk-relay-pool-key-number-two-2222"]
    profile = profile_for(demo_relay.base_url, "pooled", auth="x-api-key", api_keys=keys)
    conversation = conversation_with(profile, [], pool)
    demo_relay.queue_fault(Fault("status", status=401))

    _events, reply = await send(conversation, "hello")

    assert reply.status == MessageStatus.COMPLETE
    assert reply.key_position == 2
    assert [r.headers["x-api-key"] for r in demo_relay.requests] == keys
    session_text = conversation.session.path.read_text("utf-8")
    assert '"key_position":2' in session_text
    assert not any(key in session_text for key in keys)
    _, second = await send(conversation, "again")
    assert second.key_position == 2  # key 1 rests after its 401
