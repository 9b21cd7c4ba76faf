"""Sessions in and out of claude-tui: Markdown to read or share, JSON to move between machines.

The JSON export is the session with its messages in :meth:`ChatMessage.to_json` form; the
importer also takes hand-written or foreign files in the plain Messages API shape
(``{"title", "system"?, "messages": [{"role", "content": "text" | [blocks]}]}``), and says
exactly which field is wrong when it cannot.

Attachments: a session refers to its attachments by hash; the JSON export embeds their bytes
(base64, once per file, under ``"attachments"``) so an export is complete on its own, and
the import puts them back in the blob store. The Markdown export lists them.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import time
from pathlib import Path
from typing import Any

from claude_tui.atomic_write import write_atomic
from claude_tui.attachments import BlobStore, attachment_label, is_attachment, is_sha256, sha256_of
from claude_tui.chat_message import ChatMessage, ContentBlock, MessageStatus
from claude_tui.history_summary import HistorySummary
from claude_tui.sessions.json_lines import cleaned, without_lone_surrogates
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

_STRING_FIELDS = ("id", "model", "profile", "stop_reason", "error", "request_id", "status")
_NUMBER_FIELDS = ("created", "ttft_ms", "duration_ms")


# --- Markdown ------------------------------------------------------------------------------


def export_markdown(session: Session) -> str:
    """The conversation as a Markdown document: "## You" / "## Claude (model)" sections,
    thinking folded away in ``<details>``, errors and interrupted replies noted."""
    parts = [f"# {session.title or 'Untitled session'}"]
    created = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.created))
    parts.append(f"_{session.model} · profile {session.profile} · started {created}_")
    if session.system:
        parts.append(_details("System prompt", session.system))
    summary = session.summary_in_effect
    cut = summary.replaced_end([m.id for m in session.messages]) if summary else None
    for index, message in enumerate(session.messages):
        parts.extend(_message_markdown(message))
        if summary is not None and index + 1 == cut:
            parts.extend(_summary_markdown(summary, cut))
    # A live reply may still hold half an emoji from a broken stream: it cannot be printed.
    return without_lone_surrogates("\n\n".join(parts) + "\n")


def _message_markdown(message: ChatMessage) -> list[str]:
    if message.role == "user":
        parts = ["## You"]
    else:
        parts = [f"## Claude ({message.model})" if message.model else "## Claude"]
    parts.extend(_block_markdown(block) for block in message.content)
    if message.role == "assistant":
        if message.status is MessageStatus.ERROR:
            parts.append(f"> **Error:** {message.error or 'the request failed.'}")
        elif message.status is MessageStatus.INTERRUPTED:
            parts.append("> _Interrupted: this reply is incomplete._")
        elif message.status is MessageStatus.STREAMING:
            parts.append("> _Still being written when exported: this reply is incomplete._")
    return [part for part in parts if part]


def _summary_markdown(summary: HistorySummary, replaced: int) -> list[str]:
    """The ``/compact`` summary where its cut falls, saying what it replaced."""
    noun = "message" if replaced == 1 else "messages"
    made = f"by {summary.model}" if summary.model else ""
    how = "auto-compact" if summary.auto else "/compact"
    note = f"_Made {made} with {how}" if made else f"_Made with {how}"
    if summary.instructions:
        note += f" (instructions: {summary.instructions})"
    note += f"; requests send it in place of the {replaced} {noun} above._"
    return [f"## Summary of {replaced} earlier {noun}", note, summary.text]


def _block_markdown(block: ContentBlock) -> str:
    kind = block.get("type")
    if kind == "text":
        return str(block.get("text", ""))
    if kind == "thinking":
        thinking = str(block.get("thinking", ""))
        return _details("Thinking", thinking) if thinking.strip() else ""
    if kind == "redacted_thinking":
        return "_(redacted thinking)_"
    if kind == "attachment":
        return f"📎 Attached: {attachment_label(block)}"
    if kind == "tool_use":
        arguments = json.dumps(block.get("input", {}), indent=2, ensure_ascii=False)
        return f"**Tool call** `{block.get('name', '?')}`\n\n{_fence(arguments, 'json')}"
    if kind == "tool_result":
        return f"**Tool result**\n\n{_fence(_tool_result_text(block.get('content')), '')}"
    return f"_[{kind}]_"


def _tool_result_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_tool_result_part(part) for part in content)
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def _tool_result_part(part: object) -> str:
    if isinstance(part, dict):
        return str(part["text"]) if "text" in part else f"[{part.get('type', '?')}]"
    return str(part)


def _details(summary: str, body: str) -> str:
    # Blank lines around the body make Markdown renderers format it as Markdown.
    return f"<details>\n<summary>{summary}</summary>\n\n{body.strip()}\n\n</details>"


def _fence(text: str, language: str) -> str:
    """A code fence longer than any run of backticks inside, so the text cannot end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


