"""Saving changes to config.toml: round trips, keeps what it does not own, mode 0600."""

from __future__ import annotations

import stat
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_tui.profiles import (
    ConfigError,
    Prices,
    Profile,
    delete_profile,
    demo_profile,
    load_config,
    save_profile,
    set_default_profile,
    set_theme,
)

EXISTING = """\
default_profile = "other"
theme = "nord"  # comments survive a write that changes nothing

[profiles.other]
base_url = "https://other.example.com"
api_key_env = "OTHER_KEY"

[profiles.relay]
auth = "x-api-key"
api_key_env = "RELAY_KEY"
model = "claude-sonnet-4-5"
system = "old prompt"
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "claude-tui" / "config.toml"


def parsed(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_round_trip(config_path: Path) -> None:
    profile = Profile(
        name="my relay",
        base_url="https://relay.example.com",
        api_format="openai",
        api_key_command="pass show relay",
        api_key_ttl=60,
        models=("a", "b"),
        max_tokens=16000,
        thinking=4096,
        system="Be brief.",
        temperature=0.7,
        headers={"X-Group": "vip"},
        anthropic_beta=("beta-1",),
        prices=Prices(input=1.0, output=2.5, cache_read=0.1),
        prefill=True,
    )
    save_profile(profile, config_path)
    loaded = load_config(config_path, environ={}).profile("my relay")
    assert loaded == profile


def test_creates_file_with_mode_0600(config_path: Path) -> None:
    save_profile(Profile(name="a", api_key="sk-ant-inline-0123456789"), config_path)
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


def test_rewrite_makes_an_open_file_0600(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    config_path.chmod(0o644)
    set_theme("dracula", config_path)
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


def test_keeps_other_profiles_and_unknown_settings(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    before = parsed(config_path)

    save_profile(Profile(name="new", api_key_env="NEW_KEY"), config_path)

    after = parsed(config_path)
    assert after["default_profile"] == "other"
    assert after["theme"] == "nord"
    profiles = after["profiles"]
    assert before["profiles"] == {k: v for k, v in profiles.items() if k != "new"}
    assert profiles["new"] == {"api_key_env": "NEW_KEY"}


def test_keeps_settings_this_version_does_not_know(config_path: Path) -> None:
    # A newer claude-tui may add settings; an older one saving a profile must not drop them.
    config_path.parent.mkdir(parents=True)
    config_path.write_text(
        'future_setting = { colour = "blue" }\n\n[profiles.a]\nfuture_key = 1\nmodel = "m"\n',
        encoding="utf-8",
    )
    save_profile(Profile(name="a", model="n"), config_path)
    save_profile(Profile(name="b"), config_path)
    assert parsed(config_path) == {
        "future_setting": {"colour": "blue"},
        "profiles": {"a": {"future_key": 1, "model": "n"}, "b": {}},
    }


def test_update_in_place_keeps_explicit_defaults_and_drops_unset_values(
    config_path: Path,
) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    relay = load_config(config_path, environ={}).profile("relay")

    save_profile(relay.with_changes(system=None, max_tokens=4096), config_path)

    table = parsed(config_path)["profiles"]["relay"]
    # auth and model equal their defaults but the user wrote them: they stay, in order.
    assert list(table) == ["auth", "api_key_env", "model", "max_tokens"]
    assert table["max_tokens"] == 4096
    assert "system" not in table


def test_switching_key_source_removes_the_old_one(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    relay = load_config(config_path, environ={}).profile("relay")
    save_profile(relay.with_changes(api_key_env=None, api_key_command="pass relay"), config_path)
    reloaded = load_config(config_path, environ={}).profile("relay")
    assert reloaded.api_key_env is None
    assert reloaded.api_key_command == "pass relay"


def test_refuses_to_rewrite_an_unparseable_file(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    broken = b'theme = "nord"\n[profiles.relay\nmodel = "x"\n'
    config_path.write_bytes(broken)
    changes: list[Callable[[], None]] = [
        lambda: save_profile(Profile(name="a"), config_path),
        lambda: delete_profile("relay", config_path),
        lambda: set_default_profile("demo", config_path),
        lambda: set_theme("x", config_path),
    ]
    for change in changes:
        with pytest.raises(ConfigError, match=r"line 2, column \d+: invalid TOML"):
            change()
        assert config_path.read_bytes() == broken
    assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]


def test_builtin_profiles_cannot_be_saved(config_path: Path) -> None:
    with pytest.raises(ConfigError, match="built-in"):
        save_profile(demo_profile(), config_path)
    with pytest.raises(ConfigError, match="built-in"):
        save_profile(Profile(name="env"), config_path)
    assert not config_path.exists()


def test_delete_profile_also_clears_it_as_default(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    delete_profile("other", config_path)
    document = parsed(config_path)
    assert "default_profile" not in document
    assert list(document["profiles"]) == ["relay"]
    assert load_config(config_path, environ={}).default_profile_name == "demo"

    delete_profile("relay", config_path)
    assert "profiles" not in parsed(config_path)
    with pytest.raises(ConfigError, match='no profile named "relay"'):
        delete_profile("relay", config_path)


def test_set_default_profile(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    set_default_profile("relay", config_path)
    assert load_config(config_path, environ={}).default_profile_name == "relay"
    set_default_profile("demo", config_path)
    assert parsed(config_path)["default_profile"] == "demo"
    with pytest.raises(ConfigError, match="no such profile"):
        set_default_profile("missing", config_path)


def test_set_theme_keeps_everything_else(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    before = parsed(config_path)
    set_theme("dracula", config_path)
    after = parsed(config_path)
    assert after == {**before, "theme": "dracula"}


def test_unchanged_document_is_not_rewritten(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(EXISTING, encoding="utf-8")
    set_theme("nord", config_path)
    assert config_path.read_text(encoding="utf-8") == EXISTING  # comments survive


def test_default_path_comes_from_paths_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", str(tmp_path))
    set_theme("x", None)
    assert parsed(tmp_path / "config.toml") == {"theme": "x"}


def test_written_file_reads_like_a_hand_written_one(config_path: Path) -> None:
    save_profile(Profile(name="r", api_key_env="K", timeout=30), config_path)
    assert config_path.read_text(encoding="utf-8") == textwrap.dedent(
        """\
        [profiles.r]
        api_key_env = "K"
        timeout = 30
        """
    )
