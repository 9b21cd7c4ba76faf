"""Benchmark: the usage screen opens within 200 ms with 10,000 sessions.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    python tests/perf/bench_usage.py [--sessions 10000] [--repeat 7]

It writes ``--sessions`` sessions directly in the session file format (a prompt and a priced
reply each, over the last 60 days, on three profiles and four models), lets the store build
the listing index, then prints medians of:

1. building the 30-day report: the first one with no usage index (every session file read,
   the index written), cold (a new store and history: both indexes parsed) and warm (the
   same objects again: nothing changed), and after one more reply was saved;
2. the budget check a send asks first, cold and warm (a profile with a daily limit);
3. mounting the usage screen for that report, to its first painted frame (headless);
4. opening it in the real app: F9 to the screen's first frame, the first time (cold: the
   modules load, both indexes are parsed), again with nothing changed, and after a reply
   was saved (the indexes grew by a line each): the figures to hold to 200 ms.

The config and data folders point at the temporary folder, so nothing of the user's is
read or written.

Nothing is asserted about time; these are figures for the README.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.profiles import Profile
from claude_tui.sessions import SessionStore
from claude_tui.sessions.session_file import encode_record, header_record, message_record
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.ui.screens.usage_screen import UsageScreen
from claude_tui.usage.budgets import BudgetLedger
from claude_tui.usage.usage_history import UsageHistory
from claude_tui.usage.usage_report import UsageReport, build_report

SIZE = (120, 50)
PROFILES = ("work", "relay", "resold")
MODELS = ("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "claude-demo")
DAY = 86_400.0


def profiles() -> dict[str, Profile]:
    base = {"base_url": "http://127.0.0.1:9", "model": "claude-sonnet-4-5"}
    return {
        "work": Profile(name="work", **base),  # type: ignore[arg-type]
        "relay": Profile(name="relay", price_multiplier=0.8, daily_limit_usd=50.0, **base),  # type: ignore[arg-type]
        "resold": Profile(name="resold", price_multiplier=1.5, **base),  # type: ignore[arg-type]
    }


def write_sessions(root: Path, count: int) -> SessionStore:
    """``count`` sessions of one prompt and one priced reply, indexed for listing."""
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for number in range(count):
        at = now - (number % 60) * DAY - number
        profile = PROFILES[number % len(PROFILES)]
        model = MODELS[number % len(MODELS)]
        header = header_record(
            session_id=f"s{number:05d}",
            title=f"Session {number}",
            created=at,
            at=at,
            settings=SessionSettings(profile=profile, model=model),
        )
        prompt = ChatMessage.user(f"Question {number}")
        prompt.id, prompt.created = f"u{number}", at
        reply = ChatMessage(
            role="assistant",
            content=[{"type": "text", "text": f"Answer {number}."}],
            model=model,
            profile=profile,
            usage=Usage(
                input_tokens=1200 + number % 500,
                output_tokens=300 + number % 900,
                cache_read_input_tokens=(number % 7) * 4000,
                cache_creation_input_tokens=(number % 5) * 1000,
            ),
        )
        reply.id, reply.created = f"a{number}", at
        text = encode_record(header)
        text += encode_record(message_record(prompt, at=at))
        text += encode_record(message_record(reply, at=at))
        (root / f"s{number:05d}.jsonl").write_text(text, encoding="utf-8")
    store = SessionStore(root)
    assert len(store.list()) == count  # builds the listing index, as a first listing would
    return store


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def note_frames(app: App[Any]) -> Callable[[Callable[[], bool]], None]:
    """Wrap ``app``'s display so the first frame after which a condition holds is timed:
    the returned function arms it (the time lands in ``app.ready_at``)."""
    state: dict[str, Any] = {"ready": None}
    app.ready_at = None  # type: ignore[attr-defined]
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        ready = state["ready"]
        if renderable is not None and ready is not None and ready():
            app.ready_at = time.perf_counter()  # type: ignore[attr-defined]
            state["ready"] = None

    def arm(ready: Callable[[], bool]) -> None:
        app.ready_at = None  # type: ignore[attr-defined]
        state["ready"] = ready

    app._display = display  # type: ignore[method-assign]
    return arm


class BenchApp(App[None]):
    """An empty window the usage screen is pushed onto."""

    def compose(self) -> ComposeResult:
        yield Static("conversation")


async def _first_frame(app: App[Any], start: float) -> float:
    deadline = time.perf_counter() + 30
    while app.ready_at is None:  # type: ignore[attr-defined]
        assert time.perf_counter() < deadline, "no frame came"
        await asyncio.sleep(0.0005)
    return float(app.ready_at) - start  # type: ignore[attr-defined]


async def mount_times(report: UsageReport, repeat: int) -> list[float]:
    """Seconds from pushing a usage screen for ``report`` to its first frame, each time."""
    app = BenchApp()
    arm = note_frames(app)
    results: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(repeat):
            screen = UsageScreen(report)
            arm(lambda shown=screen: shown.is_mounted)
            start = time.perf_counter()
            app.push_screen(screen)
            results.append(await _first_frame(app, start))
            app.pop_screen()
            await pilot.pause()
    return results


async def app_open_times(root: Path, repeat: int) -> list[tuple[str, float]]:
    """Seconds from F9 in the real app (its store on ``root``) to the usage screen's first
    frame: the first open (cold), again with nothing changed, and after a reply was saved."""
    from claude_tui.profiles import load_config
    from claude_tui.ui.app import ClaudeTuiApp

    app = ClaudeTuiApp(load_config(), store=SessionStore(root))
    arm = note_frames(app)
    results: list[tuple[str, float]] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for attempt in range(repeat):
            if attempt >= 2:  # a reply saved since the last open: the indexes grew
                session = app.store.open(f"s{attempt:05d}")
                reply = ChatMessage(
                    role="assistant", content=[], model="claude-demo", profile="relay",
                    usage=Usage(input_tokens=10, output_tokens=10),
                )  # fmt: skip
                session.start_reply(reply)
                session.finish_reply(reply)
            arm(lambda: isinstance(app.screen, UsageScreen) and app.screen.is_mounted)
            start = time.perf_counter()
            await pilot.press("f9")
            label = "first" if attempt == 0 else "unchanged" if attempt == 1 else "after a reply"
            results.append((label, await _first_frame(app, start)))
            app.pop_screen()
            await pilot.pause()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    known = profiles()
    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-") as tmp:
        os.environ["CLAUDE_TUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["CLAUDE_TUI_DATA_DIR"] = str(Path(tmp) / "data")
        root = Path(tmp) / "sessions"
        started = time.perf_counter()
        store = write_sessions(root, args.sessions)
        print(
            f"{args.sessions:,} sessions written and listed in "
            f"{time.perf_counter() - started:.1f} s"
        )

        start = time.perf_counter()
        report = build_report(UsageHistory(SessionStore(root)), known)
        first = (time.perf_counter() - start) * 1000
        in_period = report.total.replies
        cold = _median_ms(
            lambda: build_report(UsageHistory(SessionStore(root)), known), args.repeat
        )
        warm_history = UsageHistory(SessionStore(root))
        build_report(warm_history, known)
        warm = _median_ms(lambda: build_report(warm_history, known), args.repeat)
        session = store.open("s00000")
        reply = ChatMessage(
            role="assistant", content=[], model="claude-demo", profile="relay",
            usage=Usage(input_tokens=10, output_tokens=10),
        )  # fmt: skip
        session.start_reply(reply)
        session.finish_reply(reply)
        start = time.perf_counter()
        build_report(warm_history, known)
        after_reply = (time.perf_counter() - start) * 1000
        print(f"report of 30 days ({in_period:,} replies in it):")
        print(f"  first, no usage index (reads every file): {first:8.1f} ms")
        print(f"  cold (new store, both indexes parsed):    {cold:8.1f} ms (median)")
        print(f"  warm (nothing changed):                   {warm:8.1f} ms (median)")
        print(f"  after one more reply was saved:           {after_reply:8.1f} ms")

        relay = known["relay"]
        check_cold = _median_ms(
            lambda: BudgetLedger(UsageHistory(SessionStore(root))).check(relay), args.repeat
        )
        ledger = BudgetLedger(UsageHistory(SessionStore(root)))
        ledger.check(relay)
        check_warm = _median_ms(lambda: ledger.check(relay), args.repeat)
        print(f"budget check before a send: cold {check_cold:.1f} ms, warm {check_warm:.3f} ms")

        made = build_report(UsageHistory(SessionStore(root)), known)
        mount = asyncio.run(mount_times(made, args.repeat))
        print(
            f"usage screen, push to first frame: {statistics.median(mount) * 1000:.1f} ms (median)"
        )
        opened = asyncio.run(app_open_times(root, max(args.repeat, 4)))
        print("F9 in the app to the usage screen's first frame:")
        for label, seconds in opened[:2]:
            print(f"  {label + ':':<16}{seconds * 1000:8.1f} ms")
        later = [seconds for label, seconds in opened if label == "after a reply"]
        print(
            f"  after a reply:  {statistics.median(later) * 1000:8.1f} ms (median of {len(later)})"
        )


if __name__ == "__main__":
    main()
