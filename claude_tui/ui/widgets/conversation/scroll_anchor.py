"""Keeping a reader's place when lines above the screen change height.

A reader scrolled away from the end of the conversation should see the same lines after a
layout: blocks that a burst left for later (``LayoutContext.follow_lines``) drawn at their
real height instead of an estimate, a message above retried or edited. The anchor is the
first line with text on screen, found again after the layout by its strip (a drawn block
keeps its strips), so the view can scroll by however much the lines above it moved.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.strip import Strip

from claude_tui.chat_message import ChatMessage
from claude_tui.ui.widgets.conversation.message_layout import MessageLayout


@dataclass(frozen=True, slots=True)
class Anchor:
    """A line on screen: its message, its strip, its row and its index in the message."""

    message_id: str
    strip: Strip
    row: int
    inner: int


def top_anchor(
    window: Sequence[ChatMessage],
    layouts: Mapping[str, MessageLayout],
    offsets: Sequence[int],
    top: int,
    rows: int,
) -> Anchor | None:
    """The first line with text among ``rows`` rows from content line ``top`` (blank lines,
    such as a block not drawn yet, hold no place); None if there is none."""
    for row in range(max(rows, 1)):
        line_number = top + row
        if line_number >= offsets[-1]:
            return None
        position = bisect.bisect_right(offsets, line_number) - 1
        layout = layouts.get(window[position].id)
        inner = line_number - offsets[position]
        if layout is None or inner >= len(layout.lines):
            continue
        strip = layout.lines[inner]
        if strip.text.strip():
            return Anchor(window[position].id, strip, row, inner)
    return None


def anchored_top(
    anchor: Anchor,
    window: Sequence[ChatMessage],
    layouts: Mapping[str, MessageLayout],
    offsets: Sequence[int],
) -> int | None:
    """The content line to show at the top so that ``anchor`` is on its row again, or
    None if its line is gone (nearest first: a strip can repeat in identical blocks)."""
    layout = layouts.get(anchor.message_id)
    position = next((i for i, m in enumerate(window) if m.id == anchor.message_id), None)
    if layout is None or position is None:
        return None
    lines, inner = layout.lines, anchor.inner
    for distance in range(max(inner, len(lines) - inner) + 1):
        for index in (inner - distance, inner + distance):
            if 0 <= index < len(lines) and lines[index] is anchor.strip:
                return max(offsets[position] + index - anchor.row, 0)
    return None
