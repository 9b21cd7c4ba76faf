"""The colours the conversation renderer paints with, and where they come from."""

from __future__ import annotations

from typing import NamedTuple

from rich.color import ColorParseError as RichColorParseError
from rich.style import Style
from rich.theme import Theme
from textual.color import Color, ColorParseError
from textual.theme import Theme as TextualTheme


class RenderTheme(NamedTuple):
    """Colours (``#rrggbb``) for rendered replies, and the Pygments style for code.

    A NamedTuple, as Textual's own small value types are: a frozen dataclass costs about
    0.8 ms to define at import, on every launch; a NamedTuple a tenth of that.
    """

    text: str
    """Body text."""
    muted: str
    """Secondary text: block quotes, rules, table borders, the code header's language."""
    primary: str
    """List bullets and numbers, table headers, the copy label."""
    accent: str
    """Inline code."""
    link: str
    """Hyperlinks."""
    code_background: str
    """Behind code blocks (fenced, indented and inline) and their header line."""
    h1: str
    """Level-1 headings."""
    h2: str
    """Level-2 headings."""
    h3: str
    """Level-3 to level-6 headings."""
    dark: bool
    """True for a dark background."""
    code_theme: str
    """Pygments style name for syntax highlighting; an unknown name falls back to ``default``."""

    @classmethod
    def from_textual_theme(cls, theme: TextualTheme) -> RenderTheme:
        """The render theme matching a Textual theme; the stock one if a colour won't parse."""
        fallback = DARK_THEME if theme.dark else LIGHT_THEME
        if theme.ansi:
            return fallback  # terminal-palette colours have no RGB value to blend
        try:
            variables = theme.to_color_system().generate()
            background = Color.parse(variables["background"])
            foreground = Color.parse(variables["foreground"])

            def colour(name: str) -> str:
                return Color.parse(variables[name]).hex

            render_theme = cls(
                text=background.blend(foreground, theme.text_alpha).hex,
                muted=background.blend(foreground, 0.6).hex,
                primary=colour("text-primary"),
                accent=colour("text-accent"),
                link=colour("text-primary"),
                code_background=colour("surface"),
                h1=colour("text-primary"),
                h2=colour("text-primary"),
                h3=colour("text-secondary"),
                dark=theme.dark,
                code_theme=fallback.code_theme,
            )
            render_theme.rich_theme()  # every colour must parse for Rich too
        except (ColorParseError, RichColorParseError, KeyError):
            return fallback
        return render_theme

    def rich_theme(self) -> Theme:
        """Rich styles for the ``markdown.*`` names that ``rich.markdown`` looks up."""
        code = Style(color=self.accent, bgcolor=self.code_background)
        return Theme(
            {
                "markdown.paragraph": Style(color=self.text),
                "markdown.text": Style(color=self.text),
                "markdown.em": Style(italic=True),
                "markdown.emph": Style(italic=True),
                "markdown.strong": Style(bold=True),
                "markdown.s": Style(strike=True),
                "markdown.code": code,
                "markdown.code_block": Style(color=self.text, bgcolor=self.code_background),
                "markdown.block_quote": Style(color=self.muted, italic=True),
                "markdown.list": Style(color=self.text),
                "markdown.item": Style(),
                "markdown.item.bullet": Style(color=self.primary, bold=True),
                "markdown.item.number": Style(color=self.primary),
                "markdown.hr": Style(color=self.muted),
                "markdown.h1.border": Style(color=self.h1),
                "markdown.h1": Style(color=self.h1, bold=True, underline=True),
                "markdown.h2": Style(color=self.h2, bold=True),
                "markdown.h3": Style(color=self.h3, bold=True),
                "markdown.h4": Style(color=self.h3, bold=True, italic=True),
                "markdown.h5": Style(color=self.h3, italic=True),
                "markdown.h6": Style(color=self.muted, italic=True),
                "markdown.h7": Style(color=self.muted, italic=True),
                "markdown.link": Style(color=self.link),
                "markdown.link_url": Style(color=self.link, underline=True),
                "markdown.table.border": Style(color=self.muted),
                "markdown.table.header": Style(color=self.primary, bold=True),
                "markdown.kbd": Style(color=self.accent, bold=True),
            }
        )


DARK_THEME = RenderTheme(
    text="#dedede",
    muted="#8d8d8d",
    primary="#57a5e2",
    accent="#ffc473",
    link="#57a5e2",
    code_background="#1e1e1e",
    h1="#57a5e2",
    h2="#57a5e2",
    h3="#5684a5",
    dark=True,
    code_theme="monokai",
)
"""The stock theme for dark terminals (textual-dark colours)."""

LIGHT_THEME = RenderTheme(
    text="#1f1f1f",
    muted="#6b6b6b",
    primary="#004578",
    accent="#a86d1c",
    link="#004f8b",
    code_background="#ececec",
    h1="#004578",
    h2="#004578",
    h3="#004f8b",
    dark=False,
    code_theme="friendly",
)
"""The stock theme for light terminals."""
