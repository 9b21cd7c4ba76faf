"""What an unexpected error (a bug of ours) leaves behind: a scrubbed report file, a one-line
summary, and never a key.

Textual's own crash screen prints a traceback with every frame's local variables, so a bug
raised inside the wire layer put ``headers = {'authorization': 'Bearer <key>'}`` into the
terminal's scrollback. Reports written here hold a plain traceback (no locals), scrubbed of
every key the process knows and of anything shaped like a credential header, in a private
file (mode 0600) under the data folder; the screen only shows :func:`bug_summary`.
"""

from __future__ import annotations

import datetime
import os
import re
import traceback
from collections.abc import Iterable
from pathlib import Path

from claude_tui import __version__, paths
from claude_tui.atomic_write import write_atomic
from claude_tui.profiles.secret_mask import redact

REPORTS_FOLDER = "crash-reports"
"""Sub-folder of the data folder that holds the reports."""

_CREDENTIAL = re.compile(
    r"""(?ix)
    (?P<name>(?:proxy-)?authorization|x-api-key|api[-_]?key|x-goog-api-key|cookie|token)
    (?P<sep>['"]?\s*[:=]\s*[b]?['"]?)
    (?P<value>(?:bearer\s+|basic\s+)?[^\s'",}]+)
    """
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}")
_KEY_SHAPED = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}")
_SUMMARY_LIMIT = 200


def reports_dir() -> Path:
    """Where crash reports are written."""
    return paths.data_dir() / REPORTS_FOLDER


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every known secret masked, and credential-looking values removed.

    Known secrets go first (an exact match, wherever it stands); the patterns then catch a
    key the process did not know, such as one quoted inside an exception from h11.
    """
    text = redact(text, secrets)
    text = _CREDENTIAL.sub(lambda m: f"{m['name']}{m['sep']}[removed]", text)
    text = _BEARER.sub(lambda m: f"{m[1]} [removed]", text)
    return _KEY_SHAPED.sub("[removed]", text)


def format_report(error: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """The report's text: version, time and the traceback without local variables."""
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    lines = traceback.format_exception(error)
    body = "".join(lines)
    header = f"claude-tui {__version__} crash report, {stamp}\n\n"
    return scrub(header + body, list(secrets))


def write_report(error: BaseException, secrets: Iterable[str | None] = ()) -> Path | None:
    """Write the report of ``error`` and return its path; None when it could not be written
    (a full or read-only disk must not turn one error into two)."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = reports_dir() / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        write_atomic(path, format_report(error, secrets), mode=0o600)
    except OSError:
        return None
    return path


def bug_summary(error: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """One line naming the bug: its type, where in claude-tui it was raised, its message."""
    where = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        marker = f"{os.sep}claude_tui{os.sep}"
        if marker in frame.filename:
            relative = frame.filename.split(marker, 1)[1]
            where = f" in claude_tui/{relative.replace(os.sep, '/')} line {frame.lineno}"
            break
    message = " ".join(str(error).split())
    if len(message) > _SUMMARY_LIMIT:
        message = message[: _SUMMARY_LIMIT - 1] + "…"
    text = f"{type(error).__name__}{where}" + (f": {message}" if message else "")
    return scrub(text, list(secrets))


def describe_crash(error: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """What a user is told about a bug: the summary and where the report went."""
    secrets = list(secrets)
    path = write_report(error, secrets)
    where = f"A report (no keys) is in {path}" if path else "No report could be written"
    return f"claude-tui hit a bug: {bug_summary(error, secrets)}. {where}."
