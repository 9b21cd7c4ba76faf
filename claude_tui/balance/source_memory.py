"""What ``balance = "auto"`` found at each relay, so it asks each only once.

A small JSON file in the data folder: per profile, the base URL it was found at, the shape
that answered (``new-api`` or ``openrouter``, or ``none`` when neither did) and the exact URL
that answered. A later run asks only that URL, and never asks a relay where nothing
answered, until the profile's ``base_url`` changes. Read on every look-up (it is tiny) so
several claude-tui processes agree; written whole through ``write_atomic``. A damaged file
is the same as none: detection simply runs again.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Literal, NamedTuple

from claude_tui import paths
from claude_tui.atomic_write import write_atomic
from claude_tui.profiles.profile import Profile

FoundShape = Literal["new-api", "openrouter", "none"]
_SHAPES: tuple[FoundShape, ...] = ("new-api", "openrouter", "none")
_VERSION = 1


class FoundSource(NamedTuple):
    """What detection found at one base URL."""

    shape: FoundShape
    url: str = ""
    """The URL that answered (the subscription or credits page); empty for ``none``."""


class SourceMemory:
    """The remembered detection results, in ``path`` (the data folder's by default)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.balance_sources_file()

    def recall(self, profile: Profile) -> FoundSource | None:
        """What was found for ``profile`` at its current base URL; None: not asked yet."""
        entry = self._entries().get(profile.name)
        if not isinstance(entry, dict) or entry.get("base_url") != profile.base_url:
            return None
        shape, url = entry.get("shape"), entry.get("url", "")
        if shape not in _SHAPES or not isinstance(url, str):
            return None
        return FoundSource(shape, url)

    def remember(self, profile: Profile, found: FoundSource) -> None:
        """Keep ``found`` for ``profile`` (at its base URL). A file that cannot be written
        is skipped: detection then runs again next time, which is only slower."""
        entries = self._entries()
        entries[profile.name] = {
            "base_url": profile.base_url,
            "shape": found.shape,
            "url": found.url,
        }
        self._write(entries)

    def forget(self, profile: Profile) -> None:
        """Drop what was found for ``profile`` (its remembered page stopped answering)."""
        entries = self._entries()
        if entries.pop(profile.name, None) is not None:
            self._write(entries)

    def _entries(self) -> dict[str, object]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("version") != _VERSION:
            return {}
        entries = document.get("profiles")
        return dict(entries) if isinstance(entries, dict) else {}

    def _write(self, entries: dict[str, object]) -> None:
        text = json.dumps({"version": _VERSION, "profiles": entries}, indent=1, sort_keys=True)
        with contextlib.suppress(OSError):
            write_atomic(self.path, text + "\n")
