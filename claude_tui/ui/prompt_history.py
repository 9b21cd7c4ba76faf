"""Prompts typed in the composer, kept across runs and walked with Up and Down.

Pure Python with no Textual import. The file is JSON Lines, one ``{"text": ...}`` object per
prompt, appended with :func:`append_line` so two running instances never interleave lines;
it is rewritten (atomically) only when it has grown to twice the limit.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from claude_tui import paths
from claude_tui.atomic_write import append_line, write_atomic

_log = logging.getLogger(__name__)


class PromptHistory:
    """The newest ``limit`` prompts, plus a cursor for shell-style Up/Down recall.

    Navigation starts below the newest entry. :meth:`previous` saves the draft being typed
    the first time it is called, and :meth:`next` past the newest entry hands it back, so
    browsing the history never loses unsent text.
    """

    def __init__(self, path: Path | None = None, limit: int = 1000) -> None:
        """The history kept in ``path`` (default: the user's prompt history file).

        The default path is looked up here rather than at import, so the environment
        variables that redirect the data folder (as the tests do) take effect. The file is
        read on first use (the first Up, or the first prompt sent), not at launch.
        """
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.path = path if path is not None else paths.prompt_history_file()
        self.limit = limit
        self._loaded_entries: list[str] | None = None
        self._lines_on_disk = 0
        self._index: int | None = None
        self._draft = ""

    @property
    def entries(self) -> tuple[str, ...]:
        """The remembered prompts, oldest first."""
        return tuple(self._entries)

    @property
    def _entries(self) -> list[str]:
        if self._loaded_entries is None:
            self._loaded_entries = self._load()
        return self._loaded_entries

    @property
    def is_browsing(self) -> bool:
        """True while an older entry is being shown instead of the draft."""
        return self._index is not None

    def add(self, text: str) -> None:
        """Remember a sent prompt (skipping blanks and a repeat of the newest) and stop browsing.

        A history that cannot be written is not worth interrupting the conversation for: the
        prompt is still remembered for this run and the failure is logged.
        """
        self.reset()
        if not text.strip() or (self._entries and self._entries[-1] == text):
            return
        self._entries.append(text)
        del self._entries[: -self.limit]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            append_line(self.path, json.dumps({"text": text}, ensure_ascii=False), fsync=False)
            self._lines_on_disk += 1
            if self._lines_on_disk > 2 * self.limit:
                self._compact()
        except OSError as error:
            _log.warning("Could not save prompt history to %s: %s", self.path, error)

    def previous(self, current_draft: str) -> str | None:
        """The next older prompt, or None when there is nothing older.

        ``current_draft`` is what the composer holds; it is saved on the first step back
        so that :meth:`next` can restore it.
        """
        if not self._entries:
            return None
        if self._index is None:
            self._draft = current_draft
            self._index = len(self._entries) - 1
        elif self._index == 0:
            return None
        else:
            self._index -= 1
        return self._entries[self._index]

    def next(self) -> str | None:
        """The next newer prompt, the saved draft after the newest, or None when not browsing."""
        if self._index is None:
            return None
        if self._index < len(self._entries) - 1:
            self._index += 1
            return self._entries[self._index]
        draft = self._draft
        self.reset()
        return draft

    def reset(self) -> None:
        """Stop browsing and forget the saved draft (after a send or a programmatic edit)."""
        self._index = None
        self._draft = ""

    def _load(self) -> list[str]:
        """The newest ``limit`` prompts, skipping lines a crash tore or a human broke."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        except OSError as error:
            _log.warning("Could not read prompt history %s: %s", self.path, error)
            return []
        self._lines_on_disk = len(lines)
        entries = [text for line in lines if (text := _parse_line(line)) is not None]
        return entries[-self.limit :]

    def _compact(self) -> None:
        """Rewrite the file with only the newest ``limit`` prompts.

        The file is read again first so prompts appended by another running instance since
        this one loaded are kept.
        """
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        entries = [text for line in lines if (text := _parse_line(line)) is not None]
        kept = entries[-self.limit :]
        write_atomic(
            self.path,
            "".join(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in kept),
            mode=0o600,
        )
        self._lines_on_disk = len(kept)


def _parse_line(line: str) -> str | None:
    """The prompt stored on one line, or None for a torn or foreign line."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if isinstance(record, dict):
        text = record.get("text")
        return text if isinstance(text, str) and text else None
    return None
