"""The pages an earlier build rendered, so that a rebuild renders again only those whose input changed.

A page's input is everything its rendering reads: the generator (its sources and library versions),
every file under templates/, the template's name and the page's assembled context. A digest of all
of them is recorded for each page with a digest of the bytes it rendered to and one of the text the
search indexer read of it. The next build still assembles every page (the context is what tells
whether the page changed), but where the digest of a page's input is the one recorded, it takes the
page from the previous site instead of rendering it (a hard link into the new tree), once it has
checked that the file there still holds the recorded bytes; and the search indexer makes the page's
text again only if the page's shard is not in the cache. So a changed input can never be missed, and
a site edited by hand or left half-copied is rendered again, never trusted.

Contexts are plain values (dicts, lists, strings, Markup, numbers), digested as pickle writes them:
it tells their types apart (a str and a Markup with the same text render differently) and keeps the
order of every dict. Its memo is off, so that only values count, not which of them happen to be one
object (a memoised conversion is in one build and not in the next).
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from pathlib import Path

RECORD_FILE = "pages.json"
NOT_INDEXED = "-"  # the search digest of a page the indexer does not read
UNKNOWN = ""  # the search digest of a page built without the search index

Entry = tuple[str, str, str]  # digests of a page's input, its bytes and its search text (or NOT_INDEXED, UNKNOWN)
_PROTOCOL = 5  # fixed, so that one Python gives the same digests from one build to the next


def templates_digest(templates: Path) -> str:
    """A digest of every file under templates/ (names and bytes): any of them may shape any page."""
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class RenderedPages:
    """What the previous build rendered, read when made; what this build rendered, written by save().

    salt: digests of the generator and the templates (a record made under others is not read).
    site: the folder the previous build's pages are in (the output folder, until the new one is swapped in).
    """

    def __init__(self, folder: Path, site: Path, salt: str) -> None:
        self.folder, self.site, self.salt = folder, site, salt
        self.known = self._read()
        self.made: dict[str, Entry] = {}

    def _read(self) -> dict[str, Entry]:
        try:
            data = json.loads((self.folder / RECORD_FILE).read_text(encoding="utf-8"))
            if data.get("salt") != self.salt:
                return {}
            known = {}
            for path, entry in data["pages"].items():
                input_digest, output_digest, search_digest = entry
                known[path] = (str(input_digest), str(output_digest), str(search_digest))
            return known
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # missing or unreadable: every page is rendered

    def input_digest(self, template: str, context: dict) -> str | None:
        """The digest of what rendering a page reads; None for a context that is not plain values."""
        written = io.BytesIO()
        pickler = pickle.Pickler(written, protocol=_PROTOCOL)
        pickler.fast = True  # no memo: a context is a tree, never a loop
        try:
            pickler.dump(context)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return None  # rendered every time
        digest = hashlib.sha256(f"{self.salt}\0{template}\0".encode("utf-8"))
        digest.update(written.getbuffer())
        return digest.hexdigest()

    def previous(self, path: str, input_digest: str | None) -> tuple[Entry, bytes] | None:
        """The record and bytes of what the previous build rendered for this page from the same input,
        if the site still holds them."""
        entry = self.known.get(path)
        if input_digest is None or entry is None or entry[0] != input_digest:
            return None
        try:
            data = (self.site / path).read_bytes()
        except OSError:
            return None
        return (entry, data) if hashlib.sha256(data).hexdigest() == entry[1] else None

    def note(self, path: str, entry: Entry) -> None:
        """Record a page of this build."""
        self.made[path] = entry

    def record(self) -> bytes:
        """This build's record, for save() to write beside the rest of the cache."""
        return json.dumps({"salt": self.salt, "pages": self.made}, sort_keys=True, separators=(",", ":")).encode("utf-8")
