"""Hostile keys and config files: secrets in a key command's complaint, files others can
read, and values that pass a glance but would break at request time."""

from __future__ import annotations

import json
import shlex
from collections.abc import AsyncIterator

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.profiles import KeySource, KeySourceError, profile_from_table
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, export_markdown

LEAKED_KEY = "sk-ant-api03-LEAKEDLEAKED7c1e9b24f0a8d6"
COMPLAINT = f"token {LEAKED_KEY} expired"
FAILING_HELPER = f"echo {shlex.quote(COMPLAINT)} >&2; exit 3"


@pytest.fixture
async def pool() -> AsyncIterator[EndpointPool]:
    endpoint_pool = EndpointPool()
    yield endpoint_pool
    await endpoint_pool.aclose()


def test_key_command_complaint_stays_out_of_the_error_message() -> None:
    profile = profile_from_table("relay", {"api_key_command": FAILING_HELPER})
    with pytest.raises(KeySourceError) as caught:
        KeySource(profile).get()
    assert str(caught.value) == (
        'api_key_command of profile "relay" failed with exit code 3; '
        "run the command in a shell to see why"
    )
    assert LEAKED_KEY not in caught.value.detail
    assert caught.value.detail == "token •••• expired"


async def test_key_command_complaint_is_never_saved(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    profile = profile_from_table(
        "relay",
        {
            "base_url": demo_relay.base_url,
            "api_key_command": FAILING_HELPER,
            "model": "claude-demo",
            "max_retries": 0,
        },
    )
    store = SessionStore()
    session = store.create(profile=profile.name, model=profile.model, thinking="off")
    conversation = Conversation(session, profile, pool)

    errors = []
    async for event, _message in conversation.send("hello"):
        errors.append(str(getattr(event, "error", "")))
    reply = session.messages[-1]

    assert reply.status is MessageStatus.ERROR
    assert "api_key_command" in (reply.error or "")
    saved = session.path.read_text(encoding="utf-8")
    reopened = store.open(session.id)
    exports = export_markdown(reopened) + json.dumps(export_json(reopened), ensure_ascii=False)
    for text in (saved, exports, reply.error or "", *errors):
        assert LEAKED_KEY not in text
        assert "expired" not in text
        assert "LEAKED" not in text
    assert demo_relay.requests == []  # nothing was sent without a key
