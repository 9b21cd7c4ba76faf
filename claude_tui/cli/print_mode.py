"""``claude-tui -p``: stream one reply to stdout for scripts and pipes.

stdout gets only the reply text (thinking goes to stderr with --show-thinking), the session
is saved like any other, and the exit code says whether the reply completed.

Terminal output rule: a reply written to a pipe or a file is byte-exact, so scripts get
exactly what the model said; written to a terminal, the reply and the thinking lose their
control sequences (a relay could otherwise clear the screen, retitle the window or write
the clipboard with OSC 52). Error lines on stderr are always filtered.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from typing import TextIO

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.session_choice import choose_profile, open_session
from claude_tui.profiles import key_failure_detail, load_config
from claude_tui.sessions.session_errors import SessionSaveError
from claude_tui.sessions.session_store import SessionStore
from claude_tui.terminal_text import TerminalTextFilter, safe_for_terminal
from claude_tui.wire import Retrying, StreamFailed, TextDelta, ThinkingDelta


def run_print_mode(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read the prompt, stream the reply, return the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    prompt = args.prompt or ""
    if prompt == "-":
        prompt = ""
    if not stdin.isatty():
        # Like Claude Code: piped input comes first, the argument (an instruction) after it.
        piped = stdin.read()
        prompt = f"{piped.rstrip()}\n\n{prompt}" if piped.strip() and prompt else piped or prompt
    elif not prompt:
        print("claude-tui: -p needs a prompt: as an argument or on stdin", file=stderr)
        return EXIT_USAGE
    if not prompt.strip():
        print("claude-tui: the prompt is empty", file=stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(_stream_reply(args, prompt, stdout, stderr))
    except KeyboardInterrupt:
        print("\nclaude-tui: stopped; the partial reply is saved", file=stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, like other Unix tools. The reply
        # was closed on the way out, so what arrived is saved as interrupted.
        if stdout is sys.stdout:
            # Python would report the pipe again when it flushes stdout at exit.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE


async def _stream_reply(
    args: argparse.Namespace, prompt: str, stdout: TextIO, stderr: TextIO
) -> int:
    config = load_config()
    for warning in config.warnings:
        print(f"claude-tui: warning: {safe_for_terminal(warning)}", file=stderr)
    store = SessionStore()
    session = open_session(store, continue_latest=args.continue_latest, resume=args.resume or None)
    profile = choose_profile(config, args.profile, session)
    if session is None:
        session = store.create(
            profile=profile.name,
            model=args.model or profile.model,
            system=args.system or profile.system,
            thinking=str(profile.thinking),
        )
    pool = EndpointPool()
    conversation = Conversation(session, profile, pool)
    if args.model:
        conversation.set_model(args.model)
    if args.system and session.system != args.system:
        conversation.set_system(args.system)
    verbose = stderr.isatty()
    reply_text, thinking_text = _output_filter(stdout), _output_filter(stderr)
    printed_text = False
    thinking_open = False
    failure: str | None = None
    not_saved: SessionSaveError | None = None
    final: ChatMessage | None = None
    try:
        # aclosing: if writing fails (a closed pipe), the reply is saved before the pool closes.
        async with contextlib.aclosing(conversation.send(prompt)) as replies:
            async for event, _message in replies:
                if isinstance(event, ThinkingDelta) and args.show_thinking:
                    stderr.write(thinking_text(event.thinking))
                    stderr.flush()
                    thinking_open = True
                elif isinstance(event, TextDelta):
                    if thinking_open:
                        stderr.write("\n")
                        thinking_open = False
                    stdout.write(reply_text(event.text))
                    stdout.flush()
                    printed_text = True
                elif isinstance(event, Retrying) and verbose:
                    print(f"claude-tui: {safe_for_terminal(event.description)}", file=stderr)
                elif isinstance(event, StreamFailed):
                    failure = str(event.error)
                    detail = key_failure_detail(event.error)  # masked, shown, never saved
                    failure += f" (it said: {detail})" if detail else ""
        final = session.messages[-1]
    except SessionSaveError as error:  # a full or read-only disk: what was printed stands
        not_saved = error
        final = session.messages[-1] if session.messages else None
    finally:
        await pool.aclose()
    if printed_text:
        stdout.write("\n")
        stdout.flush()
    if not_saved is not None or final is None:
        print(f"claude-tui: {safe_for_terminal(str(not_saved))}", file=stderr)
        return EXIT_FAILURE
    if failure is not None or final.status != MessageStatus.COMPLETE:
        problem = failure or final.error or final.status.value
        print(f"claude-tui: {safe_for_terminal(problem)}", file=stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _output_filter(stream: TextIO) -> Callable[[str], str]:
    """How streamed text is written to ``stream``: byte-exact unless it is a terminal."""
    if not stream.isatty():
        return lambda text: text
    return TerminalTextFilter().feed
