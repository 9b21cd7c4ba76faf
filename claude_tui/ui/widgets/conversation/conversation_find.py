"""Find in the conversation (Ctrl+F): where a query occurs, and its highlight on screen.

Matches are counted in the messages' own text (user text, reply text and thinking, folded
or not, laid out or not), so the count ("3/17") covers the whole conversation. On screen
the query is found again in the rendered lines, where markdown markers are gone, and
painted over them; only the lines being painted are looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from claude_tui.chat_message import ChatMessage

Part = Literal["thinking", "text"]


@dataclass(frozen=True, slots=True)
class FindMatch:
    """One occurrence: the message's index, the part it is in, and its number among the
    message's occurrences (thinking first, then the text, as the view shows them)."""

    message_index: int
    part: Part
    ordinal: int


def find_matches(messages: Sequence[ChatMessage], query: str) -> list[FindMatch]:
    """Every occurrence of ``query`` (ignoring case) in ``messages``, in reading order."""
    needle = query.lower()
    if not needle:
        return []
    matches: list[FindMatch] = []
    for index, message in enumerate(messages):
        ordinal = 0
        parts: list[tuple[Part, str]] = [("text", message.text)]
        if message.role == "assistant" and message.thinking_length:
            parts.insert(0, ("thinking", message.thinking_text))
        for part, text in parts:
            haystack = text.lower()
            start = haystack.find(needle)
            while start >= 0:
                matches.append(FindMatch(index, part, ordinal))
                ordinal += 1
                start = haystack.find(needle, start + len(needle))
    return matches


def occurrences(text: str, needle: str) -> list[int]:
    """Where ``needle`` (lower case) starts in ``text``, ignoring case; none when lowering
    changes the text's length (the offsets would not be the text's)."""
    haystack = text.lower()
    if len(haystack) != len(text):
        return []
    found: list[int] = []
    start = haystack.find(needle)
    while start >= 0 and needle:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found


def highlight(
    strip: Strip, needle: str, style: Style, current: int | None, current_style: Style
) -> Strip:
    """``strip`` with each occurrence of ``needle`` painted in ``style``; the one starting
    at character ``current`` (if any) in ``current_style``."""
    text = strip.text
    starts = occurrences(text, needle)
    if not starts:
        return strip
    cuts: list[int] = []
    for start in starts:
        cuts.extend((cell_len(text[:start]), cell_len(text[: start + len(needle)])))
    cuts.append(strip.cell_length)  # ``divide`` drops what follows the last cut
    pieces = strip.divide(cuts)
    segments: list[Segment] = []
    for number, piece in enumerate(pieces):
        if number % 2:  # odd pieces are the occurrences
            occurrence = starts[number // 2]
            over = current_style if occurrence == current else style
            segments.extend(Segment.apply_style(list(piece), post_style=over))
        else:
            segments.extend(piece)
    return Strip(segments, strip.cell_length)


def line_of_occurrence(lines: Sequence[Strip], needle: str, ordinal: int) -> tuple[int, int]:
    """The line and character where the ``ordinal``-th on-screen occurrence starts (the
    last one when there are fewer, ``(0, -1)`` when there is none)."""
    last = (0, -1)
    seen = 0
    for number, line in enumerate(lines):
        for start in occurrences(line.text, needle):
            last = (number, start)
            if seen == ordinal:
                return last
            seen += 1
    return last
