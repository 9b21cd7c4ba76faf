"""Prompt caching end to end over real loopback sockets, on both API formats: the bodies the
demo relay receives carry the breakpoints, its prefix cache answers with writes then reads,
and the usage is saved per message and costed at cache prices."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.pricing.price_table import cache_saving, message_cost
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire.prompt_cache import count_breakpoints

SYSTEM = "You are a careful assistant who answers questions about networking. " * 8
EPHEMERAL = {"type": "ephemeral"}


def relay_profile(relay: DemoRelay, api_format: str = "anthropic", **table: Any) -> Profile:
    base_url = relay.base_url + ("/v1" if api_format == "openai" else "")
    settings: dict[str, Any] = {
        "base_url": base_url,
        "api_format": api_format,
        "auth": "none",
        "model": "claude-demo",
        "system": SYSTEM,
        "max_retries": 0,
    }
    settings.update(table)
    return profile_from_table("relay", settings)


async def say(conversation: Conversation, prompt: str) -> ChatMessage:
    message = None
    async for _event, streamed in conversation.send(prompt):
        message = streamed
    assert message is not None and message.status is MessageStatus.COMPLETE, message
    return message


def conversation_for(profile: Profile, pool: EndpointPool) -> Conversation:
    session = SessionStore().create(SessionSettings.from_profile(profile))
    return Conversation(session, profile, pool)


def bodies(relay: DemoRelay) -> list[dict[str, Any]]:
    return [r.json for r in relay.requests if r.method == "POST"]


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_each_turn_reads_the_previous_prefix_from_the_cache(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    conversation = conversation_for(relay_profile(demo_relay, api_format), pool)
    first = await say(conversation, "How does TCP slow start work?")
    second = await say(conversation, "And congestion avoidance?")

    sent = bodies(demo_relay)
    assert [count_breakpoints(body) for body in sent] == [2, 3]  # system + user turns
    if api_format == "anthropic":
        assert sent[0]["system"][0]["cache_control"] == EPHEMERAL
    else:
        assert sent[0]["messages"][0]["content"][0]["cache_control"] == EPHEMERAL
    assert sent[1]["messages"][-1]["content"][-1]["cache_control"] == EPHEMERAL

    assert first.usage is not None and second.usage is not None
    assert first.usage.cache_read_input_tokens == 0
    assert first.usage.cache_creation_input_tokens > 0
    # the second request's prefix up to the first prompt is what the first one wrote
    assert second.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    assert second.usage.cache_creation_input_tokens > 0  # the first reply and the new prompt

    saved = SessionStore().open(conversation.session.id).messages
    assert [m.usage for m in saved if m.role == "assistant"] == [first.usage, second.usage]

    second_cost = message_cost(second)
    assert second_cost is not None
    saving = cache_saving(second)
    assert saving is not None and saving > 0
    assert cache_saving(first) is not None and cache_saving(first) < 0  # type: ignore[operator]


async def test_one_hour_ttl_is_sent_and_its_writes_are_counted_apart(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = conversation_for(relay_profile(demo_relay, cache="1h"), pool)
    reply = await say(conversation, "What is a SYN flood?")
    body = bodies(demo_relay)[0]
    assert body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    assert reply.usage is not None
    assert reply.usage.cache_creation_1h_input_tokens == reply.usage.cache_creation_input_tokens
    assert reply.usage.cache_creation_input_tokens > 0


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_cache_off_sends_no_breakpoints_and_nothing_is_cached(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    conversation = conversation_for(relay_profile(demo_relay, api_format, cache="off"), pool)
    await say(conversation, "one")
    reply = await say(conversation, "two")
    assert all(count_breakpoints(body) == 0 for body in bodies(demo_relay))
    assert reply.usage is not None
    assert reply.usage.cache_read_input_tokens == reply.usage.cache_creation_input_tokens == 0


async def test_openai_format_sends_nothing_to_a_model_that_caches_by_itself(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    profile = relay_profile(demo_relay, "openai", model="demo-gpt")
    conversation = conversation_for(profile, pool)
    await say(conversation, "hello")
    body = bodies(demo_relay)[0]
    assert count_breakpoints(body) == 0
    assert body["messages"][0] == {"role": "system", "content": SYSTEM}


def test_the_relay_refuses_more_than_four_breakpoints_as_claude_does(
    demo_relay: DemoRelay,
) -> None:
    block = {"type": "text", "text": "x", "cache_control": EPHEMERAL}
    body = {
        "model": "claude-demo",
        "max_tokens": 100,
        "system": [block, block],
        "messages": [{"role": "user", "content": [block, block, block]}],
    }
    answer = httpx.post(f"{demo_relay.base_url}/v1/messages", json=body, timeout=10)
    assert answer.status_code == 400
    assert "A maximum of 4 blocks with cache_control" in answer.json()["error"]["message"]


def test_the_relay_refuses_a_mark_on_a_thinking_block(demo_relay: DemoRelay) -> None:
    thought = {"type": "thinking", "thinking": "t", "signature": "s", "cache_control": EPHEMERAL}
    body = {
        "model": "claude-demo",
        "max_tokens": 100,
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": [thought, {"type": "text", "text": "a"}]},
            {"role": "user", "content": "more"},
        ],
    }
    answer = httpx.post(f"{demo_relay.base_url}/v1/messages", json=body, timeout=10)
    assert answer.status_code == 400
    assert "thinking.cache_control" in answer.json()["error"]["message"]