# --- JSON ----------------------------------------------------------------------------------


def export_json(session: Session, attachments: BlobStore | None = None) -> dict[str, Any]:
    """The session as a JSON-ready dict that :func:`import_json` reads back (with no lone
    surrogate left in it, so that it can always be written as UTF-8), the bytes of its
    attachments embedded from ``attachments`` (default: the data folder's store)."""
    data: dict[str, Any] = {
        "id": session.id,
        "title": session.title,
        "system": session.system,
        "created": session.created,
        "profile": session.profile,
        "model": session.model,
        "thinking": str(session.settings.thinking),
        "settings": session.settings.to_json(),
        "messages": [copy.deepcopy(message.to_json()) for message in session.messages],
    }
    if session.summary_in_effect is not None:  # /compact: what requests send instead
        data["summary"] = session.summary_in_effect.to_json()
    cleaned(data, max_depth=None)
    embedded = _embedded_attachments(session, attachments)
    if embedded:
        data["attachments"] = embedded
    return data


def _embedded_attachments(
    session: Session, attachments: BlobStore | None
) -> dict[str, dict[str, str]]:
    """``{hash: {"name", "media_type", "data": base64}}`` for each attachment still stored."""
    found: dict[str, dict[str, str]] = {}
    store = attachments
    for message in session.messages:
        for block in message.content:
            if not is_attachment(block) or block["sha256"] in found:
                continue
            if store is None:
                store = BlobStore()
            try:
                raw = store.read(block["sha256"])
            except OSError:
                continue  # gone from the store: the block stays, and says so when sent
            found[block["sha256"]] = {
                "name": str(block.get("name", "")),
                "media_type": str(block.get("media_type", "")),
                "data": base64.b64encode(raw).decode("ascii"),
            }
    return found


def import_json(
    data: object, store: SessionStore, *, profile: str = "", model: str = ""
) -> Session:
    """Save an exported (or hand-written) conversation as a new session in ``store``.

    ``profile`` and ``model`` are used when the export does not name them. An ``id`` already
    in use gets a fresh one. Embedded attachments go into ``store``'s blob store. Raises
    ``ValueError`` naming the field that is wrong.
    """
    if not isinstance(data, dict):
        raise ValueError("A session export must be a JSON object with a 'messages' list.")
    raw_messages = data.get("messages")
    if not isinstance(raw_messages, list):
        raise ValueError("The export has no 'messages' list.")
    messages = [_import_message(index, raw) for index, raw in enumerate(raw_messages)]
    blobs = _decoded_attachments(data.get("attachments"))
    for raw in blobs:
        try:
            store.attachments.put(raw)
        except OSError as error:
            raise ValueError(f"The attachments could not be stored: {error}") from error
    created = data.get("created")
    if created is not None and not _is_number(created):
        raise ValueError("'created' must be a timestamp (seconds since 1970).")
    legacy = SessionSettings.from_legacy(
        profile=_optional_string(data, "profile") or profile,
        model=_optional_string(data, "model") or model,
        system=_optional_string(data, "system"),
        thinking=_optional_string(data, "thinking"),
    )
    summary = _import_summary(data.get("summary"), messages)
    session = store.import_session(
        messages=messages,
        settings=SessionSettings.from_json(data.get("settings"), fallback=legacy),
        title=_optional_string(data, "title"),
        created=float(created) if created is not None else None,
        session_id=_optional_string(data, "id"),
    )
    if summary is not None:
        session.set_summary(summary)
    return session


