"""Secrets that announce themselves by their shape: provider API keys, private key blocks
and JSON Web Tokens.

One combined pattern (with the card-number seeds, see :mod:`.secret_scan`) finds every
candidate in a single pass. Each of its alternatives
starts with a literal character, so the regular expression engine skips ahead to the few
characters that can begin one (``s``, ``A``, ``g``, ``x``, ``-``, ``e``) instead of trying
every alternative at every position; that is what keeps a 100 KB paste well under a
millisecond here. The checks a pattern cannot express (what stands before a key, whether a
key's body looks random, whether a JWT header is JSON naming an ``alg``) run in Python on
the rare candidates.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from .assignments import has_orderly_run
from .secret_finding import SecretFinding

SHAPED_KEYS = r"""(?x)
      sk-ant-[A-Za-z0-9_-]{20,}                      # Anthropic: sk-ant-api03-…, sk-ant-admin01-…
    | sk-[A-Za-z0-9_-]{20,}                          # OpenAI: sk-…, sk-proj-…, sk-svcacct-…
    | A(?:KIA|SIA)[A-Z0-9]{16}                       # AWS access key id (long-lived / temporary)
    | gh[opsur]_[A-Za-z0-9]{36}                      # GitHub OAuth / app / user / refresh tokens
    | github_pat_[A-Za-z0-9_]{22,}                   # GitHub fine-grained personal token
    | xox[abprs]-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+      # Slack bot, user, app… tokens
    | AIza[A-Za-z0-9_-]{35}                          # Google API key
    | -----BEGIN[ ](?:[A-Z0-9]+[ ])*PRIVATE[ ]KEY(?:[ ]BLOCK)?-----
    | eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*   # JWT: {"… . {"… . sig
"""
"""Every candidate, as alternatives that each start with a literal character (see the
module's docstring); :mod:`.secret_scan` joins it with the card-number seeds."""

_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
"""Characters a key is made of: one of them just before or after a match means the match
is part of a longer word (``task-…``, a hash), not a key."""

_PLACEHOLDER_WORDS = re.compile(r"(?i)example|your|here|xxxx|placeholder|redacted|dummy|fake")
"""Words that make a key-shaped string a documentation placeholder (``sk-your-key-here``,
AWS's own ``AKIAIOSFODNN7EXAMPLE``)."""

_PEM_END = re.compile(r"-----END[ ](?:[A-Z0-9]+[ ])*PRIVATE[ ]KEY(?:[ ]BLOCK)?-----")
_PEM_BODY_LINE = re.compile(r"[ \t]*([A-Za-z0-9+/=]{16,}|[A-Za-z-]+:.*|)[ \t]*\r?\n?")
"""A line inside a key block: base64, a ``Proc-Type:``-style header, or blank."""
_SHORTEST_PEM_BODY = 64
"""Base64 characters a key block needs to hold a key (even a small EC key has ~160)."""


def shaped_secret(text: str, start: int, end: int) -> SecretFinding | None:
    """The key, key block or JWT a candidate at ``text[start:end]`` is, if it is one."""
    if start > 0 and text[start - 1] in _KEY_CHARS:
        return None
    value = text[start:end]
    if value.startswith("-----BEGIN"):
        block_end = _pem_block_end(text, end)
        return None if block_end is None else SecretFinding(start, block_end, "private-key")
    if end < len(text) and text[end] in _KEY_CHARS:
        return None  # cut from a longer run: a hash or an identifier, not a key
    kind = _key_kind(value)
    return None if kind is None else SecretFinding(start, end, kind)


def _key_kind(value: str) -> str | None:
    """What a candidate (not a key block) is, or None when it only looks like one."""
    if _PLACEHOLDER_WORDS.search(value) or has_orderly_run(value):
        return None
    if value.startswith("eyJ"):
        return "jwt" if _is_jwt(value) else None
    if value.startswith("sk-"):
        # Key bodies are random base62/base64url: upper and lower case and digits. A
        # lower-case slug of the same length (``sk-learn-random-forest-tutorial``) is not.
        body = value[len("sk-ant-") :] if value.startswith("sk-ant-") else value[3:]
        if not _looks_random(body):
            return None
        return "anthropic-key" if value.startswith("sk-ant-") else "openai-key"
    if value.startswith(("AKIA", "ASIA")):
        return "aws-key" if any(c.isdigit() for c in value) else None
    if value.startswith(("gh", "github_pat_")):
        return "github-token" if _looks_random(value.split("_", 2)[-1]) else None
    if value.startswith("xox"):
        return "slack-token" if any(c.isdigit() for c in value) and len(value) >= 20 else None
    if value.startswith("AIza"):
        return "google-key" if _looks_random(value[4:]) else None
    return None


def _looks_random(body: str) -> bool:
    """True when ``body`` mixes upper case, lower case and digits, as generated keys do."""
    return (
        any(c.isdigit() for c in body)
        and any(c.islower() for c in body)
        and any(c.isupper() for c in body)
    )


def _is_jwt(value: str) -> bool:
    """True when the first part decodes to a JSON object naming an ``alg``: a JWT header."""
    header = value.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        parsed = json.loads(decoded)
    except (binascii.Error, ValueError):
        return False
    return isinstance(parsed, dict) and "alg" in parsed


def _pem_block_end(text: str, body_start: int) -> int | None:
    """Where a key block that begins just before ``body_start`` ends, or None when no key
    material follows the BEGIN line (a line of code that mentions the marker)."""
    ending = _PEM_END.search(text, body_start)
    if ending is not None:
        body = text[body_start : ending.start()]
        if sum(c.isalnum() or c in "+/=" for c in body) >= _SHORTEST_PEM_BODY:
            return ending.end()
        return None
    # No END line (a truncated paste): the block runs as long as lines look like its body,
    # and ends with its last line of key material.
    position = body_start
    material = 0
    last_material_end = body_start
    while position < len(text):
        line = _PEM_BODY_LINE.match(text, position)
        if line is None or line.end() == position:
            break
        if line.group(1):
            material += len(line.group(1))
            last_material_end = line.end(1)
        elif material:
            break  # a blank line after the key: what follows is the user's again
        position = line.end()
    return last_material_end if material >= _SHORTEST_PEM_BODY else None
