"""Prices and alert thresholds per profile, as the usage report and budgets apply them.

Costs are computed when reported, never stored: a price change in config.toml (or a new
``price_multiplier``) re-prices the whole history. A profile no longer in the config is
priced from the bundled table and alerted at the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from claude_tui.pricing.price_table import ModelPrices, price_settings, prices_for
from claude_tui.profiles.profile import Profile
from claude_tui.usage.usage_buckets import UsageBucket

_DEFAULTS: dict[str, Any] = {field.name: field.default for field in fields(Profile)}
DEFAULT_ALERT_TOKENS = int(_DEFAULTS["alert_tokens"])
DEFAULT_ALERT_DAILY_USD = float(_DEFAULTS["alert_daily_usd"])


class PriceBook:
    """Prices a bucket with its profile's settings (cached per profile and model)."""

    def __init__(self, profiles: Mapping[str, Profile]) -> None:
        self.profiles = profiles
        self._prices: dict[tuple[str, str], ModelPrices | None] = {}

    def cost(self, bucket: UsageBucket) -> float | None:
        """USD for the bucket's replies, or None when its model's price is unknown."""
        key = (bucket.profile, bucket.model)
        if key not in self._prices:
            self._prices[key] = model_prices(self.profiles.get(bucket.profile), bucket.model)
        prices = self._prices[key]
        return prices.cost(bucket.usage()) if prices is not None else None

    def alert_tokens(self, profile: str) -> int:
        """The profile's ``alert_tokens`` (0: off)."""
        known = self.profiles.get(profile)
        return known.alert_tokens if known is not None else DEFAULT_ALERT_TOKENS

    def alert_daily_usd(self, profile: str) -> float:
        """The profile's ``alert_daily_usd`` (0: off)."""
        known = self.profiles.get(profile)
        return known.alert_daily_usd if known is not None else DEFAULT_ALERT_DAILY_USD


def model_prices(profile: Profile | None, model: str) -> ModelPrices | None:
    """A model's prices under a profile's ``price_multiplier`` / ``prices`` (the bundled
    table for no profile), as the app prices one reply."""
    return prices_for(model, **price_settings(profile))
