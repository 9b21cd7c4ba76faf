"""Finding saved sessions by the text of their messages.

A search reads each session file once as raw bytes and skips it unless the query, as JSON
would spell it, appears somewhere in the file (case-insensitively): most files are rejected
without parsing a line. A file that may match is replayed, text only, so that a match must be
in what the conversation says now: not in an id, a model name or a title, nor in a message
since edited or deleted. (A reply whose stream a crash cut off has its text spread over
several checkpoint records, so a file holding one is always replayed.) Files are only read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from claude_tui.regular_files import open_regular_file, read_all
from claude_tui.sessions.json_lines import (
    decode_line,
    without_lone_surrogates,
)
from claude_tui.sessions.session_index import SESSION_SUFFIX
from claude_tui.sessions.session_store import SessionStore

# The start of the records that carry a message's text, as ``encode_record`` writes them: the
# kind, then the message id. Used to spot streaming checkpoints no complete message followed.
_TEXT_RECORD = re.compile(rb'\{"t":"(partial|message)","at":[^,]*,(?:"message":\{)?"id":"([^"]+)"')

SearchProgress = Callable[[int, int], None]
"""Called as ``progress(searched, total)`` after each session file."""


def search_sessions(
    store: SessionStore,
    query: str,
    *,
    should_stop: Callable[[], bool],
    session_ids: Iterable[str] | None = None,
    progress: SearchProgress | None = None,
) -> Iterator[str]:
    """Yield the id of each session whose message text contains ``query`` (case-insensitive).

    Sessions are searched in the order of ``session_ids`` (default: :meth:`SessionStore.list`,
    newest first), so matches come newest first. ``should_stop`` is asked before each file; a
    search running in a thread stops within one file of it turning true. Files that vanish or
    cannot be read are skipped. A blank query matches nothing.
    """
    folded = query.casefold()
    if not folded.strip():
        return
    ids = [s.id for s in store.list()] if session_ids is None else list(session_ids)
    # In the file, the query's quotes, backslashes and control characters are escaped.
    needle = json.dumps(folded, ensure_ascii=False)[1:-1]
    check_escaped = not query.isascii()
    total = len(ids)
    # Plain strings rather than a Path per file: a search allocates no objects the garbage
    # collector tracks, so searching 10,000 files does not set off collections that would
    # pause the UI thread.
    folder = os.fspath(store.root)
    for searched, session_id in enumerate(ids, 1):
        if should_stop():
            return
        data = _read(os.path.join(folder, session_id + SESSION_SUFFIX))
        if data and _file_may_match(data, needle, check_escaped) and _text_matches(data, folded):
            yield session_id
        if progress is not None:
            progress(searched, total)


def _read(path: str) -> bytes:
    """The file's bytes, or nothing when it vanished, cannot be read or is not a regular
    file (a FIFO there would otherwise hang the search)."""
    try:
        fd = open_regular_file(Path(path))
    except OSError:
        return b""
    try:
        return read_all(fd)
    except OSError:
        return b""
    finally:
        os.close(fd)


def message_texts(data: bytes) -> dict[str, list[str]]:
    """The text blocks of each message of a session file, as a replay would leave them
    (edits replace, deletes remove, streaming checkpoints extend). Broken lines are skipped."""
    texts: dict[str, list[str]] = {}
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        # None for a broken or too deeply nested line; surrogates are repaired once the
        # texts are joined (an emoji's halves may sit in two checkpoint records).
        record = decode_line(raw, repair=False)
        if isinstance(record, dict):
            _apply(record, texts)
    for blocks in texts.values():
        blocks[:] = [without_lone_surrogates(text) for text in blocks]
    return texts


def _file_may_match(data: bytes, needle: str, check_escaped: bool) -> bool:
    text = data.decode("utf-8", errors="replace").casefold()
    if needle in text:
        return True
    # Older versions wrote a record holding a lone surrogate with every non-ASCII character
    # escaped: in such a file a non-ASCII query can only be looked for by replaying.
    if check_escaped and "\\u" in text:
        return True
    # The text of a reply whose stream was cut by a crash is spread over checkpoint records,
    # with no complete message record after them: the query may span two of them.
    return b'"t":"partial"' in data and _has_unfinished_stream(data)


def _has_unfinished_stream(data: bytes) -> bool:
    last_kind: dict[bytes, bytes] = {}
    for match in _TEXT_RECORD.finditer(data):
        last_kind[match.group(2)] = match.group(1)
    return b"partial" in last_kind.values()


def _text_matches(data: bytes, folded: str) -> bool:
    return any(
        folded in text.casefold() for blocks in message_texts(data).values() for text in blocks
    )


def _apply(record: dict[str, Any], texts: dict[str, list[str]]) -> None:
    """Replay one record's effect on message texts (see ``session_file`` for the records)."""
    kind = record.get("t")
    if kind == "message":
        message = record.get("message")
        if isinstance(message, dict) and isinstance(message.get("id"), str):
            content = message.get("content")
            blocks = content if isinstance(content, list) else []
            texts[message["id"]] = [_block_text(block) for block in blocks]
    elif kind == "partial":
        message_id = record.get("id")
        deltas = record.get("deltas")
        if not isinstance(message_id, str) or not isinstance(deltas, list):
            return
        blocks = texts.setdefault(message_id, [])
        for delta in deltas:
            if not isinstance(delta, dict) or not isinstance(delta.get("index"), int):
                continue
            index = delta["index"]
            while len(blocks) <= index:
                blocks.append("")
            added = delta.get("text")
            if isinstance(added, str):  # "text" is appended, never set (APPENDED_FIELDS)
                blocks[index] += added
    elif kind == "delete":
        message_id = record.get("id")
        if isinstance(message_id, str):
            texts.pop(message_id, None)


def _block_text(block: object) -> str:
    if isinstance(block, dict) and block.get("type") == "text":
        text = block.get("text")
        return text if isinstance(text, str) else ""
    return ""
