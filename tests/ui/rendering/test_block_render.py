"""BlockRenderer: reply blocks to strips of exactly the view's width, closed blocks cached."""

from __future__ import annotations

import dataclasses

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip
from textual.theme import BUILTIN_THEMES

from claude_tui.ui.rendering import (
    COPY_LABEL,
    DARK_THEME,
    LIGHT_THEME,
    Block,
    BlockRenderer,
    RenderTheme,
    split_blocks,
)

REPLY = """# A heading

Some *emphasis*, **strong**, `inline code`, ~~gone~~ and a [link](https://example.com/a).

- first item
- second item, long enough to wrap when the view is narrow, which it sometimes is
  - nested item

1. one
2. two

> A block quote that is also long enough to wrap at a narrow width, to check the bar.

| Name | Value | Notes |
|------|------:|-------|
| alpha | 1 | the first letter |
| 中文 | 22 | wide characters 😀 |

---

```python
def greet(name: str) -> str:
    \"\"\"Say hello.\"\"\"
    return f"Hello, {name}!"  # a comment that is long enough to be wrapped at narrow widths
```

1. In a list:

   ```bash
   echo "nested"
   ```

Closing words\twith a tab.
"""

PYTHON = Block("code", 'def f(x):\n    return x + 1  # add one\n\nprint(f(2), "done")', "python")


@pytest.fixture(scope="module")
def renderer() -> BlockRenderer:
    return BlockRenderer(DARK_THEME)


