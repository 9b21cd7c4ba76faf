"""``claude-tui -p``: stream one reply to stdout for scripts and pipes.

stdout gets only the reply text (thinking goes to stderr with --show-thinking), or with
``--output-format json | stream-json`` a result object or a line per event (see
``print_output``); the session is saved like any other, and the exit code says whether the
reply completed.

Terminal output rule: a reply written to a pipe or a file is byte-exact, so scripts get
exactly what the model said; written to a terminal, the reply and the thinking lose their
control sequences (a relay could otherwise clear the screen, retitle the window or write
the clipboard with OSC 52). Error lines on stderr are always filtered.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import TYPE_CHECKING, TextIO, cast

from claude_tui.attachments.attachment_errors import AttachmentError
from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.cli.closed_pipe import silence_stdout
from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from claude_tui.cli.print_output import ReplyOutcome, reply_writer
from claude_tui.cli.rate_limit_notice import RateLimitNotice
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.session_choice import choose_profile, open_session
from claude_tui.conversation.turn_services import BudgetCheck, SendRefusedError, TurnServices
from claude_tui.profiles import Config, Profile, key_failure_detail, load_config
from claude_tui.sessions.session_errors import SessionSaveError
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.terminal_text import safe_for_terminal
from claude_tui.wire import (
    FailedOver,
    KeyRested,
    Retrying,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
)

if TYPE_CHECKING:
    from claude_tui.attachments import AttachmentBlock
    from claude_tui.request_log import DebugLog
    from claude_tui.sessions.session import Session
    from claude_tui.wire import ChatRequest


def run_print_mode(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    debug_log: DebugLog | None = None,
) -> int:
    """Read the prompt, stream the reply, return the exit code; each request's record
    goes to ``debug_log`` too (``--debug-log``)."""
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
        return asyncio.run(_stream_reply(args, prompt, stdout, stderr, debug_log))
    except KeyboardInterrupt:
        print("\nclaude-tui: stopped; the partial reply is saved", file=stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, like other Unix tools. The reply
        # was closed on the way out, so what arrived is saved as interrupted.
        if stdout is sys.stdout:
            silence_stdout()  # Python would report the pipe again when it flushes at exit
        return EXIT_FAILURE


async def _stream_reply(
    args: argparse.Namespace,
    prompt: str,
    stdout: TextIO,
    stderr: TextIO,
    debug_log: DebugLog | None = None,
) -> int:
    config = load_config()
    for warning in config.warnings:
        print(f"claude-tui: warning: {safe_for_terminal(warning)}", file=stderr)
    store = SessionStore()
    session = open_session(store, continue_latest=args.continue_latest, resume=args.resume or None)
    resumed = session is not None
    profile = choose_profile(config, args.profile, session)
    check_budget = budget_check(store)
    services = TurnServices()
    services.check_budget = check_budget
    try:  # before anything is saved: a refused run leaves the sessions as they were
        check_budget(profile)
    except SendRefusedError as refusal:
        print(f"claude-tui: {safe_for_terminal(str(refusal))}", file=stderr)
        return EXIT_FAILURE
    try:  # checked and stored before the session changes: a refused file sends nothing
        attachments = read_attachments(getattr(args, "attach", None) or [], profile.api_format)
    except AttachmentError as error:
        print(f"claude-tui: {safe_for_terminal(str(error))}", file=stderr)
        return EXIT_USAGE
    try:
        attachments = redacted_attachments(attachments, profile, stderr)
    except (AttachmentError, OSError) as error:  # its redacted copy could not be stored
        reason = f"a redacted copy could not be stored, nothing was sent: {error}"
        print(f"claude-tui: {safe_for_terminal(reason)}", file=stderr)
        return EXIT_FAILURE
    notice = demo_notice(config, profile, explicit=args.profile, resumed=resumed)
    if notice is not None:
        print(f"claude-tui: {safe_for_terminal(notice)}", file=stderr)
    if session is None:
        session = store.create(
            SessionSettings.from_profile(profile, model=args.model, system=args.system)
        )
    pool = EndpointPool()
    services = TurnServices(profiles=config.profiles.get)
    services.request_sink = debug_log
    appended = getattr(args, "append_system_prompt", None)
    conversation = (
        RunConversation(session, profile, pool, services, appended_system=appended)
        if appended
        else Conversation(session, profile, pool, services)
    )
    if args.model:
        conversation.set_model(args.model)
    if args.system and session.system != args.system:
        conversation.set_system(args.system)
    unsent = thinking_not_sent_notice(profile, conversation.settings)
    if unsent is not None:
        print(f"claude-tui: {safe_for_terminal(unsent)}", file=stderr)
    prompt = redacted_prompt(prompt, profile, stderr)
    verbose = stderr.isatty()
    await auto_compact(conversation, prompt, stderr)
    writer = reply_writer(
        getattr(args, "output_format", None) or "text",
        stdout,
        stderr,
        show_thinking=args.show_thinking,
    )
    writer.start(session.id, profile, conversation.settings.model)
    failure: str | None = None
    not_saved: SessionSaveError | None = None
    final: ChatMessage | None = None
    rate_limit = RateLimitNotice()
    try:
        # aclosing: if writing fails (a closed pipe), the reply is saved before the pool closes.
        async with contextlib.aclosing(conversation.send(prompt, attachments)) as replies:
            async for event, _message in replies:
                if (waiting := rate_limit.line_for(event)) is not None:
                    print(f"claude-tui: {waiting}", file=stderr, flush=True)
                if isinstance(event, ThinkingDelta):
                    writer.thinking(event.thinking)
                elif isinstance(event, TextDelta):
                    writer.text(event.text)
                elif isinstance(event, Retrying):
                    writer.retry(event.attempt, event.max_retries, event.delay, event.description)
                    if verbose:
                        print(f"claude-tui: {safe_for_terminal(event.description)}", file=stderr)
                elif isinstance(event, FailedOver | KeyRested):
                    # Always said: the reply comes from another endpoint or key than asked.
                    print(f"claude-tui: {safe_for_terminal(event.description)}", file=stderr)
                elif isinstance(event, StreamFailed):
                    failure = str(event.error)
                    detail = key_failure_detail(event.error)  # masked, shown, never saved
                    failure += f" (it said: {detail})" if detail else ""
        final = session.messages[-1]
    except SendRefusedError as refusal:  # the budget ran out since the check above
        print(f"claude-tui: {safe_for_terminal(str(refusal))}", file=stderr)
        return EXIT_FAILURE
    except SessionSaveError as error:  # a full or read-only disk: what was printed stands
        not_saved = error
        final = session.messages[-1] if session.messages else None
    finally:
        await pool.aclose()
    problem: str | None = None
    if not_saved is not None or final is None:
        problem = str(not_saved)
    elif failure is not None or final.status != MessageStatus.COMPLETE:
        problem = failure or final.error or final.status.value
    writer.finish(ReplyOutcome(session.id, profile, final, problem))
    if debug_log is not None and debug_log.failure is not None:
        print(f"claude-tui: warning: {safe_for_terminal(debug_log.failure)}", file=stderr)
    if problem is not None:
        print(f"claude-tui: {safe_for_terminal(problem)}", file=stderr)
        return EXIT_FAILURE
    return EXIT_OK


def budget_check(store: SessionStore) -> BudgetCheck:
    """The run's budget check (``daily_limit_usd`` / ``monthly_limit_usd``), reading the
    sessions folder the run saves into."""
    from claude_tui.usage.budgets import BudgetLedger
    from claude_tui.usage.usage_history import UsageHistory

    return BudgetLedger(UsageHistory(store)).check


def read_attachments(files: list[str], api_format: str) -> list[AttachmentBlock]:
    """``--attach FILE`` blocks, each checked against the API's limits and the profile's
    format, its bytes stored; raises ``AttachmentError`` naming the file and the rule."""
    if not files:
        return []
    from pathlib import Path

    from claude_tui.attachments import BlobStore, attachment_from_file, check_sendable

    store = BlobStore()
    blocks: list[AttachmentBlock] = []
    for name in files:
        try:
            block = attachment_from_file(Path(name).expanduser(), store)
        except OSError as error:  # the store could not be written
            raise AttachmentError(f"{name} could not be stored: {error}") from error
        check_sendable(block, api_format)
        blocks.append(block)
    return blocks


async def auto_compact(conversation: Conversation, prompt: str, stderr: TextIO) -> None:
    """Compact first when the profile's ``auto_compact`` says this send would pass its share
    of the context window, saying so on stderr (stdout holds only the reply). A summary that
    fails is reported and the send goes on with the full history."""
    from claude_tui.conversation.compaction import (
        Compaction,
        CompactionError,
        auto_compact_reason,
        compacted_note,
    )

    reason = auto_compact_reason(conversation, prompt)
    if reason is None:
        return
    try:
        compaction = Compaction(conversation, auto=True, reason=reason)
        await compaction.run()
    except (CompactionError, SessionSaveError) as error:
        problem = f"auto-compact did not happen, sending the full history: {error}"
        print(f"claude-tui: {safe_for_terminal(problem)}", file=stderr)
        return
    note = compacted_note(compaction.count, reason)
    print(f"claude-tui: {note} (/compact undo in the app sends them again)", file=stderr)


def redacted_prompt(prompt: str, profile: Profile, stderr: TextIO) -> str:
    """The prompt as it may leave under the profile's ``redact`` setting.

    Print mode cannot ask, so ``ask`` redacts as ``always`` does, and says so on stderr with
    the setting that sends as is; what is saved in the session is then what was sent.
    """
    if profile.redact == "off":
        return prompt
    from claude_tui.redaction import SecretPolicy, redact_for_sending

    policy = SecretPolicy.for_profile(profile)
    result = redact_for_sending(prompt, policy)
    if result.findings:
        print(f"claude-tui: {result.note}", file=stderr)
    return result.text


def redacted_attachments(
    attachments: list[AttachmentBlock], profile: Profile, stderr: TextIO
) -> list[AttachmentBlock]:
    """The ``--attach`` blocks as they may leave: each text file holding a secret replaced
    by a redacted copy (a new blob, the same name), said on stderr naming the file; the
    session then saves the copy, as it was sent. ``redact = "off"`` sends them as they are."""
    if profile.redact == "off" or not any(b.get("kind") == "text" for b in attachments):
        return attachments
    from claude_tui.redaction import (
        SecretPolicy,
        attachments_note,
        find_attachment_secrets,
        with_redacted_copies,
    )

    policy = SecretPolicy.for_profile(profile)
    found = find_attachment_secrets(attachments, policy)
    if not found:
        return attachments
    print(f"claude-tui: {safe_for_terminal(attachments_note(found))}", file=stderr)
    return cast("list[AttachmentBlock]", with_redacted_copies(attachments, found))


def demo_notice(
    config: Config, profile: Profile, *, explicit: str | None, resumed: bool
) -> str | None:
    """The stderr line saying the built-in demo answers, unless the user asked for it.

    A script that meant to reach a real endpoint would otherwise get canned text and exit 0.
    Asked for means ``--profile demo`` or ``default_profile = "demo"`` in the file.
    """
    if not profile.is_demo or explicit:
        return None
    if resumed:
        reason = "the resumed session's profile"
    elif config.default_is_fallback:
        reason = "no profile configured"
    else:
        return None
    return (
        f"answering from the built-in demo relay ({reason}): export ANTHROPIC_BASE_URL and "
        "ANTHROPIC_AUTH_TOKEN (or ANTHROPIC_API_KEY), or pass --profile NAME"
    )


def thinking_not_sent_notice(profile: Profile, settings: SessionSettings) -> str | None:
    """The stderr line saying thinking is on but this endpoint is not asked for it.

    A script would otherwise get a reply without thinking and no word why.
    """
    if not settings.thinking_enabled or profile.can_send_thinking:
        return None
    return (
        f"thinking {settings.thinking_label} is not sent: profile {profile.name!r} has "
        'thinking_dialect = "none"; set "reasoning_effort", "openrouter" or "anthropic" '
        "to send it"
    )


class RunConversation(Conversation):
    """A conversation whose requests, for this run only, carry ``--append-system-prompt``
    after the session's system prompt; the session keeps its own (as Claude Code does)."""

    def __init__(
        self,
        session: Session,
        profile: Profile,
        pool: EndpointPool,
        services: TurnServices | None = None,
        *,
        appended_system: str,
    ) -> None:
        super().__init__(session, profile, pool, services)
        self.appended_system = appended_system

    def request_for(
        self,
        history: list[ChatMessage],
        *,
        prefill: str | None = None,
        profile: Profile | None = None,
    ) -> ChatRequest:
        request = super().request_for(history, prefill=prefill, profile=profile)
        request.system = join_system(request.system, self.appended_system)
        return request


def join_system(system: str | None, appended: str) -> str:
    """``appended`` after ``system``, a blank line between them."""
    return f"{system.rstrip()}\n\n{appended}" if system and system.strip() else appended
