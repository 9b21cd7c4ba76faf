"""A prompt that got no reply: one the endpoint refused as invalid is left out of later
requests (unless retried or edited); one that failed for a passing reason travels with the
next message (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay, Fault
from claude_tui.profiles import profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore


def conversation(relay: DemoRelay, pool: EndpointPool, **table: Any) -> Conversation:
    profile = profile_from_table(
        "relay",
        {"base_url": relay.base_url, "auth": "none", "model": "claude-demo", "max_retries": 0}
        | table,
    )
    session = SessionStore().create(SessionSettings.from_profile(profile))
    return Conversation(session, profile, pool)


async def drain(conversation: Conversation, text: str) -> None:
    async for _event, _message in conversation.send(text):
        pass


def sent_texts(relay: DemoRelay) -> list[str]:
    """The user texts of the last request, in order."""
    texts: list[str] = []
    for message in relay.requests[-1].json["messages"]:
        content = message["content"]
        if message["role"] != "user":
            continue
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.extend(b.get("text", "") for b in content if b.get("type") == "text")
    return texts


@pytest.mark.parametrize("status", [400, 404, 413, 422])
@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
async def test_a_refused_prompt_is_left_out_of_later_requests(
    demo_relay: DemoRelay, pool: EndpointPool, status: int, api_format: str
) -> None:
    chat = conversation(demo_relay, pool, api_format=api_format)
    demo_relay.queue_fault(Fault.http_error(status))
    await drain(chat, "bad prompt")
    failed = chat.session.messages[-1]
    assert failed.status is MessageStatus.ERROR and failed.refused
    await drain(chat, "good prompt")
    assert "bad prompt" not in " ".join(sent_texts(demo_relay))
    assert sent_texts(demo_relay)[-1].endswith("good prompt")
    # Still saved and shown, marked, after a reload.
    reopened = SessionStore().open(chat.session.id)
    assert reopened.messages[0].text == "bad prompt"
    assert reopened.messages[1].refused


async def test_a_retried_refused_prompt_is_sent_again(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    chat = conversation(demo_relay, pool)
    demo_relay.queue_fault(Fault.http_error(400))
    await drain(chat, "try me again")
    async for _event, _message in chat.regenerate():
        pass
    assert sent_texts(demo_relay)[-1] == "try me again"
    assert chat.session.messages[-1].status is MessageStatus.COMPLETE


async def test_a_prompt_that_failed_for_a_passing_reason_travels_with_the_next(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    chat = conversation(demo_relay, pool)
    demo_relay.queue_fault(Fault.http_error(529))
    await drain(chat, "first try")
    assert not chat.session.messages[-1].refused
    await drain(chat, "second")
    joined = " ".join(sent_texts(demo_relay))
    assert "first try" in joined and "second" in joined


@pytest.mark.parametrize(
    ("status", "said"),
    [(400, "left out of later requests"), (529, "goes along with your next message")],
)
async def test_the_error_card_says_what_becomes_of_the_prompt(
    demo_relay: DemoRelay, status: int, said: str
) -> None:
    from app_driving import relay_table, run, send, wait_until_shown, write_config

    from claude_tui.ui.app import ClaudeTuiApp

    config = write_config({"relay": relay_table(demo_relay.base_url, max_retries=0)})
    demo_relay.queue_fault(Fault.http_error(status))
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, "hello")
        await wait_until_shown(pilot, said)
