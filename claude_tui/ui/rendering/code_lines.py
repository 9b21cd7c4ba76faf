"""A code block drawn line by line, each highlighted line rendered once.

Rich's ``Syntax`` lexes the whole block, then wraps, pads and styles every line on each
render: a five-line block cost 2.2 ms, and an open block is rendered again on every frame
while it streams (a sixth of a paced reply's rendering). The lexing has to see the whole
block (a docstring colours the lines after it), but the rest is per line. Here the block
is lexed by ``Syntax.highlight`` as before, and each highlighted line is drawn exactly as
``Syntax`` draws it (wrapped at the code width on the code background, inside a padding
of one cell) and kept by its text and colours, so a frame draws only the line still
arriving, and a closed block whose lines streamed in costs no line at all.

``tests/ui/rendering/test_code_lines.py`` holds the cells to Rich's own rendering.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

if TYPE_CHECKING:
    from rich.syntax import Syntax, SyntaxTheme

LINE_CACHE_SIZE = 4096
PADDING = 1
"""Cells of code background left and right of the code, as ``Syntax(padding=(0, 1))``."""

_LineKey = tuple[str, tuple[object, ...], object, int]


class CodeLines:
    """Draws ``Syntax`` renderables line by line with a cache of drawn lines.

    ``render_lines`` is the renderer's own: the renderable at a width, as strips of
    exactly that width.
    """

    def __init__(
        self,
        render_lines: Callable[[RenderableType, int], list[Strip]],
        *,
        cache_size: int = LINE_CACHE_SIZE,
    ) -> None:
        self._render_lines = render_lines
        self._cache: OrderedDict[_LineKey, list[Strip]] = OrderedDict()
        self._cache_size = cache_size

    def render(
        self, syntax: Syntax, theme: SyntaxTheme, code: str, tab_size: int, width: int
    ) -> list[Strip]:
        """``syntax`` (made with ``code``, ``theme``, ``tab_size``, ``word_wrap=True``,
        ``padding=(0, 1)`` and no line numbers) as strips of ``width`` cells."""
        ends_on_newline = code.endswith("\n")  # as Syntax._process_code, without dedent
        processed = (code if ends_on_newline else code + "\n").expandtabs(tab_size)
        highlighted = syntax.highlight(processed)
        # Syntax._get_base_style: under the code and its padding alike.
        background = theme.get_background_style() + syntax.background_style
        strips: list[Strip] = []
        for line in highlighted.split("\n", allow_blank=ends_on_newline):
            strips.extend(self._line(line, background, width))
        return strips

    def _line(self, line: Text, background: Style, width: int) -> list[Strip]:
        key: _LineKey = (line.plain, tuple(line.spans), line.style, width)
        strips = self._cache.get(key)
        if strips is not None:
            self._cache.move_to_end(key)
            return strips
        strips = self._render_lines(_PaddedCodeLine(line, background), width)
        self._cache[key] = strips
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return strips


class _PaddedCodeLine:
    """One highlighted line as ``Syntax`` draws it: wrapped at the code width on the
    background, then padded by one cell each side (``Syntax.__rich_console__`` and
    ``_get_syntax`` with ``word_wrap=True``)."""

    def __init__(self, line: Text, background: Style) -> None:
        self._line = line
        self._background = background

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        transparent = self._background.transparent_background
        code_options = options.update(width=max(0, options.max_width - 2 * PADDING))
        wrapped = console.render_lines(
            self._line,
            code_options.update(height=None, justify="left"),
            style=Style.null() if transparent else self._background,
            pad=not transparent,
        )
        newline = Segment("\n")
        segments = [segment for row in wrapped for segment in (*row, newline)]
        yield Padding(Segments(segments), style=self._background, pad=(0, PADDING))
