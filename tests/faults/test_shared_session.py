"""Two windows (two processes) appending to one session at once: each reply stays with the
prompt it answers, in the file as loaded and in what is sent next.

The turns interleave on disk (prompt A, prompt B, reply A, reply B); every reply names its
prompt (``reply_to``) and loading puts it right after that prompt.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.sessions import SessionStore
from claude_tui.sessions.session_replay import replies_after_prompts
from claude_tui.sessions.session_settings import SessionSettings

# A window driven line by line on stdin: "prompt TEXT" saves a prompt, "reply TEXT" streams
# (one checkpoint) and finishes the reply to it; each step answers "ok" when it is on disk.
WINDOW = textwrap.dedent(
    """
    import sys
    from claude_tui.chat_message import ChatMessage, MessageStatus
    from claude_tui.sessions import SessionStore

    session = SessionStore().open(sys.argv[1])
    prompt = None
    for line in sys.stdin:
        command, _, text = line.rstrip("\\n").partition(" ")
        if command == "prompt":
            prompt = ChatMessage.user(text)
            session.append_message(prompt)
        else:
            reply = ChatMessage(role="assistant", content=[{"type": "text", "text": ""}])
            reply.status = MessageStatus.STREAMING
            session.start_reply(reply, reply_to=prompt)
            reply.content[0]["text"] = text[:3]
            session.checkpoint_reply(reply)
            reply.content[0]["text"] = text
            reply.status = MessageStatus.COMPLETE
            session.finish_reply(reply)
        print("ok", flush=True)
    """
)


class Window:
    """A ``claude_tui`` session opened in its own process."""

    def __init__(self, session_id: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WINDOW, session_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def do(self, command: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline() == "ok\n"

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0


def texts(session_id: str) -> list[str]:
    return [message.text for message in SessionStore().open(session_id).messages]


def test_two_processes_interleaving_turns_load_as_prompt_reply_pairs() -> None:
    session = SessionStore().create(SessionSettings(profile="relay", model="claude-demo"))
    a, b = Window(session.id), Window(session.id)
    try:
        a.do("prompt Question A")
        b.do("prompt Question B")
        a.do("reply Answer A")
        b.do("reply Answer B")
    finally:
        a.close()
        b.close()

    reloaded = SessionStore().open(session.id)
    assert [m.text for m in reloaded.messages] == [
        "Question A",
        "Answer A",
        "Question B",
        "Answer B",
    ]
    # What the next send would put in the request pairs up the same way.
    assert [m.to_api()["role"] for m in reloaded.messages] == ["user", "assistant"] * 2
    assert reloaded.messages[1].reply_to == reloaded.messages[0].id
    assert all(m.status is MessageStatus.COMPLETE for m in reloaded.messages)


def test_two_session_objects_on_one_file_keep_each_reply_with_its_prompt() -> None:
    store = SessionStore()
    first = store.create(SessionSettings(profile="relay", model="claude-demo"))
    second = SessionStore().open(first.id)

    first.append_message(ChatMessage.user("A?"))
    second.append_message(ChatMessage.user("B?"))
    # Replies made without reply_to answer the last prompt of their own window.
    first.finish_reply(ChatMessage(role="assistant", content=[{"type": "text", "text": "A!"}]))
    second.finish_reply(ChatMessage(role="assistant", content=[{"type": "text", "text": "B!"}]))

    assert texts(first.id) == ["A?", "A!", "B?", "B!"]
    # Each window's own history (what it sends next) pairs its prompt with its reply.
    assert [m.text for m in first.messages] == ["A?", "A!"]
    assert [m.text for m in second.messages] == ["B?", "B!"]


def test_reply_to_is_saved_only_when_set_so_old_files_load_as_they_were() -> None:
    prompt = ChatMessage.user("Q")
    reply = ChatMessage(role="assistant", content=[], reply_to=prompt.id)
    plain = ChatMessage(role="assistant", content=[])

    assert ChatMessage.from_json(reply.to_json()).reply_to == prompt.id
    assert "reply_to" not in plain.to_json()
    wrong_type = {"role": "assistant", "content": [], "reply_to": 3}
    assert ChatMessage.from_json(wrong_type).reply_to is None


def test_ordering_is_stable_without_reply_to_and_ignores_unknown_prompts() -> None:
    q1, q2 = ChatMessage.user("1"), ChatMessage.user("2")
    old = ChatMessage(role="assistant", content=[])  # an older file: no reply_to
    orphan = ChatMessage(role="assistant", content=[], reply_to="msg_gone")
    late = ChatMessage(role="assistant", content=[], reply_to=q1.id)

    assert replies_after_prompts([q1, q2, old, orphan]) == [q1, q2, old, orphan]
    assert replies_after_prompts([q1, q2, old, late]) == [q1, late, q2, old]
    looped = ChatMessage(role="assistant", content=[], reply_to="x")
    looped.reply_to = looped.id
    assert replies_after_prompts([looped, q1]) == [looped, q1]
