"""A theme page and a claim page: the claims with their sources and the passages that carry them,
the passages of the theme grouped by framing function, and the passages articles share. Pure.
"""

from __future__ import annotations

from urllib.parse import quote


from framing.source.records import ENTMAN_FUNCTIONS, Annotation, Claim, Theme
from framing.site.routes import route_of_article, route_of_claim, route_of_theme
from framing.site import analysis, correctionspage, datelabels
from framing.site import structured
from framing.site.shared import SharedPassage
from framing.site.marking import mark_text
from framing.site.facets import theme_filters
from framing.site.view import Page, EditionView, titled, page_at
from framing.site.article_page import note_view


SHARED_LISTED = 100  # shared passages listed on the theme page, most widely carried first
CARRIERS_LISTED = 12  # articles named under each; data/shared-passages.json has them all


def shared_passage_view(view: EditionView, passage: SharedPassage) -> dict:
    """A shared passage for the theme page: its text as the first article has it, and the first articles."""
    first = passage.occurrences[0]
    article = view.index.articles[first.article]
    span = first.spans[0]
    carriers = []
    for occurrence in passage.occurrences[:CARRIERS_LISTED]:
        other = view.index.articles[occurrence.article]
        carriers.append(titled(view, other) | {
                         "published": datelabels.publication(view, other), "dated": other.published is not None,
                         "url": view.url(route_of_article(other.slug)) + f"#{passage.id}"})
    hidden = len(passage.occurrences) - len(carriers)
    return {"id": passage.id, "text": view.passage_in(article, span),
            "lang": view.article_lang(article), "count": view.count("article_count", len(passage.occurrences)),
            "carriers": carriers, "more": view.count("article_count", hidden) if hidden else ""}


def passage_view(view: EditionView, annotation: Annotation) -> dict:
    article = view.index.articles[annotation.article]
    return {
        "id": annotation.id, "quote": view.passage_text(annotation), "lang": view.article_lang(article),
        "url": view.url(route_of_article(article.slug)) + f"#a-{annotation.id}",
        **{("article_title" if key == "title" else "article_lang" if key == "lang" else key): value
           for key, value in titled(view, article).items()},
        "published": datelabels.publication(view, article), "dated": article.published is not None,
        "gloss": mark_text(annotation.gloss_en) if view.edition.ui == "en" else "", "note": None,
    }


PASSAGES_ON_THEME = 12  # passages shown under a claim on its theme page; its own page lists them all


def claim_view(view: EditionView, claim: Claim, limit: int | None = None) -> dict:
    """A claim with its context, sources and passages (the first limit of them, and a link to all)."""
    summary = view.claim_summary(claim)
    annotations = view.index.by_claim[claim.id]
    shown = annotations if limit is None else annotations[:limit]
    more = None
    if len(shown) < len(annotations):
        more = {"url": view.url(route_of_claim(claim.id)),
                "label": view.strings["all_passages"].replace("{count}", str(len(annotations)))}
    return summary | {
        "anchor": f"claim-{claim.id}",
        "context": view.localised(claim.context, claim.context_en, "english_missing_claim"),
        "sources": [{"publisher": view.cited(s.publisher), "publisher_lang": view.text_lang(s.publisher),
                     **view.source_title(s), "date": s.date.iso(), "url": s.url, "via": s.via,
                     "accessed": s.accessed.iso() if s.accessed else ""} for s in claim.sources],
        "no_source": view.editors_text(claim.no_source, claim.no_source_en),
        "corrections": correctionspage.corrections_of(view, "claims", claim.id),
        "passages": [passage_view(view, a) for a in shown], "more": more,
    }


def claim_page(view: EditionView, claim_id: str) -> Page:
    """A claim on a page of its own, with every passage that carries it."""
    claim = view.index.claims[claim_id]
    data = claim_view(view, claim)
    theme = view.index.themes[claim.theme]
    title, lang = view.label(theme.title, theme.title_en)
    route = route_of_claim(claim.id)
    context = view.common(route, data["label"]) | {"claim": data, "theme_url": view.url(route_of_theme(theme.slug)),
                                                  "theme_title": title, "theme_lang": lang,
                                                  "json_ld": structured.claim_reviews(view, [claim])}
    return page_at(view, route, "claim.html", context)


def theme_view(view: EditionView, theme: Theme) -> dict:
    annotations = view.index.by_theme[theme.slug]
    claim_ids: list[str] = []
    for annotation in annotations:
        if annotation.claim and annotation.claim not in claim_ids:
            claim_ids.append(annotation.claim)
    unclaimed = [a for a in annotations if not a.claim]
    groups = []
    for function in (*ENTMAN_FUNCTIONS, None):
        members = [a for a in unclaimed if a.entman == function]
        if members:
            title = view.strings[f"entman_{function}"] if function else view.strings["other_passages"]
            groups.append({"id": f"group-{function or 'other'}", "title": title,
                           "passages": [passage_view(view, a) | {"note": note_view(view, a)} for a in members]})
    title, lang = view.label(theme.title, theme.title_en)
    shared = view.index.shared if theme.slug == view.archive.config.shared_theme else ()
    claims = [view.index.claims[c] for c in claim_ids]
    numbers = analysis.statistics_table(view, claims) if theme.slug == view.archive.config.numbers_theme else []
    return {
        "matrix": analysis.claim_matrix(view, claims, f"matrix-{theme.slug}") if claims else None,
        "numbers": numbers,
        "shared": [shared_passage_view(view, p) for p in shared[:SHARED_LISTED]],
        "shared_total": len(shared), "shared_data": view.base + "data/shared-passages.json",
        "slug": theme.slug, "title": title, "title_lang": lang,
        "intro": view.localised(theme.intro, theme.intro_en, "english_missing_theme"),
        "claims": [claim_view(view, view.index.claims[c], PASSAGES_ON_THEME) for c in claim_ids], "groups": groups,
        "passage_count": view.count("passage_count", len(annotations)),
        "claim_count": view.count("claim_count", len(claim_ids)),
    }


def theme_page(view: EditionView, slug: str) -> Page:
    theme = view.index.themes[slug]
    data = theme_view(view, theme)
    route = route_of_theme(theme.slug)
    claims = [view.index.claims[c["id"]] for c in data["claims"]]
    context = view.common(route, data["title"]) | {"theme": data, "json_ld": structured.claim_reviews(view, claims),
                                                   "search_filters": theme_filters(view, theme),
                                                   "theme_search": view.url("search/") + "?theme=" + quote(theme.slug)}
    return page_at(view, route, "theme.html", context)


# ---------------------------------------------------------------- index, article list and 404

