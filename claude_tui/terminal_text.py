"""Placeholder until the keys branch lands (replaced by its terminal_text)."""

from __future__ import annotations

import re

_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)|\x1b[@-Z\\-_]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
    re.DOTALL,
)


def safe_for_terminal(text: str) -> str:
    """``text`` without terminal control sequences or control characters."""
    return _SEQUENCES.sub("", text)
