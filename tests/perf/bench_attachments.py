"""Benchmark: resuming a session with attachments must cost about what it costs without them.

Not collected by pytest (``tests/perf`` is excluded); run it by hand from the repository root:

    python tests/perf/bench_attachments.py [--runs 7]

Budget (issue 11): a 1,000-message session with 20 image attachments resumes within 1.2x the
same session without them. Both sessions hold the same 1,000 messages (``bench_ui``'s ~1.5 MB
of markdown and code); the second has 20 of its prompts carrying one image each (1-3 MB
PNGs in the blob store, 34 MB in all). Each launch is a fresh process through claude-tui's
own ``main`` (``ui_bench_children.py launch-app``), timed until the composer is focused and the
last message is on screen; launches of the two alternate and the medians are compared. The
time to load each session in-process (``SessionStore.open``) is printed beside, to show where
any difference would come from. Nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import struct
import tempfile
import time
import zlib
from pathlib import Path

from bench_ui import _child, _make_session
from ui_bench_children import SESSION_END_MARKER

from claude_tui.attachments import BlobStore, attachment_from_bytes
from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import SessionStore
from claude_tui.sessions.session_settings import SessionSettings

BUDGET = 1.2
IMAGES = 20


def _noisy_png(width: int, height: int, size: int, seed: int) -> bytes:
    """A PNG of ``width`` x ``height`` whose data chunk holds ``size`` random bytes (noise
    does not compress: about the size a screenshot of photos would be)."""
    rng = random.Random(seed)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    noise = rng.randbytes(size)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", noise) + chunk(b"IEND", b"")
    )


def _with_images(store: SessionStore, plain_id: str) -> str:
    """The plain session again, with one image on each of 20 prompts spread over it."""
    messages = [
        ChatMessage.from_json(message.to_json()) for message in store.open(plain_id).messages
    ]
    prompts = [message for message in messages if message.role == "user"]
    step = len(prompts) // IMAGES
    blobs = BlobStore()
    for n in range(IMAGES):
        prompt = prompts[min(len(prompts) - 1, (n + 1) * step - 1)]  # the last one included
        data = _noisy_png(1920, 1080, (1 + n % 3) * 900_000, seed=n)
        block = attachment_from_bytes(data, f"screenshot-{n + 1:02d}.png", blobs)
        prompt.content.insert(0, dict(block))
    session = store.import_session(
        messages=messages,
        title="bench: 1,000 messages, 20 images",
        settings=SessionSettings(profile="bench", model="claude-demo"),
    )
    return session.id


def _median_open_ms(store: SessionStore, session_id: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        SessionStore(store.root).open(session_id)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each session")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-attach-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env["CLAUDE_TUI_CONFIG_DIR"] = str(home / "config")
        env["CLAUDE_TUI_DATA_DIR"] = str(home / "data")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        os.environ.update(env)
        (home / "config").mkdir()
        (home / "config" / "config.toml").write_text(
            'default_profile = "bench"\n\n[profiles.bench]\n'
            'base_url = "http://127.0.0.1:9"\nauth = "none"\nmodel = "claude-demo"\n'
            'thinking = "off"\n',
            encoding="utf-8",
        )
        store = SessionStore()
        plain_id, _chars = _make_session(store)
        images_id = _with_images(store, plain_id)
        blob_bytes = sum(
            path.stat().st_size for path in BlobStore().root.rglob("*") if path.is_file()
        )
        plain_size = store.path_for(plain_id).stat().st_size
        images_size = store.path_for(images_id).stat().st_size
        print(
            f"sessions: 1,000 messages each; {plain_size / 1e6:.3f} MB and {images_size / 1e6:.3f} "
            f"MB on disk; {IMAGES} images, {blob_bytes / 1e6:.1f} MB in the blob store",
            flush=True,
        )
        _child(env, "launch-app", images_id, SESSION_END_MARKER)  # warm-up
        plain: list[float] = []
        with_images: list[float] = []
        for _ in range(args.runs):
            plain.append(_child(env, "launch-app", plain_id, SESSION_END_MARKER)["wall_ms"])
            with_images.append(_child(env, "launch-app", images_id, SESSION_END_MARKER)["wall_ms"])
        open_plain = _median_open_ms(store, plain_id)
        open_images = _median_open_ms(store, images_id)
    plain_ms, images_ms = statistics.median(plain), statistics.median(with_images)
    ratio = images_ms / plain_ms
    verdict = "PASS" if ratio <= BUDGET else "FAIL"
    print(f"resume, last message on screen (median of {args.runs} launches):")
    print(f"  without attachments   {plain_ms:8.1f} ms")
    print(f"  with {IMAGES} images        {images_ms:8.1f} ms")
    print(f"  ratio                 {ratio:8.3f}  (budget <= {BUDGET})  {verdict}")
    print("SessionStore.open, in-process (median of 5):")
    print(f"  without attachments   {open_plain:8.1f} ms")
    print(f"  with {IMAGES} images        {open_images:8.1f} ms")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
