"""Attachments in sessions: saved as small blocks, resumed, exported whole, collected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_tui.attachments import AttachmentBlock, BlobStore, attachment_from_bytes
from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import Session, SessionStore
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.transfer import export_json, export_markdown, import_json

from . import sample_files

SETTINGS = SessionSettings(profile="work", model="m")


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "attachments")


@pytest.fixture
def store(tmp_path: Path, blobs: BlobStore) -> SessionStore:
    return SessionStore(tmp_path / "sessions", attachments=blobs)


def _session_with(store: SessionStore, *blocks: AttachmentBlock) -> Session:
    session = store.create(SETTINGS)
    session.append_message(ChatMessage.user("look at this", list(blocks)))
    return session


def test_the_session_file_holds_the_block_not_the_bytes(
    store: SessionStore, blobs: BlobStore
) -> None:
    big = sample_files.png(1200, 900) + b"\x00" * (3 * 1024 * 1024)  # 3 MB of image
    block = attachment_from_bytes(big, "big.png", blobs)
    session = _session_with(store, block)
    size = store.path_for(session.id).stat().st_size
    assert size < 4_000
    resumed = store.open(session.id)
    assert resumed.messages[0].attachments == [block]
    assert resumed.messages[0].text == "look at this"


def test_saves_after_a_large_attachment_stay_as_fast_as_before(
    store: SessionStore, blobs: BlobStore
) -> None:
    """Measured as bytes written, not time: each later save appends only its own line."""
    block = attachment_from_bytes(sample_files.png(10, 10) + b"\x00" * 3_000_000, "a.png", blobs)
    session = _session_with(store, block)
    path = store.path_for(session.id)
    before = path.stat().st_size
    session.append_message(ChatMessage.user("next"))
    assert path.stat().st_size - before < 500


def test_json_export_embeds_the_bytes_and_import_restores_them(
    store: SessionStore, blobs: BlobStore, tmp_path: Path
) -> None:
    image = attachment_from_bytes(sample_files.png(8, 8), "shot.png", blobs)
    text = attachment_from_bytes(b"hello\n", "a.txt", blobs)
    session = _session_with(store, image, text, image)
    exported = json.loads(json.dumps(export_json(session, blobs)))
    assert set(exported["attachments"]) == {image["sha256"], text["sha256"]}

    elsewhere = BlobStore(tmp_path / "other-attachments")
    other = SessionStore(tmp_path / "other-sessions", attachments=elsewhere)
    imported = import_json(exported, other)
    assert elsewhere.read(image["sha256"]) == sample_files.png(8, 8)
    assert elsewhere.read(text["sha256"]) == b"hello\n"
    assert other.open(imported.id).messages[0].attachments == [image, text, image]


def test_an_import_whose_bytes_do_not_match_their_hash_is_refused(
    store: SessionStore, blobs: BlobStore
) -> None:
    image = attachment_from_bytes(sample_files.png(8, 8), "shot.png", blobs)
    exported = export_json(_session_with(store, image), blobs)
    exported["attachments"][image["sha256"]]["data"] = "aGVsbG8="
    with pytest.raises(ValueError, match="does not match its hash"):
        import_json(exported, store)


def test_markdown_export_lists_the_attachments(store: SessionStore, blobs: BlobStore) -> None:
    image = attachment_from_bytes(sample_files.png(750, 100), "shot.png", blobs)
    markdown = export_markdown(_session_with(store, image))
    assert "📎 Attached: shot.png · image · " in markdown
    assert "~100 tokens" in markdown


def test_deleting_the_last_session_that_refers_to_a_file_removes_it(
    store: SessionStore, blobs: BlobStore
) -> None:
    shared = attachment_from_bytes(b"shared notes\n", "shared.txt", blobs)
    own = attachment_from_bytes(b"only in the first\n", "own.txt", blobs)
    first = _session_with(store, shared, own)
    second = _session_with(store, shared)
    store.delete(first.id)
    assert not blobs.has(own["sha256"])
    assert blobs.has(shared["sha256"])
    store.delete(second.id)
    assert not blobs.has(shared["sha256"])


def test_deleting_a_session_without_attachments_reads_no_other_session(
    store: SessionStore, blobs: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        _session_with(store)
    plain = _session_with(store)
    opened: list[str] = []
    real_read_bytes = Path.read_bytes

    def counting(path: Path) -> bytes:
        opened.append(path.name)
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    store.delete(plain.id)
    assert opened == [f"{plain.id}.jsonl"]
