"""Following redirects without ever handing the API key to another origin.

httpx's own redirect following strips only ``Authorization`` when the host changes, so a relay
answering ``307 Location: http://elsewhere/...`` would receive ``x-api-key`` or a custom auth
header at the other host. Every request the chat client makes goes through
:func:`send_same_origin` instead: same-origin redirects (scheme, host and port equal) are
followed, keeping method and body for 307/308 as httpx builds them; any other redirect is
refused before a byte is sent there, with an error that says where the endpoint pointed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from claude_tui.wire.endpoint_urls import root_url
from claude_tui.wire.errors import CrossOriginRedirectError, RedirectRefusedError

MAX_REDIRECTS = 5
"""Same-origin hops followed before the endpoint is taken to be looping."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) with the default port filled in: what "same origin" compares."""
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme, 0)


def origin_text(url: httpx.URL) -> str:
    """``scheme://host[:port]`` for messages."""
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"


async def send_same_origin(
    http: httpx.AsyncClient, request: httpx.Request, *, stream: bool, base_url: str
) -> httpx.Response:
    """Send ``request`` (``http`` must not follow redirects itself), following only
    same-origin redirects. Raises :class:`CrossOriginRedirectError` or
    :class:`RedirectRefusedError`; an open redirect response is closed first."""
    origin = origin_of(request.url)
    first = request
    for _hop in range(MAX_REDIRECTS + 1):
        response = await http.send(request, stream=stream)
        target = response.next_request
        if target is None:
            return response
        await response.aclose()
        if origin_of(target.url) != origin:
            raise _cross_origin(first, target, response.status_code, base_url)
        request = target
    raise RedirectRefusedError(
        f"The endpoint at {origin_text(first.url)} redirected more than {MAX_REDIRECTS} times; "
        "check the profile's base_url",
        status=response.status_code,
    )


def _cross_origin(
    first: httpx.Request, target: httpx.Request, status: int, base_url: str
) -> CrossOriginRedirectError:
    suggestion = suggested_base_url(first.url, target.url, base_url)
    return CrossOriginRedirectError(
        f"The endpoint at {origin_text(first.url)} redirected to {origin_text(target.url)} "
        f"(HTTP {status}); claude-tui does not follow a redirect to another origin, so the "
        "API key was not sent there. If that address is the right one, set the profile's "
        f"base_url to {suggestion}",
        status=status,
    )


def suggested_base_url(sent: httpx.URL, target: httpx.URL, base_url: str) -> str:
    """The base URL that would reach ``target`` directly.

    When the redirect kept the endpoint's path under a new prefix (``/v1/messages`` to
    ``/relay/v1/messages``) the prefix is kept too; otherwise just the new origin.
    """
    root_path = urlsplit(root_url(base_url)).path
    path = sent.path
    suffix = path[len(root_path) :] if path.startswith(root_path) else ""
    origin = origin_text(target)
    if suffix and target.path.endswith(suffix):
        return origin + target.path[: -len(suffix)]
    return origin
