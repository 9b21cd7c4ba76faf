"""split_blocks / IncrementalBlockSplitter: top-level blocks of a streamed markdown reply."""

from __future__ import annotations

import random

import pytest

from claude_tui.ui.rendering.markdown_blocks import Block, IncrementalBlockSplitter, split_blocks


def md(text: str, closed: bool = True) -> Block:
    return Block("markdown", text, None, closed)


def code(text: str, language: str | None = None, closed: bool = True) -> Block:
    return Block("code", text, language, closed)


# Paragraphs, lists and tables.


def test_paragraphs_split_at_blank_lines() -> None:
    assert split_blocks("One\nstill one.\n\nTwo.\n\n\nThree.", final=True) == [
        md("One\nstill one."),
        md("Two."),
        md("Three."),
    ]


def test_last_block_is_open_while_streaming() -> None:
    assert split_blocks("One.\n\nTwo") == [md("One."), md("Two", closed=False)]
    assert split_blocks("One.\nTwo") == [md("One.\nTwo", closed=False)]


def test_blank_lines_alone_make_no_block() -> None:
    assert split_blocks("\n\n \n") == []
    assert split_blocks("\n\n \n", final=True) == []


def test_list_with_blank_lines_between_items_stays_together() -> None:
    text = "Steps:\n\n- one\n\n- two\n\n  more about two\n\n- three\n\n1. a\n\n2. b\n\nAfter."
    assert split_blocks(text, final=True) == [
        md("Steps:"),
        md("- one\n\n- two\n\n  more about two\n\n- three\n\n1. a\n\n2. b"),
        md("After."),
    ]


def test_list_marker_after_a_paragraph_starts_a_new_chunk() -> None:
    assert split_blocks("Intro.\n\n- a\n- b", final=True) == [md("Intro."), md("- a\n- b")]


def test_table_is_never_split_and_ends_at_blank_line() -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |"
    text = f"Before.\n\n{table}\n\nAfter."
    assert split_blocks(text, final=True) == [md("Before."), md(table), md("After.")]


def test_streaming_table_stays_one_open_block() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("| a | b |\n|---|---|\n| 1 ")
    assert splitter.blocks == [md("| a | b |\n|---|---|\n| 1 ", closed=False)]
    splitter.append("| 2 |\n\nNext")
    assert splitter.blocks == [md("| a | b |\n|---|---|\n| 1 | 2 |"), md("Next", closed=False)]


def test_indented_continuation_stays_in_chunk() -> None:
    assert split_blocks("Para.\n\n    indented code\n\nNext.", final=True) == [
        md("Para.\n\n    indented code"),
        md("Next."),
    ]


# Fences.


def test_backtick_fence_with_language() -> None:
    text = "Look:\n```python\nx = 1\n\ny = 2\n```\nDone."
    assert split_blocks(text, final=True) == [
        md("Look:"),
        code("x = 1\n\ny = 2", "python"),
        md("Done."),
    ]


def test_tilde_fence_holds_backtick_lines() -> None:
    text = "~~~\n```js\nnot a fence here\n```\n~~~\n"
    assert split_blocks(text) == [code("```js\nnot a fence here\n```")]


def test_longer_fence_needs_a_closing_fence_at_least_as_long() -> None:
    text = "````markdown\n```python\nx\n```\n`````\nafter"
    assert split_blocks(text) == [
        code("```python\nx\n```", "markdown"),
        md("after", closed=False),
    ]


@pytest.mark.parametrize(
    ("closer", "closes"),
    [
        ("```", True),
        ("`````", True),
        ("```   ", True),
        ("   ```", True),
        ("    ```", False),  # indented four: content
        ("``", False),  # too short
        ("~~~", False),  # other character
        ("``` x", False),  # a closing fence has no info string
    ],
)
def test_closing_fence_rules(closer: str, closes: bool) -> None:
    blocks = split_blocks(f"```\ncode\n{closer}\n")
    if closes:
        assert blocks == [code("code")]
    else:
        assert blocks == [code(f"code\n{closer}", closed=False)]


