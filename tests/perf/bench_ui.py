"""Benchmark: the real Textual app against floors measured in the same run.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    python tests/perf/bench_ui.py [--runs 15] [--tokens 20000] [--stream-runs 5]

It drives the real :class:`ClaudeTuiApp` headless at 120x40 and prints a table of figures,
ratios and PASS/FAIL against the budgets:

1. launch to a ready composer (focused, first frame rendered) <= 1.5x a minimal Textual app
   with an Input and a Footer; both in fresh subprocesses, median of ``--runs``;
2. a ``[demo:long=20000]`` reply from the demo relay (its own process, sending as fast as it
   can), from Enter to the last words on screen, <= 3x plain ``httpx`` + ``httpx_sse``
   reading the same stream in the same process; meanwhile a key typed into the composer
   echoes within 50 ms and the event loop never stalls over 100 ms;
3. resuming a 1,000-message (~1.5 MB) session until its last message is on screen <= 2x
   resuming an empty session, with the process's RSS <= 300 MB.

"On screen" means Textual's compositor produced a frame (``App._display`` is wrapped to
timestamp frames; headless, the frame is rendered and then discarded). Configuration and
sessions live in a temporary folder; nothing of the user's is read or written.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # first thing in a child: its imports count towards launch time

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (120, 40)
PROMPT = "[demo:long={tokens}] Tell me everything about terminal rendering."
SESSION_END_MARKER = "end marker zq500"
BUDGET_LAUNCH = 1.5
BUDGET_STREAM = 3.0
BUDGET_ECHO_MS = 50.0
BUDGET_STALL_MS = 100.0
BUDGET_RESUME = 2.0
BUDGET_RSS_MB = 300.0
CHILD_TIMEOUT = 60.0
READY_TIMEOUT = 10.0  # a launch that shows nothing by then has failed, not merely been slow


# -- helpers shared by parent and children -------------------------------------------------


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _memory_mb() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found


def _flat(text: str) -> str:
    """Text with markdown punctuation dropped and whitespace collapsed, for matching what
    the markdown source says against what the screen shows."""
    return " ".join(re.sub(r"[*_`#>|]", " ", text).split())


def _tail_words(markdown: str, words: int = 4) -> str:
    last_line = next(line for line in reversed(markdown.splitlines()) if line.strip())
    return " ".join(_flat(last_line).split()[-words:])


def _hook_frames(app: Any, on_frame: Any) -> None:
    """Call ``on_frame(now)`` after every frame the compositor renders."""
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None:
            on_frame(time.perf_counter())

    app._display = display


def _emit(result: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(result), flush=True)


# -- children: launch ------------------------------------------------------------------------


def child_launch_minimal() -> None:
    """A minimal Textual app (Input + Footer): ready when the Input has focus in a frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Input

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()
            yield Footer()

    app = Minimal()
    _run_until_ready(app, lambda: isinstance(app.focused, Input))


def child_launch_app(resume: str | None, marker: str | None) -> None:
    """claude-tui as users start it, through the command line's ``main`` (argument parsing,
    config, then the app): ready when the Composer has focus in a frame (and, when resuming,
    the last message's ``marker`` is on screen)."""
    from claude_tui.cli.main import main as cli_main
    from claude_tui.ui import launch

    def measured_run(app: Any) -> int:
        # The app is built as for users (the UI's imports included); only its run is
        # headless and hooked.
        _measure_launch(app, marker, lambda: app.run(headless=True, size=SIZE))
        return 0

    launch.run_app = measured_run
    cli_main(["--profile", "bench", *(["--resume", resume] if resume else [])])


def _measure_launch(app: Any, marker: str | None, start: Any) -> None:
    from claude_tui.ui.widgets.composer import Composer

    def ready() -> bool:
        if not isinstance(app.focused, Composer):
            return False
        if marker is None:
            return True
        pane = app.active_pane
        return pane is not None and marker in _flat(pane.view.visible_text())

    def extra() -> dict[str, Any]:
        pane = app.active_pane
        assert pane is not None
        view = pane.view
        return {
            "messages": len(pane.conversation.session.messages),
            "lines_laid_out": view.line_count,
            "scroll_y": view.scroll_y,
            "max_scroll_y": view.max_scroll_y,
        }

    focused = lambda: isinstance(app.focused, Composer)  # noqa: E731
    _run_until_ready(app, ready, extra, focused=focused, start=start)


