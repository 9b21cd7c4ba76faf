"""The per-profile ``redact`` setting: "ask" by default, checked like every other setting
(an unknown value stops the load naming file, line, key and the choices), and written back
only when it differs from the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.profiles import ConfigError, Profile, load_config
from claude_tui.profiles.errors import ProfileValueError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_redact_defaults_to_ask_and_loads_each_choice(tmp_path: Path) -> None:
    text = '[profiles.a]\nauth = "none"\n[profiles.b]\nauth = "none"\nredact = "always"\n'
    config = load_config(write(tmp_path, text), environ={})
    assert config.profile("a").redact == "ask"
    assert config.profile("b").redact == "always"
    assert Profile(name="c", redact="off").to_toml_dict() == {"redact": "off"}
    assert "redact" not in Profile(name="d").to_toml_dict()


def test_an_unknown_redact_value_names_line_key_and_choices(tmp_path: Path) -> None:
    text = '[profiles.relay]\nauth = "none"\nredact = "sometimes"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    message = str(caught.value)
    assert "line 3" in message and "profiles.relay.redact" in message
    assert 'must be "ask", "always" or "off", not "sometimes"' in message
    with pytest.raises(ProfileValueError):
        Profile(name="p", redact="never")  # type: ignore[arg-type]
