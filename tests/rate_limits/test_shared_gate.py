"""The gate over the state file, with a fake clock: what it lets go, what it holds back,
and that two gates on one file (two processes) share one budget."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from claude_tui import paths
from claude_tui.profiles.profile import Profile
from claude_tui.rate_limits import SharedRateGate

GO = (0.0, "")


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def relay(**limits: int) -> Profile:
    return Profile(name="relay", base_url="http://127.0.0.1:9/", **limits)  # type: ignore[arg-type]


def gate(clock: FakeClock, path: Path | None = None) -> SharedRateGate:
    return SharedRateGate(path, clock=clock)


def test_rpm_lets_a_minutes_worth_go_then_holds_the_next_until_refilled() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(rpm=2)
    assert limiter.reserve(profile, 10) == GO
    assert limiter.reserve(profile, 10) == GO
    seconds, limit = limiter.reserve(profile, 10)
    assert limit == "rpm"
    assert seconds == pytest.approx(30.0)
    clock.now += 29.0
    assert limiter.reserve(profile, 10)[0] == pytest.approx(1.0)
    clock.now += 1.0
    assert limiter.reserve(profile, 10) == GO


def test_asking_while_waiting_takes_nothing() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(rpm=1)
    assert limiter.reserve(profile, 0) == GO
    for _ in range(5):  # the client asks about once a second
        clock.now += 1.0
        assert limiter.reserve(profile, 0)[1] == "rpm"
    clock.now += 55.0
    assert limiter.reserve(profile, 0) == GO
    assert limiter.reserve(profile, 0)[0] == pytest.approx(60.0)


def test_tpm_counts_the_estimated_input_and_then_the_output() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(tpm=120)  # 2 tokens a second
    assert limiter.reserve(profile, 100) == GO
    limiter.charge(profile, 40)  # the reply's output: 140 of 120 spent
    seconds, limit = limiter.reserve(profile, 10)
    assert limit == "tpm"
    assert seconds == pytest.approx((20 + 10) / 2)


def test_a_request_larger_than_tpm_waits_for_a_full_bucket_and_goes() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(tpm=600)
    assert limiter.reserve(profile, 300) == GO
    seconds, limit = limiter.reserve(profile, 5000)
    assert (limit, seconds) == ("tpm", pytest.approx(30.0))  # until full: never for ever
    clock.now += seconds
    assert limiter.reserve(profile, 5000) == GO


def test_the_longer_wait_names_the_limit() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(rpm=60, tpm=60)
    assert limiter.reserve(profile, 60) == GO
    seconds, limit = limiter.reserve(profile, 30)
    assert limit == "tpm"  # a request slot refills in 1 s, 30 tokens take 30 s
    assert seconds == pytest.approx(30.0)


def test_a_wait_takes_nothing_from_the_other_bucket() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(rpm=1, tpm=1000)
    assert limiter.reserve(profile, 100) == GO
    assert limiter.reserve(profile, 100)[1] == "rpm"
    assert limiter.reserve(profile, 100)[1] == "rpm"
    clock.now += 60.0
    assert limiter.reserve(profile, 900) == GO  # the held-back asks spent no tokens


def test_two_gates_on_one_file_share_the_budget() -> None:
    clock = FakeClock()
    first, second = gate(clock), gate(clock)  # as two processes would: each its own gate
    profile = relay(rpm=2)
    assert first.reserve(profile, 1) == GO
    assert second.reserve(profile, 1) == GO
    assert first.reserve(profile, 1)[1] == "rpm"
    assert second.reserve(profile, 1)[1] == "rpm"
    assert paths.rate_limits_file().is_file()


def test_buckets_are_keyed_by_name_and_base_url() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    profile = relay(rpm=1)
    assert limiter.reserve(profile, 1) == GO
    assert limiter.reserve(profile, 1)[1] == "rpm"
    assert limiter.reserve(profile.with_changes(base_url="http://127.0.0.1:10"), 1) == GO
    assert limiter.reserve(profile.with_changes(name="other"), 1) == GO
    # A trailing slash is the same endpoint.
    assert limiter.reserve(profile.with_changes(base_url="http://127.0.0.1:9"), 1)[1] == "rpm"


def test_a_profile_without_limits_goes_and_writes_nothing() -> None:
    limiter = gate(FakeClock())
    for _ in range(100):
        assert limiter.reserve(relay(), 10_000) == GO
        limiter.charge(relay(), 10_000)
    assert not paths.rate_limits_file().exists()


def test_the_file_keeps_only_buckets_still_refilling() -> None:
    clock = FakeClock()
    limiter = gate(clock)
    assert limiter.reserve(relay(rpm=10), 1) == GO
    clock.now += 61.0
    assert limiter.reserve(relay(rpm=10).with_changes(name="other"), 1) == GO
    state = json.loads(paths.rate_limits_file().read_text())
    assert list(state["buckets"]) == ["rpm other http://127.0.0.1:9"]


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff garbage",
        b'{"version": 1, "buckets": {"rpm relay http://127.0.0.1:9": {"capacity": 2, "lev',
        b'{"version": 1, "buckets": {"rpm relay http://127.0.0.1:9": {"level": "x"}}}',
        b'{"version": 1, "buckets": {"rpm relay http://127.0.0.1:9": '
        b'{"capacity": 2, "level": NaN, "updated": 1}}}',
        b"[1, 2, 3]",
        b"{" + b" " * 300_000 + b"}",
    ],
    ids=["binary", "torn", "wrong-type", "nan", "not-a-table", "huge"],
)
def test_a_damaged_file_starts_fresh_and_says_so(
    damage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = paths.rate_limits_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(damage)
    limiter = gate(FakeClock())
    with caplog.at_level(logging.WARNING, logger="claude_tui.rate_limits"):
        assert limiter.reserve(relay(rpm=1), 1) == GO
    assert "could not be read" in caplog.text
    # The write that followed left a good file: the limit holds again.
    assert json.loads(path.read_text())["version"] == 1
    assert limiter.reserve(relay(rpm=1), 1)[1] == "rpm"


def test_an_unusable_state_file_never_stops_a_send_and_counts_in_memory(
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = paths.rate_limits_file()
    path.mkdir(parents=True)  # a folder where the file should be: it cannot be opened
    limiter = gate(FakeClock())
    with caplog.at_level(logging.WARNING, logger="claude_tui.rate_limits"):
        assert limiter.reserve(relay(rpm=1), 1) == GO
        assert limiter.reserve(relay(rpm=1), 1)[1] == "rpm"  # still held within the process
        limiter.charge(relay(tpm=5), 10)
    assert caplog.text.count("counting in this process only") == 1


def test_a_fifo_at_the_path_does_not_hang_the_send(tmp_path: Path) -> None:
    fifo = tmp_path / "rate_limits.json"
    os.mkfifo(fifo)
    limiter = gate(FakeClock(), fifo)
    assert limiter.reserve(relay(rpm=1), 1) == GO
    assert limiter.reserve(relay(rpm=1), 1)[1] == "rpm"