def _run_until_ready(
    app: Any, ready: Any, extra: Any = None, focused: Any = None, start: Any = None
) -> None:
    """Run ``app`` headless (or call ``start`` to) until a frame is rendered with ``ready()``
    true, then exit.

    Also notes when the first frame with ``focused()`` true came (the composer, before any
    condition on the messages) and, if ``ready()`` never comes, the state at the time limit.
    """
    state: dict[str, Any] = {"frames": 0}

    def finish() -> None:
        state.update(_memory_mb())
        if extra is not None:
            state.update(extra())
        app.exit()

    def on_frame(now: float) -> None:
        state["frames"] += 1
        if "focus_ms" not in state and (focused or ready)():
            state["focus_ms"] = _ms(now - _T0)
        if "ready_ms" in state or not ready():
            return
        state["ready_ms"] = _ms(now - _T0)
        print("READY", flush=True)  # the parent's wall clock stops here
        finish()

    _hook_frames(app, on_frame)
    app.call_later(lambda: app.set_timer(READY_TIMEOUT, finish))
    if start is None:
        app.run(headless=True, size=SIZE)
    else:
        start()
    state["ok"] = "ready_ms" in state
    _emit(state)


# -- child: streaming ------------------------------------------------------------------------


async def _floor_once(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """Plain httpx + httpx_sse reading the same reply: the floor for streaming."""
    import httpx
    from httpx_sse import aconnect_sse

    start = time.perf_counter()
    events = 0
    async with (
        httpx.AsyncClient(timeout=60) as client,
        aconnect_sse(client, "POST", f"{url}/v1/messages", json=body) as source,
    ):
        async for _ in source.aiter_sse():
            events += 1
    return {"ms": _ms(time.perf_counter() - start), "events": events}


async def _stream_app_once(tokens: int, keys: int) -> dict[str, Any]:
    from claude_tui.demo.scripted_reply import planned_answer
    from claude_tui.profiles import load_config
    from claude_tui.ui.launch import build_app

    prompt = PROMPT.format(tokens=tokens)
    expected = planned_answer(prompt, None)
    end_words = _tail_words(expected)
    # Built as the command line builds it, before anything here imports Textual.
    app = build_app(
        load_config(),
        profile_name="bench",
        model=None,
        continue_latest=False,
        resume=None,
        system=None,
    )
    from textual import events

    result: dict[str, Any] = {"end_words": end_words}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.pause()
        pane = app.active_pane
        assert pane is not None
        view = pane.view
        box = pane.composer
        composer = box.composer
        box.set_text(prompt)
        await pilot.pause()
        driver = app._driver
        assert driver is not None

        done = asyncio.Event()
        frames: list[float] = []
        echoes: list[float] = []
        key_state: dict[str, Any] = {"pending": None, "typed": ""}
        timeline: dict[str, float] = {}

        def on_frame(now: float) -> None:
            frames.append(now)
            messages = pane.conversation.session.messages  # empty until Enter is handled
            last = messages[-1] if messages else None
            if "first_text" not in timeline and last and last.role == "assistant" and last.text:
                timeline["first_text"] = now
            pending = key_state["pending"]
            if pending is not None and composer.text == key_state["typed"]:
                echoes.append(_ms(now - pending))
                key_state["pending"] = None
            if "stream_off" not in timeline and not pane.streaming and "enter" in timeline:
                timeline["stream_off"] = now
            if (
                not done.is_set()
                and "stream_off" in timeline
                and end_words in _flat(view.visible_text())
            ):
                timeline["end"] = now
                done.set()

        _hook_frames(app, on_frame)

        stalls: list[tuple[float, float]] = []

        async def monitor() -> None:
            while not done.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.005)
                over = time.perf_counter() - before - 0.005
                stalls.append((before, _ms(over)))

        async def typist() -> None:
            # Type one letter at a time once the reply is visibly streaming.
            while "first_text" not in timeline and not done.is_set():
                await asyncio.sleep(0.002)
            for letter in "abcdefghijklmnopqrstuvwxyz"[:keys]:
                if done.is_set() or not pane.streaming:
                    return
                key_state["typed"] += letter
                key_state["pending"] = time.perf_counter()
                driver.send_message(events.Key(letter, letter))
                # Wait for the echo even past the end of the stream, so a slow one counts.
                give_up = time.perf_counter() + 2.0
                while key_state["pending"] is not None and time.perf_counter() < give_up:
                    await asyncio.sleep(0.001)
                if key_state["pending"] is not None:
                    echoes.append(float("inf"))
                    return
                await asyncio.sleep(0.02)

        monitor_task = asyncio.create_task(monitor())
        timeline["enter"] = time.perf_counter()
        driver.send_message(events.Key("enter", "\r"))
        typist_task = asyncio.create_task(typist())
        try:
            await asyncio.wait_for(done.wait(), CHILD_TIMEOUT)
        except TimeoutError:
            result["timeout"] = True
        done.set()
        await asyncio.gather(monitor_task, typist_task)

        start = timeline["enter"]
        stream_stalls = [ms for at, ms in stalls if at >= start]
        reply = pane.conversation.session.messages[-1]
        result.update(
            {
                "ms": _ms(timeline.get("end", time.perf_counter()) - start),
                "first_text_ms": _ms(timeline.get("first_text", start) - start),
                "stream_off_ms": _ms(timeline.get("stream_off", start) - start),
                "frames": sum(1 for f in frames if f >= start),
                "max_stall_ms": max(stream_stalls, default=0.0),
                "stalls_over_50ms": sum(1 for ms in stream_stalls if ms > 50),
                "enter_at": start,
                "stalls": [(_ms(at - start), ms) for at, ms in stalls if at >= start and ms > 30],
                "echo_ms": echoes,
                "reply_complete": reply.text == expected,
                "lines_laid_out": view.line_count,
            }
        )
        result.update(_memory_mb())
        await app.action_quit()
    return result


