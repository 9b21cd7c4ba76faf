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


def counted_renders(renderer: BlockRenderer) -> list[str]:
    """The text of every block ``renderer`` renders afresh from now on (not from cache)."""
    renders: list[str] = []
    original = renderer._render

    def counting(block: Block, width: int, code_index: int | None) -> list:
        renders.append(block.text)
        return original(block, width, code_index)

    renderer._render = counting  # type: ignore[method-assign]
    return renders


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
    "text",
    [
        bullets(2),
        bullets(4),
        bullets(GROUP_ITEMS + 1),
        bullets(40),
        numbered(3),
        numbered(40),
        numbered(120),
        numbered(20, start=95),
    ],
    ids=str,
)
def test_groups_draw_the_same_cells_as_the_whole_list(text: str) -> None:
    renderer = BlockRenderer(DARK_THEME)
    whole = renderer.render(Block("markdown", text), WIDTH)
    assert cells(grouped(renderer, text)) == cells(whole)


def test_a_frame_renders_only_the_newest_group() -> None:
    """Streaming a long list a few words a frame, the finished groups come from the cache:
    a frame renders its tail, the item just finished and, each sixteenth item, the group
    it completes."""
    renderer = BlockRenderer(DARK_THEME)
    text = bullets(5 * GROUP_ITEMS)
    grouped(renderer, text[: len(text) // 2])
    for end in range(len(text) // 2, len(text), 40):
        cached_before = renderer.cached_blocks
        grouped(renderer, text[:end])
        assert renderer.cached_blocks - cached_before <= 3


@pytest.mark.parametrize(
    "text",
    [
        "Intro line\n" + bullets(40),  # a paragraph, then a list: one chunk, drawn whole
        bullets(20) + "\n\n- a loose item",  # loose: spacing depends on the whole list
        "- one item still arriving",  # nothing finished: nothing to cache
        bullets(20) + "\n" + numbered(20),  # two kinds of list
    ],
)
def test_other_blocks_are_drawn_whole(text: str) -> None:
    assert split_open_list(text) is None


def test_a_short_list_renders_only_its_newest_item_each_frame() -> None:
    """Four items streaming word by word: a frame after the first item is done renders
    the item still arriving and nothing else (the finished ones are cached)."""
    renderer = BlockRenderer(DARK_THEME)
    text = bullets(4)
    renders = counted_renders(renderer)
    first_done = text.index("\n- row 2") + 4
    for end in range(first_done, len(text), 7):
        renders.clear()
        grouped(renderer, text[:end])
        assert len(renders) <= 2, renders  # the growing item, and a just-finished one
        assert all(rendered.count("\n- ") == 0 for rendered in renders)


def test_the_open_list_in_a_streaming_reply_is_grouped() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("## Rows\n\n" + bullets(50) + "\n- row 51 is still arri")
    open_block = splitter.open_block
    assert open_block is not None
    groups = split_open_list(open_block.text)
    assert groups is not None and len(groups.groups) == 3 + 2  # 3 of 16 rows, then 2 rows
    assert groups.tail.endswith("row 51 is still arri")


@pytest.mark.parametrize("text", [bullets(40), numbered(40, start=95)], ids=["bullets", "numbers"])
def test_a_list_streamed_item_by_item_renders_each_item_once(text: str) -> None:
    """When sixteen items complete a group, the group is put together from the items'
    cached lines, not rendered again; the closed list still draws the whole list's cells."""
    from claude_tui.ui.rendering.grouped_list import render_grouped_list

    renderer = BlockRenderer(DARK_THEME)
    renders = counted_renders(renderer)
    rows = text.split("\n")
    for end in range(1, len(rows) + 1):
        streaming = Block("markdown", "\n".join(rows[:end]), None, False)
        render_grouped_list(streaming, renderer, WIDTH, None)
    closed = render_grouped_list(Block("markdown", text, None, True), renderer, WIDTH, None)
    finished = [r for r in renders if r.count("\n") and not r.split("\n")[1].startswith("  ")]
    assert finished == []  # no group of several items was ever rendered
    assert closed is not None and closed.final
    whole = BlockRenderer(DARK_THEME).render(Block("markdown", text), WIDTH)
    assert cells(closed.lines) == cells(whole)


def test_a_closed_list_seen_first_from_history_is_rendered_whole() -> None:
    """A list that did not stream here (a resumed session) costs one render, not one per
    item: grouping pays only when the groups are cached as it streams."""
    from claude_tui.ui.rendering.grouped_list import render_grouped_list

    renderer = BlockRenderer(DARK_THEME)
    renders = counted_renders(renderer)
    assert render_grouped_list(Block("markdown", bullets(12)), renderer, WIDTH, None) is None
    drawn = render_grouped_list(Block("markdown", bullets(40)), renderer, WIDTH, None)
    assert drawn is not None and len(renders) == 3  # two groups of sixteen, the tail of eight
    whole = BlockRenderer(DARK_THEME).render(Block("markdown", bullets(40)), WIDTH)
    assert cells(drawn.lines) == cells(whole)
