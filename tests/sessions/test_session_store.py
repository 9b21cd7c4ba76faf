"""The session store and the Session it hands out: saving, finding, forking, surviving."""

from __future__ import annotations

import json
import logging
import multiprocessing
from pathlib import Path

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.sessions import (
    AmbiguousSessionId,
    MessageNotFound,
    SessionNotFound,
    SessionStore,
    SessionUnreadable,
    title_from_prompt,
)
from claude_tui.sessions.session_file import encode_record, header_record
from claude_tui.sessions.session_settings import SessionSettings


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


def _reply(text: str, usage: Usage | None = None) -> ChatMessage:
    return ChatMessage(role="assistant", content=[{"type": "text", "text": text}], usage=usage)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


# --- creating and saving ---------------------------------------------------------------------


def test_create_writes_the_header_at_once(store: SessionStore) -> None:
    session = store.create(
        SessionSettings(
            profile="work", model="claude-sonnet-4-5", system="Be brief.", thinking="adaptive"
        )
    )
    header = json.loads(_lines(session.path)[0])
    assert header["t"] == "session" and header["schema"] == 1
    assert header["id"] == session.id
    assert (header["profile"], header["model"]) == ("work", "claude-sonnet-4-5")
    assert (header["system"], header["thinking"], header["title"]) == (
        "Be brief.",
        "adaptive",
        None,
    )
    assert session.path == store.path_for(session.id)
    assert session.messages == []


def test_a_saved_message_is_on_disk_when_append_returns(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    prompt = ChatMessage.user("What is fsync for?")
    session.append_message(prompt)
    # A fresh store (another process, or this one after a crash) sees it.
    reopened = SessionStore(store.root).open(session.id)
    assert [m.to_json() for m in reopened.messages] == [prompt.to_json()]
    assert reopened.title == "What is fsync for?"


def test_a_deferred_session_is_written_with_its_first_message(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m", thinking="off"), deferred=True)
    assert not session.on_disk and not session.path.exists()
    session.set_settings(
        session.settings.changed(model="claude-opus-4-1", system="Be brief.")
    )  # before any message
    assert not session.path.exists()
    assert store.list() == [] and store.latest() is None  # a window opened and closed
    session.append_message(ChatMessage.user("first words"))
    assert session.on_disk
    reopened = SessionStore(store.root).open(session.id)
    assert [m.text for m in reopened.messages] == ["first words"]
    assert reopened.settings == SessionSettings(
        profile="p", model="claude-opus-4-1", system="Be brief.", thinking="off"
    )
    assert [s.id for s in store.list()] == [session.id]
    assert _lines(session.path)[0].startswith('{"t":"session"')  # the header comes first
    assert len(_lines(session.path)) == 2


def test_renaming_a_deferred_session_saves_it(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"), deferred=True)
    session.rename("Notes for later")
    assert session.on_disk
    assert [(s.id, s.title, s.message_count) for s in store.list()] == [
        (session.id, "Notes for later", 0)
    ]


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("\n\n  Fix   the\tbug  \nin parser.py", "Fix the bug"),
        ("short", "short"),
        ("x" * 60, "x" * 60),
        ("x" * 61, "x" * 59 + "…"),
        ("word " * 30, ("word " * 12).strip() + "…"),
        ("   \n  ", None),
    ],
)
def test_title_from_prompt(prompt: str, title: str | None) -> None:
    assert title_from_prompt(prompt) == title
    if title is not None:
        assert len(title) <= 60


def test_only_the_first_prompt_names_the_session(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("first question"))
    session.append_message(_reply("answer"))
    session.append_message(ChatMessage.user("second question"))
    assert session.title == "first question"
    titled = store.create(SessionSettings(profile="p", model="m"), title="  My   title ")
    titled.append_message(ChatMessage.user("something else"))
    assert store.open(titled.id).title == "My title"


def test_rename_and_update_persist(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m", thinking="off"))
    session.rename("  New   name ")
    session.set_settings(
        session.settings.changed(profile="relay", model="claude-opus-4-1", system="sys")
    )
    lines_before = len(_lines(session.path))
    session.set_settings(
        session.settings.changed(profile="relay", model="claude-opus-4-1", system="sys")
    )  # no change: nothing written
    assert len(_lines(session.path)) == lines_before
    reopened = store.open(session.id)
    assert reopened.title == "New name"
    assert (reopened.profile, reopened.model, reopened.system) == (
        "relay",
        "claude-opus-4-1",
        "sys",
    )
    assert reopened.settings == session.settings
    with pytest.raises(ValueError, match="empty"):
        session.rename("   ")


def test_checkpoints_write_only_new_text_and_finish_replaces_them(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("hi"))
    reply = ChatMessage(role="assistant", content=[], status=MessageStatus.STREAMING, model="m")
    reply.content.append({"type": "text", "text": "Hello"})
    assert session.checkpoint_reply(reply)
    assert session.messages[-1] is reply  # the live object, visible while streaming
    reply.content[0]["text"] += ", world"
    assert session.checkpoint_reply(reply)
    last = json.loads(_lines(session.path)[-1])
    assert last["t"] == "partial"
    assert last["deltas"] == [{"index": 0, "text": ", world"}]
    assert not session.checkpoint_reply(reply)  # nothing new: nothing written
    crashed = store.open(session.id).messages[-1]
    assert (crashed.text, crashed.status) == ("Hello, world", MessageStatus.INTERRUPTED)

    reply.status = MessageStatus.COMPLETE
    reply.usage = Usage(input_tokens=5, output_tokens=2)
    reply.ttft_ms = 300.0
    session.finish_reply(reply)
    assert session.messages.count(reply) == 1
    final = store.open(session.id).messages
    assert len(final) == 2
    assert final[-1].to_json() == reply.to_json()


def test_a_reply_the_caller_put_in_messages_itself_is_not_duplicated(
    store: SessionStore,
) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "Hi"}])
    session.messages.append(reply)  # the UI shows it before the first checkpoint
    session.checkpoint_reply(reply)
    session.finish_reply(reply)
    assert session.messages == [reply]
    assert len(store.open(session.id).messages) == 1


