"""``claude-tui profiles list|test|balance``: see what is configured, check an endpoint
works, and see what is left on a relay account (``profile_balance``).

Every line is printed through :func:`safe_for_terminal`: profile names, model ids, replies
and server error messages come from outside and may carry terminal control sequences.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from claude_tui.conversation.profile_test_run import run_profile_test
from claude_tui.profiles import Config, load_config
from claude_tui.profiles.key_origin import key_description
from claude_tui.terminal_text import safe_for_terminal


def build_parser() -> argparse.ArgumentParser:
    """The ``profiles`` subcommand's parser."""
    parser = argparse.ArgumentParser(prog="claude-tui profiles", description="Endpoint profiles.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list profiles (keys masked)")
    test = commands.add_parser("test", help="send one real request and report on it")
    test.add_argument("name", nargs="?", help="profile name (default: the default profile)")
    balance = commands.add_parser("balance", help="show what is left on a relay account")
    balance.add_argument("name", nargs="?", help="profile name (default: every one with a balance)")
    return parser


def run_profiles_command(argv: Sequence[str]) -> int:
    """Run one ``profiles`` command; returns the exit code."""
    args = build_parser().parse_args(list(argv))
    config = load_config()
    for warning in config.warnings:
        print(f"claude-tui: warning: {safe_for_terminal(warning)}", file=sys.stderr)
    if args.command == "list":
        for line in describe_profiles(config):
            print(safe_for_terminal(line))
        return 0
    if args.command == "balance":
        from claude_tui.cli.profile_balance import run_profile_balance

        return run_profile_balance(config, args.name)
    profile = config.profile(args.name or config.default_profile_name)
    report = asyncio.run(run_profile_test(profile))
    for line in report.lines():
        print(safe_for_terminal(line))
    return 0 if report.ok else 1


def describe_profiles(config: Config) -> list[str]:
    """One block per profile for ``profiles list``."""
    lines: list[str] = []
    for name, profile in config.profiles.items():
        marker = "*" if name == config.default_profile_name else " "
        base = "built-in loopback relay" if profile.is_demo else profile.base_url
        lines.append(f"{marker} {name}")
        lines.append(f"    {profile.api_format} at {base}")
        auth = profile.auth_header or profile.auth
        lines.append(
            f"    model {profile.model}, thinking {profile.thinking_label}, "
            f"auth {auth}, key {key_description(profile)}"
        )
    lines.append("(* = default profile)")
    return lines
