"""Benchmark: streaming a long markdown reply must cost about as much as rendering it once.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    PYTHONPATH=. python tests/perf/bench_markdown_render.py [--tokens 20000] [--width 100]

A generated reply of about 20,000 tokens (paragraphs, lists, tables, code blocks, headings)
is streamed in 3-token deltas. The view refreshes 30 times a second while the reply arrives
at 2,000 tokens a second, so each refresh sees a batch of about 22 deltas (``--batch`` to
change it). At each refresh we measure the CPU time (``time.process_time``) of:

- ours: feeding the batch to ``IncrementalBlockSplitter``, rendering newly closed blocks
  once (cached) and re-rendering the open block with ``BlockRenderer``;
- naive: rendering the whole text so far with ``rich.markdown.Markdown``;

and, as a floor, rendering the whole final text once with ``rich.markdown.Markdown``. The
naive approach is quadratic; ``--naive-every N`` times only every Nth refresh and scales
the total up, to keep the run short.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import time
from collections.abc import Callable
from functools import partial

from rich.console import Console
from rich.markdown import Markdown

from claude_tui.ui.rendering import DARK_THEME, BlockRenderer, IncrementalBlockSplitter

_WORD_LIST = (
    "the a renderer block stream token widget line cache width parse paragraph list table "
    "code terminal reply model buffer event loop frame update latency scroll view text "
    "value option state result error handler request response session message client "
    "server function module test output input markdown syntax highlight theme"
)
WORDS = _WORD_LIST.split()

# A token is a word with its leading space, a punctuation mark, or a run of newlines:
# about 4 characters, as with Claude's tokenizer on English prose and code.
TOKEN = re.compile(r" ?[A-Za-z0-9_]+| ?[^A-Za-z0-9_\s]|\n+| +")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}()`"
    if rng.random() < 0.1:
        words[rng.randrange(len(words))] = f"[{rng.choice(WORDS)}](https://example.com/docs)"
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def _code(rng: random.Random) -> str:
    lines = []
    for n in range(rng.randint(5, 30)):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        lines.append(
            rng.choice(
                [
                    f"def {a}_{n}({b}: int) -> int:",
                    f"    {a} = {b} + {n}  # {rng.choice(WORDS)} {rng.choice(WORDS)}",
                    f'    print(f"{a} {{{b}}}")',
                    f"    return {a}.{b}({n})",
                    "",
                ]
            )
        )
    return "```python\n" + "\n".join(lines) + "\n```"


def _table(rng: random.Random) -> str:
    columns = rng.randint(2, 4)
    rows = [
        "| " + " | ".join(rng.choice(WORDS).title() for _ in range(columns)) + " |",
        "|" + "---|" * columns,
    ]
    for _ in range(rng.randint(3, 8)):
        cells = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(columns)
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _list(rng: random.Random) -> str:
    ordered = rng.random() < 0.5
    items = []
    for n in range(rng.randint(3, 7)):
        marker = f"{n + 1}." if ordered else "-"
        items.append(f"{marker} {_sentence(rng)}")
        if rng.random() < 0.2:
            items.append(f"   - {_sentence(rng)}")
    return "\n".join(items)


def generate_reply(tokens: int, seed: int = 7) -> str:
    """Markdown of about ``tokens`` tokens, mixed like a long technical answer."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    while count < tokens:
        kind = rng.choices(
            ["paragraph", "list", "code", "table", "heading"], weights=[10, 3, 3, 1, 1]
        )[0]
        if kind == "heading":
            part = "#" * rng.randint(1, 3) + " " + _sentence(rng).rstrip(".")
        else:
            part = {"paragraph": _paragraph, "list": _list, "code": _code, "table": _table}[kind](
                rng
            )
        parts.append(part)
        count += len(TOKEN.findall(part)) + 1
    return "\n\n".join(parts) + "\n"


def deltas_of(text: str, tokens_per_delta: int) -> list[str]:
    tokens = TOKEN.findall(text)
    assert "".join(tokens) == text
    return [
        "".join(tokens[i : i + tokens_per_delta]) for i in range(0, len(tokens), tokens_per_delta)
    ]


