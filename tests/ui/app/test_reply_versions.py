"""Regenerated replies keep their earlier versions (issue 10, item 20): Ctrl+R answers again
into the same message, the footer shows "‹ 2/3 ›", ``<``/``>`` (the messages focused) and the
arrows page through them, and what is sent next carries the version shown. Versions survive
resume and a JSON export and import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    screen_text,
    send,
    tap,
    wait_until,
    write_config,
)
from textual.pilot import Pilot

from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay, Fault
from claude_tui.profiles import Config
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, import_json
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
from claude_tui.ui.widgets.conversation.conversation_view import ConversationView

SHORT = "[demo:long=1]"


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    return write_config({"relay": relay_table(demo_relay.base_url, thinking="off")})


async def regenerate(pilot: Pilot[Any], pane: ConversationPane) -> None:
    await tap(pilot, "ctrl+r")
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not pane.streaming)
    await pilot.pause()


def reply_of(pane: ConversationPane) -> ChatMessage:
    return pane.conversation.session.messages[-1]


def saved_reply(pane: ConversationPane) -> ChatMessage:
    return SessionStore().open(pane.conversation.session.id).messages[-1]


async def test_retry_keeps_versions_and_the_keys_page_through_them(
    config: Config, demo_relay: DemoRelay
) -> None:
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        pane = pane_of(pilot)
        demo_relay.queue_fault(Fault.parse("long=3"))  # the first answer differs
        await send(pilot, "tell me")
        first_text = reply_of(pane).text
        await regenerate(pilot, pane)
        await regenerate(pilot, pane)
        reply = reply_of(pane)
        assert len(pane.conversation.session.messages) == 2
        assert (reply.version, reply.version_count) == (2, 3)
        assert "‹ 3/3 ›" in await screen_text(pilot)

        pane.view.focus()
        await tap(pilot, "less_than_sign", "less_than_sign")
        await wait_until(pilot, lambda: reply.version == 0)
        assert reply.text == first_text
        assert "‹ 1/3 ›" in await screen_text(pilot)
        assert saved_reply(pane).version == 0  # saved at once: survives resume
        assert saved_reply(pane).text == first_text

        await tap(pilot, "less_than_sign")  # already the first: stays
        await tap(pilot, "greater_than_sign")
        await wait_until(pilot, lambda: reply.version == 1)
        assert "‹ 2/3 ›" in await screen_text(pilot)


async def test_the_footer_arrows_page_and_the_next_prompt_continues_from_the_shown_one(
    config: Config, demo_relay: DemoRelay
) -> None:
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        pane = pane_of(pilot)
        demo_relay.queue_fault(Fault.parse("long=3"))
        await send(pilot, "tell me")
        first_text = reply_of(pane).text
        await regenerate(pilot, pane)
        reply = reply_of(pane)
        assert reply.text != first_text

        rows = (await screen_text(pilot)).splitlines()
        row = next(i for i, line in enumerate(rows) if "‹ 2/2 ›" in line)
        await pilot.click(offset=(rows[row].index("‹"), row))
        await wait_until(pilot, lambda: reply.version == 0)
        assert reply.text == first_text

        pane.focus_composer()
        await send(pilot, f"{SHORT} and then?")
        sent = reply_requests(demo_relay)[-1].json["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert "".join(b.get("text", "") for b in sent[1]["content"]) == first_text


async def test_a_reply_never_regenerated_shows_no_pager(config: Config) -> None:
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} once")
        assert "1/1" not in await screen_text(pilot)
        pane.query_one(ConversationView).focus()
        await tap(pilot, "less_than_sign")
        assert reply_of(pane).version_count == 1


def test_versions_travel_in_the_json_export_and_import(tmp_path: Path) -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    prompt = ChatMessage.user("question")
    session.append_message(prompt)
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "first"}])
    reply.start_new_version()
    reply.content = [{"type": "text", "text": "second"}]
    reply.show_version(0)
    session.append_message(reply)

    data = json.loads(json.dumps(export_json(session)))
    assert data["messages"][1]["versions"][0]["content"] == [{"type": "text", "text": "second"}]
    imported = import_json(data, SessionStore(tmp_path / "elsewhere"))
    restored = imported.messages[-1]
    assert (restored.text, restored.version, restored.version_count) == ("first", 0, 2)
    restored.show_version(1)
    assert restored.text == "second"


def test_a_version_that_failed_before_any_text_is_not_kept() -> None:
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "kept"}])
    reply.start_new_version()
    assert reply.content == [] and reply.version_count == 2
    reply.start_new_version()  # the second attempt got nothing: replaced, not kept
    assert (reply.version, reply.version_count) == (1, 2)
    reply.show_version(0)
    assert reply.text == "kept"


def test_a_regeneration_cut_by_a_crash_keeps_the_earlier_versions() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("question"))
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "first"}])
    session.append_message(reply)
    reply.start_new_version()
    reply.content.append({"type": "text", "text": "sec"})
    session.checkpoint_reply(reply)
    reply.append_text(reply.content[0], "ond")
    session.checkpoint_reply(reply)  # a delta record; then the process dies

    reloaded = SessionStore().open(session.id).messages[-1]
    assert (reloaded.text, reloaded.version, reloaded.version_count) == ("second", 1, 2)
    reloaded.show_version(0)
    assert reloaded.text == "first"
