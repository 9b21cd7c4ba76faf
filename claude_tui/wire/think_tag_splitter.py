"""Splits ``<think>…</think>`` reasoning out of streamed text, tags split across chunks.

Some OpenAI-format relays (DeepSeek-style models behind vLLM, Ollama...) put reasoning
inline in ``content``; the user should see it in the thinking viewer, not in the reply.

Such models follow ``</think>`` with a blank line (``<think>…</think>\n\nAnswer``); once the
tags are gone those line breaks would open the reply with blank lines (on screen and in
``claude-tui -p`` output). So the line breaks directly after a closing tag are dropped while
no reply text has been given out yet; later ones, between paragraphs, stay.
"""

from __future__ import annotations

from typing import Literal

Segment = tuple[Literal["thinking", "text"], str]

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


class ThinkTagSplitter:
    """Feed content pieces; get back ("thinking" | "text", piece) segments in order."""

    def __init__(self) -> None:
        self._in_think = False
        self._pending = ""  # a tail that may be the start of a tag
        self._text_started = False  # some reply text has been given out
        self._drop_line_breaks = False  # just after a </think> that came before any text

    def feed(self, chunk: str) -> list[Segment]:
        """Segments that are certain after this chunk; a possible partial tag waits."""
        text = self._pending + chunk
        self._pending = ""
        segments: list[Segment] = []
        while text:
            tag = CLOSE_TAG if self._in_think else OPEN_TAG
            position = text.find(tag)
            if position >= 0:
                if position:
                    self._give(segments, text[:position])
                text = text[position + len(tag) :]
                self._in_think = not self._in_think
                if not self._in_think and not self._text_started:
                    self._drop_line_breaks = True
                continue
            keep = _partial_tag_suffix(text, tag)
            if keep:
                self._pending = text[-keep:]
                text = text[:-keep]
            if text:
                self._give(segments, text)
            break
        return segments

    def flush(self) -> list[Segment]:
        """At end of stream, whatever was held back is plain content."""
        pending, self._pending = self._pending, ""
        segments: list[Segment] = []
        if pending:
            self._give(segments, pending)
        return segments

    def _give(self, segments: list[Segment], piece: str) -> None:
        """Add ``piece`` of the current kind, less the line breaks that follow a closing tag
        before any reply text."""
        kind = self._kind()
        if kind == "text":
            if self._drop_line_breaks:
                piece = piece.lstrip("\r\n")
                if not piece:
                    return
                self._drop_line_breaks = False
            self._text_started = True
        segments.append((kind, piece))

    def _kind(self) -> Literal["thinking", "text"]:
        return "thinking" if self._in_think else "text"


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
