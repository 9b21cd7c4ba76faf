"""The ``claude-tui`` command: the UI by default, print mode with ``-p``, and the
``sessions``, ``profiles``, ``relay`` and ``usage`` subcommands. Flags mirror Claude Code's.

Every failure the user can fix ends as one line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from claude_tui import __version__
from claude_tui.cli.closed_pipe import silence_stdout
from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from claude_tui.cli.print_output import OUTPUT_FORMATS
from claude_tui.conversation.session_choice import ResumeIdError
from claude_tui.profiles import ConfigError
from claude_tui.sessions.session_errors import SessionError

if TYPE_CHECKING:
    from claude_tui.request_log import DebugLog

SUBCOMMANDS = ("sessions", "profiles", "relay", "usage")


def _print_only_flags(args: argparse.Namespace) -> list[tuple[str, object]]:
    """Flags that mean something only in print mode, with what was given for each."""
    return [
        ("--output-format", args.output_format),
        ("--append-system-prompt", args.append_system_prompt),
        ("--attach", args.attach),
    ]


def build_parser() -> argparse.ArgumentParser:
    """Flags for the UI and print mode."""
    parser = argparse.ArgumentParser(
        prog="claude-tui",
        description="A terminal chat client for Claude and Claude-compatible relays.",
        epilog=(
            "Subcommands: 'claude-tui sessions --help', 'claude-tui profiles --help', "
            "'claude-tui relay --help', 'claude-tui usage --help'."
        ),
    )
    parser.add_argument(
        "prompt",
        nargs="?",
        help="the first prompt: sent as the app opens, or answered on stdout with -p",
    )
    parser.add_argument(
        "-p",
        "--print",
        action="store_true",
        dest="print_mode",
        help="print the reply to stdout and exit (prompt from stdin if omitted)",
    )
    parser.add_argument("--profile", help="profile to use (default: config's default_profile)")
    parser.add_argument("--model", help="model to use instead of the profile's")
    parser.add_argument(
        "-c",
        "--continue",
        action="store_true",
        dest="continue_latest",
        help="continue the most recent session",
    )
    parser.add_argument(
        "-r",
        "--resume",
        nargs="?",
        const="",
        metavar="ID",
        help="resume a session by id (without ID, pick one)",
    )
    parser.add_argument(
        "--show-thinking", action="store_true", help="print mode: also print thinking, to stderr"
    )
    parser.add_argument("--system", help="system prompt for a new session")
    parser.add_argument(
        "--append-system-prompt",
        metavar="TEXT",
        help="print mode: add TEXT after the system prompt, for this run only (not saved)",
    )
    parser.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="print mode: text (default), json (one result object) or stream-json "
        "(one JSON event per line)",
    )
    parser.add_argument(
        "--attach",
        action="append",
        metavar="FILE",
        help="print mode: send FILE with the prompt (an image, a PDF or a text file); "
        "repeat for more",
    )
    parser.add_argument(
        "--debug-log",
        metavar="FILE",
        help="append every HTTP request of this run to FILE as a JSON line (status, latency, "
        "tokens, masked headers; never the key or the body), print mode and the UI alike",
    )
    parser.add_argument("--version", action="version", version=f"claude-tui {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The commands report problems themselves, in one line; with no handler configured,
    # logging's last resort would also print every backend warning to stderr.
    logging.getLogger("claude_tui").addHandler(logging.NullHandler())
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            return _run_subcommand(args_list[0], args_list[1:])
        args = build_parser().parse_args(args_list)
        if not args.print_mode:
            for flag, value in _print_only_flags(args):
                if value is not None:
                    build_parser().error(f"{flag} needs -p/--print")
        debug_log = _open_debug_log(args.debug_log)
        if debug_log is False:
            return EXIT_USAGE
        try:
            if args.print_mode:
                from claude_tui.cli.print_mode import run_print_mode

                return run_print_mode(args, debug_log=debug_log)
            return _run_app(args, debug_log)
        finally:
            if debug_log is not None:
                debug_log.close()
    except (ConfigError, ResumeIdError) as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except SessionError as exc:
        _fail(str(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug of ours: one scrubbed line, the details in a report
        from claude_tui.crash_report import describe_crash

        _fail(describe_crash(exc, _known_secrets()))
        return EXIT_FAILURE


def _open_debug_log(path: str | None) -> DebugLog | Literal[False] | None:
    """The ``--debug-log`` file opened for appending (None without the flag); False, with
    the reason on stderr, when it cannot be written: said at start, before any request."""
    if path is None:
        return None
    from claude_tui.request_log import DebugLogError, open_debug_log

    try:
        return open_debug_log(path)
    except DebugLogError as exc:
        _fail(str(exc))
        return False


def _known_secrets() -> list[str]:
    """Every key the config names, so a crash report can mask them (best effort)."""
    try:
        from claude_tui.profiles import load_config
        from claude_tui.profiles.key_source import KeySource

        config = load_config()
        return [
            secret
            for profile in config.profiles.values()
            for secret in KeySource(profile).known_secrets()
        ]
    except Exception:
        return []


def _run_subcommand(name: str, rest: list[str]) -> int:
    """Run a subcommand; a reader that went away (``sessions list | head -3``) ends it
    quietly with exit 0, as Unix tools stop, instead of a BrokenPipeError traceback."""
    try:
        code = _dispatch_subcommand(name, rest)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    return code


def _dispatch_subcommand(name: str, rest: list[str]) -> int:
    if name == "sessions":
        from claude_tui.cli.sessions_command import run_sessions_command
        from claude_tui.cli.terminal_output import terminal_safe_output

        with terminal_safe_output():  # titles and transcripts are outside text
            return run_sessions_command(rest)
    if name == "profiles":
        from claude_tui.cli.profiles_command import run_profiles_command

        return run_profiles_command(rest)
    if name == "usage":
        from claude_tui.cli.usage_command import run_usage_command

        return run_usage_command(rest)
    from claude_tui.demo.__main__ import main as relay_main

    return relay_main(rest)


def _run_app(args: argparse.Namespace, debug_log: DebugLog | None = None) -> int:
    from claude_tui.profiles import load_config

    config = load_config()  # fail here, before the screen is taken over
    config.profile(args.profile or config.default_profile_name)
    if args.resume:
        from claude_tui.conversation.session_choice import check_resume_id
        from claude_tui.sessions.session_store import SessionStore

        check_resume_id(SessionStore(), args.resume)
    from claude_tui.ui.launch import build_app, run_app

    app = build_app(
        config,
        profile_name=args.profile,
        model=args.model,
        continue_latest=args.continue_latest,
        resume=args.resume,
        system=args.system,
        initial_prompt=args.prompt if args.prompt and args.prompt.strip() else None,
    )
    if debug_log is not None:
        app.turn_services.request_sink = debug_log
        debug_log.on_failure = lambda message: app.notify(message, severity="warning")
    return run_app(app)


def _fail(message: str) -> None:
    from claude_tui.terminal_text import safe_for_terminal  # messages quote names and files

    print(f"claude-tui: {safe_for_terminal(message)}", file=sys.stderr)
