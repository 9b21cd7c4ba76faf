"""One saved conversation, and every change to it, each written as one appended record.

Every mutation appends a single line to the session file and fsyncs it before returning, so
a caller that saves the user's message before sending the request knows it is on disk, and
saving costs the same in a 1,000-message session as in a new one. A streaming reply is saved
with :meth:`Session.checkpoint_reply` (at most about once a second: only the text added since
the previous checkpoint is written) and :meth:`Session.finish_reply`.

``messages`` holds the live :class:`ChatMessage` objects: a reply being streamed is in the
list from its first checkpoint, and the UI can render from it directly.

A write that fails (no space, read-only folder, I/O error) raises :class:`SessionSaveError`
and nothing else; the file is left as it was (loadable, no torn record) and the change stays
in memory, to be written by the next save that succeeds.
"""

from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path
from typing import Any, Literal

from claude_tui.atomic_write import append_line, write_atomic
from claude_tui.chat_message import ChatMessage, ContentBlock, Usage
from claude_tui.history_summary import HistorySummary
from claude_tui.sessions.session_errors import MessageNotFound, SessionSaveError
from claude_tui.sessions.session_file import (
    block_deltas,
    changed_meta,
    compact_record,
    delete_record,
    encode_record,
    header_record,
    message_meta,
    message_record,
    meta_record,
    new_session_text,
    partial_record,
    streaming_record,
)
from claude_tui.sessions.session_index import SessionIndex, SessionSummary, counted_messages
from claude_tui.sessions.session_replay import LoadedSession, read_session_file
from claude_tui.sessions.session_settings import SessionSettings

logger = logging.getLogger(__name__)

TITLE_LENGTH = 60
"""Longest title taken from a first prompt, ellipsis included."""


class _Unset(Enum):
    UNSET = auto()


UNSET: Literal[_Unset.UNSET] = _Unset.UNSET
"""Default of :meth:`Session.update` arguments: "leave this field as it is"."""


def title_from_prompt(text: str) -> str | None:
    """A session title from its first prompt: the first non-blank line, whitespace collapsed,
    cut at a word near :data:`TITLE_LENGTH` characters with an ellipsis. None if blank."""
    for line in text.splitlines():
        collapsed = " ".join(line.split())
        if collapsed:
            break
    else:
        return None
    if len(collapsed) <= TITLE_LENGTH:
        return collapsed
    cut = collapsed[: TITLE_LENGTH - 1]
    if collapsed[TITLE_LENGTH - 1] != " ":  # the cut falls inside a word: drop that word
        space = cut.rfind(" ")
        if space >= TITLE_LENGTH // 2:
            cut = cut[:space]
    return cut.rstrip() + "…"


@dataclass
class _Checkpoint:
    """What the file already holds of a reply being streamed, to write only what is new."""

    blocks: list[ContentBlock]
    meta: dict[str, Any]


