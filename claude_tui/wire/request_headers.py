"""The headers of a request to a profile's endpoint: who we are, the key, the profile's own.

One function for every request a profile makes (a reply, the model list, a token count, the
relay's balance), so the key always travels the way the profile says: ``x-api-key``,
``Authorization: Bearer``, or raw in the profile's ``auth_header``.
"""

from __future__ import annotations

from collections.abc import Mapping

from claude_tui import __version__
from claude_tui.profiles.profile import Profile
from claude_tui.wire.errors import ApiError, KeyUnavailableError


def auth_header_name(profile: Profile) -> str | None:
    """The header that carries ``profile``'s key, or None when it sends none."""
    if not profile.needs_key:
        return None
    if profile.auth_header:
        return profile.auth_header.lower()
    return {"bearer": "authorization", "x-api-key": "x-api-key"}.get(profile.auth)


def build_headers(
    profile: Profile,
    key: str | None,
    *,
    format_headers: Mapping[str, str] = {},
    accept_stream: bool = False,
) -> dict[str, str]:
    """Headers for one request: user agent and content type, the API format's own
    (``format_headers``: ``anthropic-version``, betas), the key, then the profile's
    ``headers`` (which win). Raises :class:`KeyUnavailableError` / :class:`ApiError` for a
    value HTTP cannot carry, naming the setting rather than failing inside httpx."""
    headers: dict[str, str] = {
        "user-agent": profile.user_agent or f"claude-tui/{__version__}",
        "content-type": "application/json",
    }
    if accept_stream:
        headers["accept"] = "text/event-stream"
    headers.update(format_headers)
    if key:
        if profile.auth_header:
            headers[profile.auth_header.lower()] = key
        elif profile.auth == "bearer":
            headers["authorization"] = f"Bearer {key}"
        elif profile.auth == "x-api-key":
            headers["x-api-key"] = key
    for name, value in profile.headers.items():
        headers[name.lower()] = value
    # httpx encodes header values as ASCII and would raise UnicodeEncodeError, which is
    # not an httpx error: say which setting holds the stray character instead.
    bad = [name for name, value in headers.items() if not value.isascii()]
    if bad and key and any(key in headers[name] for name in bad):
        raise KeyUnavailableError(
            "The API key holds non-ASCII characters, which HTTP headers cannot carry: "
            "check the profile's key source for a stray pasted character"
        )
    if bad:
        raise ApiError(
            f"The {bad[0]} header holds non-ASCII characters, which HTTP headers cannot "
            "carry: fix it in the profile's headers or user_agent"
        )
    return headers
