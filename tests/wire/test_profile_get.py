"""``ProfileGet``: JSON GETs beside the chat API, with the key only ever sent to the origin."""

from __future__ import annotations

import httpx
import pytest

from claude_tui.profiles import Profile
from claude_tui.wire import (
    ApiError,
    CrossOriginRedirectError,
    NotFoundError,
    ProfileGet,
    UnexpectedResponseError,
)
from claude_tui.wire.request_headers import build_headers

KEY = "sk-profile-get-key-77a1b2c3d4"


def profile(**changes: object) -> Profile:
    settings: dict[str, object] = {"base_url": "https://relay.example", "api_key": KEY}
    return Profile(name="relay", **{**settings, **changes})  # type: ignore[arg-type]


def test_auth_headers_follow_the_profile() -> None:
    assert build_headers(profile(auth="bearer"), KEY)["authorization"] == f"Bearer {KEY}"
    assert build_headers(profile(auth="x-api-key"), KEY)["x-api-key"] == KEY
    custom = build_headers(profile(auth_header="X-Token", headers={"X-Team": "b"}), KEY)
    assert (custom["x-token"], custom["x-team"]) == (KEY, "b")
    assert "authorization" not in custom and "x-api-key" not in custom
    assert not any(KEY in value for value in build_headers(profile(), None).values())


async def test_a_url_on_another_origin_is_refused_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200))

    async with ProfileGet(profile(), transport=transport) as get:
        with pytest.raises(ApiError, match="its key was not sent there"):
            await get.json("https://elsewhere.example/dashboard/billing/subscription")

    assert sent == []


async def test_a_same_origin_redirect_is_followed_and_another_is_refused() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(307, headers={"location": "/new"})
        if request.url.path == "/new":
            return httpx.Response(200, json={"ok": True})
        return httpx.Response(307, headers={"location": "https://elsewhere.example/x"})

    async with ProfileGet(profile(), transport=httpx.MockTransport(answer)) as get:
        assert await get.json("https://relay.example/old") == {"ok": True}
        with pytest.raises(CrossOriginRedirectError):
            await get.json("https://relay.example/away")


async def test_errors_are_typed() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/missing":
            return httpx.Response(404, json={"error": {"message": "no route"}})
        return httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"})

    async with ProfileGet(profile(), transport=httpx.MockTransport(answer)) as get:
        with pytest.raises(NotFoundError):
            await get.json("https://relay.example/missing")
        with pytest.raises(UnexpectedResponseError, match="not JSON"):
            await get.json("https://relay.example/page")


@pytest.mark.parametrize(
    "changes",
    [
        {"auth": "bearer"},
        {"auth": "x-api-key"},
        {"auth_header": "X-Relay-Token", "headers": {"X-Team": "blue"}},
        {"auth": "bearer", "user_agent": "mine/1.0", "headers": {"Authorization": "Basic xyz"}},
    ],
)
async def test_the_key_headers_are_the_chat_clients(changes: dict[str, object]) -> None:
    """The balance pages get the key exactly as the chat requests do (no drift between them)."""
    from claude_tui.wire import ChatClient

    chat = ChatClient(profile(**changes))
    try:
        chat_headers = await chat._headers(accept_stream=False)
    finally:
        await chat.aclose()
    ours = build_headers(profile(**changes), KEY)

    assert {name: chat_headers[name] for name in ours} == ours
    carrying_key = {name for name, value in chat_headers.items() if KEY in value}
    assert carrying_key == {name for name, value in ours.items() if KEY in value}
