"""Splits a markdown reply into top-level blocks, incrementally, as it streams in.

The conversation view renders each block once and caches it; only the last (open) block is
re-parsed while a reply streams. For that to be cheap, block boundaries must be decidable
from the text already received and, once decided, never move: an earlier block's text never
changes after a later block starts.

The rules, applied line by line (a line counts once its newline has arrived):

- A fence line (```` ``` ```` or ``~~~``, three or more, indented at most three spaces)
  starts a code block. It ends at a line of the same character, at least as long, with
  nothing after it but spaces (CommonMark). An unterminated fence runs to the end.
- A fence indented two or more spaces inside a list stays in the markdown chunk: it belongs
  to a list item and Rich renders it there.
- Markdown between code blocks is split into chunks at blank lines, except before an
  indented line (a list item's continuation, indented code), before a list item when the
  chunk holds a list (a loose list stays whole), and before a ``|`` row right after a table
  row. A GFM table ends at a blank line, so a chunk never ends inside one.
- Blank lines between blocks belong to no block; the view puts one blank line between
  consecutive blocks, as Rich does between paragraphs.

A chunk boundary is taken as soon as the first characters of the next line decide it (a
paragraph is often one long line). A trailing line still arriving that may turn out to be a
fence is held back until its newline, so a fence never flashes up as text or code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["markdown", "code"]

_FENCE_OPEN = re.compile(r"(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_LIST_MARKER = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
# A trailing partial line that could still grow into a fence: some spaces, then a run of one
# fence character, then (once the run reaches three) anything - the info string.
_FENCE_PREFIX = re.compile(r" *(?:`{1,2}|~{1,2}|`{3,}.*|~{3,}.*)")

# An unfinished line that may still become a list marker.
_MARKER_PREFIX = re.compile(r"[-+*]|\d{1,9}[.)]?")

# Indented at least this much inside a list, a fence belongs to a list item.
_NESTED_FENCE_INDENT = 2
# Indented more than this outside a list, a fence line is indented code, not a fence.
_MAX_FENCE_INDENT = 3


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level piece of a reply: a markdown chunk or a fenced code block.

    ``text`` is the markdown source of the chunk, or the code between the fences (without
    the fence lines, without a final newline) - exactly what a copy button should copy.
    ``language`` is the first word of the fence's info string, or None. ``closed`` is True
    once the block's text is final; only the last block of a streaming reply can be open.
    """

    kind: BlockKind
    text: str
    language: str | None = None
    closed: bool = True
    list_last_number: int | None = None
    """For a group of an open ordered list (see ``open_list``): the number whose width the
    whole list pads its numbers to. None everywhere else."""


