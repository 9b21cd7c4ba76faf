"""What a hostile relay sends: replies that never end, split characters, terminal escapes.

A client has to stay in control whatever a relay does: its timeouts must hold against
keep-alives and trickled bytes, its memory against a line that never ends, its saved text
against an emoji cut in half, and the terminal against escape sequences inside the reply. The
renderers in ``anthropic_replies`` and ``openai_replies`` splice these in where ``ReplyPlan``
asks for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from claude_tui.demo.fault_modes import ReplyPlan
from claude_tui.demo.reply_steps import Abort, Pause, Step, sse_event

ENDLESS_LINE_LIMIT = 64 * 1024 * 1024
"""An ``endless_line`` stops (the connection is dropped) after this many bytes."""

_ENDLESS_PIECE = b"x" * (64 * 1024)

SPLIT_SURROGATE_TEXT = (
    "Emoji cut in half: smile \ud83d",
    "\ude00 and party \ud83c",
    "\udf89 ok.\n\n",
)
"""Text deltas that split two emoji (😀, 🎉) between their UTF-16 halves; as JSON each half is
an escape such as ``"\\ud83d"``, which is what relays that cut by UTF-16 units send."""

SPLIT_SURROGATE_THINKING = ("Thinking with a smile \ud83d", "\ude00. ")

ESCAPES_TEXT = (
    "Terminal escapes follow: \x1b[2Jclear screen, \x1b]0;pwned\x07title, "
    "\x1b]52;c;aGk=\x07clipboard, \x9b31mC1 CSI, bell\x07, abc\x08\x08\x08XYZ backspaces.\n\n"
)
"""Reply text a client must not pass raw to the terminal: ESC[2J, an OSC 0 title change, an
OSC 52 clipboard write, a C1 CSI (U+009B), BEL and backspaces."""

ESCAPES_THINKING = "Escapes in thinking too: \x1b]0;pwned\x07\x1b[2J. "


def hostile_text(plan: ReplyPlan, deltas: list[str]) -> list[str]:
    """The text deltas with the plan's hostile content put first."""
    extra: list[str] = []
    if plan.escapes:
        extra.append(ESCAPES_TEXT)
    if plan.split_surrogates:
        extra.extend(SPLIT_SURROGATE_TEXT)
    return [*extra, *deltas] if extra else deltas


def hostile_thinking(plan: ReplyPlan, deltas: list[str]) -> list[str]:
    """The thinking deltas with the plan's hostile content put first (when there is thinking)."""
    if not deltas:
        return deltas
    extra: list[str] = []
    if plan.escapes:
        extra.append(ESCAPES_THINKING)
    if plan.split_surrogates:
        extra.extend(SPLIT_SURROGATE_THINKING)
    return [*extra, *deltas] if extra else deltas


def hang_steps(plan: ReplyPlan, *, openai: bool, index: int) -> Iterator[Step]:
    """The rest of a reply that stops making progress without ending (``plan.hang``).

    Keep-alives and trickles go on until the client hangs up (the relay notices at its next
    write) or the relay stops; an endless line stops after :data:`ENDLESS_LINE_LIMIT` bytes.
    """
    interval = plan.hang_interval
    if plan.hang == "keepalive":
        ping = sse_event("ping", {"type": "ping"})
        for turn in itertools.count():
            yield Pause(interval)
            # OpenAI-style relays only send comments; Anthropic's API also sends pings.
            yield ping if (not openai and turn % 2) else b": keep-alive\n\n"
    elif plan.hang == "trickle":
        yield _unfinished_delta(openai, index)
        while True:
            yield Pause(interval)
            yield b"."
    elif plan.hang == "endless_line":
        yield _unfinished_delta(openai, index)
        for _ in range(ENDLESS_LINE_LIMIT // len(_ENDLESS_PIECE)):
            yield _ENDLESS_PIECE
        yield Abort()


def _unfinished_delta(openai: bool, index: int) -> bytes:
    """The start of a text delta event whose JSON string never closes."""
    if openai:
        return b'data: {"choices":[{"index":0,"delta":{"content":"'
    return (
        b"event: content_block_delta\n"
        b'data: {"type":"content_block_delta","index":%d,"delta":{"type":"text_delta","text":"'
        % index
    )
