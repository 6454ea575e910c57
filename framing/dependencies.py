"""What a page reads, digested without assembling it: the key of its dependency record.

A rebuild takes a page from the previous site without even assembling it when the digest of
everything its page function reads is the one recorded for it (framing/pagecache.py). After an edit
to one annotation, that leaves the pages of its article, its claim and its theme to assemble instead
of every page of the archive. What each kind of page reads, and so what its digest covers:

- every page, of its edition: the site configuration, the interface strings, the published asset
  names, the editions, every theme, claim and text page (the navigation and footer, labels,
  verdicts, and links written claim:/theme:/page: in any markdown), and the script overrides
  (content/script-overrides.yaml: how Chinese text reads in Traditional script);
- an article page: its article, its annotations in the order the page shows them, and of each
  passage it shares with other articles: the passage's id, where it stands in this article, how
  many articles carry it, and what a note shows of the first of them;
- a claim page: every passage that carries the claim, in order;
- a theme page: its passages with their note numbers (every passage of each claim it shows is one
  of them: the loader holds an annotation to its claim's theme), what the matrix shows of every
  article, and on the theme that lists shared passages, what that list shows;
- the index: what it shows of every article, where every annotation stands (article, theme, claim),
  and the events of the timeline;
- a page of the article list: what it shows of its articles, and how many there are;
- the files beside the pages, as every page of the default edition (or, for a feed, of its own)
  and: the open data of the annotations, every article and annotation; that of the claims, which
  passage of which article carries each claim; that of the shared passages, every article (the
  passages are found in their text); a feed, the newest articles and their annotations.

A passage stands for its annotation record and its article's record, whose fingerprint covers the
text the passage marks and what a page shows of the article. (So an edit anywhere in an article's
text also makes again the claim and theme pages that show its passages; archived text is verbatim,
so such edits are rare. Slicing and encoding the marked text of every passage made the claim
pages' digests take 2.5 s of every rebuild at 10,000 articles; they take 0.5 s now.) A record
stands for its fingerprint, and what is shown of an article for a second digest of it
(framing/records.py), each made with the record and kept with it in the build cache, so that an
unchanged record is not digested again at every build. The digests of an article's page, a
claim's and a theme's are made once, for every edition (in the main process, which tells the
workers which pages to render: framing/render.py). The generator's own source is part of every
digest (pagecache's salt), so a change to what the pages read invalidates every record;
tests/test_dependencies.py checks that after each kind of edit a rebuild gives the bytes of a clean
build. Values are digested as framing/fingerprint.py writes them, as pagecache does contexts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
from typing import TYPE_CHECKING, Callable, Iterable

from .fingerprint import pickled
from .records import Annotation, Archive, Article

if TYPE_CHECKING:
    from .pages import ArchiveIndex, EditionView
    from .shared import SharedPassage

_SPAN = struct.Struct("<III")  # a span's paragraph, start and end


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def edition_reads(view: "EditionView") -> bytes:
    """A digest of what any page of the edition reads beyond the articles and annotations (made once per edition)."""
    def make() -> bytes:
        archive = view.archive
        values = (view.edition, view.editions, archive.config, dict(view.strings), view.assets,
                  archive.themes, archive.claims, archive.pages, view.converter.overrides)
        return _sha(pickled(values))
    return view.remembered(("reads", "edition"), make)


@dataclasses.dataclass(frozen=True)
class Limits:
    """How much of a long list a page shows (set by framing/pages.py): each digest covers what is shown."""

    named: int  # articles a note beside a shared passage may name, its own included
    shared_listed: int  # shared passages the shared theme page lists
    carriers_listed: int  # articles named under each of them


class PageReads:
    """Digests of what pages read, for one plan of the site (per process: each worker keeps its own)."""

    def __init__(self, index: "ArchiveIndex", limits: Limits) -> None:
        self._index, self._limits = index, limits
        self._made: dict[tuple[str, str], bytes] = {}

    def _once(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        found = self._made.get((kind, key))
        if found is None:
            found = self._made[(kind, key)] = make()
        return found

    # -- the pieces pages share
    def shown(self, slug: str) -> bytes:
        """What a list entry, a note or a passage shows of an article: every field but its text (a
        digest made with the record)."""
        return self._index.articles[slug].shown

    def passage(self, annotation: Annotation) -> bytes:
        """An annotation with its article (the text it marks, and what is shown of the article), to
        digest (each passage is read by its theme's page and its claim's, whose digests are made once each)."""
        return annotation.fingerprint + self._index.articles[annotation.article].fingerprint

    def _claim_passages(self, claim_id: str) -> bytes:
        return self._once("claim", claim_id, lambda: _sha(b"".join(self.passage(a) for a in self._index.by_claim[claim_id])))

    def _every_article(self) -> bytes:
        """What is shown of every article, in the archive's order, with how many notes each has."""
        def make() -> bytes:
            digest = hashlib.sha256()
            for slug, notes in self._index.by_article.items():
                digest.update(self.shown(slug) + len(notes).to_bytes(4, "big"))
            return digest.digest()
        return self._once("every", "article", make)

    def _shared_list(self) -> bytes:
        """What the shared theme page lists: its passages and the first articles of each."""
        def make() -> bytes:
            index, limits = self._index, self._limits
            digest = hashlib.sha256(len(index.shared).to_bytes(4, "big"))
            for passage in index.shared[:limits.shared_listed]:
                first = passage.occurrences[0]
                span = first.spans[0]
                text = index.articles[first.article].paragraphs[span.paragraph][span.start:span.end]
                digest.update(pickled((passage.id, len(passage.occurrences), first, text)))
                for occurrence in passage.occurrences[:limits.carriers_listed]:
                    digest.update(self.shown(occurrence.article))
            return digest.digest()
        return self._once("every", "shared", make)

    # -- the pages
    def article(self, view: "EditionView", article: Article) -> bytes:
        """A digest of everything the article's page in view's edition reads."""
        def make() -> bytes:
            # The article's fingerprint covers its text and what is shown of it: each passage's all but the annotation.
            digest = hashlib.sha256(article.fingerprint)
            for annotation in self._index.by_article[article.slug]:
                digest.update(annotation.fingerprint)
            for passage, occurrence in self._index.shared_by_article.get(article.slug, []):
                digest.update(self._shared_note(passage))  # a talking point is in thousands of articles: keep this cheap
                digest.update(len(occurrence.spans).to_bytes(4, "big"))
                digest.update(b"".join(_SPAN.pack(s.paragraph, s.start, s.end) for s in occurrence.spans))
            return digest.digest()
        return _sha(edition_reads(view) + self._once("article", article.slug, make))

    def _shared_note(self, passage: "SharedPassage") -> bytes:
        """What a note beside a shared passage shows of the first articles that carry it."""
        def make() -> bytes:
            first = b"".join(self.shown(slug) for slug in passage.articles[:self._limits.named])
            return _sha(pickled((passage.id, len(passage.articles))) + first)
        return self._once("note", passage.id, make)

    def claim(self, view: "EditionView", claim_id: str) -> bytes:
        """A digest of everything the claim's own page reads."""
        return _sha(edition_reads(view) + pickled(("claim", claim_id)) + self._claim_passages(claim_id))

    def theme(self, view: "EditionView", slug: str) -> bytes:
        """A digest of everything the theme's page reads."""
        def make() -> bytes:
            index = self._index
            digest = hashlib.sha256(pickled(("theme", slug)))
            for annotation in index.by_theme[slug]:  # the passages of its claims among them, in the same order
                digest.update(self.passage(annotation) + index.numbers[annotation.id].to_bytes(4, "big"))
            digest.update(self._every_article())  # the matrix's columns
            if slug == view.archive.config.shared_theme:
                digest.update(self._shared_list())
            return digest.digest()
        return _sha(edition_reads(view) + self._once("theme", slug, make))

    def overview(self, view: "EditionView") -> bytes:
        """A digest of everything the index reads."""
        def make() -> bytes:
            archive = view.archive
            places = tuple((a.id, a.article, a.theme, a.claim) for a in archive.annotations)
            return _sha(pickled(("index", places, archive.events)) + self._every_article())
        return _sha(edition_reads(view) + self._once("every", "overview", make))

    def article_list(self, view: "EditionView", number: int, count: int, shown: list[str]) -> bytes:
        """A digest of everything page number (of count) of the article list reads: the articles it
        shows, and how many articles there are."""
        by_article = self._index.by_article
        digest = hashlib.sha256(edition_reads(view) + pickled(("list", number, count, shown, len(by_article))))
        for slug in shown:
            digest.update(self.shown(slug) + len(by_article[slug]).to_bytes(4, "big"))
        return digest.digest()


