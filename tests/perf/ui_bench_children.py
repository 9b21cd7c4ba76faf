"""The child processes of ``bench_ui.py``: each measures one thing in a fresh interpreter.

Run by the parent as ``python tests/perf/ui_bench_children.py KIND [ARGS]`` and never by hand.
A child prints ``READY`` when its condition is met (the parent's wall clock stops there) and
one ``RESULT {json}`` line at the end. ``launch-minimal`` and ``launch-app`` time a launch to
a ready composer (``launch-app`` through claude-tui's own ``main``, resuming a session when
given one); ``stream`` alternates the httpx + httpx-sse floor with the app streaming the same
reply while keys are typed, for the long plain reply and for the markdown-heavy one
(``[demo:markdown=N]``), then the paced reply, whose figure is the process's CPU time from
Enter to the last words on screen (``time.process_time``; no loop watcher, no keys).
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # first thing in a child: its imports count towards launch time

import asyncio  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (120, 40)
PROMPT = "[demo:long={tokens}] Tell me everything about terminal rendering."
MARKDOWN_PROMPT = "[demo:markdown={tokens}] Tell me everything about terminal rendering."
PACED_PROMPT = "[demo:long={tokens}][demo:slow={delay:.4f}] Tell me about terminal rendering."
SESSION_END_MARKER = "end marker zq500"
CHILD_TIMEOUT = 60.0
READY_TIMEOUT = 10.0  # a launch that shows nothing by then has failed, not merely been slow


# -- helpers ---------------------------------------------------------------------------------


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
    last_line = next(line for line in reversed(markdown.splitlines()) if _flat(line))
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


def paced_delay(tokens: int, rate: float) -> float:
    """Seconds between the demo relay's deltas for ``tokens`` at ``rate`` tokens/s (its
    deltas carry one to four tokens each, so the pause is per delta, not per token)."""
    from claude_tui.demo.scripted_reply import planned_deltas

    return tokens / rate / len(planned_deltas(PACED_PROMPT.format(tokens=tokens, delay=0.0)))


async def _floor_cpu_once(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """The floor for the paced reply: CPU seconds httpx + httpx_sse spend reading it."""
    cpu = time.process_time()
    floor = await _floor_once(url, body)
    floor["cpu_s"] = time.process_time() - cpu
    return floor


async def _stream_app_once(prompt: str, keys: int, *, watch_loop: bool = True) -> dict[str, Any]:
    """Stream ``prompt``'s reply in the app, typing ``keys`` letters meanwhile.

    The keys are spread through the stream by how much of the reply has arrived: key ``i``
    is typed once ``(i + 0.5) / keys`` of the text is in, so they land in every part of the
    reply (the long list, the tables...) whatever the machine's speed. They are typed from a
    thread, as a terminal driver's input thread does, so a key pressed while the loop is
    busy waits in the queue like a real one; each key's echo is the time from pressing it to
    the first frame showing it, without waiting for the key before.

    ``watch_loop``: time the event loop's stalls with a 200 Hz sleeper. It costs CPU of its
    own, so a run measuring CPU time (the paced reply) goes without it and types no keys.
    """
    from claude_tui.demo.scripted_reply import planned_answer
    from claude_tui.profiles import load_config
    from claude_tui.ui.launch import build_app

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
        key_sent: list[float] = []  # when each key was sent; echoes[i] answers key_sent[i]
        timeline: dict[str, float] = {}

        def received() -> int:
            messages = pane.conversation.session.messages
            last = messages[-1] if messages else None
            return len(last.text) if last is not None and last.role == "assistant" else 0

        def on_frame(now: float) -> None:
            frames.append(now)
            messages = pane.conversation.session.messages  # empty until Enter is handled
            last = messages[-1] if messages else None
            if "first_text" not in timeline and last and last.role == "assistant" and last.text:
                timeline["first_text"] = now
            shown = len(composer.text)  # the composer holds nothing but the keys typed
            while len(echoes) < len(key_sent) and shown > len(echoes):
                echoes.append(_ms(now - key_sent[len(echoes)]))
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
            while watch_loop and not done.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.005)
                over = time.perf_counter() - before - 0.005
                stalls.append((before, _ms(over)))

        typing_over = threading.Event()

        def typist() -> None:
            # Reads the app's state from another thread: only lengths and a flag, which is
            # all a benchmark needs and cannot corrupt anything.
            while not typing_over.is_set() and "first_text" not in timeline:
                time.sleep(0.001)
            for i in range(keys):
                due = len(expected) * (i + 0.5) / keys
                while not typing_over.is_set() and pane.streaming and received() < due:
                    time.sleep(0.001)
                if typing_over.is_set():
                    return
                letter = "abcdefghijklmnopqrstuvwxyz"[i % 26]
                key_sent.append(time.perf_counter())
                driver.send_message(events.Key(letter, letter))
                time.sleep(0.001)

        async def echoes_in() -> None:
            # Wait for the echoes even past the end of the stream, so a slow one counts.
            await done.wait()
            typing_over.set()
            await asyncio.to_thread(typist_thread.join)
            give_up = time.perf_counter() + 2.0
            while len(echoes) < len(key_sent) and time.perf_counter() < give_up:
                await asyncio.sleep(0.001)
            echoes.extend(float("inf") for _ in key_sent[len(echoes) :])

        typist_thread = threading.Thread(target=typist, name="bench-typist", daemon=True)
        monitor_task = asyncio.create_task(monitor())
        cpu_at_enter = time.process_time()
        timeline["enter"] = time.perf_counter()
        driver.send_message(events.Key("enter", "\r"))
        if keys:
            typist_thread.start()
        typist_task = asyncio.create_task(echoes_in() if keys else asyncio.sleep(0))
        try:
            await asyncio.wait_for(done.wait(), CHILD_TIMEOUT)
        except TimeoutError:
            result["timeout"] = True
        cpu_s = time.process_time() - cpu_at_enter
        done.set()
        await asyncio.gather(monitor_task, typist_task)

        start = timeline["enter"]
        stream_stalls = [ms for at, ms in stalls if at >= start]
        reply = pane.conversation.session.messages[-1]
        result.update(
            {
                "ms": _ms(timeline.get("end", time.perf_counter()) - start),
                "cpu_s": cpu_s,
                "first_text_ms": _ms(timeline.get("first_text", start) - start),
                "stream_off_ms": _ms(timeline.get("stream_off", start) - start),
                "frames": sum(1 for f in frames if f >= start),
                "max_stall_ms": max(stream_stalls, default=0.0),
                "stalls_over_50ms": sum(1 for ms in stream_stalls if ms > 50),
                "enter_at": start,
                "stalls": [(_ms(at - start), ms) for at, ms in stalls if at >= start and ms > 30],
                "echo_ms": echoes,
                "keys_at_ms": [_ms(at - start) for at in key_sent],
                "reply_complete": reply.text == expected,
                "lines_laid_out": view.line_count,
            }
        )
        result.update(_memory_mb())
        await app.action_quit()
    return result


def _request_body(prompt: str) -> dict[str, Any]:
    return {
        "model": "claude-demo",
        "max_tokens": 8192,
        "stream": True,
        "messages": [{"role": "user", "content": [{"type": "text", "text": prompt}]}],
    }


def child_stream(
    url: str,
    tokens: int,
    runs: int,
    keys: int,
    paced_tokens: int,
    paced_rate: float,
    paced_runs: int,
    markdown_tokens: int,
) -> None:
    """Floors (httpx + httpx_sse) and app runs, alternated, in this one process: first the
    long plain and the markdown-heavy reply at full speed (each run of one followed by its
    own floor), then the paced one (no keys typed: its figure is CPU time)."""
    prompt = PROMPT.format(tokens=tokens)
    body = _request_body(prompt)
    markdown_prompt = MARKDOWN_PROMPT.format(tokens=markdown_tokens)
    markdown_body = _request_body(markdown_prompt)
    delay = paced_delay(paced_tokens, paced_rate)
    paced_prompt = PACED_PROMPT.format(tokens=paced_tokens, delay=delay)
    paced_body = _request_body(paced_prompt)

    async def main() -> dict[str, Any]:
        await _floor_once(url, body)  # warm-up: the relay's first reply is slower
        await _floor_once(url, markdown_body)
        floors = []
        apps = []
        markdown_floors = []
        markdown_apps = []
        for _ in range(runs):  # interleaved, so drift hits both kinds alike
            apps.append(await _stream_app_once(prompt, keys))
            floors.append(await _floor_once(url, body))
            markdown_apps.append(await _stream_app_once(markdown_prompt, keys))
            markdown_floors.append(await _floor_once(url, markdown_body))
        paced_floors = []
        paced_apps = []
        for _ in range(paced_runs):
            paced_apps.append(await _stream_app_once(paced_prompt, 0, watch_loop=False))
            paced_floors.append(await _floor_cpu_once(url, paced_body))
        return {
            "floors": floors,
            "apps": apps,
            "markdown_floors": markdown_floors,
            "markdown_apps": markdown_apps,
            "paced_floors": paced_floors,
            "paced_apps": paced_apps,
            "paced_delay": delay,
        }

    _emit(asyncio.run(main()))


# -- parent ----------------------------------------------------------------------------------
def run_child(argv: list[str]) -> int:
    """Run the child named by ``argv[0]`` with the rest as its arguments."""
    kind, rest = argv[0], argv[1:]
    if kind == "launch-minimal":
        child_launch_minimal()
    elif kind == "launch-app":
        child_launch_app(rest[0] if rest else None, rest[1] if len(rest) > 1 else None)
    elif kind == "stream":
        child_stream(
            rest[0],
            int(rest[1]),
            int(rest[2]),
            int(rest[3]),
            int(rest[4]),
            float(rest[5]),
            int(rest[6]),
            int(rest[7]),
        )
    else:
        raise SystemExit(f"unknown child {kind!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_child(sys.argv[1:]))
