"""Provider keys, private key blocks and JWTs: each found by shape, and the look-alikes of
ordinary work (slugs, hashes, placeholders, code mentioning the markers) not found."""

from __future__ import annotations

import pytest

from claude_tui.redaction import find_secrets, redact

from . import secret_samples as s


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_secrets(text)]


@pytest.mark.parametrize(
    ("secret", "kind"),
    [
        (s.ANTHROPIC_KEY, "anthropic-key"),
        (s.OPENAI_KEY, "openai-key"),
        (s.OPENAI_PROJECT_KEY, "openai-key"),
        (s.AWS_KEY, "aws-key"),
        (s.AWS_TEMPORARY_KEY, "aws-key"),
        (s.GITHUB_TOKEN, "github-token"),
        (s.GITHUB_OAUTH, "github-token"),
        (s.GITHUB_PAT, "github-token"),
        (s.SLACK_TOKEN, "slack-token"),
        (s.GOOGLE_KEY, "google-key"),
        (s.PRIVATE_KEY, "private-key"),
        (s.JWT, "jwt"),
    ],
)
def test_each_shape_is_found_where_it_stands_in_text(secret: str, kind: str) -> None:
    text = f"here is what I use:\n  {secret}\nwhy does it fail?"
    findings = find_secrets(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(kind, secret)]
    assert redact(text, findings) == f"here is what I use:\n  [REDACTED:{kind}]\nwhy does it fail?"


def test_a_key_inside_quotes_or_a_url_query_is_found() -> None:
    assert kinds(f'client = Anthropic(api_key="{s.ANTHROPIC_KEY}")') == ["anthropic-key"]
    assert kinds(f"https://maps.example/api?key={s.GOOGLE_KEY}&q=x") == ["google-key"]


@pytest.mark.parametrize(
    "text",
    [
        "pip install scikit-learn; see sk-learn-random-forest-tutorial-part-two",
        "task-" + "sk-" + "abcDEF123ghiJKL456mnoPQR",  # part of a longer word
        "sk-" + "your-api-key-goes-here-please",  # a placeholder
        "sk-" + "ant-api03-" + "THISISTHESECRETKEYVALUE0123456789",  # counts up: made up
        "AKIA" + "IOSFODNN7EXAMPLE",  # AWS's own documentation key
        "AKIA" + "ABCDEFGHIJKLMNOP",  # no digit: a word in capitals
        "sha " + "AKIA" + "Q3EGRIIKQ4ZQ7VXA" + "99",  # cut from a longer run
        "ghp" + "_" + "short",
        "xox" + "b-not-a-token",
        'if line.startswith("-----BEGIN ' + 'RSA PRIVATE KEY-----"):',  # code about keys
        "eyJ" + "hbGciOiJ9.eyJ" + "zdWIiOiI0MiJ9.sig",  # header without alg (decodes)
        "eyJ" + "notbase64!!.eyJ" + "zzzzzzzz.abc",
    ],
)
def test_look_alikes_are_not_found(text: str) -> None:
    assert kinds(text) == []


def test_a_truncated_key_block_is_redacted_to_the_end_of_its_body() -> None:
    head, _end_line = s.PRIVATE_KEY.rsplit("\n", 1)
    text = f"my key:\n{head}\n\nand then this line of question"
    findings = find_secrets(text)
    assert [f.kind for f in findings] == ["private-key"]
    assert (
        redact(text, findings)
        == "my key:\n[REDACTED:private-key]\n\nand then this line of question"
    )


def test_a_key_block_marker_with_no_key_material_is_not_found() -> None:
    text = "-----BEGIN " + "PRIVATE KEY-----\n...\n-----END " + "PRIVATE KEY-----"
    assert kinds(text) == []
