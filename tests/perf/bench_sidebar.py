"""Benchmark: the sessions sidebar opens as fast with 10,000 sessions as with 10.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    python tests/perf/bench_sidebar.py [--sessions 10000] [--repeat 7] [--no-option-list]

In one headless app (36x40 for the sidebar) it prints medians of:

1. opening the sidebar: from ``mount(SessionSidebar(store))`` with a new store (so the index
   is parsed cold) to the first frame with session rows painted, at 10 and at 10,000
   sessions, and the ratio; the store's listing alone is timed too;
2. filtering by title at 10,000 sessions: from setting the filter to the frame showing the
   result; and the background message-text search over all files, with the worst time a
   key typed meanwhile took to be handled;
3. for comparison, the same rows in Textual's ``OptionList`` (mount to first frame), which
   measures every option when filled: the reason the sidebar has its own line-API list.

"A frame" means Textual's compositor produced one (``App._display`` is wrapped to timestamp
frames; headless, the frame is rendered and then discarded). Sessions are written directly
to a temporary folder, in the session file format.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import WorkerCancelled

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import SessionStore
from claude_tui.sessions.session_file import encode_record, header_record, message_record
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.ui.widgets.sessions.session_list import row_details
from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar

SIZE = (100, 40)


class BenchApp(App[None]):
    """An empty window the sidebar is mounted into; counts frames."""

    CSS = "Horizontal { height: 1fr; } OptionList { width: 36; height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.ready: Callable[[], bool] | None = None
        self.ready_at: float | None = None
        original = self._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            # Checked after the frame, so what ready() looks at was painted in it.
            ready = self.ready if self.ready_at is None else None
            if renderable is not None and ready is not None and ready():
                self.ready_at = time.perf_counter()

        self._display = display  # type: ignore[method-assign]

    def compose(self) -> ComposeResult:
        yield Horizontal(id="row")


def write_sessions(root: Path, count: int) -> SessionStore:
    """``count`` small sessions (a prompt and a reply each), indexed."""
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    prompt = ChatMessage.user("")
    reply = ChatMessage(role="assistant", content=[])
    for number in range(count):
        at = now - number * 97
        header = header_record(
            session_id=f"s{number:05d}",
            title=f"Session {number}: refactoring the parser module",
            created=at,
            at=at,
            settings=SessionSettings(
                profile="default", model="claude-sonnet-4-5", system=None, thinking="adaptive"
            ),
        )
        prompt.id, reply.id = f"u{number}", f"a{number}"
        prompt.content = [{"type": "text", "text": f"Question {number} about the parser."}]
        reply.content = [{"type": "text", "text": f"Answer number {number}. " * 40}]
        text = encode_record(header)
        text += encode_record(message_record(prompt, at=at))
        text += encode_record(message_record(reply, at=at))
        (root / f"s{number:05d}.jsonl").write_text(text, encoding="utf-8")
    store = SessionStore(root)
    assert len(store.list()) == count  # builds the index, as a first listing would
    return store


def _expect_frame(app: BenchApp, ready: Callable[[], bool]) -> None:
    """Note the time of the first frame after which ``ready()`` is true."""
    app.ready, app.ready_at = ready, None


async def _frame_time(app: BenchApp, start: float) -> float:
    """Seconds from ``start`` to the frame :func:`_expect_frame` waits for."""
    deadline = time.perf_counter() + 30
    while app.ready_at is None:
        if time.perf_counter() > deadline:
            raise TimeoutError("no frame came")
        await asyncio.sleep(0.0005)
    return app.ready_at - start


async def open_sidebar(root: Path) -> float:
    """Seconds to mount a sidebar on a cold store and paint its rows."""
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        store = SessionStore(root)
        sidebar = SessionSidebar(store)
        _expect_frame(app, lambda: sidebar.is_mounted and sidebar.session_list.painted)
        start = time.perf_counter()
        await app.query_one("#row").mount(sidebar)
        elapsed = await _frame_time(app, start)
        assert "Session 0:" in sidebar.session_list.visible_text()
        return elapsed


async def open_option_list(root: Path) -> float:
    """Seconds to mount an ``OptionList`` of the same two-line rows and paint it."""
    now = time.time()
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        options = []
        for summary in SessionStore(root).list():
            prompt = Text(summary.title or "Untitled", style="bold", no_wrap=True)
            prompt.append("\n" + row_details(summary, 32, now), style="dim")
            options.append(Option(prompt, id=summary.id))
        option_list = OptionList(*options)
        _expect_frame(app, lambda: option_list.virtual_size.height > 0)
        await app.query_one("#row").mount(option_list)
        return await _frame_time(app, start)


async def filter_and_search(root: Path, repeat: int) -> tuple[float, list[float], float, float]:
    """At 10,000 sessions: seconds from setting a title filter to its frame; then, typing a
    query found only in message text (so each key starts a background search over every
    file and cancels the previous one): each key's time to its frame, the time from the last
    key to the search's result, and the longest the event loop was blocked meanwhile."""
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        sidebar = SessionSidebar(SessionStore(root))
        await app.query_one("#row").mount(sidebar)
        await pilot.pause()
        filter_times = []
        for number in range(repeat):
            sidebar.set_filter("")
            await pilot.pause()
            _expect_frame(app, lambda: True)
            start = time.perf_counter()
            sidebar.set_filter(f"session {1234 + number}:")
            filter_times.append(await _frame_time(app, start))
            assert len(sidebar.sessions) == 1
        sidebar.set_filter("")
        await pilot.pause()

        stall = 0.0
        typing = True

        async def watch_loop() -> None:
            nonlocal stall
            last = time.perf_counter()
            while typing:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                stall = max(stall, now - last)
                last = now

        watcher = asyncio.create_task(watch_loop())
        sidebar.focus_filter()
        field = sidebar.filter_input
        keys = []
        for character in "answer number 4321.":
            typed = field.value + character
            _expect_frame(app, lambda typed=typed: field.value == typed)  # type: ignore[misc]
            start = time.perf_counter()
            key = "space" if character == " " else "full_stop" if character == "." else character
            app.post_message(events.Key(key, character))
            keys.append(await _frame_time(app, start))
            await asyncio.sleep(0.03)  # a fast typist
        start = time.perf_counter()
        while sidebar.searching:
            await asyncio.sleep(0.001)
        search = time.perf_counter() - start
        typing = False
        await watcher
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        assert [s.id for s in sidebar.sessions] == ["s04321"], sidebar.sessions
        return statistics.median(filter_times), keys, search, stall


