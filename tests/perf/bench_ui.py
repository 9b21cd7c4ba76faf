"""Benchmark: the real Textual app against floors measured in the same run.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root
(the measuring itself happens in ``ui_bench_children.py``, one fresh process per launch):

    python tests/perf/bench_ui.py [--runs 15] [--tokens 20000] [--markdown-tokens 20000]
        [--stream-runs 5] [--keys 30] [--paced-runs 2]

It drives the real :class:`ClaudeTuiApp` headless at 120x40 and prints a table of figures,
ratios and PASS/FAIL against the budgets:

1. launch to a ready composer (focused, first frame rendered) <= 1.5x a minimal Textual app
   with an Input and a Footer; both in fresh subprocesses, median of ``--runs``;
2. a ``[demo:long=20000]`` reply from the demo relay (its own process, sending as fast as it
   can), from Enter to the last words on screen, <= 2x plain ``httpx`` + ``httpx_sse``
   reading the same stream in the same process; a ``[demo:markdown=20000]`` reply (47
   sections, nested bullets, a 300-row list, six-row tables, code and quotes, in deltas of
   at most six characters) <= 2.5x its own floor, read right after it; during each stream
   ``--keys`` keys typed into the composer, spread through the reply, each echo within
   50 ms (median and max shown per stream), and the event loop never stalls over 50 ms;
   and a 600-token reply paced at ~30 tokens/s (``--paced-*``) costs the process <= 0.6 s
   of CPU from Enter to the last words on screen (the CPU httpx + httpx_sse spend reading
   it is shown beside);
3. resuming a 1,000-message (~1.5 MB) session until its last message is on screen <= 2x
   resuming an empty session, with the process's RSS <= 300 MB.

"On screen" means Textual's compositor produced a frame (``App._display`` is wrapped to
timestamp frames; headless, the frame is rendered and then discarded). Configuration and
sessions live in a temporary folder; nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ui_bench_children import CHILD_TIMEOUT, READY_TIMEOUT, SESSION_END_MARKER

from claude_tui.sessions.session_settings import SessionSettings

CHILDREN = Path(__file__).resolve().with_name("ui_bench_children.py")
BUDGET_LAUNCH = 1.5
BUDGET_STREAM = 2.0
BUDGET_MARKDOWN_STREAM = 2.5
BUDGET_PACED_CPU_S = 0.6
BUDGET_ECHO_MS = 50.0
MIN_KEYS = 30  # echoes measured per stream, over all its runs, for the echo verdict to count
BUDGET_STALL_MS = 50.0
BUDGET_RESUME = 2.0
BUDGET_RSS_MB = 300.0


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run a child (see ``ui_bench_children``); returns its RESULT plus the parent's
    wall-clock time from Popen to the child's READY line."""
    command = [sys.executable, str(CHILDREN), *args]
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
        messages=messages,
        title="bench: 1,000 messages",
        settings=SessionSettings(profile="bench", model="claude-demo"),
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
    parser.add_argument(
        "--markdown-tokens", type=int, default=20000, help="size of the markdown-heavy reply"
    )
    parser.add_argument("--stream-runs", type=int, default=5, help="streamed replies of each")
    parser.add_argument("--keys", type=int, default=30, help="keys typed during each stream")
    parser.add_argument("--paced-tokens", type=int, default=600, help="size of the paced reply")
    parser.add_argument("--paced-rate", type=float, default=30.0, help="its tokens per second")
    parser.add_argument("--paced-runs", type=int, default=2, help="paced replies")
    args = parser.parse_args()

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
            empty_id = store.create(SessionSettings(profile="bench", model="claude-demo")).id
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
                env,
                "stream",
                url,
                str(args.tokens),
                str(args.stream_runs),
                str(args.keys),
                str(args.paced_tokens),
                str(args.paced_rate),
                str(args.paced_runs),
                str(args.markdown_tokens),
            )
        finally:
            relay.terminate()
            relay.wait(timeout=10)
    _report(launches, stream, args.tokens, args.markdown_tokens, args.paced_tokens, args.paced_rate)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def _report(
    launches: dict[str, list[dict[str, Any]]],
    stream: dict[str, Any],
    tokens: int,
    markdown_tokens: int,
    paced_tokens: int,
    paced_rate: float,
) -> None:
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
    _stream_rows(
        rows,
        f"2. {tokens:,}-token reply, Enter to last words",
        stream["apps"],
        stream["floors"],
        BUDGET_STREAM,
    )
    _stream_rows(
        rows,
        f"   {markdown_tokens:,}-token markdown reply, Enter to last words",
        stream["markdown_apps"],
        stream["markdown_floors"],
        BUDGET_MARKDOWN_STREAM,
    )

    paced = stream["paced_apps"]
    name = f"   {paced_tokens:,}-token reply at {paced_rate:.0f} tok/s, CPU Enter to last words"
    paced_floor = statistics.median(f["cpu_s"] for f in stream["paced_floors"])
    if paced and all(a["reply_complete"] and not a.get("timeout") for a in paced):
        cpu = statistics.median(a["cpu_s"] for a in paced)
        rows.append(
            (
                name,
                f"{cpu:.2f} s",
                f"{paced_floor:.2f} s",
                f"{cpu / paced_floor:.1f}x" if paced_floor > 0 else "",
                _verdict(cpu <= BUDGET_PACED_CPU_S) + f" (<= {BUDGET_PACED_CPU_S} s)",
            )
        )
    else:
        rows.append((name, "never", f"{paced_floor:.2f} s", "", "FAIL"))

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
    for kind, prefix in (("plain", ""), ("markdown", "markdown_")):
        floors = ", ".join(_fmt(f["ms"]) for f in stream[prefix + "floors"])
        print(f"  {kind} httpx floors: {floors}")
        for i, a in enumerate(stream[prefix + "apps"], 1):
            print(
                f"  {kind} stream run {i}: {_fmt(a['ms'])} (first text "
                f"{_fmt(a['first_text_ms'])}, streaming off {_fmt(a['stream_off_ms'])}), "
                f"{a['frames']} frames, {a['stalls_over_50ms']} stalls > 50 ms, reply "
                f"complete {a['reply_complete']}, {a['lines_laid_out']} lines, "
                f"RSS {a['VmRSS']:.0f} MB"
            )
            keys_at = a["keys_at_ms"]
            spread = f"{keys_at[0]:.0f}-{keys_at[-1]:.0f} ms after Enter" if keys_at else "none"
            echoes_ms = ", ".join(f"{e:.0f}" for e in a["echo_ms"])
            stalls_ms = ", ".join(f"{ms:.0f} at {at:.0f}" for at, ms in a["stalls"])
            print(f"    {len(keys_at)} keys typed {spread}; echoes ms: {echoes_ms}")
            print(f"    stalls > 30 ms (ms at ms after Enter): {stalls_ms or 'none'}")
    paced_floors = ", ".join(
        f"{f['cpu_s']:.2f} s in {_fmt(f['ms'])}" for f in stream["paced_floors"]
    )
    print(f"  paced httpx floors (CPU): {paced_floors}; {stream['paced_delay']:.3f} s per delta")
    for i, a in enumerate(stream["paced_apps"], 1):
        print(
            f"  paced run {i}: CPU {a['cpu_s']:.2f} s in {_fmt(a['ms'])}, {a['frames']} frames, "
            f"reply complete {a['reply_complete']}, max stall {a['max_stall_ms']:.0f} ms"
        )
    big = launches["big"][0]
    print(
        f"  resumed: {big['messages']} messages, {big['lines_laid_out']} lines laid out, "
        f"scroll_y {big['scroll_y']:.0f} of max {big['max_scroll_y']}"
        + ("" if big["ok"] else f" (last message not on screen after {READY_TIMEOUT:.0f} s)")
    )


