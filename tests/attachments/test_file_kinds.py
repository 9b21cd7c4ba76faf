"""Kinds come from the bytes, not the name; other files are refused naming what they are."""

from __future__ import annotations

import pytest

from claude_tui.attachments import UnsupportedFileError
from claude_tui.attachments.file_kinds import detect_kind
from claude_tui.attachments.image_size import image_dimensions
from claude_tui.attachments.pdf_pages import pdf_page_count

from . import sample_files


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (sample_files.png(), "image/png"),
        (sample_files.jpeg(), "image/jpeg"),
        (sample_files.gif(), "image/gif"),
        (sample_files.webp_lossy(), "image/webp"),
    ],
)
def test_images_are_known_by_their_magic_bytes_whatever_the_name(
    data: bytes, media_type: str
) -> None:
    detected = detect_kind(data, "misnamed.txt")
    assert (detected.kind, detected.media_type) == ("image", media_type)


def test_a_pdf_is_a_document_and_utf8_code_is_text() -> None:
    assert detect_kind(sample_files.pdf(), "a.bin").kind == "pdf"
    code = detect_kind("def f() -> str:\n    return 'é'\n".encode(), "f.py")
    assert code.kind == "text"
    assert code.media_type.startswith("text/")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest of a zip", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "ELF executable"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\xff\xfeh\x00i\x00", "UTF-16"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 8, "HEIC"),
        (b"\x00\x01\x02\x03\xfe\xfd", "unknown type"),
        (b"caf\xe9 latin-1", "unknown type"),
        (b"", "empty"),
    ],
)
def test_other_files_are_refused_naming_their_detected_type(data: bytes, words: str) -> None:
    with pytest.raises(UnsupportedFileError) as caught:
        detect_kind(data, "thing.dat")
    assert words in str(caught.value)
    assert "thing.dat" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "media_type", "size"),
    [
        (sample_files.png(1920, 1080), "image/png", (1920, 1080)),
        (sample_files.jpeg(800, 600), "image/jpeg", (800, 600)),
        (sample_files.gif(31, 17), "image/gif", (31, 17)),
        (sample_files.webp_lossy(300, 200), "image/webp", (300, 200)),
        (sample_files.webp_lossless(123, 45), "image/webp", (123, 45)),
        (sample_files.webp_extended(4000, 3000), "image/webp", (4000, 3000)),
    ],
)
def test_dimensions_are_read_from_the_headers(
    data: bytes, media_type: str, size: tuple[int, int]
) -> None:
    assert image_dimensions(data, media_type) == size


def test_a_cut_header_has_no_dimensions_rather_than_an_error() -> None:
    assert image_dimensions(sample_files.jpeg()[:12], "image/jpeg") is None
    assert image_dimensions(sample_files.png()[:18], "image/png") is None


def test_pdf_pages_come_from_the_page_tree() -> None:
    assert pdf_page_count(sample_files.pdf(7)) == 7
    assert pdf_page_count(b"%PDF-1.7\n(compressed objects only)") is None
