"""Turns reply blocks into lines of styled cells (``Strip``) for the conversation view.

Closed blocks are rendered once per width and kept in an LRU cache, so a long reply costs
only its open block per streamed update. Every strip is exactly ``width`` cells.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

if TYPE_CHECKING:  # markdown-it, Pygments and rich.syntax load on the first render
    from rich.syntax import SyntaxTheme

from claude_tui.terminal_text import safe_for_terminal
from claude_tui.ui.rendering.code_lines import CodeLines
from claude_tui.ui.rendering.inline_holdback import hold_back_unclosed_inline
from claude_tui.ui.rendering.markdown_blocks import Block
from claude_tui.ui.rendering.render_theme import RenderTheme

COPY_LABEL = " ⧉ copy "
"""The right-hand end of a code block's header line; clicking it runs ``copy_code(i)``."""

PLAIN_TAB_SIZE = 4  # as chat_markdown.TAB_SIZE, without importing markdown-it at start-up
CACHE_SIZE = 4096


_CacheKey = tuple[str, str, str | None, int, int | None, int | None]


class BlockRenderer:
    """Renders :class:`Block` s with one theme; make a new renderer when the theme changes.

    Blocks stacked in the view are separated by one blank line, which the view adds: a
    block's strips start and end with content, never with a blank line.
    """

    def __init__(self, theme: RenderTheme, *, cache_size: int = CACHE_SIZE) -> None:
        self._theme = theme
        self._cache: OrderedDict[_CacheKey, list[Strip]] = OrderedDict()
        self._cache_size = cache_size
        self._console = Console(
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            theme=theme.rich_theme(),
            width=80,
            height=25,  # both set: Rich asks the terminal its size otherwise, on every render
            legacy_windows=False,
            highlight=False,
            markup=False,
            emoji=False,
            _environ={},  # NO_COLOR, COLUMNS, etc. are Textual's business, not ours
        )
        self._syntax_theme_cache: SyntaxTheme | None = None
        self._text_style = Style(color=theme.text)  # under everything Rich leaves uncoloured
        self._header_style = Style(color=theme.muted, bgcolor=theme.code_background)
        self._copy_style = Style(color=theme.primary, bgcolor=theme.code_background, bold=True)
        self._code_lines = CodeLines(self._render_lines)

    @property
    def theme(self) -> RenderTheme:
        """The colours this renderer paints with (fixed: its cache depends on them)."""
        return self._theme

    @property
    def _syntax_theme(self) -> SyntaxTheme:
        """The Pygments style, built on first use (Pygments is slow to import)."""
        if self._syntax_theme_cache is None:
            from rich.syntax import PygmentsSyntaxTheme

            self._syntax_theme_cache = PygmentsSyntaxTheme(self.theme.code_theme)
        return self._syntax_theme_cache

    @property
    def cached_blocks(self) -> int:
        """How many rendered (block, width) pairs the cache holds."""
        return len(self._cache)

    def clear_cache(self) -> None:
        """Forget every rendered block (e.g. to free memory when a session is closed)."""
        self._cache.clear()

    def render(self, block: Block, width: int, *, code_index: int | None = None) -> list[Strip]:
        """The block as strips of exactly ``width`` cells.

        ``code_index`` numbers the code block within the view; its header's copy label
        carries ``@click`` meta ``copy_code(code_index)``. Without an index the label is
        shown but not clickable. The result for a closed block is cached and shared: treat
        the list as read-only.

        An open (still streaming) markdown block is drawn without the unclosed inline
        marker at its tail (``**bol``, `` `co``, ``[link``): it would show its raw markers
        for a frame, then jump to styled text when it closes. A closed block is drawn as
        it is, so a finished reply shows every character it has.
        """
        width = max(width, 1)
        if not block.closed:
            if block.kind == "markdown":
                held = hold_back_unclosed_inline(block.text)
                if held != block.text:
                    block = Block("markdown", held, block.language, False, block.list_last_number)
            return self._render(block, width, code_index)
        strips = self.cached(block, width, code_index=code_index)
        if strips is not None:
            return strips
        strips = self._render(block, width, code_index)
        self.remember(block, width, strips, code_index=code_index)
        return strips

    def remember(
        self, block: Block, width: int, strips: list[Strip], *, code_index: int | None = None
    ) -> None:
        """Keep ``strips`` as the closed ``block``'s rendering at ``width``: for a caller
        that put them together from parts that draw the same cells (a list's items)."""
        self._cache[_cache_key(block, max(width, 1), code_index)] = strips
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def cached(
        self, block: Block, width: int, *, code_index: int | None = None
    ) -> list[Strip] | None:
        """The closed block's strips if the cache has them (None otherwise), so a caller
        on a frame budget can tell a free block from one that costs a render."""
        key = _cache_key(block, max(width, 1), code_index)
        strips = self._cache.get(key)
        if strips is not None:
            self._cache.move_to_end(key)
        return strips

    def render_plain_lines(self, text: str, width: int, style: Style | str = "") -> list[Strip]:
        """Plain (not markdown) text wrapped to ``width``, e.g. a user message or thinking.

        Here and in :meth:`render`, terminal control sequences are removed first: Pygments
        and Rich pass them through, and a relay's reply must not clear the screen, retitle
        the window or write the clipboard.

        ``style`` covers every cell, padding included. Not cached: the caller knows when
        the text changes. Trailing newlines make no empty lines; empty text makes none.
        """
        width = max(width, 1)
        text = safe_for_terminal(text).rstrip("\n")
        if not text:
            return []
        rich_style = self._console.get_style(style) if isinstance(style, str) else style
        renderable = Text(text, tab_size=PLAIN_TAB_SIZE)
        return self._render_lines(renderable, width, style=rich_style or None)

    # Rendering proper.

    def _render(self, block: Block, width: int, code_index: int | None) -> list[Strip]:
        if block.kind == "code":
            return self._render_code(block, width, code_index)
        from claude_tui.ui.rendering.chat_markdown import ChatMarkdown

        markdown = ChatMarkdown(
            safe_for_terminal(block.text),
            syntax_theme=self._syntax_theme,
            code_background=self.theme.code_background,
            list_last_number=block.list_last_number,
        )
        lines = self._render_lines(markdown, width, style=self._text_style)
        return _trim_blank_lines(lines)

    def _render_code(self, block: Block, width: int, code_index: int | None) -> list[Strip]:
        from rich.syntax import Syntax

        from claude_tui.ui.rendering.chat_markdown import TAB_SIZE, lexer_for, plain_lexer

        code = safe_for_terminal(block.text)
        syntax = Syntax(
            code,
            lexer_for(block.language) or plain_lexer(),
            theme=self._syntax_theme,
            word_wrap=True,
            padding=(0, 1),
            background_color=self.theme.code_background,
            tab_size=TAB_SIZE,
        )
        header = self._code_header(block.language, width, code_index)
        # Line by line, each drawn line kept: an open block draws only its newest line.
        lines = self._code_lines.render(syntax, self._syntax_theme, code, TAB_SIZE, width)
        return [header, *lines]

    def _code_header(self, language: str | None, width: int, code_index: int | None) -> Strip:
        copy_style = self._copy_style
        if code_index is not None:
            copy_style += Style(meta={"@click": f"copy_code({code_index})"})
        name = f" {language or 'text'}"
        room = max(width - len(COPY_LABEL), 0)
        segments = [
            Segment(name[:room].ljust(room), self._header_style),
            Segment(COPY_LABEL, copy_style),
        ]
        return Strip(Segment.adjust_line_length(segments, width, self._header_style), width)

    def render_renderable(self, renderable: RenderableType, width: int) -> list[Strip]:
        """Any Rich renderable (an error card's panel) as strips of ``width`` cells.

        Not cached: callers render these rarely and cache the message's lines themselves.
        """
        return self._render_lines(renderable, max(width, 1))

    def _render_lines(
        self,
        renderable: RenderableType,
        width: int,
        *,
        style: Style | None = None,
    ) -> list[Strip]:
        options: ConsoleOptions = self._console.options.update(width=width, height=None)
        lines = self._console.render_lines(renderable, options, style=style, pad=True)
        # Rich keeps to the width, except where a wide character meets a narrow limit.
        return [Strip(Segment.adjust_line_length(line, width, style), width) for line in lines]


def _cache_key(block: Block, width: int, code_index: int | None) -> _CacheKey:
    return (block.kind, block.text, block.language, width, code_index, block.list_last_number)


def _is_blank(strip: Strip) -> bool:
    """True for a line with no text and no background: spacing, not content."""
    return all(
        not text.strip() and (style is None or style.bgcolor is None)
        for text, style, _control in strip
    )


def _trim_blank_lines(strips: list[Strip]) -> list[Strip]:
    start, end = 0, len(strips)
    while start < end and _is_blank(strips[start]):
        start += 1
    while end > start and _is_blank(strips[end - 1]):
        end -= 1
    return strips[start:end]
