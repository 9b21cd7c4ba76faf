"""Attachments over real sockets: what the demo relay received, on each API format, and what
print mode's ``--attach`` sends, saves and refuses."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path
from typing import Any

import pytest
from attachments import sample_files
from config_files import write_config_file

from claude_tui.attachments import BlobStore, attachment_from_bytes
from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui


def _profile(relay: DemoRelay, api_format: str) -> Profile:
    base_url = relay.base_url + ("/v1" if api_format == "openai" else "")
    table = {"base_url": base_url, "auth": "none", "model": "claude-demo", "max_retries": 0}
    return profile_from_table(api_format, {**table, "api_format": api_format})


async def _send(conversation: Conversation, text: str, blocks: list[Any]) -> None:
    async with contextlib.aclosing(conversation.send(text, blocks)) as replies:
        async for _ in replies:
            pass


def _conversation(profile: Profile, pool: EndpointPool) -> Conversation:
    session = SessionStore().create(SessionSettings(profile=profile.name, model=profile.model))
    return Conversation(session, profile, pool)


async def test_anthropic_request_carries_image_document_and_text_blocks(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    store = BlobStore()
    image = attachment_from_bytes(sample_files.png(40, 30), "shot.png", store)
    pdf = attachment_from_bytes(sample_files.pdf(1), "spec.pdf", store)
    code = attachment_from_bytes(b"x = 1\n", "x.py", store)
    conversation = _conversation(_profile(demo_relay, "anthropic"), pool)
    await _send(conversation, "Compare these.", [image, pdf, code])
    await _send(conversation, "And now?", [])

    first, second = (request.json for request in demo_relay.requests)
    content = first["messages"][0]["content"]
    assert [block["type"] for block in content] == ["image", "document", "text", "text"]
    assert base64.b64decode(content[0]["source"]["data"]) == sample_files.png(40, 30)
    assert content[0]["source"]["media_type"] == "image/png"
    assert content[1]["source"]["media_type"] == "application/pdf"
    assert base64.b64decode(content[1]["source"]["data"]) == sample_files.pdf(1)
    assert content[2]["text"] == '<file name="x.py">\nx = 1\n\n</file>'
    assert content[3]["text"] == "Compare these."
    # The next turn sends the attachments again with the history (read from the store).
    assert second["messages"][0]["content"] == content
    # The session saved the small blocks, and the reply.
    saved = SessionStore().open(conversation.session.id).messages
    assert saved[0].attachments == [image, pdf, code]
    assert saved[1].status is MessageStatus.COMPLETE


async def test_openai_request_carries_data_uri_images_and_text_parts(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    store = BlobStore()
    image = attachment_from_bytes(sample_files.jpeg(64, 48), "photo.jpg", store)
    notes = attachment_from_bytes(b"- a\n- b\n", "notes.md", store)
    conversation = _conversation(_profile(demo_relay, "openai"), pool)
    await _send(conversation, "What is this?", [image, notes])

    [request] = demo_relay.requests
    assert request.path == "/v1/chat/completions"
    content = request.json["messages"][0]["content"]
    encoded = base64.b64encode(sample_files.jpeg(64, 48)).decode()
    assert content[0] == {
        "type": "image_url",
        "image_url": {"url": f"data:image/jpeg;base64,{encoded}"},
    }
    assert content[1] == {"type": "text", "text": '<file name="notes.md">\n- a\n- b\n\n</file>'}
    # The newest user turn also carries prompt caching's breakpoint (cache = "auto").
    assert content[2] == {
        "type": "text",
        "text": "What is this?",
        "cache_control": {"type": "ephemeral"},
    }


async def test_openai_refuses_a_pdf_in_the_history_before_anything_is_sent(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    pdf = attachment_from_bytes(sample_files.pdf(1), "spec.pdf", BlobStore())
    conversation = _conversation(_profile(demo_relay, "openai"), pool)
    await _send(conversation, "Read it.", [pdf])

    assert demo_relay.requests == []
    reply = conversation.session.messages[-1]
    assert reply.status is MessageStatus.ERROR
    assert "spec.pdf is a PDF" in (reply.error or "")
    assert "no document part" in (reply.error or "")


# --- print mode ----------------------------------------------------------------------------


def _config(relay: DemoRelay) -> None:
    write_config_file(
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{relay.base_url}"
auth = "none"
model = "claude-demo"
max_retries = 0

[profiles.openai]
base_url = "{relay.base_url}/v1"
api_format = "openai"
auth = "none"
model = "demo-gpt"
max_retries = 0
"""
    )


def test_print_mode_attach_sends_each_file_and_saves_the_blocks(
    demo_relay: DemoRelay, tmp_path: Path
) -> None:
    _config(demo_relay)
    (tmp_path / "a.png").write_bytes(sample_files.png(20, 10))
    (tmp_path / "b.txt").write_text("plain words\n", encoding="utf-8")
    run = run_claude_tui(
        "-p", "Describe.", "--attach", str(tmp_path / "a.png"), "--attach", str(tmp_path / "b.txt")
    )
    assert run.code == 0, run.stderr
    [request] = demo_relay.requests
    content = request.json["messages"][0]["content"]
    assert [block["type"] for block in content] == ["image", "text", "text"]
    assert content[1]["text"].startswith('<file name="b.txt">')
    [summary] = SessionStore().list()
    prompt = SessionStore().open(summary.id).messages[0]
    assert [block["name"] for block in prompt.attachments] == ["a.png", "b.txt"]


@pytest.mark.parametrize(
    ("file_bytes", "args", "needle"),
    [
        (b"PK\x03\x04zip", (), "is a ZIP archive"),
        (sample_files.png(9001, 10), (), "8000x8000 px"),
        (sample_files.pdf(1), ("--profile", "openai"), "no document part"),
    ],
)
def test_print_mode_refuses_a_file_before_anything_is_sent_or_saved(
    demo_relay: DemoRelay, tmp_path: Path, file_bytes: bytes, args: tuple[str, ...], needle: str
) -> None:
    _config(demo_relay)
    path = tmp_path / "file.bin"
    path.write_bytes(file_bytes)
    run = run_claude_tui("-p", "Look.", "--attach", str(path), *args)
    assert run.code == 2
    assert needle in run.stderr
    assert run.stderr.count("\n") == 1
    assert demo_relay.requests == []
    assert SessionStore().list() == []


def test_attach_without_print_mode_is_a_usage_error(tmp_path: Path) -> None:
    run = run_claude_tui("--attach", str(tmp_path / "x.png"))
    assert run.code == 2
    assert "--attach needs -p/--print" in run.stderr
