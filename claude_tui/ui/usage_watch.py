"""The app's view of money: the budget check before a send, the status bar's "left"
figure, the flag under a big reply, the once-a-day toast and the usage screen's report.

One per app, made at launch without loading the usage package: the ledger (which reads
the session indexes) is made the first time a figure is asked for, and profiles without
limits or alerts never ask.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from claude_tui.chat_message import ChatMessage
from claude_tui.pricing.price_table import format_cost
from claude_tui.profiles import Config, Profile
from claude_tui.sessions.session_store import SessionStore

if TYPE_CHECKING:
    from claude_tui.usage.budgets import BudgetLedger
    from claude_tui.usage.usage_report import UsageReport

USAGE_DAYS = 30
"""The days the usage screen shows."""


class UsageWatch:
    """Budgets and alerts for the profiles of ``config()``, from the sessions of ``store``."""

    def __init__(self, store: SessionStore, config: Callable[[], Config]) -> None:
        self.store = store
        self._config = config
        self._ledger: BudgetLedger | None = None
        self._alerted: set[tuple[str, str]] = set()  # (profile, day) toasted already

    @property
    def ledger(self) -> BudgetLedger:
        """Spend per profile (made on first use)."""
        if self._ledger is None:
            from claude_tui.usage.budgets import BudgetLedger
            from claude_tui.usage.usage_history import UsageHistory

            self._ledger = BudgetLedger(UsageHistory(self.store))
        return self._ledger

    def check_budget(self, profile: Profile) -> None:
        """``TurnServices.check_budget``: raise ``BudgetExceededError`` past a limit."""
        if profile.daily_limit_usd or profile.monthly_limit_usd:
            self.ledger.check(profile)

    def budget_left(self, profile: Profile) -> str:
        """The status bar's ``"$3.20 left today"``; empty without a limit."""
        if not (profile.daily_limit_usd or profile.monthly_limit_usd):
            return ""
        return self.ledger.budget_left(profile)

    def reply_alert(self, message: ChatMessage) -> str | None:
        """The flag under a reply whose tokens pass its profile's ``alert_tokens``."""
        usage = message.usage
        if usage is None or message.role != "assistant":
            return None
        from claude_tui.usage.price_book import DEFAULT_ALERT_TOKENS

        profile = self._config().profiles.get(message.profile or "")
        limit = profile.alert_tokens if profile is not None else DEFAULT_ALERT_TOKENS
        tokens = usage.total_input_tokens + usage.output_tokens
        if not limit or tokens <= limit:
            return None
        return f"⚑ {tokens:,} tokens, over alert_tokens ({limit:,})"

    def daily_alert(self, profile: Profile) -> str | None:
        """A toast's text the first time today's cost on ``profile`` passes its
        ``alert_daily_usd`` (once per profile and day); None otherwise."""
        if not profile.alert_daily_usd:
            return None
        day = datetime.date.today().isoformat()
        if (profile.name, day) in self._alerted:
            return None
        spent = self.ledger.spend(profile).today
        if spent <= profile.alert_daily_usd:
            return None
        self._alerted.add((profile.name, day))
        return (
            f"{profile.name} has cost {format_cost(spent)} today, past its alert_daily_usd "
            f"of {format_cost(profile.alert_daily_usd)}; /usage shows where it went."
        )

    def report(self, days: int = USAGE_DAYS) -> UsageReport:
        """The usage screen's report, priced with the profiles in force."""
        from claude_tui.usage.usage_report import build_report

        return build_report(self.ledger.history, self._config().profiles, days=days)
