"""Text attachments checked by the same policy as the prompt: what is found (by file and
line, masked), which blocks are left alone, and the redacted copies stored instead."""

from __future__ import annotations

from pathlib import Path

from claude_tui.attachments import BlobStore, attachment_from_bytes
from claude_tui.redaction import (
    SecretPolicy,
    copies_note,
    describe_all,
    find_attachment_secrets,
    find_secrets,
    with_redacted_copies,
)

from .secret_samples import AWS_KEY, GITHUB_TOKEN


def test_finds_secrets_in_text_files_only_and_copies_them_redacted(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    clean = dict(attachment_from_bytes(b"nothing here\n", "clean.txt", store))
    notes = dict(attachment_from_bytes(f"a\nb\nid {AWS_KEY}\n".encode(), "notes.md", store))
    image = dict(attachment_from_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "x.png", store))
    blocks = [clean, notes, image]

    [found] = find_attachment_secrets(blocks, SecretPolicy("ask"), store)
    assert found.name == "notes.md"
    assert found.preview_lines() == ["notes.md line 3: aws-key …" + AWS_KEY[-4:]]
    assert find_attachment_secrets(blocks, SecretPolicy("off"), store) == []

    sent = with_redacted_copies(blocks, [found], store)
    assert sent[0] == clean and sent[2] == image
    assert sent[1]["name"] == "notes.md" and sent[1]["sha256"] != notes["sha256"]
    assert store.read(sent[1]["sha256"]) == b"a\nb\nid [REDACTED:aws-key]\n"
    # The original is not changed, and no session refers to it: it is gone from the store.
    assert not store.has(notes["sha256"])


def test_counts_prompt_and_files_together(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    one = dict(attachment_from_bytes(f"{GITHUB_TOKEN}\n".encode(), "a.txt", store))
    two = dict(attachment_from_bytes(f"{AWS_KEY}\n".encode(), "b.txt", store))
    found = find_attachment_secrets([one, two], SecretPolicy("always"), store)
    prompt = find_secrets(f"see {AWS_KEY}")
    assert describe_all(prompt, found) == "3 secrets (aws-key, github-token)"
    assert copies_note(found) == "redacted copies of 2 files (a.txt, b.txt) go instead"
    assert copies_note(found[:1]) == "a redacted copy of a.txt goes instead"


def test_an_original_an_earlier_session_holds_stays_in_the_store(tmp_path: Path) -> None:
    """The same file sent earlier (as is): that session still needs its bytes."""
    from claude_tui import paths

    store = BlobStore(tmp_path)
    notes = dict(attachment_from_bytes(f"id {AWS_KEY}\n".encode(), "notes.md", store))
    sessions = paths.sessions_dir()
    sessions.mkdir(parents=True, exist_ok=True)
    earlier = '{"t":"message","content":[{"type":"attachment","sha256":"%s"}]}\n'
    (sessions / "20261201-000000-abcd1234.jsonl").write_text(earlier % notes["sha256"])

    [found] = find_attachment_secrets([notes], SecretPolicy("always"), store)
    with_redacted_copies([notes], [found], store)
    assert store.has(notes["sha256"])
