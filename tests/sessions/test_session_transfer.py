"""Export to Markdown and JSON, and import back (or from hand-written files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.sessions import Session, SessionStore
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.transfer import export_json, export_markdown, import_json


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


@pytest.fixture
def session(store: SessionStore) -> Session:
    session = store.create(
        SessionSettings(profile="work", model="claude-sonnet-4-5", system="Be brief.")
    )
    session.append_message(ChatMessage.user("How do I list files?"))
    session.append_message(
        ChatMessage(
            role="assistant",
            content=[
                {"type": "thinking", "thinking": "Simple shell question.", "signature": "s"},
                {"type": "text", "text": "Use `ls`:\n\n```sh\nls -la\n```"},
                {"type": "tool_use", "id": "t1", "name": "run", "input": {"cmd": "ls"}},
            ],
            model="claude-sonnet-4-5",
            usage=Usage(input_tokens=20, output_tokens=30),
            stop_reason="end_turn",
            ttft_ms=250.0,
            duration_ms=1200.0,
        )
    )
    session.append_message(ChatMessage.user("And hidden ones?"))
    session.append_message(
        ChatMessage(
            role="assistant",
            content=[{"type": "text", "text": "Add -a and"}],
            model="claude-sonnet-4-5",
            status=MessageStatus.INTERRUPTED,
        )
    )
    session.append_message(ChatMessage.user("Hello?"))
    session.append_message(
        ChatMessage(
            role="assistant",
            content=[],
            status=MessageStatus.ERROR,
            error="The API is overloaded; try again in a minute.",
        )
    )
    return session


def test_markdown_export(session: Session) -> None:
    text = export_markdown(session)
    assert text.startswith("# How do I list files?\n")
    assert "claude-sonnet-4-5" in text.splitlines()[2]
    assert "<details>\n<summary>System prompt</summary>\n\nBe brief.\n\n</details>" in text
    assert text.count("## You") == 3
    assert text.count("## Claude (claude-sonnet-4-5)") == 2
    assert "<summary>Thinking</summary>\n\nSimple shell question.\n\n</details>" in text
    assert "Use `ls`:\n\n```sh\nls -la\n```" in text
    assert '**Tool call** `run`\n\n```json\n{\n  "cmd": "ls"\n}\n```' in text
    assert "Add -a and\n\n> _Interrupted: this reply is incomplete._" in text
    assert "> **Error:** The API is overloaded; try again in a minute." in text
    # Sections come in conversation order.
    assert text.index("How do I list files?\n\n## Claude") < text.index("And hidden ones?")


def test_markdown_fences_outgrow_backticks_in_tool_results(store: SessionStore) -> None:
    session = store.create(SessionSettings(profile="p", model="m"))
    session.append_message(
        ChatMessage(
            role="user",
            content=[{"type": "tool_result", "tool_use_id": "t1", "content": "a ``` b"}],
        )
    )
    assert "````\na ``` b\n````" in export_markdown(session)


def test_json_round_trip(session: Session, tmp_path: Path) -> None:
    data = json.loads(json.dumps(export_json(session)))
    assert set(data) >= {"id", "title", "system", "created", "profile", "model", "messages"}
    other = SessionStore(tmp_path / "elsewhere")
    imported = import_json(data, other)
    assert imported.id == session.id  # a free id is kept
    reloaded = other.open(imported.id)
    assert [m.to_json() for m in reloaded.messages] == [m.to_json() for m in session.messages]
    assert (reloaded.title, reloaded.system, reloaded.profile, reloaded.model) == (
        session.title,
        session.system,
        session.profile,
        session.model,
    )
    assert reloaded.created == session.created


def test_importing_over_an_existing_id_makes_a_new_session(
    session: Session, store: SessionStore
) -> None:
    copy = import_json(export_json(session), store)
    assert copy.id != session.id
    assert len(store.open(session.id).messages) == len(store.open(copy.id).messages) == 6
    assert len(store.list()) == 2


def test_import_accepts_the_plain_messages_api_shape(store: SessionStore) -> None:
    data = {
        "messages": [
            {"role": "user", "content": "Summarise   this\nplease"},
            {"role": "assistant", "content": [{"type": "text", "text": "Sure."}]},
        ]
    }
    imported = import_json(data, store, profile="default", model="claude-haiku-4-5")
    assert imported.title == "Summarise this"
    assert (imported.profile, imported.model) == ("default", "claude-haiku-4-5")
    assert [m.text for m in store.open(imported.id).messages] == [
        "Summarise   this\nplease",
        "Sure.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"title": "x"}, "no 'messages' list"),
        ({"messages": ["hi"]}, r"messages\[0\] must be an object"),
        ({"messages": [{"role": "system", "content": "x"}]}, r"messages\[0\].role must be"),
        ({"messages": [{"role": "user", "content": 5}]}, r"messages\[0\].content must be"),
        (
            {"messages": [{"role": "user", "content": "ok"}, {"role": "user", "content": [{}]}]},
            r"messages\[1\].content\[0\] must be an object with a 'type'",
        ),
        ({"messages": [{"role": "user", "content": "x", "created": "noon"}]}, "created must"),
        ({"messages": [{"role": "user", "content": "x", "usage": 3}]}, "usage must"),
        ({"messages": [], "title": 7}, "'title' must be a string"),
        ({"messages": [], "created": "yesterday"}, "'created' must be a timestamp"),
    ],
)
def test_import_explains_what_is_wrong(store: SessionStore, data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_json(data, store)
    assert store.list() == []


def test_an_unusable_id_is_replaced(store: SessionStore) -> None:
    imported = import_json({"id": "../../etc/passwd", "messages": []}, store)
    assert imported.path.parent == store.root
    assert imported.id != "../../etc/passwd"
