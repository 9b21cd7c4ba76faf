"""Where each API lives under a profile's base URL, tolerating the ways relays write it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_VERSION_SEGMENT = re.compile(r"/v\d+[a-z0-9]*$")


def root_url(base_url: str) -> str:
    """The base URL without a trailing slash or a trailing ``/v1``."""
    base = base_url.rstrip("/")
    return base[: -len("/v1")] if base.endswith("/v1") else base


def anthropic_url(base_url: str, path: str) -> str:
    """``{root}/v1/{path}`` for the Messages API family."""
    return f"{root_url(base_url)}/v1/{path.lstrip('/')}"


def openai_url(base_url: str, path: str) -> str:
    """Chat Completions URLs: ``/v1`` is added unless the base already names a version or
    an OpenAI-compatible mount (``.../v1beta/openai``)."""
    base = base_url.rstrip("/")
    if _VERSION_SEGMENT.search(base) or base.endswith("/openai"):
        return f"{base}/{path.lstrip('/')}"
    return f"{base}/v1/{path.lstrip('/')}"


def is_loopback(url: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: never routed through a proxy."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")
