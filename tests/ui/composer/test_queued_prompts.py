"""Enter while a reply streams queues the prompt (as in Claude Code): it is shown above the
composer, sent when the reply ends complete, and can be taken back before (Up on an empty
composer). A reply stopped with Esc, cut or failed gives the queued text back instead."""

from __future__ import annotations

import pytest
from app_driving import (
    pane_of,
    relay_table,
    run,
    screen_text,
    submit,
    tap,
    wait_until,
    write_config,
)
from textual.pilot import Pilot

from claude_tui.demo import DemoRelay
from claude_tui.profiles import Config
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

SLOW = "[demo:slow=0.03][demo:long=40]"


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    return write_config({"relay": relay_table(demo_relay.base_url)})


def app_for(config: Config) -> ClaudeTuiApp:
    return ClaudeTuiApp(config, profile_name="relay")


async def wait_idle(pilot: Pilot[object], pane: ConversationPane) -> None:
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not pane.streaming)
    await pilot.pause()
    await pilot.pause()


def user_texts(pane: ConversationPane) -> list[str]:
    return [m.text for m in pane.conversation.session.messages if m.role == "user"]


async def test_prompts_sent_while_streaming_are_queued_shown_and_sent_as_one(
    config: Config,
) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, f"{SLOW} first question")
        await wait_until(pilot, lambda: pane.streaming)

        await submit(pilot, "second thought\nwith a second line")
        await submit(pilot, "third thought")
        assert pane.composer.text == ""
        assert pane.queued == ["second thought\nwith a second line", "third thought"]
        shown = await screen_text(pilot)
        assert "queued: second thought…" in shown
        assert "(+1 more)" in shown
        assert "third thought" in pane.composer.history.entries  # kept as sent prompts are

        # The first reply ends complete: the queue goes out as one message, then empties.
        await wait_until(pilot, lambda: len(user_texts(pane)) == 2)
        await wait_idle(pilot, pane)
        assert user_texts(pane)[1] == "second thought\nwith a second line\n\nthird thought"
        assert pane.queued == []
        assert "queued:" not in await screen_text(pilot)
        saved = SessionStore().open(pane.conversation.session.id)
        assert [m.role for m in saved.messages] == ["user", "assistant", "user", "assistant"]


async def test_escape_stops_the_reply_and_gives_the_queue_back(config: Config) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, f"{SLOW} stop me")
        await wait_until(pilot, lambda: pane.streaming)
        await submit(pilot, "not yet")

        await tap(pilot, "escape")
        await wait_idle(pilot, pane)

        assert pane.composer.text == "not yet"
        assert pane.queued == []
        assert user_texts(pane) == [f"{SLOW} stop me"]


async def test_up_on_an_empty_composer_takes_the_queue_back_to_edit(config: Config) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, f"{SLOW} talk a while")
        await wait_until(pilot, lambda: pane.streaming)
        await submit(pilot, "draft to fix")

        await tap(pilot, "up")
        assert pane.composer.text == "draft to fix"
        assert pane.queued == []
        assert "queued:" not in await screen_text(pilot)

        await wait_idle(pilot, pane)
        assert user_texts(pane) == [f"{SLOW} talk a while"]  # nothing went out
        assert pane.composer.text == "draft to fix"


async def test_up_with_nothing_queued_still_recalls_the_history(config: Config) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:long=1] earlier prompt")
        await wait_idle(pilot, pane)
        await tap(pilot, "up")
        await wait_until(pilot, lambda: pane.composer.text == "[demo:long=1] earlier prompt")


async def test_a_cut_reply_gives_the_queue_back_unsent(config: Config) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, f"{SLOW}[demo:cut] this will break")
        await wait_until(pilot, lambda: pane.streaming)
        await submit(pilot, "after the break")

        await wait_idle(pilot, pane)
        assert pane.composer.text == "after the break"
        assert len(user_texts(pane)) == 1


async def test_an_edit_resent_while_streaming_waits_in_the_composer(config: Config) -> None:
    async with run(app_for(config)) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:long=1] first")
        await wait_until(pilot, lambda: not pane.streaming)
        await submit(pilot, f"{SLOW} second")
        await wait_until(pilot, lambda: pane.streaming)
        pane.editing_message_id = pane.conversation.session.messages[0].id

        pane.composer.composer.insert("first, edited")
        await tap(pilot, "enter")
        app = pilot.app
        await wait_until(
            pilot, lambda: any("resend the edit" in n.message for n in app._notifications)
        )

        assert pane.composer.text == "first, edited"  # not queued, not lost
        assert pane.queued == []
        assert len(user_texts(pane)) == 2
