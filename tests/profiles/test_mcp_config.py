"""``[mcp_servers.NAME]``, ``mcp_config`` (a Claude Code style JSON file) and the per-profile
``tools`` / ``allowed_tools``: what loads, and errors that name file, line and key."""

from __future__ import annotations

import json

import pytest
from config_files import write_config, write_config_file

from claude_tui import paths
from claude_tui.profiles import ConfigError, load_config


def test_stdio_and_http_servers_load() -> None:
    config = write_config(
        "[mcp_servers.files]\n"
        'command = "npx"\n'
        'args = ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]\n'
        'env = { DEBUG = "1" }\n'
        'cwd = "/tmp"\n'
        "\n"
        "[mcp_servers.web]\n"
        'url = "http://127.0.0.1:8000/mcp"\n'
        'headers = { Authorization = "Bearer x" }\n'
    )
    files, web = config.mcp_servers["files"], config.mcp_servers["web"]
    assert (files.transport, files.command, files.args[0], files.env, files.cwd) == (
        "stdio", "npx", "-y", {"DEBUG": "1"}, "/tmp"
    )  # fmt: skip
    assert (web.transport, web.url, dict(web.headers)) == (
        "http", "http://127.0.0.1:8000/mcp", {"Authorization": "Bearer x"}
    )  # fmt: skip
    assert "Bearer" not in repr(web)


def test_no_servers_by_default() -> None:
    assert write_config("").mcp_servers == {}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('command = "a"\nurl = "http://x"\n', "mcp_servers.s needs either command"),
        ("args = []\n", "mcp_servers.s needs either command"),
        ('command = "a"\nargz = []\n', "argz is not an MCP server setting (did you mean"),
        ('command = "a"\nargs = "x"\n', "mcp_servers.s.args must be a list of strings"),
        ('url = "ftp://x"\n', "mcp_servers.s.url must be an http:// or https:// URL"),
        ('url = "http://x"\ncwd = "/"\n', "mcp_servers.s.cwd belongs to stdio servers only"),
        ('command = "a"\nenv = { A = 1 }\n', "mcp_servers.s.env.A must be a string"),
    ],
)  # fmt: skip
def test_a_bad_server_table_names_line_and_key(table: str, message: str) -> None:
    write_config_file("# servers\n[mcp_servers.s]\n" + table)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert message in str(caught.value)
    assert caught.value.line is not None and caught.value.line >= 2


def write_json(name: str, document: object) -> None:
    path = paths.config_file().parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2))


def test_mcp_config_reads_claude_codes_mcp_servers_beside_config_toml() -> None:
    write_json(
        "claude.json",
        {
            "mcpServers": {
                "git": {"command": "uvx", "args": ["mcp-server-git"], "env": {}},
                "remote": {"type": "http", "url": "https://mcp.example/mcp", "headers": {}},
                "files": {"command": "from-json"},
                "old": {"type": "sse", "url": "https://old.example/sse"},
            }
        },
    )
    config = write_config('mcp_config = "claude.json"\n[mcp_servers.files]\ncommand = "mine"\n')
    assert list(config.mcp_servers) == ["files", "git", "remote"]
    assert config.mcp_servers["files"].command == "mine"  # config.toml wins
    assert config.mcp_servers["remote"].transport == "http"
    assert config.mcp_servers["git"].source.endswith("claude.json")
    assert any("SSE transport" in warning and '"old"' in warning for warning in config.warnings)


def test_mcp_config_that_is_not_json_names_the_line() -> None:
    write_json("bad.json", '{\n  "mcpServers": {\n    "a": nope\n  }\n}\n')
    write_config_file('mcp_config = "bad.json"\n')
    with pytest.raises(ConfigError, match=r"bad\.json, line 3, column \d+: is not valid JSON"):
        load_config()


def test_mcp_config_entry_errors_name_the_key() -> None:
    write_json("claude.json", {"mcpServers": {"a": {"command": "x", "args": [1]}}})
    write_config_file('mcp_config = "claude.json"\n')
    with pytest.raises(ConfigError, match=r"claude\.json: mcpServers\.a\.args must be a list"):
        load_config()


def test_a_missing_mcp_config_file_says_so() -> None:
    write_config_file('mcp_config = "nowhere.json"\n')
    with pytest.raises(ConfigError, match=r"nowhere\.json: does not exist"):
        load_config()


def test_profiles_pick_tools_and_keep_allowed_tools() -> None:
    config = write_config(
        "[profiles.relay]\n"
        'base_url = "http://127.0.0.1:9"\n'
        'tools = ["files", "git__status"]\n'
        'allowed_tools = ["files__read_file"]\n'
    )
    relay = config.profile("relay")
    assert relay.tools == ("files", "git__status")
    assert relay.allowed_tools == ("files__read_file",)
    assert config.profile("demo").tools == ()


def test_profile_tools_must_be_a_list_of_names() -> None:
    write_config_file('[profiles.relay]\nbase_url = "http://127.0.0.1:9"\ntools = "files"\n')
    with pytest.raises(ConfigError, match=r"line 3: profiles\.relay\.tools must be a list"):
        load_config()
