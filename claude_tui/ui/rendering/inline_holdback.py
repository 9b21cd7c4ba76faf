"""Holds back a half-typed inline marker at the tail of a streaming markdown block.

While a reply streams, the open block is rendered on every frame. Its last line often ends
inside an inline construct that has not closed yet: ``**bold``, ``*it``, `` `code``,
``[link text`` or ``[text](http://exa``. Rendered as it is, markdown shows the raw markers
for a frame and then, when the closer arrives, redraws the words styled: a flash. So the
open block's last line is cut before the earliest marker still unclosed; the held text
appears once its closer arrives. A closed block (and so every block of a finished reply)
is rendered as it is: a marker that never closes is literal text there, as markdown says.

This is a small scanner, not a markdown parser. It errs on the side of showing text: a
marker that cannot open (``2 * 3``, ``snake_case``, a list bullet) is never held, and only
the last line is looked at (a paragraph streamed as one long line is the common case).
"""

from __future__ import annotations

import re

# What starts the line and is block structure, not inline: indentation, quote bars, one
# list marker (``*``, ``-``, ``+`` or ``1.``, then a space or the end of the line), a
# heading's hashes.
_LINE_PREFIX = re.compile(
    r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$))?(?:#{1,6}(?:[ \t]+|$))?"
)
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_FENCE_LINE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# The characters the scanner acts on; everything between is plain text.
_TOKEN = re.compile(r"\\.|`+|\*+|_+|~+|!?\[|\]|\(|\)")
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def hold_back_unclosed_inline(text: str) -> str:
    """``text`` with its last line cut before the earliest inline marker still unclosed.

    ``text`` is the markdown of a block that is still growing. Markers inside a code span
    or an open fence are text, not markers, and are never held.
    """
    start = text.rfind("\n") + 1
    line = text[start:]
    if not line or _inside_open_fence(text, start):
        return text
    cut = _unclosed_from(line)
    if cut is None:
        return text
    return text[: start + cut]


def _inside_open_fence(text: str, last_line_start: int) -> bool:
    """True if the last line is code: a fence opened above it (in a list item) is open."""
    if "```" not in text and "~~~" not in text:
        return False
    fence: str | None = None
    for line in text[:last_line_start].split("\n"):
        match = _FENCE_LINE.match(line)
        if match is None:
            continue
        run = match[1]
        if fence is None:
            fence = run
        elif run[0] == fence[0] and len(run) >= len(fence) and not line[match.end() :].strip():
            fence = None
    if fence is not None:
        return True
    return _FENCE_LINE.match(text[last_line_start:]) is not None  # the fence line itself


def _is_space(char: str) -> bool:
    return not char or char.isspace()


def _unclosed_from(line: str) -> int | None:
    """Where the earliest unclosed inline construct of ``line`` starts, or None."""
    if _THEMATIC_BREAK.fullmatch(line):
        return None
    prefix = _LINE_PREFIX.match(line)
    position = prefix.end() if prefix else 0
    # Open things, innermost last: (kind, char, run length, start). kind is "emphasis"
    # or "bracket".
    stack: list[tuple[str, str, int, int]] = []
    for match in _TOKEN.finditer(line, position):
        token = match[0]
        at = match.start()
        if at < position:
            continue  # inside a code span or link destination already skipped
        first = token[0]
        if first == "\\":
            continue
        if first == "`":
            close = _code_span_end(line, match.end(), len(token))
            if close is None:
                return _earliest(stack, at)
            position = close
            continue
        if first in "*_~":
            _emphasis_run(line, token, at, stack)
            continue
        if token in ("[", "!["):
            stack.append(("bracket", "[", 1, at))
            continue
        if token == "]":
            opener = _innermost_bracket(stack)
            if opener is None:
                continue
            bracket_at = stack[opener][3]
            del stack[opener:]  # emphasis left open inside link text is literal
            after = match.end()
            if after == len(line):
                return _earliest(stack, bracket_at)  # ``[text]`` then perhaps ``(url)``
            if line[after] == "(":
                close = _destination_end(line, after + 1)
                if close is None:
                    return _earliest(stack, bracket_at)
                position = close
    return _earliest(stack, None)


def _earliest(stack: list[tuple[str, str, int, int]], at: int | None) -> int | None:
    starts = [entry[3] for entry in stack]
    if at is not None:
        starts.append(at)
    return min(starts) if starts else None


def _code_span_end(line: str, after: int, length: int) -> int | None:
    """The index just past the backtick run of ``length`` that closes a code span."""
    for match in re.finditer(r"`+", line[after:]):
        if len(match[0]) == length:
            return after + match.end()
    return None


def _destination_end(line: str, after: int) -> int | None:
    """The index just past the ``)`` that ends a link destination starting at ``after``."""
    depth = 0
    index = after
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                return index + 1
            depth -= 1
        index += 1
    return None


def _innermost_bracket(stack: list[tuple[str, str, int, int]]) -> int | None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == "bracket":
            return index
    return None


def _emphasis_run(line: str, token: str, at: int, stack: list[tuple[str, str, int, int]]) -> None:
    """Match a run of ``*``, ``_`` or ``~`` against the open ones, or open it.

    Simplified flanking rules: a run opens if what follows is not a space (or nothing has
    arrived yet) and it starts a word; it closes if what precedes it is not a space. An
    underscore inside a word (``snake_case``) neither opens nor closes, and ``*`` inside a
    word (``2*3``) is not taken to open: a formula is likelier than intraword emphasis.
    """
    char = token[0]
    if char == "~" and len(token) < 2:
        return  # a single tilde is text (strikethrough takes two)
    before = line[at - 1] if at else ""
    end = at + len(token)
    after = line[end] if end < len(line) else ""
    word_start = _is_space(before) or before in _PUNCTUATION
    can_open = (not after or not after.isspace()) and word_start
    can_close = not _is_space(before)
    if char == "_" and after and after.isalnum():
        can_close = False
    remaining = len(token)
    if can_close:
        while remaining:
            index = _opener_for(stack, char)
            if index is None:
                break
            kind, _, length, start = stack[index]
            del stack[index + 1 :]  # inner openers crossed by this closer stay literal
            used = min(length, remaining)
            remaining -= used
            if length > used:
                stack[index] = (kind, char, length - used, start)
            else:
                del stack[index]
            if char == "~":
                break
    if remaining and can_open and (char != "~" or remaining >= 2):
        stack.append(("emphasis", char, remaining, at + len(token) - remaining))


def _opener_for(stack: list[tuple[str, str, int, int]], char: str) -> int | None:
    """The innermost open run of ``char`` not outside a link text still open."""
    for index in range(len(stack) - 1, -1, -1):
        kind, opener_char, _, _ = stack[index]
        if kind == "bracket":
            return None
        if opener_char == char:
            return index
    return None
