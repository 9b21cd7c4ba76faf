"""``claude-tui profiles balance [NAME]``: what is left on each relay account.

One line per profile on stdout (``relay: 17.66 USD left (25.00 limit, 7.35 used)``); a
profile whose balance cannot be read gets its reason on stderr, and the exit code is then
1. Without a name, every profile with a balance source is asked, all at once.
"""

from __future__ import annotations

import asyncio
import sys

from claude_tui.balance import BalanceError, BalanceReading, balance_source, read_balance
from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from claude_tui.profiles import Config, Profile
from claude_tui.terminal_text import safe_for_terminal


def run_profile_balance(config: Config, name: str | None) -> int:
    """Print the balance of profile ``name`` (None: of every profile that has one)."""
    if name is not None:
        profiles = [config.profile(name)]
    else:
        profiles = [p for p in config.profiles.values() if balance_source(p) is not None]
        if not profiles:
            _complain(
                "no profile has a balance to read: set balance_command (or balance = "
                '"new-api" / "openrouter") in a [profiles.NAME] table of config.toml'
            )
            return EXIT_FAILURE
    results = asyncio.run(_read_all(profiles))
    code = EXIT_OK
    for profile, result in zip(profiles, results, strict=True):
        if isinstance(result, BalanceReading):
            print(safe_for_terminal(result.line()))
        else:
            _complain(f"{profile.name}: {result}")
            code = EXIT_FAILURE
    return code


async def _read_all(profiles: list[Profile]) -> list[BalanceReading | BalanceError]:
    async def one(profile: Profile) -> BalanceReading | BalanceError:
        try:
            return await read_balance(profile)
        except BalanceError as error:
            return error

    return list(await asyncio.gather(*(one(profile) for profile in profiles)))


def _complain(text: str) -> None:
    print(f"claude-tui: {safe_for_terminal(text)}", file=sys.stderr)
