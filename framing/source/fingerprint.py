"""Digests of plain values (records, tuples, strings, numbers), the same from one build to the next.

Values are digested as pickle writes them with a fixed protocol and without memo: pickle tells their
types apart (a str and a Markup with the same text render differently) and keeps the order of every
dict, and without memo only values count, not which of them happen to be one object (a memoised
conversion is one object in one build and two in the next).
"""

from __future__ import annotations

import hashlib
import io
import pickle

_PROTOCOL = 5  # fixed, so that one Python gives the same digests from one build to the next


def pickled(value: object) -> bytes:
    """value as pickle writes it without memo. Raises TypeError, pickle.PicklingError or the like for
    what pickle cannot write."""
    written = io.BytesIO()
    pickler = pickle.Pickler(written, protocol=_PROTOCOL)
    pickler.fast = True  # no memo: the values are trees, never loops
    pickler.dump(value)
    return written.getvalue()


def fingerprint(value: object) -> bytes:
    """A digest of value (32 bytes)."""
    return hashlib.sha256(pickled(value)).digest()
