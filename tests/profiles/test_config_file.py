"""Loading and validating config.toml: every error names the file, the line and the key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from claude_tui.profiles import (
    ConfigError,
    Prices,
    Profile,
    load_config,
)
from claude_tui.profiles.config_file import dotted_key
from claude_tui.profiles.toml_locator import TomlKeyLocator

FULL_EXAMPLE = """\
default_profile = "relay"        # optional; falls back to "demo"
theme = "nord"

[profiles.relay]
base_url = "https://relay.example.com/v1/"
api_format = "anthropic"
auth = "bearer"
auth_header = "X-Relay-Key"
api_key_env = "RELAY_KEY"
api_key_ttl = 300
model = "claude-sonnet-4-5"
models = ["claude-sonnet-4-5", "claude-opus-4-1"]
max_tokens = 8192
thinking = 4096
effort = "high"
system = "You are terse."
temperature = 1.0
headers = { "X-Group" = "vip" }
user_agent = "my-agent/1.0"
anthropic_beta = ["interleaved-thinking-2025-05-14"]
proxy = "http://127.0.0.1:7890"
timeout = 600
connect_timeout = 10
idle_timeout = 120
max_retries = 2
max_messages = 0
context_window = 200000
prices = { input = 3.0, output = 15.0, cache_write = 3.75, cache_read = 0.3 }
prefill = "auto"

[profiles.openrouter]
base_url = "https://openrouter.ai/api"
api_format = "openai"
api_key_command = "pass show openrouter"
model = "anthropic/claude-sonnet-4.5"
thinking = "adaptive"
thinking_dialect = "anthropic"
price_multiplier = 1.5
prefill = false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert "\n" not in message
    return path, message


# --- the happy path ----------------------------------------------------------------------


def test_full_example_parses(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL_EXAMPLE), environ={})

    assert list(config.profiles) == ["relay", "openrouter", "demo"]
    assert config.default_profile_name == "relay"
    assert config.default_profile is config.profiles["relay"]
    assert config.theme == "nord"
    assert config.raw["profiles"]["relay"]["model"] == "claude-sonnet-4-5"
    assert config.user_profile_names == ["relay", "openrouter"]

    relay = config.profile("relay")
    assert relay == Profile(
        name="relay",
        base_url="https://relay.example.com",
        api_format="anthropic",
        auth="bearer",
        auth_header="X-Relay-Key",
        api_key_env="RELAY_KEY",
        api_key_ttl=300.0,
        model="claude-sonnet-4-5",
        models=("claude-sonnet-4-5", "claude-opus-4-1"),
        max_tokens=8192,
        thinking=4096,
        effort="high",
        system="You are terse.",
        temperature=1.0,
        headers={"X-Group": "vip"},
        user_agent="my-agent/1.0",
        anthropic_beta=("interleaved-thinking-2025-05-14",),
        proxy="http://127.0.0.1:7890",
        timeout=600.0,
        connect_timeout=10.0,
        idle_timeout=120.0,
        max_retries=2,
        max_messages=0,
        context_window=200_000,
        prices=Prices(input=3.0, output=15.0, cache_write=3.75, cache_read=0.3),
        prefill="auto",
    )
    assert relay.thinking_label == "4096 tokens"
    assert isinstance(relay.timeout, float)

    openrouter = config.profile("openrouter")
    assert openrouter.auth == "bearer"  # the default for api_format = "openai"
    assert openrouter.api_key_command == "pass show openrouter"
    assert openrouter.thinking_label == "adaptive"
    assert openrouter.thinking_dialect == "anthropic"
    assert relay.thinking_dialect == "auto"  # the default
    assert openrouter.price_multiplier == 1.5
    assert openrouter.prefill is False


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("https://relay.example.com", "https://relay.example.com"),
        ("https://relay.example.com/", "https://relay.example.com"),
        ("https://relay.example.com/v1", "https://relay.example.com"),
        ("https://relay.example.com/v1/", "https://relay.example.com"),
        ("https://relay.example.com/api/v1", "https://relay.example.com/api"),
        ("  http://localhost:8080/V1  ", "http://localhost:8080"),
        ("https://relay.example.com/v10", "https://relay.example.com/v10"),
    ],
)
def test_trailing_v1_is_normalised_away(tmp_path: Path, written: str, expected: str) -> None:
    path = write(tmp_path, f'[profiles.r]\nbase_url = "{written}"\napi_key_env = "K"\n')
    profile = load_config(path, environ={}).profile("r")
    assert profile.base_url == expected
    assert profile.v1_url == expected + "/v1"


