"""The HTTP client every request to a profile's endpoint goes through.

One place decides how a profile's connections are made: its proxy (never for a loopback
address, and environment proxies ignored there too), its timeouts, no automatic redirects
(``redirect_guard`` follows only those within the profile's origin, so the key never reaches
another host) and one shared, verified TLS context.
"""

from __future__ import annotations

import ssl
import threading

import httpx

from claude_tui.profiles.profile import Profile
from claude_tui.wire.endpoint_urls import is_loopback

_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process.

    Building one loads the CA bundle (40-50 ms); doing it once, and ahead of time from a
    thread (the app warms it at start), keeps that off the event loop at the first send.
    """
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
        return _ssl_context


def profile_http_client(
    profile: Profile,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    read_timeout: float | None = None,
) -> httpx.AsyncClient:
    """A client for ``profile``'s endpoint; ``read_timeout`` defaults to its idle timeout."""
    loopback = is_loopback(profile.base_url)
    return httpx.AsyncClient(
        transport=transport,
        proxy=None if loopback else profile.proxy,
        trust_env=not loopback,
        timeout=httpx.Timeout(
            connect=profile.connect_timeout,
            read=profile.idle_timeout if read_timeout is None else read_timeout,
            write=profile.connect_timeout,
            pool=profile.connect_timeout,
        ),
        follow_redirects=False,  # send_same_origin follows the safe ones
        verify=shared_ssl_context(),
    )
