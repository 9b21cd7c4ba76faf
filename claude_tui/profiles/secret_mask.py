"""Keep keys out of anything a person or a file might see.

:func:`mask_key` is how a key is shown (``sk-ant-…7f3a``); :func:`redact` scrubs known
secrets out of text before it reaches logs, history, exports or error messages;
:func:`masked_excerpt` turns output that may hold unknown secrets (a key command's stderr)
into a short line with every token-like word hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..terminal_text import safe_for_terminal

MASK = "…"
_FULLY_MASKED = "••••"
_SHORTEST_PARTLY_SHOWN = 16
_PREFIX = re.compile(r"[A-Za-z]{2,4}-(?:[A-Za-z]{2,8}-)?")
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-.+/=~:]{12,}|\b[A-Za-z]{2,4}-[A-Za-z0-9_\-.]{6,}")
"""Long runs of key characters, and anything shaped like ``sk-…``: what a key looks like."""
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]+[.:]?")
"""An ordinary word ("authentication"), kept even when long."""
HIDDEN = "••••"
SHORTEST_MASKED_INSIDE_WORDS = 8
"""Secrets at least this long are masked even inside words; see :func:`redact`."""
EXCERPT_LENGTH = 80


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
    """``text`` with each non-empty secret replaced by its mask wherever it could be read.

    The rule: a secret of :data:`SHORTEST_MASKED_INSIDE_WORDS` characters or more is masked
    everywhere it occurs; a shorter one only where it stands as a token of its own, with no
    letter or digit touching it on either side (``key=abc``, ``"abc"``, ``Bearer abc``). A
    short key inside a word ("k" in "check") says nothing about the key, and masking it
    there would make the message unreadable ("chec•••• the profile's base_url").
    """
    unique = {secret for secret in secrets if secret}
    # Longest first, so a key that contains another key is replaced whole.
    for secret in sorted(unique, key=len, reverse=True):
        if secret not in text:
            continue
        if len(secret) >= SHORTEST_MASKED_INSIDE_WORDS:
            text = text.replace(secret, mask_key(secret))
        else:
            # Letters and digits make a word; "_", "-", quotes and "=" separate tokens.
            standalone = re.compile(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])")
            text = standalone.sub(mask_key(secret).replace("\\", "\\\\"), text)
    return text


def masked_excerpt(
    text: str, secrets: Iterable[str | None] = (), limit: int = EXCERPT_LENGTH
) -> str:
    """One short line of ``text`` safe to show: known secrets and token-like words hidden.

    For output nobody vetted (a key command's stderr): whatever looks like a key, a token,
    a hash or base64 becomes ``••••``, control characters go, and the line is cut to
    ``limit`` characters. Still never persist it: a short secret can look like a word.
    """
    text = safe_for_terminal(redact(text, secrets))
    text = _TOKEN_LIKE.sub(_hide_token, " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _hide_token(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if _PLAIN_WORD.fullmatch(word) else HIDDEN
