"""Running a user's shell command for a secret-bearing answer (a key, a balance).

``api_key_command`` and ``balance_command`` run the same way: through the shell, stdin
closed (it must never read the terminal the UI owns), in a process group of its own so a
timeout kills everything it started, and stopped after a time limit. What the output means,
and what may be quoted of it, is each caller's business.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass


class ShellCommandError(Exception):
    """The command gave no answer: it could not be started or ran past its time. The text
    reads after the command's name: ``"… could not be started: No such file"``."""


@dataclass(frozen=True)
class CommandRun:
    """How the command ended and what it printed."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run_shell_command(command: str, *, timeout: float, keep_stderr: bool = True) -> CommandRun:
    """Run ``command`` through the shell; raise :class:`ShellCommandError` when it cannot
    start or does not finish within ``timeout`` seconds. ``keep_stderr=False`` discards its
    standard error (it may echo secrets and would never be shown)."""
    try:
        process = subprocess.Popen(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if keep_stderr else subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise ShellCommandError(f"could not be started: {error.strerror}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ShellCommandError(
            f"did not finish within {timeout:g} s; make sure it runs without asking for input"
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    return CommandRun(process.returncode, stdout, stderr or b"")


def exit_status(returncode: int) -> str:
    """``failed with exit code 3`` or ``was killed by signal 9``."""
    if returncode < 0:
        return f"was killed by signal {-returncode}"
    return f"failed with exit code {returncode}"


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and anything it spawned, then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=5)
