"""Chooses which turns are sent so a request fits ``max_messages`` and ``context_window``.

Trimming changes only what is sent: the session keeps everything. The kept history always
starts with a user message so the API accepts it.

The request builders and the conversation view ask the same function,
:func:`sent_history`: the builders send its turns, the view draws a divider where its
``left_out`` says the cut falls, so what the user is told is what goes over the wire.

Compaction (``/compact``) is part of the same decision: when the request carries a
:class:`HistorySummary`, the messages it replaced are not sent, and the summary opens the
first user turn that is (``SUMMARY_PREFIX`` + the summary, then that turn's own content),
so the roles still alternate from a user turn on both formats. Trimming then applies to the
later turns, with the summary's tokens counted against the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from claude_tui.history_summary import SUMMARY_PREFIX, HistorySummary
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.history_shaping import anthropic_messages, openai_messages
from claude_tui.wire.token_estimate import estimate_message_tokens, estimate_text_tokens
from claude_tui.wire.tool_history import opens_with_tool_results

TrimLimit = Literal["max_messages", "context_window"]


@dataclass(frozen=True, slots=True)
class SentHistory:
    """The history turns a request sends, and how many saved messages it leaves out.

    ``left_out`` counts the leading messages of ``ChatRequest.history`` that are not sent
    because of trimming (0 when nothing was trimmed), counted from the start of the history
    (so with a summary in effect it includes the ``summarized`` ones); ``limit`` names the
    setting that cut them (None when nothing was cut).

    ``summarized`` counts the leading messages the request's summary replaced (0: no
    summary in effect); ``summary`` is that summary, which names the first and last of them.
    """

    turns: list[dict[str, Any]]
    left_out: int
    limit: TrimLimit | None
    summarized: int = 0
    summary: HistorySummary | None = None


def trim_start(
    messages: list[dict[str, Any]],
    *,
    max_messages: int = 0,
    context_window: int = 0,
    reserve_tokens: int = 0,
    system: str | None = None,
) -> tuple[int, TrimLimit | None]:
    """How many leading ``messages`` are not sent, and the limit that cut them.

    The newest messages that fit are kept; the last message always is. ``reserve_tokens``
    is room left for the reply (``max_tokens``). ``0`` disables a limit.
    """
    if not messages:
        return 0, None
    start = max(len(messages) - max_messages, 0) if max_messages > 0 else 0
    limit: TrimLimit | None = "max_messages" if start else None
    if context_window > 0:
        budget = context_window - reserve_tokens - estimate_text_tokens(system or "")
        total = 0
        fits = len(messages)
        for position in range(len(messages) - 1, start - 1, -1):
            cost = estimate_message_tokens(messages[position])
            if total + cost > budget and position < len(messages) - 1:
                break
            total += cost
            fits = position
        if fits > start:
            start, limit = fits, "context_window"
    # A kept history opens with a user turn, and not with results whose calls were cut.
    while start < len(messages) - 1 and (
        messages[start].get("role") != "user" or opens_with_tool_results(messages[start])
    ):
        start += 1
    return start, limit if start else None


def trim_history(
    messages: list[dict[str, Any]],
    *,
    max_messages: int = 0,
    context_window: int = 0,
    reserve_tokens: int = 0,
    system: str | None = None,
) -> list[dict[str, Any]]:
    """Newest messages that fit (see :func:`trim_start`); always a new list."""
    start, _limit = trim_start(
        messages,
        max_messages=max_messages,
        context_window=context_window,
        reserve_tokens=reserve_tokens,
        system=system,
    )
    return messages[start:]


def sent_history(request: ChatRequest, api_format: str = "anthropic") -> SentHistory:
    """The turns of ``request.history`` a request in ``api_format`` sends, after compaction,
    shaping and trimming (for openai without the system message, which the body puts
    first)."""
    history = request.history
    summary = request.summary
    cut = summary.replaced_end([m.id for m in history]) if summary is not None else None
    if summary is None or cut is None:
        summary, cut = None, 0
    sources: list[int] = []
    if api_format == "openai":
        shaped = openai_messages(history[cut:], None, sources=sources)
    else:
        shaped = anthropic_messages(history[cut:], request.model, sources=sources)
    summary_tokens = estimate_text_tokens(SUMMARY_PREFIX + summary.text) if summary else 0
    start, limit = trim_start(
        shaped,
        max_messages=request.max_messages,
        context_window=request.context_window,
        reserve_tokens=request.max_tokens + summary_tokens,
        system=request.system,
    )
    left_out = cut + sources[start] if start else 0
    turns = shaped[start:]
    if summary is not None:
        turns = with_summary(turns, summary, api_format)
    return SentHistory(turns, left_out, limit, cut, summary)


def with_summary(
    turns: list[dict[str, Any]], summary: HistorySummary, api_format: str
) -> list[dict[str, Any]]:
    """``turns`` opened by the summary: merged into the first user turn (the roles keep
    alternating), or as the only turn when nothing came after the cut."""
    text = SUMMARY_PREFIX + summary.text
    block = {"type": "text", "text": text}
    if not turns or turns[0]["role"] != "user":
        return [{"role": "user", "content": text if api_format == "openai" else [block]}, *turns]
    content = turns[0]["content"]
    if isinstance(content, str):  # Chat Completions text
        merged: str | list[Any] = f"{text}\n\n{content}"
    else:  # blocks (Messages API), or parts (Chat Completions with attachments)
        merged = [block, *content]
    return [{**turns[0], "content": merged}, *turns[1:]]
