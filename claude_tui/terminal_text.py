"""Make text that came from outside (replies, server errors, profile names) safe to print.

A relay's reply, an error message or a profile name typed into ``config.toml`` may hold
terminal control sequences: a screen clear, a window-title change, an OSC 52 clipboard write,
a hyperlink that lies about its target. Written raw to a terminal they act instead of being
read. :func:`safe_for_terminal` removes every such sequence (7-bit ``ESC`` forms and 8-bit C1
forms, terminated by BEL or ST or not at all) and every other control character except
newline and tab; ordinary text, emoji and CJK pass unchanged.

Streamed text arrives in deltas and a sequence may be split between two of them, so
:class:`TerminalTextFilter` holds back an unfinished sequence at the end of a delta until the
next one says how it ends.

The rule for callers: everything from outside is filtered before it reaches a terminal;
``claude-tui -p`` writes the reply byte-exact only when stdout is not a terminal (a pipe or a
file), so scripts get exactly what the model said.
"""

from __future__ import annotations

import re

__all__ = ["TerminalTextFilter", "safe_for_terminal"]

_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b) [0-?]* [ -/]* (?P<csi_end>[@-~])?           # CSI: colours, cursor, clear
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])                   # OSC, DCS, SOS, PM, APC ...
      (?:[^\x07\x1b\x9c]|\x1b(?!\\))*                           # ... their payload ...
      (?P<string_end>\x07|\x1b\\|\x9c)?                         # ... up to BEL or ST
    | \x1b [ -/]* (?P<escape_end>[0-~])?                        # other ESC sequences (ESC c)
    """,
    re.VERBOSE | re.DOTALL,
)
"""Every control sequence; the ``*_end`` group is None when the sequence is unfinished."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline, DEL, and C1 controls."""

_HELD_BACK_LIMIT = 4096
"""Longest unfinished sequence a filter keeps whole; past it only its introducer is kept."""


def safe_for_terminal(text: str) -> str:
    """``text`` without control sequences or control characters (newline and tab stay).

    An unfinished sequence at the end (``ESC ]`` with no terminator) is removed to the end,
    as a terminal would have swallowed it.
    """
    if not _CONTROL.search(text):  # the common case: nothing to do, no copy
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


class TerminalTextFilter:
    """:func:`safe_for_terminal` for a stream: feed deltas, print what comes back.

    A sequence cut at the end of a delta is held back, so ``"\\x1b]0;ti"`` then
    ``"tle\\x07text"`` yields ``""`` then ``"text"``; call :meth:`flush` at the end of the
    stream (it drops an unfinished sequence, which a terminal would have swallowed).
    """

    def __init__(self) -> None:
        self._held = ""

    def feed(self, delta: str) -> str:
        """The printable part of ``delta`` (plus what was held back before it)."""
        text = self._held + delta if self._held else delta
        self._held = ""
        if not _CONTROL.search(text):
            return text
        sequences = list(_SEQUENCE.finditer(text))
        last = sequences[-1] if sequences else None
        if last is not None and last.end() == len(text) and _unfinished(last):
            held = text[last.start() :]
            self._held = held if len(held) <= _HELD_BACK_LIMIT else _introducer(held)
            text = text[: last.start()]
        return safe_for_terminal(text)

    def flush(self) -> str:
        """End of stream: forget an unfinished sequence; returns ``""``."""
        self._held = ""
        return ""


def _unfinished(match: re.Match[str]) -> bool:
    """A sequence that reaches the end of the text without its final character."""
    text = match.group(0)
    if text[0] == "\x9b" or text.startswith("\x1b["):
        return match.group("csi_end") is None
    if text[0] in "\x90\x98\x9d\x9e\x9f" or (len(text) > 1 and text[1] in "]PX^_"):
        return match.group("string_end") is None
    return match.group("escape_end") is None


def _introducer(sequence: str) -> str:
    """The part of an unfinished sequence that says what it is (``ESC ]``, ``\\x9d``)."""
    return sequence[:2] if sequence[0] == "\x1b" else sequence[:1]