def test_info_string_first_word_is_the_language() -> None:
    assert split_blocks("``` rust  title=main.rs\nfn main() {}\n```\n") == [
        code("fn main() {}", "rust")
    ]


def test_backtick_in_info_string_is_not_a_fence() -> None:
    assert split_blocks("```a`b```\n", final=True) == [md("```a`b```")]


def test_indented_fence_strips_its_indent_from_content() -> None:
    assert split_blocks("  ```\n  a\n    b\nc\n  ```\n") == [code("a\n  b\nc")]


def test_unclosed_fence_runs_to_the_end_and_is_open() -> None:
    text = "Intro\n```python\ndef f():\n\n    return 1\n"
    assert split_blocks(text) == [md("Intro"), code("def f():\n\n    return 1", "python", False)]


def test_finish_closes_an_unterminated_fence() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("```sh\necho hi")
    splitter.finish()
    assert splitter.blocks == [code("echo hi", "sh")]
    with pytest.raises(RuntimeError):
        splitter.append("more")


def test_empty_code_block_shows_as_soon_as_the_fence_line_ends() -> None:
    assert split_blocks("```python\n") == [code("", "python", closed=False)]


def test_code_fence_inside_a_list_stays_with_the_list() -> None:
    text = (
        "1. Install:\n\n"
        "   ```bash\n   pip install x\n\n   x --help\n   ```\n"
        "2. Run it.\n\n"
        "Then:\n```\ntop level\n```\n"
    )
    assert split_blocks(text) == [
        md("1. Install:\n\n   ```bash\n   pip install x\n\n   x --help\n   ```\n2. Run it."),
        md("Then:"),
        code("top level"),
    ]


def test_unindented_fence_after_a_list_is_top_level() -> None:
    assert split_blocks("- a\n- b\n```\nx\n```\n") == [md("- a\n- b"), code("x")]


def test_crlf_line_endings() -> None:
    assert split_blocks("Para\r\n\r\n```py\r\nx\r\n```\r\n") == [md("Para"), code("x", "py")]


# What the open block shows of a line still arriving.


def test_partial_fence_line_is_held_back() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("Text.\n``")
    assert splitter.blocks == [md("Text.", closed=False)]
    splitter.append("`pyth")
    assert splitter.blocks == [md("Text.", closed=False)]
    splitter.append("on\nx")
    assert splitter.blocks == [md("Text."), code("x", "python", closed=False)]
    splitter.append(" = 1\n``")
    assert splitter.blocks == [md("Text."), code("x = 1", "python", closed=False)]
    splitter.append("`\n")
    assert splitter.blocks == [md("Text."), code("x = 1", "python")]


def test_inline_code_at_line_start_is_not_held_back() -> None:
    assert split_blocks("`x` is") == [md("`x` is", closed=False)]


def test_fence_after_a_blank_line_closes_the_chunk_at_once() -> None:
    assert split_blocks("Text.\n\n``") == [md("Text.")]


def test_chunk_closes_as_soon_as_the_next_line_decides_it() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("One.\n\n")
    assert splitter.blocks == [md("One.", closed=False)]
    splitter.append("T")
    assert splitter.blocks == [md("One."), md("T", closed=False)]


@pytest.mark.parametrize(
    ("prefix", "undecided", "rest", "joined"),
    [
        ("- a\n\n", "-", " b", True),  # next item of a loose list
        ("- a\n\n", "-", "-- rule? no: text", False),
        ("1. a\n\n", "12", ". b", True),
        ("1. a\n\n", "12.", "5 is a number", False),
        ("Para\n\n", "  ", "indented", True),
        ("| a |\n|---|\n\n", "|", " b |", True),
    ],
)
def test_undecided_line_joins_the_open_chunk_until_decided(
    prefix: str, undecided: str, rest: str, joined: bool
) -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append(prefix + undecided)
    assert len(splitter.blocks) == 1
    splitter.append(rest + "\n")
    assert len(splitter.blocks) == (1 if joined else 2)


