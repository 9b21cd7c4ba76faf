"""Moves a scrollbar without repainting it when its thumb would look the same.

While a reply streams at the bottom of the conversation, every new line grows the
scrollable height and scrolls by one line, and Textual repaints the scrollbar for each
change (about half a millisecond a frame, a sixth of a streaming frame's cost). On a
long conversation the thumb moves by less than one eighth of a cell (its drawing's
granularity) for hundreds of lines, so most of those repaints draw the very same cells.
"""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a view gets its scrollbar only once it overflows: not at launch
    from textual.scrollbar import ScrollBar

_EIGHTHS = 8  # ScrollBarRender draws a thumb's ends in eighths of a cell (VERTICAL_BARS)


def thumb_cells(size: int, virtual_size: float, window_size: float, position: float) -> object:
    """What :meth:`ScrollBarRender.render_bar` draws, reduced to the thumb's ends in
    eighths of a cell (None: no thumb). Mirrors its arithmetic exactly."""
    virtual = ceil(virtual_size)
    window = ceil(window_size if window_size < virtual_size else 0)
    if not (window and size and virtual and size != virtual):
        return (None, size)
    position = int(position * 8) / 8  # ScrollBar.validate_position
    thumb_size = max(1, window / (virtual / size))
    at = (size - thumb_size) * (position / (virtual - window))
    start = int(at * _EIGHTHS)
    return (start, start + ceil(thumb_size * _EIGHTHS), size)


def move_scrollbar(
    scrollbar: ScrollBar, *, virtual_size: int | None = None, position: float | None = None
) -> None:
    """Set the scrollbar's virtual size and/or position; repaint only if the thumb moves."""
    new_virtual = scrollbar.window_virtual_size if virtual_size is None else virtual_size
    new_position = scrollbar.position if position is None else position
    size = scrollbar.size.height if scrollbar.vertical else scrollbar.size.width
    before = thumb_cells(
        size, scrollbar.window_virtual_size, scrollbar.window_size, scrollbar.position
    )
    after = thumb_cells(size, new_virtual, scrollbar.window_size, new_position)
    if before != after or not size:
        if virtual_size is not None:
            scrollbar.window_virtual_size = virtual_size
        if position is not None:
            scrollbar.position = position
        return
    from textual.scrollbar import ScrollBar

    if virtual_size is not None:
        scrollbar.set_reactive(ScrollBar.window_virtual_size, virtual_size)
    if position is not None:
        scrollbar.set_reactive(ScrollBar.position, int(position * 8) / 8)
