"""Renders a long list that is still streaming in groups of items, so a frame costs only
the newest group.

The splitter keeps a tight list in one block until it ends (its items belong together:
one numbering, one indent). While that block is open, every frame used to parse and
render the whole list again: at item 300 of a long list a frame cost 30 ms and keys
waited behind it. Here the open list is cut at top-level item starts into groups of
:data:`GROUP_ITEMS`; every group but the last is final text, so the renderer's cache
serves it, and only the last group is parsed each frame. When the list ends it is a
closed block like any other and is rendered whole, once.

A group renders exactly as the same items do inside the whole list: bullets are drawn
per item, and an ordered group starts at its own number (markdown's ``start``) and pads
its numbers to the width the whole list would use (``list_last_number``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GROUP_ITEMS = 16
"""Items per cached group: a frame re-renders at most this many items of an open list."""

_TOP_ITEM = re.compile(r"(?:(?P<bullet>[-+*])|(?P<number>\d{1,9})(?P<delim>[.)]))(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class ListGroups:
    """An open list cut for rendering: ``groups`` are final, ``tail`` still grows."""

    groups: tuple[str, ...]
    tail: str
    last_number: int | None
    """For an ordered list: what Rich numbers the whole list's width by (its first number
    plus its item count); None for a bullet list."""


def split_open_list(text: str) -> ListGroups | None:
    """``text`` (an open markdown block) as list groups, or None to render it whole.

    Only a tight list (no blank lines) whose every line is a top-level item of one kind
    or an indented continuation is cut, and only once it has more than one group.
    """
    lines = text.split("\n")
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
    if len(starts) <= GROUP_ITEMS:
        return None
    cut_items = (len(starts) - 1) // GROUP_ITEMS * GROUP_ITEMS  # the last item still grows
    if not cut_items:
        return None
    groups = tuple(
        "\n".join(lines[starts[g] : starts[g + GROUP_ITEMS]])
        for g in range(0, cut_items, GROUP_ITEMS)
    )
    tail = "\n".join(lines[starts[cut_items] :])
    if first["number"] is None:
        return ListGroups(groups, tail, None)
    last_number = int(first["number"]) + len(starts)
    # Only the width matters (Rich pads numbers to it): one value per width keeps the
    # cached groups valid until the list passes 9, 99, 999 items.
    return ListGroups(groups, tail, 10 ** (len(str(last_number)) - 1))
