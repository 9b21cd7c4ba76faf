"""Profiles and configuration: which endpoint to talk to, how, and with which key.

``load_config()`` reads ``config.toml`` (plus the ``ANTHROPIC_*`` environment and the built-in
demo) into a :class:`Config` of immutable :class:`Profile` values; ``KeySource`` resolves a
profile's key when a request needs it; ``config_writer`` saves changes back atomically.
"""

from __future__ import annotations

from .config_file import (
    FALLBACK_PROFILE_NAME,
    RESERVED_PROFILE_NAMES,
    Config,
    load_config,
    profile_from_table,
)
from .config_writer import delete_profile, save_profile, set_default_profile, set_theme
from .demo_profile import DEMO_MODEL, DEMO_PLACEHOLDER_URL, DEMO_PROFILE_NAME, demo_profile
from .env_profile import ENV_PROFILE_NAME, env_profile, parse_custom_headers
from .errors import (
    ConfigError,
    KeySourceError,
    ProfilesError,
    ProfileValueError,
    key_failure_detail,
)
from .key_source import KeySource
from .mcp_server_config import McpServerConfig
from .profile import DEFAULT_BASE_URL, DEFAULT_MODEL, PROFILE_KEYS, Profile
from .profile_values import (
    THINKING_DIALECTS,
    ApiFormat,
    AuthStyle,
    Effort,
    OpenAIThinkingDialect,
    Prefill,
    Prices,
    Thinking,
    ThinkingDialect,
    default_auth,
    normalise_base_url,
)
from .secret_mask import mask_key, redact

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "DEMO_MODEL",
    "DEMO_PLACEHOLDER_URL",
    "DEMO_PROFILE_NAME",
    "ENV_PROFILE_NAME",
    "FALLBACK_PROFILE_NAME",
    "PROFILE_KEYS",
    "RESERVED_PROFILE_NAMES",
    "THINKING_DIALECTS",
    "ApiFormat",
    "AuthStyle",
    "Config",
    "ConfigError",
    "Effort",
    "KeySource",
    "KeySourceError",
    "McpServerConfig",
    "OpenAIThinkingDialect",
    "Prefill",
    "Prices",
    "Profile",
    "ProfileValueError",
    "ProfilesError",
    "Thinking",
    "ThinkingDialect",
    "default_auth",
    "delete_profile",
    "demo_profile",
    "env_profile",
    "key_failure_detail",
    "load_config",
    "mask_key",
    "normalise_base_url",
    "parse_custom_headers",
    "profile_from_table",
    "redact",
    "save_profile",
    "set_default_profile",
    "set_theme",
]
