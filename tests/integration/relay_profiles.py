"""The profile a conversation test sends through: a demo relay in either API format."""

from __future__ import annotations

from typing import Any

from claude_tui.demo import DemoRelay
from claude_tui.profiles import Profile, profile_from_table


def relay_profile(relay: DemoRelay, api_format: str, **table: Any) -> Profile:
    """Profile ``relay`` for ``relay`` (no retries), with ``table``'s settings on top."""
    settings: dict[str, Any] = {
        "base_url": relay.base_url,
        "auth": "none",
        "model": "claude-demo",
        "max_retries": 0,
        "api_format": api_format,
    }
    settings.update(table)
    return profile_from_table("relay", settings)
