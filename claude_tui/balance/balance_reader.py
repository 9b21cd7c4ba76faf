"""Read one profile's balance from wherever its ``balance`` setting says.

``balance_command`` wins when set (whatever ``balance`` says, except ``off``). ``new-api``
and ``openrouter`` ask that shape. ``auto`` never asks the official APIs (they have no
such page) nor the demo; elsewhere it tries new-api, then OpenRouter (OpenRouter first on
openrouter.ai), once, and remembers in :class:`SourceMemory` which answered, or that none
did, so later runs ask only that page, or nothing, until the base URL changes. Only a
definite "no such page" counts as not answering: a relay that is down or refuses the key
is asked again next time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from claude_tui.balance.balance_command import read_command_balance
from claude_tui.balance.balance_errors import (
    BalanceFetchError,
    BalanceShapeMissingError,
    NoBalanceSourceError,
)
from claude_tui.balance.balance_reading import BalanceReading
from claude_tui.balance.billing_endpoints import (
    new_api_urls,
    openrouter_urls,
    read_new_api,
    read_openrouter,
)
from claude_tui.balance.source_memory import FoundShape, FoundSource, SourceMemory
from claude_tui.profiles.key_source import KeySource
from claude_tui.profiles.profile import Profile
from claude_tui.wire import ProfileGet

OFFICIAL_HOSTS = frozenset({"api.anthropic.com", "api.openai.com"})
"""Endpoints with no billing page a key can read: ``auto`` never asks them."""

_READERS = {
    "new-api": (read_new_api, new_api_urls),
    "openrouter": (read_openrouter, openrouter_urls),
}


def balance_source(profile: Profile, memory: SourceMemory | None = None) -> str | None:
    """What a balance read of ``profile`` asks: ``command``, ``new-api``, ``openrouter``,
    ``auto`` (not detected yet), or None when it has no balance to read."""
    if profile.balance == "off":
        return None
    if profile.balance_command:
        return "command"
    if profile.balance != "auto":
        return profile.balance
    if _never_auto(profile):
        return None
    found = (memory or SourceMemory()).recall(profile)
    if found is None:
        return "auto"
    return None if found.shape == "none" else found.shape


async def read_balance(
    profile: Profile,
    *,
    memory: SourceMemory | None = None,
    key_source: KeySource | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> BalanceReading:
    """The balance of ``profile``'s account. Raises :class:`NoBalanceSourceError` when it has
    none, else another :class:`BalanceError` saying what failed and what to do."""
    memory = memory or SourceMemory()
    source = balance_source(profile, memory)
    if source is None:
        raise NoBalanceSourceError(_no_source_reason(profile, memory))
    if source == "command":
        return await read_command_balance(profile)
    async with ProfileGet(profile, key_source=key_source, transport=transport) as get:
        if source != "auto":
            if profile.balance == "auto":  # detected earlier: ask only the page that answered
                return await _remembered(get, profile, memory)
            read, urls = _READERS[source]
            reading, _url = await read(get, profile, urls(profile))
            return reading
        return await _detect(get, profile, memory)


async def _remembered(get: ProfileGet, profile: Profile, memory: SourceMemory) -> BalanceReading:
    found = memory.recall(profile)
    assert found is not None and found.shape != "none"
    read, _urls = _READERS[found.shape]
    try:
        reading, _url = await read(get, profile, [found.url])
    except BalanceShapeMissingError:
        memory.forget(profile)  # the relay changed: detect again next time
        raise
    return reading


async def _detect(get: ProfileGet, profile: Profile, memory: SourceMemory) -> BalanceReading:
    shapes: list[FoundShape] = ["new-api", "openrouter"]
    if (urlsplit(profile.base_url).hostname or "").lower() == "openrouter.ai":
        shapes.reverse()
    failure: BalanceFetchError | None = None
    for shape in shapes:
        read, urls = _READERS[shape]
        try:
            reading, url = await read(get, profile, urls(profile))
        except BalanceShapeMissingError:
            continue
        except BalanceFetchError as error:
            failure = failure or error
            continue
        memory.remember(profile, FoundSource(shape, url))
        return reading
    if failure is not None:
        raise failure  # maybe down: nothing is remembered, so the next read asks again
    memory.remember(profile, FoundSource("none"))
    raise NoBalanceSourceError(_no_source_reason(profile, memory))


def _never_auto(profile: Profile) -> bool:
    host = (urlsplit(profile.base_url).hostname or "").lower()
    return profile.is_demo or host in OFFICIAL_HOSTS


def _no_source_reason(profile: Profile, memory: SourceMemory) -> str:
    name = profile.name
    if profile.balance == "off":
        return f'profile "{name}" has balance = "off"'
    if profile.is_demo:
        return f'profile "{name}" is the built-in demo, which has no balance'
    if _never_auto(profile):
        return (
            f'profile "{name}" talks to {urlsplit(profile.base_url).hostname}, which has no '
            "balance page a key can read; see the provider's console"
        )
    return (
        f"{profile.base_url} answered neither new-api's /dashboard/billing pages nor "
        f'OpenRouter\'s /api/v1/credits, so profile "{name}" shows no balance: set '
        f'balance_command in [profiles.{name}] to a command that prints it, or balance = "off"'
    )
