"""A request copied as curl, run by bash and the real curl against the demo relay, sends the
same request again: the same body, every header, and the key from the shell's variable."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.profiles import profile_from_table
from claude_tui.request_log import curl_command
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

KEY = "sk-curl-test-2b7e9c4d1a6f8035"

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


@pytest.mark.parametrize(("auth", "padding"), [("x-api-key", 0), ("bearer", 5000)])
async def test_the_copied_command_sends_the_same_request(
    demo_relay: DemoRelay, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, auth: str, padding: int
) -> None:
    """Short bodies go inline, long ones in a heredoc: both arrive byte for byte."""
    monkeypatch.setenv("RELAY_KEY", KEY)
    table = {
        "base_url": demo_relay.base_url,
        "auth": auth,
        "api_key_env": "RELAY_KEY",
        "model": "claude-demo",
        "max_retries": 0,
    }
    profile = profile_from_table("relay", table)
    session = SessionStore().create(SessionSettings(profile=profile.name, model=profile.model))
    pool = EndpointPool()
    conversation = Conversation(session, profile, pool)
    try:
        prompt = 'it\'s $HOME, `date` and "quotes"\nover two lines' + "x" * padding
        async with contextlib.aclosing(conversation.send(prompt)) as replies:
            async for _ in replies:
                pass
    finally:
        await pool.aclose()
    (record,) = conversation.request_log
    command = curl_command(record)
    assert KEY not in command
    assert ("<<'JSON'" in command) == (padding > 0)

    script = tmp_path / "copied.sh"
    script.write_text(command, encoding="utf-8")
    result = subprocess.run(
        ["bash", str(script)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "RELAY_KEY": KEY},
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "event: message_stop" in result.stdout  # the relay streamed a whole reply

    original, again = demo_relay.requests
    assert again.body.rstrip(b"\n") == original.body
    assert again.json == original.json
    for name, value in original.headers.items():
        if name in ("host", "content-length", "accept-encoding", "connection"):
            continue  # curl's own transport headers
        assert again.headers.get(name) == value, name
    sent_key = again.headers["x-api-key" if auth == "x-api-key" else "authorization"]
    assert sent_key == (KEY if auth == "x-api-key" else f"Bearer {KEY}")
