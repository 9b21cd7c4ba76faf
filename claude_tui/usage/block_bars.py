"""Bars drawn with block characters, for the terminal: no plotting library.

A plain bar ends in a partial block (eighths of a cell), so small differences still show;
a stacked bar gives whole cells to each part, rounded so the parts add up to the whole.
"""

from __future__ import annotations

from collections.abc import Sequence

FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"
"""A cell filled by 0 to 7 eighths, from the left."""


def bar(value: float, maximum: float, width: int) -> str:
    """``value`` as a bar of at most ``width`` cells, ``maximum`` filling them all (any
    use shows at least a sliver)."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value / maximum, 1.0) * width * 8))
    whole, part = divmod(eighths, 8)
    return FULL * whole + (EIGHTHS[part] if part else "")


def stacked_cells(values: Sequence[float], maximum: float, width: int) -> list[int]:
    """How many whole cells each of ``values`` gets in a bar of at most ``width`` cells
    for ``maximum``: cumulative rounding, so the parts add up to the rounded whole and a
    part too small for a cell gets none (its total still shows beside the bar)."""
    if maximum <= 0 or width <= 0:
        return [0 for _ in values]
    cells: list[int] = []
    running = 0.0
    drawn = 0
    for value in values:
        running += max(value, 0.0)
        end = round(min(running / maximum, 1.0) * width)
        cells.append(end - drawn)
        drawn = end
    return cells
