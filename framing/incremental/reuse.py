"""Everything a build reuses from the last build of the same output folder, behind one object.

It lives beside the output folder (`.site.cache/` for `site/`): the store (store.sqlite: what each
content file gave when loaded, compiled templates, the passages articles share, the record of every
output and of the last build), the search indexer's runs (search/), and the site before last
(spare/), which the next build's writer brings up to date instead of writing a whole tree
(framing/output/write.py). Nothing in it is needed: deleting it only makes the next build slower.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Callable, Sequence

import jinja2

from framing.incremental import inputs
from framing.incremental.memo import FileMemo, keep_memo, memo_from
from framing.incremental.outputs import Outputs, Read
from framing.incremental.runs import SearchRuns
from framing.incremental.store import Store

STORE_FILE = "store.sqlite"
SEARCH_FOLDER = "search"
SPARE_FOLDER = "spare"


def cache_folder(out_dir: Path) -> Path:
    """Where what the build of out_dir reuses lives: beside it, never inside it."""
    out_dir = out_dir.absolute()
    return out_dir.with_name(f".{out_dir.name}.cache")


class TemplateBytecode(jinja2.BytecodeCache):
    """Jinja2's compiled templates, kept in the store (Jinja2 checks each against its template's source)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get("bytecode", bucket.key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)
        else:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put("bytecode", bucket.key, bucket.bytecode_to_string())


class Reuse:
    """What the last build of out_dir left for this one, and what this one leaves for the next."""

    def __init__(self, out_dir: Path) -> None:
        folder = cache_folder(out_dir)
        self.site = out_dir
        self.store = Store(folder / STORE_FILE)
        self.bytecode = TemplateBytecode(self.store)
        self.runs = SearchRuns(folder / SEARCH_FOLDER)
        self.spare = folder / SPARE_FOLDER
        self.outputs: Outputs | None = None

    @functools.cached_property
    def memo(self) -> FileMemo:
        """What each content file gave when last loaded (read from the store when first asked for)."""
        return memo_from(self.store)

    def shared_passages(self, texts: Sequence[tuple[str, Sequence[str]]], min_length: int, find: Callable[[], object]) -> object:
        """find(), or what it gave for exactly the same article texts (slug, paragraphs) and minimum length."""
        digest = hashlib.sha256(str(min_length).encode())
        for slug, paragraphs in texts:
            digest.update(("\0" + slug + "\0" + "\x01".join(paragraphs)).encode("utf-8"))
        key = digest.hexdigest()
        found = self.store.get("shared", key)
        if found is None:  # the store keeps only the passages of the last texts
            found = find()
            self.store.replace("shared", [(key, found)])
        return found

    def outputs_of(self, salt: str, seen: Callable[[Read], bytes]) -> Outputs:
        """The records of outputs under this salt, seen(read) giving what each read sees now."""
        self.outputs = Outputs(self.store, self.site, salt, seen)
        return self.outputs

    def is_current(self, fingerprint: str) -> bool:
        return inputs.is_current(self.store, self.site, fingerprint)

    def commit(self, fingerprint: str, paths: Sequence[str]) -> None:
        """Keep what this build made, once its output is in place."""
        if "memo" in self.__dict__:  # asked for: loaded
            keep_memo(self.memo, self.store)
        if self.outputs is not None:
            self.outputs.save()
        inputs.remember(self.store, self.site, fingerprint, paths)
        self.store.commit()
        self.runs.save()

    def discard(self) -> None:
        """The build failed: leave everything as the last build left it."""
        self.runs.discard()
        self.store.close()
