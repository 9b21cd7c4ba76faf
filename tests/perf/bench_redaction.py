"""Benchmark: scanning a 100 KB paste for secrets must cost under 5 ms (issue 11's budget).

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    PYTHONPATH=. python tests/perf/bench_redaction.py [--runs 200] [--kb 100]

It prints the median time of :func:`claude_tui.redaction.find_secrets` over 100 KB of each
kind of text a prompt carries: source code (this project's own), a server log (timestamps,
ids, addresses, durations: the digits that card-number checks must wade through), prose
(the README) and a mix of the three with a few real-shaped secrets in it; and, for the mix,
the time of each pass, so a slow pattern can be found.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from claude_tui.redaction import find_secrets, redact
from claude_tui.redaction.assignments import find_assigned_secrets, lowered_alike
from claude_tui.redaction.secret_scan import _shaped_and_cards

ROOT = Path(__file__).resolve().parents[2]


def _fill(text: str, size: int) -> str:
    """``text`` repeated or cut to ``size`` characters."""
    return (text * (size // max(1, len(text)) + 1))[:size]


def code_text(size: int) -> str:
    """This project's Python source, as pasted code."""
    files = sorted((ROOT / "claude_tui").rglob("*.py"))
    return _fill("\n".join(path.read_text(encoding="utf-8") for path in files), size)


def log_text(size: int) -> str:
    """A web server's log: timestamps, request ids, addresses, status codes, latencies."""
    rng = random.Random(11)
    lines = []
    while sum(len(line) for line in lines) < size:
        lines.append(
            f"2026-12-01T12:{rng.randrange(60):02d}:{rng.randrange(60):02d}."
            f"{rng.randrange(1000):03d}Z INFO request_id={rng.getrandbits(64):016x} "
            f"ip=10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)} "
            f"user={rng.randrange(10**6)} order={rng.randrange(10**15, 10**16)} "
            f"GET /api/v1/items/{rng.randrange(10**9)}?page={rng.randrange(50)} "
            f"status={rng.choice((200, 200, 304, 404, 500))} "
            f"took={rng.random() * 900:.3f}ms ts={rng.randrange(10**12, 2 * 10**12)}"
        )
    return _fill("\n".join(lines), size)


def prose_text(size: int) -> str:
    """The README, as pasted documentation."""
    return _fill((ROOT / "README.md").read_text(encoding="utf-8"), size)


def mixed_text(size: int) -> str:
    """A third of each, with a few secrets of real shape in between (built here, at run time,
    so that this file itself holds none)."""
    secrets = [
        "sk-" + "ant-api03-" + "Qm9vN2xLa1p3R3hZc0VtVGJ4UnpKcFd0dUhrY2Vn",
        "AKIA" + "Q3EGRIIKQ4ZQ7VXA",
        'password = "' + "Tr0ub4dor&3x" + '"',
        "4539 " + "1488 0343 6467",
    ]
    third = size // 3
    parts = [code_text(third), log_text(third), prose_text(size - 2 * third)]
    text = "\n".join(parts)
    step = len(text) // (len(secrets) + 1)
    for index, secret in enumerate(secrets, start=1):
        cut = text.rfind("\n", 0, step * index) + 1
        text = text[:cut] + secret + "\n" + text[cut:]
    return text[: size + sum(len(s) + 1 for s in secrets)]


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--kb", type=int, default=100)
    args = parser.parse_args()
    size = args.kb * 1024
    texts = {
        "code": code_text(size),
        "log": log_text(size),
        "prose": prose_text(size),
        "mixed": mixed_text(size),
    }
    print(f"find_secrets over {args.kb} KB, median of {args.runs} runs (budget: 5 ms)")
    for name, text in texts.items():
        found = find_secrets(text)
        ms = median_ms(lambda text=text: find_secrets(text), args.runs)
        print(f"  {name:6} {ms:6.2f} ms   {len(found)} finding(s)")
    mixed = texts["mixed"]
    print("passes over the mixed text:")
    passes: dict[str, Callable[[str], object]] = {
        "keys + cards": lambda t: list(_shaped_and_cards(t, lowered_alike(t))),
        "settings": lambda t: list(find_assigned_secrets(t)),
    }
    for name, scan in passes.items():
        ms = median_ms(lambda scan=scan: scan(mixed), args.runs)
        print(f"  {name:13} {ms:6.2f} ms")
    findings = find_secrets(mixed)
    redact_ms = median_ms(lambda: redact(mixed, findings), args.runs)
    print(f"  redact        {redact_ms:6.2f} ms")


if __name__ == "__main__":
    main()
