"""Cost of a reply from its usage: prices come from ``prices.json``, never from code.

A profile may scale them (``price_multiplier``, for relays that resell) or replace them
(explicit ``prices``). Unknown models cost ``None`` rather than a made-up number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claude_tui.chat_message import ChatMessage, Usage

if TYPE_CHECKING:
    from claude_tui.profiles.profile import Profile

PER_MILLION = 1_000_000


CACHE_WRITE_RATIO = 1.25
"""A 5-minute cache write costs this many times the input price (the API's pricing)."""
CACHE_WRITE_1H_RATIO = 2.0
"""A 1-hour cache write costs this many times the input price."""
CACHE_READ_RATIO = 0.1
"""A cache read costs this many times the input price."""


@dataclass(frozen=True)
class ModelPrices:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    """A prompt-cache write with the default 5-minute TTL."""
    cache_read: float
    cache_write_1h: float = 0.0
    """A prompt-cache write with ``ttl: "1h"``; 0 means the usual 2x input."""

    def __post_init__(self) -> None:
        if not self.cache_write_1h:
            object.__setattr__(self, "cache_write_1h", self.input * CACHE_WRITE_1H_RATIO)

    def scaled(self, factor: float) -> ModelPrices:
        """These prices times ``factor``."""
        return ModelPrices(
            self.input * factor,
            self.output * factor,
            self.cache_write * factor,
            self.cache_read * factor,
            self.cache_write_1h * factor,
        )

    def cost(self, usage: Usage) -> float:
        """USD for one usage record, cache writes and reads at their own prices."""
        one_hour = min(usage.cache_creation_1h_input_tokens, usage.cache_creation_input_tokens)
        return (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + (usage.cache_creation_input_tokens - one_hour) * self.cache_write
            + one_hour * self.cache_write_1h
            + usage.cache_read_input_tokens * self.cache_read
        ) / PER_MILLION

    def uncached_cost(self, usage: Usage) -> float:
        """USD the same reply would have cost without prompt caching: every prompt token,
        written or read, at the input price. The difference from :meth:`cost` is what
        caching saved (negative while writes have not yet been read back)."""
        return (
            usage.total_input_tokens * self.input + usage.output_tokens * self.output
        ) / PER_MILLION

    @classmethod
    def from_mapping(cls, data: Mapping[str, float]) -> ModelPrices:
        """Read ``{input, output, cache_write?, cache_read?, cache_write_1h?}``; cache prices
        default to the API's ratios (1.25x, 0.1x and 2x input)."""
        base_input = float(data["input"])
        return cls(
            input=base_input,
            output=float(data["output"]),
            cache_write=float(data.get("cache_write", base_input * CACHE_WRITE_RATIO)),
            cache_read=float(data.get("cache_read", base_input * CACHE_READ_RATIO)),
            cache_write_1h=float(data.get("cache_write_1h", base_input * CACHE_WRITE_1H_RATIO)),
        )


@cache
def bundled_prices() -> dict[str, ModelPrices]:
    """The package's price table, read once (beside this module: the package is always
    installed as files, and ``importlib.resources`` would add its import to every launch)."""
    text = Path(__file__).with_name("prices.json").read_text("utf-8")
    raw = json.loads(text)["models"]
    return {prefix: ModelPrices.from_mapping(entry) for prefix, entry in raw.items()}


def prices_for(
    model: str | None,
    *,
    multiplier: float = 1.0,
    explicit: Mapping[str, float] | None = None,
) -> ModelPrices | None:
    """Prices for ``model``: explicit ones win, else the longest matching prefix."""
    if explicit:
        return ModelPrices.from_mapping(explicit)
    if not model:
        return None
    name = model.lower().split("/")[-1]  # relays often prefix: "anthropic/claude-sonnet-4-5"
    table = bundled_prices()
    matches = [prefix for prefix in table if name.startswith(prefix)]
    if not matches:
        return None
    return table[max(matches, key=len)].scaled(multiplier)


def price_settings(profile: Profile | None) -> dict[str, Any]:
    """``profile``'s ``price_multiplier`` and ``prices`` as the keyword arguments of
    :func:`prices_for`, :func:`message_cost` and :func:`cache_saving` (none: the bundled
    table as it is)."""
    if profile is None:
        return {}
    explicit = profile.prices.to_toml_dict() if profile.prices else None
    return {"multiplier": profile.price_multiplier, "explicit": explicit}


def message_cost(
    message: ChatMessage, *, multiplier: float = 1.0, explicit: Mapping[str, float] | None = None
) -> float | None:
    """USD for one assistant message, or None when its model's price is unknown."""
    if message.role != "assistant" or message.usage is None:
        return None
    prices = prices_for(message.model, multiplier=multiplier, explicit=explicit)
    return prices.cost(message.usage) if prices else None


def cache_saving(
    message: ChatMessage, *, multiplier: float = 1.0, explicit: Mapping[str, float] | None = None
) -> float | None:
    """USD prompt caching saved on one assistant message against sending it uncached
    (negative for a reply that only wrote to the cache), or None when its price is unknown
    or the cache was not involved."""
    usage = message.usage
    if message.role != "assistant" or usage is None:
        return None
    if not (usage.cache_creation_input_tokens or usage.cache_read_input_tokens):
        return None
    prices = prices_for(message.model, multiplier=multiplier, explicit=explicit)
    return prices.uncached_cost(usage) - prices.cost(usage) if prices else None


def total_cost(
    messages: Iterable[ChatMessage],
    *,
    multiplier: float = 1.0,
    explicit: Mapping[str, float] | None = None,
) -> float:
    """USD for every priced assistant message (unknown models count as 0)."""
    total = 0.0
    for message in messages:
        cost = message_cost(message, multiplier=multiplier, explicit=explicit)
        total += cost or 0.0
    return total


def format_cost(usd: float | None) -> str:
    """ "$0.0123" style; more digits for tiny sums so a cheap reply is not "$0.00"."""
    if usd is None:
        return "–"
    if usd < 0.01:
        return f"${usd:.4f}"
    return f"${usd:.2f}"
