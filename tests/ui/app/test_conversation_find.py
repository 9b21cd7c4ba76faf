"""Ctrl+F finds in the whole conversation: a count, n/N and Enter moving with wrap-around,
thinking searched too, highlights on screen, Esc back to the composer."""

from __future__ import annotations

from typing import Any

from app_driving import pane_of, relay_table, run, send, submit, tap, wait_until, write_config
from rich.segment import Segment
from rich.style import Style
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input, Static

from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.composer import Composer
from claude_tui.ui.widgets.conversation.conversation_find import find_matches, highlight
from claude_tui.ui.widgets.conversation.conversation_view import ConversationView
from claude_tui.ui.widgets.conversation.find_bar import FindBar

UNUSED_URL = "http://127.0.0.1:9"  # nothing is sent in these tests


def _reply(text: str, thinking: str = "") -> ChatMessage:
    content: list[dict[str, Any]] = []
    if thinking:
        content.append({"type": "thinking", "thinking": thinking, "signature": "s"})
    content.append({"type": "text", "text": text})
    return ChatMessage(role="assistant", content=content, model="claude-demo")


def _messages() -> list[ChatMessage]:
    return [
        ChatMessage.user("Tell me about the apple tree."),
        _reply("An **apple** tree grows apples.", thinking="The user asks about an apple tree."),
        ChatMessage.user("And pears?"),
        _reply("Pears are not apples."),
    ]


MESSAGES = _messages()
# "apple" occurs: user 0 (1), reply 1 thinking (1) + text (2: apple, apples), reply 3 (1).


def _app() -> ClaudeTuiApp:
    config = write_config({"relay": relay_table(UNUSED_URL)})
    session = SessionStore().import_session(
        messages=_messages(),
        title="Fruit",
        settings=SessionSettings(profile="relay", model="claude-demo"),
    )
    return ClaudeTuiApp(config, profile_name="relay", resume=session.id)


def _count(pilot: Pilot[Any]) -> str:
    return str(pilot.app.query_one("#find-count", Static).render())


def test_matches_cover_user_text_replies_and_thinking() -> None:
    matches = find_matches(MESSAGES, "APPLE")
    assert [(m.message_index, m.part) for m in matches] == [
        (0, "text"),
        (1, "thinking"),
        (1, "text"),
        (1, "text"),
        (3, "text"),
    ]
    assert find_matches(MESSAGES, "") == []


def test_highlight_paints_only_the_occurrences() -> None:
    strip = Strip([Segment("an apple, an Apple")])
    painted = highlight(strip, "apple", Style(reverse=True), 13, Style(bold=True))
    assert painted.text == strip.text and painted.cell_length == strip.cell_length
    styled = [(text, style) for text, style, _ in painted if style]
    assert styled == [("apple", Style(reverse=True)), ("Apple", Style(bold=True))]


async def test_ctrl_f_counts_moves_with_wrap_and_esc_returns_to_the_composer() -> None:
    async with run(_app()) as pilot:
        pane = pane_of(pilot)
        view = pane.query_one(ConversationView)
        await wait_until(pilot, lambda: view.line_count > 0)
        await pilot.press("ctrl+f")
        bar = pane.query_one(FindBar)
        await wait_until(pilot, lambda: bar.is_open and bar.input.has_focus)
        await pilot.press(*"apple")
        await wait_until(pilot, lambda: _count(pilot) == "5/5")  # the newest match first
        assert view.find_current is not None and view.find_current.message_index == 3

        await pilot.press("enter")  # older
        assert _count(pilot) == "4/5"
        await pilot.press("shift+enter", "shift+enter")  # newer, wrapping to the first
        assert _count(pilot) == "1/5"
        assert view.find_current is not None and view.find_current.message_index == 0
        await pilot.press("shift+enter", "enter", "enter")
        assert _count(pilot) == "5/5"  # wrapped back round from 1 to 5

        # n and N do the same from the messages.
        view.focus()
        await pilot.pause()
        await pilot.press("n", "n", "n")
        assert _count(pilot) == "2/5"
        current = view.find_current
        assert current is not None and (current.message_index, current.part) == (1, "thinking")
        layout = view.layout_for(pane.conversation.session.messages[1].id)
        assert layout is not None and layout.thinking_expanded  # opened to show the match
        assert "The user asks about an apple tree." in view.visible_text()
        await pilot.press("N")
        assert _count(pilot) == "3/5"

        # Esc in the messages closes the find as well; the focus goes to the composer.
        await pilot.press("escape")
        await wait_until(pilot, lambda: not bar.is_open)
        assert not view.find_active
        assert isinstance(pilot.app.focused, Composer)


async def test_the_match_is_highlighted_and_esc_in_the_bar_closes_it() -> None:
    async with run(_app()) as pilot:
        pane = pane_of(pilot)
        view = pane.query_one(ConversationView)
        await wait_until(pilot, lambda: view.line_count > 0)
        await tap(pilot, "ctrl+f")
        bar = pane.query_one(FindBar)
        await wait_until(pilot, lambda: bar.input.has_focus)
        await pilot.press(*"pears")
        await wait_until(pilot, lambda: _count(pilot) == "2/2")
        top = int(view.scroll_y)
        rows = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        lit = [
            text
            for row in rows
            for text, style, _ in row
            if style is not None and (style.reverse or style.bold) and "ears" in text.lower()
        ]
        assert "Pears" in lit  # the current match, in "Pears are not apples."
        assert int(view.scroll_y) == top

        await pilot.press("escape")
        await wait_until(pilot, lambda: not bar.is_open)
        assert isinstance(pilot.app.focused, Composer)
        assert not view.find_active
        assert pilot.app.query_one(Input) is not None


async def test_no_match_says_so() -> None:
    async with run(_app()) as pilot:
        pane = pane_of(pilot)
        await pilot.press("ctrl+f", *"kiwi")
        await wait_until(pilot, lambda: _count(pilot) == "no matches")
        assert pane.view.find_current is None


async def test_slash_find_opens_the_bar_with_its_text() -> None:
    async with run(_app()) as pilot:
        bar = pane_of(pilot).query_one(FindBar)
        await submit(pilot, "/find Pears")
        await wait_until(pilot, lambda: _count(pilot) == "2/2")
        assert bar.is_open and bar.input.value == "Pears"


async def test_a_reply_that_arrives_is_counted_and_esc_in_the_messages_closes_an_empty_find(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, thinking="off")})
    session = SessionStore().import_session(
        messages=_messages(),
        title="Fruit",
        settings=SessionSettings(profile="relay", model="claude-demo"),
    )
    app = ClaudeTuiApp(config, profile_name="relay", resume=session.id)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        bar = pane.query_one(FindBar)
        await pilot.press("ctrl+f", *"zebra")
        await wait_until(pilot, lambda: _count(pilot) == "no matches")
        pane.focus_composer()
        await send(pilot, "a zebra?")  # the prompt, at least, has one now
        await wait_until(pilot, lambda: _count(pilot) not in ("no matches", ""))
        assert bar.is_open

        bar.input.value = ""
        await wait_until(pilot, lambda: _count(pilot) == "")
        pane.view.focus()
        await pilot.press("escape")  # nothing typed: Esc still closes the bar
        await wait_until(pilot, lambda: not bar.is_open)
        assert isinstance(pilot.app.focused, Composer)
