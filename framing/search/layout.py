"""How the index is laid out: a large archive's articles in shards of about SHARD_SIZE (by a digest
of each slug, so that adding an article moves no other), the bundles the search page loads, each
page's record, and the order that lets each indexer run start soonest."""

from __future__ import annotations

import hashlib
import re

from framing.source.config import EDITION_CODES

BUNDLE = "pagefind/"
SEARCHABLE = re.compile(r"^(?:[a-z-]+/)?(?:articles|themes)/[^/]+/index\.html$")
SHARD_SIZE = 250  # articles per index shard: what one edit re-indexes, and what one indexer holds in memory
ENTRY = "pagefind-entry.json"
_ARTICLE_ROUTE = re.compile(r"^articles/([^/]+)/index\.html$")


def is_searchable(path: str) -> bool:
    """Whether the page at this output path is indexed (article and theme pages)."""
    return bool(SEARCHABLE.match(path))


def shard_count(articles: int) -> int:
    """How many shards the index is split into for this many articles."""
    return max(1, -(-articles // SHARD_SIZE))


def shard_of(slug: str, shards: int) -> int:
    """The shard an article is indexed in: from a digest of its slug, so adding an article moves no other."""
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % shards


def edition_of(path: str, default_edition: str) -> str:
    """The code of the edition the page at path belongs to (every edition but the default one
    begins its paths with its code)."""
    first = path.split("/", 1)[0]
    return first if first in EDITION_CODES else default_edition


def record_of(path: str, default_edition: str) -> str:
    """The record a page's part goes to: its path in the Simplified edition, without the edition's
    folder (articles/<slug>/index.html): the URL Pagefind stores, which each search page puts under
    its own edition's base URL."""
    return path.split("/", 1)[1] if edition_of(path, default_edition) != default_edition else path


def _layout(slugs: set[str], has_themes: bool) -> tuple[int, int, list[int]]:
    """(shards, the primary shard, the others in use): the primary holds the theme pages and is
    published as the main bundle; each other shard in use is a bundle the search page merges."""
    shards = shard_count(len(slugs))
    used = {shard_of(slug, shards) for slug in slugs} | ({0} if has_themes else set())
    primary = min(used, default=0)
    return shards, primary, sorted(used - {primary})


def bundles(slugs: list[str], has_themes: bool) -> tuple[str, ...]:
    """The bundles (paths under the site) the search page loads: the main one, then those it merges
    into it (none until the archive has more than SHARD_SIZE articles)."""
    _, _, others = _layout(set(slugs), has_themes)
    return (BUNDLE, *(f"{BUNDLE}shard-{number}/" for number in others))


def indexing_order(paths: list[str], default_edition: str) -> list[int]:
    """The positions of paths (the site's pages, in the order planned) in the order that lets each
    indexer run (a shard) start soonest: the records of the other shards first, shard by shard, then
    the main shard's articles, then the theme pages, which are slow to make, then the pages search
    does not index, each as planned. After an edit to one annotation, which changes its theme's
    pages and few article pages, the run over the edited article's shard starts before any theme
    page is made."""
    record_at: dict[int, str] = {}
    first: dict[str, int] = {}  # each record's position: where its first page was planned
    for number, path in enumerate(paths):
        if is_searchable(path):
            record_at[number] = record_of(path, default_edition)
            first.setdefault(record_at[number], number)
    slugs = {match.group(1) for record in first if (match := _ARTICLE_ROUTE.match(record))}
    shards, primary, _ = _layout(slugs, len(first) > len(slugs))

    def rank(number: int) -> tuple[int, int, int, int]:
        record = record_at.get(number)
        if record is None:
            return (3, 0, 0, number)
        match = _ARTICLE_ROUTE.match(record)
        if match is None:
            return (2, 0, first[record], number)
        shard = shard_of(match.group(1), shards)
        return (1 if shard == primary else 0, shard, first[record], number)

    return sorted(range(len(paths)), key=rank)


