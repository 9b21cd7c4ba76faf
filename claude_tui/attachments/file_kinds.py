"""What a file is, from its first bytes (never its name): image, PDF, text, or refused.

The name can lie (a ``.png`` that is a JPEG, a ``.txt`` that is a zip); the bytes cannot,
and the API checks the media type against them. A file that is none of the kinds the API
takes is refused with what it looks like ("a ZIP archive"), so the user knows why.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Literal

from claude_tui.attachments.attachment_errors import UnsupportedFileError

AttachmentKind = Literal["image", "pdf", "text"]


@dataclass(frozen=True, slots=True)
class DetectedKind:
    """The kind of an attachable file and the media type it is sent as."""

    kind: AttachmentKind
    media_type: str


_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

# Binary formats users drop by mistake, named so the refusal says what the file is.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx, .jar built on one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal binary or Java class file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an ICO icon"),
    (b"8BPS", "a Photoshop document"),
    (b"OggS", "an Ogg audio or video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file"),
    (b"PAR1", "a Parquet file"),
    (b"\xff\xfe", "UTF-16 text (save it as UTF-8 to attach it)"),
    (b"\xfe\xff", "UTF-16 text (save it as UTF-8 to attach it)"),
)

_FTYP_BRANDS = {
    b"heic": "a HEIC image",
    b"heix": "a HEIC image",
    b"mif1": "a HEIF image",
    b"avif": "an AVIF image",
}

_TEXT_PROBE = 64 * 1024
"""Bytes of a big file checked for text before deciding (a NUL there means binary)."""


def detect_kind(data: bytes, name: str) -> DetectedKind:
    """The kind of ``data`` (a file called ``name``), or :class:`UnsupportedFileError`."""
    for magic, media_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return DetectedKind("image", media_type)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return DetectedKind("image", "image/webp")
    if data[:5] == b"%PDF-" or data[:1024].lstrip().startswith(b"%PDF-"):
        return DetectedKind("pdf", "application/pdf")
    if not data:
        raise UnsupportedFileError(name, "empty")
    detected = _other_binary(data)
    if detected is not None:
        raise UnsupportedFileError(name, detected)
    if _is_utf8_text(data):
        return DetectedKind("text", _text_media_type(name))
    if data[:2] == b"MZ":
        raise UnsupportedFileError(name, "a Windows executable")
    if data[:2] == b"BM":
        raise UnsupportedFileError(name, "a BMP image (convert it to PNG to attach it)")
    raise UnsupportedFileError(name, "binary data of an unknown type")


def _other_binary(data: bytes) -> str | None:
    for magic, described in _OTHER_MAGIC:
        if data.startswith(magic):
            return described
    if data[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(data[8:12], "an MP4 or QuickTime video")
    if data[:4] == b"RIFF":
        return {b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}.get(
            data[8:12], "a RIFF media file"
        )
    return None


def _is_utf8_text(data: bytes) -> bool:
    if b"\x00" in data[:_TEXT_PROBE]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text_media_type(name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    if guessed and (guessed.startswith("text/") or guessed.endswith(("json", "xml", "yaml"))):
        return guessed
    return "text/plain"
