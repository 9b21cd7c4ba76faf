"""The usage report: tokens and cost per day, profile and model over the last N days,
the cache share, and the days and replies past their profile's alerts.

What ``claude-tui usage`` prints (or writes as JSON) and the usage screen draws.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from claude_tui.profiles.profile import Profile
from claude_tui.usage.price_book import PriceBook
from claude_tui.usage.usage_buckets import UsageBucket, local_day
from claude_tui.usage.usage_history import UsageHistory

Grouping = Literal["day", "profile", "model"]
GROUPINGS: tuple[Grouping, ...] = ("day", "profile", "model")
MAX_FLAGGED_REPLIES = 50
"""The report names at most this many flagged replies (the largest)."""


@dataclass(slots=True)
class UsageTotals:
    """Token counts and cost of some replies."""

    replies: int = 0
    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0
    cost: float = 0.0
    unpriced: int = 0
    """Replies whose model has no known price (their cost counts as 0)."""

    def add(self, bucket: UsageBucket, cost: float | None) -> None:
        """Count a bucket priced at ``cost`` (None: unknown)."""
        self.replies += bucket.replies
        self.input += bucket.input
        self.output += bucket.output
        self.cache_read += bucket.cache_read
        self.cache_write += bucket.cache_write
        if cost is None:
            self.unpriced += bucket.replies
        else:
            self.cost += cost

    @property
    def prompt_tokens(self) -> int:
        """All input: uncached, read from the cache and written to it."""
        return self.input + self.cache_read + self.cache_write

    @property
    def tokens(self) -> int:
        """Every token, in and out."""
        return self.prompt_tokens + self.output

    @property
    def cache_share(self) -> float:
        """The share of all input read from the prompt cache (0 to 1)."""
        prompt = self.prompt_tokens
        return self.cache_read / prompt if prompt else 0.0

    def to_json(self) -> dict[str, Any]:
        """The figures for ``--json``."""
        return {
            "replies": self.replies,
            "input_tokens": self.input,
            "output_tokens": self.output,
            "cache_read_tokens": self.cache_read,
            "cache_write_tokens": self.cache_write,
            "cost_usd": round(self.cost, 6),
            "cache_share": round(self.cache_share, 4),
            "unpriced_replies": self.unpriced,
        }


@dataclass(frozen=True, slots=True)
class FlaggedDay:
    """A day whose cost on a profile passed its ``alert_daily_usd``."""

    day: str
    profile: str
    cost: float
    limit: float


@dataclass(frozen=True, slots=True)
class FlaggedReply:
    """A reply whose tokens passed its profile's ``alert_tokens``."""

    session_id: str
    message_id: str
    created: float
    profile: str
    model: str
    tokens: int
    limit: int

    @property
    def day(self) -> str:
        """The local day it was made."""
        return local_day(self.created)


@dataclass
class UsageReport:
    """Usage over the days from ``days[0]`` to ``days[-1]`` (local, both included)."""

    days: list[str]
    """Every day of the period, oldest first, including days without use."""
    per_day: dict[str, dict[str, UsageTotals]] = field(default_factory=dict)
    """Day -> profile -> totals (only days and profiles with use)."""
    by_profile: dict[str, UsageTotals] = field(default_factory=dict)
    by_model: dict[str, UsageTotals] = field(default_factory=dict)
    total: UsageTotals = field(default_factory=UsageTotals)
    flagged_days: list[FlaggedDay] = field(default_factory=list)
    flagged_replies: list[FlaggedReply] = field(default_factory=list)

    def day_total(self, day: str) -> UsageTotals:
        """All profiles' totals on one day."""
        total = UsageTotals()
        for totals in self.per_day.get(day, {}).values():
            _merge(total, totals)
        return total

    def rows(self, by: Grouping) -> list[tuple[str, UsageTotals]]:
        """The table's rows: every day of the period (oldest first), or the profiles or
        models with use (most expensive first)."""
        if by == "day":
            return [(day, self.day_total(day)) for day in self.days]
        groups = self.by_profile if by == "profile" else self.by_model
        return sorted(groups.items(), key=lambda item: (-item[1].cost, -item[1].tokens, item[0]))

    @property
    def profiles(self) -> list[str]:
        """The profiles with use, most expensive first (the order of a stacked bar)."""
        return [name for name, _ in self.rows("profile")]

    def flagged(self, day: str, profile: str) -> FlaggedDay | None:
        """The flag of one day on one profile, if it has one."""
        return next((f for f in self.flagged_days if f.day == day and f.profile == profile), None)

    def to_json(self, by: Grouping = "day") -> dict[str, Any]:
        """The report for ``claude-tui usage --json``."""
        return {
            "from": self.days[0] if self.days else None,
            "to": self.days[-1] if self.days else None,
            "by": by,
            "rows": [{by: label, **totals.to_json()} for label, totals in self.rows(by)],
            "days": {
                day: {profile: totals.to_json() for profile, totals in profiles.items()}
                for day, profiles in sorted(self.per_day.items())
            },
            "profiles": {name: totals.to_json() for name, totals in self.rows("profile")},
            "models": {name: totals.to_json() for name, totals in self.rows("model")},
            "total": self.total.to_json(),
            "flagged_days": [
                {"day": f.day, "profile": f.profile, "cost_usd": round(f.cost, 6),
                 "alert_daily_usd": f.limit}
                for f in self.flagged_days
            ],
            "flagged_replies": [
                {"session": f.session_id, "message": f.message_id, "day": f.day,
                 "created": f.created, "profile": f.profile, "model": f.model,
                 "tokens": f.tokens, "alert_tokens": f.limit}
                for f in self.flagged_replies
            ],
        }  # fmt: skip


