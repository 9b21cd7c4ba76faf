"""Secrets named by their setting (password, secret, api key, token) and bearer tokens in
pasted curl commands; and the code that only looks like them."""

from __future__ import annotations

import pytest

from claude_tui.redaction import find_secrets, redact

from . import secret_samples as s

TOKEN_VALUE = "9f4c" + "2a7e1b8d6035c4f9ab72"


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_secrets(text)]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("pass" + f'word = "{s.PW_VALUE}"', "password", s.PW_VALUE),
        ("DB_PASS" + f"WORD={s.PW_VALUE}", "password", s.PW_VALUE),
        ('{"pass' + f'word": "{s.PW_VALUE}"}}', "password", s.PW_VALUE),
        ("  passwd: " + "hunter22", "password", "hunter22"),
        ("secret: " + TOKEN_VALUE, "secret", TOKEN_VALUE),
        ("client_" + f"secret='{TOKEN_VALUE}'", "secret", TOKEN_VALUE),
        ("AWS_SECRET_ACCESS_" + f"KEY={TOKEN_VALUE}", "secret", TOKEN_VALUE),
        ("api_" + f"key={TOKEN_VALUE}", "api-key", TOKEN_VALUE),
        ("X-Api-" + f"Key: {TOKEN_VALUE}", "api-key", TOKEN_VALUE),
        ("github_" + f'token: "{TOKEN_VALUE}"', "token", TOKEN_VALUE),
        ("export AUTH_" + f"TOKEN={TOKEN_VALUE}", "token", TOKEN_VALUE),
    ],
)
def test_a_secret_setting_with_a_real_value_is_found(text: str, kind: str, value: str) -> None:
    assert found(text) == [(kind, value)]


def test_only_the_value_is_replaced() -> None:
    text = "pass" + f'word = "{s.PW_VALUE}"  # prod'
    assert redact(text, find_secrets(text)) == 'password = "[REDACTED:password]"  # prod'


@pytest.mark.parametrize(
    "text",
    [
        'password = ""',
        'password = "..."',
        'api_key = "..."',
        "api_key = '<your-key>'",
        'token = "${GITHUB_TOKEN}"',
        "secret: ${{ secrets.DEPLOY_KEY }}",
        'token = os.environ["TOKEN"]',
        "password = get_password()",
        "password: str | None = None",
        "api_key: Optional[str] = None",
        "token = self.token",
        "api_key = args.api_key",
        'password = "xxxxxxxx"',
        'password = "changeme"',
        'password = "********"',
        "password: <hidden>",
        'password = "abc"',  # too short to be one
        'api_key = "sk-demo"',
        'api_key_env = "RELAY_KEY"',  # the name goes on
        'token = "GITHUB_TOKEN"',  # the name of a variable
        "max_tokens = 8192",
        "token_count = 4096",
        'password_hint = "first pet"',
        "if password == stored_password:",
        'error = "password: must be at least 8 characters"',
        "secret: /run/secrets/db_password",
        "arn:aws:secretsmanager:us-west-2:123456789012:secret:" + "MyDb-a1b2c3",
        '"NextToken": "eyJ2IjoxLCJzIjoxfQ3f9a"',
        'TOKEN = "[a-zA-Z_][a-zA-Z0-9_-]*"',  # a tokenizer's pattern
        "private_key: PKCS7PrivateKeyTypes,",
        'key = "sort-key-2024-xyz"',  # a plain key, not a secret's
        f'token = "{"[REDACTED:" + "token]"}"',  # already redacted
        'token = "tok-0123456789abcdef"',  # counts up: an example
        'headers = {"Authorization": f"Bearer {token}"}',
        '-H "Authorization: Bearer $TOKEN"',
    ],
)
def test_ordinary_code_and_placeholders_are_not_found(text: str) -> None:
    assert found(text) == []


def test_a_bearer_token_in_a_pasted_curl_command_is_found() -> None:
    curl = (
        "curl https://api.example.com/v1/items \\\n"
        f'  -H "Authorization: Bearer {s.BEARER}" \\\n'
        "  -H 'content-type: application/json'"
    )
    assert found(curl) == [("bearer-token", s.BEARER)]
    assert "Bearer [REDACTED:bearer-token]" in redact(curl, find_secrets(curl))


def test_a_bearer_token_that_is_a_provider_key_is_reported_as_the_key() -> None:
    header = f"authorization: bearer {s.OPENAI_KEY}"
    assert found(header) == [("openai-key", s.OPENAI_KEY)]
