"""Where a profile's key comes from, said without the key: for ``profiles list`` and the
profile manager alike."""

from __future__ import annotations

import os

from claude_tui.profiles.profile import Profile
from claude_tui.profiles.secret_mask import mask_key


def key_description(profile: Profile) -> str:
    """Where the key comes from, masked: never the key itself."""
    if profile.is_demo or not profile.needs_key:
        return "no key"
    if profile.api_key_command:
        return f"command `{profile.api_key_command}`"
    if profile.api_key_env:
        value = os.environ.get(profile.api_key_env)
        state = mask_key(value) if value else "NOT SET"
        return f"${profile.api_key_env} ({state})"
    if profile.api_key:
        return f"inline ({mask_key(profile.api_key)})"
    return "no key source"
