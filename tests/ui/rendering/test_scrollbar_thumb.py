"""The scrollbar is left unpainted only when Textual would draw the very same cells."""

from __future__ import annotations

import itertools

from textual.scrollbar import ScrollBarRender

from claude_tui.ui.widgets.conversation.scrollbar_thumb import thumb_cells


def _drawn(size: int, virtual: int, window: int, position: float) -> list[object]:
    window_size = window if window < virtual else 0
    segments = ScrollBarRender.render_bar(
        size=size, virtual_size=virtual, window_size=window_size, position=int(position * 8) / 8
    )
    return [(s.text, s.style) for s in segments.segments]


def test_equal_thumbs_mean_equal_drawings_and_different_ones_differ() -> None:
    size, window = 35, 35
    seen: dict[object, list[object]] = {}
    for virtual, position in itertools.product(range(20, 400, 7), range(0, 380, 11)):
        position = min(position, max(virtual - window, 0))
        key = thumb_cells(size, virtual, window, position)
        drawing = _drawn(size, virtual, window, position)
        if key in seen:
            assert seen[key] == drawing, (virtual, position)
        seen[key] = drawing
    drawings = {repr(d) for d in seen.values()}
    assert len(drawings) == len(seen)  # a different thumb is a different drawing


def test_a_long_conversation_growing_by_a_line_keeps_its_thumb() -> None:
    """At the bottom of 5,000 lines, one more line moves the thumb less than an eighth."""
    before = thumb_cells(35, 5000, 35, 5000 - 35)
    after = thumb_cells(35, 5001, 35, 5001 - 35)
    assert before == after
    assert thumb_cells(35, 60, 35, 25) != thumb_cells(35, 61, 35, 26)
