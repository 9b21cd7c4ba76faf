"""A text attachment leaves with the prompt, so redact = "ask" | "always" | "off" checks it
too: the card lists its findings by file, "send redacted" and ``always`` send a redacted
copy (a new blob of the same name), "send as is" the original, edit sends nothing. Each
test checks what the demo relay received over loopback and what the session saved."""

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

from claude_tui.attachments import BlobStore, attachment_from_bytes
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.composer_redaction import RedactionCard
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

AWS_KEY = "AKIA" + "Q3EGRIIKQ4ZQ7VXA"  # joined: no secret in this file's source
NOTES = f"# deploy\nsteps below\nkey {AWS_KEY} here\n"
REDACTED_NOTES = "# deploy\nsteps below\nkey [REDACTED:aws-key] here\n"
PROMPT = "[demo:long=1] what is wrong with these notes?"


def app_for(relay: DemoRelay, redact: str) -> ClaudeTuiApp:
    table = relay_table(relay.base_url)
    table["redact"] = redact
    return ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")


def file_block(content: str) -> str:
    return f'<file name="notes.md">\n{content}\n</file>'


def sent_user_blocks(relay: DemoRelay) -> list[dict[str, Any]]:
    """The content blocks of the last user turn of the one reply request."""
    [request] = reply_requests(relay)
    body: Any = request.json
    user = [m for m in body["messages"] if m["role"] == "user"][-1]
    return list(user["content"])


def saved_attachments(pane: ConversationPane) -> list[Any]:
    saved = SessionStore().open(pane.conversation.session.id)
    [user] = [m for m in saved.messages if m.role == "user"]
    return user.attachments


def card_of(pane: ConversationPane) -> RedactionCard:
    return pane.composer.query_one(RedactionCard)


def attach_notes(pane: ConversationPane) -> dict[str, Any]:
    block = dict(attachment_from_bytes(NOTES.encode(), "notes.md", BlobStore()))
    pane.composer.add_attachments([block])
    return block


async def enter(pilot: Pilot[Any], pane: ConversationPane, text: str = PROMPT) -> None:
    await wait_until(pilot, lambda: bool(pane.composer.attachments))
    pane.composer.composer.insert(text)
    await tap(pilot, "enter")


async def ask(pilot: Pilot[Any], pane: ConversationPane, text: str = PROMPT) -> None:
    await enter(pilot, pane, text)
    await wait_until(pilot, lambda: pane.composer.reviewing_secrets)
    await wait_until(pilot, lambda: card_of(pane).has_focus)


async def wait_sent(pilot: Pilot[Any], pane: ConversationPane, relay: DemoRelay) -> None:
    await wait_until(pilot, lambda: len(reply_requests(relay)) == 1)
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not pane.streaming)
    await pilot.pause()


@pytest.mark.parametrize("text", [PROMPT, ""], ids=["with-a-prompt", "attachment-alone"])
async def test_ask_lists_the_file_and_r_sends_a_redacted_copy(
    demo_relay: DemoRelay, text: str
) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        original = attach_notes(pane)
        await ask(pilot, pane, text)

        shown = await screen_text(pilot)
        assert "Found 1 secret (aws-key) in notes.md" in shown
        assert "notes.md line 3: aws-key …7VXA" in shown
        assert AWS_KEY not in shown
        assert reply_requests(demo_relay) == []

        await tap(pilot, "r")
        await wait_sent(pilot, pane, demo_relay)

        sent = sent_user_blocks(demo_relay)
        assert sent[0]["type"] == "text" and sent[0]["text"] == file_block(REDACTED_NOTES)
        assert AWS_KEY not in str(sent)
        [saved] = saved_attachments(pane)
        assert saved["name"] == "notes.md" and saved["sha256"] != original["sha256"]
        assert BlobStore().read(saved["sha256"]).decode() == REDACTED_NOTES
        assert pane.composer.attachments == [] and pane.composer.text == ""
        # The stored original (no session refers to it) is gone: the secret is kept nowhere.
        assert not BlobStore().has(original["sha256"])


