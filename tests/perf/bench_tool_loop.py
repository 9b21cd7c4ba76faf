"""Benchmark: the tool loop's own client time per round (issue 13's budget: a round trip adds at
most 20 ms beyond the tool's own run and the model's reply).

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    PYTHONPATH=.:tests python tests/perf/bench_tool_loop.py [--turns 50]

A conversation with an in-process tool host that answers at once (no MCP: that is measured by
the MCP benchmark) runs ``[demo:tool]`` turns against the demo relay on loopback. It prints the
median and worst of:

- ``loop``: from the round's last stream event to its call done: describing the call,
  approving and running it (both instant here), the events yielded;
- ``next reply``: from the call done to the next round's first event: saving the results
  message (fsync), building and sending the next request, plus its trip over loopback and the
  relay's own time to its first byte (an upper bound of the client's part);
- and, for comparison, a plain turn's time to its first event (the same trip without tools).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time

from integration.tool_hosts import StubHost

from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.tool_events import ToolCallChanged
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.demo import DemoRelay
from claude_tui.profiles import profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore


async def measure(turns: int, relay: DemoRelay) -> dict[str, list[float]]:
    profile = profile_from_table(
        "bench", {"base_url": relay.base_url, "auth": "none", "model": "claude-demo"}
    )
    pool = EndpointPool()
    figures: dict[str, list[float]] = {"loop": [], "next reply": [], "plain first event": []}
    try:
        for _ in range(turns):
            session = SessionStore().create(SessionSettings(profile="bench", model="claude-demo"))
            conversation = Conversation(session, profile, pool, TurnServices(tools=StubHost()))
            last_event = done = start = None
            first_after: float | None = None
            async with contextlib.aclosing(conversation.send("[demo:tool] go")) as replies:
                async for event, _message in replies:
                    now = time.perf_counter()
                    if isinstance(event, ToolCallChanged):
                        if event.state == "waiting" and last_event is not None:
                            start = last_event
                        if event.state == "done":
                            done = now
                        continue
                    if done is not None and start is not None and first_after is None:
                        first_after = now
                        figures["loop"].append((done - start) * 1000)
                        figures["next reply"].append((first_after - done) * 1000)
                    last_event = now
            plain = Conversation(session, profile, pool)
            began = time.perf_counter()
            async with contextlib.aclosing(plain.send("plain")) as replies:
                async for _event, _message in replies:
                    figures["plain first event"].append((time.perf_counter() - began) * 1000)
                    break
    finally:
        await pool.aclose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["CLAUDE_TUI_CONFIG_DIR"] = f"{home}/config"
        os.environ["CLAUDE_TUI_DATA_DIR"] = f"{home}/data"
        with DemoRelay() as relay:
            figures = asyncio.run(measure(args.turns, relay))
    for name, values in figures.items():
        print(
            f"{name:>18}: median {statistics.median(values):6.2f} ms, "
            f"worst {max(values):6.2f} ms ({len(values)} rounds)"
        )


if __name__ == "__main__":
    main()
