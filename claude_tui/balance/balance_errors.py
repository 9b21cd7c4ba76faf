"""Why a relay's balance could not be read, arranged so callers catch the level they need.

Every message says what failed and what to do, and never holds a key: messages built from
an endpoint's answer are scrubbed of the profile's keys before they get here, and a
command's output is never quoted.
"""

from __future__ import annotations


class BalanceError(Exception):
    """Base of every balance failure; ``str()`` is the sentence shown to the user."""


class NoBalanceSourceError(BalanceError):
    """The profile has nowhere to read a balance from (``balance = "off"``, the official
    APIs, the demo, or ``auto`` found no known shape): nothing to show, nothing broken."""


class BalanceShapeMissingError(BalanceError):
    """The endpoint does not serve this billing shape (404, an HTML page, other JSON).

    Auto detection takes this as a definite "not this shape" and moves on.
    """


class BalanceFetchError(BalanceError):
    """The billing endpoint could not be asked or refused (network, timeout, 5xx, 429, a
    refused redirect, no key): it may answer later, so auto detection remembers nothing."""


class BalanceCommandError(BalanceError):
    """``balance_command`` failed, timed out or printed something that is not a balance."""
