"""The tool call block on the streaming path: drawn once and kept while nothing about the
call changed, drawn again when its state changes or a running call's clock moves a second."""

from __future__ import annotations

import dataclasses

from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.tool_events import ToolCallChanged
from claude_tui.ui.rendering import DARK_THEME, BlockRenderer
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.ui.widgets.conversation.tool_rounds import ToolRounds

from .tool_driving import GREP

STYLES = LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"])
RENDERER = BlockRenderer(DARK_THEME)


def context(rounds: ToolRounds, now: float = 100.0) -> LayoutContext:
    return LayoutContext(
        width=80,
        renderer=RENDERER,
        styles=STYLES,
        expand_all_thinking=False,
        now=now,
        cost_of=lambda message: None,
        status_notes={},
        tools=rounds,
    )


def reply_with_call() -> ChatMessage:
    block = {"type": "tool_use", "id": GREP.id, "name": GREP.name, "input": dict(GREP.input)}
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "Searching."}, block])
    reply.status = MessageStatus.COMPLETE
    return reply


def test_an_unchanged_call_is_not_drawn_again() -> None:
    rounds = ToolRounds()
    layout = MessageLayout(reply_with_call())
    first = layout.build(context(rounds))
    assert layout.build(context(rounds)) is first  # nothing changed: the same lines


def test_a_state_change_and_a_running_clock_redraw_the_call() -> None:
    rounds = ToolRounds()
    layout = MessageLayout(reply_with_call())
    layout.build(context(rounds))
    rounds.changed(ToolCallChanged(GREP, "running", started=90.0))
    layout.dirty = True  # the view marks the reply the event came with
    lines = layout.build(context(rounds, now=100.2))
    assert any("running 10 s" in line.text for line in lines)
    assert layout.tool_clock  # the view keeps the clock moving
    assert layout.build(context(rounds, now=100.4)) is lines  # the same second: kept
    later = layout.build(context(rounds, now=101.3))
    assert any("running 11 s" in line.text for line in later)


def test_a_results_message_is_not_drawn_and_the_next_round_has_no_header() -> None:
    reply = reply_with_call()
    results = ChatMessage(
        role="user",
        content=[{"type": "tool_result", "tool_use_id": GREP.id, "content": "3 matches"}],
    )
    answer = dataclasses.replace(reply_with_call(), content=[{"type": "text", "text": "Done."}])
    answer.id = "msg_answer"
    answer.model = "claude-demo"
    rounds = ToolRounds()
    rounds.update([reply, results, answer])
    assert MessageLayout(results).build(context(rounds)) == []
    drawn = [line.text for line in MessageLayout(answer).build(context(rounds))]
    assert not any("claude-demo" in line for line in drawn)
    first = [line.text for line in MessageLayout(reply).build(context(rounds))]
    assert any("│ 3 matches" in line for line in first)
