"""Claude's server tools end to end: a conversation on a profile with ``server_tools``
against the demo relay's ``[demo:web_search]`` over real sockets; what was saved is read
back from disk and what was sent from the relay's recorded requests."""

from __future__ import annotations

import contextlib
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire.accumulator import PAUSED_TURN


def relay_profile(relay: DemoRelay, **table: Any) -> Profile:
    settings: dict[str, Any] = {
        "base_url": relay.base_url,
        "auth": "none",
        "model": "claude-demo",
        "max_retries": 0,
        "server_tools": ["web_search", "web_fetch"],
    }
    settings.update(table)
    return profile_from_table("relay", settings)


def new_conversation(profile: Profile, pool: EndpointPool) -> Conversation:
    session = SessionStore().create(SessionSettings(profile=profile.name, model=profile.model))
    return Conversation(session, profile, pool, TurnServices())


async def send(conversation: Conversation, prompt: str) -> ChatMessage:
    last: ChatMessage | None = None
    async with contextlib.aclosing(conversation.send(prompt)) as replies:
        async for _event, message in replies:
            last = message
    assert last is not None
    return last


def saved(conversation: Conversation) -> list[ChatMessage]:
    return SessionStore().open(conversation.session.id).messages


async def test_a_web_search_is_offered_saved_and_sent_back(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)

    reply = await send(conversation, "[demo:web_search] what is claude-tui?")

    first = demo_relay.requests[0]
    assert [t["name"] for t in first.json["tools"]] == ["web_search", "web_fetch"]
    assert first.headers["anthropic-beta"] == "web-fetch-2025-09-10"
    assert reply.status == MessageStatus.COMPLETE
    kinds = [b["type"] for b in saved(conversation)[-1].content]
    assert kinds == ["text", "server_tool_use", "web_search_tool_result", "text", "text", "text"]
    stored = saved(conversation)[-1]
    call = stored.content[1]
    assert call["name"] == "web_search" and call["input"] == {"query": "claude-tui terminal client"}
    assert stored.content[2]["tool_use_id"] == call["id"]
    assert len(stored.content[2]["content"]) == 2
    cited = [b["citations"][0]["url"] for b in stored.content if b.get("citations")]
    assert cited == ["https://example.com/claude-tui", "https://example.org/demo-relay"]

    await send(conversation, "thanks")

    assistant = demo_relay.requests[1].json["messages"][1]
    assert assistant["role"] == "assistant"
    sent_kinds = [b["type"] for b in assistant["content"]]
    assert sent_kinds == kinds
    assert assistant["content"][1]["id"] == call["id"]
    assert assistant["content"][3]["citations"][0]["encrypted_index"] == "demo-index-1"


async def test_a_paused_turn_is_noted_and_the_next_prompt_goes_on(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)

    paused = await send(conversation, "[demo:web_search] [demo:pause_turn] search long")

    assert paused.status == MessageStatus.COMPLETE
    assert paused.stop_reason == "pause_turn" and paused.error == PAUSED_TURN
    reply = await send(conversation, "go on")
    # the relay refuses a server_tool_use sent without its result, as the API does
    assert reply.status == MessageStatus.COMPLETE, reply.error
    sent = demo_relay.requests[1].json["messages"][1]["content"]
    assert [b["type"] for b in sent] == ["text"]


async def test_without_server_tools_the_keyword_is_an_ordinary_prompt(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, server_tools=[]), pool)

    reply = await send(conversation, "[demo:web_search] hello")

    assert "tools" not in demo_relay.requests[0].json
    assert "anthropic-beta" not in demo_relay.requests[0].headers
    assert [b["type"] for b in reply.content] == ["text"]
