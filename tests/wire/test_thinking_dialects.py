"""Thinking on ``openai`` profiles: each ``thinking_dialect`` puts thinking and effort in the
fields its relays read, ``auto`` picks one from the base URL, and ``none`` sends nothing."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.profiles import Profile
from claude_tui.wire import ChatRequest, api_format_of
from claude_tui.wire.openai_format import OpenAIFormat
from claude_tui.wire.openai_request import openai_body

THINKING_KEYS = ("reasoning_effort", "reasoning", "thinking", "output_config")


def request(**kwargs: Any) -> ChatRequest:
    kwargs.setdefault("max_tokens", 32000)
    return ChatRequest(history=[ChatMessage.user("hi")], model="claude-x", **kwargs)


def thinking_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {key: body[key] for key in THINKING_KEYS if key in body}


@pytest.mark.parametrize(
    ("thinking", "effort", "expected"),
    [
        (2048, None, "low"),
        (4095, None, "low"),
        (4096, None, "medium"),
        (16383, None, "medium"),
        (16384, None, "high"),
        (2048, "max", "low"),  # a budget decides; effort goes with adaptive
        ("adaptive", None, "medium"),
        ("adaptive", "low", "low"),
        ("adaptive", "high", "high"),
        ("adaptive", "xhigh", "high"),
        ("adaptive", "max", "high"),
    ],
)
def test_reasoning_effort_maps_budget_and_effort(
    thinking: int | str, effort: str | None, expected: str
) -> None:
    body = openai_body(request(thinking=thinking, effort=effort), "reasoning_effort")
    assert thinking_fields(body) == {"reasoning_effort": expected}


def test_openrouter_sends_a_budget_as_max_tokens_and_adaptive_as_effort() -> None:
    assert thinking_fields(openai_body(request(thinking=2048), "openrouter")) == {
        "reasoning": {"max_tokens": 2048}
    }
    assert thinking_fields(openai_body(request(thinking="adaptive"), "openrouter")) == {
        "reasoning": {"effort": "medium"}
    }
    adaptive_max = openai_body(request(thinking="adaptive", effort="max"), "openrouter")
    assert thinking_fields(adaptive_max) == {"reasoning": {"effort": "high"}}


def test_a_budget_leaves_room_for_the_answer() -> None:
    body = openai_body(request(thinking=8000, max_tokens=4000), "openrouter")
    assert body["reasoning"] == {"max_tokens": 3999}


def test_anthropic_passes_the_thinking_object_through() -> None:
    assert thinking_fields(openai_body(request(thinking=2048), "anthropic")) == {
        "thinking": {"type": "enabled", "budget_tokens": 2048}
    }
    assert thinking_fields(openai_body(request(thinking="adaptive"), "anthropic")) == {
        "thinking": {"type": "adaptive"}
    }
    with_effort = openai_body(request(thinking="adaptive", effort="xhigh"), "anthropic")
    assert thinking_fields(with_effort) == {
        "thinking": {"type": "adaptive"},
        "output_config": {"effort": "xhigh"},
    }


@pytest.mark.parametrize("dialect", ["reasoning_effort", "openrouter", "anthropic", "none"])
def test_thinking_off_sends_nothing_and_keeps_temperature(dialect: Any) -> None:
    body = openai_body(request(effort="high", temperature=0.3), dialect)
    assert thinking_fields(body) == {}
    assert body["temperature"] == 0.3


def test_none_sends_no_thinking_and_keeps_temperature() -> None:
    body = openai_body(request(thinking=4096, effort="high", temperature=0.3), "none")
    assert thinking_fields(body) == {}
    assert body["temperature"] == 0.3


@pytest.mark.parametrize("dialect", ["reasoning_effort", "openrouter", "anthropic"])
def test_thinking_sent_drops_temperature(dialect: Any) -> None:
    body = openai_body(request(thinking=4096, temperature=0.3), dialect)
    assert thinking_fields(body)
    assert "temperature" not in body


@pytest.mark.parametrize(
    ("base_url", "dialect", "resolved"),
    [
        ("https://openrouter.ai/api", "auto", "openrouter"),
        ("https://eu.openrouter.ai/api", "auto", "openrouter"),
        ("https://notopenrouter.ai", "auto", "reasoning_effort"),
        ("https://relay.example", "auto", "reasoning_effort"),
        ("https://openrouter.ai/api", "anthropic", "anthropic"),
        ("https://relay.example", "none", "none"),
    ],
)
def test_auto_picks_openrouter_only_on_its_host(base_url: str, dialect: Any, resolved: str) -> None:
    profile = Profile(name="r", api_format="openai", base_url=base_url, thinking_dialect=dialect)
    assert profile.openai_thinking_dialect == resolved
    assert api_format_of(profile) == OpenAIFormat(resolved)  # type: ignore[arg-type]


def test_only_openai_profiles_with_dialect_none_cannot_send_thinking() -> None:
    assert not Profile(name="r", api_format="openai", thinking_dialect="none").can_send_thinking
    assert Profile(name="r", api_format="openai").can_send_thinking
    assert Profile(name="a", thinking_dialect="none").can_send_thinking  # Messages API: native


def test_the_format_of_a_profile_builds_its_dialect_into_the_body() -> None:
    profile = Profile(
        name="r", api_format="openai", base_url="https://openrouter.ai/api", thinking=2048
    )
    body = api_format_of(profile).body(request(thinking=2048))
    assert body["reasoning"] == {"max_tokens": 2048}