def period(days: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The last ``days`` local days, ending today, oldest first."""
    today = today or datetime.date.today()
    return [today - datetime.timedelta(days=back) for back in range(max(days, 1) - 1, -1, -1)]


def build_report(
    history: UsageHistory,
    profiles: Mapping[str, Profile],
    *,
    days: int = 30,
    today: datetime.date | None = None,
) -> UsageReport:
    """The report of the last ``days`` days, priced with ``profiles``' settings."""
    dates = period(days, today)
    report = UsageReport(days=[day.isoformat() for day in dates])
    first, last = report.days[0], report.days[-1]
    book = PriceBook(profiles)
    # Sum the sessions' buckets per (day, profile, model) first: there are a few hundred
    # of those in a month, against one bucket or more per session.
    groups: dict[tuple[str, str, str], UsageBucket] = {}
    big: list[FlaggedReply] = []
    limits: dict[str, int] = {}
    for session_id, buckets in history.sessions_since(dates[0]).items():
        for bucket in buckets:
            day = bucket.day
            if day < first or day > last:
                continue  # before the period, or after today (a clock set back)
            key = (day, bucket.profile, bucket.model)
            group = groups.get(key)
            if group is None:
                groups[key] = group = UsageBucket(*key)
            group.replies += bucket.replies
            group.input += bucket.input
            group.output += bucket.output
            group.cache_read += bucket.cache_read
            group.cache_write += bucket.cache_write
            group.cache_write_1h += bucket.cache_write_1h
            limit = limits.get(bucket.profile)
            if limit is None:
                limit = limits[bucket.profile] = book.alert_tokens(bucket.profile)
            if limit and bucket.top and bucket.top[0].tokens > limit:
                big.extend(
                    FlaggedReply(
                        session_id, reply.message_id, reply.created, bucket.profile,
                        bucket.model, reply.tokens, limit,
                    )
                    for reply in bucket.top
                    if reply.tokens > limit
                )  # fmt: skip
    for (day, profile, model), group in sorted(groups.items()):
        cost = book.cost(group)
        report.per_day.setdefault(day, {}).setdefault(profile, UsageTotals()).add(group, cost)
        report.by_profile.setdefault(profile, UsageTotals()).add(group, cost)
        report.by_model.setdefault(model, UsageTotals()).add(group, cost)
        report.total.add(group, cost)
    for day in report.days:
        for profile, totals in report.per_day.get(day, {}).items():
            daily = book.alert_daily_usd(profile)
            if daily and totals.cost > daily:
                report.flagged_days.append(FlaggedDay(day, profile, totals.cost, daily))
    big.sort(key=lambda reply: (-reply.tokens, reply.created))
    report.flagged_replies = big[:MAX_FLAGGED_REPLIES]
    return report


def _merge(into: UsageTotals, other: UsageTotals) -> None:
    into.replies += other.replies
    into.input += other.input
    into.output += other.output
    into.cache_read += other.cache_read
    into.cache_write += other.cache_write
    into.cost += other.cost
    into.unpriced += other.unpriced