def child_stream(url: str, tokens: int, runs: int, keys: int) -> None:
    """Floors (httpx + httpx_sse) and app runs, alternated, in this one process."""
    body = {
        "model": "claude-demo",
        "max_tokens": 8192,
        "stream": True,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": PROMPT.format(tokens=tokens)}]}
        ],
    }

    async def main() -> dict[str, Any]:
        await _floor_once(url, body)  # warm-up: the relay's first reply is slower
        floors = []
        apps = []
        for _ in range(runs):
            apps.append(await _stream_app_once(tokens, keys))
            floors.append(await _floor_once(url, body))
        return {"floors": floors, "apps": apps}

    _emit(asyncio.run(main()))


# -- parent ----------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run this script as a child; returns its RESULT plus the parent's wall-clock time from
    Popen to the child's READY line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    result: dict[str, Any] = {}
    for line in proc.stdout:
        if line.startswith("READY") and "wall_ms" not in result:
            result["wall_ms"] = _ms(time.perf_counter() - start)
        elif line.startswith("RESULT "):
            result.update(json.loads(line[len("RESULT ") :]))
    if proc.wait(timeout=CHILD_TIMEOUT * 3) != 0 or not result:
        raise SystemExit(f"benchmark child failed: {' '.join(args)}")
    return result