def _median(times: list[float]) -> float:
    return statistics.median(times) * 1000


async def _repeat(action: Callable[[], Awaitable[float]], times: int) -> list[float]:
    return [await action() for _ in range(times)]


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-") as tmp:
        folder = Path(tmp)
        small, large = folder / "ten", folder / "many"
        write_sessions(small, 10)
        write_sessions(large, args.sessions)
        n = f"{args.sessions:,}"

        list_small = _median([_time(lambda: SessionStore(small).list()) for _ in range(7)])
        list_large = _median([_time(lambda: SessionStore(large).list()) for _ in range(7)])
        opens_small: list[float] = []
        opens_large: list[float] = []
        for _ in range(args.repeat):  # interleaved, so drift affects both alike
            opens_small.append(await open_sidebar(small))
            opens_large.append(await open_sidebar(large))
        small_ms, large_ms = _median(opens_small), _median(opens_large)
        print(f"open sidebar, {10:>6} sessions: {small_ms:7.1f} ms (median of {args.repeat})")
        if args.verbose:
            print("  all:", [round(t * 1000, 1) for t in opens_small])
            print("  all:", [round(t * 1000, 1) for t in opens_large])
        print(f"open sidebar, {n:>6} sessions: {large_ms:7.1f} ms (median of {args.repeat})")
        print(f"  ratio {n}/10: {large_ms / small_ms:.2f}")
        print(f"  of which store.list() on a cold store: {list_small:.1f} ms / {list_large:.1f} ms")

        filter_s, keys, search_s, stall = await filter_and_search(large, args.repeat)
        print(f"filter by title, {n} sessions, to frame: {filter_s * 1000:7.1f} ms (median)")
        print(
            f"typing a message-text query, {n} sessions: key to frame median "
            f"{_median(keys):.1f} ms, max {max(keys) * 1000:.1f} ms ({len(keys)} keys)"
        )
        print(
            f"  last key to search result (reads all {n} files in a thread): "
            f"{search_s * 1000:.0f} ms; event loop blocked at most {stall * 1000:.1f} ms"
        )

        if args.option_list:
            reps = max(args.repeat // 2, 1)
            ol_small = _median(await _repeat(lambda: open_option_list(small), reps))
            ol_large = _median(await _repeat(lambda: open_option_list(large), reps))
            print(
                f"OptionList instead, for comparison (median of {reps}): 10 rows "
                f"{ol_small:.1f} ms, {n} rows {ol_large:.1f} ms, ratio {ol_large / ol_small:.0f}"
            )


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-option-list", dest="option_list", action="store_false")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
