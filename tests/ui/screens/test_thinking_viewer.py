"""The full-screen thinking viewer (Ctrl+O) follows thinking that is still streaming, and its
search says which match of how many is selected."""

from __future__ import annotations

import pytest
from app_driving import pane_of, relay_table, run, submit, wait_until, write_config
from textual.widgets import Input, Label, TextArea

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Config
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.thinking_screen import ThinkingScreen


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    return write_config({"relay": relay_table(demo_relay.base_url)})


async def test_the_viewer_opened_mid_thinking_follows_it_to_the_end(config: Config) -> None:
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:slow=0.08] think about it")
        session = pane.conversation.session

        def thinking_started() -> bool:
            return len(session.messages) == 2 and bool(session.messages[1].thinking_text)

        await wait_until(pilot, thinking_started)
        reply = session.messages[1]
        assert reply.status is MessageStatus.STREAMING and not reply.text
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ThinkingScreen))
        viewer = app.screen
        assert isinstance(viewer, ThinkingScreen)
        first = viewer.thinking
        assert "thinking…" in str(viewer.query_one("#thinking-title", Label).content)
        await wait_until(pilot, lambda: len(viewer.thinking) > len(first))  # it grows
        await wait_until(pilot, lambda: reply.status is not MessageStatus.STREAMING)
        await wait_until(pilot, lambda: viewer.thinking == reply.thinking_text)
        await pilot.pause(0.2)
        assert viewer.query_one(TextArea).text == reply.thinking_text
        assert "thinking…" not in str(viewer.query_one("#thinking-title", Label).content)


async def test_search_says_which_match_of_how_many() -> None:
    from textual.app import App

    message = ChatMessage(
        role="assistant",
        content=[{"type": "thinking", "thinking": "alpha beta alpha gamma alpha", "signature": ""}],
    )

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ThinkingScreen("Thinking", message))

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("slash")
        search = app.screen.query_one(Input)
        search.value = "alpha"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ThinkingScreen)
        first = screen.match_position
        await pilot.press("n")
        await pilot.pause()
        assert first is not None and first[1] == 3
        assert screen.match_position is not None and screen.match_position[1] == 3
        assert screen.match_position[0] == first[0] % 3 + 1
        assert "match" in str(screen.query_one("#thinking-title", Label).content)
