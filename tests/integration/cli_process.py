"""Run the real ``claude-tui`` command in a child process, as a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Run:
    """What one ``claude-tui`` process did."""

    code: int
    stdout: str
    stderr: str


def run_claude_tui(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
    """``python -m claude_tui ARGS`` with the test's folders (from the environment the
    autouse fixture set) plus ``env``; stdin is empty unless given."""
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Run(result.returncode, result.stdout, result.stderr)
