"""McpToolHost against the stdio echo server: what is offered, calls, results, timeouts,
cancellation, and a server that crashes or answers garbage."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
from pathlib import Path

import pytest

from claude_tui.mcp import McpToolHost
from claude_tui.profiles import McpServerConfig

from .conftest import Notices, logged, profile_with, stdio_server


def host_of(*servers: McpServerConfig, notices: Notices | None = None) -> McpToolHost:
    return McpToolHost({server.name: server for server in servers}, notice=notices)


async def test_tools_are_offered_as_server__tool_with_their_schemas() -> None:
    host = host_of(stdio_server("--page-size", "2"))
    profile = profile_with()
    assert host.offered(profile) == ()  # nothing started before prepare
    await host.prepare(profile)
    try:
        specs = {spec.name: spec for spec in host.offered(profile)}
    finally:
        await host.close()
    assert list(specs)[:3] == ["echo__echo", "echo__add", "echo__slow"]
    assert len(specs) == 8
    assert specs["echo__echo"].description == "Returns its text"
    assert specs["echo__add"].input_schema["required"] == ["a", "b"]


async def test_profile_tools_pick_servers_or_single_tools() -> None:
    host = host_of(stdio_server(), stdio_server(name="other"))
    only_add = profile_with(tools=("echo__add",))
    await host.prepare(only_add)
    try:
        assert [spec.name for spec in host.offered(only_add)] == ["echo__add"]
        assert host.servers.entries["other"].state == "not started"
        whole_server = profile_with(tools=("other",))
        await host.prepare(whole_server)
        assert {spec.name.split("__")[0] for spec in host.offered(whole_server)} == {"other"}
    finally:
        await host.close()


async def test_calls_return_text_images_and_error_results() -> None:
    host = host_of(stdio_server())
    profile = profile_with()
    await host.prepare(profile)
    try:
        call = host.describe("echo__add", {"a": 2, "b": 3})
        assert (call.server, call.tool) == ("echo", "add")
        added = await host.run(call, profile)
        image = await host.run(host.describe("echo__image", {}), profile)
        failed = await host.run(host.describe("echo__fail", {}), profile)
        unknown = await host.run(host.describe("nope__tool", {}), profile)
    finally:
        await host.close()
    assert (added.content, added.is_error) == ("5", False)
    assert isinstance(image.content, list)
    block = image.content[1]
    assert block["type"] == "image"
    assert block["source"]["media_type"] == "image/png"
    assert base64.b64decode(block["source"]["data"]).startswith(b"\x89PNG")
    assert (failed.content, failed.is_error) == ("it broke", True)
    assert unknown.is_error and "no tool named nope__tool" in str(unknown.content)


async def test_a_long_result_is_cut_with_a_note() -> None:
    host = host_of(stdio_server())
    profile = profile_with(max_tool_result_chars=100)
    await host.prepare(profile)
    try:
        outcome = await host.run(host.describe("echo__big", {"n": 1000}), profile)
    finally:
        await host.close()
    assert isinstance(outcome.content, str)
    assert outcome.content.startswith("x" * 100 + "\n[result cut to 100 of 1,000 characters]")
    assert outcome.note == "result cut to 100 of 1,000 characters"


async def test_a_call_past_tool_timeout_is_an_error_and_the_server_is_told(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    host = host_of(stdio_server(log=log))
    profile = profile_with(tool_timeout=0.2)
    await host.prepare(profile)
    try:
        outcome = await host.run(host.describe("echo__slow", {"seconds": 30}), profile)
        after = await host.run(host.describe("echo__echo", {"text": "still here"}), profile)
    finally:
        await host.close()
    assert outcome.is_error and "did not finish within 0.2 s" in str(outcome.content)
    assert after.content == "still here"
    call_id = next(m["id"] for m in logged(log) if m.get("method") == "tools/call")
    cancels = [m for m in logged(log) if m.get("method") == "notifications/cancelled"]
    assert cancels and cancels[0]["params"]["requestId"] == call_id


async def test_cancelling_a_run_tells_the_server(tmp_path: Path) -> None:
    log = tmp_path / "log"
    host = host_of(stdio_server(log=log))
    profile = profile_with()
    await host.prepare(profile)
    try:
        run = asyncio.create_task(host.run(host.describe("echo__slow", {}), profile))
        while not any(m.get("method") == "tools/call" for m in logged(log)):
            await asyncio.sleep(0.01)
        run.cancel()
        while not any(m.get("method") == "notifications/cancelled" for m in logged(log)):
            await asyncio.sleep(0.01)
        assert run.cancelled() or run.done()
    finally:
        await host.close()


async def test_a_crash_mid_call_withdraws_the_tools_and_says_so(notices: Notices) -> None:
    host = host_of(stdio_server(), notices=notices)
    profile = profile_with()
    await host.prepare(profile)
    try:
        crashed = await host.run(host.describe("echo__crash", {}), profile)
        offered_after = host.offered(profile)
        next_call = await host.run(host.describe("echo__echo", {"text": "hi"}), profile)
        await host.prepare(profile)  # a failed server is not restarted behind the user's back
        entry = host.servers.entries["echo"]
    finally:
        await host.close()
    assert crashed.is_error and "exited (code 3)" in str(crashed.content)
    assert offered_after == ()
    assert next_call.is_error and "has failed" in str(next_call.content)
    assert entry.state == "failed" and "crashing as asked" in entry.error
    assert len(notices) == 1 and "'echo'" in notices[0] and "withdrawn" in notices[0]


async def test_a_server_answering_garbage_is_failed_and_the_others_go_on(
    notices: Notices,
) -> None:
    host = host_of(stdio_server("--garbage", name="bad"), stdio_server(), notices=notices)
    profile = profile_with()
    await host.prepare(profile)
    try:
        names = {spec.name.split("__")[0] for spec in host.offered(profile)}
        outcome = await host.run(host.describe("echo__echo", {"text": "ok"}), profile)
    finally:
        await host.close()
    assert names == {"echo"}
    assert outcome.content == "ok"
    assert host.servers.entries["bad"].state == "failed"
    assert len(notices) == 1 and "'bad'" in notices[0] and "not JSON-RPC" in notices[0]


async def test_turning_a_failed_server_on_again_restarts_it(notices: Notices) -> None:
    host = host_of(stdio_server(), notices=notices)
    profile = profile_with()
    await host.prepare(profile)
    try:
        await host.run(host.describe("echo__crash", {}), profile)
        host.servers.set_enabled("echo", False)
        host.servers.set_enabled("echo", True)
        await host.prepare(profile)
        outcome = await host.run(host.describe("echo__echo", {"text": "back"}), profile)
    finally:
        await host.close()
    assert outcome.content == "back"


async def test_a_tool_turned_off_is_not_offered_nor_run() -> None:
    host = host_of(stdio_server())
    profile = profile_with()
    await host.prepare(profile)
    try:
        host.disabled_tools.add("echo__add")
        names = [spec.name for spec in host.offered(profile)]
        outcome = await host.run(host.describe("echo__add", {"a": 1, "b": 1}), profile)
        host.servers.set_enabled("echo", False)
        none_left = host.offered(profile)
    finally:
        await host.close()
    assert "echo__add" not in names and "echo__echo" in names
    assert outcome.is_error and "turned off" in str(outcome.content)
    assert none_left == ()


async def test_a_server_gets_its_env_but_not_claude_tuis_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-must-not-leak")
    server = stdio_server()
    server = dataclasses.replace(server, env={"GREETING": "hello"})
    host = host_of(server)
    profile = profile_with()
    await host.prepare(profile)
    try:
        key = await host.run(host.describe("echo__env", {"name": "ANTHROPIC_API_KEY"}), profile)
        own = await host.run(host.describe("echo__env", {"name": "GREETING"}), profile)
        path = await host.run(host.describe("echo__env", {"name": "PATH"}), profile)
    finally:
        await host.close()
    assert key.content == "<unset>"
    assert own.content == "hello"
    assert path.content not in ("", "<unset>")


async def test_close_stops_the_server_processes() -> None:
    host = host_of(stdio_server())
    profile = profile_with()
    await host.prepare(profile)
    session = host.servers.entries["echo"].session
    assert session is not None
    process = session.transport._process  # type: ignore[attr-defined]
    await host.close()
    assert process.returncode is not None
    assert host.servers.entries["echo"].state == "not started"
