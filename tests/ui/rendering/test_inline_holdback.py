"""A half-typed inline marker at the tail of a streaming block is held back, not flashed."""

from __future__ import annotations

import pytest
from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage
from claude_tui.ui.rendering import (
    DARK_THEME,
    Block,
    BlockRenderer,
    hold_back_unclosed_inline,
)
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.events import MessageStopped, TextDelta

RENDERER = BlockRenderer(DARK_THEME)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Some **bold", "Some "),
        ("Some *it", "Some "),
        ("Some _it", "Some "),
        ("Some `code", "Some "),
        ("Some [link text", "Some "),
        ("Some [link text](https://exa", "Some "),
        ("Some [link text]", "Some "),  # its (url) may follow
        ("![alt text", ""),
        ("Some ~~gone", "Some "),
        ("Some **", "Some "),  # the marker alone, its word not yet here
        ("Some **bold *and it", "Some "),  # nested: from the outer marker on
        ("Some **bold *it* still", "Some "),  # inner closed, outer still open
        ("**done** then *it", "**done** then "),
        ("`a` and `b", "`a` and "),
        ("- item with **bo", "- item with "),
        ("# Heading *it", "# Heading "),
        ("> quoted `co", "> quoted "),
    ],
)
def test_each_unclosed_marker_is_held_from_the_marker_on(text: str, shown: str) -> None:
    assert hold_back_unclosed_inline(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Some **bold** and *it* and _it_ and `code` and ~~gone~~",
        "A [link](https://example.com) and ![img](a.png) here",
        "Inside `**code` nothing is a marker",
        "Inside ``a ` b *c`` too",
        "*",  # a lone list bullet, just typed
        "* ",
        "* item",
        "- item",
        "snake_case_name and 2 * 3 and 2*3",
        "a single ~ tilde",
        "***",  # a thematic break
        "escaped \\*star and \\`tick",
        "[x] a task",
        "",
    ],
)
def test_text_with_nothing_unclosed_is_shown_whole(text: str) -> None:
    assert hold_back_unclosed_inline(text) == text


def test_only_the_last_line_is_cut() -> None:
    text = "First line with **open\nsecond with *it"
    assert hold_back_unclosed_inline(text) == "First line with **open\nsecond with "


def test_markers_inside_fenced_code_are_not_held() -> None:
    text = "- a list item\n\n  ```python\n  x = a**b + `c"
    assert hold_back_unclosed_inline(text) == text
    closed = "- item\n\n  ```\n  code\n  ```\n  after **bo"
    assert hold_back_unclosed_inline(closed) == closed.removesuffix("**bo")


def test_an_open_code_block_is_drawn_as_it_is() -> None:
    block = Block("code", "x = `a **b", "python", closed=False)
    assert any("`a **b" in strip.text for strip in RENDERER.render(block, 40))


def test_the_open_block_is_drawn_without_the_raw_marker() -> None:
    drawn = [s.text for s in RENDERER.render(Block("markdown", "Say **hel", closed=False), 40)]
    assert any("Say" in line for line in drawn)
    assert not any("*" in line or "hel" in line for line in drawn)


def test_a_closed_block_shows_an_unclosed_marker_as_text() -> None:
    drawn = [s.text for s in RENDERER.render(Block("markdown", "Say **hel"), 40)]
    assert any("Say **hel" in line for line in drawn)


def _context() -> LayoutContext:
    return LayoutContext(
        width=60,
        renderer=RENDERER,
        styles=LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"]),
        expand_all_thinking=False,
        now=0.0,
        cost_of=lambda message: None,
        status_notes={},
    )


def _drawn(layout: MessageLayout) -> str:
    layout.dirty = True
    return "\n".join(line.text for line in layout.build(_context()))


def test_while_streaming_the_marker_waits_and_a_finished_reply_shows_everything() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    acc.apply(TextDelta(0, "Hello **wor"))
    assert "Hello" in _drawn(layout)
    assert "**" not in _drawn(layout) and "wor" not in _drawn(layout)
    acc.apply(TextDelta(0, "ld** and `x"))
    shown = _drawn(layout)
    assert "world and" in shown  # closed: styled, markers gone
    assert "`" not in shown
    acc.apply(MessageStopped())
    assert "world and `x" in _drawn(layout)  # never closed: the raw text, as it is
