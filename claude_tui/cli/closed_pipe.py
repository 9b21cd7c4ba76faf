"""What every printing command does when its reader goes away (``| head``): stop quietly.

Unix tools die of SIGPIPE without a word; Python instead raises BrokenPipeError at the next
write, and once more when it flushes stdout at exit ("Exception ignored ... BrokenPipeError").
:func:`silence_stdout` points the stdout descriptor at ``/dev/null`` so that last flush has
nowhere to fail.
"""

from __future__ import annotations

import contextlib
import os
import sys


def silence_stdout() -> None:
    """After a BrokenPipeError: send whatever is still buffered for stdout to /dev/null."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
