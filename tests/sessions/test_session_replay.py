"""Loading session files: replay, damaged files, and what a crash at any byte leaves behind."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from claude_tui.atomic_write import append_line
from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.sessions.session_errors import SessionUnreadable
from claude_tui.sessions.session_file import encode_record, header_record
from claude_tui.sessions.session_replay import parse_session, read_session_file
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore


def _header_line(session_id: str = "abc123", **overrides: Any) -> str:
    fields: dict[str, Any] = {"session_id": session_id, "title": None, "created": 1000.0}
    settings = {"profile": "default", "model": "claude-sonnet-4-5"}
    for name in ("profile", "model", "system", "thinking"):
        if name in overrides:
            settings[name] = overrides.pop(name)
    fields.update(overrides)
    fields.setdefault("at", 1000.0)
    return encode_record(header_record(settings=SessionSettings(**settings), **fields))


def _write(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text(_header_line(path.stem) + "".join(map(encode_record, records)))
    return path


def _state(path_or_bytes: Path | bytes, path: Path | None = None) -> list[dict[str, Any]]:
    """What a file loads as, in a comparable form."""
    if isinstance(path_or_bytes, Path):
        loaded = read_session_file(path_or_bytes)
    else:
        assert path is not None
        loaded = parse_session(path_or_bytes, path)
    header = {
        "title": loaded.title,
        "settings": loaded.settings.to_json(),
    }
    return [header, *(m.to_json() for m in loaded.messages)]


# --- replay ----------------------------------------------------------------------------------


def test_partial_records_rebuild_the_reply_and_load_as_interrupted(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s1.jsonl",
        {"t": "message", "at": 1001.0, "message": ChatMessage.user("hi").to_json()},
        {
            "t": "partial",
            "at": 1002.0,
            "id": "m2",
            "role": "assistant",
            "meta": {"model": "claude-opus-4-1", "ttft_ms": 120.0},
            "deltas": [{"index": 0, "type": "thinking", "thinking": "Hmm"}],
        },
        {
            "t": "partial",
            "at": 1003.0,
            "id": "m2",
            "role": "assistant",
            "deltas": [
                {"index": 0, "thinking": ", ok.", "signature": "s1"},
                {"index": 1, "type": "text", "text": "Hel"},
            ],
        },
        {
            "t": "partial",
            "at": 1004.0,
            "id": "m2",
            "role": "assistant",
            "deltas": [{"index": 1, "text": "lo"}],
        },
    )
    loaded = read_session_file(path)
    reply = loaded.messages[1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.thinking_text == "Hmm, ok."
    assert reply.content[0]["signature"] == "s1"
    assert reply.text == "Hello"
    assert reply.model == "claude-opus-4-1"
    assert reply.ttft_ms == 120.0
    assert loaded.updated == 1004.0


def test_a_final_message_record_replaces_the_partial_in_place(tmp_path: Path) -> None:
    user = ChatMessage.user("first")
    final = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": "done"}],
        id="m2",
        usage=Usage(input_tokens=10, output_tokens=3),
        stop_reason="end_turn",
        duration_ms=900.0,
    )
    later = ChatMessage.user("second")
    path = _write(
        tmp_path / "s1.jsonl",
        {"t": "message", "at": 1.0, "message": user.to_json()},
        {
            "t": "partial",
            "at": 2.0,
            "id": "m2",
            "role": "assistant",
            "deltas": [{"index": 0, "type": "text", "text": "do"}],
        },
        {"t": "message", "at": 3.0, "message": later.to_json()},
        {"t": "message", "at": 4.0, "message": final.to_json()},
    )
    messages = read_session_file(path).messages
    assert [m.id for m in messages] == [user.id, "m2", later.id]
    assert messages[1].to_json() == final.to_json()
    assert messages[1].status is MessageStatus.COMPLETE


def test_meta_delete_and_unknown_records(tmp_path: Path) -> None:
    doomed = ChatMessage.user("oops")
    kept = ChatMessage.user("keep")
    path = _write(
        tmp_path / "s1.jsonl",
        {"t": "message", "at": 1.0, "message": doomed.to_json(), "title": "oops"},
        {"t": "message", "at": 2.0, "message": kept.to_json()},
        {"t": "delete", "at": 3.0, "id": doomed.id},
        {"t": "meta", "at": 4.0, "title": "Renamed", "model": "m2", "thinking": "4096"},
        {"t": "meta", "at": 5.0, "system": "Be brief."},
        {"t": "from-the-future", "at": 6.0, "whatever": [1, 2]},
    )
    loaded = read_session_file(path)
    assert [m.id for m in loaded.messages] == [kept.id]
    # Meta records of files written before settings were saved whole still apply.
    assert (loaded.title, loaded.settings.model, loaded.settings.thinking) == (
        "Renamed",
        "m2",
        4096,
    )
    assert loaded.settings.system == "Be brief."
    assert loaded.settings.profile == "default"
    assert loaded.skipped_lines == 0


# --- unreadable files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"this is not json\n", "not a session header"),
        (b'{"t":"message","message":{}}\n', "not a session header"),
        (b'{"t":"session","id":"x"}\n', "format version"),
        (_header_line().replace('"schema":1', '"schema":2').encode(), "newer claude-tui"),
    ],
)
def test_files_without_a_usable_header_are_unreadable(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(SessionUnreadable, match=reason) as caught:
        read_session_file(path)
    assert caught.value.path == path
    assert path.read_bytes() == content


def test_damaged_lines_after_the_header_are_skipped(tmp_path: Path) -> None:
    a, b = ChatMessage.user("a"), ChatMessage.user("b")
    path = tmp_path / "s1.jsonl"
    path.write_text(
        _header_line("s1")
        + encode_record({"t": "message", "at": 1.0, "message": a.to_json()})
        + '{"t":"message","at":2.0,"mess\n'  # torn by a crash, then ended by the next append
        + "\x00\x00\x00\n"  # zeroed block after a power loss
        + '{"t":"message","message":{"role":"robot","id":"x"}}\n'  # invalid message
        + "[1, 2]\n"
        + encode_record({"t": "message", "at": 3.0, "message": b.to_json()})
    )
    loaded = read_session_file(path)
    assert [m.text for m in loaded.messages] == ["a", "b"]
    assert loaded.skipped_lines == 4


# --- crash points ----------------------------------------------------------------------------


def _build_session_with_history(root: Path) -> tuple[Path, list[bytes], list[Any]]:
    """A session written through the real API. Returns its path, the file's bytes after each
    write, and what the file loads as after each write."""
    store = SessionStore(root)
    session = store.create(
        SessionSettings(profile="default", model="claude-sonnet-4-5", thinking="adaptive")
    )
    snapshots = [session.path.read_bytes()]

    def snap() -> None:
        snapshots.append(session.path.read_bytes())

    session.append_message(ChatMessage.user("  Explain   crash\tsafety, please\nin detail"))
    snap()
    reply = ChatMessage(
        role="assistant", content=[], model="claude-sonnet-4-5", status=MessageStatus.STREAMING
    )
    reply.content.append({"type": "thinking", "thinking": "The user wants"})
    session.checkpoint_reply(reply)
    snap()
    reply.content[0]["thinking"] += " an explanation."
    reply.content[0]["signature"] = "EqQBCkgIAR"
    reply.content.append({"type": "text", "text": "Crash safety means"})
    session.checkpoint_reply(reply)
    snap()
    reply.content[1]["text"] += " that nothing saved is lost — «ünïcode» too."
    session.checkpoint_reply(reply)
    snap()
    reply.status = MessageStatus.COMPLETE
    reply.usage = Usage(input_tokens=12, output_tokens=40)
    reply.stop_reason = "end_turn"
    session.finish_reply(reply)
    snap()
    session.rename("Crash safety")
    snap()
    session.set_settings(session.settings.changed(model="claude-opus-4-1", thinking=4096))
    snap()
    second = ChatMessage.user("And durability?")
    session.append_message(second)
    snap()
    session.delete_message(second.id)
    snap()
    states = [_state(data, session.path) for data in snapshots]
    return session.path, snapshots, states


def test_truncating_at_every_byte_keeps_every_complete_record(tmp_path: Path) -> None:
    path, snapshots, states = _build_session_with_history(tmp_path / "sessions")
    full = snapshots[-1]
    # Every snapshot is a prefix of the next: the file was only ever appended to.
    assert all(b.startswith(a) for a, b in itertools.pairwise(snapshots))
    assert states[2][2]["status"] == "interrupted"  # after the first checkpoint
    assert states[4][2]["status"] == "interrupted"
    assert states[4][2]["content"][1]["text"].endswith("«ünïcode» too.")
    assert states[5][2]["status"] == "complete"
    assert states[5][0]["title"] == "Explain crash safety, please"
    # Every offset from the middle of the header line to the end of the file.
    header_end = len(snapshots[0])
    scratch = tmp_path / "scratch" / path.name
    scratch.parent.mkdir()
    for offset in range(header_end // 2, len(full) + 1):
        data = full[:offset]
        if offset < header_end - 1:
            with pytest.raises(SessionUnreadable, match="header line is incomplete"):
                parse_session(data, path)
            continue
        # Records wholly present: a record without its newline is complete, too.
        complete = max(i for i, snap in enumerate(snapshots) if len(snap) - 1 <= offset)
        assert _state(data, path) == states[complete], f"offset {offset}"
        # And a session reopened from that crash keeps working: the next append lands on
        # a line of its own and everything already saved is still there.
        scratch.write_bytes(data)
        store = SessionStore(scratch.parent)
        session = store.open(scratch.stem)
        session.append_message(ChatMessage.user("after the crash"))
        reloaded = _state(scratch)
        assert reloaded[1:-1] == states[complete][1:], f"offset {offset}"
        assert reloaded[-1]["content"][0]["text"] == "after the crash"


def test_a_torn_last_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    kept = {"t": "message", "at": 1.0, "message": ChatMessage.user("kept").to_json()}
    path = _write(tmp_path / "s1.jsonl", kept)
    with path.open("ab") as handle:
        handle.write(b'{"t":"message","at":2.0,"message":{"id":"x","role":"user","con')
    assert [m.text for m in read_session_file(path).messages] == ["kept"]
    append_line(path, encode_record({"t": "meta", "at": 3.0, "title": "After"}))
    loaded = read_session_file(path)
    assert loaded.title == "After"
    assert [m.text for m in loaded.messages] == ["kept"]
    assert loaded.skipped_lines == 1
