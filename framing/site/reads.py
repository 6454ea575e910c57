"""What a page reads of the archive, recorded as it reads it.

Page functions read the archive through an EditionView, whose collections are the recorded ones
made here: looking up an article by its slug records ("articles", slug), walking every claim records
("claims", ALL), slicing the article list records ("articles#order", ALL) and each article in the
slice. Nothing lists by hand what a page depends on: a page that starts to read something records
it the first time it runs.

A read is recorded into every recording() open in this thread (a nested one, such as a display
value made once and shared by many pages, hands its reads to the page that asked, and replay()
hands them to every later page that reuses the value). Digests.of() gives the digest of what a
read saw, for a later build to compare: a page is current while each of its reads has the digest
it had.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from typing import Callable, Iterable, Iterator, TypeVar

from framing.source.fingerprint import fingerprint

T = TypeVar("T")
ALL = "*"  # the key of a read of a whole collection (no slug, id or number is "*")
ORDER = "#order"  # appended to a list's name: the read of which items it holds, in which order
Read = tuple[str, object]  # (collection, key)

_open: contextvars.ContextVar[tuple[set[Read], ...]] = contextvars.ContextVar("recordings", default=())


@contextlib.contextmanager
def recording() -> Iterator[set[Read]]:
    """The reads made inside the block (they are also handed to any recording open around it)."""
    reads: set[Read] = set()
    token = _open.set(_open.get() + (reads,))
    try:
        yield reads
    finally:
        _open.reset(token)
        replay(reads)


def record(collection: str, key: object) -> None:
    for reads in _open.get():
        reads.add((collection, key))


def replay(reads: Iterable[Read]) -> None:
    """Record reads made earlier, by the making of a value now reused."""
    for recorded in _open.get():
        recorded.update(reads)


class RecordedMap(Mapping):
    """A read-only dict whose look-ups are recorded under its name."""

    def __init__(self, name: str, data: Mapping) -> None:
        self.name, self.data = name, data

    def __getitem__(self, key: object) -> object:
        record(self.name, key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        record(self.name, key)
        return key in self.data

    def __iter__(self) -> Iterator:
        record(self.name, ALL)
        return iter(self.data)

    def __len__(self) -> int:
        record(self.name, ALL)
        return len(self.data)


class RecordedList(Sequence):
    """A read-only list of records, each known by key(record): walking it records the whole list,
    taking an item records that item, and a slice records the order and each item in it."""

    def __init__(self, name: str, items: Sequence, key: Callable[[object], object]) -> None:
        self.name, self.items, self.key = name, items, key

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            record(self.name + ORDER, ALL)
            chosen = self.items[index]
            for item in chosen:
                record(self.name, self.key(item))
            return chosen
        item = self.items[index]
        record(self.name + ORDER, ALL)
        record(self.name, self.key(item))
        return item

    def __iter__(self) -> Iterator:
        record(self.name, ALL)
        return iter(self.items)

    def __len__(self) -> int:
        record(self.name + ORDER, ALL)
        return len(self.items)

    def __bool__(self) -> bool:
        record(self.name + ORDER, ALL)
        return bool(self.items)


_GONE = b"\0gone"  # the digest of what a read sees of a key its collection no longer holds


def digest(value: object, memo: dict[int, bytes] | None = None) -> bytes:
    """A digest of a value: a record's own fingerprint, or one made of its parts. memo: the digests
    of the records without a fingerprint of their own (a shared passage, which every page of each of
    its carriers reads) made so far, by id: each is digested once however many values hold it."""
    kind = type(value)
    if kind is str:  # the commonest values, digested without pickling
        return hashlib.sha256(b"s" + value.encode("utf-8", "surrogatepass")).digest()
    if kind is int:
        return hashlib.sha256(b"i%d" % value).digest()
    own = getattr(value, "fingerprint", None)
    if isinstance(own, bytes):
        return own
    if isinstance(value, (list, tuple)):
        return hashlib.sha256(b"".join(digest(item, memo) for item in value)).digest()
    if memo is not None and dataclasses.is_dataclass(value):
        made = memo.get(id(value))
        if made is None:
            made = memo[id(value)] = fingerprint(value)
        return made
    return fingerprint(value)


class Digests:
    """The digest of what each read sees in one archive's collections, each made once."""

    def __init__(self, collections: Iterable[RecordedMap | RecordedList]) -> None:
        self.collections = {c.name: c for c in collections}
        self._made: dict[Read, bytes] = {}
        self._keyed: dict[str, dict] = {}  # a list's items by their key, made when first needed
        self._records: dict[int, bytes] = {}  # digest()'s memo; the records it is of live as long as the collections

    def of(self, read: Read) -> bytes:
        made = self._made.get(read)
        if made is None:
            made = self._made[read] = self._digest(*read)
        return made

    def current(self, reads: Mapping[Read, bytes]) -> bool:
        """True when every read sees what it saw when it was recorded."""
        return all(self.of(read) == seen for read, seen in reads.items())

    def _digest(self, name: str, key: object) -> bytes:
        if name.endswith(ORDER):
            listed = self.collections.get(name[:-len(ORDER)])
            return fingerprint([listed.key(item) for item in listed.items]) if isinstance(listed, RecordedList) else _GONE
        collection = self.collections.get(name)
        if isinstance(collection, RecordedList):
            if key == ALL:
                return digest(list(collection.items), self._records)
            keyed = self._keyed.get(name)
            if keyed is None:
                keyed = self._keyed[name] = {collection.key(item): item for item in collection.items}
            return digest(keyed[key], self._records) if key in keyed else _GONE
        if isinstance(collection, RecordedMap):
            if key == ALL:
                return fingerprint([(k, digest(v, self._records)) for k, v in collection.data.items()])
            return digest(collection.data[key], self._records) if key in collection.data else _GONE
        return _GONE