async def test_ask_s_sends_the_file_as_is(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        original = attach_notes(pane)
        await ask(pilot, pane)
        await tap(pilot, "s")
        await wait_sent(pilot, pane, demo_relay)

        assert sent_user_blocks(demo_relay)[0]["text"] == file_block(NOTES)
        assert saved_attachments(pane) == [original]


async def test_ask_edit_keeps_the_chips_as_they_were_and_sends_nothing(
    demo_relay: DemoRelay,
) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        original = attach_notes(pane)
        await ask(pilot, pane)
        await tap(pilot, "e")
        await wait_until(pilot, lambda: pane.composer.composer.has_focus)

        assert not card_of(pane).shown
        assert pane.composer.attachments == [original]
        assert pane.composer.text == PROMPT
        assert reply_requests(demo_relay) == []


async def test_a_prompt_and_a_file_are_listed_together(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        attach_notes(pane)
        await ask(pilot, pane, f"{PROMPT} mine is {AWS_KEY}")

        shown = await screen_text(pilot)
        assert "Found 2 secrets (aws-key) in this prompt and notes.md" in shown
        assert "aws-key  line 1: …7VXA" in shown and "notes.md line 3: aws-key" in shown


async def test_always_sends_the_redacted_copy_with_a_toast(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "always")) as pilot:
        pane = pane_of(pilot)
        original = attach_notes(pane)
        await enter(pilot, pane)
        await wait_sent(pilot, pane, demo_relay)
        toast = (
            "Redacted 1 secret (aws-key) before sending; a redacted copy of notes.md goes instead."
        )
        await wait_until(pilot, lambda: any(n.message == toast for n in pilot.app._notifications))

        assert sent_user_blocks(demo_relay)[0]["text"] == file_block(REDACTED_NOTES)
        [saved] = saved_attachments(pane)
        assert saved["sha256"] != original["sha256"]
        assert BlobStore().read(saved["sha256"]).decode() == REDACTED_NOTES


async def test_off_sends_the_file_as_is_without_asking(demo_relay: DemoRelay) -> None:
    async with run(app_for(demo_relay, "off")) as pilot:
        pane = pane_of(pilot)
        original = attach_notes(pane)
        await enter(pilot, pane)
        await wait_sent(pilot, pane, demo_relay)

        assert sent_user_blocks(demo_relay)[0]["text"] == file_block(NOTES)
        assert saved_attachments(pane) == [original]
        assert not pane.composer.reviewing_secrets


async def test_a_mentioned_file_is_asked_about_then_sent_redacted_once(
    demo_relay: DemoRelay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = "[demo:long=1] fix @notes.md"
    async with run(app_for(demo_relay, "ask")) as pilot:
        pane = pane_of(pilot)
        pane.composer.composer.insert(text)
        await tap(pilot, "enter")
        # Read after Enter: back in the composer as a chip, and the card asks.
        await wait_until(pilot, lambda: pane.composer.reviewing_secrets)
        await wait_until(pilot, lambda: card_of(pane).has_focus)
        assert pane.composer.text == text
        assert [b["name"] for b in pane.composer.attachments] == ["notes.md"]
        assert reply_requests(demo_relay) == []

        await tap(pilot, "r")
        await wait_sent(pilot, pane, demo_relay)
        sent = sent_user_blocks(demo_relay)
        assert [b["text"] for b in sent] == [file_block(REDACTED_NOTES), text]
        [saved] = saved_attachments(pane)
        assert BlobStore().read(saved["sha256"]).decode() == REDACTED_NOTES


async def test_always_sends_a_mentioned_file_redacted(
    demo_relay: DemoRelay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    async with run(app_for(demo_relay, "always")) as pilot:
        pane = pane_of(pilot)
        pane.composer.composer.insert("[demo:long=1] fix @notes.md")
        await tap(pilot, "enter")
        await wait_sent(pilot, pane, demo_relay)

        assert sent_user_blocks(demo_relay)[0]["text"] == file_block(REDACTED_NOTES)
        assert "Redacted 1 secret (aws-key) before sending; a redacted copy of notes.md goes " in (
            " ".join(str(n.message) for n in pilot.app._notifications)
        )
