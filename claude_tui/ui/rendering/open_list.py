"""Cuts a streaming list into groups of items, so a frame renders only the item still
arriving.

The splitter keeps a tight list in one block until it ends (its items belong together:
one numbering, one indent). While that block is open, every frame used to parse and
render the whole list again: at item 300 of a long list a frame cost 30 ms and keys
waited behind it, and even a four-item list cost a millisecond a frame, a sixth of a
paced reply's rendering. Here the list is cut at top-level item starts: every finished
item belongs to a group whose text is final, so the renderer's cache serves it, and only
the last item is parsed each frame. The closed list is drawn from the same groups
(``grouped_list``), so its end costs one item too.

A group renders exactly as the same items do inside the whole list: bullets are drawn
per item, and an ordered group starts at its own number (markdown's ``start``) and pads
its numbers to the width the whole list would use (``list_last_number``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GROUP_ITEMS = 16
"""Items per cached group. The finished items after the last full group are groups of one
each, so a frame renders only the item still arriving; once sixteen are done they are
drawn again as one group, which keeps a 300-row list to a few dozen cache lookups."""

_TOP_ITEM = re.compile(r"(?:(?P<bullet>[-+*])|(?P<number>\d{1,9})(?P<delim>[.)]))(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class ListGroups:
    """An open list cut for rendering: ``groups`` are final, ``tail`` still grows."""

    groups: tuple[str, ...]
    tail: str
    last_number: int | None
    """For an ordered list: what Rich numbers the whole list's width by (its first number
    plus its item count); None for a bullet list."""


def split_open_list(text: str, *, singles: bool = True) -> ListGroups | None:
    """``text`` (a markdown block) as list groups, or None to render it whole.

    Only a tight list (no blank lines) whose every line is a top-level item of one kind
    or an indented continuation is cut, and only once an item is finished. ``singles``:
    the finished items after the last full group are groups of one (a list streaming
    item by item); without, they stay in the tail, and a list of sixteen items or fewer
    is not cut (a closed list seen for the first time, from history: one render of it
    costs less than one per item).
    """
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        lines.pop()  # an item just ended: the next has not begun (nor a blank line)
    first = _TOP_ITEM.match(lines[0])
    if first is None:
        return None
    bullet, delim = first["bullet"], first["delim"]
    starts: list[int] = []
    for index, line in enumerate(lines):
        if not line.strip():
            return None  # a loose list: its items' spacing depends on the whole
        if line[0] in " \t":
            continue  # a continuation or a nested item: part of the item above
        marker = _TOP_ITEM.match(line)
        if marker is None or marker["bullet"] != bullet or marker["delim"] != delim:
            return None  # a paragraph's lazy continuation, or another kind of list
        starts.append(index)
    finished = len(starts) - 1  # the last item still grows
    if not finished:
        return None
    in_full_groups = finished // GROUP_ITEMS * GROUP_ITEMS
    if not singles and not in_full_groups:
        return None
    ones = range(in_full_groups, finished) if singles else range(0)
    group_starts = [*range(0, in_full_groups, GROUP_ITEMS), *ones]
    tail_start = finished if singles else in_full_groups
    group_ends = [*group_starts[1:], tail_start]
    groups = tuple(
        "\n".join(lines[starts[first] : starts[end]])
        for first, end in zip(group_starts, group_ends, strict=True)
    )
    tail = "\n".join(lines[starts[tail_start] :])
    if first["number"] is None:
        return ListGroups(groups, tail, None)
    last_number = int(first["number"]) + len(starts)
    # Only the width matters (Rich pads numbers to it): one value per width keeps the
    # cached groups valid until the list passes 9, 99, 999 items.
    return ListGroups(groups, tail, 10 ** (len(str(last_number)) - 1))
