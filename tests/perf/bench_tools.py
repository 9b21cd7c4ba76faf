"""Benchmark: a tool round trip's client time must stay under 20 ms (issue 13's budget),
beyond the tool's own run and the model's reply.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    PYTHONPATH=.:tests python tests/perf/bench_tools.py [--runs 500]

It prints the median and 95th percentile of one round trip as the conversation makes it
(``offered`` for the request, ``describe``, ``approve`` from ``allowed_tools``, ``run``):

1. against an in-process stdio server that answers at once: each message is serialised to
   its JSON line and parsed again on both sides, as over a pipe, but no process switch, so
   what is measured is claude-tui's own client time (the budgeted figure);
2. against the stdio echo server as a real child process (adds the pipe and the server's
   own Python time);
3. against the echo server over streamable HTTP on loopback.

And that launch does not move: building the app with MCP servers configured imports
nothing of ``claude_tui.mcp`` (the host is made after the first frame).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from mcp_servers.echo_server import EchoServer, HttpEchoServer, options_from

from claude_tui.mcp import McpToolHost
from claude_tui.mcp.transport import Fail, Receive
from claude_tui.profiles import McpServerConfig, Profile

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "tests" / "mcp_servers" / "echo_server.py"
BUDGET_MS = 20.0


class InProcessStdio:
    """A transport whose server is the echo server's protocol in this process, answering
    on the next loop turn; messages go through JSON lines both ways as over stdio."""

    def __init__(self, config: McpServerConfig) -> None:
        self.server = EchoServer(options_from([]), lambda: None)
        self.receive: Receive = lambda value: None

    async def start(self, receive: Receive, fail: Fail) -> None:
        self.receive = receive

    async def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        answer = self.server.answer(json.loads(line))
        if answer is not None:
            back = json.dumps(answer).encode() + b"\n"
            asyncio.get_running_loop().call_soon(self.receive, json.loads(back))

    def negotiated(self, protocol_version: str) -> None:
        pass

    async def close(self) -> None:
        pass


async def round_trips(host: McpToolHost, server: str, runs: int) -> list[float]:
    profile = Profile(name="bench", allowed_tools=(f"{server}__echo",))
    await host.prepare(profile)
    times: list[float] = []
    for index in range(runs):
        started = time.perf_counter()
        await host.prepare(profile)
        offered = host.offered(profile)
        assert offered
        call = host.describe(f"{server}__echo", {"text": f"call {index}"})
        assert await host.approve(call, profile) == "always"
        outcome = await host.run(call, profile)
        times.append((time.perf_counter() - started) * 1000)
        assert outcome.content == f"call {index}", outcome
    await host.close()
    return times


def row(label: str, times: list[float], budget: float | None = None) -> None:
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    verdict = "" if budget is None else (" ok" if median <= budget else " OVER BUDGET")
    limit = f" (budget {budget:g} ms)" if budget is not None else ""
    print(f"{label:<52} median {median:7.3f} ms   p95 {p95:7.3f} ms{limit}{verdict}")


def launch_imports() -> list[str]:
    """``claude_tui.mcp`` modules loaded by building the app with a server configured."""
    script = (
        "import json, sys, tempfile, pathlib\n"
        "from claude_tui.profiles import load_config\n"
        "from claude_tui.ui.launch import build_app\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "(d / 'config.toml').write_text('[mcp_servers.echo]\\ncommand = \"true\"\\n')\n"
        "build_app(load_config(d / 'config.toml', {}), profile_name=None, model=None,\n"
        "          continue_latest=False, resume=None, system=None)\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('claude_tui.mcp')]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return list(json.loads(done.stdout))


async def main(runs: int) -> None:
    config = McpServerConfig(name="echo", command="in-process")
    in_process = McpToolHost({"echo": config}, transport_for=InProcessStdio)
    row(
        "1. round trip, in-process stdio server (client time)",
        await round_trips(in_process, "echo", runs),
        BUDGET_MS,
    )

    child = McpServerConfig(name="echo", command=sys.executable, args=(str(ECHO),))
    row(
        "2. round trip, stdio echo server (child process)",
        await round_trips(McpToolHost({"echo": child}), "echo", runs),
    )

    http = HttpEchoServer(options_from([])).start()
    try:
        remote = McpServerConfig(name="web", url=http.url)
        row(
            "3. round trip, streamable HTTP echo server (loopback)",
            await round_trips(McpToolHost({"web": remote}), "web", runs),
        )
    finally:
        http.stop()

    loaded = launch_imports()
    print(
        "4. launch with [mcp_servers] configured imports claude_tui.mcp: "
        + ("no (launch unchanged)" if not loaded else f"YES: {', '.join(loaded)}")
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    asyncio.run(main(parser.parse_args().runs))
