"""Auto-compact in print mode: a run whose request would pass ``auto_compact`` of the
context window compacts first, says so on stderr (stdout holds only the reply), and sends
the summary plus the later turns."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_files import write_config_file

from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay
from claude_tui.history_summary import SUMMARY_PREFIX
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui


def config(base_url: str, api_format: str) -> str:
    return f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
api_format = "{api_format}"
auth = "none"
model = "claude-demo"
max_retries = 0
context_window = 3000
max_tokens = 500
auto_compact = 0.5
keep_recent = 1
"""


def session_with_history() -> str:
    session = SessionStore().create(
        SessionSettings(profile="relay", model="claude-demo", max_tokens=500)
    )
    for number in range(1, 4):
        session.append_message(ChatMessage.user(f"question {number}"))
        answer = ChatMessage(
            role="assistant", content=[{"type": "text", "text": "blah " * 600}], model="m"
        )
        session.append_message(answer)
    return session.id


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
def test_print_mode_auto_compacts_and_says_so_on_stderr(
    demo_relay: DemoRelay, isolated_dirs: Path, api_format: str
) -> None:
    write_config_file(config(demo_relay.base_url, api_format))
    session_id = session_with_history()
    run = run_claude_tui("-p", "-r", session_id, "question 4")
    assert run.code == 0, run.stderr
    assert "compacted 4 earlier messages to stay under 50% of 3,000 tokens" in run.stderr
    assert "compacted" not in run.stdout
    assert len(demo_relay.requests) == 2  # the summary, then the reply
    body = demo_relay.requests[-1].json
    users = [m for m in body["messages"] if m["role"] == "user"]
    first = users[0]["content"]
    if isinstance(first, str) or len(first) == 1:  # openai: one text (a part once cached)
        text = first if isinstance(first, str) else first[0]["text"]
        assert text.startswith(SUMMARY_PREFIX) and text.endswith("question 3")
    else:
        assert first[0]["text"].startswith(SUMMARY_PREFIX)
        assert first[1]["text"] == "question 3"  # the newest keep_recent = 1 turn as it is
    assert "question 1" not in str(body["messages"])
    saved = SessionStore().open(session_id).summary_in_effect
    assert saved is not None and saved.auto and saved.count == 4
