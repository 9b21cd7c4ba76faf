"""Client-side rate limits: ``rpm`` and ``tpm`` as token buckets shared across processes.

The wire layer knows only the :class:`~claude_tui.wire.RequestGate` protocol; the endpoint
pool imports this package (on first use, only for a profile with ``rpm`` or ``tpm``) and
gives its :class:`SharedRateGate` to the clients it makes.
"""

from __future__ import annotations

from claude_tui.rate_limits.bucket_file import BucketFile
from claude_tui.rate_limits.shared_gate import SharedRateGate, bucket_key
from claude_tui.rate_limits.token_bucket import TokenBucket

__all__ = ["BucketFile", "SharedRateGate", "TokenBucket", "bucket_key"]
