"""Bars drawn with block characters, for the terminal: no plotting library.

A bar ends in a partial block (eighths of a cell), so small differences still show; a
column chart stacks parts in each column, its top cell filled in eighths.
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


RISING = " ▁▂▃▄▅▆▇█"
"""A cell filled by 0 to 8 eighths, from the bottom."""

Cell = tuple[str, int | None]
"""One cell of a column chart: its character and which part (index) colours it."""


def column_chart(
    columns: Sequence[Sequence[float]], maximum: float, height: int
) -> list[list[Cell]]:
    """Stacked columns, one per entry of ``columns`` (each the values of its parts, bottom
    first), ``maximum`` reaching ``height`` rows; the rows top first. A cell shows the part
    covering the middle of its filled share; the top cell of a column is filled in eighths,
    and a column with any use shows at least a sliver."""
    rows: list[list[Cell]] = [[] for _ in range(height)]
    steps = height * 8
    for values in columns:
        total = sum(max(v, 0.0) for v in values)
        if maximum <= 0 or total <= 0:
            filled = 0
        else:
            filled = max(1, round(min(total / maximum, 1.0) * steps))
        bounds: list[float] = []
        running = 0.0
        for value in values:
            running += max(value, 0.0)
            bounds.append(running / total * filled if total else 0.0)
        for level in range(height):
            eighths = min(max(filled - level * 8, 0), 8)
            row = rows[height - 1 - level]
            if not eighths:
                row.append((" ", None))
                continue
            middle = level * 8 + eighths / 2
            part = next((i for i, bound in enumerate(bounds) if middle <= bound), len(values) - 1)
            row.append((RISING[eighths], part))
    return rows
