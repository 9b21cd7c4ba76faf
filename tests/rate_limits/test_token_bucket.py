"""The bucket arithmetic with plain numbers: capacity per minute, refilled continuously."""

from __future__ import annotations

import pytest

from claude_tui.rate_limits import TokenBucket


def test_a_fresh_bucket_allows_a_minutes_worth_at_once() -> None:
    bucket = TokenBucket.full(2, now=100.0)
    assert bucket.wait_for(1) == 0.0
    bucket = bucket.taken(1)
    assert bucket.wait_for(1) == 0.0
    bucket = bucket.taken(1)
    assert bucket.wait_for(1) == pytest.approx(30.0)  # 2 per minute: one every 30 s


def test_it_refills_continuously_at_capacity_per_minute() -> None:
    empty = TokenBucket(capacity=2, level=0.0, updated=100.0)
    assert empty.refilled(115.0).level == pytest.approx(0.5)
    assert empty.refilled(115.0).wait_for(1) == pytest.approx(15.0)
    assert empty.refilled(130.0).wait_for(1) == 0.0


def test_it_never_refills_past_its_capacity() -> None:
    bucket = TokenBucket(capacity=60, level=10.0, updated=0.0)
    assert bucket.refilled(3600.0).level == 60
    assert bucket.refilled(3600.0).is_full(3600.0)


def test_a_clock_set_back_refills_nothing_and_counts_from_then() -> None:
    bucket = TokenBucket(capacity=60, level=0.0, updated=1000.0)
    earlier = bucket.refilled(400.0)
    assert earlier.level == 0.0
    assert earlier.updated == 400.0
    assert earlier.refilled(401.0).level == pytest.approx(1.0)


def test_a_request_larger_than_the_bucket_waits_for_a_full_one_then_goes() -> None:
    half = TokenBucket(capacity=100, level=50.0, updated=0.0)
    assert half.wait_for(500) == pytest.approx(30.0)  # until full, not for ever
    full = half.refilled(30.0)
    assert full.wait_for(500) == 0.0
    after = full.taken(500)
    assert after.level == pytest.approx(-400.0)  # the debt holds the next request back
    assert after.wait_for(10) == pytest.approx(410 / (100 / 60))


def test_a_lowered_setting_caps_the_level_at_the_new_capacity() -> None:
    bucket = TokenBucket(capacity=100, level=100.0, updated=0.0)
    lowered = bucket.refilled(1.0, capacity=10)
    assert lowered.capacity == 10
    assert lowered.level == 10


def test_float_dust_does_not_make_a_request_wait() -> None:
    # Refilled in thirds, a level meant to be 1.0 can end a hair under it.
    assert TokenBucket(3, 1 - 1e-12, 0.0).wait_for(1) == 0.0
