"""Thinking on ``openai`` profiles over real loopback sockets: the demo relay receives the
fields each ``thinking_dialect`` names, and ``-p`` says once when thinking is not sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.profiles import profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui

THINKING_KEYS = ("reasoning_effort", "reasoning", "thinking", "output_config")


def received_thinking(relay: DemoRelay) -> dict[str, Any]:
    """The thinking fields of the last Chat Completions body the relay received."""
    chats = [r for r in relay.requests if r.path.endswith("/chat/completions")]
    body = chats[-1].json
    assert isinstance(body, dict)
    return {key: body[key] for key in THINKING_KEYS if key in body}


@pytest.mark.parametrize(
    ("dialect", "thinking", "expected"),
    [
        ("auto", 2048, {"reasoning_effort": "low"}),  # a loopback host is not OpenRouter
        ("reasoning_effort", 20000, {"reasoning_effort": "high"}),
        ("openrouter", 2048, {"reasoning": {"max_tokens": 2048}}),
        ("openrouter", "adaptive", {"reasoning": {"effort": "medium"}}),
        ("anthropic", 2048, {"thinking": {"type": "enabled", "budget_tokens": 2048}}),
        ("anthropic", "adaptive", {"thinking": {"type": "adaptive"}}),
        ("none", 2048, {}),
    ],
)
async def test_the_relay_receives_thinking_in_the_profiles_dialect(
    demo_relay: DemoRelay, pool: EndpointPool, dialect: str, thinking: Any, expected: Any
) -> None:
    profile = profile_from_table(
        "relay",
        {
            "base_url": f"{demo_relay.base_url}/v1",
            "api_format": "openai",
            "auth": "none",
            "model": "claude-demo",
            "max_tokens": 32000,
            "thinking": thinking,
            "thinking_dialect": dialect,
            "max_retries": 0,
        },
    )
    session = SessionStore().create(SessionSettings.from_profile(profile))
    conversation = Conversation(session, profile, pool)
    async for _event, _message in conversation.send("hello"):
        pass
    assert session.messages[-1].status is MessageStatus.COMPLETE
    assert received_thinking(demo_relay) == expected


def write_openai_config(home: Path, base_url: str, dialect: str) -> None:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}/v1"
api_format = "openai"
auth = "none"
model = "claude-demo"
thinking = 4096
thinking_dialect = "{dialect}"
max_retries = 0
""",
        encoding="utf-8",
    )


def test_print_mode_says_once_that_thinking_is_not_sent(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    write_openai_config(isolated_dirs, demo_relay.base_url, "none")
    run = run_claude_tui("-p", "hello")
    assert run.code == 0, run.stderr
    assert run.stdout.strip()
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("claude-tui: thinking 4096 tok is not sent:"), run.stderr
    assert 'thinking_dialect = "none"' in run.stderr
    assert received_thinking(demo_relay) == {}


def test_print_mode_is_quiet_when_the_dialect_carries_thinking(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    write_openai_config(isolated_dirs, demo_relay.base_url, "openrouter")
    run = run_claude_tui("-p", "hello")
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    assert received_thinking(demo_relay) == {"reasoning": {"max_tokens": 4096}}
