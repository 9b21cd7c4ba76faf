"""A full disk (or a failing one) while saving: no reply is lost silently, no record is torn.

Two ways to fill the disk: a real 64 KiB tmpfs mounted over the data folder (skipped, with
the reason, where mounting is not allowed), and, always, ``ENOSPC`` or a short write made at
the OS call in ``claude_tui.atomic_write`` for the files of the sessions folder only.

For a print-mode test on a full disk (the lead's): ``with small_tmpfs(data_dir):`` mounts
an empty tmpfs over ``CLAUDE_TUI_DATA_DIR`` (``isolated_dirs / "data"``), ``fill_up(folder,
leave=...)`` then leaves only that many bytes free; run ``claude-tui -p`` inside the block.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.sessions import SessionSaveError, SessionStore
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings

BIG_REPLY = "A long reply that will not fit. " * 640  # about 20 KB


def sessions_folder() -> Path:
    return Path(os.environ["CLAUDE_TUI_DATA_DIR"]) / "sessions"


@contextmanager
def small_tmpfs(folder: Path, size: str = "64k") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted on ``folder`` (created if need be) for the block;
    skips the calling test when mounting is refused (unprivileged containers)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_up(folder: Path, *, leave: int) -> Path:
    """Fill the file system of ``folder`` with a filler file, then give back about ``leave``
    bytes (rounded to whole pages by tmpfs); returns the filler, to delete to free space."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:
        while True:
            try:
                handle.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler


def session_lines(path: Path) -> list[dict[str, object]]:
    """Every line of a session file, each of which must be a whole JSON record."""
    data = path.read_bytes()
    assert data.endswith(b"\n"), "the file ends in a torn record"
    return [json.loads(line) for line in data.splitlines()]


FailingWrite = Callable[[int, bytes], int]


@pytest.fixture
def sessions_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``sessions_disk(mode)`` makes writes to the sessions folder misbehave from then on:
    ``"full"`` raises ENOSPC, ``"short"`` writes at most 7 bytes per call, ``"short-full"``
    writes 7 bytes and then raises ENOSPC, ``"index-full"`` fails only the index, ``"ok"``
    behaves again. Other files (pytest's own output) are left alone."""
    real_write = os.write
    mode = {"now": "ok"}

    def target(fd: int) -> str | None:
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return None
        folder = os.fspath(sessions_folder())
        if not name.startswith(folder + os.sep):
            return None
        return "index" if os.path.basename(name) == "index.jsonl" else "session"

    def write(fd: int, data: bytes) -> int:
        kind, now = target(fd), mode["now"]
        if kind is None or now == "ok":
            return real_write(fd, data)
        if now == "index-full":
            if kind == "index":
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)
        if now == "full":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if now == "short-full":
            mode["now"] = "full"
        return real_write(fd, bytes(data[:7]))

    monkeypatch.setattr("claude_tui.atomic_write.os.write", write)

    def set_mode(new: str) -> None:
        mode["now"] = new

    return set_mode


def new_session_with_prompt() -> tuple[Session, ChatMessage]:
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    prompt = ChatMessage.user("Write me something long")
    session.append_message(prompt)
    return session, prompt


def big_reply() -> ChatMessage:
    return ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": BIG_REPLY}],
        model="claude-demo",
        status=MessageStatus.COMPLETE,
    )


# --- a real full disk ------------------------------------------------------------------------


