"""A relay's remaining balance: its billing pages (new-api / one-api, OpenRouter) or a command.

``await read_balance(profile)`` gives a :class:`BalanceReading` or raises a
:class:`BalanceError`; :func:`balance_source` says, without asking anything, whether a
profile has a balance to read. No Textual here: the CLI and the status bar both use it.
"""

from __future__ import annotations

from claude_tui.balance.balance_errors import (
    BalanceCommandError,
    BalanceError,
    BalanceFetchError,
    BalanceShapeMissingError,
    NoBalanceSourceError,
)
from claude_tui.balance.balance_reader import OFFICIAL_HOSTS, balance_source, read_balance
from claude_tui.balance.balance_reading import BalanceReading
from claude_tui.balance.source_memory import FoundSource, SourceMemory

__all__ = [
    "OFFICIAL_HOSTS",
    "BalanceCommandError",
    "BalanceError",
    "BalanceFetchError",
    "BalanceReading",
    "BalanceShapeMissingError",
    "FoundSource",
    "NoBalanceSourceError",
    "SourceMemory",
    "balance_source",
    "read_balance",
]
