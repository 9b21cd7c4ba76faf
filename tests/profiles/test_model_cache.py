"""The per-profile model list cache: freshness, base URL changes and damaged files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from claude_tui import paths
from claude_tui.profiles import Profile
from claude_tui.profiles.model_cache import (
    MODEL_CACHE_TTL,
    ModelCache,
    merge_model_ids,
    model_cache_file,
)

RELAY = Profile(name="relay", base_url="https://relay.example")


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_cache_file_is_in_the_data_folder() -> None:
    assert model_cache_file() == paths.data_dir() / "model_cache.json"


def test_put_then_get_round_trips_through_the_file() -> None:
    clock = Clock()
    ModelCache(clock=clock).put(RELAY, ["m1", "m2", "m1"])
    entry = ModelCache(clock=clock).get(RELAY)
    assert entry is not None
    assert entry.models == ("m1", "m2")
    assert entry.base_url == "https://relay.example"
    assert entry.fetched_at == clock.now
    assert stat.S_IMODE(model_cache_file().stat().st_mode) == 0o600


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache = ModelCache(clock=clock)
    cache.put(RELAY, ["m1"])
    clock.now += MODEL_CACHE_TTL - 1
    assert cache.get(RELAY) is not None
    clock.now += 1
    assert cache.get(RELAY) is None


def test_an_entry_from_another_base_url_is_ignored() -> None:
    cache = ModelCache()
    cache.put(RELAY, ["m1"])
    moved = RELAY.with_changes(base_url="https://other.example")
    assert cache.get(moved) is None
    assert cache.get(RELAY.with_changes(name="elsewhere")) is None


def test_entries_of_other_profiles_are_kept_and_forget_drops_one() -> None:
    cache = ModelCache()
    other = Profile(name="other", base_url="https://other.example")
    cache.put(RELAY, ["m1"])
    cache.put(other, ["o1"])
    cache.forget("relay")
    assert cache.get(RELAY) is None
    entry = cache.get(other)
    assert entry is not None and entry.models == ("o1",)
    cache.forget("never-cached")  # no error


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        "[]",
        '{"profiles": []}',
        '{"profiles": {"relay": "models"}}',
        '{"profiles": {"relay": {"models": [1], "base_url": "https://relay.example",'
        ' "fetched_at": 1}}}',
        '{"profiles": {"relay": {"models": ["m"], "base_url": "https://relay.example",'
        ' "fetched_at": "yesterday"}}}',
    ],
)
def test_a_corrupt_file_reads_as_empty_and_is_replaced_on_save(content: str) -> None:
    path = model_cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    cache = ModelCache()
    assert cache.get(RELAY) is None
    cache.put(RELAY, ["m1"])
    assert json.loads(path.read_text())["profiles"]["relay"]["models"] == ["m1"]


def test_undecodable_bytes_read_as_empty() -> None:
    path = model_cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert ModelCache().get(RELAY) is None


def test_a_bad_entry_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    clock = Clock()
    good = {"models": ["m1"], "base_url": RELAY.base_url, "fetched_at": clock.now}
    path.write_text(json.dumps({"profiles": {"relay": good, "broken": {"models": None}}}))
    entry = ModelCache(path, clock=clock).get(RELAY)
    assert entry is not None and entry.models == ("m1",)


def test_merge_keeps_first_occurrence_order_and_drops_blanks() -> None:
    assert merge_model_ids(["b", "a"], ["a", " ", "c"], ["b", "d"]) == ["b", "a", "c", "d"]
