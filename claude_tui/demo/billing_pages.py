"""Billing pages the demo relay can serve, so balance reading is tried over real sockets.

Off unless a :class:`BillingAccount` is set on the relay (``DemoRelay.billing``, or ``python
-m claude_tui.demo --billing new-api``). ``new-api`` serves one-api style
``/dashboard/billing/subscription`` (``hard_limit_usd``) and ``/dashboard/billing/usage``
(``total_usage`` in cents), also under ``/v1``, or only there with ``v1_only``;
``openrouter`` serves ``/api/v1/credits``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

BillingShape = Literal["new-api", "openrouter"]
BILLING_SHAPES: tuple[BillingShape, ...] = ("new-api", "openrouter")


@dataclass
class BillingAccount:
    """The account the relay reports: its limit and what was used of it, in USD."""

    shape: BillingShape = "new-api"
    limit_usd: float = 25.0
    used_usd: float = 7.35
    v1_only: bool = False
    """new-api pages only under ``/v1`` (the bare path answers 404), as some relays do."""


def billing_page(path: str, account: BillingAccount | None) -> dict[str, Any] | None:
    """The JSON answer for ``path`` (normalised, no query), or None when it is no billing page."""
    if account is None:
        return None
    if account.shape == "openrouter":
        if path != "/api/v1/credits":
            return None
        return {"data": {"total_credits": account.limit_usd, "total_usage": account.used_usd}}
    bare = path.removeprefix("/v1")
    if bare == path and account.v1_only:
        return None
    if bare == "/dashboard/billing/subscription":
        return {
            "object": "billing_subscription",
            "has_payment_method": True,
            "soft_limit_usd": account.limit_usd,
            "hard_limit_usd": account.limit_usd,
            "system_hard_limit_usd": account.limit_usd,
            "access_until": 0,
        }
    if bare == "/dashboard/billing/usage":
        return {"object": "list", "total_usage": round(account.used_usd * 100, 4)}
    return None
