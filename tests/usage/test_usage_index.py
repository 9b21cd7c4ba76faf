"""The usage index beside the listing index: kept by the session writer, repaired from the
session files wherever it does not describe them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage import usage_index
from claude_tui.usage.usage_history import UsageHistory
from claude_tui.usage.usage_index import USAGE_FILE_NAME, UsageIndex

from .usage_sessions import add_reply, new_session, usage


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


def _entries(store: SessionStore) -> list[dict[str, object]]:
    path = store.root / USAGE_FILE_NAME
    return [json.loads(line) for line in path.read_text().splitlines()]


def _outputs(store: SessionStore) -> dict[str, int]:
    found = UsageIndex(store.root).buckets(store.updated_stamps())
    return {sid: sum(b.output for b in buckets) for sid, buckets in found.items()}


def _no_file_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = usage_index.read_session_file

    def counting(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real(path)

    monkeypatch.setattr(usage_index, "read_session_file", counting)
    return reads


def test_a_finished_reply_is_noted_with_the_listing_stamp(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session(store)
    add_reply(session, usage(input=10, output=5))
    add_reply(session, usage(input=20, output=7))
    last = _entries(store)[-1]
    assert last["id"] == session.id
    assert last["updated"] == session.updated == store.list()[0].updated
    reads = _no_file_reads(monkeypatch)
    assert _outputs(store) == {session.id: 12}
    assert reads == []  # the writer's note was enough: no session file opened


def test_a_missing_index_is_rebuilt_from_the_session_files(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = new_session(store), new_session(store)
    add_reply(first, usage(output=3))
    add_reply(second, usage(output=4))
    (store.root / USAGE_FILE_NAME).unlink()
    reads = _no_file_reads(monkeypatch)
    assert _outputs(store) == {first.id: 3, second.id: 4}
    assert len(reads) == 2
    reads.clear()
    assert _outputs(store) == {first.id: 3, second.id: 4}
    assert reads == []  # repaired with appended lines: the next read trusts them


def test_a_session_changed_elsewhere_is_read_again(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=3))
    other_window = store.open(session.id)  # another window on the same session
    add_reply(other_window, usage(output=4))
    # This window's view is now behind the file; its next reply must not hide the other's.
    add_reply(session, usage(output=5))
    assert _outputs(store) == {session.id: 12}


def test_a_change_without_a_reply_makes_the_entry_stale(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=3))
    session.delete_message(session.messages[-1].id)  # the reply is gone
    assert _outputs(store) == {session.id: 0}


def test_deleted_sessions_are_dropped(store: SessionStore) -> None:
    kept, gone = new_session(store), new_session(store)
    add_reply(kept, usage(output=1))
    add_reply(gone, usage(output=2))
    store.delete(gone.id)
    assert _outputs(store) == {kept.id: 1}
    assert _entries(store)[-1] == {"id": gone.id, "deleted": True}


def test_a_long_index_is_compacted(store: SessionStore) -> None:
    session = new_session(store)
    for _ in range(120):
        add_reply(session, usage(output=1))
    assert len(_entries(store)) > 100
    assert _outputs(store) == {session.id: 120}
    assert len(_entries(store)) == 1


def test_torn_and_foreign_lines_are_skipped(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=6))
    with (store.root / USAGE_FILE_NAME).open("a") as file:
        file.write('{"id": "x", "buckets": [[1, 2]]}\n{"id": "' + session.id + '", "upd')
    assert _outputs(store) == {session.id: 6}


def test_old_sessions_are_not_read_for_a_recent_period(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime

    session = new_session(store)
    add_reply(session, usage(output=6))
    (store.root / USAGE_FILE_NAME).unlink()
    reads = _no_file_reads(monkeypatch)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert UsageHistory(store).sessions_since(tomorrow) == {}
    assert reads == []  # updated before the period began: nothing in it can be in it


def test_the_stamps_are_the_listings(store: SessionStore) -> None:
    first, second = new_session(store), new_session(store)
    add_reply(first, usage(output=1))
    add_reply(second, usage(output=1))
    listed = {summary.id: summary.updated for summary in store.list()}
    assert store.updated_stamps() == listed
    (store.root / "index.jsonl").unlink()  # no entries: the listing repairs them first
    assert store.updated_stamps() == listed
