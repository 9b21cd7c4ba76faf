"""The listing index: read instead of the files, repaired from them, compacted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_tui.atomic_write import append_line
from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import SessionStore, SessionUnreadable
from claude_tui.sessions.session_file import encode_record, message_record
from claude_tui.sessions.session_index import INDEX_FILE_NAME, SessionIndex
from claude_tui.sessions.session_settings import SessionSettings


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


def _index_lines(store: SessionStore) -> list[dict[str, object]]:
    text = (store.root / INDEX_FILE_NAME).read_text()
    return [json.loads(line) for line in text.splitlines()]


def _counts(store: SessionStore) -> dict[str, int]:
    return {s.id: s.message_count for s in store.list()}


def test_every_change_that_shows_in_the_list_is_indexed(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("Hello"))
    session.rename("Greeting")
    session.set_settings(session.settings.changed(model="m2"))
    last = _index_lines(store)[-1]
    assert last["id"] == session.id
    assert (last["title"], last["model"], last["message_count"]) == ("Greeting", "m2", 1)
    assert last["updated"] == session.updated


def test_listing_reads_the_index_not_the_files(store: SessionStore) -> None:
    store.create(SessionSettings(profile="p", model="m"), title="On disk")
    entry = dict(_index_lines(store)[-1], title="From the index")
    append_line(store.root / INDEX_FILE_NAME, encode_record(entry))
    assert [s.title for s in store.list()] == ["From the index"]


def test_a_missing_index_is_rebuilt_from_the_files(store: SessionStore) -> None:
    sessions = [
        store.create(SessionSettings(profile="p", model="m"), title=f"s{n}") for n in range(5)
    ]
    for n, session in enumerate(sessions):
        for _ in range(n):
            session.append_message(ChatMessage.user("q"))
    expected = _counts(store)
    (store.root / INDEX_FILE_NAME).unlink()
    assert _counts(SessionStore(store.root)) == expected
    assert {line["id"] for line in _index_lines(store)} == {s.id for s in sessions}
    assert [s.title for s in store.list()] == ["s4", "s3", "s2", "s1", "s0"]


def test_stale_entries_are_repaired(store: SessionStore) -> None:
    kept = store.create(SessionSettings(profile="p", model="m"))
    gone = store.create(SessionSettings(profile="p", model="m"))
    gone.path.unlink()  # removed behind the store's back
    # A session file the index never heard of (copied in, or its index line was lost).
    stranger = store.import_session(
        messages=[ChatMessage.user("hi")], settings=SessionSettings(profile="p", model="m")
    )
    lines = [line for line in _index_lines(store) if line["id"] != stranger.id]
    (store.root / INDEX_FILE_NAME).write_text("".join(encode_record(line) for line in lines))

    assert _counts(store) == {kept.id: 0, stranger.id: 1}
    last = {line["id"]: line for line in _index_lines(store)}
    assert last[gone.id] == {"id": gone.id, "deleted": True}
    assert last[stranger.id]["message_count"] == 1


def test_opening_a_session_refreshes_an_entry_a_crash_left_behind(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    # The message reached the session file, then the process died before the index append.
    append_line(session.path, encode_record(message_record(ChatMessage.user("x"), at=9e9)))
    assert _counts(store) == {session.id: 0}
    store.open(session.id)
    assert _counts(store) == {session.id: 1}
    assert store.list()[0].updated == 9e9


def test_entries_marked_stale_are_read_from_the_file(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("x"))
    index = SessionIndex(store.root)
    wrong = session.summary()
    wrong.message_count = 99
    index.record(wrong, stale=True)
    assert _counts(store) == {session.id: 1}
    assert "stale" not in _index_lines(store)[-1]


def test_the_index_is_compacted_when_mostly_history(store: SessionStore) -> None:
    sessions = [store.create(SessionSettings(profile="p", model="m")) for _ in range(3)]
    for n in range(150):
        sessions[n % 3].rename(f"name {n}")
    store.delete(sessions[0].id)
    assert len(_index_lines(store)) > 150
    listed = store.list()
    assert len(listed) == 2
    assert len(_index_lines(store)) == 2
    assert {s.title for s in store.list()} == {"name 148", "name 149"}


def test_a_damaged_index_line_is_skipped(store: SessionStore) -> None:
    first = store.create(SessionSettings(profile="p", model="m"), title="first")
    with (store.root / INDEX_FILE_NAME).open("a") as handle:
        handle.write('{"id": "torn", "tit\n\n')
    second = store.create(SessionSettings(profile="p", model="m"), title="second")
    assert {s.id for s in store.list()} == {first.id, second.id}


def test_problem_entries_are_rechecked_when_the_file_changes(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"), title="fine")
    original = session.path.read_bytes()
    (store.root / INDEX_FILE_NAME).unlink()
    session.path.write_bytes(b"garbage\n")
    assert store.list() == [] and len(store.problems) == 1
    assert "problem" in _index_lines(store)[-1]
    assert store.list() == []  # still broken: known from the index
    session.path.write_bytes(original)  # the user repaired it
    assert [s.title for s in store.list()] == ["fine"]
    assert store.problems == []


def test_a_file_damaged_after_indexing_is_reported_once_opened(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"), title="fine")
    session.path.write_bytes(b"garbage\n")  # damaged behind the store's back
    # Listing reads names and the index, not 10,000 files: it cannot see this yet...
    assert [s.id for s in store.list()] == [session.id]
    with pytest.raises(SessionUnreadable):
        store.open(session.id)
    # ...but from the first attempt to read it, the file is reported and skipped.
    assert SessionStore(store.root).list() == []
    assert store.problems == [(session.path, store.problems[0][1])]
    assert session.path.read_bytes() == b"garbage\n"


def test_entries_from_a_newer_version_are_reported(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    entry = dict(_index_lines(store)[-1], schema=2)
    append_line(store.root / INDEX_FILE_NAME, encode_record(entry))
    assert store.list() == []
    assert store.problems == [(session.path, store.problems[0][1])]
    assert "newer claude-tui" in store.problems[0][1]


def test_listing_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "nowhere")
    assert store.list() == []
    assert not (tmp_path / "nowhere").exists()


def test_files_that_are_not_sessions_are_ignored(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    (store.root / ".index.jsonl.abc.tmp").write_text("half written")
    (store.root / "notes.txt").write_text("hello")
    assert [s.id for s in store.list()] == [session.id]
    assert store.problems == []


def test_tool_results_messages_are_not_counted_as_messages(store: SessionStore) -> None:
    """A turn with a tool round lists as a prompt and its reply, not four messages: the
    user message of only tool results is a round of the reply."""
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("Find it"))
    call = {"type": "tool_use", "id": "toolu_1", "name": "files__grep", "input": {}}
    session.append_message(ChatMessage(role="assistant", content=[call]))
    result = {"type": "tool_result", "tool_use_id": "toolu_1", "content": "found"}
    session.append_message(ChatMessage(role="user", content=[result]))
    session.append_message(ChatMessage(role="assistant", content=[{"type": "text", "text": "ok"}]))
    assert _counts(store)[session.id] == 3
    assert session.title == "Find it"
    (store.root / INDEX_FILE_NAME).unlink()  # listed again from the file itself
    assert _counts(SessionStore(store.root))[session.id] == 3