def estimated_height(block: Block, width: int) -> int:
    """Lines a block will take once rendered, near enough to hold its place meanwhile."""
    if block.kind == "code":
        return 1 + sum(
            max(1, -(-len(line) // max(width - 2, 1))) for line in block.text.split("\n")
        )
    return sum(max(1, -(-len(line) // max(width, 1))) for line in block.text.split("\n"))


@dataclass(frozen=True, slots=True)
class _Fence:
    char: str
    length: int
    indent: int
    language: str | None


def _parse_fence(line: str) -> _Fence | None:
    """The fence that ``line`` opens, at any indentation, or None."""
    match = _FENCE_OPEN.fullmatch(line)
    if match is None:
        return None
    fence, info = match["fence"], match["info"]
    if fence[0] == "`" and "`" in info:
        return None  # CommonMark: a backtick fence's info string has no backtick
    words = info.split()
    return _Fence(fence[0], len(fence), len(match["indent"]), words[0] if words else None)


def _closes(line: str, char: str, length: int, max_indent: int | None) -> bool:
    """True if ``line`` closes a fence of ``length`` × ``char``."""
    stripped = line.lstrip(" ")
    if max_indent is not None and len(line) - len(stripped) > max_indent:
        return False
    body = stripped.rstrip(" \t")
    return len(body) >= length and body == char * len(body)


def _is_blank(line: str) -> bool:
    return not line.strip()


class IncrementalBlockSplitter:
    """Splits streamed markdown into blocks; each ``append`` costs O(delta + open block).

    Feed text deltas with :meth:`append` and read :attr:`blocks`; call :meth:`finish` when
    the stream ends. For any way of cutting a text into deltas, the blocks are the same as
    ``split_blocks(text)``. Only the open block's lines are kept: the text of closed blocks
    is never looked at again.
    """

    def __init__(self) -> None:
        self._closed: list[Block] = []
        self._state: Literal["between", "markdown", "code"] = "between"
        self._lines: list[str] = []  # complete lines of the open block
        self._partial = ""  # the trailing line, its newline not yet received
        self._finished = False
        # markdown chunk state
        self._blank_run = 0  # blank lines at the end of ``_lines``
        self._in_list = False  # the chunk has a list item
        self._in_table = False  # the chunk's last line is a table row
        self._nested_fence: tuple[str, int] | None = None
        # code block state
        self._fence: _Fence | None = None
        self._open_block: Block | None = None
        self._open_block_stale = False

    @property
    def closed_blocks(self) -> Sequence[Block]:
        """The blocks that are final, in order. Grows; earlier entries never change."""
        return self._closed

    @property
    def open_block(self) -> Block | None:
        """The last block while its text may still grow, or None."""
        if self._open_block_stale:
            self._open_block = self._build_open_block()
            self._open_block_stale = False
        return self._open_block

    @property
    def blocks(self) -> list[Block]:
        """All blocks so far: the closed ones, then the open one if there is one."""
        open_block = self.open_block
        return [*self._closed, open_block] if open_block else list(self._closed)

    @property
    def finished(self) -> bool:
        """True once :meth:`finish` has been called."""
        return self._finished

    def append(self, delta: str) -> None:
        """Add the next piece of the reply."""
        if self._finished:
            raise RuntimeError("append() after finish(): the reply is complete")
        if not delta:
            return
        self._open_block_stale = True
        if "\n" in delta:
            lines = (self._partial + delta).split("\n")
            self._partial = lines.pop()
            for line in lines:
                self._feed_line(line.removesuffix("\r"))
        else:
            self._partial += delta
        if self._blank_run and self._split_is_certain(self._partial):
            # A reply's paragraph is often one long line: close the previous chunk as soon
            # as the new line's first characters decide it, not when the line ends.
            self._close_open_block()

    def finish(self) -> None:
        """End of stream: the last line is complete and every block is final.

        An unterminated code fence becomes a closed block too: its text will not grow.
        """
        if self._finished:
            return
        if self._partial:
            partial, self._partial = self._partial, ""
            self._feed_line(partial.removesuffix("\r"))
        self._close_open_block()
        self._finished = True
        self._open_block = None
        self._open_block_stale = False

    # Line by line.

    def _feed_line(self, line: str) -> None:
        if self._state == "code":
            assert self._fence is not None
            if _closes(line, self._fence.char, self._fence.length, _MAX_FENCE_INDENT):
                self._close_open_block()
            else:
                self._lines.append(_strip_indent(line, self._fence.indent))
            return

        if self._state == "markdown":
            if self._nested_fence is not None:
                if _closes(line, *self._nested_fence, max_indent=None):
                    self._nested_fence = None
                self._append_markdown_line(line)
                return
            fence = _parse_fence(line)
            if fence is not None and self._in_list and fence.indent >= _NESTED_FENCE_INDENT:
                self._nested_fence = (fence.char, fence.length)
                self._append_markdown_line(line)
                return
        else:
            fence = _parse_fence(line)

        if fence is not None and fence.indent <= _MAX_FENCE_INDENT:
            self._close_open_block()
            self._state = "code"
            self._fence = fence
            return

        if self._state == "between":
            if not _is_blank(line):
                self._start_markdown(line)
            return

        if _is_blank(line):
            self._lines.append(line)
            self._blank_run += 1
        elif self._blank_run and self._starts_new_chunk(line):
            self._close_open_block()
            self._start_markdown(line)
        else:
            self._append_markdown_line(line)

    def _starts_new_chunk(self, line: str) -> bool:
        """After a blank line, does this line start a new markdown chunk?"""
        if line[0] in " \t":
            return False  # a list item's continuation, or indented code
        if self._in_list and _LIST_MARKER.match(line):
            return False  # the next item of a loose list
        return not (self._in_table and line.startswith("|"))

    def _split_is_certain(self, partial: str) -> bool:
        """After blank lines, will this unfinished line start a new chunk, however it ends?"""
        if self._state != "markdown" or self._nested_fence is not None or _is_blank(partial):
            return False
        if partial[0] in " \t" or (self._in_table and partial[0] == "|"):
            return False
        if self._in_list:
            return not (_LIST_MARKER.match(partial) or _MARKER_PREFIX.fullmatch(partial))
        return True

    def _start_markdown(self, line: str) -> None:
        self._state = "markdown"
        self._lines = []
        self._in_list = False
        self._nested_fence = None
        self._append_markdown_line(line)

    def _append_markdown_line(self, line: str) -> None:
        self._lines.append(line)
        self._blank_run = 0
        if not self._in_list and _LIST_MARKER.match(line):
            self._in_list = True
        self._in_table = line.startswith("|")

    def _close_open_block(self) -> None:
        if self._state == "code":
            assert self._fence is not None
            text = "\n".join(self._lines)
            self._closed.append(Block("code", text, self._fence.language, closed=True))
        elif self._state == "markdown":
            text = "\n".join(self._lines[: len(self._lines) - self._blank_run])
            self._closed.append(Block("markdown", text, None, closed=True))
        self._state = "between"
        self._lines = []
        self._blank_run = 0
        self._fence = None
        self._nested_fence = None
        self._in_list = False
        self._in_table = False

    # The open block, from the open lines and the trailing partial line.

    def _build_open_block(self) -> Block | None:
        partial = self._partial.removesuffix("\r")
        if self._state == "code":
            assert self._fence is not None
            lines = self._lines
            if partial and not self._may_close_code(partial):
                lines = [*lines, _strip_indent(partial, self._fence.indent)]
            return Block("code", "\n".join(lines), self._fence.language, closed=False)

        if self._nested_fence is not None:
            show_partial = bool(partial)  # code inside a list item: Rich renders it as is
        else:
            show_partial = not _is_blank(partial) and not self._may_open_fence(partial)
        if self._state == "between":
            return Block("markdown", partial, None, closed=False) if show_partial else None
        if show_partial:
            text = "\n".join([*self._lines, partial])
        else:
            text = "\n".join(self._lines[: len(self._lines) - self._blank_run])
        return Block("markdown", text, None, closed=False)

    def _may_close_code(self, partial: str) -> bool:
        assert self._fence is not None
        char = re.escape(self._fence.char)
        return re.fullmatch(rf" {{0,3}}{char}*[ \t]*", partial) is not None

    def _may_open_fence(self, partial: str) -> bool:
        if _FENCE_PREFIX.fullmatch(partial) is None:
            return False
        indent = len(partial) - len(partial.lstrip(" "))
        return indent <= _MAX_FENCE_INDENT or self._in_list


def _strip_indent(line: str, indent: int) -> str:
    """Remove up to ``indent`` leading spaces, as CommonMark does inside an indented fence."""
    if not indent:
        return line
    stripped = line.lstrip(" ")
    return line[min(indent, len(line) - len(stripped)) :]


def split_blocks(text: str, *, final: bool = False) -> list[Block]:
    """The blocks of ``text``, as :class:`IncrementalBlockSplitter` gives them.

    With ``final=False`` the text is taken as a reply still streaming: the last block is
    open. Pass ``final=True`` for a complete message (from history), so that every block is
    closed and can be cached.
    """
    splitter = IncrementalBlockSplitter()
    splitter.append(text)
    if final:
        splitter.finish()
    return splitter.blocks