# ---------------------------------------------------------------- the files beside the pages

def _fingerprints(records: Iterable[Annotation | Article]) -> bytes:
    """A digest of the records' fingerprints, in order."""
    return _sha(b"".join(record.fingerprint for record in records))


def annotations_reads(view: "EditionView") -> bytes:
    """What the open data of the annotations reads: every article (its text too) and annotation."""
    archive = view.archive
    return _sha(b"annotations" + edition_reads(view) + _fingerprints(archive.articles) + _fingerprints(archive.annotations))


def claims_reads(view: "EditionView") -> bytes:
    """What the open data of the claims reads: the claims, and which passage of which article carries each."""
    def make() -> bytes:
        carried = "\n".join(f"{a.claim}\0{a.id}\0{a.article}" for a in view.archive.annotations if a.claim)
        return _sha(b"claims" + edition_reads(view) + carried.encode("utf-8"))
    return view.remembered(("reads", "claims"), make)


def shared_reads(view: "EditionView") -> bytes:
    """What the open data of the shared passages reads: every article's text, which the passages are
    found in (with the minimum length, part of the configuration), and what is shown of each."""
    return _sha(b"shared" + edition_reads(view) + _fingerprints(view.archive.articles))


def carried_reads(archive: Archive, carried: list[Article]) -> bytes:
    """What the feeds read of the content: the newest articles, which they carry with their
    annotations (the newest date of the content is theirs or a claim source's)."""
    slugs = {article.slug for article in carried}
    return _fingerprints(carried) + _fingerprints(a for a in archive.annotations if a.article in slugs)


def feed_reads(view: "EditionView", carried: bytes) -> bytes:
    """What an edition's feed reads: carried (carried_reads()), and what every page of it reads."""
    return _sha(b"feed" + edition_reads(view) + carried)
