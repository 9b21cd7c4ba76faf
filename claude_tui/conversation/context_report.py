"""What the next request will carry, item by item: the data behind ``/context``.

Built from the request the conversation would send next (:meth:`Conversation.request_for`)
and the wire layer's own decision of which turns go (``sent_history``), never from a second
copy of those rules: what is listed as sent is what the request builders send, and what is
listed as left out is what :class:`~claude_tui.wire.SentHistory` says is left out.

Token figures here are estimates (about four characters a token; an attachment block's own
``tokens``). The endpoint's exact count, where it gives one, comes from
:mod:`claude_tui.conversation.token_count_cache` and covers the whole request only: one
``count_tokens`` call cannot be split per message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from claude_tui.chat_message import ChatMessage

if TYPE_CHECKING:
    from claude_tui.conversation.conversation import Conversation
    from claude_tui.profiles.profile import Profile
    from claude_tui.wire import ChatRequest, SentHistory

NEXT_PROMPT_PLACEHOLDER = "…"
"""Stands for the next message while nothing is typed (as the trim divider does), so the
request is one the API would take: it must end with a user turn."""

PREVIEW_CHARS = 60
"""How much of a message the view quotes."""

ItemKind = Literal["system", "message", "attachment", "next", "left_out"]


@dataclass(frozen=True, slots=True)
class ContextItem:
    """One line of the view: a part of the request and its estimated tokens.

    ``kind`` is ``system``, ``message`` (a sent turn), ``attachment`` (a file block inside
    the turn listed just before it), ``next`` (the turn holding the next message) or
    ``left_out`` (a saved message this request does not send; ``note`` says why, as
    ``max_messages = 4``).
    """

    kind: ItemKind
    label: str
    preview: str
    tokens: int
    note: str = ""

    @property
    def sent(self) -> bool:
        """Whether the next request carries this item."""
        return self.kind != "left_out"


@dataclass(frozen=True, slots=True)
class ContextReport:
    """Everything ``/context`` lists, for one conversation at one moment."""

    profile: str
    model: str
    api_format: str
    items: tuple[ContextItem, ...]
    reply_reserve: int
    """``max_tokens``: room the request keeps for the reply (trimming keeps it free too)."""
    context_window: int
    """The profile's ``context_window``; 0 when not set (the limit is then unknown)."""
    left_out: int
    """Saved messages the request does not send (as ``SentHistory.left_out``)."""
    left_out_reason: str
    request: ChatRequest
    """The request itself, for the endpoint to count."""

    @property
    def sent_items(self) -> tuple[ContextItem, ...]:
        """The items the request carries."""
        return tuple(item for item in self.items if item.sent)

    @property
    def left_out_items(self) -> tuple[ContextItem, ...]:
        """Saved messages the request leaves out."""
        return tuple(item for item in self.items if not item.sent)

    @property
    def estimated_input(self) -> int:
        """Input tokens of the request, estimated: the sum of the sent items."""
        return sum(item.tokens for item in self.sent_items)

    def total(self, input_tokens: int) -> int:
        """What the request needs of the window: its input plus the reply reserve."""
        return input_tokens + self.reply_reserve

    def share(self, tokens: int) -> float | None:
        """``tokens`` as a fraction of the context window; None when it is not known."""
        if self.context_window <= 0:
            return None
        return tokens / self.context_window


def context_report(conversation: Conversation, next_prompt: str = "") -> ContextReport:
    """What the conversation's next request would carry if ``next_prompt`` (the composer's
    text; empty: nothing typed yet) were sent now."""
    from claude_tui.wire import sent_history

    typed = _without_secrets(next_prompt.strip(), conversation)
    prompt = ChatMessage.user(typed or NEXT_PROMPT_PLACEHOLDER)
    request = conversation.request_for([*conversation.session.messages, prompt])
    profile = conversation.profile
    sent = sent_history(request, profile.api_format)
    return report_from(request, sent, profile, typed=bool(typed))


def _without_secrets(draft: str, conversation: Conversation) -> str:
    """The draft as it may go to ``count_tokens``: the user has not chosen to send it yet,
    so secrets in it are redacted first (unless the profile's ``redact`` is ``off``), as a
    send would redact them; counting must not leak what sending would have held back."""
    profile = conversation.profile
    if not draft or profile.redact == "off":
        return draft
    from claude_tui.redaction import SecretPolicy, redact_for_sending

    policy = SecretPolicy.for_profile(profile, conversation.pool.known_secrets())
    return redact_for_sending(draft, policy).text


