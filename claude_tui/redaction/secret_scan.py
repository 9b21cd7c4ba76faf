"""Find every secret in a text: the one entry point the composer and print mode call.

Each family of secret has its own module (shaped keys, named settings, card numbers);
this module runs shaped keys and card numbers in one scan of the text, the settings'
keyword search on a lower-cased copy, adds the profile's own keys and
settles overlaps, keeping the most specific kind (a bearer token that is an Anthropic key is
reported as the key).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .assignments import find_assigned_secrets, lowered_alike
from .card_numbers import CARD_SEEDS, card_number_at
from .provider_keys import SHAPED_KEYS, shaped_secret
from .secret_finding import SecretFinding

_ONE_PASS = re.compile(f"{SHAPED_KEYS}|{CARD_SEEDS}")
"""Shaped keys and card numbers in one scan: every alternative starts with a literal, so the
engine jumps between the few characters that can begin one."""

OWN_KEY_KIND = "profile-key"
SHORTEST_KEY_INSIDE_WORDS = 8
"""An own key this long is found anywhere; a shorter one only as a word of its own (as
:func:`claude_tui.profiles.secret_mask.redact` does for keys in messages)."""

_PRIORITY = {OWN_KEY_KIND: 0, "private-key": 1, "bearer-token": 8, "card-number": 9}
"""Which finding wins an overlap (lower first); provider kinds sit at 2, settings at 5."""
_SETTING_KINDS = frozenset({"password", "secret", "api-key", "token"})


def find_secrets(text: str, *, own_keys: Sequence[str] = ()) -> list[SecretFinding]:
    """The secrets in ``text``, in order, none overlapping another.

    ``own_keys`` are the keys this process knows (the profile's own): found by exact match,
    whatever they look like.
    """
    lowered = lowered_alike(text)
    found = [
        *_own_keys(text, own_keys),
        *_shaped_and_cards(text, lowered),
        *find_assigned_secrets(text, lowered),
    ]
    if len(found) < 2:
        return found
    found.sort(key=lambda f: (_rank(f.kind), f.start, -f.end))
    kept: list[SecretFinding] = []
    for finding in found:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    kept.sort()
    return kept


def _shaped_and_cards(text: str, lowered: str) -> Iterator[SecretFinding]:
    for match in _ONE_PASS.finditer(text):
        start, end = match.span()
        if text[start].isdigit():
            finding = card_number_at(text, lowered, start)
        else:
            finding = shaped_secret(text, start, end)
        if finding is not None:
            yield finding


def _rank(kind: str) -> int:
    if kind in _PRIORITY:
        return _PRIORITY[kind]
    return 5 if kind in _SETTING_KINDS else 2


def _own_keys(text: str, keys: Sequence[str]) -> Iterator[SecretFinding]:
    for key in {key for key in keys if key and key.strip()}:
        if key not in text:
            continue
        if len(key) >= SHORTEST_KEY_INSIDE_WORDS:
            position = text.find(key)
            while position != -1:
                yield SecretFinding(position, position + len(key), OWN_KEY_KIND)
                position = text.find(key, position + len(key))
        else:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])"
            for match in re.finditer(pattern, text):
                yield SecretFinding(match.start(), match.end(), OWN_KEY_KIND)
