"""Keys typed while a reply streams hold the stream's repaints for a moment, so that their
own frame comes first; a reply that ends meanwhile is drawn at once all the same."""

from __future__ import annotations

from app_driving import (
    pane_of,
    relay_table,
    run,
    submit,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from pytest import MonkeyPatch

from claude_tui.demo import DemoRelay
from claude_tui.demo.scripted_reply import planned_answer
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.conversation import conversation_pane

PROMPT = "[demo:slow=0.01][demo:long=60] tell me about terminals"


def _last_words(text: str) -> str:
    return " ".join(text.split()[-3:])


async def test_a_reply_that_ends_while_typing_is_drawn_whatever_the_keys_holds(
    demo_relay: DemoRelay, monkeypatch: MonkeyPatch
) -> None:
    # A hold far longer than any test: the end of the reply must not wait for it.
    monkeypatch.setattr(conversation_pane, "TYPING_HOLD", 60.0)
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, PROMPT)
        await wait_until(pilot, lambda: pane.streaming)
        await tap(pilot, "o", "k")  # typed while it streams: the stream's repaints wait
        await wait_until(pilot, lambda: not pane.streaming)
        await wait_until_shown(pilot, _last_words(planned_answer(PROMPT, None)))
        assert pane.composer.text == "ok"  # and the keys were not lost
