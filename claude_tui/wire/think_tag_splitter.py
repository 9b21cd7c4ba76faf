"""Splits ``<think>…</think>`` reasoning out of streamed text, tags split across chunks.

Some OpenAI-format relays (DeepSeek-style models behind vLLM, Ollama...) put reasoning
inline in ``content``; the user should see it in the thinking viewer, not in the reply.
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
                    segments.append((self._kind(), text[:position]))
                text = text[position + len(tag) :]
                self._in_think = not self._in_think
                continue
            keep = _partial_tag_suffix(text, tag)
            if keep:
                self._pending = text[-keep:]
                text = text[:-keep]
            if text:
                segments.append((self._kind(), text))
            break
        return segments

    def flush(self) -> list[Segment]:
        """At end of stream, whatever was held back is plain content."""
        pending, self._pending = self._pending, ""
        return [(self._kind(), pending)] if pending else []

    def _kind(self) -> Literal["thinking", "text"]:
        return "thinking" if self._in_think else "text"


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
