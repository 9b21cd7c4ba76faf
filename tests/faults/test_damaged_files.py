"""Damaged files in the sessions folder: each is reported in words, skipped, and never
modified, and every other session still lists, opens and saves.

Damage is made by hand, the way a crash, a bug in an older version or a user would leave it:
lone surrogates escaped in a record, a line nested 100,000 levels deep, ``index.jsonl``
replaced by a folder, a FIFO where a session file should be, a read-only data folder.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from integration.cli_process import run_claude_tui

from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay
from claude_tui.sessions import (
    SessionSaveError,
    SessionStore,
    SessionUnreadable,
    SkippedFile,
    skipped_notice,
)
from claude_tui.sessions.session_search import search_sessions
from claude_tui.sessions.session_settings import SessionSettings

DEEP = b"[" * 100_000
HEADER = {
    "t": "session",
    "schema": 1,
    "id": "damaged",
    "title": "Emoji \\ud83d trouble",
    "created": 1000.0,
    "profile": "relay",
    "model": "claude-demo",
    "system": None,
    "thinking": None,
    "at": 1000.0,
}


def sessions_folder() -> Path:
    return Path(os.environ["CLAUDE_TUI_DATA_DIR"]) / "sessions"


def seeded(prompt: str = "Hello there") -> str:
    """A healthy session with a prompt and a reply; returns its id."""
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    session.append_message(ChatMessage.user(prompt))
    session.finish_reply(ChatMessage(role="assistant", content=[{"type": "text", "text": "Hi"}]))
    return session.id


def write_by_hand(name: str, *lines: bytes) -> Path:
    """A file in the sessions folder with exactly these lines (as an older version or a
    crash left them)."""
    folder = sessions_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def surrogate_session() -> Path:
    """A session file holding lone surrogates as ``\\ud83d`` escapes, the way encode_record
    wrote them before (ASCII JSON): in the title, a prompt and a streamed reply whose emoji
    was split across two checkpoints."""
    prompt = {
        "id": "msg_user",
        "role": "user",
        "content": [{"type": "text", "text": "Say \\ud83d please"}],
        "created": 1001.0,
    }
    reply = {
        "id": "msg_reply",
        "role": "assistant",
        "content": [{"type": "text", "text": "Half \\ude00 and a whole "}],
        "created": 1002.0,
        "status": "complete",
        "model": "claude-demo",
    }
    header = json.dumps(HEADER).replace("\\\\ud83d", "\\ud83d")
    records = [
        header,
        json.dumps({"t": "message", "at": 1001.0, "message": prompt}).replace("\\\\u", "\\u"),
        json.dumps({"t": "message", "at": 1002.0, "message": reply}).replace("\\\\u", "\\u"),
        '{"t":"partial","at":1003.0,"id":"msg_reply","role":"assistant",'
        '"deltas":[{"index":0,"text":"\\ud83d"}]}',
        '{"t":"partial","at":1004.0,"id":"msg_reply","role":"assistant",'
        '"deltas":[{"index":0,"text":"\\ude00!"}]}',
    ]
    return write_by_hand("damaged.jsonl", *(record.encode() for record in records))


def configure_relay(relay: DemoRelay, home: Path) -> None:
    """A config whose default profile ``relay`` talks to the demo relay."""
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        'default_profile = "relay"\n\n[profiles.relay]\n'
        f'base_url = "{relay.base_url}"\nmodel = "claude-demo"\n'
        'auth = "none"\nmax_retries = 0\n',
        encoding="utf-8",
    )


def assert_encodable(text: str) -> None:
    text.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate


# --- lone surrogates -------------------------------------------------------------------------


def test_a_session_with_escaped_lone_surrogates_loads_repaired_in_memory_only() -> None:
    path = surrogate_session()
    before = path.read_bytes()

    session = SessionStore().open("damaged")

    assert session.title == "Emoji \ufffd trouble"
    assert session.messages[0].text == "Say \ufffd please"
    # The halves of the emoji split across two checkpoints join up again.
    assert session.messages[1].text == "Half \ufffd and a whole \U0001f600!"
    for message in session.messages:
        assert_encodable(json.dumps(message.to_json(), ensure_ascii=False))
    assert path.read_bytes() == before  # repaired in memory, the file is left alone


def test_show_export_list_and_search_work_on_a_session_with_lone_surrogates(
    tmp_path: Path,
) -> None:
    surrogate_session()

    show = run_claude_tui("sessions", "show", "damaged")
    markdown = run_claude_tui("sessions", "export", "damaged", "--format", "md")
    exported = run_claude_tui("sessions", "export", "damaged", "--format", "json")
    to_file = tmp_path / "out.json"
    written = run_claude_tui("sessions", "export", "damaged", "--format=json", f"-o{to_file}")
    listing = run_claude_tui("sessions", "list", "--json")

    for run in (show, markdown, exported, written, listing):
        assert run.code == 0, run.stderr
        assert "Traceback" not in run.stderr
    assert "Say \ufffd please" in show.stdout and "\U0001f600!" in show.stdout
    assert show.stdout == markdown.stdout
    data = json.loads(exported.stdout)
    assert data["title"] == "Emoji \ufffd trouble"
    assert [m["content"][0]["text"] for m in data["messages"]] == [
        "Say \ufffd please",
        "Half \ufffd and a whole \U0001f600!",
    ]
    assert json.loads(to_file.read_text(encoding="utf-8")) == data
    [row] = json.loads(listing.stdout)
    assert row["title"] == "Emoji \ufffd trouble"
    found = search_sessions(SessionStore(), "\U0001f600", should_stop=lambda: False)
    assert list(found) == ["damaged"]


def test_a_session_with_lone_surrogates_can_be_resumed_with_print_mode(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    configure_relay(demo_relay, isolated_dirs)
    surrogate_session()

    run = run_claude_tui("-c", "-p", "And now?")

    assert run.code == 0, run.stderr
    body = demo_relay.requests[-1].json
    texts = [block["text"] for message in body["messages"] for block in message["content"]]
    assert texts[:2] == ["Say \ufffd please", "Half \ufffd and a whole \U0001f600!"]
    assert texts[2] == "And now?"
    assert [m.text for m in SessionStore().open("damaged").messages][2] == "And now?"


def test_an_index_entry_with_an_escaped_lone_surrogate_lists_repaired() -> None:
    healthy = seeded()
    [summary] = SessionStore().list()
    entry = {
        "id": healthy,
        "title": "Index \\ud83d title",
        "created": summary.created,
        "updated": summary.updated + 1,
        "profile": summary.profile,
        "model": summary.model,
        "message_count": summary.message_count,
        "schema": 1,
    }
    index = sessions_folder() / "index.jsonl"
    with index.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry).replace("\\\\u", "\\u") + "\n")

    run = run_claude_tui("sessions", "list", "--json")
    text = run_claude_tui("sessions", "list")

    assert run.code == 0 and text.code == 0, run.stderr + text.stderr
    assert [row["title"] for row in json.loads(run.stdout)] == ["Index \ufffd title"]
    assert "Index \ufffd title" in text.stdout


def test_a_lone_surrogate_in_memory_is_saved_as_a_replacement_character() -> None:
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    session.append_message(ChatMessage.user("half \ud83d"))
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "x \ude00"}])
    session.finish_reply(reply)

    raw = session.path.read_bytes()
    assert b"\\ud8" not in raw.lower() and b"\\ude" not in raw.lower()
    reloaded = SessionStore().open(session.id)
    assert [m.text for m in reloaded.messages] == ["half \ufffd", "x \ufffd"]


# --- deep nesting ------------------------------------------------------------------------------


def test_a_deeply_nested_line_in_a_session_file_is_skipped() -> None:
    healthy = seeded()
    path = sessions_folder() / f"{healthy}.jsonl"
    with path.open("ab") as handle:
        handle.write(DEEP + b"\n")
        handle.write(b'{"t":"message","at":1.0,"message":' + b'{"a":' * 5000 + b"\n")
    before = path.read_bytes()

    session = SessionStore().open(healthy)
    session.append_message(ChatMessage.user("Still saving"))

    assert [m.text for m in SessionStore().open(healthy).messages] == [
        "Hello there",
        "Hi",
        "Still saving",
    ]
    assert path.read_bytes().startswith(before)  # only appended to


def test_a_deeply_nested_header_makes_only_that_session_unreadable() -> None:
    healthy = seeded()
    bad = write_by_hand("deep.jsonl", DEEP)

    store = SessionStore()
    listed = store.list()

    assert [s.id for s in listed] == [healthy]
    assert [s.path for s in store.skipped] == [bad]
    with pytest.raises(SessionUnreadable):
        store.open("deep")
    assert bad.read_bytes() == DEEP + b"\n"


def test_a_moderately_deep_record_is_refused_before_it_can_overflow_a_later_dump() -> None:
    healthy = seeded()
    path = sessions_folder() / f"{healthy}.jsonl"
    nested: Any = "x"
    for _ in range(900):  # the JSON parser takes this; json.dumps of it wrapped may not
        nested = [nested]
    tool = {"type": "tool_use", "id": "t", "name": "f", "input": {"deep": nested}}
    message = {"id": "msg_deep", "role": "assistant", "content": [tool], "created": 1.0}
    line = json.dumps({"t": "message", "at": 2.0, "message": message})
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")

    session = SessionStore().open(healthy)

    assert "msg_deep" not in [m.id for m in session.messages]
    session.append_message(ChatMessage.user("saves fine"))  # no RecursionError


def test_a_deeply_nested_line_in_the_index_does_not_hide_the_sessions() -> None:
    first, second = seeded("One"), seeded("Two")
    assert len(SessionStore().list()) == 2  # the index exists now
    index = sessions_folder() / "index.jsonl"
    with index.open("ab") as handle:
        handle.write(DEEP + b"\n")

    listed = SessionStore().list()

    assert {s.id for s in listed} == {first, second}
    run = run_claude_tui("sessions", "list", "--json")
    assert run.code == 0, run.stderr
    assert {row["id"] for row in json.loads(run.stdout)} == {first, second}


# --- index.jsonl that is not a file --------------------------------------------------------------


def test_an_index_that_is_a_folder_is_reported_and_the_list_comes_from_the_files() -> None:
    first, second = seeded("One"), seeded("Two")
    index = sessions_folder() / "index.jsonl"
    index.unlink()
    index.mkdir()
    (index / "keep").write_text("mine")

    store = SessionStore()
    listed = store.list()
    opened = store.open(first)
    opened.append_message(ChatMessage.user("More"))
    created = store.create(SessionSettings(profile="relay", model="claude-demo"))

    assert {s.id for s in listed} == {first, second}
    assert [f.path for f in store.skipped] == [index]
    assert "not a regular file" in store.skipped[0].reason
    assert created.path.exists()
    assert index.is_dir() and (index / "keep").read_text() == "mine"  # never touched
    run = run_claude_tui("sessions", "list", "--json")
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert {r["id"] for r in rows if not r.get("skipped")} == {first, second, created.id}
    assert [r for r in rows if r.get("skipped")] == [
        {"id": None, "skipped": True, "path": str(index), "reason": store.skipped[0].reason}
    ]
    assert f"skipped {index}" in run.stderr and "Traceback" not in run.stderr
    shown = run_claude_tui("sessions", "show", first)
    assert shown.code == 0 and "More" in shown.stdout


def test_print_mode_works_with_an_index_that_is_a_folder_and_a_fifo_session(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    configure_relay(demo_relay, isolated_dirs)
    seeded()
    index = sessions_folder() / "index.jsonl"
    index.unlink()
    index.mkdir()
    os.mkfifo(sessions_folder() / "pipe.jsonl")

    first = run_claude_tui("-p", "Hi")
    again = run_claude_tui("-c", "-p", "Again")

    assert first.code == 0 and again.code == 0, first.stderr + again.stderr
    assert "Traceback" not in first.stderr + again.stderr
    [continued] = [s for s in SessionStore().list() if s.message_count == 4]
    texts = [m.text for m in SessionStore().open(continued.id).messages]
    assert texts[0::2] == ["Hi", "Again"]
    assert index.is_dir() and (sessions_folder() / "pipe.jsonl").is_fifo()


def test_an_index_that_is_a_fifo_neither_hangs_nor_is_written() -> None:
    healthy = seeded()
    index = sessions_folder() / "index.jsonl"
    index.unlink()
    os.mkfifo(index)

    store = SessionStore()
    listed = store.list()
    store.open(healthy).append_message(ChatMessage.user("More"))

    assert [s.id for s in listed] == [healthy]
    assert [f.path for f in store.skipped] == [index]
    assert "named pipe" in store.skipped[0].reason
    run = run_claude_tui("sessions", "list")
    assert run.code == 0 and healthy in run.stdout, run.stderr


# --- a session file that is a FIFO ---------------------------------------------------------------


def test_a_session_file_that_is_a_fifo_is_skipped_not_read() -> None:
    healthy = seeded()
    fifo = sessions_folder() / "pipe.jsonl"
    os.mkfifo(fifo)

    store = SessionStore()
    listed = store.list()

    assert [s.id for s in listed] == [healthy]
    assert store.skipped == [SkippedFile(fifo, "it is a named pipe (FIFO), not a regular file")]
    with pytest.raises(SessionUnreadable, match="named pipe"):
        store.open("pipe")
    assert list(search_sessions(store, "Hello", should_stop=lambda: False)) == [healthy]
    assert list(search_sessions(store, "x", should_stop=lambda: False, session_ids=["pipe"])) == []
    run = run_claude_tui("sessions", "list", "--json")
    assert run.code == 0, run.stderr
    skipped_rows = [row for row in json.loads(run.stdout) if row.get("skipped")]
    assert [(row["id"], row["path"]) for row in skipped_rows] == [("pipe", str(fifo))]
    shown = run_claude_tui("sessions", "show", "pipe")
    assert shown.code == 1 and "named pipe" in shown.stderr and "Traceback" not in shown.stderr
    assert fifo.is_fifo()


def test_the_skipped_notice_names_each_file_and_what_to_do() -> None:
    skipped = [SkippedFile(Path(f"/s/{n}.jsonl"), "it is empty") for n in range(7)]

    notice = skipped_notice(skipped)

    assert notice.splitlines()[0] == "Skipped 7 session files that could not be read:"
    assert "0.jsonl: it is empty" in notice and "5.jsonl" not in notice
    assert "and 2 more" in notice and "left untouched" in notice
    assert skipped_notice([]) == ""


# --- a read-only data folder ---------------------------------------------------------------------


@contextmanager
def read_only_mount(folder: Path) -> Iterator[None]:
    """``folder`` (already filled) remounted read-only on its own tmpfs; skips the test when
    mounting is not allowed (unprivileged CI containers)."""
    content = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        for relative, data in content.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(data)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def check_read_only_folder(healthy: str) -> None:
    store = SessionStore()
    listed = store.list()
    session = store.open(healthy)

    assert [s.id for s in listed] == [healthy]
    with pytest.raises(SessionSaveError) as raised:
        session.append_message(ChatMessage.user("Not saved"))
    assert raised.value.errno == errno.EROFS
    assert "read-only" in str(raised.value) and healthy in str(raised.value)
    assert session.messages[-1].text == "Not saved"  # still on screen
    with pytest.raises(SessionSaveError):
        store.create(SessionSettings(profile="relay", model="claude-demo"))
    assert [m.text for m in SessionStore().open(healthy).messages] == ["Hello there", "Hi"]


def test_writes_refused_as_on_a_read_only_folder_raise_one_typed_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    healthy = seeded()
    SessionStore().list()
    # As root, file modes do not stop writes: fail them where the OS would on a read-only
    # mount (EROFS), leaving reads alone. (os is one module: this covers the index too.)
    monkeypatch.setattr("claude_tui.atomic_write.os.open", _refusing(os.open))
    monkeypatch.setattr("claude_tui.atomic_write.tempfile.mkstemp", _refusing_mkstemp)

    check_read_only_folder(healthy)


def test_a_really_read_only_data_folder(isolated_dirs: Path) -> None:
    healthy = seeded()
    SessionStore().list()
    data = isolated_dirs / "data"
    with read_only_mount(data):
        check_read_only_folder(healthy)
        with pytest.raises(SessionSaveError, match="Could not delete"):
            SessionStore().delete(healthy)
        listing = run_claude_tui("sessions", "list")
        shown = run_claude_tui("sessions", "show", healthy)
        deleted = run_claude_tui("sessions", "delete", healthy)
    assert listing.code == 0 and healthy in listing.stdout, listing.stderr
    assert shown.code == 0 and "Hello there" in shown.stdout
    assert deleted.code == 1 and "read-only" in deleted.stderr
    assert "Traceback" not in listing.stderr + shown.stderr + deleted.stderr


def _refusing(real_open: Any) -> Any:
    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        result: int = real_open(path, flags, *args, **kwargs)
        return result

    return refusing_open


def _refusing_mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


# -- the app says what it skipped ---------------------------------------------------------------


async def test_the_app_names_skipped_session_files_once() -> None:
    from app_driving import run, wait_until

    from claude_tui.profiles import load_config
    from claude_tui.ui.app import ClaudeTuiApp

    healthy = seeded()
    os.mkfifo(sessions_folder() / "pipe.jsonl")
    app = ClaudeTuiApp(load_config(), continue_latest=True)  # -c lists the sessions

    def notices() -> list[str]:
        return [n.message for n in app._notifications if "session file" in n.message]

    async with run(app) as pilot:
        await wait_until(pilot, lambda: len(notices()) == 1)
        assert notices()[0].startswith("Skipped 1 session file that could not be read:\npipe.jsonl")
        await pilot.press("ctrl+b")  # the sidebar lists again: the same file, no second toast
        await pilot.pause(0.1)
        assert len(notices()) == 1
        assert app.active_pane is not None
        assert app.active_pane.conversation.session.id == healthy
