"""The context meter's endpoint counts over real sockets: ``count_tokens`` at the demo relay,
asked once per content, with the profile's key and never past a cross-origin redirect, and
the estimate (saying why) where the endpoint does not count."""

from __future__ import annotations

import asyncio
from typing import Any

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.context_meter import ContextMeter
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.token_count_cache import (
    NO_COUNT_ROUTE,
    NOT_COUNTED,
    TokenCountCache,
)
from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.request_reading import estimate_input_tokens
from claude_tui.profiles import Profile
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

KEY = "sk-ant-context-count-test"
COUNT_PATH = "/v1/messages/count_tokens"


def relay_profile(base_url: str, **settings: Any) -> Profile:
    table: dict[str, Any] = {
        "name": "relay",
        "base_url": base_url,
        "api_key": KEY,
        "model": "claude-demo",
        "max_retries": 0,
    }
    table.update(settings)
    return Profile(**table)


def conversation_at(
    profile: Profile, pool: EndpointPool, system: str = "Be brief."
) -> Conversation:
    session = SessionStore().create(
        SessionSettings(profile=profile.name, model=profile.model, system=system), deferred=True
    )
    session.append_message(ChatMessage.user("How many tokens is this conversation?"))
    session.append_message(
        ChatMessage(
            role="assistant",
            content=[{"type": "text", "text": "Let me count them for you, one by one."}],
            model=profile.model,
        )
    )
    return Conversation(session, profile, pool)


def count_calls(relay: DemoRelay) -> list[Any]:
    return [r for r in relay.requests if r.path == COUNT_PATH]


async def test_the_endpoint_counts_once_per_content_and_again_after_a_change(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = conversation_at(relay_profile(demo_relay.base_url), pool)
    meter = ContextMeter(TokenCountCache())

    report = meter.report(conversation, "and the next one?")
    first = await meter.count(conversation, report)
    calls = count_calls(demo_relay)
    assert len(calls) == 1
    assert first.counted and first.how == "counted by the endpoint (count_tokens)"
    assert first.tokens == estimate_input_tokens(calls[0].json)  # what the relay answered
    assert calls[0].headers["x-api-key"] == KEY  # the profile's key, as every request
    assert calls[0].json["messages"][-1]["content"][0]["text"] == "and the next one?"
    assert [block["text"] for block in calls[0].json["system"]] == ["Be brief."]

    # The same content again (the view reopened, a report made afresh): no second call.
    again = await meter.count(conversation, meter.report(conversation, "and the next one?"))
    assert again == first
    assert meter.first_count(conversation, meter.report(conversation, "and the next one?")) == first
    assert len(count_calls(demo_relay)) == 1

    # Two askers at once share one call.
    changed = meter.report(conversation, "something else entirely, and longer")
    both = await asyncio.gather(
        meter.count(conversation, changed), meter.count(conversation, changed)
    )
    assert both[0] == both[1] and both[0].counted
    assert len(count_calls(demo_relay)) == 2
    assert both[0].tokens > first.tokens

    conversation.set_system("A much longer system prompt than before, to change the count.")
    await meter.count(conversation, meter.report(conversation, "and the next one?"))
    assert len(count_calls(demo_relay)) == 3
    assert meter.counts.calls == 3


async def test_an_endpoint_answering_404_leaves_the_estimate_and_says_so(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = conversation_at(relay_profile(demo_relay.base_url), pool)
    meter = ContextMeter()
    demo_relay.queue_fault(Fault.http_error(404))

    report = meter.report(conversation)
    shown = await meter.count(conversation, report)
    assert not shown.counted
    assert shown.tokens == report.estimated_input
    assert shown.why == NOT_COUNTED and shown.how.startswith("estimated")
    assert len(count_calls(demo_relay)) == 1
    # The refusal is remembered for this content: reopening does not ask again.
    assert (await meter.count(conversation, meter.report(conversation))) == shown
    assert len(count_calls(demo_relay)) == 1


async def test_the_openai_format_is_estimated_without_asking(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    profile = relay_profile(demo_relay.base_url, api_format="openai")
    conversation = conversation_at(profile, pool)
    meter = ContextMeter()
    report = meter.report(conversation)
    assert meter.first_count(conversation, report).why == NO_COUNT_ROUTE
    shown = await meter.count(conversation, report)
    assert not shown.counted and shown.why == NO_COUNT_ROUTE
    assert demo_relay.requests == []


async def test_a_count_never_follows_a_redirect_to_another_origin(
    demo_relay: DemoRelay, second_relay: DemoRelay, pool: EndpointPool
) -> None:
    demo_relay.queue_fault(Fault.redirect(second_relay.base_url))
    conversation = conversation_at(relay_profile(demo_relay.base_url), pool)
    meter = ContextMeter()
    shown = await meter.count(conversation, meter.report(conversation))
    assert not shown.counted
    assert second_relay.requests == []  # the key never went there


async def test_a_count_that_takes_too_long_gives_way_to_the_estimate(pool: EndpointPool) -> None:
    """A loopback server that accepts and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        conversation = conversation_at(relay_profile(f"http://127.0.0.1:{port}"), pool)
        meter = ContextMeter(TokenCountCache(timeout=0.2))
        report = meter.report(conversation)
        shown = await meter.count(conversation, report)
        assert not shown.counted and shown.tokens == report.estimated_input
        # Not remembered as a refusal: the next look asks again.
        await meter.count(conversation, report)
        assert meter.counts.calls == 2
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_the_status_figure_is_counted_after_a_change_and_estimated_before(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = conversation_at(relay_profile(demo_relay.base_url), pool)
    meter = ContextMeter()

    opened = meter.figure(conversation)
    assert opened.estimated  # a pane just opened: no endpoint is contacted for it
    assert not meter.count_due(conversation)
    assert meter.figure(conversation) == opened  # nothing changed: nothing asked

    conversation.set_model("claude-demo-fast")  # a change: now the endpoint is asked
    estimate = meter.figure(conversation)
    assert estimate.estimated
    assert meter.count_due(conversation)
    assert not meter.count_due(conversation)  # once per change
    assert await meter.count_figure(conversation)
    figure = meter.figure(conversation)
    assert not figure.estimated
    calls = count_calls(demo_relay)
    assert len(calls) == 1 and calls[0].json["model"] == "claude-demo-fast"
    assert figure.tokens == estimate_input_tokens(calls[0].json)

    # /context on an empty composer asks about the same request: already known.
    report = meter.report(conversation)
    assert meter.first_count(conversation, report).tokens == figure.tokens
    assert len(count_calls(demo_relay)) == 1


async def test_a_secret_in_the_draft_is_redacted_before_it_is_counted(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    """The user has not chosen to send the draft: counting it must not send its secrets."""
    conversation = conversation_at(relay_profile(demo_relay.base_url), pool)
    secret = "AKIA" + "Q7RZ4M2XW9KT3BNV"  # joined at run time: the repo scans clean
    meter = ContextMeter(TokenCountCache())
    report = meter.report(conversation, f"why does {secret} fail?")
    await meter.count(conversation, report)

    [call] = count_calls(demo_relay)
    assert secret not in call.body.decode()
    assert "[REDACTED:aws-key]" in call.json["messages"][-1]["content"][0]["text"]
    off = conversation_at(relay_profile(demo_relay.base_url, redact="off"), pool)
    assert secret in meter.report(off, f"why does {secret} fail?").items[-1].preview
