"""The itemisation behind ``/context``: what the next request carries, item by item."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.context_report import context_report, report_from
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire import ChatRequest, SentHistory, estimate_request_tokens, sent_history
from claude_tui.wire.anthropic_request import anthropic_body

UNUSED_URL = "http://127.0.0.1:9"  # nothing is sent in these tests


def profile(**table: Any) -> Profile:
    settings: dict[str, Any] = {"base_url": UNUSED_URL, "auth": "none", "model": "claude-demo"}
    settings.update(table)
    return profile_from_table("relay", settings)


def conversation_with(
    turns: int, *, system: str | None = None, size: int = 40, **table: Any
) -> Conversation:
    """A saved conversation of ``turns`` messages (questions and answers in turn)."""
    chosen = profile(**table)
    session = SessionStore().create(
        SessionSettings(profile=chosen.name, model=chosen.model, system=system), deferred=True
    )
    for n in range(turns):
        if n % 2 == 0:
            session.append_message(ChatMessage.user(f"question {n} ".ljust(size, ".")))
        else:
            text = f"answer {n} ".ljust(size, ".")
            session.append_message(
                ChatMessage(
                    role="assistant",
                    content=[{"type": "text", "text": text}],
                    model=chosen.model,
                    status=MessageStatus.COMPLETE,
                )
            )
    return Conversation(session, chosen, EndpointPool())


def test_system_prompt_each_message_and_the_next_one_are_listed() -> None:
    conversation = conversation_with(4, system="You are terse and precise.")
    report = context_report(conversation, "what about the last one?")

    kinds = [item.kind for item in report.items]
    assert kinds == ["system", "message", "message", "message", "message", "next"]
    system = report.items[0]
    assert (system.label, system.preview) == ("System prompt", "You are terse and precise.")
    assert [item.label for item in report.items[1:5]] == ["You", "Claude", "You", "Claude"]
    assert report.items[1].preview.startswith("question 0")
    assert report.items[-1].label == "Your next message"
    assert report.items[-1].preview == "what about the last one?"
    assert all(item.tokens > 0 for item in report.items)
    assert report.left_out == 0 and report.left_out_items == ()


def test_the_total_is_the_estimate_of_what_the_body_sends() -> None:
    conversation = conversation_with(6, system="Be brief.")
    report = context_report(conversation, "and now?")

    body = anthropic_body(report.request)
    assert report.estimated_input == estimate_request_tokens(body["messages"], body["system"])
    assert report.reply_reserve == conversation.settings.max_tokens
    assert report.context_window == conversation.profile.context_window
    assert report.total(1000) == 1000 + report.reply_reserve


def test_nothing_typed_stands_for_the_next_message_as_the_trim_divider_does() -> None:
    report = context_report(conversation_with(2))
    assert report.items[-1].kind == "next"
    assert report.items[-1].preview == "(nothing typed yet)"
    assert report.request.history[-1].role == "user"  # a request the API would take


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
def test_turns_left_out_by_max_messages_are_listed_with_the_reason(api_format: str) -> None:
    conversation = conversation_with(9, max_messages=4, api_format=api_format)
    report = context_report(conversation, "next")

    sent = sent_history(report.request, api_format)
    assert report.left_out == sent.left_out == 6
    left = report.left_out_items
    assert len(left) == 6
    assert [item.preview.split()[1] for item in left] == ["0", "1", "2", "3", "4", "5"]
    assert all(not item.sent for item in left)
    assert all(item.note == "max_messages = 4" for item in left)
    assert report.left_out_reason == "max_messages = 4"
    # what is listed as sent is what the request sends
    assert len([i for i in report.sent_items if i.kind in ("message", "next")]) == len(sent.turns)
    assert report.sent_items[0].preview.startswith("question 6")


def test_turns_left_out_by_the_context_window_say_so() -> None:
    conversation = conversation_with(30, size=1200, context_window=9000, max_tokens=1000)
    report = context_report(conversation)

    assert report.left_out > 0
    assert report.left_out_reason == "context window 9,000 tokens"
    assert report.estimated_input + report.reply_reserve <= 9000
    assert len(report.left_out_items) == report.left_out


def test_an_attachment_block_is_its_own_item_with_the_blocks_token_estimate() -> None:
    # Attachment blocks (ATTACH's shape) as the sent turns would carry them.
    attachment = {
        "type": "attachment",
        "sha256": "ab" * 32,
        "name": "shot.png",
        "kind": "image",
        "media_type": "image/png",
        "size": 1_234_567,
        "tokens": 1600,
        "width": 1200,
        "height": 800,
    }
    turns = [
        {
            "role": "user",
            "content": [{"type": "text", "text": "What is in this picture?"}, attachment],
        }
    ]
    request = ChatRequest(history=[ChatMessage.user("What is in this picture?")], model="m")
    report = report_from(request, SentHistory(turns, 0, None), profile())

    message, image = report.items
    assert message.kind == "next" and message.preview == "What is in this picture?"
    assert (image.kind, image.label, image.tokens) == ("attachment", "shot.png", 1600)
    assert image.preview == "image, image/png, 1.2 MB"
    assert message.tokens < 20  # the text alone: the image is counted once, by its block
    assert report.estimated_input == message.tokens + 1600


def test_a_block_without_tokens_counts_nothing_rather_than_failing() -> None:
    turns = [{"role": "user", "content": [{"type": "attachment", "name": "x.bin"}]}]
    request = ChatRequest(history=[ChatMessage.user("x")], model="m")
    report = report_from(request, SentHistory(turns, 0, None), profile())
    assert report.items[-1].tokens == 0
    assert report.items[0].preview == "(only attachments)"


def test_a_failed_reply_with_nothing_in_it_is_not_listed_as_left_out() -> None:
    conversation = conversation_with(6, max_messages=3)
    conversation.session.messages[1].content = []
    conversation.session.messages[1].status = MessageStatus.ERROR
    report = context_report(conversation)
    assert report.left_out == 4
    assert len(report.left_out_items) == 3


def test_share_of_an_unknown_window_is_none() -> None:
    conversation = conversation_with(2)
    request = conversation.request_for(list(conversation.session.messages))
    request.context_window = 0
    report = report_from(request, sent_history(request), conversation.profile)
    assert report.share(100) is None
    assert context_report(conversation).share(20_000) == 0.1
