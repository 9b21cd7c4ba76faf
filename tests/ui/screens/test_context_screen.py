"""``/context`` in the real app: the view of the next request, and the status bar's figure
that reads the same count (``~`` while it is an estimate)."""

from __future__ import annotations

from typing import Any

from app_driving import (
    SHORT,
    app_of,
    pane_of,
    relay_table,
    run,
    screen_text,
    submit,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from textual.pilot import Pilot

from claude_tui.demo import DemoRelay, Fault
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.context_screen import ContextScreen
from claude_tui.ui.widgets.status_bar import StatusBar

COUNT_PATH = "/v1/messages/count_tokens"


def count_calls(relay: DemoRelay) -> list[Any]:
    return [r for r in relay.requests if r.path == COUNT_PATH]


def status_text(pilot: Pilot[Any]) -> str:
    return str(pilot.app.query_one(StatusBar).render())


async def send_and_wait(pilot: Pilot[Any], text: str) -> None:
    pane = pane_of(pilot)
    await submit(pilot, text)
    await wait_until(
        pilot, lambda: not pane.streaming and len(pane.conversation.session.messages) >= 2
    )


async def open_context(pilot: Pilot[Any]) -> ContextScreen:
    await tap(pilot, "f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContextScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ContextScreen)
    return screen


async def test_context_lists_the_next_request_and_says_it_was_counted(
    demo_relay: DemoRelay,
) -> None:
    config = write_config(
        {"relay": relay_table(demo_relay.base_url, system="Answer like a pirate.")}
    )
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send_and_wait(pilot, f"{SHORT} first question about ships")
        pane = pane_of(pilot)
        pane.composer.composer.insert("draft of the next question")

        screen = await open_context(pilot)
        await wait_until(pilot, lambda: screen.shown.counted)
        items = screen.report.items
        assert [item.label for item in items] == [
            "System prompt",
            "You",
            "Claude",
            "Your next message",
        ]
        assert items[1].preview == f"{SHORT} first question about ships"
        assert items[3].preview == "draft of the next question"
        text = await screen_text(pilot)
        assert "Context of the next request · relay · claude-demo" in text
        assert "System prompt" in text and "Answer like a pirate." in text
        assert "Claude" in text and "Your next message" in text
        assert "draft of the next question" in text
        assert "Input counted by the endpoint (count_tokens)." in text
        assert "Reply reserve (max_tokens)" in text
        assert f"{screen.shown.tokens:,}" in text
        assert "of 200,000" in text
        # The count the view shows is the one the endpoint gave for this request.
        calls = count_calls(demo_relay)
        asked = [c for c in calls if "draft of the next question" in str(c.json)]
        assert len(asked) == 1

        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not isinstance(app_of(pilot).screen, ContextScreen))
        # Reopened with the same content: the count is known, nothing asked again.
        screen = await open_context(pilot)
        assert screen.shown.counted
        assert len([c for c in count_calls(demo_relay) if "draft" in str(c.json)]) == 1
        assert pane.composer.composer.text == "draft of the next question"  # nothing lost


async def test_context_estimates_where_the_endpoint_does_not_count(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, api_format="openai")})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send_and_wait(pilot, f"{SHORT} hello")
        await submit(pilot, "/context")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContextScreen))
        await wait_until_shown(pilot, "Why: the OpenAI format has no token-counting")
        text = await screen_text(pilot)
        assert "Input estimated (about 4 characters a token)." in text
        assert "(nothing typed yet)" in text
        assert count_calls(demo_relay) == []


async def test_context_shows_the_turns_trimming_leaves_out(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, max_messages=2)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send_and_wait(pilot, f"{SHORT} the oldest question")
        pane = pane_of(pilot)
        await submit(pilot, f"{SHORT} a newer question")
        await wait_until(
            pilot, lambda: not pane.streaming and len(pane.conversation.session.messages) == 4
        )
        screen = await open_context(pilot)
        left = screen.report.left_out_items
        assert [item.label for item in left] == ["You", "Claude", "You", "Claude"]
        assert left[0].preview == f"{SHORT} the oldest question"
        assert all(item.note == "max_messages = 2" for item in left)
        text = await screen_text(pilot)
        assert "not sent: max_messages = 2" in text
        assert "4 earlier messages are not sent (max_messages = 2)" in text


async def test_context_falls_back_to_the_estimate_when_the_endpoint_answers_404(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        demo_relay.queue_fault(Fault.http_error(404))
        screen = await open_context(pilot)
        await wait_until_shown(pilot, "Why: the endpoint did not count it")
        assert not screen.shown.counted
        assert len(count_calls(demo_relay)) == 1


async def test_the_status_bar_marks_an_estimate_and_shows_the_count_after_a_reply(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        assert "ctx ~" in status_text(pilot)  # nothing counted yet: an estimate
        assert count_calls(demo_relay) == []  # opening the app contacts no endpoint
        await send_and_wait(pilot, f"{SHORT} count me")
        await wait_until(pilot, lambda: len(count_calls(demo_relay)) == 1)
        await wait_until(pilot, lambda: "ctx ~" not in status_text(pilot))
        pane = pane_of(pilot)
        figure = app_of(pilot).context_meter.figure(pane.conversation)
        assert not figure.estimated
        assert f"ctx {figure.tokens}/200.0k" in status_text(pilot)
        # /context on an empty composer shows the very same count, without asking again
        screen = await open_context(pilot)
        assert screen.shown.counted and screen.shown.tokens == figure.tokens
        assert len(count_calls(demo_relay)) == 1
