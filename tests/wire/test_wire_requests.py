"""Request bodies for both APIs (anthropic_request, openai_request) and endpoint URLs."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.wire.anthropic_request import ANTHROPIC_VERSION, anthropic_body, count_tokens_body
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.endpoint_urls import anthropic_url, is_loopback, openai_url, root_url
from claude_tui.wire.openai_request import openai_body

MODEL = "claude-sonnet-4-5"


def history() -> list[ChatMessage]:
    return [
        ChatMessage.user("first question"),
        ChatMessage(
            role="assistant",
            content=[
                {"type": "thinking", "thinking": "hmm", "signature": "SIG"},
                {"type": "text", "text": "first answer"},
            ],
            model=MODEL,
        ),
        ChatMessage.user("second question"),
    ]


def request(**kwargs: Any) -> ChatRequest:
    return ChatRequest(history=history(), model=MODEL, **kwargs)


def test_anthropic_version_constant() -> None:
    assert ANTHROPIC_VERSION == "2023-06-01"


def test_basic_anthropic_body() -> None:
    body = anthropic_body(request(max_tokens=1000, system="Be kind."))
    assert body["model"] == MODEL
    assert body["max_tokens"] == 1000
    assert body["stream"] is True
    assert body["system"] == "Be kind."
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    # the earlier thinking goes back unmodified for the same model
    assert body["messages"][1]["content"][0] == {
        "type": "thinking",
        "thinking": "hmm",
        "signature": "SIG",
    }
    assert "thinking" not in body and "temperature" not in body


def test_non_streaming_body_and_no_system() -> None:
    body = anthropic_body(request(), stream=False)
    assert "stream" not in body
    assert "system" not in body


def test_temperature_sent_when_thinking_off() -> None:
    assert anthropic_body(request(temperature=0.3))["temperature"] == 0.3
    assert anthropic_body(request(temperature=0.0))["temperature"] == 0.0


@pytest.mark.parametrize("thinking", [4096, "adaptive"])
def test_no_temperature_when_thinking_on(thinking: str | int) -> None:
    body = anthropic_body(request(thinking=thinking, temperature=0.7))
    assert "temperature" not in body
    assert "thinking" in body


def test_budget_thinking() -> None:
    body = anthropic_body(request(thinking=4096, max_tokens=16000))
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 4096}
    assert "output_config" not in body


@pytest.mark.parametrize(("budget", "max_tokens"), [(8192, 8192), (32000, 8192), (9000, 8192)])
def test_budget_clamped_below_max_tokens(budget: int, max_tokens: int) -> None:
    body = anthropic_body(request(thinking=budget, max_tokens=max_tokens))
    assert body["thinking"]["budget_tokens"] == max_tokens - 1
    assert body["thinking"]["budget_tokens"] < body["max_tokens"]


def test_adaptive_with_effort() -> None:
    body = anthropic_body(request(thinking="adaptive", effort="high"))
    assert body["thinking"] == {"type": "adaptive"}
    assert body["output_config"] == {"effort": "high"}


def test_adaptive_without_effort_has_no_output_config() -> None:
    body = anthropic_body(request(thinking="adaptive"))
    assert body["thinking"] == {"type": "adaptive"}
    assert "output_config" not in body


@pytest.mark.parametrize("thinking", ["off", 0])
def test_thinking_off_sends_nothing(thinking: str | int) -> None:
    body = anthropic_body(request(thinking=thinking, effort="high"))
    assert "thinking" not in body and "output_config" not in body


def test_prefill_appended_with_trailing_whitespace_stripped() -> None:
    body = anthropic_body(request(prefill="The answer is  \n\t"))
    assert body["messages"][-1] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "The answer is"}],
    }
    assert body["messages"][-2]["role"] == "user"


def test_extra_body_is_merged_last() -> None:
    body = anthropic_body(request(extra_body={"metadata": {"user_id": "u1"}, "max_tokens": 5}))
    assert body["metadata"] == {"user_id": "u1"}
    assert body["max_tokens"] == 5


def test_model_switch_strips_thinking() -> None:
    body = anthropic_body(ChatRequest(history=history(), model="claude-opus-4-1"))
    assert body["messages"][1]["content"] == [{"type": "text", "text": "first answer"}]


def test_anthropic_body_is_trimmed() -> None:
    body = anthropic_body(request(max_messages=1))
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "second question"}]}
    ]


def test_count_tokens_body_drops_generation_fields() -> None:
    body = count_tokens_body(request(temperature=0.5, system="s", max_tokens=100))
    assert "max_tokens" not in body
    assert "temperature" not in body
    assert "stream" not in body
    assert body["model"] == MODEL and body["system"] == "s"
    assert len(body["messages"]) == 3


def test_count_tokens_body_keeps_thinking() -> None:
    body = count_tokens_body(request(thinking="adaptive"))
    assert body["thinking"] == {"type": "adaptive"}


# -- OpenAI -----------------------------------------------------------------------------------


def test_openai_body() -> None:
    body = openai_body(request(system="Be kind.", max_tokens=500, temperature=0.2))
    assert body["model"] == MODEL
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_tokens"] == 500
    assert body["temperature"] == 0.2
    assert body["messages"] == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"role": "user", "content": "second question"},
    ]
    assert "reasoning_effort" not in body


def test_openai_thinking_drops_temperature_and_sends_effort() -> None:
    body = openai_body(request(thinking="adaptive", effort="low", temperature=0.9))
    assert "temperature" not in body
    assert body["reasoning_effort"] == "low"


def test_openai_effort_ignored_when_thinking_off() -> None:
    assert "reasoning_effort" not in openai_body(request(effort="low"))


def test_openai_trimming_keeps_system_first() -> None:
    body = openai_body(request(system="sys", max_messages=1))
    assert body["messages"] == [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "second question"},
    ]


def test_openai_prefill() -> None:
    body = openai_body(request(prefill="Partial answer \n"))
    assert body["messages"][-1] == {"role": "assistant", "content": "Partial answer"}


def test_openai_extra_body() -> None:
    assert openai_body(request(extra_body={"top_p": 0.5}))["top_p"] == 0.5


def test_thinking_enabled_property() -> None:
    assert not request().thinking_enabled
    assert not request(thinking=0).thinking_enabled
    assert request(thinking=2048).thinking_enabled
    assert request(thinking="adaptive").thinking_enabled


# -- endpoint URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base",
    [
        "https://api.anthropic.com",
        "https://api.anthropic.com/",
        "https://api.anthropic.com/v1",
        "https://api.anthropic.com/v1/",
    ],
)
def test_anthropic_url_tolerates_trailing_v1(base: str) -> None:
    assert root_url(base) == "https://api.anthropic.com"
    assert anthropic_url(base, "messages") == "https://api.anthropic.com/v1/messages"
    assert anthropic_url(base, "/models") == "https://api.anthropic.com/v1/models"


def test_anthropic_url_keeps_a_relay_prefix() -> None:
    assert (
        anthropic_url("https://relay.example/api/claude/", "messages/count_tokens")
        == "https://relay.example/api/claude/v1/messages/count_tokens"
    )
    assert anthropic_url("http://127.0.0.1:8080/proxy/v1", "models") == (
        "http://127.0.0.1:8080/proxy/v1/models"
    )


def test_root_url_only_strips_a_whole_v1_segment() -> None:
    assert root_url("https://relay.example/apiv1") == "https://relay.example/apiv1"
    assert root_url("https://relay.example/v1beta") == "https://relay.example/v1beta"


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.openai.com", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions"),
        (
            "https://open.bigmodel.cn/api/paas/v4",
            "https://open.bigmodel.cn/api/paas/v4/chat/completions",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/openai",
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
        ),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"),
        ("http://localhost:11434", "http://localhost:11434/v1/chat/completions"),
        ("https://relay.example/proxy", "https://relay.example/proxy/v1/chat/completions"),
    ],
)
def test_openai_url_rules(base: str, expected: str) -> None:
    assert openai_url(base, "chat/completions") == expected
    assert openai_url(base, "/chat/completions") == expected


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.5.6.7/x", True),
        ("http://localhost:3000/v1", True),
        ("http://LOCALHOST", True),
        ("http://[::1]:8080", True),
        ("https://api.anthropic.com", False),
        ("http://10.0.0.1", False),
        ("http://localhost.example.com", False),
    ],
)
def test_is_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback
