"""find_secrets as a whole: the profile's own key, overlaps, order, and redact."""

from __future__ import annotations

from claude_tui.redaction import (
    SecretFinding,
    SecretPolicy,
    describe_findings,
    find_secrets,
    masked_preview,
    redact,
    redact_for_sending,
)

from . import secret_samples as s

OWN_KEY = "relay" + "-Kq3Zx8Lw"  # no shape any pattern knows


def test_the_profiles_own_key_is_found_by_exact_match_anywhere() -> None:
    text = f"the relay says 401 for x{OWN_KEY}y"
    findings = find_secrets(text, own_keys=[OWN_KEY])
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [("profile-key", OWN_KEY)]
    assert find_secrets(text) == []


def test_a_short_own_key_is_found_only_as_a_word_of_its_own() -> None:
    short = "k3y9"
    assert find_secrets("check k3y9x and ak3y9", own_keys=[short]) == []
    text = "the key is k3y9."
    assert [text[f.start : f.end] for f in find_secrets(text, own_keys=[short])] == [short]
    assert find_secrets("anything", own_keys=["", "  "]) == []


def test_findings_come_in_order_without_overlaps_the_specific_kind_winning() -> None:
    text = (
        f"password = {s.ANTHROPIC_KEY}\n"
        f"aws {s.AWS_KEY} and the relay key {OWN_KEY}\n"
        f"Authorization: Bearer {OWN_KEY}Zq8"
    )
    findings = find_secrets(text, own_keys=[OWN_KEY])
    assert [f.kind for f in findings] == [
        "anthropic-key",
        "aws-key",
        "profile-key",
        "profile-key",
    ]
    assert findings == sorted(findings)
    redacted = redact(text, findings)
    assert s.ANTHROPIC_KEY not in redacted and OWN_KEY not in redacted
    assert find_secrets(redacted, own_keys=[OWN_KEY]) == []  # redacting again finds nothing


def test_redact_skips_overlapping_hand_made_findings() -> None:
    text = "abcdefghij"
    findings = [SecretFinding(2, 6, "x"), SecretFinding(4, 8, "y")]
    assert redact(text, findings) == "ab[REDACTED:x]ghij"


def test_policy_off_finds_nothing_and_the_note_names_count_and_kinds() -> None:
    text = f"{s.AWS_KEY}\npass" + f"word = {s.PW_VALUE}"
    assert SecretPolicy("off").findings(text) == []
    result = redact_for_sending(text, SecretPolicy("ask"))
    assert result.text == "[REDACTED:aws-key]\npassword = [REDACTED:password]"
    assert describe_findings(result.findings) == "2 secrets (aws-key, password)"
    assert result.note == (
        "redacted 2 secrets (aws-key, password) before sending; "
        'set redact = "off" on the profile to send as is'
    )
    assert redact_for_sending("hello", SecretPolicy("always")).findings == ()


def test_the_preview_never_shows_a_secret() -> None:
    text = f"one\ntwo {s.ANTHROPIC_KEY}\npass" + f"word = {s.PW_VALUE}"
    previews = [masked_preview(text, f) for f in find_secrets(text)]
    assert previews[0].startswith("line 2: sk-")
    assert s.ANTHROPIC_KEY not in previews[0] and s.ANTHROPIC_KEY[-8:-4] not in previews[0]
    assert previews[1] == "line 3: ••••"
