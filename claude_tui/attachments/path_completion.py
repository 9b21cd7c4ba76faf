"""File paths offered for Tab: ``/attach PATH`` and ``@path`` mentions in a prompt.

Pure functions over the file system, no Textual: what is offered is unit-tested alone. A
listing is capped (a home folder can hold thousands of names) and hidden files are offered
only once a ``.`` is typed, as shells do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_OFFERED = 50

_MENTION = re.compile(r"(?:^|(?<=\s))@(\S*)$")
_MENTIONS = re.compile(r"(?:^|(?<=\s))@(\S+)")


def complete_path(typed: str, cwd: Path, *, files_under_cwd: bool = False) -> list[str]:
    """Completions of ``typed`` (a path as the user writes it, ``~`` allowed), each the
    whole new word: folders end in ``/``.

    ``files_under_cwd`` (``@path`` mentions) keeps to paths inside ``cwd``, written relative
    to it.
    """
    folder_part, _sep, prefix = typed.rpartition("/")
    shown_folder = f"{folder_part}/" if _sep else ""
    if files_under_cwd and (typed.startswith(("/", "~")) or ".." in Path(typed).parts):
        return []
    folder = Path(os.path.expanduser(shown_folder or ".")) if shown_folder else Path(".")
    if not folder.is_absolute():
        folder = cwd / folder
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name.lower())
    except OSError:
        return []
    offered: list[str] = []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        offered.append(shown_folder + name + ("/" if is_dir else ""))
        if len(offered) >= MAX_OFFERED:
            break
    return offered


def mention_being_typed(text: str) -> str | None:
    """The ``@path`` word at the end of ``text`` (without the ``@``), or None."""
    match = _MENTION.search(text)
    return match.group(1) if match else None


def mentioned_files(text: str, cwd: Path) -> list[Path]:
    """The files under ``cwd`` that ``@path`` words of ``text`` name, in order, once each.

    Words that name no file (``@someone``) are left alone: they are just text.
    """
    found: list[Path] = []
    for word in _MENTIONS.findall(text):
        word = word.rstrip(".,;:!?)")
        if not word or word.startswith(("/", "~")) or ".." in Path(word).parts:
            continue
        path = cwd / word
        if path.is_file() and path not in found:
            found.append(path)
    return found
