"""What the demo relay says: a realistic markdown answer, thinking, and how it is streamed.

The answer depends only on the prompt (and ``long=N`` / ``markdown=N``), never on randomness
or time, so a reply cut by ``[demo:cut]`` can be resumed: a prefill that is a prefix of the
planned answer is continued with exactly the rest of it.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from claude_tui.demo.fault_modes import ReplyPlan, parse_keywords, plan_from_faults, strip_keywords
from claude_tui.demo.hostile_streams import hostile_text, hostile_thinking
from claude_tui.demo.markdown_reply import markdown_stress, split_small_deltas
from claude_tui.demo.request_reading import ConversationView

StopReason = Literal["end_turn", "max_tokens", "stop_sequence"]

_PIECES = re.compile(r"\s+|\S+\s*")
_MAX_DELTA_CHARS = 16


def delta_tokens(delta: str) -> int:
    """Tokens charged for one streamed delta: about four characters each, at least one."""
    return max(1, round(len(delta) / 4))


def quote_prompt(prompt: str, limit: int = 60) -> str:
    """The start of ``prompt`` on one line, safe to put inside ``*"..."*``."""
    text = " ".join(strip_keywords(prompt).split()).replace("*", "").replace('"', "'")
    if not text:
        return "(an empty prompt)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answer_markdown(prompt: str) -> str:
    """The ordinary demo answer: one of each markdown construct a renderer must handle."""
    quote = quote_prompt(prompt)
    return f"""## A demo answer

You asked: *"{quote}"*. This reply comes from the **claude-tui demo relay** — a small loopback \
server that speaks the Anthropic and OpenAI wire formats, so every part of the client can be \
tried without an API key.

A real answer tends to contain:

