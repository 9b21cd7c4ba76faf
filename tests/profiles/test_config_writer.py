"""Saving changes to config.toml: round trips, keeps what it does not own, mode 0600.

Every kind of write is also run on a hand-written, commented file, and the result must be
that text with only the intended change (comments, order, blank lines and the way values
were written all survive).
"""

from __future__ import annotations

import stat
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from commented_config import COMMENTED, replaced

from claude_tui.profiles import (
    ConfigError,
    Prices,
    Profile,
    config_text_edits,
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


# --- a hand-written file survives every kind of write ------------------------------------

ANTHROPIC_TABLE = """\
# The official API.
[profiles.anthropic]
base_url = "https://api.anthropic.com"
api_key_env = "ANTHROPIC_API_KEY"  # set in ~/.profile
# thinking costs money
thinking = 4096
headers = { "X-Group" = "vip", "X-Team" = "a" }
models = [
    "claude-sonnet-4-5",  # the usual
    "claude-opus-4-5",
]

"""


@pytest.fixture
def commented(config_path: Path) -> Path:
    config_path.parent.mkdir(parents=True)
    config_path.write_text(COMMENTED, encoding="utf-8")
    config_path.chmod(0o600)
    return config_path


def after_write(path: Path) -> str:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the mode is kept
    return path.read_text(encoding="utf-8")


def loaded(path: Path) -> Any:
    return load_config(path, environ={})


def test_theme_changes_in_place(commented: Path) -> None:
    set_theme("dracula", commented)
    assert after_write(commented) == replaced(COMMENTED, 'theme = "nord"', 'theme = "dracula"')
    assert loaded(commented).theme == "dracula"


def test_a_new_theme_goes_after_the_last_top_level_setting(commented: Path) -> None:
    without = replaced(COMMENTED, 'theme = "nord"\n', "")
    commented.write_text(without, encoding="utf-8")
    set_theme("dracula", commented)
    assert after_write(commented) == replaced(
        without, "# what I use most days\n", '# what I use most days\ntheme = "dracula"\n'
    )


def test_a_new_theme_goes_before_the_first_table_and_its_comments(commented: Path) -> None:
    without = replaced(COMMENTED, 'default_profile = "work"   # what I use most days\n', "")
    without = replaced(without, 'theme = "nord"\n\n', "")
    commented.write_text(without, encoding="utf-8")
    set_theme("dracula", commented)
    assert after_write(commented) == replaced(
        without, "# ---- Relays ----\n\n", '# ---- Relays ----\n\ntheme = "dracula"\n\n'
    )
    assert loaded(commented).theme == "dracula"


def test_set_default_changes_only_that_value(commented: Path) -> None:
    set_default_profile("scratch", commented)
    assert after_write(commented) == replaced(
        COMMENTED, 'default_profile = "work"', 'default_profile = "scratch"'
    )
    assert loaded(commented).default_profile_name == "scratch"


def test_a_new_profile_is_appended(commented: Path) -> None:
    profile = Profile(name="new one", api_key_env="NEW_KEY", headers={"X-Group": "b"})
    save_profile(profile, commented)
    assert after_write(commented) == COMMENTED + (
        '\n[profiles."new one"]\napi_key_env = "NEW_KEY"\nheaders = { X-Group = "b" }\n'
    )
    assert loaded(commented).profile("new one") == profile


def test_editing_one_field_changes_its_value_keeping_its_line(commented: Path) -> None:
    work = loaded(commented).profile("work")
    save_profile(work.with_changes(timeout=30), commented)
    # Written as the user wrote it: a decimal stays a decimal.
    assert after_write(commented) == replaced(COMMENTED, "timeout = 600.0", "timeout = 30.0")
    assert loaded(commented).profile("work") == work.with_changes(timeout=30)


def test_a_new_field_goes_after_the_tables_last_key(commented: Path) -> None:
    anthropic = loaded(commented).profile("anthropic")
    save_profile(anthropic.with_changes(max_tokens=16000), commented)
    assert after_write(commented) == replaced(
        COMMENTED, '    "claude-opus-4-5",\n]\n', '    "claude-opus-4-5",\n]\nmax_tokens = 16000\n'
    )
    assert loaded(commented).profile("anthropic").max_tokens == 16000


def test_editing_the_auth_and_key_fields(commented: Path) -> None:
    work = loaded(commented).profile("work")
    changed = work.with_changes(auth="x-api-key", api_key_command=None, api_key_env="WORK_KEY")
    save_profile(changed, commented)
    expected = replaced(
        COMMENTED,
        'auth = "bearer"                       # the gateway wants a token\n'
        'api_key_command = "pass show work/llm-gateway"\n'
        "timeout = 600.0\n",
        'auth = "x-api-key"                       # the gateway wants a token\n'
        "timeout = 600.0\n"
        'api_key_env = "WORK_KEY"\n',
    )
    assert after_write(commented) == expected
    assert loaded(commented).profile("work") == changed


def test_editing_a_list_and_an_inline_table_keeps_their_shape(commented: Path) -> None:
    anthropic = loaded(commented).profile("anthropic")
    changed = anthropic.with_changes(
        models=("claude-sonnet-4-5", "claude-haiku-4-5"),
        headers={"X-Group": "vip", "X-Team": "b"},
    )
    save_profile(changed, commented)
    expected = replaced(COMMENTED, '"X-Team" = "a"', '"X-Team" = "b"')
    expected = replaced(
        expected,
        '    "claude-sonnet-4-5",  # the usual\n    "claude-opus-4-5",\n',
        '    "claude-sonnet-4-5",\n    "claude-haiku-4-5",\n',
    )
    assert after_write(commented) == expected
    assert loaded(commented).profile("anthropic") == changed


def test_editing_a_sub_table(commented: Path) -> None:
    work = loaded(commented).profile("work")
    changed = work.with_changes(prices=Prices(input=4.0, output=15.0, cache_read=0.3))
    save_profile(changed, commented)
    assert after_write(commented) == replaced(
        COMMENTED, "input = 3.0\noutput = 15.0\n", "input = 4.0\noutput = 15.0\ncache_read = 0.3\n"
    )
    assert loaded(commented).profile("work") == changed


def test_rename_keeps_the_table_and_its_comments_in_place(commented: Path) -> None:
    work = loaded(commented).profile("work")
    save_profile(work.with_changes(name="job"), commented, replacing="work")
    expected = replaced(COMMENTED, "[profiles.work]", "[profiles.job]")
    expected = replaced(expected, "[profiles.work.prices]", "[profiles.job.prices]")
    expected = replaced(expected, 'default_profile = "work"', 'default_profile = "job"')
    assert after_write(commented) == expected
    config = loaded(commented)
    assert config.user_profile_names == ["anthropic", "job", "scratch"]
    assert config.default_profile == work.with_changes(name="job")


def test_rename_refuses_a_taken_name(commented: Path) -> None:
    work = loaded(commented).profile("work")
    with pytest.raises(ConfigError, match='already has a profile named "scratch"'):
        save_profile(work.with_changes(name="scratch"), commented, replacing="work")
    assert commented.read_text(encoding="utf-8") == COMMENTED


def test_delete_takes_the_table_and_its_own_comments(commented: Path) -> None:
    delete_profile("anthropic", commented)
    # "# ---- Relays ----" is nobody's; "# Work gateway" belongs to the next table.
    assert after_write(commented) == replaced(COMMENTED, ANTHROPIC_TABLE, "")
    assert loaded(commented).user_profile_names == ["work", "scratch"]


def test_delete_takes_the_sub_tables_and_the_default_naming_it(commented: Path) -> None:
    delete_profile("work", commented)
    expected = replaced(COMMENTED, 'default_profile = "work"   # what I use most days\n', "")
    start = expected.index("# Work gateway")
    end = expected.index("# Scratch relay")
    assert after_write(commented) == expected[:start] + expected[end:]
    config = loaded(commented)
    assert config.user_profile_names == ["anthropic", "scratch"]
    assert config.default_profile_name == "demo"


def test_deleting_the_last_table_leaves_no_trailing_blank_lines(commented: Path) -> None:
    delete_profile("scratch", commented)
    start = COMMENTED.index("\n# Scratch relay")
    assert after_write(commented) == COMMENTED[:start]


def test_a_windows_file_keeps_its_line_ends(commented: Path) -> None:
    commented.write_bytes(COMMENTED.replace("\n", "\r\n").encode())
    save_profile(loaded(commented).profile("anthropic").with_changes(max_tokens=16000), commented)
    save_profile(Profile(name="new", api_key_env="K"), commented)
    data = commented.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b"]\r\nmax_tokens = 16000\r\n" in data
    assert data.endswith(b'\r\n\r\n[profiles.new]\r\napi_key_env = "K"\r\n')


def test_profiles_written_as_inline_tables_are_edited_in_place(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    text = '# relays, one per line\nprofiles = { a = { model = "m" } }  # keep me\ntheme = "nord"\n'
    config_path.write_text(text, encoding="utf-8")
    save_profile(Profile(name="a", model="n"), config_path)
    save_profile(Profile(name="b", api_key_env="K"), config_path)
    after = after_write(config_path)
    assert after.startswith("# relays, one per line\n")
    assert "# keep me" in after
    assert after.endswith('theme = "nord"\n')
    assert parsed(config_path)["profiles"] == {"a": {"model": "n"}, "b": {"api_key_env": "K"}}


def test_text_inside_strings_is_not_taken_for_headers_or_comments(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    text = (
        "[profiles.a]\n"
        'system = """\n'
        "[profiles.b]\n"
        "# not a comment\n"
        '"""\n'
        "# b's own comment\n"
        "[profiles.b]\n"
        'model = "m"\n'
    )
    config_path.write_text(text, encoding="utf-8")
    delete_profile("b", config_path)
    assert after_write(config_path) == text[: text.index("# b's own comment")]
    assert parsed(config_path)["profiles"]["a"]["system"] == "[profiles.b]\n# not a comment\n"


def test_adjacent_tables_without_blank_lines(config_path: Path) -> None:
    config_path.parent.mkdir(parents=True)
    text = '[profiles.a]\nmodel = "m"\n# about b\n[profiles.b]\nmodel = "n"\n# trailing\n'
    config_path.write_text(text, encoding="utf-8")
    save_profile(Profile(name="a", model="m", max_tokens=100), config_path)
    expected = replaced(text, 'model = "m"\n', 'model = "m"\nmax_tokens = 100\n')
    assert after_write(config_path) == expected
    delete_profile("a", config_path)
    assert after_write(config_path) == '# about b\n[profiles.b]\nmodel = "n"\n# trailing\n'


def test_a_write_that_would_not_say_exactly_the_change_is_refused(
    commented: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand-in for an editor bug or a layout it misreads: the result is checked, not trusted.
    monkeypatch.setattr(config_text_edits, "_update_in_place", lambda *args: None)
    with pytest.raises(ConfigError, match="left unchanged; make this change by hand"):
        set_theme("dracula", commented)
    assert commented.read_text(encoding="utf-8") == COMMENTED


def test_unsetting_a_sub_table_cuts_its_lines_only(commented: Path) -> None:
    work = loaded(commented).profile("work")
    save_profile(work.with_changes(prices=None), commented)
    prices = "[profiles.work.prices]   # the gateway's own rates\ninput = 3.0\noutput = 15.0\n\n"
    assert after_write(commented) == replaced(COMMENTED, prices, "")
    assert loaded(commented).profile("work") == work.with_changes(prices=None)
