"""The API formats behind one protocol: the client asks the format, never which one it is."""

from __future__ import annotations

import json

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.profiles.profile import Profile
from claude_tui.wire.api_format import API_FORMATS, ApiFormat, api_format_for
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.events import MessageStopped, TextDelta

ANTHROPIC_REPLY = [
    ("message_start", {"type": "message_start", "message": {"id": "m", "model": "x"}}),
    ("content_block_start", {"type": "content_block_start", "index": 0,
                             "content_block": {"type": "text", "text": ""}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0,
                             "delta": {"type": "text_delta", "text": "hi"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_stop", {"type": "message_stop"}),
]  # fmt: skip
OPENAI_REPLY = [
    ("message", {"id": "c", "model": "x", "choices": [{"index": 0, "delta": {"content": "hi"}}]}),
    ("message", {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
]


def request() -> ChatRequest:
    return ChatRequest(
        history=[ChatMessage(role="user", content=[{"type": "text", "text": "hello"}])], model="m"
    )


@pytest.mark.parametrize(
    ("name", "reply"), [("anthropic", ANTHROPIC_REPLY), ("openai", OPENAI_REPLY)]
)
def test_each_format_parses_its_stream_through_the_same_calls(
    name: str, reply: list[tuple[str, dict[str, object]]]
) -> None:
    parser = api_format_for(name).new_parser("req_1")
    events = []
    for event_name, payload in reply:
        events.extend(parser.feed(event_name, json.dumps(payload)))
    events.extend(parser.finish())
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "hi"
    assert isinstance(events[-1], MessageStopped)
    assert parser.finished and parser.request_id == "req_1"


@pytest.mark.parametrize("name", ["anthropic", "openai"])
def test_an_event_without_data_is_nothing_in_either_format(name: str) -> None:
    parser = api_format_for(name).new_parser(None)
    assert parser.feed("message", "") == []
    assert not parser.finished


def test_each_format_owns_its_urls_and_headers() -> None:
    anthropic: ApiFormat = API_FORMATS["anthropic"]
    openai: ApiFormat = API_FORMATS["openai"]
    assert anthropic.stream_url("https://relay.test/v1/") == "https://relay.test/v1/messages"
    assert openai.stream_url("https://relay.test") == "https://relay.test/v1/chat/completions"
    profile = Profile(name="p", base_url="https://relay.test", anthropic_beta=["b1", "b2"])
    assert anthropic.headers(profile) == {
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "b1,b2",
    }
    assert openai.headers(profile) == {}
    assert anthropic.body(request())["messages"][0]["role"] == "user"
    assert openai.body(request())["stream_options"] == {"include_usage": True}


def test_model_pages_follow_the_format() -> None:
    anthropic = API_FORMATS["anthropic"]
    assert anthropic.models_query(None) == {"limit": "1000"}
    assert anthropic.models_query({"has_more": True, "last_id": "m9"}) == {
        "limit": "1000",
        "after_id": "m9",
    }
    assert anthropic.models_query({"has_more": False}) is None
    assert API_FORMATS["openai"].models_query(None) == {}
    assert API_FORMATS["openai"].models_query({"data": []}) is None


def test_only_anthropic_counts_tokens() -> None:
    call = API_FORMATS["anthropic"].count_tokens_call("https://relay.test", request())
    assert call is not None
    url, body = call
    assert url == "https://relay.test/v1/messages/count_tokens"
    assert "max_tokens" not in body and "stream" not in body
    assert API_FORMATS["openai"].count_tokens_call("https://relay.test", request()) is None


def test_an_unknown_format_says_what_to_write() -> None:
    with pytest.raises(ValueError, match='"anthropic" or "openai"'):
        api_format_for("gopher")
