"""Copy as curl: the command parses, sends the exact body, and names the key's variable."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from claude_tui.request_log import curl_command
from claude_tui.request_log.curl_command import INLINE_BODY_LIMIT

from .records import KEY, MASKED_KEY, body_of, record

HOSTILE_TEXT = (
    'it\'s "quoted", $HOME and ${PATH}, `date`, $(rm -rf /), \\n backslash \\, !history, '
    "a tab\t, café ☕, and a line that reads\nJSON\nin the middle"
)

FAKE_CURL = r"""
curl() {
    for argument in "$@"; do printf 'ARG:%s\0' "$argument"; done
    if [[ " $* " == *" @- "* ]]; then printf 'STDIN:'; cat; fi
}
"""


def run_as_curl(command: str, **env: str) -> tuple[list[str], str | None]:
    """Run ``command`` in bash with curl replaced by a function that prints what it got:
    its arguments and, for ``@-``, its standard input."""
    with tempfile.TemporaryDirectory() as folder:  # a file: a huge body exceeds ARG_MAX
        script = Path(folder) / "copied.sh"
        script.write_text(FAKE_CURL + command, encoding="utf-8")
        result = subprocess.run(
            ["bash", str(script)],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env={"PATH": os.environ["PATH"], **env},
            check=True,
        )
    out = result.stdout.decode("utf-8")
    arguments: list[str] = []
    stdin: str | None = None
    rest = out
    while rest.startswith("ARG:"):
        argument, _, rest = rest[4:].partition("\0")
        arguments.append(argument)
    if rest.startswith("STDIN:"):
        stdin = rest[len("STDIN:") :]
    return arguments, stdin


def bash_parses(command: str) -> bool:
    return subprocess.run(["bash", "-n"], input=command.encode(), check=False).returncode == 0


def test_a_short_body_goes_inline_and_bash_hands_curl_the_exact_bytes() -> None:
    body = body_of(HOSTILE_TEXT)
    assert len(body) <= INLINE_BODY_LIMIT
    command = curl_command(record(body=body))
    assert "--data-raw" in command and "<<" not in command
    assert bash_parses(command)
    arguments, _stdin = run_as_curl(command, RELAY_KEY="the-key-from-the-shell")
    assert arguments[arguments.index("--data-raw") + 1] == body


def test_a_long_body_goes_in_a_heredoc_that_no_line_of_it_can_end_early() -> None:
    body = (
        body_of("x" * 50_000) + "\nJSON\nJSON_2\n" + body_of("after")
    )  # lines that look like ends
    command = curl_command(record(body=body))
    assert "--data-binary @- <<'JSON_3'" in command
    assert bash_parses(command)
    arguments, stdin = run_as_curl(command, RELAY_KEY="k")
    assert "@-" in arguments
    assert stdin == body + "\n"  # the heredoc's own newline, which JSON ignores


def test_a_huge_body_is_fine() -> None:
    body = body_of("y" * 3_000_000)
    command = curl_command(record(body=body))
    assert bash_parses(command)
    _arguments, stdin = run_as_curl(command, RELAY_KEY="k")
    assert stdin == body + "\n"


@pytest.mark.parametrize(
    ("auth", "variable", "expected"),
    [
        ("bearer", "$RELAY_KEY", '-H "authorization: Bearer $RELAY_KEY"'),
        ("x-api-key", "$API_KEY", '-H "x-api-key: $API_KEY"'),
        ("x-api-key", "$API_KEY_2", '-H "x-api-key: $API_KEY_2"'),
    ],
)
def test_the_key_header_names_the_variable_and_the_shell_fills_it_in(
    auth: str, variable: str, expected: str
) -> None:
    command = curl_command(record(auth=auth, key_variable=variable))
    assert expected in command
    assert MASKED_KEY not in command and KEY not in command
    arguments, _stdin = run_as_curl(command, **{variable[1:]: KEY})
    sent = [a for a in arguments if a.lower().startswith(("authorization:", "x-api-key:"))]
    scheme = "Bearer " if auth == "bearer" else ""
    assert sent == [f"{auth if auth != 'bearer' else 'authorization'}: {scheme}{KEY}"]


def test_a_variable_that_is_not_a_shell_name_falls_back_to_api_key() -> None:
    command = curl_command(record(key_variable="$(touch /tmp/x)"))
    assert '"authorization: Bearer $API_KEY"' in command


def test_every_other_header_is_sent_as_it_was_and_secret_ones_stay_masked() -> None:
    headers = {
        "user-agent": "claude-tui/test",
        "content-type": "application/json",
        "x-relay-token": "tok…abcd",
        "x-note": "it's $fine",
        "authorization": f"Bearer {MASKED_KEY}",
    }
    command = curl_command(record(request_headers=headers))
    arguments, _stdin = run_as_curl(command, RELAY_KEY="k")
    assert "user-agent: claude-tui/test" in arguments
    assert "x-relay-token: tok…abcd" in arguments
    assert "x-note: it's $fine" in arguments
    assert "authorization: Bearer k" in arguments
    assert arguments[arguments.index("-N") + 1] == "http://127.0.0.1:9/v1/messages"


def test_a_request_without_a_key_has_no_key_header() -> None:
    headers = {"content-type": "application/json"}
    command = curl_command(record(request_headers=headers, auth_header=None, key_variable=None))
    assert "$" not in command.split("--data-raw")[0]
    assert bash_parses(command)


def test_older_bodies_are_let_go_past_the_budget_and_the_newest_always_kept() -> None:
    from claude_tui.wire import keep_recent_bodies

    log = [record(body=body_of(str(n) * 100)) for n in range(5)]
    size = len(log[0].body or "")
    keep_recent_bodies(log, budget=size * 2)
    assert [r.body is not None for r in log] == [False, False, False, True, True]
    assert [r.body_forgotten for r in log] == [True, True, True, False, False]
    huge = [record(body=body_of("z" * 1000))]
    keep_recent_bodies(huge, budget=10)
    assert huge[0].body is not None  # the newest keeps its own, whatever its size
