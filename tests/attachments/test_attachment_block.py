"""Making an attachment block: checked against the API's limits, bytes stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.attachments import (
    BlobStore,
    OverLimitError,
    UnreadableFileError,
    attachment_from_bytes,
    attachment_from_file,
    attachment_label,
    sha256_of,
)
from claude_tui.attachments.api_limits import estimate_image_tokens

from . import sample_files


def test_an_image_block_holds_its_size_pixels_tokens_and_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = sample_files.png(1000, 750)
    path = tmp_path / "shot.png"
    path.write_bytes(data)
    block = attachment_from_file(path, store)
    assert block == {
        "type": "attachment",
        "sha256": sha256_of(data),
        "name": "shot.png",
        "kind": "image",
        "media_type": "image/png",
        "size": len(data),
        "tokens": 1000,
        "width": 1000,
        "height": 750,
    }
    assert store.read(block["sha256"]) == data


def test_bytes_are_stored_once_under_their_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = attachment_from_bytes(b"same text\n", "a.txt", store)
    second = attachment_from_bytes(b"same text\n", "b.txt", store)
    assert first["sha256"] == second["sha256"]
    assert list(store.hashes()) == [first["sha256"]]
    assert store.path_for(first["sha256"]).parent.name == first["sha256"][:2]


def test_image_tokens_follow_w_times_h_over_750_and_stop_growing_past_the_resize() -> None:
    assert estimate_image_tokens(750, 100) == 100
    assert estimate_image_tokens(1092, 1092) == estimate_image_tokens(1092, 1092)
    big = estimate_image_tokens(8000, 8000)
    assert big == estimate_image_tokens(4000, 4000) <= 1600


def test_an_image_too_large_once_encoded_is_refused_naming_the_limit(tmp_path: Path) -> None:
    data = sample_files.png(10, 10) + b"\x00" * (4 * 1024 * 1024)  # 4 MB: 5.3 MB encoded
    with pytest.raises(OverLimitError) as caught:
        attachment_from_bytes(data, "huge.png", BlobStore(tmp_path))
    assert "5.0 MB per image" in str(caught.value)
    assert "huge.png" in str(caught.value)
    assert not list(BlobStore(tmp_path).hashes())  # refused before it was stored


def test_an_image_over_8000_px_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OverLimitError) as caught:
        attachment_from_bytes(sample_files.png(9000, 20), "wide.png", BlobStore(tmp_path))
    assert "9000x20 px" in str(caught.value)
    assert "8000x8000 px" in str(caught.value)


def test_a_pdf_over_100_pages_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OverLimitError) as caught:
        attachment_from_bytes(sample_files.pdf(101), "book.pdf", BlobStore(tmp_path))
    assert "101 pages" in str(caught.value)
    assert "100 pages per PDF" in str(caught.value)


def test_a_pdf_block_counts_its_pages(tmp_path: Path) -> None:
    block = attachment_from_bytes(sample_files.pdf(3), "paper.pdf", BlobStore(tmp_path))
    assert (block["kind"], block["pages"], block["tokens"]) == ("pdf", 3, 9000)


def test_a_pdf_over_32_mb_is_refused(tmp_path: Path) -> None:
    data = sample_files.pdf(1) + b"%" * (32 * 1024 * 1024)
    with pytest.raises(OverLimitError) as caught:
        attachment_from_bytes(data, "scan.pdf", BlobStore(tmp_path))
    assert "32.0 MB per PDF" in str(caught.value)


def test_missing_files_and_folders_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        attachment_from_file(tmp_path / "nope.png", BlobStore(tmp_path))
    with pytest.raises(UnreadableFileError, match="directory"):
        attachment_from_file(tmp_path, BlobStore(tmp_path))


def test_the_chip_label_says_name_kind_size_and_tokens(tmp_path: Path) -> None:
    block = attachment_from_bytes(b"x" * 4000, "notes.md", BlobStore(tmp_path))
    assert attachment_label(block) == "notes.md · text · 4 KB · ~1.0k tokens"
