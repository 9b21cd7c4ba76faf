"""The state file under its lock: two processes drawing at once lose no update."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from claude_tui.rate_limits import BucketFile, TokenBucket

DRAWS = 300
CAPACITY = 100_000

# A child draws one request at a time, DRAWS times, with a clock that stands still (so the
# only change to the level is the draws), starting when the parent says go.
CHILD = f"""
import sys
from pathlib import Path
from claude_tui.profiles.profile import Profile
from claude_tui.rate_limits import SharedRateGate

gate = SharedRateGate(Path(sys.argv[1]), clock=lambda: 1000.0)
profile = Profile(name="relay", base_url="http://127.0.0.1:9", rpm={CAPACITY})
print("ready", flush=True)
sys.stdin.readline()
for _ in range({DRAWS}):
    assert gate.reserve(profile, 0) == (0.0, "")
print("done", flush=True)
"""


def test_two_processes_drawing_at_once_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "rate_limits.json"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:  # both start together
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "done\n"
            assert child.wait(timeout=60) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    state = json.loads(path.read_text())
    (bucket,) = state["buckets"].values()
    assert bucket["level"] == CAPACITY - 2 * DRAWS


def test_an_unchanged_state_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "rate_limits.json"
    store = BucketFile(path)
    store.update(lambda buckets: buckets.update(a=TokenBucket(1, 0, 5)))
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert store.update(lambda buckets: dict(buckets)) == {"a": TokenBucket(1, 0, 5)}
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
