"""A long tight list drawn group by group (see ``open_list``), newest group first, within
a frame's rendering budget.

A fast stream can bring a 300-row list between two frames: it is first seen half done as
the open block, or already closed. Rendering all of its groups in that one frame took
90-150 ms, a stall that keys typed meanwhile waited behind. Here a group not in the
renderer's cache is rendered only while the frame's deadline allows; the others stand as
blank lines of their estimated height, and the caller comes back next frame (the groups
rendered so far are cached by then). The newest groups go first, because a view that
follows the stream shows the list's end.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.strip import Strip

from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.markdown_blocks import Block, estimated_height
from claude_tui.ui.rendering.open_list import split_open_list


@dataclass(frozen=True, slots=True)
class GroupedList:
    """A list's lines; ``final`` is False while some groups are estimated blank lines."""

    lines: list[Strip]
    final: bool


def render_grouped_list(
    block: Block, renderer: BlockRenderer, width: int, deadline: float | None
) -> GroupedList | None:
    """``block`` drawn in groups, or None when it is not a list ``split_open_list`` cuts.

    ``deadline`` (monotonic seconds, None for no limit) stops rendering groups the cache
    does not have; the growing tail is always drawn.
    """
    if block.kind != "markdown":
        return None
    # Items one by one while the list streams; a closed one in sixteens, its tail put
    # together from items already drawn when it streamed here.
    groups = split_open_list(block.text, singles=not block.closed)
    if groups is None:
        return None
    tail = Block("markdown", groups.tail, None, block.closed, groups.last_number)
    drawn_tail = renderer.cached(tail, width) if block.closed else None
    if drawn_tail is None and block.closed:
        drawn_tail = _from_items(tail, renderer, width)
    parts = [drawn_tail if drawn_tail is not None else renderer.render(tail, width)]
    final = True
    for text in reversed(groups.groups):
        group = Block("markdown", text, None, True, groups.last_number)
        lines = renderer.cached(group, width) or _from_items(group, renderer, width)
        if lines is None:
            if deadline is not None and time.monotonic() > deadline:
                final = False
                lines = [Strip.blank(width)] * estimated_height(group, width)
            else:
                lines = renderer.render(group, width)
        parts.append(lines)
    return GroupedList([line for part in reversed(parts) for line in part], final)


def _from_items(group: Block, renderer: BlockRenderer, width: int) -> list[Strip] | None:
    """A group just completed, drawn from the cached lines of its items (a group draws the
    same cells as its items one by one), or None if more than one of them is not cached
    (then one render of the group costs less). Its items streamed in as groups of one:
    rendering them again as sixteen would cost a burst each item twice. The one missing
    is usually the item that was still arriving when the group filled."""
    items = split_open_list(group.text)
    if items is None:
        return None
    # The whole list's number width, not the group's own (``list_last_number``).
    blocks = [
        Block("markdown", text, None, True, group.list_last_number)
        for text in (*items.groups, items.tail)
    ]
    drawn = [renderer.cached(item, width) for item in blocks]
    if sum(lines is None for lines in drawn) > 1:
        return None
    lines = [
        line
        for item, kept in zip(blocks, drawn, strict=True)
        for line in (kept if kept is not None else renderer.render(item, width))
    ]
    renderer.remember(group, width, lines)
    return lines