def _make_session(store: Any) -> tuple[str, int]:
    """A 1,000-message session of markdown with code, ~1.5 MB of text. Returns id, chars."""
    import random

    from claude_tui.chat_message import ChatMessage, Usage

    rng = random.Random(1000)
    words = [
        "render", "terminal", "widget", "layout", "stream", "token", "cache", "session",
        "message", "reply", "model", "buffer", "event", "loop", "frame", "latency", "scroll",
        "view", "parse", "paragraph", "table", "code", "width", "client", "server", "request",
        "response", "handler", "value", "option", "state", "result", "error",
    ]  # fmt: skip

    def sentence() -> str:
        picked = rng.choices(words, k=rng.randint(8, 16))
        return " ".join(picked).capitalize() + "."

    def paragraph(n: int) -> str:
        return " ".join(sentence() for _ in range(n))

    def code(k: int) -> str:
        lines = [f"def step_{k}_{i}(values: list[int]) -> int:" for i in range(1)]
        for i in range(rng.randint(5, 11)):
            lines.append(f"    total_{i} = sum(v * {i + k} for v in values if v > {i})")
        lines.append("    return total_0")
        return "```python\n" + "\n".join(lines) + "\n```"

    messages: list[ChatMessage] = []
    chars = 0
    for k in range(1, 501):
        prompt = f"Question {k}: {paragraph(rng.randint(2, 5))}\n\n{code(k)}\n\nWhy is this slow?"
        parts = [
            f"## Answer {k}",
            paragraph(rng.randint(3, 6)),
            "\n".join(f"- **{rng.choice(words)}**: {sentence()}" for _ in range(4)),
            code(k),
            paragraph(rng.randint(2, 5)),
            "| Item | Value |\n|------|-------|\n"
            + "\n".join(f"| {rng.choice(words)} | {rng.randint(1, 999)} |" for _ in range(3)),
            code(k + 1),
            paragraph(rng.randint(2, 4)),
        ]
        if k == 500:
            parts.append(f"That closes the session, {SESSION_END_MARKER}.")
        reply = "\n\n".join(parts)
        chars += len(prompt) + len(reply)
        messages.append(ChatMessage.user(prompt))
        messages.append(
            ChatMessage(
                role="assistant",
                content=[{"type": "text", "text": reply}],
                model="claude-demo",
                profile="bench",
                usage=Usage(input_tokens=1000 + 40 * k, output_tokens=len(reply) // 4),
                stop_reason="end_turn",
                ttft_ms=400.0,
                duration_ms=6000.0,
            )
        )
    session = store.import_session(
        messages=messages, profile="bench", model="claude-demo", title="bench: 1,000 messages"
    )
    return session.id, chars


def _start_relay(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """The demo relay in its own process, as a real server would be."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_tui.demo", "--port", "0", "--delay", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://\S+", line)
    if not found:
        proc.kill()
        raise SystemExit(f"the demo relay did not start: {line!r}")
    return proc, found.group(0)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="launches of each kind")
    parser.add_argument("--tokens", type=int, default=20000, help="size of the long reply")
    parser.add_argument("--stream-runs", type=int, default=5, help="streamed replies")
    parser.add_argument("--keys", type=int, default=12, help="keys typed while streaming")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _run_child(args.child)

    from claude_tui.sessions import SessionStore

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env["CLAUDE_TUI_CONFIG_DIR"] = str(home / "config")
        env["CLAUDE_TUI_DATA_DIR"] = str(home / "data")
        # Children compile to a private bytecode cache, warmed up below: with
        # PYTHONDONTWRITEBYTECODE set (as here), claude_tui would be recompiled on every
        # launch while Textual's bytecode ships precompiled, which is not what users see.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        os.environ.update(env)
        relay, url = _start_relay(env)
        try:
            (home / "config").mkdir()
            (home / "config" / "config.toml").write_text(
                'default_profile = "bench"\n\n[profiles.bench]\n'
                f'base_url = "{url}"\nauth = "none"\nmodel = "claude-demo"\nthinking = "off"\n',
                encoding="utf-8",
            )
            store = SessionStore()
            big_id, big_chars = _make_session(store)
            empty_id = store.create(profile="bench", model="claude-demo").id
            big_bytes = store.path_for(big_id).stat().st_size
            print(
                f"session: 1,000 messages, {big_chars / 1e6:.2f} M chars of text, "
                f"{big_bytes / 1e6:.2f} MB on disk; relay at {url}",
                flush=True,
            )

            launches: dict[str, list[dict[str, Any]]] = {
                "minimal": [],
                "app": [],
                "empty": [],
                "big": [],
            }
            _child(env, "launch-minimal")  # warm-up: bytecode cache, disk cache
            _child(env, "launch-app", big_id, SESSION_END_MARKER)
            for _ in range(args.runs):  # interleaved, so drift hits every kind alike
                launches["minimal"].append(_child(env, "launch-minimal"))
                launches["app"].append(_child(env, "launch-app"))
                launches["empty"].append(_child(env, "launch-app", empty_id))
                launches["big"].append(_child(env, "launch-app", big_id, SESSION_END_MARKER))
            print(f"launches done in {time.perf_counter() - started:.0f} s", flush=True)
            stream = _child(
                env, "stream", url, str(args.tokens), str(args.stream_runs), str(args.keys)
            )
        finally:
            relay.terminate()
            relay.wait(timeout=10)
    _report(launches, stream, args.tokens)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def _run_child(argv: list[str]) -> int:
    kind, rest = argv[0], argv[1:]
    if kind == "launch-minimal":
        child_launch_minimal()
    elif kind == "launch-app":
        child_launch_app(rest[0] if rest else None, rest[1] if len(rest) > 1 else None)
    elif kind == "stream":
        child_stream(rest[0], int(rest[1]), int(rest[2]), int(rest[3]))
    else:
        raise SystemExit(f"unknown child {kind!r}")
    return 0


def _report(launches: dict[str, list[dict[str, Any]]], stream: dict[str, Any], tokens: int) -> None:
    def med(kind: str, key: str) -> float | None:
        """Median over the runs, or None when any run never got there."""
        values = [run.get(key) for run in launches[kind]]
        if any(value is None for value in values):
            return None
        return statistics.median(values)

    rows: list[tuple[str, ...]] = []

    def ratio_row(name: str, figure: float | None, floor: float | None, budget: float) -> None:
        if figure is None or floor is None:
            rows.append((name, "never", _fmt(floor), "", f"FAIL (<= {budget}x)"))
            return
        ratio = figure / floor
        verdict = _verdict(ratio <= budget) + f" (<= {budget}x)"
        rows.append((name, _fmt(figure), _fmt(floor), f"{ratio:.2f}x", verdict))

    # 1. launch
    for key, label in (("wall_ms", "wall, Popen to ready"), ("ready_ms", "in-process")):
        ratio_row(f"1. launch ({label})", med("app", key), med("minimal", key), BUDGET_LAUNCH)

    # 2. streaming: each app run is paired with the floor read right after it, so load
    # that drifts during the run (other processes) affects both sides of a ratio alike.
    apps = stream["apps"]
    finished = all(a["reply_complete"] and not a.get("timeout") for a in apps)
    name = f"2. {tokens:,}-token reply, Enter to last words"
    floor = statistics.median(f["ms"] for f in stream["floors"])
    if finished:
        paired = statistics.median(
            a["ms"] / f["ms"] for a, f in zip(apps, stream["floors"], strict=True)
        )
        median = statistics.median(a["ms"] for a in apps)
        verdict = _verdict(paired <= BUDGET_STREAM) + f" (<= {BUDGET_STREAM}x)"
        rows.append((name, _fmt(median), _fmt(floor), f"{paired:.2f}x", verdict))
    else:
        ratio_row(name, None, floor, BUDGET_STREAM)
    echoes = [e for a in apps for e in a["echo_ms"]]
    echo_max = max(echoes, default=float("inf"))
    rows.append(
        (
            f"   key echo while streaming ({len(echoes)} keys)",
            f"max {echo_max:.1f} ms",
            "",
            "",
            _verdict(echo_max <= BUDGET_ECHO_MS) + f" (<= {BUDGET_ECHO_MS:.0f} ms)",
        )
    )
    stall = max(a["max_stall_ms"] for a in apps)
    rows.append(
        (
            "   longest event-loop stall while streaming",
            f"{stall:.1f} ms",
            "",
            "",
            _verdict(stall <= BUDGET_STALL_MS) + f" (<= {BUDGET_STALL_MS:.0f} ms)",
        )
    )

    # 3. resume
    for key, label in (("wall_ms", "wall"), ("ready_ms", "in-process")):
        name = f"3. resume 1,000 msgs, last on screen ({label})"
        ratio_row(name, med("big", key), med("empty", key), BUDGET_RESUME)
    ratio_row(
        "   (info) resume 1,000 msgs, composer ready",
        med("big", "focus_ms"),
        med("empty", "focus_ms"),
        BUDGET_RESUME,
    )
    rss = max(run["VmHWM"] for run in launches["big"])
    rss_empty = max(run["VmHWM"] for run in launches["empty"])
    rows.append(
        (
            "   peak RSS (VmHWM) after resume",
            f"{rss:.0f} MB",
            f"{rss_empty:.0f} MB",
            "",
            _verdict(rss <= BUDGET_RSS_MB) + f" (<= {BUDGET_RSS_MB:.0f} MB)",
        )
    )

    headers = ("measure", "claude-tui", "floor", "ratio", "verdict")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(5)]
    print()
    for line in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())

    print("(medians; the streaming ratio is the median of per-run app/floor ratios)")
    print("\ndetails:")
    for kind, runs in launches.items():
        walls = ", ".join(_fmt(r.get("wall_ms")) for r in runs)
        print(f"  launch {kind:<8} wall: {walls}")
    floors = ", ".join(_fmt(f["ms"]) for f in stream["floors"])
    print(f"  httpx floors: {floors}")
    for i, a in enumerate(apps, 1):
        print(
            f"  stream run {i}: {_fmt(a['ms'])} (first text {_fmt(a['first_text_ms'])}, "
            f"streaming off {_fmt(a['stream_off_ms'])}), {a['frames']} frames, "
            f"{a['stalls_over_50ms']} stalls > 50 ms, reply complete {a['reply_complete']}, "
            f"{a['lines_laid_out']} lines, RSS {a['VmRSS']:.0f} MB"
        )
        echoes_ms = ", ".join(f"{e:.0f}" for e in a["echo_ms"])
        stalls_ms = ", ".join(f"{ms:.0f} at {at:.0f}" for at, ms in a["stalls"])
        print(f"    key echoes ms: {echoes_ms}; stalls > 30 ms: {stalls_ms}")
    big = launches["big"][0]
    print(
        f"  resumed: {big['messages']} messages, {big['lines_laid_out']} lines laid out, "
        f"scroll_y {big['scroll_y']:.0f} of max {big['max_scroll_y']}"
        + ("" if big["ok"] else f" (last message not on screen after {READY_TIMEOUT:.0f} s)")
    )


def _fmt(ms: float | None) -> str:
    return "never" if ms is None else f"{ms:.0f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
