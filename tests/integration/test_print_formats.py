"""``claude-tui -p`` output formats, ``--append-system-prompt``, ``-r`` mistakes and
``<think>`` tags, run as real processes against the demo relay over loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.scripted_reply import answer_markdown, thinking_text
from claude_tui.sessions.session_store import SessionStore

from .cli_process import Run, run_claude_tui

RELAY_KEY = "sk-relay-test-4f1c9a7e2b8d6035"


def claude_tui(*args: str) -> Run:
    return run_claude_tui(*args, env={"RELAY_KEY": RELAY_KEY})


def config_text(base_url: str, *, max_retries: int = 0) -> str:
    return f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
api_key_env = "RELAY_KEY"
auth = "bearer"
model = "claude-demo"
thinking = 2048
max_retries = {max_retries}
system = "You are terse."
prices = {{ input = 3.0, output = 15.0 }}

[profiles.openai]
base_url = "{base_url}/v1"
api_format = "openai"
api_key_env = "RELAY_KEY"
model = "demo-gpt"
max_retries = 0
"""


@pytest.fixture
def relay(demo_relay: DemoRelay, isolated_dirs: Path) -> DemoRelay:
    write(isolated_dirs, config_text(demo_relay.base_url))
    return demo_relay


def write(home: Path, text: str) -> None:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def only_session_id() -> str:
    [summary] = SessionStore().list()
    return summary.id


def events_of(stdout: str) -> list[dict[str, Any]]:
    assert stdout.endswith("\n")
    return [json.loads(line) for line in stdout.splitlines()]


# --- --output-format ---------------------------------------------------------------------


def test_json_is_one_result_object(relay: DemoRelay) -> None:
    prompt = "Summarise SSE"
    run = claude_tui("-p", "--output-format", "json", prompt)

    assert run.code == 0, run.stderr
    assert run.stderr == ""
    [result] = events_of(run.stdout)
    assert result["type"] == "result"
    assert result["is_error"] is False
    assert result["result"] == answer_markdown(prompt)
    assert result["session_id"] == only_session_id()
    assert result["stop_reason"] == "end_turn"
    assert (result["model"], result["profile"]) == ("claude-demo", "relay")
    usage = result["usage"]
    written = usage["cache_creation_input_tokens"]  # prompt caching is on by default
    assert usage["input_tokens"] + written > 0 and usage["output_tokens"] > 0
    expected_cost = (
        usage["input_tokens"] * 3.0 + written * 3.75 + usage["output_tokens"] * 15.0
    ) / 1e6
    assert result["total_cost_usd"] == pytest.approx(expected_cost)


def test_stream_json_is_one_event_per_line(relay: DemoRelay) -> None:
    # Paced, so the deltas come in reads of their own (one read's deltas come joined).
    prompt = "[demo:slow=0.005] Stream it"
    run = claude_tui("-p", "--output-format", "stream-json", prompt)

    assert run.code == 0, run.stderr
    events = events_of(run.stdout)
    assert events[0] == {
        "type": "start",
        "session_id": only_session_id(),
        "profile": "relay",
        "model": "claude-demo",
    }
    assert events[-1]["type"] == "result"
    assert events[-1]["result"] == answer_markdown(prompt)
    assert events[-1]["usage"]["output_tokens"] > 0
    texts = [e["text"] for e in events if e["type"] == "text"]
    thinking = [e["thinking"] for e in events if e["type"] == "thinking"]
    assert len(texts) > 1  # as they streamed, not gathered at the end
    assert "".join(texts) == answer_markdown(prompt)
    assert "".join(thinking) == thinking_text(prompt)
    assert {e["type"] for e in events} == {"start", "thinking", "text", "result"}


def test_stream_json_reports_retries(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write(isolated_dirs, config_text(demo_relay.base_url, max_retries=1))
    demo_relay.queue_fault(Fault.http_error(529, headers={"retry-after-ms": "10"}))

    run = claude_tui("-p", "--output-format", "stream-json", "Second time lucky")

    assert run.code == 0, run.stderr
    [retry] = [e for e in events_of(run.stdout) if e["type"] == "retry"]
    assert (retry["attempt"], retry["max_retries"]) == (1, 1)
    assert "retrying" in retry["message"]


def test_json_failure_is_an_error_result_and_exit_1(relay: DemoRelay) -> None:
    relay.queue_fault(Fault.http_error(400, message="prompt is malformed"))

    run = claude_tui("-p", "--output-format", "json", "hello")

    assert run.code == 1
    [result] = events_of(run.stdout)
    assert result["is_error"] is True and result["subtype"] == "error"
    assert "prompt is malformed" in result["error"]
    assert result["session_id"] == only_session_id()
    assert run.stderr.startswith("claude-tui: ") and run.stderr.count("\n") == 1


def test_text_is_still_the_default(relay: DemoRelay) -> None:
    run = claude_tui("-p", "--output-format", "text", "Plain")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("Plain") + "\n"


def test_an_unknown_output_format_is_a_usage_error(relay: DemoRelay) -> None:
    run = claude_tui("-p", "--output-format", "xml", "hello")

    assert run.code == 2
    assert "--output-format" in run.stderr
    assert relay.requests == []


# --- --append-system-prompt -------------------------------------------------------------


def system_text(body: dict[str, Any]) -> str:
    """The system prompt sent: a string, or text blocks (prompt caching marks the last)."""
    system = body["system"]
    return system if isinstance(system, str) else "".join(b["text"] for b in system)


def test_append_system_prompt_is_for_this_run_only(relay: DemoRelay) -> None:
    first = claude_tui("-p", "--append-system-prompt", "Answer in French.", "Bonjour")

    assert first.code == 0, first.stderr
    assert system_text(relay.requests[0].json) == "You are terse.\n\nAnswer in French."
    session = SessionStore().open(only_session_id())
    assert session.settings.system == "You are terse."  # the session keeps its own

    again = claude_tui("-c", "-p", "And now?")
    assert again.code == 0, again.stderr
    assert system_text(relay.requests[1].json) == "You are terse."


def test_append_system_prompt_without_a_system_prompt(relay: DemoRelay) -> None:
    run = claude_tui("-p", "--profile", "openai", "--append-system-prompt", "Be brief.", "Hi")

    assert run.code == 0, run.stderr
    messages = relay.requests[0].json["messages"]
    assert messages[0] == {"role": "system", "content": "Be brief."}


# --- -r mistakes and <think> tags ---------------------------------------------------------


def test_resume_of_an_unknown_session_is_a_usage_error(relay: DemoRelay) -> None:
    run = claude_tui("-p", "-r", "nosuchsession", "hello")

    assert run.code == 2
    assert run.stderr.startswith("claude-tui: No saved session matches 'nosuchsession'")
    assert run.stderr.count("\n") == 1
    assert relay.requests == []


def test_no_blank_lines_where_think_tags_were(relay: DemoRelay) -> None:
    prompt = "[demo:think_tags] Reason about it"
    run = claude_tui("-p", "--profile", "openai", "--show-thinking", prompt)

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown(prompt) + "\n"
    assert not run.stdout.startswith("\n")
    assert "<think>" not in run.stdout and "</think>" not in run.stdout
    assert thinking_text(prompt) in run.stderr