def test_missing_file_means_only_builtin_profiles(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope" / "config.toml", environ={})
    assert list(config.profiles) == ["demo"]
    assert config.default_profile_name == "demo"
    assert config.default_profile.is_demo
    assert config.theme is None
    assert config.raw == {}


def test_default_path_comes_from_paths_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", str(tmp_path))
    write(tmp_path, '[profiles.mine]\napi_key = "sk-inline-0123456789"\n')
    config = load_config(environ={})
    assert config.path == tmp_path / "config.toml"
    assert "mine" in config.profiles


def test_default_profile_falls_back_to_demo(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[profiles.a]\napi_key_env = "A"\n'), environ={})
    assert config.default_profile_name == "demo"
    assert config.default_profile.name == "demo"


def test_demo_profile_is_always_there(tmp_path: Path) -> None:
    demo = load_config(write(tmp_path, 'theme = "x"\n'), environ={}).profile("demo")
    assert demo.is_demo
    assert demo.model == "claude-demo"
    assert demo.thinking == 2048
    assert demo.auth == "none"
    assert not demo.needs_key


def test_env_profile_appears_when_variables_are_set(tmp_path: Path) -> None:
    environ = {"ANTHROPIC_BASE_URL": "https://relay.example.com/v1", "ANTHROPIC_AUTH_TOKEN": "t"}
    config = load_config(write(tmp_path, 'default_profile = "env"\n'), environ=environ)
    assert list(config.profiles) == ["env", "demo"]
    assert config.default_profile.base_url == "https://relay.example.com"
    assert config.default_profile.auth == "bearer"


def test_no_env_profile_without_variables(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""), environ={"HOME": "/x"})
    assert "env" not in config.profiles


def test_unknown_profile_lists_available_names(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[profiles.relay]\napi_key_env = "K"\n'), environ={})
    with pytest.raises(ConfigError) as caught:
        config.profile("rely")
    message = str(caught.value)
    assert '"rely"' in message
    assert 'did you mean "relay"?' in message
    assert "relay, demo" in message


def test_theme_and_unknown_auth_default_for_anthropic(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[profiles.a]\napi_key_env = "A"\n'), environ={})
    assert config.profile("a").auth == "x-api-key"


# --- validation: every error names file, line and dotted key -----------------------------

# (file text, line, dotted key, fragment of the problem)
INVALID = [
    (
        '[profiles.relay]\nmodel = "m"\napi_format = "antropic"\n',
        3,
        "profiles.relay.api_format",
        'must be "anthropic" or "openai", not "antropic" (did you mean "anthropic"?)',
    ),
    (
        '[profiles.relay]\nauth = "basic"\n',
        2,
        "profiles.relay.auth",
        'must be "x-api-key", "bearer" or "none", not "basic"',
    ),
    ('[profiles.r]\nmax_tokens = "8192"\n', 2, "profiles.r.max_tokens", "whole number"),
    ("[profiles.r]\nmax_tokens = 1.5\n", 2, "profiles.r.max_tokens", "whole number, not 1.5"),
    ("[profiles.r]\nmax_tokens = true\n", 2, "profiles.r.max_tokens", "not true"),
    ("[profiles.r]\nmax_tokens = 0\n", 2, "profiles.r.max_tokens", "at least 1"),
    ("[profiles.r]\nmodel = 5\n", 2, "profiles.r.model", "must be a string"),
    ('[profiles.r]\nmodel = ""\n', 2, "profiles.r.model", "must not be empty"),
    ('[profiles.r]\nmodels = "a"\n', 2, "profiles.r.models", "must be a list of strings"),
    ('[profiles.r]\nmodels = ["a", 3]\n', 2, "profiles.r.models", "contains 3"),
    ("[profiles.r]\nthinking = 512\n", 2, "profiles.r.thinking", "at least 1024"),
    ('[profiles.r]\nthinking = "on"\n', 2, "profiles.r.thinking", '"off", "adaptive"'),
    ('[profiles.r]\nthinking = "adaptiv"\n', 2, "profiles.r.thinking", 'mean "adaptive"'),
    (
        "[profiles.r]\nmax_tokens = 4096\nthinking = 4096\n",
        3,
        "profiles.r.thinking",
        "less than max_tokens (4096)",
    ),
    (
        "[profiles.r]\nthinking = 9000\n",
        2,
        "profiles.r.thinking",
        "less than max_tokens (8192), not 9000",
    ),
    ('[profiles.r]\neffort = "extreme"\n', 2, "profiles.r.effort", '"low", "medium"'),
    (
        '[profiles.r]\napi_format = "openai"\nthinking_dialect = "openrouterr"\n',
        3,
        "profiles.r.thinking_dialect",
        'must be "auto", "reasoning_effort", "openrouter", "anthropic" or "none", '
        'not "openrouterr" (did you mean "openrouter"?)',
    ),
    ("[profiles.r]\ntemperature = 2.5\n", 2, "profiles.r.temperature", "between 0 and 2"),
    ('[profiles.r]\ntemperature = "hot"\n', 2, "profiles.r.temperature", "must be a number"),
    ('[profiles.r]\nbase_url = "ftp://x"\n', 2, "profiles.r.base_url", "http:// or https://"),
    ('[profiles.r]\nbase_url = "relay.example.com"\n', 2, "profiles.r.base_url", "http://"),
    ('[profiles.r]\nproxy = "127.0.0.1:7890"\n', 2, "profiles.r.proxy", '"socks5://"'),
    ("[profiles.r]\ntimeout = 0\n", 2, "profiles.r.timeout", "greater than 0"),
    ("[profiles.r]\nidle_timeout = -1\n", 2, "profiles.r.idle_timeout", "greater than 0"),
    ("[profiles.r]\nmax_retries = -1\n", 2, "profiles.r.max_retries", "at least 0"),
    ("[profiles.r]\nmax_messages = -3\n", 2, "profiles.r.max_messages", "at least 0"),
    ("[profiles.r]\ncontext_window = 0\n", 2, "profiles.r.context_window", "at least 1"),
    ("[profiles.r]\nprice_multiplier = -1\n", 2, "profiles.r.price_multiplier", "at least 0"),
    ("[profiles.r]\napi_key_ttl = -5\n", 2, "profiles.r.api_key_ttl", "at least 0"),
    ('[profiles.r]\nprefill = "yes"\n', 2, "profiles.r.prefill", '"auto", true or false'),
    ('[profiles.r]\napi_key_env = "MY KEY"\n', 2, "profiles.r.api_key_env", "variable name"),
    ('[profiles.r]\nauth_header = "X Key"\n', 2, "profiles.r.auth_header", "header name"),
    ('[profiles.r]\nuser_agent = "a\\nb"\n', 2, "profiles.r.user_agent", "one line"),
    ("[profiles.r]\nsystem = 1\n", 2, "profiles.r.system", "must be a string"),
    ('[profiles.r]\nanthropic_beta = "x"\n', 2, "profiles.r.anthropic_beta", "list of strings"),
    (
        '[profiles.r]\nmodel = "m"\nheaders = { "X-Group" = 1 }\n',
        3,
        "profiles.r.headers.X-Group",
        "must be a string",
    ),
    (
        '[profiles.r]\nheaders = { "Bad Name" = "v" }\n',
        2,
        'profiles.r.headers."Bad Name"',
        "not a valid HTTP header name",
    ),
    ('[profiles.r]\nheaders = "X: y"\n', 2, "profiles.r.headers", "table of header names"),
    (
        "[profiles.r]\nprices = { input = 3.0, outptu = 15.0 }\n",
        2,
        "profiles.r.prices.outptu",
        'is not a price; use "input", "output", "cache_write" or "cache_read" '
        '(did you mean "output"?)',
    ),
    (
        "[profiles.r]\nprices = { input = 3.0 }\n",
        2,
        "profiles.r.prices",
        "needs output",
    ),
    (
        '[profiles.r]\nprices = { input = "3", output = 1 }\n',
        2,
        "profiles.r.prices.input",
        "must be a number",
    ),
    (
        "[profiles.r]\nprice_multiplier = 2\nprices = { input = 3.0, output = 15.0 }\n",
        2,
        "profiles.r.price_multiplier",
        "cannot be combined with explicit prices",
    ),
    (
        '[profiles.r]\nauth = "none"\nauth_header = "X-Key"\n',
        3,
        "profiles.r.auth_header",
        'auth = "none"',
    ),
    (
        '[profiles.r]\napi_key_env = "K"\nmodel = "m"\napi_key_command = "pass show r"\n',
        4,
        "profiles.r.api_key_command",
        "conflicts with api_key_env: set only one of api_key, api_key_env, api_key_command, "
        "api_keys or api_key_commands",
    ),
    (
        '[profiles.r]\napi_fromat = "openai"\n',
        2,
        "profiles.r.api_fromat",
        'is not a profile setting (did you mean "api_format"?)',
    ),
    ('[profiles.r]\nname = "x"\n', 2, "profiles.r.name", "is not a profile setting"),
    (
        'defualt_profile = "relay"\n',
        1,
        "defualt_profile",
        'is not a known setting (did you mean "default_profile"?)',
    ),
    ("theme = 3\n", 1, "theme", "must be a theme name"),
    ('[profiles.""]\nmodel = "m"\n', 1, 'profiles.""', "needs a non-empty name"),
    ('profiles = "relay"\n', 1, "profiles", "must be a table"),
    ('profiles.relay = "x"\n', 1, "profiles.relay", "must be a table of settings"),
    (
        'default_profile = "relay"\n\n[profiles.relya]\napi_key_env = "K"\n',
        1,
        "default_profile",
        'names a profile that does not exist: "relay" (did you mean "relya"?); '
        "available profiles: relya, demo",
    ),
    ('default_profile = "env"\n', 1, "default_profile", "does not exist"),
    ("default_profile = 1\n", 1, "default_profile", "must be a profile name"),
    (
        '[profiles.demo]\nmodel = "x"\n',
        1,
        "profiles.demo",
        'is reserved for the built-in "demo" profile',
    ),
    ('[profiles.env]\nmodel = "x"\n', 1, "profiles.env", "reserved"),
]


@pytest.mark.parametrize(("text", "line", "key", "fragment"), INVALID)
def test_every_validation_error_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, fragment: str
) -> None:
    path, message = load_error(tmp_path, text)
    assert message.startswith(f"{path}, line {line}: {key} "), message
    assert fragment in message


def test_issue_example_message_exactly(tmp_path: Path) -> None:
    text = "\n".join(
        [
            'default_profile = "relay"',
            "",
            "[profiles.relay]",
            'base_url = "https://relay.example.com"',
            'auth = "bearer"',
            'api_key_env = "RELAY_KEY"',
            'api_format = "antropic"',
        ]
    )
    path, message = load_error(tmp_path, text)
    assert message == (
        f"{path}, line 7: profiles.relay.api_format must be "
        '"anthropic" or "openai", not "antropic" (did you mean "anthropic"?)'
    )


def test_inline_api_key_never_appears_in_errors(tmp_path: Path) -> None:
    _, message = load_error(tmp_path, "[profiles.r]\napi_key = 123456789\n")
    assert "123456789" not in message
    _, message = load_error(tmp_path, '[profiles.r]\napi_key = "sk-secret"\napi_key_env = "K"\n')
    assert "sk-secret" not in message
    assert "profiles.r.api_key_env conflicts with api_key" in message


def test_header_values_never_appear_in_errors(tmp_path: Path) -> None:
    _, message = load_error(tmp_path, '[profiles.r]\nheaders = { X-Key = "sk-1\\nsk-2" }\n')
    assert "sk-1" not in message
    assert "profiles.r.headers.X-Key must be on one line" in message


def test_dotted_keys_and_inline_profile_tables_are_located(tmp_path: Path) -> None:
    text = """\
    theme = "x"
    profiles.a.model = "m"
    profiles.b = { model = "m", thinking = "maybe" }
    """
    path, message = load_error(tmp_path, text)
    assert message.startswith(f"{path}, line 3: profiles.b.thinking must be")

    text = """\
    [profiles]
    a.api_key_env = "A"
    b.max_tokens = "many"
    """
    path, message = load_error(tmp_path, text)
    assert message.startswith(f"{path}, line 3: profiles.b.max_tokens must be")


def test_quoted_profile_names_are_located_and_quoted(tmp_path: Path) -> None:
    text = """\
    [profiles."my relay"]
    api_key_env = "A"

    [ profiles . 'other one' ]
    # a comment mentioning model = 1
    system = \"\"\"
    timeout = 5
    \"\"\"
    timeout = "long"
    """
    path, message = load_error(tmp_path, text)
    assert message.startswith(f'{path}, line 9: profiles."other one".timeout must be a number')


def test_toml_syntax_error_reports_line_and_column(tmp_path: Path) -> None:
    path, message = load_error(tmp_path, '[profiles.r]\nmodel = "m"\nthinking = \n')
    assert message == f"{path}, line 3, column 12: invalid TOML: invalid value"


def test_toml_error_without_position_still_names_file(tmp_path: Path) -> None:
    path, message = load_error(tmp_path, 'theme = "a"\ntheme = "b"')
    assert message == f"{path}: invalid TOML: cannot overwrite a value (at the end of the file)"


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "a"\nmodel = "\xff"\n')
    with pytest.raises(ConfigError, match=r"line 2: is not valid UTF-8"):
        load_config(path, environ={})


def test_bad_env_variable_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ANTHROPIC_BASE_URL must be an http"):
        load_config(tmp_path / "config.toml", environ={"ANTHROPIC_BASE_URL": "relay:8080"})


# --- the locator and key rendering on their own ------------------------------------------


def test_locator_handles_multiline_values_and_nested_inline_tables() -> None:
    text = textwrap.dedent(
        """\
        a = [
          "x",  # comment with b = 1
          { c = 1 },
        ]
        s = '''
        [not.a.table]
        '''
        [t]
        d = { e = { f = "}" }, g = [1, 2] }
        [[arr]]
        h = 1
        """
    )
    locator = TomlKeyLocator(text)
    assert locator.line_of(["a"]) == 1
    assert locator.line_of(["s"]) == 5
    assert locator.line_of(["not"]) is None
    assert locator.line_of(["t"]) == 8
    assert locator.line_of(["t", "d", "e", "f"]) == 9
    assert locator.line_of(["t", "d", "g"]) == 9
    assert locator.line_of(["arr", "h"]) == 11
    assert locator.line_of(["t", "missing"]) == 8  # falls back to the table header


def test_dotted_key_quotes_only_when_needed() -> None:
    assert dotted_key(["profiles", "relay", "max_tokens"]) == "profiles.relay.max_tokens"
    assert dotted_key(["profiles", "my relay"]) == 'profiles."my relay"'


ENV_VARIABLES = {"ANTHROPIC_BASE_URL": "https://relay.example", "ANTHROPIC_AUTH_TOKEN": "t"}


def test_env_variables_make_env_the_default_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml", environ=ENV_VARIABLES)
    assert config.default_profile_name == "env"
    assert not config.default_is_fallback


def test_env_variables_make_env_the_default_over_file_profiles(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[profiles.a]\napi_key_env = "A"\n'), environ=ENV_VARIABLES
    )
    assert config.default_profile_name == "env"


def test_default_profile_in_the_file_wins_over_env(tmp_path: Path) -> None:
    path = write(tmp_path, 'default_profile = "a"\n[profiles.a]\napi_key_env = "A"\n')
    config = load_config(path, environ=ENV_VARIABLES)
    assert config.default_profile_name == "a"
    assert not config.default_is_fallback


def test_the_demo_is_the_fallback_only_when_nothing_is_configured(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.toml", environ={}).default_is_fallback
    one_profile = load_config(write(tmp_path, '[profiles.a]\napi_key_env = "A"\n'), environ={})
    assert one_profile.default_profile_name == "demo"  # a profile alone is not chosen
    named = load_config(write(tmp_path, 'default_profile = "demo"\n'), environ={})
    assert named.default_profile_name == "demo" and not named.default_is_fallback