def test_closed_blocks_never_change() -> None:
    splitter = IncrementalBlockSplitter()
    seen: list[Block] = []
    for piece in REPLY:
        splitter.append(piece)
        closed = list(splitter.closed_blocks)
        assert closed[: len(seen)] == seen
        assert all(block.closed for block in closed)
        seen = closed
        open_block = splitter.open_block
        assert open_block is None or not open_block.closed


# Any chunking gives the same blocks as the whole text.

REPLY = """# Setting up the project

Here is how to get started. You'll need **Python 3.11** and `pip`; see the
[docs](https://example.com/docs) for details.

## Steps

1. Create a virtual environment:

   ```bash
   python -m venv .venv
   . .venv/bin/activate
   ```

2. Install the package:

   ```
   pip install -e .
   ```

- a bullet
  with a lazy line

- another bullet

| Option | Default | Meaning |
|--------|:-------:|---------|
| `fast` | no      | skip checks |
| `wide` | yes     | use all columns |

Then run it:

```python
def main() -> None:
    print("hello")


if __name__ == "__main__":
    main()
```

~~~~text
```not a fence```
~~~
still code
~~~~

> Note: a block quote
> over two lines.

    indented code block

---

````markdown
```js
console.log(1)
```
````
Final words, and an unfinished fence:
```rust
fn main() {
    println!("hi");
"""


def stream(text: str, cuts: list[int], *, final: bool = False) -> list[Block]:
    splitter = IncrementalBlockSplitter()
    start = 0
    for cut in [*cuts, len(text)]:
        splitter.append(text[start:cut])
        start = cut
    if final:
        splitter.finish()
    return splitter.blocks


@pytest.mark.parametrize("seed", range(60))
def test_random_chunkings_match_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    text = REPLY if seed % 2 else REPLY.replace("\n", "\r\n")
    cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, len(text) // 3)))
    assert stream(text, cuts) == split_blocks(text)
    assert stream(text, cuts, final=True) == split_blocks(text, final=True)


def test_every_prefix_matches_whole_text_split() -> None:
    splitter = IncrementalBlockSplitter()
    for end in range(1, len(REPLY) + 1):
        splitter.append(REPLY[end - 1])
        assert splitter.blocks == split_blocks(REPLY[:end])


def test_reply_structure() -> None:
    blocks = split_blocks(REPLY)
    kinds = [(block.kind, block.language) for block in blocks]
    assert kinds == [
        ("markdown", None),  # heading
        ("markdown", None),  # paragraph
        ("markdown", None),  # heading
        ("markdown", None),  # the numbered list, its fences and the bullets
        ("markdown", None),  # table
        ("markdown", None),  # "Then run it:"
        ("code", "python"),
        ("code", "text"),
        ("markdown", None),  # quote
        ("markdown", None),  # rule
        ("code", "markdown"),
        ("markdown", None),
        ("code", "rust"),
    ]
    assert blocks[7].text == "```not a fence```\n~~~\nstill code"
    assert [block.closed for block in blocks] == [True] * 12 + [False]


# Cost per append: only the new text and the open block.


def test_append_does_not_rescan_closed_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    splitter = IncrementalBlockSplitter()
    for n in range(2000):
        splitter.append(f"Paragraph {n} with some words.\n\n```python\nx = {n}\n```\n\n")
    assert len(splitter.closed_blocks) == 4000

    fed: list[str] = []
    original = splitter._feed_line
    monkeypatch.setattr(splitter, "_feed_line", lambda line: (fed.append(line), original(line)))
    splitter.append("Open para")
    splitter.append("graph goes on\nand on")
    assert fed == ["Open paragraph goes on"]  # one new complete line, nothing before it
    assert splitter.open_block == md("Open paragraph goes on\nand on", closed=False)
    assert len(splitter.closed_blocks) == 4000


def test_only_the_open_block_is_kept() -> None:
    splitter = IncrementalBlockSplitter()
    splitter.append("word " * 100_000 + "\n\n")
    splitter.append("```\n" + "line\n" * 10_000 + "```\n")
    splitter.append("Small open block")
    assert splitter._lines == ["Small open block"] or splitter._partial == "Small open block"
    assert sum(map(len, splitter._lines)) + len(splitter._partial) < 100