def _stream_rows(
    rows: list[tuple[str, ...]],
    name: str,
    apps: list[dict[str, Any]],
    floors: list[dict[str, Any]],
    budget: float,
) -> None:
    """The rows of one full-speed stream: its ratio to its own floor (median of per-run
    ratios), then the key echoes and the longest loop stall during it."""
    floor = statistics.median(f["ms"] for f in floors)
    if all(a["reply_complete"] and not a.get("timeout") for a in apps):
        paired = statistics.median(a["ms"] / f["ms"] for a, f in zip(apps, floors, strict=True))
        median = statistics.median(a["ms"] for a in apps)
        verdict = _verdict(paired <= budget) + f" (<= {budget}x)"
        rows.append((name, _fmt(median), _fmt(floor), f"{paired:.2f}x", verdict))
    else:
        rows.append((name, "never", _fmt(floor), "", f"FAIL (<= {budget}x)"))
    echoes = [e for a in apps for e in a["echo_ms"]]
    echo_max = max(echoes, default=float("inf"))
    echo_median = statistics.median(echoes) if echoes else float("inf")
    echo_verdict = _verdict(echo_max <= BUDGET_ECHO_MS) + f" (<= {BUDGET_ECHO_MS:.0f} ms)"
    if len(echoes) < MIN_KEYS:
        echo_verdict = f"FAIL (under {MIN_KEYS} keys: more --keys or --stream-runs)"
    rows.append(
        (
            f"   key echo during it ({len(echoes)} keys)",
            f"median {echo_median:.1f}, max {echo_max:.1f} ms",
            "",
            "",
            echo_verdict,
        )
    )
    stall = max(a["max_stall_ms"] for a in apps)
    rows.append(
        (
            "   longest event-loop stall during it",
            f"{stall:.1f} ms",
            "",
            "",
            _verdict(stall <= BUDGET_STALL_MS) + f" (<= {BUDGET_STALL_MS:.0f} ms)",
        )
    )


def _fmt(ms: float | None) -> str:
    return "never" if ms is None else f"{ms:.0f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
