"""The folder of saved sessions: create, open, list, fork, import and delete them.

One JSON Lines file per session (``<id>.jsonl``, see ``session_file``) plus the listing
index (``index.jsonl``, see ``session_index``), in :func:`claude_tui.paths.sessions_dir` or a
folder passed in (tests, other data dirs). Files that cannot be loaded are never modified or
deleted by the store: they are skipped, collected in :attr:`SessionStore.problems` (and
:attr:`SessionStore.skipped`) and logged. Writes that fail raise :class:`SessionSaveError`;
reading a read-only folder works.
"""

from __future__ import annotations

import builtins
import copy
import logging
import os
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from claude_tui import paths
from claude_tui.chat_message import ChatMessage, MessageStatus, new_message_id
from claude_tui.sessions.attachment_refs import attachment_hashes, unreferenced
from claude_tui.sessions.session import Session, title_from_prompt
from claude_tui.sessions.session_errors import (
    AmbiguousSessionId,
    MessageNotFound,
    SessionNotFound,
    SessionSaveError,
    SessionUnreadable,
)
from claude_tui.sessions.session_index import (
    SESSION_SUFFIX,
    SessionIndex,
    SessionSummary,
    is_session_file_name,
)
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.skipped_file import SkippedFile

if TYPE_CHECKING:
    from claude_tui.attachments import BlobStore

logger = logging.getLogger(__name__)

# Ids become file names: keep them to characters that are safe everywhere.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def new_session_id() -> str:
    """A random session id; 12 hex digits are unique enough and easy to type a prefix of."""
    return uuid.uuid4().hex[:12]


def is_valid_session_id(value: str) -> bool:
    """Whether ``value`` can name a session file."""
    return bool(_ID_PATTERN.fullmatch(value)) and value != "index"


