"""``claude-tui usage [--days N] [--by day|profile|model] [--json]``: what was spent.

Tokens (input, output, cache read and write) and cost of the saved replies over the last N
days, grouped by day, profile or model, with a bar per row, the totals, the share of input
read from the prompt cache, and the days and replies past their profile's alerts
(``alert_daily_usd``, ``alert_tokens``). Costs come from the profiles' prices now.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from claude_tui.pricing.price_table import format_cost
from claude_tui.profiles import load_config
from claude_tui.terminal_text import safe_for_terminal
from claude_tui.usage.block_bars import bar
from claude_tui.usage.usage_history import UsageHistory
from claude_tui.usage.usage_report import (
    GROUPINGS,
    Grouping,
    UsageReport,
    UsageTotals,
    build_report,
)

BAR_CELLS = 24
DEFAULT_DAYS = 30


def build_parser() -> argparse.ArgumentParser:
    """The ``usage`` subcommand's parser."""
    parser = argparse.ArgumentParser(
        prog="claude-tui usage",
        description="Tokens and cost of the saved sessions per day, profile or model.",
    )
    parser.add_argument(
        "--days", type=_positive, default=DEFAULT_DAYS, help="the last N days (default 30)"
    )
    parser.add_argument(
        "--by", choices=GROUPINGS, default="day", help="one row per day (default), profile or model"
    )
    parser.add_argument("--json", action="store_true", help="the report as one JSON object")
    return parser


def run_usage_command(argv: Sequence[str]) -> int:
    """Print the usage report; returns the exit code."""
    args = build_parser().parse_args(list(argv))
    config = load_config()
    for warning in config.warnings:
        print(f"claude-tui: warning: {safe_for_terminal(warning)}", file=sys.stderr)
    report = build_report(UsageHistory(), config.profiles, days=args.days)
    if args.json:
        print(json.dumps(report.to_json(by=args.by), indent=2))
        return 0
    for line in report_lines(report, args.by):
        print(safe_for_terminal(line))
    return 0


def report_lines(report: UsageReport, by: Grouping) -> list[str]:
    """The report as a table with bars, then the totals, cache share and flags."""
    lines = [f"Usage {report.days[0]} to {report.days[-1]} ({len(report.days)} days), by {by}", ""]
    rows = report.rows(by)
    width = max([len(by), 5, *(len(label) for label, _ in rows)])
    header = _row(by, "replies", "input", "output", "cache read", "cache write", "cost", width)
    lines.append(header)
    biggest = max((totals.cost for _, totals in rows), default=0.0)
    by_tokens = biggest <= 0  # nothing priced: draw the tokens instead
    if by_tokens:
        biggest = float(max((totals.tokens for _, totals in rows), default=0))
    for label, totals in rows:
        drawn = bar(float(totals.tokens) if by_tokens else totals.cost, biggest, BAR_CELLS)
        flag = " ⚑" if by == "day" and any(f.day == label for f in report.flagged_days) else ""
        lines.append(f"{_totals_row(label, totals, width)}  {drawn}{flag}".rstrip())
    lines.append("-" * len(header))
    lines.append(_totals_row("total", report.total, width))
    lines.append("")
    total = report.total
    lines.append(
        f"Cache share: {total.cache_share:.0%} of the input was read from the prompt cache "
        f"({_count(total.cache_read)} of {_count(total.prompt_tokens)} tokens)."
    )
    if total.unpriced:
        lines.append(f"{total.unpriced} replies of models without a known price count as $0.")
    if report.flagged_days:
        lines.append("")
        lines.append("Days over alert_daily_usd:")
        lines.extend(
            f"  ⚑ {f.day}  {f.profile}  {format_cost(f.cost)} (alert at {format_cost(f.limit)})"
            for f in report.flagged_days
        )
    if report.flagged_replies:
        lines.append("")
        lines.append("Replies over alert_tokens:")
        lines.extend(
            f"  ⚑ {f.day}  {f.profile}  {f.model}  {_count(f.tokens)} tokens "
            f"(alert at {_count(f.limit)}), session {f.session_id}"
            for f in report.flagged_replies
        )
    return lines


def _totals_row(label: str, totals: UsageTotals, width: int) -> str:
    return _row(
        label,
        str(totals.replies),
        _count(totals.input),
        _count(totals.output),
        _count(totals.cache_read),
        _count(totals.cache_write),
        format_cost(totals.cost),
        width,
    )


def _row(label: str, *cells_and_width: object) -> str:
    *cells, width = cells_and_width
    assert isinstance(width, int)
    widths = (7, 8, 8, 10, 11, 9)
    return f"{label:<{width}}" + "".join(
        f"  {cell:>{cell_width}}" for cell, cell_width in zip(cells, widths, strict=True)
    )


def _count(tokens: int) -> str:
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M"
    if tokens >= 1000:
        return f"{tokens / 1000:.1f}k"
    return str(tokens)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--days must be 1 or more")
    return value
