"""Searching saved sessions by message text."""

from __future__ import annotations

import os
from pathlib import Path

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import Session, SessionStore
from claude_tui.sessions.session_search import message_texts, search_sessions
from claude_tui.sessions.session_settings import SessionSettings


def _never() -> bool:
    return False


def _session(store: SessionStore, *texts: str, title: str | None = None) -> Session:
    session = store.create(SessionSettings(profile="default", model="claude-test"), title=title)
    for number, text in enumerate(texts):
        if number % 2 == 0:
            session.append_message(ChatMessage.user(text))
        else:
            reply = ChatMessage(role="assistant", content=[{"type": "text", "text": text}])
            session.finish_reply(reply)
    return session


def _search(store: SessionStore, query: str) -> list[str]:
    return list(search_sessions(store, query, should_stop=_never))


def test_finds_user_and_assistant_text_case_insensitively_newest_first(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    older = _session(store, "How do I boil an EGG?", "Put the egg in water.")
    newer = _session(store, "Tell me about eggplants", "They are berries.")
    unrelated = _session(store, "What is rust?", "A language.")
    assert _search(store, "egg") == [newer.id, older.id]
    assert _search(store, "BERRIES") == [newer.id]
    assert _search(store, "language") == [unrelated.id]
    assert _search(store, "nothing like this") == []


def test_ignores_titles_ids_models_and_thinking(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    session = store.create(
        SessionSettings(profile="default", model="claude-test"), title="Secret title"
    )
    reply = ChatMessage(
        role="assistant",
        content=[
            {"type": "thinking", "thinking": "a hidden thought", "signature": "x"},
            {"type": "text", "text": "visible"},
        ],
    )
    session.finish_reply(reply)
    assert _search(store, "Secret") == []
    assert _search(store, session.id) == []
    assert _search(store, "claude-test") == []
    assert _search(store, "hidden thought") == []
    assert _search(store, "visible") == [session.id]


def test_edited_and_deleted_messages_no_longer_match(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    session = _session(store, "first draft", "reply one")
    prompt = session.messages[0]
    session.append_message(
        ChatMessage(role="user", content=[{"type": "text", "text": "second draft"}], id=prompt.id)
    )
    session.delete_message(session.messages[1].id)
    assert _search(store, "first draft") == []
    assert _search(store, "reply one") == []
    assert _search(store, "second draft") == [session.id]


def test_finds_text_of_an_interrupted_streaming_reply(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    session = _session(store, "stream please")
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "The quick"}])
    session.checkpoint_reply(reply)
    reply.content[0]["text"] += " brown fox"
    session.checkpoint_reply(reply)  # a partial record holding only " brown fox"
    assert _search(store, "quick brown") == [session.id]


def test_quotes_newlines_and_non_ascii(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    quoted = _session(store, 'He said "hi"\nthen left\\')
    accented = _session(store, "ÄRGER über Straße")
    assert _search(store, '"hi"\nthen') == [quoted.id]
    assert _search(store, "left\\") == [quoted.id]
    assert _search(store, "ärger") == [accented.id]
    assert _search(store, "STRASSE") == [accented.id]  # casefold: ß is ss


def test_blank_query_matches_nothing(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    _session(store, "anything")
    assert _search(store, "") == []
    assert _search(store, "   ") == []


def test_searches_only_the_given_ids_in_their_order(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    first = _session(store, "apple pie")
    second = _session(store, "apple tart")
    _session(store, "apple juice")
    found = search_sessions(store, "apple", should_stop=_never, session_ids=[first.id, second.id])
    assert list(found) == [first.id, second.id]


def test_should_stop_and_progress(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    for number in range(5):
        _session(store, f"common text {number}")
    assert list(search_sessions(store, "common", should_stop=lambda: True)) == []

    seen: list[tuple[int, int]] = []
    found: list[str] = []
    for session_id in search_sessions(
        store, "common", should_stop=lambda: len(found) >= 2, progress=lambda *p: seen.append(p)
    ):
        found.append(session_id)
    assert len(found) == 2
    assert seen == [(1, 5), (2, 5)]


def test_skips_broken_and_vanished_files_and_never_writes(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    good = _session(store, "needle here")
    broken = _session(store, "needle there")
    with open(broken.path, "ab") as handle:
        handle.write(b'{"t":"message","message":{"id":"torn","content":[{"type":"text","te')
    gone = _session(store, "needle gone")
    ids = [summary.id for summary in store.list()]
    gone.path.unlink()
    before = {path: (path.read_bytes(), os.stat(path).st_mtime_ns) for path in tmp_path.iterdir()}
    found = list(search_sessions(store, "needle", should_stop=_never, session_ids=ids))
    after = {path: (path.read_bytes(), os.stat(path).st_mtime_ns) for path in tmp_path.iterdir()}
    assert found == [broken.id, good.id]
    assert after == before


def test_message_texts_replays_records() -> None:
    data = b"\n".join(
        [
            b'{"t":"session","id":"s"}',
            b'{"t":"message","message":{"id":"a","content":[{"type":"text","text":"one"}]}}',
            b'{"t":"partial","id":"b","deltas":[{"index":0,"type":"text","text":"tw"}]}',
            b'{"t":"partial","id":"b","deltas":[{"index":0,"text":"o"}]}',
            b"not json",
            b'{"t":"delete","id":"a"}',
        ]
    )
    assert message_texts(data) == {"b": ["two"]}
