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

from claude_tui.chat_message import ChatMessage, Usage

PER_MILLION = 1_000_000


@dataclass(frozen=True)
class ModelPrices:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    cache_read: float

    def scaled(self, factor: float) -> ModelPrices:
        """These prices times ``factor``."""
        return ModelPrices(
            self.input * factor,
            self.output * factor,
            self.cache_write * factor,
            self.cache_read * factor,
        )

    def cost(self, usage: Usage) -> float:
        """USD for one usage record."""
        return (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_creation_input_tokens * self.cache_write
            + usage.cache_read_input_tokens * self.cache_read
        ) / PER_MILLION

    @classmethod
    def from_mapping(cls, data: Mapping[str, float]) -> ModelPrices:
        """Read ``{input, output, cache_write?, cache_read?}``; cache prices default to the
        API's usual ratios (1.25x and 0.1x input)."""
        base_input = float(data["input"])
        return cls(
            input=base_input,
            output=float(data["output"]),
            cache_write=float(data.get("cache_write", base_input * 1.25)),
            cache_read=float(data.get("cache_read", base_input * 0.1)),
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


def message_cost(
    message: ChatMessage, *, multiplier: float = 1.0, explicit: Mapping[str, float] | None = None
) -> float | None:
    """USD for one assistant message, or None when its model's price is unknown."""
    if message.role != "assistant" or message.usage is None:
        return None
    prices = prices_for(message.model, multiplier=multiplier, explicit=explicit)
    return prices.cost(message.usage) if prices else None


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
