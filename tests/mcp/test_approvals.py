"""Who answers an approval: the session's allow-list, the profile's allowed_tools, else
the front-end's ask; "always" is saved into config.toml, comments kept."""

from __future__ import annotations

from config_files import write_config_file

from claude_tui.conversation.tool_host import Approval, ToolCall
from claude_tui.mcp import McpToolHost, tool_host_for
from claude_tui.profiles import Config, McpServerConfig, Profile, demo_profile, load_config

from .conftest import Notices, profile_with

SERVER = McpServerConfig(name="echo", command="unused")


class Asker:
    """Answers every question with ``answer`` and remembers the calls asked about."""

    def __init__(self, answer: Approval) -> None:
        self.answer = answer
        self.asked: list[str] = []

    async def __call__(self, call: ToolCall, profile: Profile) -> Approval:
        self.asked.append(call.name)
        return self.answer


def call(name: str = "echo__add") -> ToolCall:
    return ToolCall(id="t1", name=name, input={}, server="echo", tool=name.split("__")[1])


async def test_without_a_card_every_call_is_denied() -> None:
    host = McpToolHost({"echo": SERVER})
    assert await host.approve(call(), profile_with()) == "deny"


async def test_once_asks_again_next_time() -> None:
    asker = Asker("once")
    host = McpToolHost({"echo": SERVER}, ask=asker)
    profile = profile_with()
    assert await host.approve(call(), profile) == "once"
    assert await host.approve(call(), profile) == "once"
    assert asker.asked == ["echo__add", "echo__add"]


async def test_session_allows_that_tool_only_without_asking_again() -> None:
    asker = Asker("session")
    host = McpToolHost({"echo": SERVER}, ask=asker)
    profile = profile_with()
    await host.approve(call(), profile)
    assert await host.approve(call(), profile) == "session"
    await host.approve(call("echo__echo"), profile)
    assert asker.asked == ["echo__add", "echo__echo"]


async def test_the_profiles_allowed_tools_are_never_asked() -> None:
    asker = Asker("deny")
    host = McpToolHost({"echo": SERVER}, ask=asker)
    profile = profile_with(allowed_tools=("echo__add",))
    assert await host.approve(call(), profile) == "always"
    assert await host.approve(call("echo__echo"), profile) == "deny"
    assert asker.asked == ["echo__echo"]


def config_with_relay() -> Config:
    write_config_file(
        "# my settings\n"
        "[profiles.relay]  # the work relay\n"
        'base_url = "http://127.0.0.1:9"\n'
        "\n"
        "[mcp_servers.echo]\n"
        'command = "unused"\n'
    )
    return load_config()


async def test_always_is_saved_in_the_profile_and_comments_stay() -> None:
    config = config_with_relay()
    asker = Asker("always")
    host = tool_host_for(config, ask=asker)
    assert host is not None
    profile = config.profile("relay")
    assert await host.approve(call(), profile) == "always"
    assert await host.approve(call(), profile) == "always"  # not asked twice
    assert asker.asked == ["echo__add"]
    reloaded = load_config()
    assert reloaded.profile("relay").allowed_tools == ("echo__add",)
    text = config.path.read_text()
    assert "# my settings" in text and "# the work relay" in text


async def test_always_on_the_demo_profile_lasts_the_session_with_a_notice(
    notices: Notices,
) -> None:
    config = config_with_relay()
    host = tool_host_for(config, ask=Asker("always"), notice=notices)
    assert host is not None
    demo = demo_profile()
    await host.approve(call(), demo)
    assert await host.approve(call(), demo) == "session"
    assert notices and "cannot be remembered" in notices[0]


def test_no_servers_no_host() -> None:
    write_config_file('[profiles.relay]\nbase_url = "http://127.0.0.1:9"\n')
    assert tool_host_for(load_config()) is None
