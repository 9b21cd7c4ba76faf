"""A code block drawn line by line shows exactly the cells Rich's Syntax draws, and a
streaming block draws only its newest line."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.syntax import Syntax

from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.chat_markdown import TAB_SIZE, lexer_for, plain_lexer
from claude_tui.ui.rendering.markdown_blocks import Block
from claude_tui.ui.rendering.render_theme import DARK_THEME, LIGHT_THEME

DOCSTRING_CODE = 'def f(x):\n    """A docstring\n    over two lines."""\n    return x * 2\n'
SAMPLES = {
    "python": DOCSTRING_CODE,
    "python-open-docstring": 'x = 1\n"""never closed\nstill string\n',
    "python-long-line": "value = compute(" + ", ".join(f"arg_{i}" for i in range(40)) + ")\n",
    "python-tabs": "if x:\n\tif y:\n\t\treturn 'tab'\n",
    "python-blank-lines": "a = 1\n\n\nb = 2\n",
    "python-no-newline": "print('no newline at the end')",
    "text": "plain text\n  indented\nwide 漢字 characters here\n",
    "json": '{"key": [1, 2, 3], "nested": {"a": null}}\n',
    "python-empty": "",
}


def cells(strips: list) -> list[list[Segment]]:
    return [[Segment(s.text, s.style) for s in strip] for strip in strips]


def rich_syntax_lines(renderer: BlockRenderer, code: str, language: str, width: int) -> list:
    """What the block renderer drew before: Rich's Syntax rendered whole."""
    syntax = Syntax(
        code,
        lexer_for(language) or plain_lexer(),
        theme=renderer._syntax_theme,
        word_wrap=True,
        padding=(0, 1),
        background_color=renderer.theme.code_background,
        tab_size=TAB_SIZE,
    )
    return renderer._render_lines(syntax, width)


@pytest.mark.parametrize("theme", [DARK_THEME, LIGHT_THEME], ids=["dark", "light"])
@pytest.mark.parametrize("width", [12, 40, 100])
@pytest.mark.parametrize("name", list(SAMPLES))
def test_line_by_line_draws_the_cells_rich_draws(name: str, width: int, theme) -> None:
    renderer = BlockRenderer(theme)
    language = name.split("-")[0]
    code = SAMPLES[name]
    block = Block("code", code, language, True)
    ours = renderer.render(block, width)[1:]  # after the header line
    assert cells(ours) == cells(rich_syntax_lines(renderer, code, language, width))
    assert all(strip.cell_length == width for strip in ours)


def test_a_streaming_code_block_draws_only_its_newest_line() -> None:
    renderer = BlockRenderer(DARK_THEME)
    code = "\n".join(f"def step_{i}(values):\n    return sum(values) * {i}" for i in range(8))
    drawn: list[str] = []
    original = renderer._render_lines

    def counting(renderable, width, **kwargs):
        drawn.append(type(renderable).__name__)
        return original(renderable, width, **kwargs)

    renderer._code_lines._render_lines = counting
    for end in range(20, len(code), 9):
        drawn.clear()
        renderer.render(Block("code", code[:end], "python", False), 60)
        # The line still arriving and, when a step crosses a line's end, the line it
        # finished; the lines finished before are kept.
        assert len(drawn) <= 2
    drawn.clear()
    closed = renderer.render(Block("code", code, "python", True), 60)
    assert len(drawn) <= 2
    assert cells(closed[1:]) == cells(rich_syntax_lines(renderer, code, "python", 60))


def test_a_docstring_colours_the_lines_after_it_while_streaming() -> None:
    """Lexing stays whole-block: once the docstring opens, later lines are drawn as string."""
    renderer = BlockRenderer(DARK_THEME)
    before = renderer.render(Block("code", "x = 1\ny = 2\n", "python", False), 40)
    after = renderer.render(Block("code", 'z = """\nx = 1\ny = 2\n', "python", False), 40)
    assert cells(after[2:4]) != cells(before[1:3])
    assert cells(after[1:]) == cells(
        rich_syntax_lines(renderer, 'z = """\nx = 1\ny = 2\n', "python", 40)
    )
