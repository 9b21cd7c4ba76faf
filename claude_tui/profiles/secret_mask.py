"""Keep keys out of anything a person or a file might see.

:func:`mask_key` is how a key is shown (``sk-ant-…7f3a``); :func:`redact` scrubs known
secrets out of text before it reaches logs, history, exports or error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "…"
_FULLY_MASKED = "••••"
_SHORTEST_PARTLY_SHOWN = 16
_PREFIX = re.compile(r"[A-Za-z]{2,4}-(?:[A-Za-z]{2,8}-)?")


def mask_key(key: str) -> str:
    """A recognisable but useless form of ``key``: vendor prefix, ellipsis, last 4 chars.

    Keys shorter than 16 characters become a fixed-width mask: showing part of a short key
    gives away too much of it, and a fixed width hides its length.
    """
    if len(key) < _SHORTEST_PARTLY_SHOWN:
        return _FULLY_MASKED
    match = _PREFIX.match(key)
    prefix = match.group(0) if match else ""
    # Never reveal more than a third of the key.
    prefix = prefix[: max(0, len(key) // 3 - 4)]
    return f"{prefix}{MASK}{key[-4:]}"


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every occurrence of each non-empty secret replaced by its mask."""
    unique = {secret for secret in secrets if secret}
    # Longest first, so a key that contains another key is replaced whole.
    for secret in sorted(unique, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, mask_key(secret))
    return text
