"""schema.org JSON-LD: NewsArticle for archived articles, ClaimReview for claims with a verdict.

The JSON is made safe to sit inside <script type="application/ld+json"> by escaping <, > and &.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from framing.site.routes import route_of_article
from framing.source.records import VERDICT_RATINGS, Article, Claim

if TYPE_CHECKING:
    from framing.site.view import EditionView


def _script_safe(text: str) -> Markup:
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def news_article(view: "EditionView", article: Article) -> Markup:
    """schema.org NewsArticle for the archived article, with the archive copy as its archivedAt."""
    config = view.archive.config
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": article.title, "inLanguage": article.language,
        "publisher": {"@type": "Organization", "name": article.outlet},
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "isAccessibleForFree": True,
        "archivedAt": config.absolute(view.url(route_of_article(article.slug))),
    }
    if article.published:
        data["datePublished"] = article.published.iso().replace(" ", "T")
    if article.sources:
        data["url"] = article.sources[0].url
        data["sameAs"] = [s.url for s in article.sources[1:]]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))  # compact: the C encoder
    return _script_safe(text)


def claim_reviews(view: "EditionView", claims: list[Claim]) -> Markup:
    """schema.org ClaimReview JSON-LD for a theme page's claims, safe inside <script>."""
    reviews = [view.remembered(("claim_review", claim.id), lambda claim=claim: _claim_review(view, claim)) for claim in claims]
    return _script_safe(json.dumps(reviews, ensure_ascii=False, separators=(",", ":")))


APPEARANCES = 20  # works a ClaimReview names, in the order they first carry the claim; data/claims.json has them all


def _claim_review(view: "EditionView", claim: Claim) -> dict:
    """One claim's ClaimReview: made once per edition, for its own page and its theme's. It names the
    first APPEARANCES works that carry the claim: in a large archive a talking point is in thousands
    of articles, and every page that shows the claim would carry the whole list (8 MB of a theme page
    at 10,000 articles)."""
    archive = view.archive
    label, lang = view.label(claim.label, claim.label_en)
    appearances, seen = [], set()
    for annotation in view.index.by_claim[claim.id]:
        if len(appearances) == APPEARANCES:
            break
        article = view.index.articles[annotation.article]
        appearance = {"@type": "CreativeWork", "headline": article.title,
                      "publisher": {"@type": "Organization", "name": article.outlet}}
        if article.sources:
            appearance["url"] = article.sources[0].url
        if article.published:
            appearance["datePublished"] = article.published.iso().replace(" ", "T")
        key = (article.title, article.outlet, appearance.get("url"), appearance.get("datePublished"))
        if key not in seen:  # each work once, however many of its passages carry the claim
            seen.add(key)
            appearances.append(appearance)
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": archive.config.absolute(view.resolve("claim", claim.id, "")),
        "claimReviewed": label, "inLanguage": lang,
        "author": {"@type": "Organization", "name": view.label(archive.config.title, archive.config.title_en)[0]},
        "reviewRating": _rating(view, claim),
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
    }


def _rating(view: "EditionView", claim: Claim) -> dict:
    """The verdict as a schema.org Rating: its name, and its place on a scale from 1 (contradicted) to
    5 (consistent) for the verdicts that judge a statement; 'company-claim', 'not-found' and
    'unverifiable' say what is uncertain and have a name only."""
    rating: dict = {"@type": "Rating", "alternateName": view.strings[f"verdict_{claim.verdict}"]}
    value = VERDICT_RATINGS.get(claim.verdict)
    if value is not None:
        rating |= {"ratingValue": value, "bestRating": max(VERDICT_RATINGS.values()), "worstRating": min(VERDICT_RATINGS.values())}
    return rating
