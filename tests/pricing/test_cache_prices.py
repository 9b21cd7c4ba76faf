"""Costing at cache prices (pricing/price_table.py): 5-minute writes at 1.25x input, 1-hour
writes at 2x, reads at 0.1x, and the saving against the same replies sent uncached."""

from __future__ import annotations

import pytest

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.pricing.price_table import (
    ModelPrices,
    bundled_prices,
    cache_saving,
    message_cost,
    prices_for,
    total_cost,
)

MILLION = 1_000_000


def reply(usage: Usage, model: str = "claude-sonnet-4-5") -> ChatMessage:
    return ChatMessage(role="assistant", content=[], model=model, usage=usage)


def test_cache_writes_and_reads_cost_their_own_prices() -> None:
    prices = prices_for("claude-sonnet-4-5")
    assert prices is not None
    assert (prices.input, prices.cache_write, prices.cache_read) == (3.0, 3.75, 0.3)
    assert prices.cache_write_1h == pytest.approx(6.0)
    usage = Usage(
        input_tokens=MILLION,
        cache_creation_input_tokens=3 * MILLION,  # of which 1M with the 1-hour TTL
        cache_creation_1h_input_tokens=MILLION,
        cache_read_input_tokens=10 * MILLION,
    )
    assert prices.cost(usage) == pytest.approx(3.0 + 2 * 3.75 + 6.0 + 10 * 0.3)


def test_every_bundled_model_has_cache_prices_from_the_one_table() -> None:
    for prices in bundled_prices().values():
        assert prices.input < prices.cache_write <= prices.input * 1.25  # Haiku 3 rounds down
        assert prices.cache_write_1h == pytest.approx(prices.input * 2)
        assert 0 < prices.cache_read < prices.input


def test_explicit_prices_derive_the_cache_prices_from_input() -> None:
    prices = ModelPrices.from_mapping({"input": 2.0, "output": 8.0})
    assert (prices.cache_write, prices.cache_write_1h, prices.cache_read) == (2.5, 4.0, 0.2)
    assert prices.scaled(0.5).cache_write_1h == 2.0


def test_the_saving_is_against_the_same_replies_uncached() -> None:
    write = reply(Usage(input_tokens=10, cache_creation_input_tokens=MILLION, output_tokens=0))
    read = reply(Usage(input_tokens=10, cache_read_input_tokens=MILLION, output_tokens=0))
    # writing costs 0.25x input more than sending uncached; reading saves 0.9x
    assert cache_saving(write) == pytest.approx(-0.75)
    assert cache_saving(read) == pytest.approx(2.7)
    assert cache_saving(reply(Usage(input_tokens=5, output_tokens=5))) is None
    assert cache_saving(reply(Usage(cache_read_input_tokens=5), model="gpt-x")) is None
    assert total_cost([write, read]) == pytest.approx(
        message_cost(write) + message_cost(read)  # type: ignore[operator]
    )


def test_the_price_multiplier_scales_the_saving() -> None:
    read = reply(Usage(cache_read_input_tokens=MILLION))
    assert cache_saving(read, multiplier=2.0) == pytest.approx(5.4)
