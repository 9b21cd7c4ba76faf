"""``claude-tui sessions list|show|export|import|delete``.

``sessions list --json`` prints one JSON list, as it always has: a row per session, newest
first (``id``, ``title``, ``created``, ``updated``, ``profile``, ``model``,
``message_count``), then a row per file that was skipped, marked ``"skipped": true``
(``id`` — the session id its name gives, or null for the index —, ``path``, ``reason``).
A script that only wants sessions keeps the rows without ``skipped``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from claude_tui.atomic_write import write_atomic
from claude_tui.sessions.session_index import INDEX_FILE_NAME
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.skipped_file import SkippedFile
from claude_tui.sessions.transfer import export_json, export_markdown, import_json

UNTITLED = "(untitled)"


def build_parser() -> argparse.ArgumentParser:
    """The ``sessions`` subcommand's parser."""
    parser = argparse.ArgumentParser(prog="claude-tui sessions", description="Saved sessions.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list sessions, newest first")
    listing.add_argument(
        "--json",
        action="store_true",
        help='machine-readable output; skipped files come last, as rows with "skipped": true',
    )
    listing.add_argument("-n", "--limit", type=int, default=0, help="show at most N sessions")
    show = commands.add_parser("show", help="print a session as Markdown")
    show.add_argument("id", help="session id or a unique prefix of it")
    export = commands.add_parser("export", help="export a session")
    export.add_argument("id")
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    importing = commands.add_parser("import", help="import a session from an export JSON file")
    importing.add_argument("file", type=Path)
    delete = commands.add_parser("delete", help="delete a session")
    delete.add_argument("id")
    return parser


def run_sessions_command(argv: Sequence[str], store: SessionStore | None = None) -> int:
    """Run one ``sessions`` command; returns the exit code."""
    args = build_parser().parse_args(list(argv))
    store = store or SessionStore()
    if args.command == "list":
        return _list(store, as_json=args.json, limit=args.limit)
    if args.command == "show":
        sys.stdout.write(export_markdown(store.open(args.id)))
        return 0
    if args.command == "export":
        session = store.open(args.id)
        if args.format == "json":
            text = json.dumps(export_json(session), ensure_ascii=False, indent=2) + "\n"
        else:
            text = export_markdown(session)
        if args.output:
            try:
                write_atomic(args.output, text)
            except OSError as exc:
                print(f"claude-tui: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
                return 1
            print(f"Exported '{session.title or UNTITLED}' to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "import":
        return _import(store, args.file)
    session = store.open(args.id)
    store.delete(session.id)
    print(f"Deleted session {session.id} ({session.title or UNTITLED})")
    return 0


def _list(store: SessionStore, *, as_json: bool, limit: int) -> int:
    summaries = store.list()
    if limit > 0:
        summaries = summaries[:limit]
    if as_json:
        rows: list[dict[str, object]] = [
            {
                "id": s.id,
                "title": s.title,
                "created": s.created,
                "updated": s.updated,
                "profile": s.profile,
                "model": s.model,
                "message_count": s.message_count,
            }
            for s in summaries
        ]
        rows.extend(_skipped_row(store, skipped) for skipped in store.skipped)
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        _report_skipped(store)
        return 0
    if not summaries:
        print("No saved sessions yet. Start one with: claude-tui")
        _report_skipped(store)
        return 0
    now = time.time()
    for s in summaries:
        model = f"{s.profile}/{s.model}" if s.profile else (s.model or "")
        age = _age(now - s.updated)
        title = s.title or UNTITLED
        print(f"{s.id}  {age:>8}  {s.message_count:>4} msgs  {model:<28}  {title}")
    _report_skipped(store)
    return 0


def _report_skipped(store: SessionStore) -> None:
    for skipped in store.skipped:
        print(f"claude-tui: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)


def _skipped_row(store: SessionStore, skipped: SkippedFile) -> dict[str, object]:
    session_id = skipped.path.stem if skipped.path.parent == store.root else None
    if skipped.path.name == INDEX_FILE_NAME:
        session_id = None
    return {
        "id": session_id,
        "skipped": True,
        "path": str(skipped.path),
        "reason": skipped.reason,
    }


def _import(store: SessionStore, file: Path) -> int:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"claude-tui: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"claude-tui: {file} is not JSON (line {exc.lineno}: {exc.msg})", file=sys.stderr)
        return 1
    try:
        session = import_json(data, store)
    except ValueError as exc:
        print(f"claude-tui: {file}: {exc}", file=sys.stderr)
        return 1
    print(session.id)
    return 0


def _age(seconds: float) -> str:
    """'3m ago' style ages for the list."""
    seconds = max(seconds, 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"
