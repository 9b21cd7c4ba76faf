"""Reading and writing the JSON lines of session files and the index, so that no line can
crash, hang or poison a reader.

Every reader of the sessions folder goes through here: session replay, the listing index
and the text search. A line that does not decode (torn, malformed, nested so deeply that the
standard library raises ``RecursionError``) decodes to ``None`` for the caller to skip. A
lone UTF-16 surrogate (half of an emoji that a relay split across two stream deltas) is
replaced with U+FFFD both when a record is written and when one is read, so a session that
already holds ``\\ud83d`` escapes loads, shows, exports and is sent again without a
``UnicodeEncodeError``. Files are opened without blocking and read only when they are regular
files: a FIFO, device or folder in the sessions folder is reported, never read or modified.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

MAX_DEPTH = 200
"""Deepest nesting of lists and objects a record may have. Real records nest a handful of
levels (tool inputs a few more); anything deeper is damage, and would overflow the stack of
every later ``json.dumps`` or ``copy.deepcopy`` of it."""

_SURROGATE_ESCAPES = (b"\\ud", b"\\uD")
"""How a surrogate is spelled in JSON; lines without it cannot decode to one."""


# --- text ----------------------------------------------------------------------------------


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD; an adjacent high and low
    surrogate (an emoji whose halves arrived apart) becomes the character they spell."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def cleaned(value: object, *, repair: bool = True, max_depth: int | None = MAX_DEPTH) -> object:
    """Decoded JSON with every string (keys too) without lone surrogates (when ``repair``),
    checked to nest no deeper than ``max_depth`` (``ValueError`` otherwise; None: no limit).

    Containers are fixed in place; returns the value (a new one only for a bare string).
    Iterative, so that no depth can overflow the stack.
    """
    return _walk(value, repair=repair, max_depth=max_depth)


def may_hold_surrogates(raw: bytes) -> bool:
    """Whether JSON text could decode to a surrogate (it spells one as an escape)."""
    return any(escape in raw for escape in _SURROGATE_ESCAPES)


def _walk(value: object, *, repair: bool, max_depth: int | None = MAX_DEPTH) -> object:
    if isinstance(value, str):
        return without_lone_surrogates(value) if repair else value
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if max_depth is not None and depth > max_depth:
            raise ValueError(f"nested more than {max_depth} levels deep")
        if isinstance(node, list):
            for position, item in enumerate(node):
                if isinstance(item, str):
                    if repair:
                        node[position] = without_lone_surrogates(item)
                elif isinstance(item, (list, dict)):
                    stack.append((item, depth + 1))
        elif isinstance(node, dict):
            if repair and any(without_lone_surrogates(key) != key for key in node):
                items = list(node.items())
                node.clear()
                node.update((without_lone_surrogates(key), item) for key, item in items)
            for key, item in node.items():
                if isinstance(item, str):
                    if repair:
                        node[key] = without_lone_surrogates(item)
                elif isinstance(item, (list, dict)):
                    stack.append((item, depth + 1))
    return value


# --- lines ---------------------------------------------------------------------------------


def decode_line(raw: bytes, *, repair: bool = True) -> object | None:
    """One JSON line decoded, or None when it cannot be used (torn, malformed, too deep).

    Never raises: the standard library raises ``RecursionError`` on deep nesting, which
    would otherwise take down every listing that meets such a line. ``repair=False``
    leaves lone surrogates for the caller to repair once it has joined texts (the two
    halves of an emoji may sit in two records).
    """
    try:
        value: object = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return checked(value, raw, repair=repair)


def checked(value: object, raw: bytes, *, repair: bool = True) -> object | None:
    """``value`` (decoded from ``raw``) repaired and depth-checked, or None if too deep.

    The walk only runs when the raw bytes could hold a surrogate escape or deep nesting,
    so ordinary lines cost two byte scans.
    """
    repair = repair and may_hold_surrogates(raw)
    deep = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    if not (repair or deep):
        return value
    try:
        return _walk(value, repair=repair)
    except ValueError:
        return None


def encode_line(record: Mapping[str, object]) -> str:
    """One record as a newline-terminated JSON line: compact, UTF-8 kept readable, and with
    any lone surrogate replaced (it cannot be written as UTF-8 and, escaped, would load back
    as the same broken text)."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return without_lone_surrogates(text) + "\n"
