"""The session file format: records, encoding and the deltas a streaming checkpoint carries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions.session_file import (
    block_deltas,
    encode_record,
    header_record,
    new_session_text,
)
from claude_tui.sessions.session_replay import read_session_file
from claude_tui.sessions.session_settings import SessionSettings


def _write(path: Path, *records: dict[str, Any]) -> Path:
    header = header_record(
        session_id=path.stem,
        title=None,
        created=1.0,
        at=1.0,
        settings=SessionSettings(profile="p", model="m", system=None),
    )
    path.write_text(encode_record(header) + "".join(map(encode_record, records)))
    return path


# --- deltas ----------------------------------------------------------------------------------


def test_deltas_carry_only_what_was_added() -> None:
    before = [{"type": "thinking", "thinking": "Let me"}]
    after = [
        {"type": "thinking", "thinking": "Let me think.", "signature": "sig"},
        {"type": "text", "text": "Hello"},
    ]
    assert block_deltas(before, after) == [
        {"index": 0, "thinking": " think.", "signature": "sig"},
        {"index": 1, "type": "text", "text": "Hello"},
    ]
    assert block_deltas(after, after) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([{"type": "text", "text": "abc"}], [{"type": "text", "text": "abX"}]),  # rewritten
        ([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}], [{"type": "text"}]),
        ([{"type": "text", "text": "a"}], [{"type": "thinking", "thinking": "a"}]),
        ([{"type": "text", "text": "a", "x": 1}], [{"type": "text", "text": "a"}]),
        ([], [{"type": "text", "text": "a", "index": 3}]),  # "index" is reserved in deltas
    ],
)
def test_changes_deltas_cannot_express_return_none(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> None:
    assert block_deltas(before, after) is None


# --- encoding ------------------------------------------------------------------------------------


def test_lone_surrogates_are_saved_as_replacement_characters(tmp_path: Path) -> None:
    broken = ChatMessage.user("half an emoji: \ud83d and ünïcode")
    path = _write(tmp_path / "s1.jsonl", {"t": "message", "at": 1.0, "message": broken.to_json()})

    raw = path.read_bytes()
    assert b"\\ud83d" not in raw and "ünïcode".encode() in raw  # readable, not escaped
    assert read_session_file(path).messages[0].text == "half an emoji: \ufffd and ünïcode"


def test_an_emoji_split_in_two_is_saved_whole() -> None:
    line = encode_record({"t": "message", "text": "\ud83d" + "\ude00", "lone": "\ude00!"})
    assert json.loads(line) == {"t": "message", "text": "\U0001f600", "lone": "\ufffd!"}


def test_new_session_text_holds_header_and_messages(tmp_path: Path) -> None:
    header = header_record(
        session_id="s1",
        title="T",
        created=5.0,
        at=6.0,
        settings=SessionSettings(profile="p", model="m", system="sys", thinking="adaptive"),
    )
    messages = [ChatMessage.user("a"), ChatMessage(role="assistant", content=[])]
    path = tmp_path / "s1.jsonl"
    path.write_text(new_session_text(header, messages))
    loaded = read_session_file(path)
    assert (loaded.id, loaded.title, loaded.settings.system, loaded.settings.thinking) == (
        "s1",
        "T",
        "sys",
        "adaptive",
    )
    assert [m.to_json() for m in loaded.messages] == [m.to_json() for m in messages]
    assert (loaded.created, loaded.updated) == (5.0, 6.0)


def test_records_are_single_lines_of_json() -> None:
    record = {"t": "message", "message": ChatMessage.user("two\nlines\r\n\u2028").to_json()}
    line = encode_record(record)
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line) == record
