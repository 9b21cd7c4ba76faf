"""The tool loop end to end: a :class:`Conversation` with a small in-test tool host against
the demo relay asking for tool calls, on both API formats, over real sockets, with what was
saved read back from disk and what was sent read from the relay's recorded bodies."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.tool_events import ToolCallChanged
from claude_tui.conversation.tool_host import ToolCall, ToolOutcome
from claude_tui.conversation.tool_loop import CANCELLED, CUT_OFF, DECLINED
from claude_tui.conversation.turn_services import BudgetExceededError, TurnServices
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Profile
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, import_json

from .relay_profiles import relay_profile
from .tool_hosts import StubHost

FORMATS = ["anthropic", "openai"]


def new_conversation(
    profile: Profile, pool: EndpointPool, host: StubHost | None, **services: Any
) -> Conversation:
    session = SessionStore().create(
        SessionSettings(profile=profile.name, model=profile.model, thinking=profile.thinking)
    )
    return Conversation(session, profile, pool, TurnServices(tools=host, **services))


async def collect(conversation: Conversation, prompt: str) -> list[tuple[Any, ChatMessage]]:
    items = []
    async with contextlib.aclosing(conversation.send(prompt)) as replies:
        async for item in replies:
            items.append(item)
    return items


def tool_states(items: list[tuple[Any, ChatMessage]]) -> list[tuple[str, str]]:
    return [(e.call.name, e.state) for e, _m in items if isinstance(e, ToolCallChanged)]


def shape(messages: list[ChatMessage]) -> list[str]:
    """Each message as ``role:block types``, to read the saved rounds at a glance."""
    return [f"{m.role}:{','.join(str(b.get('type')) for b in m.content)}" for m in messages]


def sent_tool_results(body: dict[str, Any], api_format: str) -> list[tuple[str, str]]:
    """(call id, result text) of every result a request body sends back."""
    if api_format == "openai":
        return [(m["tool_call_id"], m["content"]) for m in body["messages"] if m["role"] == "tool"]
    return [
        (b["tool_use_id"], b["content"] if isinstance(b["content"], str) else str(b["content"]))
        for m in body["messages"]
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_result"
    ]


def sent_call_ids(body: dict[str, Any], api_format: str) -> list[str]:
    if api_format == "openai":
        return [c["id"] for m in body["messages"] for c in m.get("tool_calls") or []]
    return [
        b["id"]
        for m in body["messages"]
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_use"
    ]


# --- rounds -------------------------------------------------------------------------------


@pytest.mark.parametrize("api_format", FORMATS)
async def test_one_round_runs_the_call_and_sends_the_result_back(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    items = await collect(conversation, "[demo:tool] read it")

    assert host.prepared == 1
    assert tool_states(items) == [
        ("files__read", "waiting"),
        ("files__read", "running"),
        ("files__read", "done"),
    ]
    running = [e for e, _m in items if isinstance(e, ToolCallChanged) and e.state == "running"]
    assert running[0].started is not None
    assert host.ran[0].input == {"path": "demo", "lines": 1}  # built from the input schema
    assert host.ran[0].server == "files" and host.ran[0].id.startswith(("toolu_", "call_"))
    messages = conversation.session.messages
    assert shape(messages) == [
        "user:text",
        "assistant:text,tool_use",
        "user:tool_result",
        "assistant:text",
    ]
    _prompt, asked, results, answer = messages
    assert asked.stop_reason == "tool_use" and asked.status is MessageStatus.COMPLETE
    assert results.tool_results and results.reply_to == asked.id
    assert answer.reply_to == results.id
    assert results.content == [
        {"type": "tool_result", "tool_use_id": host.ran[0].id, "content": "read demo"}
    ]
    assert answer.text == "The tool returned: read demo"
    assert answer.stop_reason == "end_turn" and answer.error is None
    # Both rounds offered the tools; the second sent the pair back.
    assert len(demo_relay.requests) == 2
    for request in demo_relay.requests:
        assert "tools" in request.json
    second = demo_relay.requests[1].json
    assert sent_call_ids(second, api_format) == [host.ran[0].id]
    assert sent_tool_results(second, api_format) == [(host.ran[0].id, "read demo")]
    # And it is all on disk, as sent.
    on_disk = SessionStore().open(conversation.session.id)
    assert [m.to_json() for m in on_disk.messages] == [m.to_json() for m in messages]


@pytest.mark.parametrize("api_format", FORMATS)
async def test_several_rounds_until_the_model_ends_its_turn(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    await collect(conversation, "[demo:tool] [demo:tool_rounds=3] dig")

    assert len(host.ran) == 3 and len(demo_relay.requests) == 4
    assert shape(conversation.session.messages)[1:] == [
        "assistant:text,tool_use",
        "user:tool_result",
    ] * 3 + ["assistant:text"]
    last = demo_relay.requests[-1].json
    assert sent_call_ids(last, api_format) == [call.id for call in host.ran]
    assert host.prepared == 1  # once a turn, not once a round


@pytest.mark.parametrize("api_format", FORMATS)
async def test_two_calls_in_one_round_are_answered_in_order(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    items = await collect(conversation, "[demo:tools=2] both")

    assert [call.name for call in host.ran] == ["files__read", "files__delete"]
    assert tool_states(items) == [
        ("files__read", "waiting"),
        ("files__read", "running"),
        ("files__read", "done"),
        ("files__delete", "waiting"),
        ("files__delete", "running"),
        ("files__delete", "failed"),
    ]
    results = conversation.session.messages[2]
    assert [b["tool_use_id"] for b in results.content] == [call.id for call in host.ran]
    assert results.content[1]["is_error"] is True  # a run that failed
    sent = sent_tool_results(demo_relay.requests[1].json, api_format)
    assert [call_id for call_id, _ in sent] == [call.id for call in host.ran]
    assert "permission denied" in sent[1][1]
    assert conversation.session.messages[-1].text == (
        "The tool returned: read demo | error: permission denied"
        if api_format == "anthropic"
        else "The tool returned: read demo | Error: permission denied"
    )


@pytest.mark.parametrize("api_format", FORMATS)
async def test_a_declined_call_gets_an_error_result_and_the_model_goes_on(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost(deny=("files__read",))
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    items = await collect(conversation, "[demo:tool] read it")

    assert host.ran == []
    assert tool_states(items) == [("files__read", "waiting"), ("files__read", "denied")]
    denied = next(e for e, _m in items if isinstance(e, ToolCallChanged) and e.state == "denied")
    assert denied.outcome is not None and denied.outcome.is_error
    result = conversation.session.messages[2].content[0]
    assert result["content"] == DECLINED and result["is_error"] is True
    answer = conversation.session.messages[-1]
    assert answer.status is MessageStatus.COMPLETE and DECLINED in answer.text


@pytest.mark.parametrize("api_format", FORMATS)
async def test_max_tool_rounds_stops_the_turn_and_says_so(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    profile = relay_profile(demo_relay, api_format, max_tool_rounds=2)
    conversation = new_conversation(profile, pool, host)

    await collect(conversation, "[demo:tool] [demo:tool_rounds=5] dig")

    assert len(host.ran) == 2 and len(demo_relay.requests) == 3
    messages = conversation.session.messages
    last_reply = messages[-2]
    assert last_reply.role == "assistant" and last_reply.stop_reason == "tool_use"
    assert last_reply.error == "stopped after 2 tool rounds (max_tool_rounds)"
    assert last_reply.status is MessageStatus.COMPLETE  # its calls stay in the history
    closing = messages[-1]
    assert closing.tool_results and closing.content[0]["is_error"] is True
    assert "max_tool_rounds" in closing.content[0]["content"]
    saved = SessionStore().open(conversation.session.id).messages[-2]
    assert saved.error == last_reply.error


async def test_max_tool_rounds_defaults_to_25(demo_relay: DemoRelay) -> None:
    assert relay_profile(demo_relay, "anthropic").max_tool_rounds == 25


@pytest.mark.parametrize("api_format", FORMATS)
async def test_the_budget_is_checked_between_rounds(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    checks: list[str] = []

    def check_budget(profile: Profile) -> None:
        checks.append(profile.name)
        if len(checks) > 1:  # the turn itself was allowed; the next round is not
            raise BudgetExceededError(
                "daily limit reached", profile="relay", period="daily", spent=2, limit=1
            )

    host = StubHost()
    conversation = new_conversation(
        relay_profile(demo_relay, api_format), pool, host, check_budget=check_budget
    )

    await collect(conversation, "[demo:tool] [demo:tool_rounds=3] dig")

    assert len(demo_relay.requests) == 1 and len(host.ran) == 1
    asked, results = conversation.session.messages[1:]
    assert asked.error == "daily limit reached" and results.tool_results


# --- Esc and cut replies -------------------------------------------------------------------


@pytest.mark.parametrize("api_format", FORMATS)
@pytest.mark.parametrize("during", ["approval", "run"])
async def test_esc_during_a_call_saves_cancelled_results_and_the_next_turn_sends(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str, during: str
) -> None:
    host = StubHost()
    gate = asyncio.Event()  # never set: the user is still deciding, or the tool still runs
    if during == "approval":
        host.approval_gate = gate
    else:
        host.run_gate = gate
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    task = asyncio.create_task(collect(conversation, "[demo:tools=2] both"))
    await host.waiting.wait()
    task.cancel()  # Esc
    with pytest.raises(asyncio.CancelledError):
        await task

    messages = conversation.session.messages
    assert shape(messages) == [
        "user:text",
        "assistant:text,tool_use,tool_use",
        "user:tool_result,tool_result",
    ]
    results = messages[2].content
    assert [r["content"] for r in results] == [CANCELLED, CANCELLED]
    assert all(r["is_error"] for r in results)
    assert messages[1].error and "Stopped by you" in messages[1].error
    on_disk = SessionStore().open(conversation.session.id)
    assert shape(on_disk.messages) == shape(messages)

    host.approval_gate = host.run_gate = None
    await collect(conversation, "what happened?")
    body = demo_relay.requests[-1].json
    ids = sent_call_ids(body, api_format)
    assert len(ids) == 2
    assert [call_id for call_id, _ in sent_tool_results(body, api_format)] == ids
    assert conversation.session.messages[-1].status is MessageStatus.COMPLETE


@pytest.mark.parametrize("api_format", FORMATS)
async def test_closing_the_reply_stream_at_a_waiting_call_cancels_it(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    async with contextlib.aclosing(conversation.send("[demo:tool] read")) as replies:
        async for event, _message in replies:
            if isinstance(event, ToolCallChanged):
                break  # Esc as the UI does it: the generator is closed

    assert host.approved == []
    results = conversation.session.messages[-1]
    assert results.tool_results and results.content[0]["content"] == CANCELLED


@pytest.mark.parametrize("api_format", FORMATS)
async def test_a_reply_cut_during_a_tool_call_is_closed_with_an_error_result(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, host)

    await collect(conversation, "[demo:tool] [demo:cut] read")

    assert host.approved == [] and host.ran == []
    reply, results = conversation.session.messages[1:]
    assert reply.status is MessageStatus.INTERRUPTED
    assert any(b.get("type") == "tool_use" for b in reply.content)
    assert results.tool_results and results.reply_to == reply.id
    assert results.content[0]["content"] == CUT_OFF and results.content[0]["is_error"]

    await collect(conversation, "try again")  # the history is sendable
    assert conversation.session.messages[-1].status is MessageStatus.COMPLETE


# --- history: thinking, resume, export --------------------------------------------------------


async def test_signed_thinking_goes_back_unchanged_in_the_next_round(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    host = StubHost()
    profile = relay_profile(demo_relay, "anthropic", thinking=2048)
    conversation = new_conversation(profile, pool, host)

    await collect(conversation, "[demo:tool] think first")

    asked = conversation.session.messages[1]
    thinking = asked.content[0]
    assert thinking["type"] == "thinking" and thinking["signature"]
    sent = demo_relay.requests[1].json["messages"][1]["content"]
    assert sent[0] == {
        "type": "thinking",
        "thinking": thinking["thinking"],
        "signature": thinking["signature"],
    }


@pytest.mark.parametrize("api_format", FORMATS)
async def test_a_resumed_session_sends_its_tool_pairs_intact(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    profile = relay_profile(demo_relay, api_format)
    conversation = new_conversation(profile, pool, host)
    await collect(conversation, "[demo:tools=2] both")
    before = demo_relay.requests[-1].json

    resumed = SessionStore().open(conversation.session.id)
    assert [m.to_json() for m in resumed.messages] == [
        m.to_json() for m in conversation.session.messages
    ]
    again = Conversation(resumed, profile, pool, TurnServices(tools=StubHost()))
    await collect(again, "and now?")

    after = demo_relay.requests[-1].json
    assert sent_call_ids(after, api_format) == sent_call_ids(before, api_format)
    assert sent_tool_results(after, api_format) == sent_tool_results(before, api_format)


@pytest.mark.parametrize("api_format", FORMATS)
async def test_export_and_import_keep_the_tool_rounds(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = StubHost()
    profile = relay_profile(demo_relay, api_format)
    conversation = new_conversation(profile, pool, host)
    await collect(conversation, "[demo:tool] read")
    before = demo_relay.requests[-1].json

    store = SessionStore()
    imported = import_json(export_json(conversation.session), store)
    assert shape(imported.messages) == shape(conversation.session.messages)
    assert [m.content for m in imported.messages] == [
        m.content for m in conversation.session.messages
    ]
    again = Conversation(store.open(imported.id), profile, pool, TurnServices(tools=StubHost()))
    await collect(again, "and now?")
    after = demo_relay.requests[-1].json
    assert sent_tool_results(after, api_format) == sent_tool_results(before, api_format)


# --- without tools ------------------------------------------------------------------------------


@pytest.mark.parametrize("api_format", FORMATS)
async def test_without_a_tool_host_nothing_changes(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool, None)

    items = await collect(conversation, "[demo:tool] no tools here")

    assert "tools" not in demo_relay.requests[-1].json
    assert len(demo_relay.requests) == 1
    assert not any(isinstance(e, ToolCallChanged) for e, _m in items)
    assert len(conversation.session.messages) == 2
    reply = conversation.session.messages[-1]
    assert not any(b.get("type") == "tool_use" for b in reply.content)
    assert reply.stop_reason == "end_turn" and reply.text


class BrokenHost(StubHost):
    """A host that breaks its promises: describe and run raise."""

    def describe(self, name: str, tool_input: Mapping[str, Any]) -> ToolCall:
        raise KeyError(name)

    async def run(self, call: ToolCall, profile: Profile) -> ToolOutcome:
        raise RuntimeError("the server went away")


async def test_a_host_that_raises_still_answers_the_call_and_the_turn_goes_on(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, "anthropic"), pool, BrokenHost())

    items = await collect(conversation, "[demo:tool] read")

    assert tool_states(items)[-1] == ("files__read", "failed")
    result = conversation.session.messages[2].content[0]
    assert result["is_error"] is True
    assert result["content"] == "The tool failed: the server went away"
    assert conversation.session.messages[-1].stop_reason == "end_turn"
