"""``claude-tui sessions list|show|export|import|delete`` run as real processes.

Sessions are seeded through :class:`SessionStore` in the test process (it writes to the same
temporary data folder the subprocess reads, see ``isolated_dirs``), and one test makes its
session the real way, with ``-p`` against the demo relay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.demo import DemoRelay
from claude_tui.demo.scripted_reply import answer_markdown
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui as claude_tui


def assert_one_line(stderr: str, *needles: str) -> None:
    assert stderr.count("\n") == 1 and stderr.startswith("claude-tui: "), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, (needle, stderr)


def seed(prompt: str, reply: str = "A reply.", *, thinking: str = "") -> Session:
    """A saved two-message session, as if a conversation had happened."""
    session = SessionStore().create(
        SessionSettings(profile="relay", model="claude-demo", thinking=2048)
    )
    session.append_message(ChatMessage.user(prompt))
    content: list[dict[str, Any]] = []
    if thinking:
        content.append({"type": "thinking", "thinking": thinking, "signature": "c2lnbmF0dXJl"})
    content.append({"type": "text", "text": reply})
    session.append_message(
        ChatMessage(
            role="assistant",
            content=content,
            model="claude-demo",
            profile="relay",
            usage=Usage(input_tokens=12, output_tokens=34),
            stop_reason="end_turn",
            request_id="req_demo_seeded",
            ttft_ms=120.5,
            duration_ms=900.0,
        )
    )
    return session


def listed() -> list[dict[str, Any]]:
    run = claude_tui("sessions", "list", "--json")
    assert run.code == 0, run.stderr
    rows: list[dict[str, Any]] = json.loads(run.stdout)
    return rows


def message_dicts(session_id: str) -> list[dict[str, Any]]:
    return [message.to_json() for message in SessionStore().open(session_id).messages]


# --- list ---------------------------------------------------------------------------------


def test_list_when_there_are_no_sessions() -> None:
    run = claude_tui("sessions", "list")

    assert run.code == 0
    assert "No saved sessions yet" in run.stdout
    assert listed() == []


def test_list_newest_first_in_text_and_json() -> None:
    first, second, third = seed("First topic"), seed("Second topic"), seed("Third topic")
    first.append_message(ChatMessage.user("A later question"))  # now the most recent

    rows = listed()
    assert [row["id"] for row in rows] == [first.id, third.id, second.id]
    assert rows[0] == {
        "id": first.id,
        "title": "First topic",
        "created": pytest.approx(first.created),
        "updated": pytest.approx(first.updated),
        "profile": "relay",
        "model": "claude-demo",
        "message_count": 3,
    }

    text = claude_tui("sessions", "list")
    assert text.code == 0 and text.stderr == ""
    lines = text.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [first.id, third.id, second.id]
    assert "3 msgs" in lines[0] and "relay/claude-demo" in lines[0]
    assert lines[0].endswith("First topic") and "just now" in lines[0]

    limited = claude_tui("sessions", "list", "-n", "1", "--json")
    assert [row["id"] for row in json.loads(limited.stdout)] == [first.id]


def test_an_untitled_session_is_listed_as_untitled() -> None:
    untitled = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))

    text = claude_tui("sessions", "list")
    assert len(text.stdout.splitlines()) == 1
    assert text.stdout.startswith(untitled.id)
    assert text.stdout.rstrip().endswith("(untitled)")
    assert listed()[0]["title"] is None  # JSON keeps the missing title as null


# --- show and export ----------------------------------------------------------------------


def test_show_prints_markdown() -> None:
    session = seed("Explain SSE", "Server-sent **events**.", thinking="Let me think.")

    run = claude_tui("sessions", "show", session.id[:5])

    assert run.code == 0, run.stderr
    out = run.stdout
    assert out.startswith("# Explain SSE\n")
    assert "claude-demo · profile relay" in out
    assert out.index("## You") < out.index("Explain SSE\n\n## Claude") < out.index("events")
    assert "## Claude (claude-demo)" in out
    assert "<summary>Thinking</summary>" in out and "Let me think." in out


def test_show_marks_interrupted_and_failed_replies() -> None:
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    session.append_message(ChatMessage.user("Go"))
    cut = ChatMessage(role="assistant", content=[{"type": "text", "text": "Half"}])
    cut.status = MessageStatus.INTERRUPTED
    session.append_message(cut)
    session.append_message(ChatMessage.user("Again"))
    failed = ChatMessage(role="assistant", content=[], status=MessageStatus.ERROR)
    failed.error = "The API is overloaded right now"
    session.append_message(failed)

    out = claude_tui("sessions", "show", session.id).stdout

    assert "_Interrupted: this reply is incomplete._" in out
    assert "**Error:** The API is overloaded right now" in out


def test_export_markdown_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    session = seed("Export me", "Exported.")
    shown = claude_tui("sessions", "show", session.id).stdout

    to_stdout = claude_tui("sessions", "export", session.id)
    assert to_stdout.code == 0 and to_stdout.stdout == shown

    target = tmp_path / "out" / "export.md"
    target.parent.mkdir()
    to_file = claude_tui("sessions", "export", session.id, "-o", str(target))
    assert to_file.code == 0, to_file.stderr
    assert to_file.stdout == ""
    assert f"to {target}" in to_file.stderr
    assert target.read_text(encoding="utf-8") == shown


def test_export_json_round_trips_through_import(tmp_path: Path) -> None:
    session = seed("Round trip", "Back again — café ✓", thinking="Pondering.")
    target = tmp_path / "session.json"

    exported = claude_tui("sessions", "export", session.id, "--format", "json", "-o", str(target))
    assert exported.code == 0, exported.stderr
    on_stdout = claude_tui("sessions", "export", session.id, "--format", "json").stdout
    assert json.loads(on_stdout) == json.loads(target.read_text(encoding="utf-8"))

    # Into the same folder: the id is taken, so the copy gets a new one.
    imported = claude_tui("sessions", "import", str(target))
    assert imported.code == 0, imported.stderr
    copy_id = imported.stdout.strip()
    assert copy_id != session.id
    assert message_dicts(copy_id) == message_dicts(session.id)
    assert {row["id"] for row in listed()} == {session.id, copy_id}

    # Into another data folder (another machine): the id is kept too.
    elsewhere = {"CLAUDE_TUI_DATA_DIR": str(tmp_path / "other-data")}
    moved = claude_tui("sessions", "import", str(target), env=elsewhere)
    assert moved.code == 0, moved.stderr
    assert moved.stdout.strip() == session.id
    other = SessionStore(tmp_path / "other-data" / "sessions").open(session.id)
    assert [m.to_json() for m in other.messages] == message_dicts(session.id)
    assert (other.title, other.profile, other.model) == ("Round trip", "relay", "claude-demo")


def test_import_a_minimal_hand_written_file(tmp_path: Path) -> None:
    source = tmp_path / "minimal.json"
    source.write_text(
        json.dumps(
            {
                "title": "From elsewhere",
                "messages": [
                    {"role": "user", "content": "What is 2 + 2?"},
                    {"role": "assistant", "content": "4."},
                ],
            }
        ),
        encoding="utf-8",
    )

    run = claude_tui("sessions", "import", str(source))

    assert run.code == 0, run.stderr
    session = SessionStore().open(run.stdout.strip())
    assert session.title == "From elsewhere"
    assert [(m.role, m.content) for m in session.messages] == [
        ("user", [{"type": "text", "text": "What is 2 + 2?"}]),
        ("assistant", [{"type": "text", "text": "4."}]),
    ]
    assert session.messages[1].status is MessageStatus.COMPLETE
    assert "## You\n\nWhat is 2 + 2?" in claude_tui("sessions", "show", session.id).stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"title": "x", "messages": [', "is not JSON (line 1"),
        ("[1, 2]", "must be a JSON object"),
        ('{"title": "x"}', "no 'messages' list"),
        ('{"messages": [{"role": "system", "content": "hi"}]}', "messages[0].role"),
        ('{"messages": [{"role": "user", "content": 42}]}', "messages[0].content"),
    ],
    ids=["not-json", "not-object", "no-messages", "bad-role", "bad-content"],
)
def test_import_of_a_bad_file_fails_clearly(tmp_path: Path, content: str, needle: str) -> None:
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")

    run = claude_tui("sessions", "import", str(source))

    assert run.code == 1
    assert run.stdout == ""
    assert_one_line(run.stderr, str(source), needle)
    assert listed() == []


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    run = claude_tui("sessions", "import", str(tmp_path / "nowhere.json"))

    assert run.code == 1
    assert_one_line(run.stderr, "cannot read", "nowhere.json")


def test_imported_session_can_be_resumed_in_print_mode(
    tmp_path: Path, isolated_dirs: Path, demo_relay: DemoRelay
) -> None:
    config = isolated_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'default_profile = "relay"\n[profiles.relay]\nbase_url = "{demo_relay.base_url}"\n'
        'auth = "none"\nmodel = "claude-demo"\n',
        encoding="utf-8",
    )
    source = tmp_path / "minimal.json"
    source.write_text(
        json.dumps(
            {
                "title": "Imported",
                "messages": [
                    {"role": "user", "content": "Earlier question"},
                    {"role": "assistant", "content": "Earlier answer"},
                ],
            }
        ),
        encoding="utf-8",
    )
    session_id = claude_tui("sessions", "import", str(source)).stdout.strip()

    run = claude_tui("-p", "-r", session_id, "Follow-up")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("Follow-up") + "\n"
    sent = demo_relay.requests[-1].json["messages"]
    assert [(m["role"], m["content"][0]["text"]) for m in sent] == [
        ("user", "Earlier question"),
        ("assistant", "Earlier answer"),
        ("user", "Follow-up"),
    ]
    assert listed()[0]["message_count"] == 4


# --- delete and ids -----------------------------------------------------------------------


def test_delete_removes_the_session() -> None:
    keep, drop = seed("Keep me"), seed("Drop me")

    run = claude_tui("sessions", "delete", drop.id)

    assert run.code == 0, run.stderr
    assert run.stdout == f"Deleted session {drop.id} (Drop me)\n"
    assert not drop.path.exists()
    assert [row["id"] for row in listed()] == [keep.id]
    assert claude_tui("sessions", "show", drop.id).code == 1


@pytest.mark.parametrize("command", ["show", "export", "delete"])
def test_unknown_id_is_one_clear_line(command: str) -> None:
    seed("Something")

    run = claude_tui("sessions", command, "feedface")

    assert run.code == 1
    assert run.stdout == ""
    assert_one_line(run.stderr, "No saved session matches 'feedface'")


def test_ambiguous_prefix_lists_the_candidates(tmp_path: Path) -> None:
    for session_id, title in (("abc111aaaaaa", "Alpha"), ("abc222bbbbbb", "Beta")):
        source = tmp_path / f"{session_id}.json"
        source.write_text(
            json.dumps(
                {"id": session_id, "title": title, "messages": [{"role": "user", "content": "x"}]}
            ),
            encoding="utf-8",
        )
        assert claude_tui("sessions", "import", str(source)).stdout.strip() == session_id

    ambiguous = claude_tui("sessions", "show", "abc")
    assert ambiguous.code == 1
    assert_one_line(
        ambiguous.stderr, "'abc' matches 2 sessions", "abc111aaaaaa (Alpha)", "abc222bbbbbb (Beta)"
    )
    refused = claude_tui("sessions", "delete", "abc")
    assert refused.code == 1
    assert len(listed()) == 2

    unique = claude_tui("sessions", "show", "abc2")
    assert unique.code == 0 and unique.stdout.startswith("# Beta\n")


def test_a_damaged_session_file_is_skipped_with_one_line(isolated_dirs: Path) -> None:
    good = seed("Still fine")
    damaged = isolated_dirs / "data" / "sessions" / "deadbeef0000.jsonl"
    damaged.write_text("not a session\n", encoding="utf-8")

    run = claude_tui("sessions", "list")

    assert run.code == 0
    assert [line.split()[0] for line in run.stdout.splitlines()] == [good.id]
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"claude-tui: skipped {damaged}: ")
    assert "not a session header" in run.stderr
    shown = claude_tui("sessions", "show", "deadbeef")
    assert shown.code == 1
    assert_one_line(shown.stderr, "Cannot load the session file", "left untouched")
    assert damaged.read_text(encoding="utf-8") == "not a session\n"


def test_export_to_a_path_that_cannot_be_written(tmp_path: Path) -> None:
    session = seed("Nowhere to go")

    run = claude_tui("sessions", "export", session.id, "-o", str(tmp_path))

    assert run.code == 1
    assert_one_line(run.stderr, f"cannot write {tmp_path}", "Is a directory")
    assert not list(tmp_path.glob(".*.tmp"))
