"""Block-character bars: eighths of a cell, and stacked columns."""

from __future__ import annotations

from claude_tui.usage.block_bars import bar, column_chart


def test_a_bar_fills_eighths_and_shows_any_use() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 16, 2) == "▏"  # one eighth of the two cells
    assert bar(0.001, 10, 4) == "▏"  # tiny, but there
    assert bar(0, 10, 4) == "" and bar(3, 0, 4) == ""
    assert bar(20, 10, 4) == "████"  # never past the width


def test_columns_stack_their_parts_bottom_first() -> None:
    rows = column_chart([[2, 2], [0, 0], [0, 1]], maximum=4, height=2)
    assert ["".join(char for char, _ in row) for row in rows] == ["█  ", "█ ▄"]
    assert [part for _, part in rows[1]] == [0, None, 1]  # the bottom part colours the base
    assert rows[0][0][1] == 1  # and the second part the cell above
    assert column_chart([[0.01]], maximum=4, height=2)[1][0][0] == "▁"  # a sliver at least
