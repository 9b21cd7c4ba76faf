"""The whole tool loop with a real MCP server: the demo relay asks for calls, the echo server
(a stdio child process, or streamable HTTP on loopback) answers them through McpToolHost, on
both API formats, over real sockets; what was saved is read back from disk and what was sent
from the relay's recorded bodies."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp_servers.echo_server import HttpEchoServer

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.tool_events import ToolCallChanged
from claude_tui.conversation.tool_host import Approval, ToolCall
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.demo import DemoRelay
from claude_tui.mcp import McpToolHost
from claude_tui.profiles import McpServerConfig, Profile
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, import_json

from .relay_profiles import relay_profile

FORMATS = ["anthropic", "openai"]
ECHO_SERVER = Path(__file__).parent.parent / "mcp_servers" / "echo_server.py"


class Answers:
    """The user at the approval card: answers in order, remembering what was asked."""

    def __init__(self, *answers: Approval) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def __call__(self, call: ToolCall, profile: Profile) -> Approval:
        self.asked.append(call.name)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def stdio_echo() -> McpServerConfig:
    return McpServerConfig(name="echo", command=sys.executable, args=(str(ECHO_SERVER),))


def conversation_for(profile: Profile, pool: EndpointPool, host: McpToolHost) -> Conversation:
    session = SessionStore().create(SessionSettings.from_profile(profile))
    return Conversation(session, profile, pool, TurnServices(tools=host))


async def turn(conversation: Conversation, prompt: str) -> list[Any]:
    return [event async for event, _message in conversation.send(prompt)]


def states(events: list[Any]) -> list[tuple[str, str]]:
    return [(e.call.name, e.state) for e in events if isinstance(e, ToolCallChanged)]


def results(message: ChatMessage) -> list[dict[str, Any]]:
    return [b for b in message.content if b.get("type") == "tool_result"]


@pytest.mark.parametrize("api_format", FORMATS)
async def test_an_allowed_call_runs_on_the_server_and_its_result_goes_back(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    answers = Answers("once")
    host = McpToolHost({"echo": stdio_echo()}, ask=answers)
    conversation = conversation_for(relay_profile(demo_relay, api_format), pool, host)
    try:
        events = await turn(conversation, "say it [demo:tool=echo__echo]")
    finally:
        await host.close()

    assert answers.asked == ["echo__echo"]
    assert states(events) == [
        ("echo__echo", "waiting"),
        ("echo__echo", "running"),
        ("echo__echo", "done"),
    ]
    _prompt, first, given, last = conversation.session.messages
    assert [b["type"] for b in first.content if b["type"] == "tool_use"] == ["tool_use"]
    assert given.tool_results and results(given)[0]["content"] == "demo"
    assert last.status == MessageStatus.COMPLETE and "demo" in last.text
    # The relay got the tools by their SERVER__TOOL names and, next, the call and its result.
    bodies = [r.json for r in demo_relay.requests if r.json and "messages" in r.json]
    offered = bodies[0]["tools"]
    names = [t.get("name") or t["function"]["name"] for t in offered]
    assert "echo__echo" in names
    assert "demo" in str(bodies[-1]["messages"][-1])


@pytest.mark.parametrize("api_format", FORMATS)
async def test_a_declined_call_tells_the_model_and_the_turn_goes_on(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    host = McpToolHost({"echo": stdio_echo()}, ask=Answers("deny"))
    conversation = conversation_for(relay_profile(demo_relay, api_format), pool, host)
    try:
        events = await turn(conversation, "add them [demo:tool=echo__add]")
    finally:
        await host.close()
    assert states(events)[-1] == ("echo__add", "denied")
    given, last = conversation.session.messages[-2:]
    assert results(given)[0]["is_error"] is True
    assert "declined" in str(results(given)[0]["content"])
    assert last.status == MessageStatus.COMPLETE and "declined" in last.text


async def test_a_call_past_tool_timeout_fails_and_the_chat_goes_on(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    host = McpToolHost({"echo": stdio_echo()}, ask=Answers("once"))
    profile = relay_profile(demo_relay, "anthropic", tool_timeout=0.5)
    conversation = conversation_for(profile, pool, host)
    try:
        events = await turn(conversation, "wait [demo:tool=echo__slow]")  # sleeps 1 s
        again = await turn(conversation, "now echo [demo:tool=echo__echo]")
    finally:
        await host.close()
    assert states(events)[-1] == ("echo__slow", "failed")
    assert "0.5" in str(results(conversation.session.messages[2])[0]["content"])
    assert states(again)[-1] == ("echo__echo", "done")  # the server still answers


async def test_a_server_that_crashes_mid_call_fails_the_call_clearly(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    notices: list[str] = []
    host = McpToolHost({"echo": stdio_echo()}, ask=Answers("once"), notice=notices.append)
    conversation = conversation_for(relay_profile(demo_relay, "anthropic"), pool, host)
    try:
        events = await turn(conversation, "boom [demo:tool=echo__crash]")
        later = await turn(conversation, "hello")  # a plain turn still works
    finally:
        await host.close()
    assert states(events)[-1] == ("echo__crash", "failed")
    assert notices and "echo" in notices[0]
    assert conversation.session.messages[-1].status == MessageStatus.COMPLETE
    assert not states(later)
    # Its tools are withdrawn: the next request offers none of them.
    last_body = demo_relay.requests[-1].json
    assert not any("echo__" in str(tool) for tool in last_body.get("tools", []))


async def test_a_reply_cut_during_a_call_is_closed_and_the_history_stays_paired(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    host = McpToolHost({"echo": stdio_echo()}, ask=Answers("once"))
    conversation = conversation_for(relay_profile(demo_relay, "anthropic"), pool, host)
    try:
        await turn(conversation, "go [demo:tool=echo__echo] [demo:cut]")
        await turn(conversation, "and again")
    finally:
        await host.close()
    sent = demo_relay.requests[-1].json["messages"]
    calls = [
        b["id"]
        for m in sent
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_use"
    ]
    answered = [
        b["tool_use_id"]
        for m in sent
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_result"
    ]
    assert calls == answered  # every call sent has its result right after it


@pytest.mark.parametrize("api_format", FORMATS)
async def test_over_streamable_http_and_resumed_and_exported(
    demo_relay: DemoRelay, pool: EndpointPool, http_echo: HttpEchoServer, api_format: str
) -> None:
    config = McpServerConfig(name="web", url=http_echo.url)
    host = McpToolHost({"web": config}, ask=Answers("once"))
    conversation = conversation_for(relay_profile(demo_relay, api_format), pool, host)
    try:
        events = await turn(conversation, "say it [demo:tool=web__echo]")
    finally:
        await host.close()
    assert states(events)[-1] == ("web__echo", "done")
    saved = conversation.session.messages

    resumed = SessionStore().open(conversation.session.id)
    assert [m.to_json() for m in resumed.messages] == [m.to_json() for m in saved]

    exported = json.loads(json.dumps(export_json(resumed)))
    imported = import_json(exported, SessionStore())
    assert [m.content for m in imported.messages] == [m.content for m in saved]

    # A resumed conversation sends the pairs intact (no tool host needed to send history).
    again = Conversation(resumed, relay_profile(demo_relay, api_format), pool)
    [event async for event, _ in again.send("thanks")]
    sent = demo_relay.requests[-1].json["messages"]
    if api_format == "anthropic":
        kinds = [
            b.get("type") for m in sent if isinstance(m["content"], list) for b in m["content"]
        ]
        assert "tool_use" in kinds and "tool_result" in kinds
    else:
        assert any(m.get("tool_calls") for m in sent)
        assert any(m["role"] == "tool" and m["content"] == "demo" for m in sent)