def text_of(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def colours(strips: list[Strip]) -> set[str]:
    return {
        segment.style.color.name
        for strip in strips
        for segment in strip
        if segment.style is not None and segment.style.color is not None and segment.text.strip()
    }


def render_reply(renderer: BlockRenderer, text: str, width: int) -> list[list[Strip]]:
    return [
        renderer.render(block, width, code_index=n) for n, block in enumerate(text_blocks(text))
    ]


def text_blocks(text: str) -> list[Block]:
    return split_blocks(text, final=True)


# Width.


@pytest.mark.parametrize("width", [20, 21, 33, 40, 57, 64, 80, 99, 120, 157, 200])
def test_every_strip_is_exactly_the_width(renderer: BlockRenderer, width: int) -> None:
    for strips in render_reply(renderer, REPLY, width):
        assert strips
        for strip in strips:
            assert strip.cell_length == width
            assert sum(cell_len(segment.text) for segment in strip) == width
            assert "\n" not in text_of(strip)


@pytest.mark.parametrize("width", [1, 2, 5, 9])
def test_tiny_widths_never_overflow(renderer: BlockRenderer, width: int) -> None:
    for strips in render_reply(renderer, REPLY, width):
        assert all(sum(cell_len(segment.text) for segment in strip) == width for strip in strips)


def test_no_blank_first_or_last_line(renderer: BlockRenderer) -> None:
    for block in text_blocks(REPLY):
        strips = renderer.render(block, 60)
        assert text_of(strips[0]).strip()
        if block.kind == "markdown":
            assert text_of(strips[-1]).strip()


def test_lines_wrap_rather_than_crop(renderer: BlockRenderer) -> None:
    block = Block("markdown", "word " * 40)
    strips = renderer.render(block, 30)
    assert len(strips) > 5
    assert " ".join(text_of(strip).strip() for strip in strips).split() == ["word"] * 40


# Markdown.


def test_heading_renders_flush_left_and_styled(renderer: BlockRenderer) -> None:
    strips = renderer.render(Block("markdown", "# A heading"), 40)
    assert len(strips) == 1
    assert text_of(strips[0]).startswith("A heading")
    styles = [segment.style for segment in strips[0] if segment.text.strip()]
    assert all(style is not None and style.bold for style in styles)


def test_table_renders_its_cells(renderer: BlockRenderer) -> None:
    table = next(block for block in text_blocks(REPLY) if block.text.startswith("|"))
    strips = renderer.render(table, 60)
    rendered = "\n".join(text_of(strip) for strip in strips)
    assert len(strips) >= 4
    for word in ("Name", "Value", "alpha", "中文", "first letter"):
        assert word in rendered


def test_lists_and_quote(renderer: BlockRenderer) -> None:
    blocks = {block.text.split()[0]: block for block in text_blocks(REPLY)}
    bullets = [text_of(strip) for strip in renderer.render(blocks["-"], 60)]
    assert bullets[0].startswith(" • first item")
    quote = [text_of(strip) for strip in renderer.render(blocks[">"], 30)]
    assert len(quote) > 1 and all(line.startswith("▌ ") for line in quote)


def test_link_keeps_its_url_for_osc8(renderer: BlockRenderer) -> None:
    strips = renderer.render(Block("markdown", "See [the docs](https://example.com/a)."), 60)
    links = {segment.text: segment.style.link for segment in strips[0] if segment.style}
    assert links["the docs"] == "https://example.com/a"


def test_emphasis_styles(renderer: BlockRenderer) -> None:
    strips = renderer.render(Block("markdown", "*it* **bo** `co`"), 40)
    styles = {segment.text: segment.style for segment in strips[0] if segment.style}
    assert styles["it"].italic and styles["bo"].bold
    assert styles["co"].bgcolor is not None


def test_control_characters_never_reach_the_terminal(renderer: BlockRenderer) -> None:
    for kind in ("markdown", "code"):
        strips = renderer.render(Block(kind, "red \x1b[31mtext\x07 \x00end"), 40)  # type: ignore[arg-type]
        assert not any(char in text_of(strip) for strip in strips for char in "\x1b\x07\x00")


# Code blocks.


def test_code_block_header_has_language_and_clickable_copy_label(
    renderer: BlockRenderer,
) -> None:
    strips = renderer.render(PYTHON, 50, code_index=3)
    header = strips[0]
    assert text_of(header).startswith(" python")
    assert text_of(header).endswith(COPY_LABEL)
    label = [segment for segment in header if segment.text == COPY_LABEL]
    assert len(label) == 1 and label[0].style is not None
    assert label[0].style.meta == {"@click": "copy_code(3)"}
    assert text_of(strips[1]).strip() == "def f(x):"


def test_copy_label_without_an_index_is_not_clickable(renderer: BlockRenderer) -> None:
    header = renderer.render(PYTHON, 50)[0]
    assert all(not segment.style or not segment.style.meta for segment in header)


def test_code_index_is_part_of_the_cache_key(renderer: BlockRenderer) -> None:
    first = renderer.render(PYTHON, 50, code_index=0)[0]
    second = renderer.render(PYTHON, 50, code_index=1)[0]
    metas = [[s.style.meta for s in strip if s.style and s.style.meta] for strip in (first, second)]
    assert metas == [[{"@click": "copy_code(0)"}], [{"@click": "copy_code(1)"}]]


def test_python_is_highlighted(renderer: BlockRenderer) -> None:
    assert len(colours(renderer.render(PYTHON, 60)[1:])) > 2


def test_unknown_language_is_plain_text(renderer: BlockRenderer) -> None:
    block = dataclasses.replace(PYTHON, language="no-such-language")
    strips = renderer.render(block, 60)
    assert text_of(strips[0]).startswith(" no-such-language")
    assert len(colours(strips[1:])) == 1


def test_code_wraps_and_has_a_background(renderer: BlockRenderer) -> None:
    block = Block("code", "a" * 100, "python")
    strips = renderer.render(block, 40)
    assert len(strips) == 1 + 3  # header, then 100 characters wrapped in 38 columns
    assert all(
        segment.style is not None and segment.style.bgcolor is not None
        for strip in strips
        for segment in strip
    )


def test_open_empty_code_block_still_shows_its_header(renderer: BlockRenderer) -> None:
    strips = renderer.render(Block("code", "", "rust", closed=False), 30)
    assert text_of(strips[0]).startswith(" rust")


def test_nested_code_block_in_a_list_is_highlighted(renderer: BlockRenderer) -> None:
    block = Block("markdown", "1. Run:\n\n   ```python\n   import os\n   print(os.sep)\n   ```")
    strips = renderer.render(block, 50)
    assert any("import" in text_of(strip) for strip in strips)
    assert len(colours(strips)) > 3


# Cache.


def test_closed_block_is_rendered_once_per_width() -> None:
    renderer = BlockRenderer(DARK_THEME)
    block = Block("markdown", "Hello **world**")
    first = renderer.render(block, 40)
    assert renderer.render(block, 40) is first
    assert renderer.render(Block("markdown", "Hello **world**"), 40) is first  # equal block
    assert renderer.render(block, 41) is not first
    assert renderer.cached_blocks == 2


def test_open_block_is_never_cached() -> None:
    renderer = BlockRenderer(DARK_THEME)
    block = Block("markdown", "Hello **wor", closed=False)
    first = renderer.render(block, 40)
    second = renderer.render(block, 40)
    assert first is not second and first == second
    assert renderer.cached_blocks == 0


def test_cache_is_bounded_and_keeps_recent_entries() -> None:
    renderer = BlockRenderer(DARK_THEME, cache_size=3)
    blocks = [Block("markdown", f"para {n}") for n in range(4)]
    kept = renderer.render(blocks[0], 30)
    for block in blocks[1:3]:
        renderer.render(block, 30)
    assert renderer.render(blocks[0], 30) is kept  # touched: now the most recent
    renderer.render(blocks[3], 30)  # evicts blocks[1], the least recent
    assert renderer.cached_blocks == 3
    assert renderer.render(blocks[0], 30) is kept


# Themes.


def test_light_and_dark_themes_paint_differently() -> None:
    dark = BlockRenderer(DARK_THEME)
    light = BlockRenderer(LIGHT_THEME)
    for block in (PYTHON, Block("markdown", "# Title\n\nText with `code` and **bold**.")):
        assert colours(dark.render(block, 40)) != colours(light.render(block, 40))
    dark_bg = next(iter(dark.render(PYTHON, 40)[1])).style
    light_bg = next(iter(light.render(PYTHON, 40)[1])).style
    assert dark_bg is not None and light_bg is not None and dark_bg.bgcolor != light_bg.bgcolor


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_every_textual_theme_maps_to_a_render_theme(name: str) -> None:
    theme = RenderTheme.from_textual_theme(BUILTIN_THEMES[name])
    assert theme.dark == BUILTIN_THEMES[name].dark
    strips = BlockRenderer(theme).render(Block("markdown", "# T\n\nText `code`"), 30)
    assert strips


def test_unknown_pygments_style_falls_back() -> None:
    theme = DARK_THEME._replace(code_theme="no-such-style")
    assert len(colours(BlockRenderer(theme).render(PYTHON, 40)[1:])) > 1


# Plain text.


def test_plain_lines_wrap_and_carry_the_style(renderer: BlockRenderer) -> None:
    style = Style(color="#ff0000", italic=True)
    strips = renderer.render_plain_lines("thinking " * 20 + "\n\nlast line\n", 30, style)
    texts = [text_of(strip).rstrip() for strip in strips]
    assert texts[-1] == "last line" and texts[-2] == ""
    assert len(strips) > 5
    for strip in strips:
        assert strip.cell_length == 30
        assert all(segment.style == style for segment in strip)


def test_plain_lines_are_not_markdown(renderer: BlockRenderer) -> None:
    strips = renderer.render_plain_lines("# not a heading *or emphasis*", 40)
    assert text_of(strips[0]).rstrip() == "# not a heading *or emphasis*"


def test_plain_lines_of_empty_text(renderer: BlockRenderer) -> None:
    assert renderer.render_plain_lines("", 40) == []
    assert renderer.render_plain_lines("\n\n", 40) == []
