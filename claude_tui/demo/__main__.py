"""``python -m claude_tui.demo``: run the demo relay in the foreground."""

from __future__ import annotations

import argparse

from claude_tui.demo.billing_pages import BILLING_SHAPES, BillingAccount
from claude_tui.demo.relay_server import NonLoopbackHostError, loopback_address, run_forever


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m claude_tui.demo",
        description="Run the claude-tui demo relay: a scripted Claude-compatible server on "
        "loopback, for trying clients without an API key.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1, ::1 or localhost")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument(
        "--delay", type=float, default=0.015, help="seconds between streamed deltas"
    )
    parser.add_argument("--key", default=None, help="require this API key (x-api-key or Bearer)")
    parser.add_argument(
        "--billing",
        choices=BILLING_SHAPES,
        default=None,
        help="also serve a relay's billing pages (25.00 USD limit, 7.35 used)",
    )
    args = parser.parse_args(argv)
    try:
        loopback_address(args.host)
    except NonLoopbackHostError as exc:
        parser.error(str(exc))
    try:
        billing = BillingAccount(args.billing) if args.billing else None
        run_forever(args.host, args.port, args.delay, args.key, billing)
    except OSError as exc:
        parser.exit(1, f"Could not start the demo relay: {exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
