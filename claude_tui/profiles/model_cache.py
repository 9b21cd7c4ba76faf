"""Remember each profile's ``/v1/models`` answer for a day, so pickers open instantly.

The cache is a small JSON file in the data folder, one entry per profile name holding the
model ids, the base URL they came from and when they were fetched. It is only a cache: a
corrupt or unreadable file reads as empty (and is replaced on the next save), an entry for a
profile whose base URL has since changed is ignored, and anything older than the TTL is stale.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..atomic_write import write_atomic
from .profile import Profile

MODEL_CACHE_TTL = 24 * 60 * 60.0
"""Seconds a fetched model list is trusted: relays add models rarely, users can refresh."""
CACHE_FILE_NAME = "model_cache.json"
_FORMAT_VERSION = 1


def model_cache_file() -> Path:
    """Where the cache lives: ``model_cache.json`` in the data folder."""
    return paths.model_cache_file()


@dataclass(frozen=True)
class CachedModels:
    """One profile's model list as last fetched."""

    models: tuple[str, ...]
    """Model ids in the order the endpoint listed them."""
    base_url: str
    """The endpoint they came from; a profile pointed elsewhere needs a fresh list."""
    fetched_at: float
    """Wall-clock time of the fetch (``time.time()``)."""


class ModelCache:
    """Read and write the model cache file; every call reads the file afresh (it is tiny)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        ttl: float = MODEL_CACHE_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path if path is not None else model_cache_file()
        self.ttl = ttl
        self._clock = clock

    def get(self, profile: Profile) -> CachedModels | None:
        """The fresh entry for ``profile`` (same name and base URL, within the TTL), else None."""
        entry = self._load().get(profile.name)
        if entry is None or entry.base_url != profile.base_url:
            return None
        age = self._clock() - entry.fetched_at
        if age < 0 or age >= self.ttl:
            return None
        return entry

    def put(self, profile: Profile, models: Iterable[str]) -> CachedModels:
        """Store ``models`` for ``profile`` now. Raises OSError if the file cannot be written."""
        entry = CachedModels(
            models=tuple(dict.fromkeys(models)),
            base_url=profile.base_url,
            fetched_at=self._clock(),
        )
        entries = self._load()
        entries[profile.name] = entry
        self._store(entries)
        return entry

    def forget(self, name: str) -> None:
        """Drop the entry for profile ``name`` (e.g. after it was deleted or renamed)."""
        entries = self._load()
        if entries.pop(name, None) is not None:
            self._store(entries)

    # --- the file ----------------------------------------------------------------------------

    def _load(self) -> dict[str, CachedModels]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing, unreadable or corrupt: start over
        profiles = raw.get("profiles") if isinstance(raw, dict) else None
        if not isinstance(profiles, dict):
            return {}
        entries: dict[str, CachedModels] = {}
        for name, item in profiles.items():
            entry = _entry_from_json(item)
            if entry is not None:
                entries[name] = entry
        return entries

    def _store(self, entries: dict[str, CachedModels]) -> None:
        document = {
            "version": _FORMAT_VERSION,
            "profiles": {
                name: {
                    "models": list(entry.models),
                    "base_url": entry.base_url,
                    "fetched_at": entry.fetched_at,
                }
                for name, entry in entries.items()
            },
        }
        write_atomic(self.path, json.dumps(document, indent=2) + "\n", mode=0o600)


def _entry_from_json(item: Any) -> CachedModels | None:
    """An entry from the file, or None when it is not in the expected shape."""
    if not isinstance(item, dict):
        return None
    models, base_url, fetched_at = item.get("models"), item.get("base_url"), item.get("fetched_at")
    if not isinstance(models, list) or not all(isinstance(m, str) and m for m in models):
        return None
    if not isinstance(base_url, str) or isinstance(fetched_at, bool):
        return None
    if not isinstance(fetched_at, int | float):
        return None
    return CachedModels(models=tuple(models), base_url=base_url, fetched_at=float(fetched_at))


def merge_model_ids(*lists: Iterable[str]) -> list[str]:
    """The ids of every list, first occurrence wins, blanks dropped: fetched, then manual."""
    merged: dict[str, None] = {}
    for ids in lists:
        for model_id in ids:
            if model_id.strip():
                merged.setdefault(model_id.strip(), None)
    return list(merged)
