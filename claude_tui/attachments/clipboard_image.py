"""An image from the system clipboard, through the clipboard tool the system has.

``wl-paste`` (Wayland), ``xclip`` (X11) or ``pbpaste`` (macOS, which hands over only what it
can as bytes), tried in that order among those on ``PATH``. Blocking (a subprocess): the UI
calls it from a thread. Fails with :class:`ClipboardError` saying which tool to install, or
what the clipboard holds instead of an image.
"""

from __future__ import annotations

import shutil
import subprocess

from claude_tui.attachments.attachment_errors import ClipboardError
from claude_tui.attachments.file_kinds import detect_kind

TOOL_TIMEOUT = 5.0
TOOLS = ("wl-paste", "xclip", "pbpaste")

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def clipboard_image() -> tuple[bytes, str]:
    """The clipboard's image bytes and a file name for them (``clipboard.png``)."""
    found = [tool for tool in TOOLS if shutil.which(tool)]
    if not found:
        raise ClipboardError(
            "No clipboard tool was found to paste an image: install wl-clipboard (Wayland) "
            "or xclip (X11), or save the image and use /attach PATH."
        )
    reasons: list[str] = []
    for tool in found:
        try:
            data = _image_from(tool)
        except (OSError, subprocess.SubprocessError) as error:
            reasons.append(f"{tool} failed ({error})")
            continue
        if data is None:
            reasons.append(f"{tool} found no image on the clipboard")
            continue
        kind = detect_kind(data, "clipboard")
        return data, f"clipboard.{_EXTENSIONS.get(kind.media_type, 'png')}"
    raise ClipboardError("The clipboard holds no image: " + "; ".join(reasons) + ".")


def _image_from(tool: str) -> bytes | None:
    if tool == "wl-paste":
        types = _run(["wl-paste", "--list-types"]).decode("utf-8", "replace").split()
        image_type = next((t for t in types if t in _EXTENSIONS), None)
        if image_type is None:
            return None
        return _checked(_run(["wl-paste", "--no-newline", "--type", image_type]))
    if tool == "xclip":
        targets = _run(["xclip", "-selection", "clipboard", "-t", "TARGETS", "-o"])
        image_type = next(
            (t for t in targets.decode("utf-8", "replace").split() if t in _EXTENSIONS), None
        )
        if image_type is None:
            return None
        return _checked(_run(["xclip", "-selection", "clipboard", "-t", image_type, "-o"]))
    return _checked(_run(["pbpaste"]))


def _checked(data: bytes) -> bytes | None:
    """``data`` if it is an image the API takes, else None."""
    try:
        return data if detect_kind(data, "clipboard").kind == "image" else None
    except ValueError:
        return None


def _run(command: list[str]) -> bytes:
    result = subprocess.run(
        command, capture_output=True, timeout=TOOL_TIMEOUT, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        return b""
    return result.stdout
