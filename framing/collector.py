"""The cyclic garbage collector while a build holds a large archive in memory.

A large archive is hundreds of thousands of long-lived records, which every full collection walks
again, and only loading makes reference cycles: the YAML and Markdown parsers' trees. The rest of a
build makes none (tests/test_incremental.py checks it), so the collector is off but for loading.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """The cyclic garbage collector off while a build holds the archive in memory, but for the
    loading of content (collecting()); its settings are restored afterwards."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Inside few_collections(), the collector on for a stage that makes reference cycles: seldom,
    blind to the objects made before (frozen, until few_collections() ends), and once more at the
    end for the cycles still young. Where the collector is on already, nothing changes."""
    if gc.isenabled():
        yield
        return
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.collect(1)
