"""How pages write an article's publication: its date, the range it is known to lie in, or 'unknown'.

Pure functions of a record and an edition's strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framing.source.records import Article

if TYPE_CHECKING:
    from framing.site.view import EditionView


def publication_range(view: "EditionView", article: Article) -> str:
    """'between A and B', 'not before A' or 'not after B' in the edition's words; '' where the
    publication date is known, or nothing at all is."""
    after, before = article.published_after, article.published_before
    if article.published or not (after or before):
        return ""
    if after and before:
        return view.fill("published_between", after=after.iso(), before=before.iso())
    if after:
        return view.fill("published_not_before", date=after.iso())
    return view.fill("published_not_after", date=before.iso())  # type: ignore[union-attr]


def publication(view: "EditionView", article: Article) -> str:
    """The publication as lists show it: the date, else its range, else 'date unknown'."""
    if article.published:
        return article.published.iso()
    return publication_range(view, article) or view.strings["date_unknown"]


def interval(article: Article) -> str:
    """The publication range as an ISO 8601 interval ('2025-11-11/2025-11-30'; an open end left
    empty), for machines; '' where the date is known or nothing is."""
    if article.published or not (article.published_after or article.published_before):
        return ""
    after, before = article.published_after, article.published_before
    return f"{after.iso() if after else ''}/{before.iso() if before else ''}"
