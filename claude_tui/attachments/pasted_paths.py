"""A paste that is only file paths: what dropping files on most terminals produces.

Terminals write a dropped file as its path, quoted or backslash-escaped as a shell would
take it (``'/tmp/my shot.png'``, ``/tmp/my\\ shot.png``), several separated by spaces, and
some as ``file://`` URLs. Such a paste is offered as attachments instead of text.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from urllib.parse import unquote, urlparse

MAX_PASTED_PATHS = 20
_MAX_PASTE_CHARS = 8192


def pasted_file_paths(text: str, cwd: Path) -> list[Path]:
    """The existing files the pasted ``text`` consists of, or ``[]`` when it is anything
    else (prose, code, a path to nothing, a folder)."""
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_PASTE_CHARS:
        return []
    try:
        words = shlex.split(stripped)
    except ValueError:  # an unclosed quote: not a shell-quoted list of paths
        return []
    if not words or len(words) > MAX_PASTED_PATHS:
        return []
    paths: list[Path] = []
    for word in words:
        path = _as_path(word, cwd)
        if path is None or not path.is_file():
            return []
        paths.append(path)
    return paths


def _as_path(word: str, cwd: Path) -> Path | None:
    if word.startswith("file://"):
        parsed = urlparse(word)
        if parsed.netloc not in ("", "localhost"):
            return None
        return Path(unquote(parsed.path))
    if "/" not in word and "\\" not in word:
        return None  # a bare word is text, even if a file of that name happens to exist
    path = Path(os.path.expanduser(word))
    return path if path.is_absolute() else cwd / path
