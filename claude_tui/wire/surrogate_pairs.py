"""Rejoining emoji that a relay split across two deltas, so no event carries half a character.

JSON strings are UTF-16 underneath: a relay that cuts text by UTF-16 units can send
``"smile \\ud83d"`` and then ``"\\ude00 ok"``. Each delta then decodes to a string holding a lone
surrogate, which cannot be encoded as UTF-8 (saving the session fails) and shows as garbage.
:class:`SurrogateJoiner` holds back a trailing high surrogate until the next delta of the same
block, joins real pairs, and turns any surrogate left alone into U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")


def is_high_surrogate(char: str) -> bool:
    """Whether ``char`` is the first half of a UTF-16 surrogate pair."""
    return "\ud800" <= char <= "\udbff"


class SurrogateJoiner:
    """Per-stream state: one held-back high surrogate per block (``key``)."""

    def __init__(self) -> None:
        self._held: dict[Hashable, str] = {}

    def join(self, key: Hashable, text: str) -> str:
        """``text`` ready to emit: with the earlier held half prepended, pairs joined, lone
        halves replaced, and a trailing high surrogate kept back for the next delta."""
        if self._held:
            held = self._held.pop(key, "")
            text = held + text
        # The common case costs one C-level scan; only text with a surrogate goes further.
        if text.isascii() or _SURROGATE.search(text) is None:
            return text
        if is_high_surrogate(text[-1]):
            self._held[key] = text[-1]
            text = text[:-1]
        return repair(text)

    def flush(self, key: Hashable) -> str:
        """At the end of a block: U+FFFD for a half that never got its pair, else ``""``."""
        if self._held and self._held.pop(key, None) is not None:
            return REPLACEMENT
        return ""

    def held_keys(self) -> list[Hashable]:
        """Blocks that still hold half a pair."""
        return list(self._held)


def repair(text: str) -> str:
    """``text`` with surrogate pairs combined and lone surrogates replaced by U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
