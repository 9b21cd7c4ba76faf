"""An open long list is drawn in cached groups that look exactly like the whole list."""

from __future__ import annotations

import pytest
from rich.segment import Segment

from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.markdown_blocks import Block, IncrementalBlockSplitter
from claude_tui.ui.rendering.open_list import GROUP_ITEMS, split_open_list
from claude_tui.ui.rendering.render_theme import DARK_THEME

WIDTH = 60


def bullets(count: int) -> str:
    rows = []
    for n in range(1, count + 1):
        rows.append(f"- row {n} with **bold** and `code` and words enough to wrap at sixty cells")
        if n % 7 == 0:
            rows.append(f"  - a nested point under row {n}")
    return "\n".join(rows)


def numbered(count: int, start: int = 1) -> str:
    return "\n".join(f"{n}. step {n} of the *procedure*" for n in range(start, start + count))


def cells(strips: list) -> list[list[Segment]]:
    return [[Segment(s.text, s.style) for s in strip] for strip in strips]


def grouped(renderer: BlockRenderer, text: str) -> list:
    groups = split_open_list(text)
    assert groups is not None
    lines = []
    for group in groups.groups:
        block = Block("markdown", group, None, True, groups.last_number)
        lines.extend(renderer.render(block, WIDTH))
    tail = Block("markdown", groups.tail, None, True, groups.last_number)
    return lines + renderer.render(tail, WIDTH)


@pytest.mark.parametrize(
    "text", [bullets(40), numbered(40), numbered(120), numbered(20, start=95)], ids=str
)
def test_groups_draw_the_same_cells_as_the_whole_list(text: str) -> None:
    renderer = BlockRenderer(DARK_THEME)
    whole = renderer.render(Block("markdown", text), WIDTH)
    assert cells(grouped(renderer, text)) == cells(whole)


def test_a_frame_renders_only_the_newest_group() -> None:
    """Streaming item by item, the finished groups come from the cache."""
    renderer = BlockRenderer(DARK_THEME)
    text = bullets(5 * GROUP_ITEMS)
    for end in range(len(text) // 2, len(text), 400):
        groups = split_open_list(text[:end])
        assert groups is not None
        grouped(renderer, text[:end])
    cached_before = renderer.cached_blocks
    grouped(renderer, text)  # the last frame: one new group at most, besides its tail
    assert renderer.cached_blocks - cached_before <= 2


@pytest.mark.parametrize(
    "text",
    [
        "Intro line\n" + bullets(40),  # a paragraph, then a list: one chunk, drawn whole
        bullets(20) + "\n\n- a loose item",  # loose: spacing depends on the whole list
        bullets(GROUP_ITEMS),  # short: nothing to gain
        bullets(20) + "\n" + numbered(20),  # two kinds of list
    ],
)
def test_other_blocks_are_drawn_whole(text: str) -> None:
    assert split_open_list(text) is None


def test_the_open_list_in_a_streaming_reply_is_grouped() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("## Rows\n\n" + bullets(50) + "\n- row 51 is still arri")
    open_block = splitter.open_block
    assert open_block is not None
    groups = split_open_list(open_block.text)
    assert groups is not None and len(groups.groups) == 3
    assert groups.tail.endswith("row 51 is still arri")
