"""Failover as the app shows it: the reply another profile served says so under it, a toast
tells it as it happens, and resuming the session shows the note again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from app_driving import pane_of, relay_table, run, screen_text, send, wait_until_shown, write_config

from claude_tui.demo import DemoRelay, Fault
from claude_tui.ui.app import ClaudeTuiApp

NOTE = "overloaded on relay-a, sent to relay-b"


@pytest.fixture
def relay_b() -> Iterator[DemoRelay]:
    with DemoRelay() as relay:
        yield relay


async def test_a_failed_over_reply_says_where_it_came_from(
    demo_relay: DemoRelay, relay_b: DemoRelay
) -> None:
    config = write_config(
        {
            "relay-a": relay_table(
                demo_relay.base_url, thinking="off", max_retries=0, fallback=["relay-b"]
            ),
            "relay-b": relay_table(relay_b.base_url, thinking="off", model="claude-b"),
        }
    )
    demo_relay.queue_fault(Fault("status", status=529))
    async with run(ClaudeTuiApp(config, profile_name="relay-a")) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "hello")
        reply = pane.conversation.session.messages[-1]
        assert reply.failover == NOTE and reply.text
        await wait_until_shown(pilot, f"↪ {NOTE}")
        assert len(relay_b.requests) == 1
        assert pane.conversation.profile.name == "relay-a"  # the next turn tries it again
        session_id = pane.conversation.session.id

    async with run(ClaudeTuiApp(config, resume=session_id)) as pilot:
        await wait_until_shown(pilot, f"↪ {NOTE}")
        assert "claude-b" in await screen_text(pilot)
