"""The ``claude-tui`` command: the UI by default, print mode with ``-p``, and the
``sessions``, ``profiles`` and ``relay`` subcommands. Flags mirror Claude Code's.

Every failure the user can fix ends as one line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from claude_tui import __version__
from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE
from claude_tui.profiles import ConfigError
from claude_tui.sessions.session_errors import SessionError

SUBCOMMANDS = ("sessions", "profiles", "relay")


def build_parser() -> argparse.ArgumentParser:
    """Flags for the UI and print mode."""
    parser = argparse.ArgumentParser(
        prog="claude-tui",
        description="A terminal chat client for Claude and Claude-compatible relays.",
        epilog=(
            "Subcommands: 'claude-tui sessions --help', 'claude-tui profiles --help', "
            "'claude-tui relay --help'."
        ),
    )
    parser.add_argument("prompt", nargs="?", help="prompt for print mode (-p)")
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
        if args.print_mode:
            from claude_tui.cli.print_mode import run_print_mode

            return run_print_mode(args)
        if args.prompt:
            build_parser().error("a prompt argument needs -p/--print (or type it in the app)")
        return _run_app(args)
    except ConfigError as exc:
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
    if name == "sessions":
        from claude_tui.cli.sessions_command import run_sessions_command
        from claude_tui.cli.terminal_output import terminal_safe_output

        with terminal_safe_output():  # titles and transcripts are outside text
            return run_sessions_command(rest)
    if name == "profiles":
        from claude_tui.cli.profiles_command import run_profiles_command

        return run_profiles_command(rest)
    from claude_tui.demo.__main__ import main as relay_main

    return relay_main(rest)


def _run_app(args: argparse.Namespace) -> int:
    from claude_tui.profiles import load_config

    config = load_config()  # fail here, before the screen is taken over
    config.profile(args.profile or config.default_profile_name)
    from claude_tui.ui.launch import build_app, run_app

    app = build_app(
        config,
        profile_name=args.profile,
        model=args.model,
        continue_latest=args.continue_latest,
        resume=args.resume,
        system=args.system,
    )
    return run_app(app)


def _fail(message: str) -> None:
    from claude_tui.terminal_text import safe_for_terminal  # messages quote names and files

    print(f"claude-tui: {safe_for_terminal(message)}", file=sys.stderr)
