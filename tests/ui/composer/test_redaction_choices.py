"""redact = "ask" | "always" | "off", driven as a user would: Enter on a prompt holding
secrets, then r (send redacted), s (send as is) or e / Esc (edit). Each test checks what
the demo relay received over loopback, what the session file and the prompt history hold,
and that no original secret reached the data folder unless it was sent as is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    screen_text,
    tap,
    wait_until,
    write_config,
)
from textual.pilot import Pilot

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.composer_redaction import RedactionCard
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

AWS_KEY = "AKIA" + "Q3EGRIIKQ4ZQ7VXA"  # joined: no secret in this file's source
PW_VALUE = "Tr0ub4" + "dor&3x"
PROMPT = f"[demo:long=1] why is {AWS_KEY} refused?\npass" + f'word = "{PW_VALUE}"'
REDACTED = '[demo:long=1] why is [REDACTED:aws-key] refused?\npassword = "[REDACTED:password]"'


def app_for(relay: DemoRelay, redact: str | None) -> ClaudeTuiApp:
    table = relay_table(relay.base_url)
    if redact is not None:
        table["redact"] = redact
    return ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")


def sent_prompts(relay: DemoRelay) -> list[str]:
    """The last user turn of each request the relay received."""
    texts = []
    for request in reply_requests(relay):
        body: Any = request.json
        last = [m for m in body["messages"] if m["role"] == "user"][-1]
        texts.append("".join(b["text"] for b in last["content"] if b["type"] == "text"))
    return texts


def saved_user_texts(pane: ConversationPane) -> list[str]:
    saved = SessionStore().open(pane.conversation.session.id)
    return [m.text for m in saved.messages if m.role == "user"]


def history_on_disk() -> str:
    path = paths.prompt_history_file()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def data_files_holding(secret: str) -> list[Path]:
    return [
        path
        for path in paths.data_dir().rglob("*")
        if path.is_file() and secret in path.read_text(encoding="utf-8", errors="replace")
    ]


def card_of(pane: ConversationPane) -> RedactionCard:
    return pane.composer.query_one(RedactionCard)


async def enter_prompt(pilot: Pilot[Any], pane: ConversationPane) -> None:
    pane.composer.composer.insert(PROMPT)
    await tap(pilot, "enter")


async def ask(pilot: Pilot[Any], pane: ConversationPane) -> None:
    """Enter on the prompt; wait for the card to ask (with the focus on it)."""
    await enter_prompt(pilot, pane)
    await wait_until(pilot, lambda: pane.composer.reviewing_secrets)
    await wait_until(pilot, lambda: card_of(pane).has_focus)


async def wait_sent(pilot: Pilot[Any], pane: ConversationPane, relay: DemoRelay) -> None:
    await wait_until(pilot, lambda: len(reply_requests(relay)) == 1)
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not pane.streaming)
    await pilot.pause()


async def test_ask_shows_what_was_found_and_sends_nothing_until_asked(
    demo_relay: DemoRelay,
) -> None:
    async with run(app_for(demo_relay, None)) as pilot:  # "ask" is the default
        pane = pane_of(pilot)
        await ask(pilot, pane)

        shown = await screen_text(pilot)
        assert "Found 2 secrets (aws-key, password) in this prompt" in shown
        assert "aws-key  line 1:" in shown and "password  line 2: ••••" in shown
        assert "r send redacted · s send as is · e or Esc edit" in shown
        assert shown.count(AWS_KEY) == 1  # in the composer only: the card masks it
        assert "r Send redacted" in shown  # and the footer names the keys too
        assert pane.composer.composer.has_class("-secrets-found")
        assert pane.composer.text == PROMPT  # still in the composer, unsent
        assert reply_requests(demo_relay) == []
        assert pane.composer.history.entries == ()
        assert data_files_holding(AWS_KEY) == []


async def test_ask_r_sends_redacted_and_saves_only_what_was_sent(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        await ask(pilot, pane)
        await tap(pilot, "r")
        await wait_sent(pilot, pane, demo_relay)

        assert sent_prompts(demo_relay) == [REDACTED]
        assert saved_user_texts(pane) == [REDACTED]
        assert pane.composer.history.entries == (REDACTED,)
        assert REDACTED.split("\n")[0] in history_on_disk()
        assert pane.composer.text == ""
        assert not card_of(pane).shown and pane.composer.composer.has_focus
        assert data_files_holding(AWS_KEY) == [] and data_files_holding(PW_VALUE) == []


async def test_ask_s_sends_as_is_because_the_user_chose_to(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        await ask(pilot, pane)
        await tap(pilot, "s")
        await wait_sent(pilot, pane, demo_relay)

        assert sent_prompts(demo_relay) == [PROMPT]
        assert saved_user_texts(pane) == [PROMPT]
        assert pane.composer.history.entries == (PROMPT,)


@pytest.mark.parametrize("key", ["e", "escape"])
async def test_ask_edit_goes_back_to_the_text_with_the_secret_selected(
    demo_relay: DemoRelay, key: str
) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        await ask(pilot, pane)
        await tap(pilot, key)
        composer = pane.composer.composer
        await wait_until(pilot, lambda: composer.has_focus)

        assert not card_of(pane).shown and not composer.has_class("-secrets-found")
        assert composer.text == PROMPT
        assert composer.selected_text == AWS_KEY  # the first finding, ready to type over
        assert reply_requests(demo_relay) == [] and pane.composer.history.entries == ()

        # The tab closes with the text unsent: it is kept in the history, but redacted.
        pane.keep_unsent()
        assert pane.composer.history.entries == (REDACTED,)
        assert AWS_KEY not in history_on_disk() and PW_VALUE not in history_on_disk()

        # Typing over the secret and sending: nothing left to ask about.
        composer.set_text("[demo:long=1] why is my key refused?")
        await tap(pilot, "enter")
        await wait_sent(pilot, pane, demo_relay)
        assert sent_prompts(demo_relay) == ["[demo:long=1] why is my key refused?"]


async def test_always_redacts_with_a_toast(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "always")) as pilot:
        pane = pane_of(pilot)
        await enter_prompt(pilot, pane)
        await wait_sent(pilot, pane, demo_relay)
        toast = "Redacted 2 secrets (aws-key, password) before sending."
        await wait_until(pilot, lambda: any(n.message == toast for n in pilot.app._notifications))

        assert sent_prompts(demo_relay) == [REDACTED]
        assert saved_user_texts(pane) == [REDACTED]
        assert pane.composer.history.entries == (REDACTED,)
        assert data_files_holding(AWS_KEY) == []


async def test_off_sends_as_is_and_never_asks(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "off")) as pilot:
        pane = pane_of(pilot)
        await enter_prompt(pilot, pane)
        await wait_sent(pilot, pane, demo_relay)

        assert sent_prompts(demo_relay) == [PROMPT]
        assert saved_user_texts(pane) == [PROMPT]
        assert not pane.composer.reviewing_secrets


async def test_a_prompt_sent_while_a_reply_streams_is_reviewed_before_it_is_queued(
    demo_relay: DemoRelay,
) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        pane.composer.composer.insert("[demo:slow=0.03][demo:long=40] first")
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: pane.streaming)
        await ask(pilot, pane)
        await tap(pilot, "r")
        await wait_until(pilot, lambda: pane.queued == [REDACTED])
        await wait_until(pilot, lambda: len(reply_requests(demo_relay)) == 2, timeout=20)
        await wait_until(pilot, lambda: not pane.streaming)
        assert sent_prompts(demo_relay)[1] == REDACTED


async def test_a_prompt_given_on_the_command_line_is_asked_about_too(
    demo_relay: DemoRelay,
) -> None:
    table = relay_table(demo_relay.base_url)
    app = ClaudeTuiApp(write_config({"relay": table}), profile_name="relay", initial_prompt=PROMPT)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await wait_until(pilot, lambda: pane.composer.reviewing_secrets)
        assert pane.composer.text == PROMPT and reply_requests(demo_relay) == []
        await wait_until(pilot, lambda: card_of(pane).has_focus)
        await tap(pilot, "r")
        await wait_sent(pilot, pane, demo_relay)
        assert sent_prompts(demo_relay) == [REDACTED]
        assert saved_user_texts(pane) == [REDACTED]


async def test_the_card_goes_when_the_text_it_asked_about_is_gone(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        await ask(pilot, pane)
        pane.composer.set_text("something else entirely")
        await wait_until(pilot, lambda: not card_of(pane).shown)
        assert not pane.composer.composer.has_class("-secrets-found")
        await tap(pilot, "enter")
        await wait_sent(pilot, pane, demo_relay)
        assert sent_prompts(demo_relay) == ["something else entirely"]
