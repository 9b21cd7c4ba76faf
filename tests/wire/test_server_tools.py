"""Claude's server tools on the wire: the body and headers that offer them, the stream and
accumulator keeping their blocks and citations, history sending them back in pairs, and a
refusal that names the tool and the setting."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.profiles.errors import ProfileValueError
from claude_tui.profiles.profile import Profile
from claude_tui.wire.accumulator import PAUSED_TURN, MessageAccumulator
from claude_tui.wire.anthropic_format import AnthropicFormat
from claude_tui.wire.anthropic_request import anthropic_body
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.chat_client import ChatClient
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.events import CitationDelta, StreamFailed
from claude_tui.wire.history_shaping import anthropic_messages
from claude_tui.wire.retry_policy import RetryPolicy
from claude_tui.wire.tool_specs import ToolSpec

CITATION = {
    "type": "web_search_result_location",
    "url": "https://example.com/a",
    "title": "Page A",
    "encrypted_index": "idx",
    "cited_text": "A says so",
}
SEARCH_RESULT = {
    "type": "web_search_tool_result",
    "tool_use_id": "srvtoolu_1",
    "content": [{"type": "web_search_result", "title": "Page A", "url": "https://example.com/a"}],
}


def profile(**overrides: Any) -> Profile:
    settings: dict[str, Any] = {"name": "relay", "base_url": "https://relay.example"}
    settings.update(overrides)
    return Profile(**settings)


def request(**overrides: Any) -> ChatRequest:
    return ChatRequest(history=[ChatMessage.user("hi")], model="claude-sonnet-4-5", **overrides)


# --- the setting ------------------------------------------------------------------------------


def test_server_tools_default_to_none_and_take_the_known_names_once() -> None:
    assert profile().server_tools == ()
    chosen = profile(server_tools=["web_search", "code_execution", "web_search"])
    assert chosen.server_tools == ("web_search", "code_execution")


def test_an_unknown_server_tool_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ProfileValueError) as caught:
        profile(server_tools=["web_serch"])
    assert 'did you mean "web_search"' in str(caught.value)
    assert "server_tools" in str(caught.value)


def test_server_tools_on_the_openai_format_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(ProfileValueError) as caught:
        profile(api_format="openai", server_tools=["web_fetch"])
    message = str(caught.value)
    assert "server_tools" in message and "web_fetch" in message and "anthropic" in message


# --- body and headers -------------------------------------------------------------------------


def test_the_body_offers_each_server_tool_after_the_client_tools() -> None:
    spec = ToolSpec("files__read", "Read a file", {"type": "object"})
    body = anthropic_body(
        request(tools=(spec,), server_tools=("web_search", "web_fetch", "code_execution"))
    )
    assert [t.get("type", "custom") for t in body["tools"]] == [
        "custom",
        "web_search_20250305",
        "web_fetch_20250910",
        "code_execution_20250825",
    ]
    assert body["tools"][1] == {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}
    assert [t["name"] for t in body["tools"]] == [
        "files__read",
        "web_search",
        "web_fetch",
        "code_execution",
    ]


def test_no_server_tools_no_tools_key() -> None:
    assert "tools" not in anthropic_body(request())


def test_beta_headers_are_merged_with_the_profiles_own() -> None:
    headers = AnthropicFormat().headers(
        profile(
            anthropic_beta=["context-1m-2025-08-07"], server_tools=["web_fetch", "code_execution"]
        )
    )
    assert headers["anthropic-beta"] == (
        "context-1m-2025-08-07,web-fetch-2025-09-10,code-execution-2025-08-25"
    )
    # web search needs no beta; a beta the profile already names is not sent twice
    assert "anthropic-beta" not in AnthropicFormat().headers(profile(server_tools=["web_search"]))
    twice = profile(anthropic_beta=["web-fetch-2025-09-10"], server_tools=["web_fetch"])
    assert AnthropicFormat().headers(twice)["anthropic-beta"] == "web-fetch-2025-09-10"


# --- the stream and the accumulator -----------------------------------------------------------


def feed_all(parser: AnthropicStreamParser, *payloads: dict[str, Any]) -> list[Any]:
    events: list[Any] = []
    for payload in payloads:
        events.extend(parser.feed(payload["type"], json.dumps(payload)))
    return events


def server_reply_payloads(stop_reason: str = "end_turn") -> list[dict[str, Any]]:
    call = {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}
    query = json.dumps({"query": "who says so"})
    return [
        {"type": "message_start", "message": {"id": "m", "model": "claude", "usage": {}}},
        {"type": "content_block_start", "index": 0, "content_block": call},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": query},
        },
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": SEARCH_RESULT},
        {"type": "content_block_stop", "index": 1},
        {
            "type": "content_block_start",
            "index": 2,
            "content_block": {"type": "text", "text": "", "citations": []},
        },
        {
            "type": "content_block_delta",
            "index": 2,
            "delta": {"type": "citations_delta", "citation": CITATION},
        },
        {
            "type": "content_block_delta",
            "index": 2,
            "delta": {"type": "text_delta", "text": "A says so"},
        },
        {"type": "content_block_stop", "index": 2},
        {"type": "message_delta", "delta": {"stop_reason": stop_reason}, "usage": {}},
        {"type": "message_stop"},
    ]


def accumulated(stop_reason: str = "end_turn") -> ChatMessage:
    parser = AnthropicStreamParser()
    message = ChatMessage(role="assistant", content=[])
    accumulator = MessageAccumulator(message)
    for event in feed_all(parser, *server_reply_payloads(stop_reason)):
        accumulator.apply(event)
    return message


def test_citations_delta_becomes_an_event() -> None:
    events = feed_all(AnthropicStreamParser(), *server_reply_payloads())
    assert CitationDelta(2, CITATION) in events


def test_the_saved_reply_keeps_the_call_its_result_and_the_citations() -> None:
    message = accumulated()
    assert message.status == MessageStatus.COMPLETE and message.error is None
    assert message.content == [
        {
            "type": "server_tool_use",
            "id": "srvtoolu_1",
            "name": "web_search",
            "input": {"query": "who says so"},
        },
        SEARCH_RESULT,
        {"type": "text", "text": "A says so", "citations": [CITATION]},
    ]


def test_a_paused_turn_is_complete_with_a_note_saying_how_to_go_on() -> None:
    message = accumulated("pause_turn")
    assert message.status == MessageStatus.COMPLETE
    assert message.stop_reason == "pause_turn"
    assert message.error == PAUSED_TURN and "send a message" in PAUSED_TURN


# --- history ----------------------------------------------------------------------------------


def test_history_sends_the_call_its_result_and_citations_back() -> None:
    reply = accumulated()
    reply.model = "claude"
    history = [ChatMessage.user("who says so?"), reply, ChatMessage.user("thanks")]
    shaped = anthropic_messages(history, "claude")
    assert [t["role"] for t in shaped] == ["user", "assistant", "user"]
    assert shaped[1]["content"] == reply.content


def test_a_call_without_its_result_is_not_sent() -> None:
    paused = ChatMessage(
        role="assistant",
        content=[
            {"type": "text", "text": "Searching."},
            {"type": "server_tool_use", "id": "srvtoolu_9", "name": "web_search", "input": {}},
            {**SEARCH_RESULT, "tool_use_id": "srvtoolu_other"},  # a result without its call
        ],
        status=MessageStatus.COMPLETE,
        model="claude",
    )
    shaped = anthropic_messages(
        [ChatMessage.user("q"), paused, ChatMessage.user("go on")], "claude"
    )
    assert shaped[1]["content"] == [{"type": "text", "text": "Searching."}]


# --- a relay that refuses them ----------------------------------------------------------------


async def refused_by(message: str, **overrides: Any) -> StreamFailed:
    body = {"type": "error", "error": {"type": "invalid_request_error", "message": message}}

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=body)

    settings: dict[str, Any] = {"api_key": "sk-test", "max_retries": 0}
    settings.update(overrides)
    chosen = profile(**settings)
    client = ChatClient(
        chosen,
        transport=httpx.MockTransport(answer),
        retry_policy=RetryPolicy(max_retries=0, random_source=lambda: 0.0),
    )
    try:
        events = [e async for e in client.stream(request(server_tools=chosen.server_tools))]
    finally:
        await client.aclose()
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    return failed


async def test_a_refusal_naming_the_tool_names_it_and_the_setting() -> None:
    failed = await refused_by(
        "tools.0: Input tag 'web_search_20250305' found using 'type' does not match any of the "
        "expected tags",
        server_tools=["web_search"],
    )
    text = str(failed.error)
    assert "web_search" in text
    assert "server_tools in [profiles.relay]" in text
    assert "web_search_20250305" in text  # what the endpoint said is still quoted


async def test_a_refusal_about_something_else_is_left_as_it_was() -> None:
    failed = await refused_by("max_tokens: too large", server_tools=["web_search"])
    assert "server_tools" not in str(failed.error)
