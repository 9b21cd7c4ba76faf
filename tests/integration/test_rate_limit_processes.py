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

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.rate_limits import BucketFile, SharedRateGate, TokenBucket, bucket_key

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


def test_a_waiting_process_sends_once_the_budget_refills(demo_relay: DemoRelay) -> None:
    relay_config(demo_relay.base_url, rpm=1)
    profile = load_config().profiles["relay"]
    # Another process has just spent the minute's one request.
    assert SharedRateGate().reserve(profile, 0) == (0.0, "")

    waiting = start_claude_tui("-p", "[demo:long=1] after the wait")
    assert waiting.stderr is not None and waiting.stdout is not None
    try:
        started = waiting.stderr.readline()
        assert started.startswith(WAITING), started
        assert reply_requests(demo_relay) == []
        # The minute runs out (the state as it will be a second before it does): the waiting
        # process, asking again about once a second, finds room and sends.
        BucketFile(paths.rate_limits_file()).update(
            lambda buckets: buckets.update(
                {bucket_key(profile, "rpm"): TokenBucket(1, 0.0, time.time() - 59)}
            )
        )
        # Read on through the same buffered pipes (communicate() would skip what they hold).
        out = waiting.stdout.read()
        rest = waiting.stderr.read()
        waiting.wait(timeout=60)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()
        waiting.stdout.close()
        waiting.stderr.close()
    assert waiting.returncode == 0, rest
    assert "You asked" in out
    # One line when the wait started and one when the request left, not one a second.
    notes = [line for line in rest.splitlines() if "rate limit" in line]
    assert len(notes) == 1 and notes[0].startswith(SENDING), rest
    assert notes[0].endswith("s, sending now")
    assert len(reply_requests(demo_relay)) == 1
