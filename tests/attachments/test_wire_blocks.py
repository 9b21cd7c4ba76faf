"""Attachment blocks in the request bodies of both formats, expanded only there."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from claude_tui.attachments import AttachmentBlock, BlobStore, attachment_from_bytes
from claude_tui.chat_message import ChatMessage
from claude_tui.wire import AttachmentNotSentError, ChatRequest, sent_history
from claude_tui.wire.anthropic_request import anthropic_body
from claude_tui.wire.openai_request import openai_body
from claude_tui.wire.token_estimate import estimate_message_tokens

from . import sample_files


class CountingStore(BlobStore):
    """A blob store that counts reads, to prove estimates never load bytes."""

    reads = 0

    def read(self, sha256: str) -> bytes:
        CountingStore.reads += 1
        return super().read(sha256)


@pytest.fixture
def store(tmp_path: Path) -> CountingStore:
    CountingStore.reads = 0
    return CountingStore(tmp_path / "blobs")


def _blocks(store: BlobStore) -> tuple[AttachmentBlock, AttachmentBlock, AttachmentBlock]:
    image = attachment_from_bytes(sample_files.png(64, 32), "shot.png", store)
    pdf = attachment_from_bytes(sample_files.pdf(2), "paper.pdf", store)
    text = attachment_from_bytes(b"print('hi')\n", "hello.py", store)
    return image, pdf, text


def test_anthropic_body_carries_image_document_and_text_blocks(store: CountingStore) -> None:
    image, pdf, text = _blocks(store)
    prompt = ChatMessage.user("What is in these?", [image, pdf, text])
    body = anthropic_body(ChatRequest(history=[prompt], model="m", attachments=store))
    content = body["messages"][0]["content"]
    assert content[0] == {
        "type": "image",
        "source": {
            "type": "base64",
            "media_type": "image/png",
            "data": base64.b64encode(sample_files.png(64, 32)).decode(),
        },
    }
    assert content[1]["type"] == "document"
    assert content[1]["title"] == "paper.pdf"
    assert base64.b64decode(content[1]["source"]["data"]) == sample_files.pdf(2)
    assert content[2] == {
        "type": "text",
        "text": "<file name=\"hello.py\">\nprint('hi')\n\n</file>",
    }
    assert content[3] == {"type": "text", "text": "What is in these?"}
    # The saved message is untouched: still the small blocks.
    assert prompt.content[0]["type"] == "attachment"


def test_openai_body_sends_images_as_data_uris_and_text_as_text(store: CountingStore) -> None:
    image, _pdf, text = _blocks(store)
    history = [ChatMessage.user("look", [image, text])]
    body = openai_body(ChatRequest(history=history, model="m", attachments=store))
    content = body["messages"][0]["content"]
    data = base64.b64encode(sample_files.png(64, 32)).decode()
    assert content[0] == {
        "type": "image_url",
        "image_url": {"url": f"data:image/png;base64,{data}"},
    }
    assert content[1]["type"] == "text"
    assert content[1]["text"].startswith('<file name="hello.py">')
    assert content[2] == {"type": "text", "text": "look"}


def test_openai_refuses_a_pdf_before_sending_with_the_reason(store: CountingStore) -> None:
    _image, pdf, _text = _blocks(store)
    request = ChatRequest(history=[ChatMessage.user("read", [pdf])], model="m", attachments=store)
    with pytest.raises(AttachmentNotSentError) as caught:
        openai_body(request)
    assert "paper.pdf is a PDF" in str(caught.value)
    assert "no document part" in str(caught.value)


def test_estimates_and_trimming_read_tokens_never_bytes(store: CountingStore) -> None:
    image, pdf, text = _blocks(store)
    history = [ChatMessage.user("one", [image, pdf, text])]
    turns = sent_history(ChatRequest(history=history, model="m", context_window=100_000)).turns
    assert store.reads == 0
    tokens = estimate_message_tokens(turns[0])
    assert tokens == 4 + image["tokens"] + pdf["tokens"] + text["tokens"] + 1
    assert store.reads == 0


def test_trimming_cuts_by_attachment_tokens() -> None:
    heavy = {"type": "attachment", "sha256": "0" * 64, "name": "a.png", "kind": "image",
             "media_type": "image/png", "size": 10, "tokens": 1500}  # fmt: skip
    history = [
        ChatMessage.user("first", [heavy]),
        ChatMessage(role="assistant", content=[{"type": "text", "text": "ok"}], model="m"),
        ChatMessage.user("second"),
    ]
    sent = sent_history(
        ChatRequest(history=history, model="m", context_window=1200, max_tokens=100)
    )
    assert sent.left_out == 2


def test_a_blob_gone_from_the_store_is_sent_as_a_note(store: CountingStore) -> None:
    image, _pdf, _text = _blocks(store)
    store.remove(image["sha256"])
    body = anthropic_body(
        ChatRequest(history=[ChatMessage.user("hi", [image])], model="m", attachments=store)
    )
    assert body["messages"][0]["content"][0] == {
        "type": "text",
        "text": "[attachment shot.png is no longer stored, so it was not sent]",
    }


def test_more_than_20_images_must_each_fit_2000_px(store: CountingStore) -> None:
    small = attachment_from_bytes(sample_files.png(100, 100), "small.png", store)
    large = attachment_from_bytes(sample_files.png(2400, 100), "large.png", store)
    history = [ChatMessage.user(f"{n}", [small]) for n in range(20)]
    history.append(ChatMessage.user("last", [large]))
    with pytest.raises(AttachmentNotSentError, match="2000x2000 px"):
        anthropic_body(ChatRequest(history=history, model="m", attachments=store))
    history.pop()
    history.append(ChatMessage.user("last", [small]))
    anthropic_body(ChatRequest(history=history, model="m", attachments=store))


def test_more_than_100_images_in_one_request_are_refused(store: CountingStore) -> None:
    small = attachment_from_bytes(sample_files.png(10, 10), "s.png", store)
    history = [ChatMessage.user("many", [small] * 101)]
    with pytest.raises(AttachmentNotSentError, match="at most 100"):
        openai_body(ChatRequest(history=history, model="m", attachments=store))


def test_openai_merges_consecutive_prompts_with_attachments_into_one_turn(
    store: CountingStore,
) -> None:
    image, _pdf, text = _blocks(store)
    history = [ChatMessage.user("first", [image]), ChatMessage.user("second", [text])]
    turns = sent_history(ChatRequest(history=history, model="m"), "openai").turns
    assert len(turns) == 1
    assert [part["type"] for part in turns[0]["content"]] == [
        "attachment",
        "text",
        "attachment",
        "text",
    ]
    plain = [ChatMessage.user("a"), ChatMessage.user("b", [text])]
    [turn] = sent_history(ChatRequest(history=plain, model="m"), "openai").turns
    assert turn["content"][0] == {"type": "text", "text": "a"}
