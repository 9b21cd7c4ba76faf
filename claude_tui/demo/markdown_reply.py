"""The demo relay's markdown stress reply, ``[demo:markdown=N]``.

``[demo:long=N]`` is mostly paragraphs in 4-16 character deltas; the replies people actually
get are heavier to render: many ``##`` sections, bullets with nested points, a long list,
tables, fenced code and quotes, arriving a token at a time. This reply has that shape (about
47 sections and a 300-row list at N=20,000; both scale with N) and is cut into deltas of at
most :data:`MAX_DELTA_CHARS` characters, so a client's per-delta costs (parsing the open
block, laying it out) show up the way they do against a real model. Like every demo answer it
depends only on the prompt, so a cut reply can be resumed.
"""

from __future__ import annotations

import random
import zlib

MAX_DELTA_CHARS = 6
"""No delta of this reply is longer: about one or two tokens, as models stream them."""

LIST_ROWS_AT_20K = 300
"""Rows of the one long list at N=20,000 tokens; other sizes scale it."""

_MIN_DELTA_CHARS = 2

_TOPICS = (
    "connection pools",
    "chunked bodies",
    "event streams",
    "retry budgets",
    "token counts",
    "markdown blocks",
    "scrollback limits",
    "idle timeouts",
    "frame pacing",
    "key echo",
    "layout caches",
)
_SENTENCES = (
    "A streaming client keeps whatever text has already arrived.",
    "Usage in `message_delta` is cumulative, so the last figure is the total.",
    "Rendering cost must not grow with the length of the conversation.",
    "An overloaded server answers **529**; a retry after a pause usually works.",
    "The *thinking* block carries a signature that goes back unmodified.",
    "A trailing `/v1` in a relay's base URL is a common slip.",
    "Keep-alive connections save a handshake on every request.",
    "A reply that ends without `message_stop` was cut, not finished.",
    "Only the open block changes while a reply streams; the rest can stay laid out.",
    "A key typed mid-stream should echo before the next frame of text.",
)


def _sentence(k: int) -> str:
    return _SENTENCES[k % len(_SENTENCES)]


def _paragraph(k: int, sentences: int) -> str:
    return " ".join(_sentence(k + i) for i in range(sentences)) + "\n\n"


def _bullets(k: int) -> str:
    """Three bullets, each with two nested points."""
    lines = []
    for i in range(3):
        lines.append(f"- **{_TOPICS[(k + i) % len(_TOPICS)]}**: {_sentence(k + i)}")
        lines.append(f"  - check `value_{k}_{i}` first")
        lines.append(f"  - then: {_sentence(k + i + 3)}")
    return "\n".join(lines) + "\n\n"


def _table(k: int) -> str:
    """A table of six rows under its header."""
    rows = [
        f"| {_TOPICS[(k + i) % len(_TOPICS)]} | {(k * 37 + i * 11) % 1000} ms | "
        f"{'yes' if (k + i) % 3 else 'no'} |"
        for i in range(6)
    ]
    return "| Part | Cost | Cached |\n|------|-----:|:------:|\n" + "\n".join(rows) + "\n\n"


def _code(k: int) -> str:
    name = _TOPICS[k % len(_TOPICS)].replace(" ", "_")
    return (
        f"```python\ndef check_{name}_{k}(values: list[int]) -> int:\n"
        f'    """Sum the values for part {k + 1}."""\n'
        "    total = 0\n"
        "    for value in values:\n"
        f"        if value > {k % 10}:\n"
        f"            total += value * {k + 1}\n"
        "    return total\n```\n\n"
    )


def _quote(k: int) -> str:
    return f"> {_sentence(k + 5)}\n> {_sentence(k + 6)}\n\n"


def _section(k: int) -> str:
    """One ``##`` section: a paragraph, nested bullets and two of table, code and quote."""
    extras = (_table, _code, _quote)
    first, second = extras[k % 3], extras[(k + 1) % 3]
    return (
        f"## {k + 1}. {_TOPICS[k % len(_TOPICS)].capitalize()}\n\n"
        + _paragraph(k, 3)
        + _bullets(k)
        + first(k)
        + _paragraph(k + 2, 2)
        + second(k)
    )


def _long_list(rows: int) -> str:
    items = "".join(
        f"{i + 1}. Row {i + 1}: check **{_TOPICS[i % len(_TOPICS)]}** "
        f"against case `{i * 7 % 997}`.\n"
        for i in range(rows)
    )
    return f"## The full checklist\n\nEvery case, in order:\n\n{items}\n"


def markdown_stress(quote: str, tokens: int) -> str:
    """About ``tokens`` tokens (four characters each) of section-heavy markdown.

    ``quote`` is the prompt as it is quoted back. Whole sections only, so fences and tables
    always close; the long list comes once, after about two fifths of the text.
    """
    target = tokens * 4
    rows = max(3, round(LIST_ROWS_AT_20K * tokens / 20_000))
    parts = [f'# A markdown-heavy answer\n\nYou asked: *"{quote}"*.\n\n']
    size = len(parts[0])
    listed = False
    k = 0
    while size < target or not listed:
        if not listed and (size >= target * 2 // 5 or size + 1400 >= target):
            part = _long_list(rows)
            listed = True
        else:
            part = _section(k)
            k += 1
            if size + len(part) > target and k > 1:
                part = _paragraph(k, max(1, (target - size) // 70))
        parts.append(part)
        size += len(part)
    return "".join(parts).rstrip()


def split_small_deltas(text: str) -> list[str]:
    """Cut ``text`` into deltas of two to :data:`MAX_DELTA_CHARS` characters (the last may
    be shorter), anywhere, even inside a word or a markdown marker, as tokens fall.

    Deterministic for a given text, so tests and resumed replies are reproducible.
    """
    rng = random.Random(zlib.crc32(text.encode()))
    deltas: list[str] = []
    at = 0
    while at < len(text):
        size = rng.randint(_MIN_DELTA_CHARS, MAX_DELTA_CHARS)
        deltas.append(text[at : at + size])
        at += size
    return deltas
