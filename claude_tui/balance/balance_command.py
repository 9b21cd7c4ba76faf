"""Reading a balance from ``balance_command``, run the way ``api_key_command`` is.

Through the shell (users write pipelines such as ``curl … | jq .balance``), with stdin
closed so it can never read the terminal the TUI owns, in its own process group so a timeout
kills everything it started, and with a time limit. It prints a number (``12.5``) or a JSON
object ``{"balance": 12.5, "currency": "CNY"}`` (``limit`` and ``used`` may ride along).
Its output may hold secrets, so no message quotes it.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from claude_tui.balance.balance_errors import BalanceCommandError
from claude_tui.balance.balance_reading import BalanceReading
from claude_tui.profiles.key_source import DEFAULT_COMMAND_TIMEOUT
from claude_tui.profiles.profile import Profile
from claude_tui.shell_command import ShellCommandError, exit_status, run_shell_command

_RUN_IT_YOURSELF = "; run the command in a shell to see why"


async def read_command_balance(
    profile: Profile, *, timeout: float = DEFAULT_COMMAND_TIMEOUT
) -> BalanceReading:
    """Run the profile's ``balance_command`` off the event loop and read what it printed."""
    command = profile.balance_command
    if not command:
        raise BalanceCommandError(
            f'profile "{profile.name}" has no balance_command: set one in '
            f"[profiles.{profile.name}] of config.toml, or another balance source"
        )
    stdout = await asyncio.to_thread(_run, profile.name, command, timeout)
    return parse_command_output(profile, stdout)


def parse_command_output(profile: Profile, output: str) -> BalanceReading:
    """The reading in a command's standard output (a number, or a JSON object)."""
    what = f'balance_command of profile "{profile.name}"'
    text = output.strip()
    if not text:
        raise BalanceCommandError(f"{what} printed nothing on standard output{_RUN_IT_YOURSELF}")
    try:
        document: Any = json.loads(text)
    except ValueError:
        first_line = text.splitlines()[0].strip()
        try:
            document = json.loads(first_line)
        except ValueError:
            document = None
    if isinstance(document, dict):
        left = _finite(document.get("balance"))
        currency = document.get("currency")
        if left is not None and (currency is None or isinstance(currency, str)):
            label = (currency or "").strip() or profile.currency
            limit, used = _finite(document.get("limit")), _finite(document.get("used"))
            return BalanceReading(profile.name, left, label, "command", limit, used)
    else:
        left = _finite(document)
        if left is not None:
            return BalanceReading(profile.name, left, profile.currency, "command")
    raise BalanceCommandError(
        f'{what} printed neither a number nor a JSON object like {{"balance": 12.5, '
        '"currency": "USD"}; make it print one of those'
    )


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _run(profile_name: str, command: str, timeout: float) -> str:
    what = f'balance_command of profile "{profile_name}"'
    try:
        # stderr may echo secrets, and is never shown
        run = run_shell_command(command, timeout=timeout, keep_stderr=False)
    except ShellCommandError as error:
        raise BalanceCommandError(f"{what} {error}") from None
    if run.returncode != 0:
        raise BalanceCommandError(f"{what} {exit_status(run.returncode)}{_RUN_IT_YOURSELF}")
    return run.stdout.decode("utf-8", "replace")