def test_a_reply_that_does_not_fit_on_a_real_full_disk_fails_loudly_and_is_saved_later(
    isolated_dirs: Path,
) -> None:
    with small_tmpfs(isolated_dirs / "data") as data:
        session, _prompt = new_session_with_prompt()
        before = session.path.read_bytes()
        filler = fill_up(data, leave=4096)
        reply = big_reply()

        with pytest.raises(SessionSaveError) as raised:
            session.finish_reply(reply)

        assert raised.value.errno == errno.ENOSPC
        assert "no space left on device" in str(raised.value)
        assert session.path.read_bytes() == before  # no torn record
        assert session.messages[-1] is reply and session.has_unsaved_changes
        assert [m.text for m in SessionStore().open(session.id).messages] == [
            "Write me something long"
        ]

        filler.unlink()
        session.append_message(ChatMessage.user("And now?"))

        lines = session_lines(session.path)
        assert len(lines) == 4  # header, prompt, the reply written late, the new prompt
        reloaded = SessionStore().open(session.id)
        assert [m.text for m in reloaded.messages] == [
            "Write me something long",
            BIG_REPLY,
            "And now?",
        ]
        assert not session.has_unsaved_changes


def test_creating_a_session_on_a_real_full_disk_raises_the_typed_error(
    isolated_dirs: Path,
) -> None:
    with small_tmpfs(isolated_dirs / "data") as data:
        SessionStore().list()
        (data / "sessions").mkdir(exist_ok=True)
        fill_up(data, leave=0)
        store = SessionStore()

        with pytest.raises(SessionSaveError, match="no space left"):
            session = store.create(
                SessionSettings(profile="relay", model="claude-demo"), title="x" * 8000
            )
            session.append_message(ChatMessage.user("y" * 8000))

        leftovers = [p.name for p in (data / "sessions").iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
        assert store.list() == []


# --- ENOSPC and short writes at the OS call ------------------------------------------------------


def test_a_short_write_is_completed(sessions_disk: Callable[[str], None]) -> None:
    session, _ = new_session_with_prompt()
    sessions_disk("short")

    session.finish_reply(big_reply())
    created = SessionStore().create(
        SessionSettings(profile="relay", model="claude-demo"), title="Whole"
    )

    sessions_disk("ok")
    assert [m.text for m in SessionStore().open(session.id).messages][-1] == BIG_REPLY
    assert SessionStore().open(created.id).title == "Whole"
    assert len(session_lines(session.path)) == 3


@pytest.mark.parametrize("mode", ["full", "short-full"])
def test_a_failed_append_leaves_no_torn_record_and_raises_the_typed_error(
    sessions_disk: Callable[[str], None], mode: str
) -> None:
    session, prompt = new_session_with_prompt()
    before = session.path.read_bytes()
    sessions_disk(mode)
    reply = big_reply()

    with pytest.raises(SessionSaveError) as raised:
        session.finish_reply(reply)

    sessions_disk("ok")
    assert isinstance(raised.value, OSError) and raised.value.errno == errno.ENOSPC
    assert raised.value.path == session.path
    assert session.path.read_bytes() == before
    assert session.messages == [prompt, reply]
    assert [m.text for m in SessionStore().open(session.id).messages] == [prompt.text]


def test_a_failed_checkpoint_is_caught_up_by_the_finished_reply(
    sessions_disk: Callable[[str], None],
) -> None:
    session, _ = new_session_with_prompt()
    reply = ChatMessage(role="assistant", content=[{"type": "text", "text": "Part one. "}])
    reply.status = MessageStatus.STREAMING
    session.messages.append(reply)  # as the conversation does when a reply starts
    sessions_disk("short-full")

    with pytest.raises(SessionSaveError):
        session.checkpoint_reply(reply)
    reply.content[0]["text"] += "Part two."
    with pytest.raises(SessionSaveError):
        session.checkpoint_reply(reply)
    assert session.messages[-1] is reply

    sessions_disk("ok")
    reply.status = MessageStatus.COMPLETE
    session.finish_reply(reply)

    session_lines(session.path)
    [_, loaded] = SessionStore().open(session.id).messages
    assert loaded.text == "Part one. Part two." and loaded.status is MessageStatus.COMPLETE


def test_changes_whose_writes_failed_are_written_by_the_next_save(
    sessions_disk: Callable[[str], None],
) -> None:
    session, prompt = new_session_with_prompt()
    session.finish_reply(big_reply())
    first_reply = session.messages[-1]
    sessions_disk("full")

    failures = 0
    changes: list[Callable[[], None]] = [
        lambda: session.append_message(ChatMessage.user("Lost?")),
        lambda: session.set_settings(session.settings.changed(model="claude-other")),
        lambda: session.rename("Renamed"),
        lambda: session.delete_message(first_reply.id),
    ]
    for change in changes:
        with pytest.raises(SessionSaveError):
            change()
        failures += 1
    assert failures == 4
    assert [m.text for m in session.messages] == [prompt.text, "Lost?"]
    assert (session.model, session.title) == ("claude-other", "Renamed")
    assert session.has_unsaved_changes

    sessions_disk("ok")
    session.save()

    assert not session.has_unsaved_changes
    reloaded = SessionStore().open(session.id)
    assert [m.text for m in reloaded.messages] == [prompt.text, "Lost?"]
    assert (reloaded.model, reloaded.title) == ("claude-other", "Renamed")


def test_a_first_prompt_whose_save_failed_still_names_the_session(
    sessions_disk: Callable[[str], None],
) -> None:
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    sessions_disk("full")
    with pytest.raises(SessionSaveError):
        session.append_message(ChatMessage.user("Plan a trip to Lisbon"))
    sessions_disk("ok")
    session.append_message(ChatMessage.user("In May"))

    reloaded = SessionStore().open(session.id)
    assert reloaded.title == "Plan a trip to Lisbon"
    assert [m.text for m in reloaded.messages] == ["Plan a trip to Lisbon", "In May"]


def test_creating_a_session_on_a_full_disk_raises_the_typed_error_and_leaves_nothing(
    sessions_disk: Callable[[str], None],
) -> None:
    SessionStore().create(
        SessionSettings(profile="relay", model="claude-demo")
    )  # the folder exists
    sessions_disk("full")
    store = SessionStore()

    with pytest.raises(SessionSaveError, match=r"Could not save to .*no space left on device"):
        store.create(SessionSettings(profile="relay", model="claude-demo"))
    deferred = store.create(SessionSettings(profile="relay", model="claude-demo"), deferred=True)
    with pytest.raises(SessionSaveError):
        deferred.append_message(ChatMessage.user("Hello"))

    sessions_disk("ok")
    assert [p.name for p in sessions_folder().iterdir() if p.name.endswith(".tmp")] == []
    assert not deferred.path.exists() and deferred.messages[0].text == "Hello"
    deferred.save()  # the retry writes the whole file
    assert [m.text for m in SessionStore().open(deferred.id).messages] == ["Hello"]


def test_a_failed_index_write_does_not_lose_the_session(
    sessions_disk: Callable[[str], None],
) -> None:
    session, prompt = new_session_with_prompt()
    sessions_disk("index-full")

    session.finish_reply(big_reply())  # saved: the index is only a cache
    created = SessionStore().create(
        SessionSettings(profile="relay", model="claude-demo"), title="New"
    )
    listed = SessionStore().list()

    sessions_disk("ok")
    assert {s.id for s in listed} == {session.id, created.id}
    assert [m.text for m in SessionStore().open(session.id).messages] == [prompt.text, BIG_REPLY]


def test_the_save_error_says_what_happened_and_what_to_do(tmp_path: Path) -> None:
    error = SessionSaveError(
        Path.home() / "data" / "x.jsonl", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    )
    read_only = SessionSaveError(tmp_path / "x.jsonl", OSError(errno.EROFS, "Read-only"))

    assert str(error).startswith(f"Could not save to ~{os.sep}data{os.sep}x.jsonl: no space")
    assert "Free some space" in str(error) and "kept" in str(error)
    assert "read-only" in str(read_only) and "writable" in str(read_only)
    assert read_only.errno == errno.EROFS and read_only.path == tmp_path / "x.jsonl"
