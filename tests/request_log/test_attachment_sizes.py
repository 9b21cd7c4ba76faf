"""Attachments of a request body as sizes, from both API formats' shapes."""

from __future__ import annotations

import json

from claude_tui.request_log import attachment_sizes, size_text
from claude_tui.request_log.attachment_sizes import AttachmentSize
from claude_tui.wire.attachment_blocks import file_text_block_text


def body(*messages: list[dict[str, object]]) -> str:
    return json.dumps({"messages": [{"role": "user", "content": m} for m in messages]})


def test_anthropic_images_pdfs_and_text_files() -> None:
    sent = body(
        [{"type": "text", "text": "plain prompt"}],
        [
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/jpeg", "data": "A" * 1500},
            },
            {
                "type": "document",
                "source": {
                    "type": "base64",
                    "media_type": "application/pdf",
                    "data": "B" * 2_400_000,
                },
                "title": "report.pdf",
            },
            {"type": "text", "text": file_text_block_text('a "b" & c.py', "print(1)\n")},
        ],
    )
    sizes = attachment_sizes(sent)
    assert [(s.kind, s.media_type, s.characters, s.name, s.message) for s in sizes] == [
        ("image", "image/jpeg", 1500, "", 2),
        ("pdf", "application/pdf", 2_400_000, "report.pdf", 2),
        (
            "file",
            "text/plain",
            len(file_text_block_text('a "b" & c.py', "print(1)\n")),
            'a "b" & c.py',
            2,
        ),
    ]
    assert sizes[1].describe() == "pdf report.pdf application/pdf, 2.4 MB of base64 (message 2)"


def test_openai_data_uris() -> None:
    url = "data:image/webp;base64," + "C" * 999
    sizes = attachment_sizes(body([{"type": "image_url", "image_url": {"url": url}}]))
    assert sizes == [AttachmentSize("image", "image/webp", 999, "", 1)]


def test_no_body_text_only_and_not_json() -> None:
    assert attachment_sizes(None) == []
    assert attachment_sizes(body([{"type": "text", "text": "just words"}])) == []
    assert attachment_sizes('{"data": ') == []


def test_size_text() -> None:
    assert [size_text(n) for n in (0, 999, 1000, 4100, 1_250_000)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "4.1 kB",
        "1.2 MB",
    ]
