"""Rich's Markdown renderable, adjusted for a chat transcript.

Rich centres level-1 headings and paints code blocks with the Pygments style's own
background, and builds a new markdown-it parser and Pygments theme for every renderable.
In a reply, headings read better flush left, code inside lists should sit on the same
background as our fenced blocks, and a block is parsed on every streamed update, so the
parser and the syntax theme are shared.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import CodeBlock, Heading, ListElement, Markdown, MarkdownElement
from rich.syntax import Syntax, SyntaxTheme

TAB_SIZE = 4


@lru_cache(maxsize=256)
def lexer_for(language: str | None) -> Lexer | None:
    """The Pygments lexer for a fence's language name, or None to show plain text."""
    if not language:
        return None
    try:
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=True, tabsize=TAB_SIZE)
    except ClassNotFound:
        return None


def plain_lexer() -> Lexer:
    """The lexer for code in an unknown language: no highlighting."""
    lexer = lexer_for("text")
    assert lexer is not None
    return lexer


class _FlushLeftHeading(Heading):
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text.copy()
        text.justify = "left"
        yield text


class _ThemedCodeBlock(CodeBlock):
    """A code block inside markdown (in a list item, or indented), on our code background."""

    background: str | None = None
    syntax_theme: SyntaxTheme | str = "monokai"

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> CodeBlock:
        block = super().create(markdown, token)
        if isinstance(markdown, ChatMarkdown) and isinstance(block, _ThemedCodeBlock):
            block.background = markdown.code_background
            block.syntax_theme = markdown.syntax_theme
        return block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Syntax(
            str(self.text).rstrip(),
            lexer_for(self.lexer_name) or plain_lexer(),
            theme=self.syntax_theme,
            word_wrap=True,
            padding=(0, 1),
            background_color=self.background,
            tab_size=TAB_SIZE,
        )


class _GroupedListElement(ListElement):
    """A list that may be one group of a longer open list (see ``open_list``): a top-level
    ordered list pads its numbers to the whole list's width, not its own."""

    width_number: int | None = None

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> ListElement:
        element = super().create(markdown, token)
        top_level = token.level == 0
        if isinstance(markdown, ChatMarkdown) and isinstance(element, _GroupedListElement):
            element.width_number = markdown.list_last_number if top_level else None
        return element

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.width_number is None or self.list_type == "bullet_list_open":
            yield from super().__rich_console__(console, options)
            return
        number = 1 if self.list_start is None else self.list_start
        for index, item in enumerate(self.items):
            yield from item.render_number(console, options, number + index, self.width_number)


class ChatMarkdown(Markdown):
    """``rich.markdown.Markdown`` with flush-left headings and themed code blocks."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _FlushLeftHeading,
        "fence": _ThemedCodeBlock,
        "code_block": _ThemedCodeBlock,
        "bullet_list_open": _GroupedListElement,
        "ordered_list_open": _GroupedListElement,
    }

    # Rich builds this per instance; its rules are the same every time, and parse() keeps
    # its state in a fresh object per call, so one parser serves every block.
    _parser: ClassVar[MarkdownIt] = MarkdownIt().enable("strikethrough").enable("table")

    def __init__(
        self,
        markup: str,
        *,
        syntax_theme: SyntaxTheme,
        code_background: str | None,
        list_last_number: int | None = None,
    ) -> None:
        # Rich's __init__ would build (and discard) a parser; set its attributes directly.
        self.markup = markup
        self.parsed = self._parser.parse(markup)
        self.code_theme = "monokai"  # unused: our code blocks take syntax_theme
        self.justify = "left"
        self.style = "none"
        self.hyperlinks = True
        self.inline_code_lexer = None
        self.inline_code_theme = self.code_theme
        self.syntax_theme = syntax_theme
        self.code_background = code_background
        self.list_last_number = list_last_number  # see _GroupedListElement