def report_from(
    request: ChatRequest, sent: SentHistory, profile: Profile, *, typed: bool = True
) -> ContextReport:
    """The report for ``request`` whose sent turns are ``sent`` (what ``sent_history``
    answered for it). ``typed``: whether the last user turn holds real text rather than
    :data:`NEXT_PROMPT_PLACEHOLDER`."""
    from claude_tui.wire import estimate_text_tokens

    items: list[ContextItem] = []
    if request.system:
        items.append(
            ContextItem(
                "system",
                "System prompt",
                _preview(request.system),
                estimate_text_tokens(request.system),
            )
        )
    reason = left_out_reason(sent, profile)
    for message in request.history[: sent.left_out]:
        item = _left_out_item(message, reason)
        if item is not None:
            items.append(item)
    last = len(sent.turns) - 1
    for position, turn in enumerate(sent.turns):
        items.extend(_turn_items(turn, is_next=position == last, typed=typed))
    return ContextReport(
        profile=profile.name,
        model=request.model,
        api_format=profile.api_format,
        items=tuple(items),
        reply_reserve=request.max_tokens,
        context_window=request.context_window,
        left_out=sent.left_out,
        left_out_reason=reason,
        request=request,
    )


def left_out_reason(sent: SentHistory, profile: Profile) -> str:
    """Why ``sent`` leaves earlier messages out, in the words the trim divider uses; empty
    when nothing is left out. (A new reason ``SentHistory`` reports is one more branch.)"""
    if not sent.left_out:
        return ""
    if sent.limit == "max_messages":
        return f"max_messages = {profile.max_messages}"
    if sent.limit == "context_window":
        return f"context window {profile.context_window:,} tokens"
    return "not sent"


def _left_out_item(message: ChatMessage, reason: str) -> ContextItem | None:
    from claude_tui.wire import estimate_message_tokens

    if not message.content:
        return None  # a reply that failed before any text: nothing to leave out
    return ContextItem(
        "left_out",
        _role_label(message.role),
        _preview(message.text),
        estimate_message_tokens(message.to_api()),
        note=reason,
    )


def _turn_items(turn: dict[str, Any], *, is_next: bool, typed: bool) -> list[ContextItem]:
    """The turn's own item (its text and other blocks) and one item per attachment block."""
    from claude_tui.wire import estimate_message_tokens

    role = str(turn.get("role", ""))
    content = turn.get("content", "")
    blocks: Sequence[Any] = content if isinstance(content, list) else []
    attachments = [b for b in blocks if isinstance(b, dict) and b.get("type") == "attachment"]
    rest: Any = content if isinstance(content, str) else [b for b in blocks if b not in attachments]
    text = content if isinstance(content, str) else _blocks_text(rest)
    if not text and attachments:
        text = "(only attachments)"
    kind: ItemKind = "next" if is_next and role == "user" else "message"
    label = "Your next message" if kind == "next" else _role_label(role)
    preview = _preview(text)
    if kind == "next" and not typed and text.strip() == NEXT_PROMPT_PLACEHOLDER:
        preview = "(nothing typed yet)"
    items = [
        ContextItem(kind, label, preview, estimate_message_tokens({"role": role, "content": rest}))
    ]
    items.extend(_attachment_item(block) for block in attachments)
    return items


def _attachment_item(block: dict[str, Any]) -> ContextItem:
    """An attachment block as the view lists it: its estimate is the block's own
    ``tokens`` (the bytes are never loaded for an estimate)."""
    tokens = block.get("tokens")
    details = [str(block[key]) for key in ("kind", "media_type") if block.get(key)]
    size = block.get("size")
    if isinstance(size, int) and size >= 0:
        details.append(_size_text(size))
    return ContextItem(
        "attachment",
        str(block.get("name") or "attachment"),
        ", ".join(details),
        tokens if isinstance(tokens, int) and tokens >= 0 else 0,
    )


def _blocks_text(blocks: Sequence[Any]) -> str:
    texts = [
        str(b.get("text", "")) for b in blocks if isinstance(b, dict) and b.get("type") == "text"
    ]
    if texts:
        return " ".join(texts)
    kinds = sorted({str(b.get("type")) for b in blocks if isinstance(b, dict)})
    return f"({', '.join(kinds)})" if kinds else ""


def _role_label(role: str) -> str:
    return {"user": "You", "assistant": "Claude"}.get(role, role or "?")


def _preview(text: str) -> str:
    """The first words of ``text`` on one line."""
    words = " ".join(text.split())
    if len(words) <= PREVIEW_CHARS:
        return words
    return words[: PREVIEW_CHARS - 1].rstrip() + "…"


def _size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1000:
        return f"{size / 1000:.1f} kB"
    return f"{size} B"