def _import_summary(raw: object, messages: list[ChatMessage]) -> HistorySummary | None:
    """The export's ``/compact`` summary, checked before anything is saved."""
    if raw is None:
        return None
    try:
        summary = HistorySummary.from_json(raw)
    except ValueError as error:
        raise ValueError(f"'summary' is not valid: {error}.") from None
    if summary.replaced_end([m.id for m in messages]) is None:
        raise ValueError(
            f"'summary' replaces messages up to id {summary.last_id!r}, which is not among "
            "the messages; remove 'summary' to import the full history."
        )
    return summary


def _decoded_attachments(raw: object) -> list[bytes]:
    """The embedded attachments' bytes, each checked against the hash that names it."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise ValueError("'attachments' must be an object of hash: {name, media_type, data}.")
    decoded: list[bytes] = []
    for digest, entry in raw.items():
        where = f"attachments[{digest!r}]"
        if not is_sha256(digest):
            raise ValueError(f"{where}: the key must be the file's SHA-256 (64 hex digits).")
        if not isinstance(entry, dict) or not isinstance(entry.get("data"), str):
            raise ValueError(f"{where} must be an object with a base64 'data' string.")
        try:
            payload = base64.b64decode(entry["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"{where}.data is not valid base64.") from None
        if sha256_of(payload) != digest:
            raise ValueError(f"{where}.data does not match its hash: the export is damaged.")
        decoded.append(payload)
    return decoded


def _import_message(index: int, raw: object) -> ChatMessage:
    where = f"messages[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object with 'role' and 'content'.")
    role = raw.get("role")
    if role not in ("user", "assistant"):
        raise ValueError(f"{where}.role must be 'user' or 'assistant', not {role!r}.")
    content = raw.get("content")
    if isinstance(content, list):
        for block_index, block in enumerate(content):
            if not isinstance(block, dict) or not isinstance(block.get("type"), str):
                raise ValueError(
                    f"{where}.content[{block_index}] must be an object with a 'type' string."
                )
    elif not isinstance(content, str):
        raise ValueError(f"{where}.content must be a string or a list of content blocks.")
    for name in _STRING_FIELDS:
        if raw.get(name) is not None and not isinstance(raw[name], str):
            raise ValueError(f"{where}.{name} must be a string.")
    for name in _NUMBER_FIELDS:
        if raw.get(name) is not None and not _is_number(raw[name]):
            raise ValueError(f"{where}.{name} must be a number.")
    if raw.get("usage") is not None and not isinstance(raw["usage"], dict):
        raise ValueError(f"{where}.usage must be an object of token counts.")
    return ChatMessage.from_json(copy.deepcopy(raw))


def _optional_string(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string.")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def export_file_name(session: Session, kind: str) -> str:
    """A readable, unique file name for an export: ``claude-<title>-<id>.<kind>``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", session.title or "session").strip("-")[:40]
    return f"claude-{slug or 'session'}-{session.id[:8]}.{kind}"


def write_export(session: Session, kind: str, folder: Path) -> Path:
    """Write the session as Markdown (``md``) or JSON (``json``) into ``folder``.

    Raises ``ValueError`` for another kind and ``OSError`` when the file cannot be written.
    """
    if kind == "md":
        text = export_markdown(session)
    elif kind == "json":
        text = json.dumps(export_json(session), ensure_ascii=False, indent=2) + "\n"
    else:
        raise ValueError(f"export format must be md or json, not {kind!r}")
    path = folder / export_file_name(session, kind)
    write_atomic(path, text)
    return path
