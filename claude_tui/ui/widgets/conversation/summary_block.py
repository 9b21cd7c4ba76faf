"""The ``/compact`` summary where its cut falls: a folded line, or the summary itself.

It is drawn after the last message it replaced (those above it are drawn dimmed: saved and
shown, but not sent), folded by default as ``▸ Summary of 14 earlier messages``; Enter on
that message, or a click on the line, unfolds it. While a compaction runs the same block
shows its progress and the summary as it streams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles

TOGGLE_ACTION = "toggle_summary"
"""The view action a click on the block's line runs."""

DIMMED = Style(dim=True)
"""Laid over the messages a summary replaced."""


@dataclass(frozen=True)
class SummaryBlock:
    """What the view draws after message ``anchor_id`` (the last one replaced)."""

    anchor_id: str
    title: str
    """``Summary of 14 earlier messages``, or the progress line of a running compaction."""
    text: str
    expanded: bool = False
    pending: bool = False
    """A compaction is running: ``title`` says so and ``text`` is what arrived so far."""
    note: str = ""
    """Shown after the title (why auto-compact made it)."""

    @property
    def key(self) -> tuple[object, ...]:
        """What the anchor's cached lines depend on."""
        return (self.title, self.text, self.expanded, self.pending, self.note)


def summary_title(replaced: int) -> str:
    """``Summary of 14 earlier messages``."""
    return f"Summary of {replaced} earlier {'message' if replaced == 1 else 'messages'}"


def summary_lines(
    block: SummaryBlock,
    width: int,
    styles: LayoutStyles,
    renderer: BlockRenderer,
    wrap: Callable[[Text, int], list[Strip]],
) -> list[Strip]:
    """The block's lines at ``width``: its title line (clickable, wrapped by ``wrap``),
    then, unfolded, the summary indented under a bar, and a blank line."""
    open_ = block.expanded or block.pending
    marker = "▾" if open_ else "▸"
    title = Text(f"{marker} {block.title}", style=styles.summary + _click())
    if block.note:
        title.append(f" · {block.note}", style=styles.muted + _click())
    if not open_ and not block.pending:
        title.append("  (Enter or click to read)", style=styles.muted + _click())
    lines = wrap(title, width)
    if open_ and block.text:
        bar = Segment("│ ", styles.summary)
        for line in renderer.render_plain_lines(block.text, max(width - 2, 10), styles.text):
            lines.append(Strip([bar, *line], line.cell_length + 2))
    lines.append(Strip.blank(width))
    return lines


def _click() -> Style:
    return Style(meta={"@click": TOGGLE_ACTION})