def cpu_seconds(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


class OurView:
    """What the conversation widget does per refresh, minus painting."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.splitter = IncrementalBlockSplitter()
        self.renderer = BlockRenderer(DARK_THEME)
        self.rendered_closed = 0
        self.code_blocks = 0
        self.lines = 0

    def step(self, batch: list[str]) -> None:
        """One refresh: the deltas received since the last one, then the render."""
        for delta in batch:
            self.splitter.append(delta)
        self.refresh()

    def refresh(self) -> None:
        closed = self.splitter.closed_blocks
        while self.rendered_closed < len(closed):
            block = closed[self.rendered_closed]
            index = self._code_index(block.kind)
            self.lines += len(self.renderer.render(block, self.width, code_index=index))
            self.rendered_closed += 1
        open_block = self.splitter.open_block
        if open_block is not None:
            self.renderer.render(open_block, self.width, code_index=self.code_blocks)

    def finish(self) -> None:
        self.splitter.finish()
        self.refresh()

    def _code_index(self, kind: str) -> int | None:
        if kind != "code":
            return None
        self.code_blocks += 1
        return self.code_blocks - 1


def _spread(seconds: list[float]) -> str:
    ms = sorted(value * 1000 for value in seconds)
    p95 = ms[min(len(ms) - 1, round(len(ms) * 0.95))]
    return f"median {statistics.median(ms):6.1f} ms, p95 {p95:6.1f} ms, max {ms[-1]:6.1f} ms"


def rich_render(console: Console, text: str, width: int) -> int:
    options = console.options.update(width=width)
    return len(console.render_lines(Markdown(text), options))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=20_000)
    parser.add_argument("--tokens-per-delta", type=int, default=3)
    parser.add_argument("--tokens-per-second", type=int, default=2000)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--batch", type=int, help="deltas per refresh (default: from the rates)")
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="runs of ours and the floor")
    parser.add_argument("--naive-every", type=int, default=1, help="time every Nth refresh")
    args = parser.parse_args()

    text = generate_reply(args.tokens)
    deltas = deltas_of(text, args.tokens_per_delta)
    batch = args.batch or max(1, round(args.tokens_per_second / args.fps / args.tokens_per_delta))
    batches = [deltas[i : i + batch] for i in range(0, len(deltas), batch)]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    print(
        f"reply: {len(TOKEN.findall(text)):,} tokens, {len(text):,} characters; "
        f"{len(deltas):,} deltas of {args.tokens_per_delta} tokens, {batch} per refresh, "
        f"{len(batches)} refreshes; width {args.width}"
    )

    # Warm up imports, lexers and Pygments styles so neither side pays for them.
    warm_up = generate_reply(300, seed=1)
    rich_render(console, warm_up, args.width)
    OurView(args.width).step([warm_up])

    # Ours and the floor are cheap: take the run with the median total of a few.
    runs = []
    for _ in range(args.repeat):
        view = OurView(args.width)
        ours = [cpu_seconds(partial(view.step, piece)) for piece in batches]
        ours.append(cpu_seconds(view.finish))
        runs.append((sum(ours), ours, view))
    runs.sort(key=lambda run: run[0])
    ours_total, ours, view = runs[len(runs) // 2]
    closed = view.splitter.closed_blocks
    print(f"  {len(closed)} blocks ({view.code_blocks} code), {view.lines:,} lines rendered")

    floor = statistics.median(
        cpu_seconds(lambda: rich_render(console, text, args.width)) for _ in range(args.repeat)
    )
    ours_once = statistics.median(
        cpu_seconds(
            lambda: [
                BlockRenderer(DARK_THEME).render(block, args.width, code_index=0)
                for block in closed
            ]
        )
        for _ in range(args.repeat)
    )

    naive: list[float] = []
    received = ""
    for number, piece in enumerate(batches):
        received += "".join(piece)
        if number % args.naive_every == 0:
            naive.append(cpu_seconds(lambda text=received: rich_render(console, text, args.width)))
    naive_total = sum(naive) * len(batches) / len(naive)
    estimated = args.naive_every > 1

    print()
    print(f"ours, streamed:        {ours_total:8.2f} s CPU total; per refresh {_spread(ours)}")
    print(f"naive, streamed:       {naive_total:8.2f} s CPU total; per refresh {_spread(naive)}")
    if estimated:
        print(f"  (naive timed at every {args.naive_every}th refresh, total scaled up)")
    print(f"floor, Rich once:      {floor:8.2f} s CPU (whole final text, one Markdown)")
    print(f"ours, all blocks once: {ours_once:8.2f} s CPU (final blocks, cold cache)")
    print()
    print(f"  naive / ours:  {naive_total / ours_total:6.1f}x")
    print(f"  ours / floor:  {ours_total / floor:6.2f}x")
    print(f"  naive / floor: {naive_total / floor:6.1f}x")


if __name__ == "__main__":
    main()
