"""Per-profile spending limits: what a profile spent today and this month, the check a send
asks before it starts, and the status bar's "left" figure.

Spend is the priced usage of the saved replies made with the profile in the local calendar
day or month (see :mod:`claude_tui.usage.usage_history`). It is computed again whenever the
session indexes change (a reply saved here or in another process) and reused otherwise, so
the check is cheap before every send and the status bar can ask each second.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from claude_tui.conversation.turn_services import BudgetExceededError
from claude_tui.pricing.price_table import format_cost
from claude_tui.profiles.profile import Profile
from claude_tui.usage.price_book import PriceBook
from claude_tui.usage.usage_history import UsageHistory


@dataclass(frozen=True, slots=True)
class Spend:
    """USD spent on one profile in the local day and month."""

    today: float
    month: float


class BudgetLedger:
    """Spend per profile from the saved sessions, and the budget check built on it."""

    def __init__(
        self,
        history: UsageHistory | None = None,
        *,
        today: Callable[[], datetime.date] = datetime.date.today,
    ) -> None:
        self.history = history or UsageHistory()
        self._today = today
        # Profile -> (index stamp, month's first day, spend) it was computed under.
        self._spent: dict[Profile, tuple[object, datetime.date, Spend]] = {}

    def spend(self, profile: Profile) -> Spend:
        """What ``profile`` spent today and this month (fresh: every saved reply counts)."""
        today = self._today()
        stamp = self.history.stamp()
        cached = self._spent.get(profile)
        if cached is not None and cached[0] == stamp and cached[1] == today:
            return cached[2]
        spend = self._compute(profile, today)
        # The stamp after reading: the read itself may have repaired the usage index.
        self._spent[profile] = (self.history.stamp(), today, spend)
        return spend

    def check(self, profile: Profile) -> None:
        """Raise :class:`BudgetExceededError` when ``profile``'s daily or monthly limit is
        reached (a send would start past it); nothing when it has no limits."""
        if not (profile.daily_limit_usd or profile.monthly_limit_usd):
            return
        spend = self.spend(profile)
        for period, spent, limit, key in (
            ("daily", spend.today, profile.daily_limit_usd, "daily_limit_usd"),
            ("monthly", spend.month, profile.monthly_limit_usd, "monthly_limit_usd"),
        ):
            if limit and spent >= limit:
                when = "today" if period == "daily" else "this month"
                message = (
                    f"{profile.name} has spent {format_cost(spent)} {when}, which reaches "
                    f"its {period} limit of {format_cost(limit)}. To send anyway, raise "
                    f"{key} in "
                    f"[profiles.{profile.name}] of config.toml, or set it to 0 (no limit)."
                )
                raise BudgetExceededError(
                    message, profile=profile.name, period=period, spent=spent, limit=limit
                )

    def budget_left(self, profile: Profile) -> str:
        """``"$3.20 left today"`` or ``"$41.00 left this month"``, whichever is smaller;
        empty when the profile has no limit."""
        if not (profile.daily_limit_usd or profile.monthly_limit_usd):
            return ""
        spend = self.spend(profile)
        options: list[tuple[float, str]] = []
        if profile.daily_limit_usd:
            options.append((max(profile.daily_limit_usd - spend.today, 0.0), "today"))
        if profile.monthly_limit_usd:
            options.append((max(profile.monthly_limit_usd - spend.month, 0.0), "this month"))
        left, when = min(options, key=lambda option: option[0])
        if left <= 0:
            return f"budget spent {when}"  # sends are refused until it is raised or renews
        return f"{format_cost(left)} left {when}"

    def _compute(self, profile: Profile, today: datetime.date) -> Spend:
        first = today.replace(day=1)
        first_day, day = first.isoformat(), today.isoformat()
        book = PriceBook({profile.name: profile})
        month = spent_today = 0.0
        for buckets in self.history.sessions_since(first).values():
            for bucket in buckets:
                if bucket.profile != profile.name or not first_day <= bucket.day <= day:
                    continue
                cost = book.cost(bucket) or 0.0
                month += cost
                if bucket.day == day:
                    spent_today += cost
        return Spend(spent_today, month)
