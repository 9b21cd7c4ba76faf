"""Benchmark: saving a message must not get slower as a session grows, nor listing as the
number of sessions grows much beyond reading one small index.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    PYTHONPATH=. python tests/perf/bench_session_save.py [--sessions 10000] [--saves 200]

It prints the median time to append (and fsync) one message to a new session and to a
1,000-message session, and to list 10 and 10,000 sessions (cold: a new store that parses the
index; warm: the same store listing again), with the ratios. The 10,000 session files are
written directly, without fsync, to keep set-up short; the index is then built by the store
itself, and that rebuild is timed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.sessions import SessionStore
from claude_tui.sessions.session_file import header_record, new_session_text
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import new_session_id


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _reply(n: int) -> ChatMessage:
    return ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": f"Answer number {n}. " * 40}],
        model="claude-sonnet-4-5",
        usage=Usage(input_tokens=1200 + n, output_tokens=300),
        stop_reason="end_turn",
        ttft_ms=420.0,
        duration_ms=5300.0,
    )


def bench_saves(root: Path, saves: int) -> tuple[float, float]:
    """Median ms to save one user message in a new session and in a 1,000-message one."""
    store = SessionStore(root)
    history: list[ChatMessage] = []
    for n in range(500):
        history += [ChatMessage.user(f"Question number {n}, with some detail."), _reply(n)]
    long_session = store.open(
        store.import_session(
            messages=history, settings=SessionSettings(profile="default", model="m")
        ).id
    )
    assert len(long_session.messages) == 1000

    new_times, long_times = [], []
    for n in range(saves):
        fresh = store.create(SessionSettings(profile="default", model="m"))
        start = time.perf_counter()
        fresh.append_message(ChatMessage.user(f"A new prompt {n} of typical length."))
        new_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        long_session.append_message(ChatMessage.user(f"A new prompt {n} of typical length."))
        long_times.append(time.perf_counter() - start)
    return statistics.median(new_times) * 1000, statistics.median(long_times) * 1000


def _write_sessions(root: Path, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for n in range(count):
        session_id = new_session_id()
        header = header_record(
            session_id=session_id,
            title=f"Session {n}: refactoring the parser module",
            created=now - count + n,
            at=now - count + n,
            settings=SessionSettings(
                profile="default", model="claude-sonnet-4-5", system=None, thinking="adaptive"
            ),
        )
        messages = [ChatMessage.user(f"Prompt {n}"), _reply(n)]
        (root / f"{session_id}.jsonl").write_text(new_session_text(header, messages))


def bench_listing(root: Path, count: int, repeat: int) -> tuple[float, float, float]:
    """(rebuild, cold, warm) ms to list ``count`` sessions."""
    _write_sessions(root, count)
    start = time.perf_counter()
    listed = SessionStore(root).list()
    rebuild = (time.perf_counter() - start) * 1000
    assert len(listed) == count, len(listed)
    cold = _median_ms(lambda: SessionStore(root).list(), repeat)
    warm_store = SessionStore(root)
    warm_store.list()
    warm = _median_ms(warm_store.list, repeat)
    return rebuild, cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-") as tmp:
        folder = Path(tmp)
        new_ms, long_ms = bench_saves(folder / "saves", args.saves)
        print(f"save one message, new session:           {new_ms:8.3f} ms (median)")
        print(f"save one message, 1,000-message session: {long_ms:8.3f} ms (median)")
        print(f"  ratio long/new: {long_ms / new_ms:.2f}")
        small = bench_listing(folder / "ten", 10, args.repeat)
        large = bench_listing(folder / "many", args.sessions, args.repeat)
        for label, (rebuild, cold, warm) in (("10", small), (f"{args.sessions:,}", large)):
            print(
                f"list {label:>6} sessions: cold {cold:7.2f} ms, warm {warm:7.2f} ms "
                f"(median); first listing with no index (rebuild) {rebuild:8.1f} ms"
            )
        print(
            f"  ratio {args.sessions:,}/10: cold {large[1] / small[1]:.0f}x, "
            f"warm {large[2] / small[2]:.0f}x"
        )


if __name__ == "__main__":
    main()
