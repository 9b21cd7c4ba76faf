"""/compact's backend: where the cut falls, what is sent in place of the replaced turns (both
formats, with trimming), how the summary is saved, replayed and undone."""

from __future__ import annotations

import json

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.compaction import (
    NothingToCompact,
    kept_start,
    plan_compaction,
)
from claude_tui.history_summary import SUMMARY_PREFIX, HistorySummary
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire import ChatRequest, sent_history
from claude_tui.wire.anthropic_request import anthropic_body
from claude_tui.wire.openai_request import openai_body


def reply(text: str) -> ChatMessage:
    return ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": text}],
        model="m",
        status=MessageStatus.COMPLETE,
    )


def turns(count: int) -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    for number in range(1, count + 1):
        messages += [ChatMessage.user(f"question {number}"), reply(f"answer {number}")]
    return messages


def summary_of(messages: list[ChatMessage], cut: int, text: str = "they talked") -> HistorySummary:
    return HistorySummary(text, messages[0].id, messages[cut - 1].id, cut)


# --- the cut ----------------------------------------------------------------------------


def test_the_cut_keeps_the_newest_turns() -> None:
    messages = turns(5)
    assert kept_start(messages, 2) == 6
    assert kept_start(messages, 0) == 10
    assert kept_start(messages, 5) == 0
    plan = plan_compaction(messages, 2)
    assert (plan.cut, plan.first_id, plan.last_id) == (6, messages[0].id, messages[5].id)


def test_too_few_turns_is_nothing_to_compact() -> None:
    with pytest.raises(NothingToCompact, match="keep_recent = 2"):
        plan_compaction(turns(2), 2)


def test_a_second_compaction_starts_from_the_beginning_with_the_earlier_summary() -> None:
    messages = turns(6)
    earlier = summary_of(messages, 4, "EARLIER SUMMARY")
    plan = plan_compaction(messages, 2, earlier)
    assert (plan.cut, plan.first_id, plan.earlier_end) == (8, messages[0].id, 4)


def test_nothing_new_to_compact_after_a_summary() -> None:
    messages = turns(4)
    with pytest.raises(NothingToCompact, match="undo"):
        plan_compaction(messages, 2, summary_of(messages, 4))


# --- what is sent -----------------------------------------------------------------------


def test_the_summary_opens_the_first_turn_sent_on_the_messages_api() -> None:
    messages = turns(4)
    request = ChatRequest(history=messages, model="m", summary=summary_of(messages, 4))
    sent = sent_history(request)
    assert (sent.summarized, sent.left_out, sent.summary) == (4, 0, request.summary)
    body = anthropic_body(request)
    roles = [turn["role"] for turn in body["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    first = body["messages"][0]["content"]
    assert first[0] == {"type": "text", "text": SUMMARY_PREFIX + "they talked"}
    assert first[1]["text"] == "question 3"
    assert "question 1" not in json.dumps(body)


def test_the_summary_opens_the_first_turn_sent_on_chat_completions() -> None:
    messages = turns(4)
    request = ChatRequest(
        history=messages, model="m", system="be brief", summary=summary_of(messages, 4)
    )
    body = openai_body(request)
    assert [turn["role"] for turn in body["messages"]] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    assert body["messages"][1]["content"] == f"{SUMMARY_PREFIX}they talked\n\nquestion 3"
    assert "question 2" not in json.dumps(body)


def test_with_nothing_after_the_cut_the_summary_is_the_only_turn() -> None:
    messages = turns(2)
    request = ChatRequest(history=messages, model="m", summary=summary_of(messages, 4))
    assert anthropic_body(request)["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": SUMMARY_PREFIX + "they talked"}]}
    ]
    assert openai_body(request)["messages"] == [
        {"role": "user", "content": SUMMARY_PREFIX + "they talked"}
    ]


def test_a_summary_whose_last_message_was_deleted_applies_to_nothing() -> None:
    messages = turns(3)
    summary = summary_of(messages, 2)
    del messages[1]
    sent = sent_history(ChatRequest(history=messages, model="m", summary=summary))
    assert (sent.summarized, sent.summary) == (0, None)
    assert sent.turns[0]["content"][0]["text"] == "question 1"  # the full history goes


def test_trimming_after_the_cut_counts_from_the_start_and_keeps_the_summary() -> None:
    messages = turns(6)
    request = ChatRequest(
        history=messages, model="m", max_messages=2, summary=summary_of(messages, 4)
    )
    sent = sent_history(request)
    assert (sent.summarized, sent.left_out, sent.limit) == (4, 10, "max_messages")
    assert sent.turns[0]["content"][0]["text"].startswith(SUMMARY_PREFIX)
    assert sent.turns[0]["content"][1]["text"] == "question 6"


# --- saved, resumed, undone -------------------------------------------------------------


def test_the_summary_is_one_small_record_and_resume_restores_it() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    for message in turns(3):
        session.append_message(message)
    before = session.path.stat().st_size
    summary = summary_of(session.messages, 4, "short summary")
    session.set_summary(summary)
    lines = session.path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["t"] == "compact"
    assert record["summary"]["first"] == session.messages[0].id
    assert record["summary"]["last"] == session.messages[3].id
    assert session.path.stat().st_size - before < 300  # the messages are not written again
    resumed = store.open(session.id)
    assert resumed.summary_in_effect == summary
    assert len(resumed.messages) == 6  # the replaced messages stay saved


def test_undo_is_a_record_too() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    for message in turns(3):
        session.append_message(message)
    session.set_summary(summary_of(session.messages, 4))
    session.set_summary(None)
    last = json.loads(session.path.read_text(encoding="utf-8").splitlines()[-1])
    assert (last["t"], last["summary"]) == ("compact", None)
    assert store.open(session.id).summary_in_effect is None


def test_a_file_rewritten_whole_keeps_the_summary() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    for message in turns(3):
        session.append_message(message)
    summary = summary_of(session.messages, 4)
    session.set_summary(summary)
    session.path.unlink()  # deleted by another window while in use: rewritten whole
    session.append_message(ChatMessage.user("more"))
    assert store.open(session.id).summary_in_effect == summary


def test_a_malformed_compact_record_is_skipped() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("hello"))
    with session.path.open("a", encoding="utf-8") as file:
        file.write('{"t":"compact","at":1,"summary":{"text":3}}\n')
    resumed = store.open(session.id)
    assert resumed.summary_in_effect is None
    assert [m.text for m in resumed.messages] == ["hello"]


def test_the_trim_divider_counts_only_what_trimming_leaves_out() -> None:
    from claude_tui.conversation.conversation import Conversation
    from claude_tui.conversation.endpoint_pool import EndpointPool
    from claude_tui.profiles import profile_from_table

    profile = profile_from_table(
        "p", {"base_url": "http://127.0.0.1:9", "auth": "none", "max_messages": 3}
    )
    session = SessionStore().create(SessionSettings(profile="p", model="m"))
    for message in turns(6):
        session.append_message(message)
    conversation = Conversation(session, profile, EndpointPool())
    session.set_summary(summary_of(session.messages, 4))
    # The next prompt makes 13 messages; the newest 3 start at index 10; 4 are summarised.
    assert conversation.trim_cut() == (10, "6 earlier messages are not sent (max_messages = 3)")