class SessionStore:
    """All saved sessions in one folder."""

    def __init__(self, root: Path | None = None, *, attachments: BlobStore | None = None) -> None:
        """``attachments`` is the blob store these sessions' attachments live in (default:
        the one under the data folder). Deleting a session removes the attachments no other
        session refers to only where the store is known to pair with ``root``: the default
        folders, or an ``attachments`` given with it."""
        self.root = root if root is not None else paths.sessions_dir()
        self._index = SessionIndex(self.root)
        self._problems: dict[Path, str] = {}
        self._logged: set[tuple[Path, str]] = set()
        self._attachments = attachments
        self._collects_attachments = root is None or attachments is not None

    @property
    def attachments(self) -> BlobStore:
        """Where the bytes of these sessions' attachments are stored."""
        if self._attachments is None:
            from claude_tui.attachments import BlobStore

            self._attachments = BlobStore()
        return self._attachments

    @property
    def problems(self) -> builtins.list[tuple[Path, str]]:
        """Session files that could not be loaded, with the reason, as of the last listing
        (and any failed :meth:`open` since). They are skipped and left untouched."""
        return builtins.list(self._problems.items())

    @property
    def skipped(self) -> builtins.list[SkippedFile]:
        """:attr:`problems` as :class:`SkippedFile` rows, for a notice in the UI (see
        :func:`~claude_tui.sessions.skipped_file.skipped_notice`) or the ``--json`` list.
        Includes ``index.jsonl`` when it is not a readable file (the list then comes from the
        session files)."""
        return [SkippedFile(path, reason) for path, reason in self._problems.items()]

    def path_for(self, session_id: str) -> Path:
        """The file a session with this id lives in."""
        return self.root / f"{session_id}{SESSION_SUFFIX}"

    # --- creating --------------------------------------------------------------------------

    def create(
        self, settings: SessionSettings, *, title: str | None = None, deferred: bool = False
    ) -> Session:
        """Start a new, empty session; its file exists (with its header) when this returns.

        ``deferred`` leaves the file to the session's first message or rename (settings
        changed before then go into its header): a window opened and closed without a
        word then leaves no empty session in the list, and opening it writes nothing.
        """
        return self._write_new(
            title=_clean_title(title), settings=settings, messages=[], deferred=deferred
        )

    def fork(self, session: Session, up_to_message_id: str) -> Session:
        """A new session titled "<title> (fork)" holding copies of the messages of
        ``session`` up to and including ``up_to_message_id``; the original is unchanged."""
        ids = [message.id for message in session.messages]
        if up_to_message_id not in ids:
            raise MessageNotFound(session.id, up_to_message_id)
        messages = [
            ChatMessage.from_json(copy.deepcopy(m.to_json()))
            for m in session.messages[: ids.index(up_to_message_id) + 1]
        ]
        return self._write_new(
            title=f"{session.title or 'Untitled'} (fork)",
            settings=session.settings,
            messages=messages,
        )

    def import_session(
        self,
        *,
        messages: Iterable[ChatMessage],
        settings: SessionSettings,
        title: str | None = None,
        created: float | None = None,
        session_id: str | None = None,
    ) -> Session:
        """Save a conversation from elsewhere (an export) as a new session, in one write.

        ``session_id`` is kept when it is a valid id not already in use; otherwise the
        session gets a fresh id, so an import never overwrites anything. Untitled imports
        are named after their first prompt.
        """
        unique: builtins.list[ChatMessage] = []
        seen: set[str] = set()
        for message in messages:
            if message.id in seen:
                message = replace(message, id=new_message_id())
            seen.add(message.id)
            unique.append(message)
        title = _clean_title(title)
        if title is None:
            first_prompt = next((m for m in unique if m.role == "user"), None)
            title = title_from_prompt(first_prompt.text) if first_prompt else None
        return self._write_new(
            title=title,
            settings=settings,
            messages=unique,
            created=created,
            preferred_id=session_id,
        )

    # --- finding ---------------------------------------------------------------------------

    def resolve_id(self, id_or_prefix: str) -> str:
        """The id of the one session whose id is, or starts with, ``id_or_prefix``.

        Raises :class:`SessionNotFound`, or :class:`AmbiguousSessionId` listing the matches.
        """
        query = id_or_prefix.strip()
        if not is_valid_session_id(query):
            raise SessionNotFound(query, self.root)
        if self.path_for(query).exists():
            return query
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            raise SessionNotFound(query, self.root) from None
        matches = sorted(
            name[: -len(SESSION_SUFFIX)]
            for name in names
            if is_session_file_name(name) and name.startswith(query)
        )
        if not matches:
            raise SessionNotFound(query, self.root)
        if len(matches) > 1:
            entries = self._index.entries()
            titles = [(m, _title_of(entries.get(m))) for m in matches]
            raise AmbiguousSessionId(query, titles)
        return matches[0]

    def open(self, id_or_prefix: str) -> Session:
        """Load a session by id or unique id prefix.

        Raises :class:`SessionNotFound`, :class:`AmbiguousSessionId`, or
        :class:`SessionUnreadable` (the file is then also listed in :attr:`problems`).
        """
        session_id = self.resolve_id(id_or_prefix)
        path = self.path_for(session_id)
        try:
            session = Session.load(path, self._index)
        except FileNotFoundError:
            raise SessionNotFound(id_or_prefix, self.root) from None
        except SessionUnreadable as error:
            self._report(path, error.reason)
            self._index.record_problem(session_id, error.reason)
            raise
        # The file is the truth: refresh its index entry, in case a crash (or a lost index
        # tail) left it behind the file.
        self._index.record(session.summary())
        return session

    def list(self) -> builtins.list[SessionSummary]:
        """Every loadable session, most recently updated first, read from the index (which
        is repaired from the files where it is missing or stale). Refreshes :attr:`problems`.
        """
        scan = self._index.scan()
        self._problems = {}
        for path, reason in scan.problems:
            self._report(path, reason)
        return scan.summaries

    def updated_stamps(self) -> dict[str, float]:
        """Every loadable session's ``updated`` stamp by id, as :meth:`list` would give it,
        read from the index alone when it describes every file (else after a listing that
        repairs it)."""
        stamps = self._index.updated_stamps()
        if stamps is None:
            stamps = {summary.id: summary.updated for summary in self.list()}
        return stamps

    def latest(self) -> SessionSummary | None:
        """The most recently updated session, if there is one."""
        summaries = self.list()
        return summaries[0] if summaries else None

    # --- deleting --------------------------------------------------------------------------

    def delete(self, session_id: str) -> None:
        """Remove a session's file and its index entry (exact id: see :meth:`resolve_id`)."""
        if not is_valid_session_id(session_id):
            raise SessionNotFound(session_id, self.root)
        path = self.path_for(session_id)
        held = attachment_hashes(path) if self._collects_attachments else set()
        try:
            path.unlink()
        except FileNotFoundError:
            raise SessionNotFound(session_id, self.root) from None
        except OSError as error:  # a read-only folder: the session is still there
            raise SessionSaveError(path, error, action="delete") from error
        self._index.record_deleted(session_id)
        self._problems.pop(path, None)
        if held:
            self._remove_unused_attachments(held)

    def _remove_unused_attachments(self, hashes: set[str]) -> None:
        """Delete the blobs of ``hashes`` that no remaining session refers to; a blob that
        cannot be deleted stays (it costs space, never a session)."""
        for digest in unreferenced(hashes, self.root):
            try:
                self.attachments.remove(digest)
            except OSError as error:
                logger.warning("could not delete unused attachment %s: %s", digest, error)

    # --- internals -------------------------------------------------------------------------

    def _write_new(
        self,
        *,
        title: str | None,
        settings: SessionSettings,
        messages: builtins.list[ChatMessage],
        created: float | None = None,
        preferred_id: str | None = None,
        deferred: bool = False,
    ) -> Session:
        """A new session holding ``messages``; its file is written atomically and indexed
        now, or with its first change when ``deferred`` (see :meth:`Session.save`)."""
        now = time.time()
        created = now if created is None else created
        for message in messages:
            if message.status is MessageStatus.STREAMING:
                message.status = MessageStatus.INTERRUPTED  # nothing streams into a copy
        session_id = self._unused_id(preferred_id)
        session = Session(
            path=self.path_for(session_id),
            id=session_id,
            title=title,
            created=created,
            updated=max(created, now),
            settings=settings,
            messages=messages,
            file_size=0,
            index=self._index,
            on_disk=False,
        )
        if not deferred:
            session.save()
        return session

    def _unused_id(self, preferred: str | None) -> str:
        if preferred and is_valid_session_id(preferred) and not self.path_for(preferred).exists():
            return preferred
        while True:
            session_id = new_session_id()
            if not self.path_for(session_id).exists():
                return session_id

    def _report(self, path: Path, reason: str) -> None:
        self._problems[path] = reason
        if (path, reason) not in self._logged:
            self._logged.add((path, reason))
            logger.warning("skipping session file %s: %s", path, reason)


def _clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    return " ".join(title.split()) or None


def _title_of(entry: dict[str, object] | None) -> str | None:
    title = entry.get("title") if entry else None
    return title if isinstance(title, str) else None