- **Bold** and _italic_ text, plus `inline code`
- A link, such as the [Messages API reference](https://docs.anthropic.com/en/api/messages)
- A table, a quotation and a code block, all below

| Part | Event | Notes |
|------|-------|-------|
| Thinking | `thinking_delta` | Shown in the thinking viewer |
| Text | `text_delta` | Rendered as markdown |
| Usage | `message_delta` | Cumulative: overwrite, never add |

> Streamed replies arrive a few words at a time; a good client renders them without flicker.

```python
def greet(name: str) -> str:
    \"\"\"Return a friendly greeting.\"\"\"
    return f"Hello, {{name}}!"


print(greet("café"))
```

Try `[demo:cut]`, `[demo:status=529]`, `[demo:long=20000]` or `[demo:markdown=20000]` in a \
prompt to see how the client copes with failures and very long replies."""


def thinking_text(prompt: str) -> str:
    """A few sentences of plausible reasoning about ``prompt``."""
    return (
        f'The user wrote "{quote_prompt(prompt, 40)}". There is no model behind this answer: '
        "it comes from the claude-tui demo relay. I should reply with a short markdown sample "
        "that exercises headings, emphasis, a list, a table, a quotation, a link and a code "
        "block, so the renderer has something realistic to draw. Keeping the reasoning brief "
        "lets the thinking viewer show it streaming in before the answer starts."
    )


_TOPICS = (
    "connection reuse",
    "chunked encoding",
    "server-sent events",
    "retry budgets",
    "token accounting",
    "markdown rendering",
    "scrollback pruning",
    "idle timeouts",
)
_SENTENCES = (
    "A streaming client should keep whatever text has already arrived.",
    "Usage numbers in `message_delta` are cumulative, so the last one is the total.",
    "Rendering cost must not grow with the length of the conversation.",
    "An overloaded server answers **529**, and a retry after a short pause usually works.",
    "The *thinking* block carries a signature that must be sent back unmodified.",
    "Relays differ in small ways — a trailing `/v1` in the base URL is a common one.",
    "Keep-alive connections save a TLS handshake on every request.",
    "A reply that ends without `message_stop` was interrupted, not finished.",
)


def long_markdown(prompt: str, tokens: int) -> str:
    """About ``tokens`` tokens of varied markdown, built from whole sections so fences balance."""
    target_chars = tokens * 4
    parts = [f'# A long demo answer\n\nYou asked: *"{quote_prompt(prompt)}"*.\n\n']
    size = len(parts[0])
    section = 0
    while size < target_chars:
        part = _long_section(section)
        if size + len(part) > target_chars and section > 0:
            part = _paragraph(section, max(1, (target_chars - size) // 70))
        parts.append(part)
        size += len(part)
        section += 1
    return "".join(parts).rstrip()


def _paragraph(k: int, sentences: int) -> str:
    picked = (_SENTENCES[(k + i) % len(_SENTENCES)] for i in range(sentences))
    return " ".join(picked) + "\n\n"


def _long_section(k: int) -> str:
    topic = _TOPICS[k % len(_TOPICS)]
    match k % 6:
        case 0:
            return f"## Part {k // 6 + 1}: {topic}\n\n" + _paragraph(k, 4)
        case 1:
            items = "".join(f"- {_SENTENCES[(k + i) % len(_SENTENCES)]}\n" for i in range(4))
            return f"Points about **{topic}**:\n\n{items}\n"
        case 2:
            name = topic.replace(" ", "_").replace("-", "_")
            return (
                f"```python\ndef check_{name}_{k}(values: list[int]) -> int:\n"
                f'    """Sum the values for section {k}."""\n'
                f"    total = 0\n    for value in values:\n        total += value * {k}\n"
                "    return total\n```\n\n"
            )
        case 3:
            steps = "".join(f"{i + 1}. Step {i + 1} of _{topic}_.\n" for i in range(3))
            return _paragraph(k + 3, 3) + steps + "\n"
        case 4:
            return (
                f"| Item | Value |\n|------|-------|\n| {topic} | {k} |\n"
                f"| section | {k * 7 % 100} |\n\n"
            )
        case _:
            return f"> {_SENTENCES[k % len(_SENTENCES)]}\n\n" + _paragraph(k + 5, 2)


def planned_answer(prompt: str, long_tokens: int | None, markdown_tokens: int | None = None) -> str:
    """The full answer the relay gives to ``prompt`` (sizes from its keywords when both
    are None); ``markdown_tokens`` wins over ``long_tokens``."""
    if long_tokens is None and markdown_tokens is None:
        plan = plan_from_faults(parse_keywords(prompt))
        long_tokens, markdown_tokens = plan.long_tokens, plan.markdown_tokens
    if markdown_tokens:
        return markdown_stress(quote_prompt(prompt), markdown_tokens)
    return long_markdown(prompt, long_tokens) if long_tokens else answer_markdown(prompt)


def planned_deltas(prompt: str) -> list[str]:
    """The answer to a fresh ``prompt`` as the relay streams it, one string per delta."""
    plan = plan_from_faults(parse_keywords(prompt))
    text = planned_answer(prompt, plan.long_tokens, plan.markdown_tokens)
    return split_small_deltas(text) if plan.markdown_tokens else split_deltas(text)


def split_deltas(text: str) -> list[str]:
    """Cut ``text`` into deltas of one to four tokens, the way real streams arrive.

    Deterministic for a given text so that tests and resumed replies are reproducible.
    """
    rng = random.Random(zlib.crc32(text.encode()))
    deltas: list[str] = []
    current = ""
    target = rng.randint(1, 4) * 4
    for piece in _PIECES.findall(text):
        while len(piece) > _MAX_DELTA_CHARS:
            if current:
                deltas.append(current)
                current = ""
            deltas.append(piece[:_MAX_DELTA_CHARS])
            piece = piece[_MAX_DELTA_CHARS:]
        current += piece
        if len(current) >= target:
            deltas.append(current)
            current = ""
            target = rng.randint(1, 4) * 4
    if current:
        deltas.append(current)
    return deltas


def fake_signature(seed: str) -> str:
    """A base64 string shaped like a thinking signature, stable for one ``seed``."""
    digest = b"".join(hashlib.sha256(f"{seed}:{i}".encode()).digest() for i in range(6))
    return base64.b64encode(b"\x12\x02demo" + digest).decode()


@dataclass(frozen=True)
class ComposedReply:
    """Everything a dialect renderer needs to stream or return one reply."""

    thinking_deltas: list[str]
    text_deltas: list[str]
    signature: str
    stop_reason: StopReason
    stop_sequence: str | None
    thinking_tokens: int
    output_tokens: int

    @property
    def thinking(self) -> str:
        """The whole thinking text."""
        return _joined(self.thinking_deltas)

    @property
    def text(self) -> str:
        """The whole answer text."""
        return _joined(self.text_deltas)


def _joined(deltas: list[str]) -> str:
    """The deltas as one string, with surrogate halves split between deltas made whole."""
    text = "".join(deltas)
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def compose_reply(
    view: ConversationView,
    plan: ReplyPlan,
    *,
    thinking: bool,
    max_tokens: int | None,
    stop_sequences: Sequence[str] = (),
) -> ComposedReply:
    """Decide the reply text, cut it into deltas, and apply max_tokens and stop sequences.

    ``long=N`` and ``markdown=N`` ignore ``max_tokens``: each is an explicit request for an
    N-token reply. ``markdown=N`` is cut into deltas of at most six characters.
    """
    text = _reply_text(view, plan)
    stop_reason: StopReason = "end_turn"
    stop_sequence = None
    hits = [(text.find(s), s) for s in stop_sequences if s and s in text]
    if hits:
        index, stop_sequence = min(hits)
        text = text[:index]
        stop_reason = "stop_sequence"

    budget = None if plan.long_tokens or plan.markdown_tokens else max_tokens
    split_text = split_small_deltas if plan.markdown_tokens else split_deltas
    used = 0
    thinking_out: list[str] = []
    text_out: list[str] = []
    for deltas, out in (
        (split_deltas(thinking_text(view.prompt)) if thinking else [], thinking_out),
        (split_text(text), text_out),
    ):
        for delta in deltas:
            cost = delta_tokens(delta)
            if budget is not None and used + cost > budget:
                stop_reason, stop_sequence = "max_tokens", None
                break
            out.append(delta)
            used += cost
        if stop_reason == "max_tokens":
            break
    thinking_out = hostile_thinking(plan, thinking_out)
    text_out = hostile_text(plan, text_out)
    thinking_tokens = sum(delta_tokens(d) for d in thinking_out)
    return ComposedReply(
        thinking_deltas=thinking_out,
        text_deltas=text_out,
        signature=fake_signature(view.prompt) if thinking else "",
        stop_reason=stop_reason,
        stop_sequence=stop_sequence,
        thinking_tokens=thinking_tokens,
        output_tokens=max(1, used),
    )


def _reply_text(view: ConversationView, plan: ReplyPlan) -> str:
    if view.prefill is not None:
        full = planned_answer(view.prompt, plan.long_tokens, plan.markdown_tokens)
        if view.prefill and full.startswith(view.prefill):
            return full[len(view.prefill) :]
        return _generic_continuation(view.prompt)
    if (
        "continue" in strip_keywords(view.prompt).lower()
        and view.earlier_reply
        and view.earlier_prompt is not None
    ):
        full = planned_answer(view.earlier_prompt, None)
        if full.startswith(view.earlier_reply) and len(full) > len(view.earlier_reply):
            return full[len(view.earlier_reply) :]
    return planned_answer(view.prompt, plan.long_tokens, plan.markdown_tokens)


def _generic_continuation(prompt: str) -> str:
    return (
        " — and here the demo relay picks up the thread. It cannot read your prefill, so it "
        f'continues in general terms about *"{quote_prompt(prompt, 40)}"*.\n\n'
        "- The prefill stays at the start of this message.\n"
        "- This text follows it directly, with no new heading.\n\n"
        "That completes the continued reply."
    )