class Session:
    """A conversation backed by its own append-only file; create and open it via the store."""

    def __init__(
        self,
        *,
        path: Path,
        id: str,
        title: str | None,
        created: float,
        updated: float,
        settings: SessionSettings,
        messages: list[ChatMessage],
        file_size: int,
        index: SessionIndex | None = None,
        on_disk: bool = True,
        summary: HistorySummary | None = None,
    ) -> None:
        """``on_disk=False`` makes a session whose file is written with its first change
        (see :meth:`SessionStore.create`)."""
        self.path = path
        self.id = id
        self.title = title
        self.created = created
        self.updated = updated
        self._settings = settings
        self.messages = messages
        self._index = index
        self._file_size = file_size
        # False once another writer appended to the file: our messages no longer describe it,
        # so the index entries we write ask the next listing to re-read the file.
        self._in_sync = True
        self._on_disk = on_disk
        self._checkpoints: dict[str, _Checkpoint] = {}
        # Changes in memory whose write failed (ordered sets, by id), written next time.
        self._unsaved_ids: dict[str, None] = {}
        self._unsaved_meta: dict[str, object] = {}
        self._unsaved_deletes: dict[str, None] = {}
        # Ids in ``messages``, so that saving a new message does not scan a long history.
        self._ids = {message.id for message in messages}
        self._summary = summary
        self._summary_unsaved = False

    @classmethod
    def from_loaded(
        cls, loaded: LoadedSession, path: Path, index: SessionIndex | None = None
    ) -> Session:
        """A session from a replayed file."""
        return cls(
            path=path,
            id=loaded.id,
            title=loaded.title,
            created=loaded.created,
            updated=loaded.updated,
            settings=loaded.settings,
            messages=loaded.messages,
            file_size=loaded.size,
            index=index,
            summary=loaded.summary,
        )

    @classmethod
    def load(cls, path: Path, index: SessionIndex | None = None) -> Session:
        """Replay a session file (see :func:`read_session_file` for the errors)."""
        return cls.from_loaded(read_session_file(path), path, index)

    def __repr__(self) -> str:
        return f"<Session {self.id} {self.title!r} messages={len(self.messages)}>"

    @property
    def on_disk(self) -> bool:
        """Whether the session has its file yet: a new window's session gets one with its
        first message or title, so opening and closing a window leaves no empty session."""
        return self._on_disk

    # --- reading ---------------------------------------------------------------------------

    @property
    def settings(self) -> SessionSettings:
        """What the next request uses; changed only through :meth:`set_settings` (which
        :class:`~claude_tui.conversation.conversation.Conversation` calls)."""
        return self._settings

    @property
    def profile(self) -> str:
        """The profile the session talks to (``settings.profile``)."""
        return self._settings.profile

    @property
    def model(self) -> str:
        """The model of the next request (``settings.model``)."""
        return self._settings.model

    @property
    def system(self) -> str | None:
        """The system prompt (``settings.system``)."""
        return self._settings.system

    @property
    def summary_in_effect(self) -> HistorySummary | None:
        """The ``/compact`` summary requests send in place of the messages it replaced,
        if one is in effect (changed only through :meth:`set_summary`)."""
        return self._summary

    def find_message(self, message_id: str) -> ChatMessage | None:
        """The message with that id, or None."""
        for message in reversed(self.messages):
            if message.id == message_id:
                return message
        return None

    def total_usage(self) -> Usage:
        """Tokens used by all assistant replies, summed."""
        total = Usage()
        for message in self.messages:
            if message.role == "assistant" and message.usage is not None:
                total = total + message.usage
        return total

    def summary(self) -> SessionSummary:
        """This session as a row of the session list."""
        return SessionSummary(
            id=self.id,
            title=self.title,
            created=self.created,
            updated=self.updated,
            profile=self.profile,
            model=self.model,
            message_count=counted_messages(self.messages),
            folder=self.path.parent,
        )

    # --- changing --------------------------------------------------------------------------
    #
    # Every change is made in memory first, then written. A write that fails (full disk,
    # read-only folder) raises SessionSaveError and leaves the change in memory, pending: the
    # UI keeps showing it, and the next write that succeeds writes what was missed first.

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether a change is in memory only, because its write failed (or, for a session
        whose file is not written yet, whether it holds anything worth writing)."""
        if not self._on_disk:
            return bool(self.messages or self.title)
        return (
            bool(self._unsaved_ids or self._unsaved_meta or self._unsaved_deletes)
            or self._summary_unsaved
        )

    def save(self) -> None:
        """Write whatever is not on disk yet: the whole file (header and messages,
        atomically) if it is not there — the first write of a new session, or the rewrite of
        one deleted while in use — then any change whose write failed. Raises
        :class:`SessionSaveError`; calling it again retries."""
        self._write([], at=time.time())

    def append_message(self, message: ChatMessage) -> None:
        """Save a user message, or a finished assistant message, durably (fsync) before
        returning. A message whose id is already here is replaced in place (an edit). The
        first user prompt names an untitled session. A reply without ``reply_to`` is taken
        to answer the last user message before it (see :meth:`start_reply`)."""
        title = None
        if message.role == "user" and not self.title:
            title = title_from_prompt(message.text)
        self._note_prompt(message)
        self._adopt(message)
        if title is not None:
            self.title = title
        now = time.time()
        try:
            self._write([message_record(message, at=now, title=title)], at=now)
        except SessionSaveError:
            self._unsaved_ids[message.id] = None
            if title is not None:
                self._unsaved_meta["title"] = title
            raise

    def start_reply(
        self, message: ChatMessage, *, reply_to: ChatMessage | str | None = None
    ) -> None:
        """Put a reply that is about to stream in :attr:`messages`, answering ``reply_to``
        (a user message or its id; default: the last user message here). Writes nothing:
        the reply reaches the file with its first checkpoint. Setting ``reply_to`` is what
        keeps it with its prompt when another window appends to the same session."""
        if isinstance(reply_to, ChatMessage):
            reply_to = reply_to.id
        if reply_to is not None:
            message.reply_to = reply_to
        self._note_prompt(message)
        self._adopt(message)

    def checkpoint_reply(self, message: ChatMessage) -> bool:
        """Save what a streaming reply has gained since its last checkpoint.

        Call it at most about once a second while streaming. The first call adds the reply to
        :attr:`messages` and writes it whole; later calls write only the new text (counted
        from the last checkpoint that was written, so a failed one is caught up). Returns
        False (and writes nothing) when nothing changed.
        """
        now = time.time()
        done = self._checkpoints.get(message.id)
        meta = message_meta(message)
        deltas = None if done is None else block_deltas(done.blocks, message.content)
        if done is None or deltas is None:
            # First checkpoint, or a change deltas cannot express: the whole message.
            self._note_prompt(message)
            meta = message_meta(message)
            record: Mapping[str, object] = streaming_record(message, at=now)
        else:
            changes = changed_meta(done.meta, meta)
            if not deltas and not changes:
                return False
            record = partial_record(message, deltas, changes, at=now)
        self._adopt(message)
        self._write([record], at=now, streaming=message.id, reindex=done is None)
        self._checkpoints[message.id] = _Checkpoint(copy.deepcopy(message.content), meta)
        return True

    def finish_reply(self, message: ChatMessage) -> None:
        """Save the final version of a reply (complete, interrupted or errored), replacing
        its checkpoints. If that write fails the reply stays here, and a later save writes
        it whole."""
        self._note_prompt(message)
        self._adopt(message)
        self._checkpoints.pop(message.id, None)
        now = time.time()
        try:
            self._write([message_record(message, at=now)], at=now)
        except SessionSaveError:
            self._unsaved_ids[message.id] = None
            raise
        self._note_usage()

    def rename(self, title: str) -> None:
        """Give the session a title chosen by the user."""
        title = " ".join(title.split())
        if not title:
            raise ValueError("A session title cannot be empty.")
        if title == self.title:
            return
        self.title = title
        self._write_meta({"title": title}, force_file=True)

    def set_settings(self, settings: SessionSettings) -> None:
        """Save new settings (whole, in one record). Writes nothing if they did not change,
        nor for a session not yet on disk: its header is written with the settings of then."""
        if settings == self._settings:
            return
        self._settings = settings
        self._write_meta({"settings": settings}, force_file=False)

    def set_summary(self, summary: HistorySummary | None) -> None:
        """Save the summary now in effect (``/compact``), or None (``/compact undo``): one
        small record; the messages it replaced stay saved as they are."""
        if summary == self._summary:
            return
        self._summary = summary
        now = time.time()
        try:
            self._write([compact_record(summary, at=now)], at=now)
        except SessionSaveError:
            self._summary_unsaved = True
            raise

    def discard_unsaved(self, message_id: str) -> bool:
        """Drop a message whose save failed, writing nothing: a prompt that could not be
        saved is not sent, and goes back to the composer instead. False if it was saved."""
        if message_id not in self._unsaved_ids:
            return False
        message = self.find_message(message_id)
        if message is not None:
            self.messages.remove(message)
        self._ids.discard(message_id)
        self._unsaved_ids.pop(message_id, None)
        return True

    def delete_message(self, message_id: str) -> None:
        """Remove a message from the session."""
        message = self.find_message(message_id)
        if message is None:
            raise MessageNotFound(self.id, message_id)
        self.messages.remove(message)
        self._ids.discard(message_id)
        self._unsaved_ids.pop(message_id, None)
        self._checkpoints.pop(message_id, None)
        now = time.time()
        try:
            self._write([delete_record(message_id, at=now)], at=now)
        except SessionSaveError:
            self._unsaved_deletes[message_id] = None
            raise

    # --- internals -------------------------------------------------------------------------

    def _note_prompt(self, message: ChatMessage) -> None:
        """Give a reply without ``reply_to`` the last user message before it in this
        window's view: the prompt this process sent, whatever another one appended since."""
        if message.role != "assistant" or message.reply_to is not None:
            return
        position = len(self.messages)
        if message.id in self._ids or len(self._ids) != len(self.messages):
            for index in range(len(self.messages) - 1, -1, -1):
                if self.messages[index] is message or self.messages[index].id == message.id:
                    position = index
                    break
        for index in range(position - 1, -1, -1):
            if self.messages[index].role == "user":
                message.reply_to = self.messages[index].id
                return

    def _write_meta(self, changes: dict[str, object], *, force_file: bool) -> None:
        """Save header changes; a session not on disk takes them into its header later,
        unless ``force_file`` writes the file now (a rename)."""
        if not self._on_disk and not force_file:
            return
        now = time.time()
        try:
            self._write([meta_record(changes, at=now)], at=now)
        except SessionSaveError:
            self._unsaved_meta.update(changes)
            raise

    def _adopt(self, message: ChatMessage) -> None:
        """Put the live object in :attr:`messages`, replacing one with the same id."""
        if len(self._ids) != len(self.messages):  # the list was changed directly: resync
            self._ids = {m.id for m in self.messages}
        if message.id in self._ids:
            for position in range(len(self.messages) - 1, -1, -1):  # usually the last one
                if self.messages[position].id == message.id:
                    self.messages[position] = message
                    return
        self.messages.append(message)
        self._ids.add(message.id)

    def _write(
        self,
        records: list[Mapping[str, object]],
        *,
        at: float,
        streaming: str | None = None,
        reindex: bool = True,
    ) -> None:
        """Write the changes in memory: the whole file if it is missing (which holds them
        all), else the records of earlier failed writes followed by ``records``, in one
        append. ``streaming`` names a reply being checkpointed. Raises SessionSaveError."""
        try:
            if self._file_missing():
                self._write_whole_file(at=at, streaming=streaming)
            else:
                pending = self._pending_records(at)
                if not pending and not records:
                    return  # nothing to write (a save with everything on disk)
                self._append([*pending, *records], at=at)
        except OSError as error:
            raise SessionSaveError(self.path, error) from error
        self._unsaved_ids.clear()
        self._unsaved_meta.clear()
        self._unsaved_deletes.clear()
        self._summary_unsaved = False
        if reindex:
            self._reindex()

    def _pending_records(self, at: float) -> list[Mapping[str, object]]:
        """What earlier failed writes left unsaved, in the order replay needs."""
        records: list[Mapping[str, object]] = []
        if self._unsaved_meta:
            records.append(meta_record(self._unsaved_meta, at=at))
        records.extend(delete_record(message_id, at=at) for message_id in self._unsaved_deletes)
        for message in self.messages:
            if message.id in self._unsaved_ids:
                records.append(message_record(message, at=at))
        if self._summary_unsaved:
            records.append(compact_record(self._summary, at=at))
        return records

    def _append(self, records: list[Mapping[str, object]], *, at: float) -> None:
        """Append records durably, in one write; callers then :meth:`_reindex`."""
        text = "".join(encode_record(record) for record in records)
        expected = len(text.encode("utf-8"))
        before = _file_size(self.path)
        append_line(self.path, text)
        after = _file_size(self.path)
        # One extra byte is the newline append_line adds to end a line torn by a crash.
        if before != self._file_size or not 0 <= after - before - expected <= 1:
            self._in_sync = False
        self._file_size = after
        self.updated = max(self.updated, at)

    def _note_usage(self) -> None:
        """Bring the usage index beside the listing index up to date from memory (a reply
        was saved), so the next report or budget check need not read this file. Skipped
        when another writer appended too: the file is then read when it is next needed."""
        if self._index is None or not self._on_disk or not self._in_sync:
            return
        from claude_tui.usage.usage_index import record_session_usage

        record_session_usage(self)

    def _reindex(self) -> None:
        if self._index is not None and self._on_disk:
            self._index.record(self.summary(), stale=not self._in_sync)

    def _file_missing(self) -> bool:
        """Whether the file must be written whole: a session not yet on disk, or one another
        window deleted while this one still writes to it (appending to nothing would make a
        file without a header, and the conversation on screen would be lost)."""
        if not self._on_disk:
            return True
        if os.path.lexists(self.path):
            return False
        logger.warning("session file %s vanished while in use; writing it again", self.path)
        return True

    def _write_whole_file(self, *, at: float, streaming: str | None) -> None:
        header = header_record(
            session_id=self.id,
            title=self.title,
            created=self.created,
            settings=self._settings,
            at=at,
        )
        ids = set(self._checkpoints)
        if streaming is not None:
            ids.add(streaming)
        write_atomic(
            self.path,
            new_session_text(header, self.messages, streaming=ids, summary=self._summary),
            mode=0o600,
        )
        self._on_disk = True
        self._file_size = _file_size(self.path)
        self._in_sync = True
        self._checkpoints.clear()  # the rewrite holds replies whole: restart their deltas
        self.updated = max(self.updated, at)


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return -1
