"""The ``rpm`` budget held across processes: ``claude-tui -p`` runs, as a script calling it
in a loop would, against the demo relay over loopback, sharing one data folder.

What is measured is order and counts (what the relay received while a process waited, what
each said on stderr), never how long a wait took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from app_driving import reply_requests, write_config_file

from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.rate_limits import SharedRateGate

from .cli_process import run_claude_tui

WAITING = "claude-tui: rate limit (rpm): sending in "
SENDING = "claude-tui: rate limit: waited "


def relay_config(base_url: str, rpm: int) -> None:
    write_config_file(
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
auth = "none"
model = "claude-demo"
max_retries = 0
rpm = {rpm}
"""
    )


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a terminal's Ctrl+C finds it


def start_claude_tui(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claude_tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
        text=True,
        preexec_fn=_interruptible,
    )


def test_a_second_process_waits_for_the_budget_the_first_spent(demo_relay: DemoRelay) -> None:
    relay_config(demo_relay.base_url, rpm=1)
    first = run_claude_tui("-p", "[demo:long=1] the first of a loop")
    assert first.code == 0, first.stderr
    assert "rate limit" not in first.stderr  # a fresh budget: it went at once
    assert len(reply_requests(demo_relay)) == 1

    second = start_claude_tui("-p", "[demo:long=1] the second of a loop")
    assert second.stderr is not None
    try:
        line = second.stderr.readline()  # blocks until it says something (or ends)
        assert line.startswith(WAITING), line
        assert line.rstrip().endswith("s (Ctrl+C cancels)")
        assert len(reply_requests(demo_relay)) == 1  # held back: nothing sent
        second.send_signal(signal.SIGINT)
        rest = second.stderr.read()
        assert second.wait(timeout=30) == 130
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
        second.stderr.close()
        assert second.stdout is not None
        second.stdout.close()
    assert "Traceback" not in rest
    assert len(reply_requests(demo_relay)) == 1  # cancelled before anything left


def test_a_process_waits_out_the_rest_of_the_minute_then_sends(demo_relay: DemoRelay) -> None:
    relay_config(demo_relay.base_url, rpm=1)
    # Another process spent the minute's one request 58 s ago: two seconds are left.
    spent_at = time.time() - 58
    SharedRateGate(clock=lambda: spent_at).reserve(load_config().profiles["relay"], 0)

    run = run_claude_tui("-p", "[demo:long=1] after the wait")
    assert run.code == 0, run.stderr
    assert "You asked" in run.stdout
    lines = run.stderr.splitlines()
    # One line when the wait starts and one when the request leaves, not one a second.
    started, ended = (line for line in lines if "rate limit" in line)
    assert started.startswith(WAITING)
    assert ended.startswith(SENDING) and ended.endswith("s, sending now")
    assert len(reply_requests(demo_relay)) == 1
