"""How print mode writes a reply: ``--output-format text | json | stream-json``.

``text`` is the reply alone, as it streams (thinking on stderr with ``--show-thinking``).
``json`` is one object once the reply ended: the reply text, usage, cost, session id, stop
reason, model and profile. ``stream-json`` is one JSON object per line as things happen:
``start``, then ``thinking`` / ``text`` / ``retry`` events, then the same ``result`` object
``json`` prints, so a script can show progress and still read the figures at the end.

The names follow Claude Code's (``result``, ``is_error``, ``session_id``,
``total_cost_usd``) so scripts written for it read these too.

Terminal output rule (see ``print_mode``): written to a pipe or a file, text is byte-exact
and JSON keeps non-ASCII as is; written to a terminal, text loses its control sequences and
JSON escapes everything outside ASCII (``json`` already escapes C0 controls, not C1 ones).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.pricing.price_table import message_cost, price_settings
from claude_tui.profiles import Profile
from claude_tui.terminal_text import TerminalTextFilter

OutputFormat = Literal["text", "json", "stream-json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("text", "json", "stream-json")


@dataclass(frozen=True)
class ReplyOutcome:
    """How one print-mode reply ended, for the ``result`` object."""

    session_id: str
    profile: Profile
    message: ChatMessage | None
    error: str | None
    """The one line also printed on stderr, or None when the reply completed."""


class ReplyWriter:
    """``text``: the reply on stdout, thinking (when asked for) on stderr."""

    def __init__(self, stdout: TextIO, stderr: TextIO, *, show_thinking: bool) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.show_thinking = show_thinking
        self._reply_text = _output_filter(stdout)
        self._thinking_text = _output_filter(stderr)
        self._printed_text = False
        self._thinking_open = False

    def start(self, session_id: str, profile: Profile, model: str) -> None:
        """The reply is about to be asked for."""

    def thinking(self, text: str) -> None:
        if not self.show_thinking:
            return
        self.stderr.write(self._thinking_text(text))
        self.stderr.flush()
        self._thinking_open = True

    def text(self, text: str) -> None:
        if self._thinking_open:
            self.stderr.write("\n")
            self._thinking_open = False
        self.stdout.write(self._reply_text(text))
        self.stdout.flush()
        self._printed_text = True

    def retry(self, attempt: int, max_retries: int, delay: float, description: str) -> None:
        """A retry notice; text mode says it on stderr itself, when that is a terminal."""

    def finish(self, outcome: ReplyOutcome) -> None:
        """The reply ended (completed, cut or failed)."""
        if self._printed_text:
            self.stdout.write("\n")
            self.stdout.flush()


class JsonWriter(ReplyWriter):
    """``json``: nothing while streaming, one object at the end."""

    def __init__(self, stdout: TextIO, stderr: TextIO, *, show_thinking: bool) -> None:
        super().__init__(stdout, stderr, show_thinking=show_thinking)
        self._ascii = stdout.isatty()

    def text(self, text: str) -> None:
        pass  # in the result object

    def finish(self, outcome: ReplyOutcome) -> None:
        self.emit(result_object(outcome))

    def emit(self, event: dict[str, object]) -> None:
        self.stdout.write(json.dumps(event, ensure_ascii=self._ascii) + "\n")
        self.stdout.flush()


class StreamJsonWriter(JsonWriter):
    """``stream-json``: one event per line as it happens, the result object last."""

    def start(self, session_id: str, profile: Profile, model: str) -> None:
        self.emit(
            {"type": "start", "session_id": session_id, "profile": profile.name, "model": model}
        )

    def thinking(self, text: str) -> None:
        self.emit({"type": "thinking", "thinking": text})

    def text(self, text: str) -> None:
        self.emit({"type": "text", "text": text})

    def retry(self, attempt: int, max_retries: int, delay: float, description: str) -> None:
        self.emit(
            {
                "type": "retry",
                "attempt": attempt,
                "max_retries": max_retries,
                "delay_s": round(delay, 3),
                "message": description,
            }
        )


def reply_writer(
    output_format: OutputFormat, stdout: TextIO, stderr: TextIO, *, show_thinking: bool
) -> ReplyWriter:
    """The writer for ``--output-format``."""
    kinds: dict[OutputFormat, type[ReplyWriter]] = {
        "text": ReplyWriter,
        "json": JsonWriter,
        "stream-json": StreamJsonWriter,
    }
    return kinds[output_format](stdout, stderr, show_thinking=show_thinking)


def result_object(outcome: ReplyOutcome) -> dict[str, object]:
    """What ``json`` prints and ``stream-json`` ends with."""
    message = outcome.message
    profile = outcome.profile
    usage = message.usage if message is not None else None
    cost = None
    if message is not None and message.role == "assistant":
        cost = message_cost(message, **price_settings(profile))
    completed = (
        outcome.error is None and message is not None and message.status == MessageStatus.COMPLETE
    )
    return {
        "type": "result",
        "subtype": "success" if completed else "error",
        "is_error": not completed,
        "result": message.text if message is not None and message.role == "assistant" else "",
        "error": outcome.error,
        "session_id": outcome.session_id,
        "stop_reason": message.stop_reason if message is not None else None,
        "model": message.model if message is not None else None,
        "profile": profile.name,
        "usage": usage.to_json() if usage is not None else None,
        "total_cost_usd": cost,
    }


def _output_filter(stream: TextIO) -> Callable[[str], str]:
    """How streamed text is written to ``stream``: byte-exact unless it is a terminal."""
    if not stream.isatty():
        return lambda text: text
    return TerminalTextFilter().feed
