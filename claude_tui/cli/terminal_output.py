"""Standard streams that cannot drive the terminal, for commands that print outside text.

``sessions list``/``show`` print titles and transcripts, which came from prompts, replies and
imported files. Rather than filter at each ``print``, :func:`terminal_safe_output` swaps the
streams for the length of a command: what goes to a terminal passes through
:func:`~claude_tui.terminal_text.safe_for_terminal`; stdout to a pipe or a file stays
byte-exact, so ``sessions export ID > file`` keeps exactly what was saved.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from claude_tui.terminal_text import safe_for_terminal


class _SafeWriter:
    """A text stream that filters each write before passing it on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(safe_for_terminal(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)  # flush, isatty, fileno, encoding...


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """For the block: stdout filtered when it is a terminal, stderr always (errors quote
    names and server text, and a captured stderr usually ends up on a terminal anyway)."""
    stdout, stderr = sys.stdout, sys.stderr
    if stdout.isatty():
        sys.stdout = _SafeWriter(stdout)
    sys.stderr = _SafeWriter(stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
