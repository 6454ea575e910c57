"""What an article page reads, digested without assembling the page: the key of its dependency record.

A rebuild takes an article page from the previous site without even assembling it when the digest
of everything article_page() reads is the one recorded for it (framing/pagecache.py). After an edit
to one annotation, that leaves one article's pages to assemble instead of every article's. What an
article page reads, and so what the digest covers:

- of its edition: the site configuration, the interface strings, the published asset names, the
  editions, and every theme, claim and text page (the navigation and footer, each note's theme and
  claim, and links written claim:/theme: in any markdown);
- of the article: its record, and the records of its annotations in the order the page shows them;
- of each passage it shares with other articles: the passage's id, where it stands in this article,
  how many articles carry it, and the slug, title, outlet and script of the articles a note names.

The generator's own source is part of every digest (pagecache's salt), so a change to what the pages
read invalidates every record; tests/test_dependencies.py checks that after each kind of edit a
rebuild gives the bytes of a clean build. Values are digested as pickle writes them, without memo,
as pagecache does contexts.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .pagecache import pickled
from .records import Article

if TYPE_CHECKING:
    from .pages import ArchiveIndex, EditionView
    from .shared import SharedPassage


def edition_reads(view: "EditionView") -> bytes:
    """A digest of what any article page of the edition reads beyond its own article (made once per edition)."""
    def make() -> bytes:
        archive = view.archive
        values = (view.edition, view.editions, archive.config, dict(view.strings), view.assets,
                  archive.themes, archive.claims, archive.pages)
        return hashlib.sha256(pickled(values)).digest()
    return view.remembered(("reads", "edition"), make)


class ArticleReads:
    """Digests of what article pages read, for one plan of the site.

    What a page reads of its article, its annotations and the passages it shares is the same in
    every edition, so it is digested once per article (per process: each worker keeps its own).
    named: how many of the articles that carry a shared passage its note may name (its own included).
    """

    def __init__(self, index: "ArchiveIndex", named: int) -> None:
        self._index, self._named = index, named
        self._articles: dict[str, bytes] = {}
        self._passages: dict[str, bytes] = {}

    def digest(self, view: "EditionView", article: Article) -> bytes:
        """A digest of everything the article's page in view's edition reads."""
        own = self._articles.get(article.slug)
        if own is None:
            own = self._articles[article.slug] = self._article(article)
        return hashlib.sha256(edition_reads(view) + own).digest()

    def _article(self, article: Article) -> bytes:
        index = self._index
        digest = hashlib.sha256(pickled((article, index.by_article[article.slug])))
        for passage, occurrence in index.shared_by_article.get(article.slug, []):
            shown = self._passages.get(passage.id)
            if shown is None:
                shown = self._passages[passage.id] = self._passage(passage)
            digest.update(shown)
            digest.update(pickled(occurrence))
        return digest.digest()

    def _passage(self, passage: "SharedPassage") -> bytes:
        """What a note beside a shared passage shows of the first articles that carry it."""
        first = []
        for slug in passage.articles[:self._named]:
            other = self._index.articles[slug]
            first.append((slug, other.title, other.outlet, other.script))
        return hashlib.sha256(pickled((passage.id, len(passage.articles), first))).digest()
