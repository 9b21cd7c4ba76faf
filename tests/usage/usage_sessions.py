"""Sessions with priced replies, made through the session store as the app saves them."""

from __future__ import annotations

import time

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

DAY = 86_400.0


def new_session(store: SessionStore, profile: str = "relay", model: str = "claude-demo") -> Session:
    return store.create(SessionSettings(profile=profile, model=model))


def add_reply(
    session: Session,
    usage: Usage,
    *,
    profile: str | None = None,
    model: str | None = None,
    created: float | None = None,
) -> ChatMessage:
    """A prompt and its finished reply, saved as Conversation saves them."""
    prompt = ChatMessage.user("question")
    session.append_message(prompt)
    reply = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": "answer"}],
        model=model or session.model,
        profile=profile or session.profile,
        usage=usage,
    )
    reply.created = time.time() if created is None else created
    session.start_reply(reply, reply_to=prompt)
    session.finish_reply(reply)
    return reply


def usage(input: int = 0, output: int = 0, read: int = 0, write: int = 0) -> Usage:
    return Usage(
        input_tokens=input,
        output_tokens=output,
        cache_read_input_tokens=read,
        cache_creation_input_tokens=write,
    )
