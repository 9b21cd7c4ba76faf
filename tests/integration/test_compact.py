"""/compact end to end against the demo relay, on both API formats: the summarising request,
what is sent after it (read from the relay's recorded bodies), what is saved and resumed,
undo, auto-compact, a failure and a cancel that change nothing, and export/import."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.compaction import (
    SUMMARY_REQUEST,
    SUMMARY_SYSTEM_PROMPT,
    Compaction,
    CompactionError,
    CompactionFailed,
    auto_compact_reason,
    compacted_note,
    undo_compaction,
)
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay, Fault
from claude_tui.history_summary import SUMMARY_PREFIX
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, export_markdown, import_json

FORMATS = ["anthropic", "openai"]


def relay_profile(relay: DemoRelay, api_format: str, **table: Any) -> Profile:
    settings = {
        "base_url": relay.base_url,
        "auth": "none",
        "model": "claude-demo",
        "api_format": api_format,
        "max_retries": 0,
        **table,
    }
    return profile_from_table("relay", settings)


def new_conversation(profile: Profile, pool: EndpointPool) -> Conversation:
    session = SessionStore().create(SessionSettings(profile=profile.name, model=profile.model))
    return Conversation(session, profile, pool)


async def chat(conversation: Conversation, *prompts: str) -> None:
    for prompt in prompts:
        async with contextlib.aclosing(conversation.send(prompt)) as replies:
            async for _item in replies:
                pass


def sent(relay: DemoRelay, index: int = -1) -> dict[str, Any]:
    body: dict[str, Any] = relay.requests[index].json
    return body


def user_texts(body: dict[str, Any]) -> list[str]:
    """The text of each user turn of a recorded body, on either format."""
    texts = []
    for turn in body["messages"]:
        if turn["role"] != "user":
            continue
        content = turn["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.append("\n\n".join(block["text"] for block in content))
    return texts


@pytest.mark.parametrize("api_format", FORMATS)
async def test_compact_summarises_the_old_turns_and_later_requests_send_the_summary(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    profile = relay_profile(demo_relay, api_format, compact_model="claude-summariser")
    conversation = new_conversation(profile, pool)
    await chat(conversation, "first question", "second question", "question three", "four")
    messages = list(conversation.session.messages)

    compaction = Compaction(conversation, "keep the numbers")
    streamed = [delta async for delta in compaction.stream()]

    summarising = sent(demo_relay)
    assert summarising["model"] == "claude-summariser"
    system = summarising.get("system") or summarising["messages"][0]["content"]
    assert system == SUMMARY_SYSTEM_PROMPT
    *old, ask = user_texts(summarising)
    assert old == ["first question", "second question"]  # the newest 2 turns stay as they are
    assert "question three" not in json.dumps(summarising)
    assert ask.startswith(SUMMARY_REQUEST) and ask.endswith("keep the numbers")
    summary = compaction.summary
    assert summary is not None and summary.text == "".join(streamed).strip()
    assert (summary.first_id, summary.last_id, summary.count) == (
        messages[0].id,
        messages[3].id,
        4,
    )

    await chat(conversation, "fifth")
    after = sent(demo_relay)
    texts = user_texts(after)
    assert texts[0].startswith(SUMMARY_PREFIX + summary.text)
    assert texts[0].endswith("question three")
    assert texts[1:] == ["four", "fifth"]
    assert "first question" not in json.dumps(after)
    roles = [turn["role"] for turn in after["messages"] if turn["role"] != "system"]
    assert roles == ["user", "assistant", "user", "assistant", "user"]

    resumed = SessionStore().open(conversation.session.id)
    assert resumed.summary_in_effect == summary
    assert len(resumed.messages) == 10  # the replaced messages stay saved


@pytest.mark.parametrize("api_format", FORMATS)
async def test_undo_sends_the_full_history_again_and_resume_agrees(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, api_format), pool)
    await chat(conversation, "first question", "second", "third")
    await Compaction(conversation).run()
    undone = undo_compaction(conversation)
    assert undone.count == 2
    assert SessionStore().open(conversation.session.id).summary_in_effect is None
    await chat(conversation, "fourth")
    texts = user_texts(sent(demo_relay))
    assert texts == ["first question", "second", "third", "fourth"]
    with pytest.raises(CompactionError, match="no summary to undo"):
        undo_compaction(conversation)


async def test_a_second_compact_summarises_from_the_start_with_the_earlier_summary(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, "anthropic"), pool)
    await chat(conversation, "one", "two", "three")
    first = await Compaction(conversation).run()
    await chat(conversation, "four")
    second = await Compaction(conversation).run()
    texts = user_texts(sent(demo_relay))
    assert texts[0] == f"{SUMMARY_PREFIX}{first.text}\n\ntwo"  # the earlier summary goes in
    assert len(texts) == 2 and texts[1].startswith(SUMMARY_REQUEST)
    messages = conversation.session.messages
    assert (second.first_id, second.last_id, second.count) == (messages[0].id, messages[3].id, 4)


async def test_a_failed_summary_says_why_and_changes_nothing(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, "anthropic"), pool)
    await chat(conversation, "one", "two", "three")
    size = conversation.session.path.stat().st_size
    demo_relay.queue_fault(Fault.http_error(500))
    with pytest.raises(CompactionFailed, match="Nothing was changed"):
        await Compaction(conversation).run()
    assert conversation.session.summary_in_effect is None
    assert conversation.session.path.stat().st_size == size


async def test_closing_the_stream_early_cancels_and_changes_nothing(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, "anthropic"), pool)
    await chat(conversation, "one", "two", "three")
    size = conversation.session.path.stat().st_size
    compaction = Compaction(conversation)
    async with contextlib.aclosing(compaction.stream()) as deltas:
        async for _delta in deltas:
            break  # Esc after the first piece of the summary
    assert compaction.summary is None
    assert conversation.session.summary_in_effect is None
    assert conversation.session.path.stat().st_size == size


@pytest.mark.parametrize("api_format", FORMATS)
async def test_auto_compact_triggers_only_past_its_share_of_the_window(
    demo_relay: DemoRelay, pool: EndpointPool, api_format: str
) -> None:
    profile = relay_profile(demo_relay, api_format, context_window=2000, auto_compact=0.5)
    conversation = new_conversation(profile, pool)
    await chat(conversation, "one", "two", "three")
    assert auto_compact_reason(conversation, "short") is None  # demo replies are short
    long_prompt = "word " * 1000  # ~1,250 tokens: past 50% of 2,000
    reason = auto_compact_reason(conversation, long_prompt)
    assert reason == "to stay under 50% of 2,000 tokens"
    compaction = Compaction(conversation, auto=True, reason=reason)
    await compaction.run()
    assert compacted_note(compaction.count, reason) == (
        "compacted 2 earlier messages to stay under 50% of 2,000 tokens"
    )
    saved = SessionStore().open(conversation.session.id).summary_in_effect
    assert saved is not None and saved.auto and saved.reason == reason
    off = relay_profile(demo_relay, api_format, context_window=2000)
    conversation.profile = off
    assert auto_compact_reason(conversation, long_prompt) is None  # auto_compact = 0: off


async def test_export_and_import_carry_the_summary(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, "anthropic"), pool)
    await chat(conversation, "one", "two", "three")
    summary = await Compaction(conversation, "be terse").run()
    session = conversation.session
    data = json.loads(json.dumps(export_json(session)))
    assert data["summary"]["last"] == session.messages[1].id
    data["id"] = None
    imported = import_json(data, SessionStore())
    assert imported.summary_in_effect is not None
    assert imported.summary_in_effect.text == summary.text
    reopened = SessionStore().open(imported.id)
    assert reopened.summary_in_effect == imported.summary_in_effect
    markdown = export_markdown(session)
    assert "## Summary of 2 earlier messages" in markdown
    assert "instructions: be terse" in markdown
    assert markdown.index("## Summary of 2") < markdown.index("three")
    bad = dict(data, summary={**data["summary"], "last": "nope"})
    with pytest.raises(ValueError, match="'summary' replaces messages"):
        import_json(bad, SessionStore())


def test_an_unsent_conversation_has_nothing_to_compact(pool: EndpointPool) -> None:
    profile = profile_from_table("p", {"base_url": "http://127.0.0.1:9", "auth": "none"})
    conversation = new_conversation(profile, pool)
    conversation.session.append_message(ChatMessage.user("alone"))
    with pytest.raises(CompactionError, match="Nothing to compact"):
        Compaction(conversation)
