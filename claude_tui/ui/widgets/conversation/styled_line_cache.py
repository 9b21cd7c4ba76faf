"""The conversation view's styles cache: styled lines kept by the line they were made from.

Textual's ``StylesCache`` keeps a widget's finished lines (padding, background, effects
applied) by screen row, and forgets them all whenever the widget scrolls. The view follows
a streaming reply down one line at a time, so each new line of the reply made Textual
style every row of the screen again, though the rows only moved up: about a millisecond
a line, the largest part of a paced reply's frames once the reply filled the screen.

This cache keeps them by the content line instead (the view hands out the same
:class:`~textual.strip.Strip` object for a line until the line changes), so a scrolled
row is a dictionary look-up. Anything else that shapes a styled line is part of the key
(widths, padding, the colours behind, opacity, ANSI theme), and the view forgets
everything when its styles change (:meth:`forget`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.css.styles import StylesBase
from textual.geometry import Size, Spacing
from textual.strip import Strip

MAX_LINES = 4096  # a few screens of history at any width; past it, start again


class StyledLineCache(StylesCache):
    """A :class:`StylesCache` whose content rows are reused across scrolls."""

    def __init__(self) -> None:
        super().__init__()
        self._styled: dict[tuple[object, ...], tuple[Strip, Strip]] = {}

    def forget(self) -> None:
        """Drop every kept line (the widget's styles changed)."""
        self._styled.clear()
        self.clear()

    def render_line(
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        *rest: Any,
    ) -> Strip:
        gutter = styles.gutter
        content_y = y - gutter.top
        # Borders, top or bottom padding are not content lines: Textual styles them as ever.
        content_row = not (gutter.top or gutter.bottom) and 0 <= content_y < content_size.height
        key: tuple[object, ...] = ()
        content: Strip | None = None
        if content_row:
            content = render_content_line(content_y)
            key = (
                id(content),
                size.width,
                content_size.width,
                padding,
                base_background,
                background,
                *(
                    part if part is None or isinstance(part, float | bool) else id(part)
                    for part in rest
                ),
            )
            kept = self._styled.get(key)
            if kept is not None and kept[0] is content:
                return kept[1]
            render_content_line = lambda _y: content  # noqa: E731  (already rendered)
        styled = super().render_line(
            styles,
            y,
            size,
            content_size,
            padding,
            base_background,
            background,
            render_content_line,
            *rest,
        )
        if content is not None:
            if len(self._styled) >= MAX_LINES:
                self._styled.clear()
            self._styled[key] = (content, styled)  # the content kept: its id is not reused
        return styled
