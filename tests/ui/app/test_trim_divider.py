"""The view shows where trimming cuts the history: "N earlier messages are not sent"."""

from __future__ import annotations

from typing import Any

import pytest
from app_driving import pane_of, relay_table, run, wait_until, write_config

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.wire import ChatRequest, sent_history
from claude_tui.wire.anthropic_request import anthropic_body
from claude_tui.wire.openai_request import openai_body

UNUSED_URL = "http://127.0.0.1:9"  # nothing is sent in these tests


def _history(count: int, size: int = 40) -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    for n in range(count):
        if n % 2 == 0:
            messages.append(ChatMessage.user(f"question {n} ".ljust(size, ".")))
        else:
            text = f"answer {n} ".ljust(size, ".")
            messages.append(
                ChatMessage(role="assistant", content=[{"type": "text", "text": text}], model="m")
            )
    return messages


def _first_text(turn: dict[str, Any]) -> str:
    content = turn["content"]
    return str(content if isinstance(content, str) else content[0]["text"])


@pytest.mark.parametrize(
    ("max_messages", "context_window", "limit"),
    [
        (10, 0, "max_messages"),
        (3, 0, "max_messages"),
        (0, 9000, "context_window"),
        (0, 9300, "context_window"),
        (7, 9300, "max_messages"),  # both set: the tighter one cuts
        (20, 4000, "context_window"),
    ],
)
@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
def test_the_cut_the_view_is_told_is_the_cut_the_request_sends(
    max_messages: int, context_window: int, limit: str, api_format: str
) -> None:
    history = _history(30, size=1200)
    request = ChatRequest(
        history=history,
        model="m",
        max_tokens=1000,
        max_messages=max_messages,
        context_window=context_window,
    )
    sent = sent_history(request, api_format)
    assert sent.left_out > 0
    assert sent.limit == limit
    body = anthropic_body(request) if api_format == "anthropic" else openai_body(request)
    turns = body["messages"]
    assert _first_text(turns[0]) == history[sent.left_out].text  # the request starts there
    assert len(turns) == len(history) - sent.left_out  # and leaves out just those


def test_nothing_trimmed_leaves_nothing_out() -> None:
    request = ChatRequest(history=_history(6), model="m", max_messages=50)
    sent = sent_history(request)
    assert (sent.left_out, sent.limit) == (0, None)


async def test_a_long_session_shows_the_divider_before_the_first_message_sent() -> None:
    config = write_config({"relay": relay_table(UNUSED_URL, max_messages=10)})
    session = SessionStore().import_session(
        messages=_history(30),
        title="Long",
        settings=SessionSettings(profile="relay", model="claude-demo"),
    )
    app = ClaudeTuiApp(config, profile_name="relay", resume=session.id)
    async with run(app) as pilot:
        view = pane_of(pilot).view
        await wait_until(pilot, lambda: bool(view.dividers))
        messages = pane_of(pilot).conversation.session.messages
        # The next message makes 31; the newest 10 would start with a reply, so the request
        # starts at the user message after it: 22 messages stay out.
        assert view.dividers == {
            messages[22].id: "22 earlier messages are not sent (max_messages = 10)"
        }
        assert messages[22].text.startswith("question 22")
        layout = view.layout_for(messages[22].id)
        assert layout is not None
        drawn = [line.text for line in layout.lines]
        assert "22 earlier messages are not sent (max_messages = 10)" in drawn[0]
        assert drawn[0].startswith("──") and drawn[0].rstrip().endswith("──")
        assert any("question 22" in line for line in drawn[1:])
        assert not any("not sent" in line.text for m in messages[:22] for line in _lines(view, m))


def _lines(view: Any, message: ChatMessage) -> list[Any]:
    layout = view.layout_for(message.id)
    return layout.lines if layout is not None else []