def test_a_checkpointed_reply_loads_as_interrupted_whatever_its_live_status(
    store: SessionStore,
) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "Hi"}])
    assert reply.status is MessageStatus.COMPLETE  # a caller that sets status only at the end
    session.checkpoint_reply(reply)
    assert store.open(session.id).messages[0].status is MessageStatus.INTERRUPTED


def test_a_rewritten_stream_falls_back_to_a_whole_message(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    reply = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": "draft"}],
        status=MessageStatus.STREAMING,
    )
    session.checkpoint_reply(reply)
    reply.content[0]["text"] = "rewritten"
    session.checkpoint_reply(reply)
    assert json.loads(_lines(session.path)[-1])["t"] == "message"
    assert store.open(session.id).messages[0].text == "rewritten"


def test_an_errored_reply_keeps_its_error(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    reply = ChatMessage(role="assistant", content=[], status=MessageStatus.STREAMING)
    reply.content.append({"type": "text", "text": "Partial"})
    session.checkpoint_reply(reply)
    reply.status = MessageStatus.ERROR
    reply.error = "The relay closed the connection."
    session.finish_reply(reply)
    loaded = store.open(session.id).messages[0]
    assert (loaded.status, loaded.error, loaded.text) == (
        MessageStatus.ERROR,
        "The relay closed the connection.",
        "Partial",
    )


def test_editing_a_message_replaces_it_in_place(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    first, second = ChatMessage.user("tpyo"), ChatMessage.user("next")
    session.append_message(first)
    session.append_message(second)
    edited = ChatMessage(role="user", content=[{"type": "text", "text": "typo"}], id=first.id)
    session.append_message(edited)
    assert [m.text for m in session.messages] == ["typo", "next"]
    assert [m.text for m in store.open(session.id).messages] == ["typo", "next"]


def test_delete_message_and_total_usage(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("q1"))
    session.append_message(_reply("a1", usage=Usage(10, 5, 2, 100)))
    session.append_message(ChatMessage.user("q2"))
    doomed = _reply("a2", usage=Usage(20, 7, 0, 300))
    session.append_message(doomed)
    assert session.total_usage() == Usage(30, 12, 2, 400)
    session.delete_message(doomed.id)
    assert session.total_usage() == Usage(10, 5, 2, 100)
    assert [m.text for m in store.open(session.id).messages] == ["q1", "a1", "q2"]
    with pytest.raises(MessageNotFound):
        session.delete_message(doomed.id)


def test_saving_in_a_long_session_appends_exactly_one_line(store: SessionStore) -> None:
    history = []
    for n in range(500):
        history += [ChatMessage.user(f"question {n}"), _reply(f"answer {n} " * 20)]
    big = store.import_session(messages=history, settings=SessionSettings(profile="p", model="m"))
    session = store.open(big.id)
    assert len(session.messages) == 1000
    before = session.path.read_bytes()
    session.append_message(ChatMessage.user("one more"))
    after = session.path.read_bytes()
    assert after.startswith(before)  # nothing earlier was rewritten
    assert after.count(b"\n") == before.count(b"\n") + 1
    assert json.loads(after[len(before) :])["message"]["content"][0]["text"] == "one more"


# --- finding ---------------------------------------------------------------------------------


def test_open_by_unique_prefix_and_helpful_errors(store: SessionStore) -> None:
    a = store.import_session(
        messages=[],
        title="A",
        session_id="abc111",
        settings=SessionSettings(profile="p", model="m"),
    )
    store.import_session(
        messages=[],
        title="B",
        session_id="abc222",
        settings=SessionSettings(profile="p", model="m"),
    )
    assert store.open("abc1").id == a.id
    assert store.open(" abc111 ").id == a.id
    with pytest.raises(AmbiguousSessionId) as ambiguous:
        store.open("abc")
    assert ambiguous.value.candidates == ["abc111", "abc222"]
    assert "abc111 (A)" in str(ambiguous.value) and "more characters" in str(ambiguous.value)
    for query in ("zzz", "", "../etc/passwd", "index"):
        with pytest.raises(SessionNotFound, match="No saved session matches"):
            store.open(query)


def test_list_is_newest_first_and_latest(store: SessionStore) -> None:
    assert store.list() == [] and store.latest() is None
    older = store.create(SessionSettings(profile="p", model="m"), title="older")
    newer = store.create(SessionSettings(profile="p", model="m"), title="newer")
    assert [s.id for s in store.list()] == [newer.id, older.id]
    older.append_message(ChatMessage.user("bump"))
    latest = store.latest()
    assert latest is not None and latest.id == older.id
    assert (latest.title, latest.message_count, latest.path) == ("older", 1, older.path)


def test_delete_removes_file_and_listing(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    store.delete(session.id)
    assert not session.path.exists()
    assert store.list() == []
    with pytest.raises(SessionNotFound):
        store.delete(session.id)
    with pytest.raises(SessionNotFound):
        store.open(session.id)


# --- forks and imports -----------------------------------------------------------------------


def test_fork_copies_messages_up_to_the_chosen_one(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m", system="sys", thinking=4096))
    session.append_message(ChatMessage.user("Plan a trip"))
    pick = _reply("Option A")
    session.append_message(pick)
    session.append_message(ChatMessage.user("Not that one"))
    fork = store.fork(session, pick.id)
    assert fork.id != session.id
    assert fork.title == "Plan a trip (fork)"
    assert [m.text for m in fork.messages] == ["Plan a trip", "Option A"]
    assert fork.settings == session.settings
    assert (fork.system, fork.settings.thinking, fork.profile) == ("sys", 4096, "p")
    fork.messages[0].content[0]["text"] = "changed"  # a copy: the original is untouched
    assert session.messages[0].text == "Plan a trip"
    assert [m.text for m in store.open(fork.id).messages] == ["Plan a trip", "Option A"]
    assert len(store.open(session.id).messages) == 3
    with pytest.raises(MessageNotFound):
        store.fork(session, "msg_nope")


def test_import_never_overwrites(store: SessionStore) -> None:
    first = store.import_session(
        messages=[ChatMessage.user("x")],
        session_id="taken",
        settings=SessionSettings(profile="p", model="m"),
    )
    second = store.import_session(
        messages=[], session_id="taken", settings=SessionSettings(profile="p", model="m")
    )
    assert first.id == "taken" and second.id != "taken"
    assert [m.text for m in store.open("taken").messages] == ["x"]
    duplicate = ChatMessage.user("dup")
    twice = store.import_session(
        messages=[duplicate, duplicate], settings=SessionSettings(profile="p", model="m")
    )
    assert len({m.id for m in store.open(twice.id).messages}) == 2


# --- damaged files ---------------------------------------------------------------------------


def test_unloadable_files_are_reported_skipped_and_left_alone(
    store: SessionStore, caplog: pytest.LogCaptureFixture
) -> None:
    good = store.create(SessionSettings(profile="p", model="m"), title="good")
    corrupt = store.root / "corrupt1.jsonl"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n not a session at all")
    newer = store.root / "newer1.jsonl"
    header = header_record(
        session_id="newer1",
        title="from the future",
        created=1.0,
        at=1.0,
        settings=SessionSettings(profile="p", model="m", system=None),
    )
    newer.write_text(encode_record({**header, "schema": 2}) + '{"t":"hologram"}\n')
    originals = {path: path.read_bytes() for path in (corrupt, newer)}

    with caplog.at_level(logging.WARNING):
        listed = store.list()
    assert [s.id for s in listed] == [good.id]
    problems = dict(store.problems)
    assert set(problems) == {corrupt, newer}
    assert "not a session header" in problems[corrupt]
    assert "newer claude-tui" in problems[newer]
    assert str(corrupt) in caplog.text and str(newer) in caplog.text

    # Listing again uses what the index remembers, and reports the same.
    assert [s.id for s in SessionStore(store.root).list()] == [good.id]
    with pytest.raises(SessionUnreadable, match="upgrade claude-tui") as caught:
        store.open("newer1")
    assert caught.value.path == newer
    for path, data in originals.items():
        assert path.read_bytes() == data


# --- concurrency and crashes -----------------------------------------------------------------


def test_two_stores_appending_to_one_session_lose_nothing(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    other = SessionStore(store.root).open(session.id)
    for n in range(10):
        session.append_message(ChatMessage.user(f"a{n}"))
        other.append_message(ChatMessage.user(f"b{n}"))
    texts = [m.text for m in store.open(session.id).messages]
    assert sorted(texts) == sorted([f"a{n}" for n in range(10)] + [f"b{n}" for n in range(10)])
    assert texts[:2] == ["a0", "b0"]
    # Each writer saw the other: its index entries send the listing back to the file.
    assert store.list()[0].message_count == 20


def _append_from_another_process(root: str, session_id: str, tag: str, count: int) -> None:
    session = SessionStore(Path(root)).open(session_id)
    for n in range(count):
        session.append_message(ChatMessage.user(f"{tag}{n}"))
        session.rename(f"{tag} renamed {n}")


def test_two_processes_appending_to_one_session_lose_nothing(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(
            target=_append_from_another_process, args=(str(store.root), session.id, tag, 100)
        )
        for tag in ("x", "y")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    reopened = store.open(session.id)
    texts = sorted(m.text for m in reopened.messages)
    assert texts == sorted(f"{tag}{n}" for tag in "xy" for n in range(100))
    assert reopened.title is not None and "renamed 99" in reopened.title
    for line in _lines(session.path):
        json.loads(line)  # no interleaved or torn lines
    assert store.list()[0].message_count == 200


def test_a_session_deleted_elsewhere_while_in_use_is_written_again(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(ChatMessage.user("before"))
    reply = ChatMessage(
        role="assistant", content=[{"type": "text", "text": "str"}], status=MessageStatus.STREAMING
    )
    session.checkpoint_reply(reply)
    SessionStore(store.root).delete(session.id)  # another window deletes it
    reply.content[0]["text"] += "eaming"
    session.checkpoint_reply(reply)
    session.append_message(ChatMessage.user("after"))
    reopened = store.open(session.id)
    assert [m.text for m in reopened.messages] == ["before", "streaming", "after"]
    assert [s.id for s in store.list()] == [session.id]
