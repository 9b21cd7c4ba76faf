"""The two billing shapes relays answer: new-api / one-api and OpenRouter.

new-api (and one-api, and most relays built on them) serve OpenAI's old billing pages with
the relay key: ``GET /dashboard/billing/subscription`` gives ``hard_limit_usd`` and ``GET
/dashboard/billing/usage`` gives ``total_usage`` in cents; some serve them under ``/v1`` as
well or instead, so the bare path is tried first and ``/v1`` when it 404s. OpenRouter answers
``GET /api/v1/credits`` with ``{"data": {"total_credits", "total_usage"}}`` in dollars.

Each reader returns the reading and the URL that answered, so auto detection can remember
it and ask only that next time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from claude_tui.balance.balance_errors import BalanceFetchError, BalanceShapeMissingError
from claude_tui.balance.balance_reading import UNLIMITED_USD, BalanceReading
from claude_tui.profiles.profile import Profile
from claude_tui.wire import ApiError, HttpStatusError, ProfileGet, UnexpectedResponseError

_NOT_THIS_SHAPE = frozenset({400, 404, 405, 410, 501})
"""Statuses meaning "nothing of that shape here", as opposed to "ask again later"."""


def new_api_urls(profile: Profile) -> list[str]:
    """Where a new-api relay's subscription page may be, in the order asked."""
    base = profile.base_url
    return [f"{base}/dashboard/billing/subscription", f"{base}/v1/dashboard/billing/subscription"]


def openrouter_urls(profile: Profile) -> list[str]:
    """Where OpenRouter's credits are: under the profile's base (``https://openrouter.ai/api``),
    else at the origin's ``/api/v1/credits``."""
    parts = urlsplit(profile.base_url)
    urls = [f"{profile.base_url}/v1/credits", f"{parts.scheme}://{parts.netloc}/api/v1/credits"]
    return list(dict.fromkeys(urls))


async def read_new_api(
    get: ProfileGet, profile: Profile, urls: Sequence[str]
) -> tuple[BalanceReading, str]:
    """The balance from the first of ``urls`` (subscription pages) that answers, and it."""
    subscription, url = await _first_answer(get, urls, "new-api")
    hard_limit = _number(subscription, "hard_limit_usd")
    if hard_limit is None:
        raise BalanceShapeMissingError(
            f"{url} answered without a hard_limit_usd figure, so it is not a new-api "
            'billing page; set balance = "openrouter", "command" or "off" for this profile'
        )
    usage_url = url.removesuffix("/subscription") + "/usage"
    usage, _ = await _first_answer(get, [usage_url], "new-api")
    cents = _number(usage, "total_usage")
    if cents is None:
        raise BalanceShapeMissingError(
            f"{usage_url} answered without a total_usage figure; the relay serves only half "
            'of the new-api billing pages: set balance = "command" or "off" for this profile'
        )
    used = cents / 100
    if hard_limit >= UNLIMITED_USD:
        return BalanceReading(profile.name, None, profile.currency, "new-api", None, used), url
    reading = BalanceReading(
        profile.name, hard_limit - used, profile.currency, "new-api", hard_limit, used
    )
    return reading, url


async def read_openrouter(
    get: ProfileGet, profile: Profile, urls: Sequence[str]
) -> tuple[BalanceReading, str]:
    """The balance from the first of ``urls`` (credits pages) that answers, and it."""
    answer, url = await _first_answer(get, urls, "OpenRouter")
    data = answer.get("data") if isinstance(answer, dict) else None
    total = _number(data, "total_credits")
    used = _number(data, "total_usage")
    if total is None or used is None:
        raise BalanceShapeMissingError(
            f"{url} answered without data.total_credits and data.total_usage, so it is not "
            'OpenRouter\'s credits page; set balance = "new-api", "command" or "off"'
        )
    return BalanceReading(
        profile.name, total - used, profile.currency, "openrouter", total, used
    ), url


async def _first_answer(get: ProfileGet, urls: Sequence[str], shape: str) -> tuple[Any, str]:
    """The JSON of the first URL that answers; a "not here" moves on to the next one."""
    missing: BalanceShapeMissingError | None = None
    for url in urls:
        try:
            return await get.json(url), url
        except ApiError as error:
            failure = _classified(error, url, shape)
        if isinstance(failure, BalanceFetchError):
            raise failure
        missing = failure
    assert missing is not None, "at least one URL is always asked"
    raise missing


def _classified(
    error: ApiError, url: str, shape: str
) -> BalanceShapeMissingError | BalanceFetchError:
    reason = str(error)
    if isinstance(error, UnexpectedResponseError) or (
        isinstance(error, HttpStatusError) and error.status in _NOT_THIS_SHAPE
    ):
        return BalanceShapeMissingError(
            f"The endpoint has no {shape} billing page at {url}: {reason}"
        )
    return BalanceFetchError(f"Could not read the {shape} balance at {url}: {reason}")


def _number(document: Any, name: str) -> float | None:
    """``document[name]`` as a finite float, or None when missing or not a number."""
    value = document.get(name) if isinstance(document, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
