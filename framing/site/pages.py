"""Pure assembly: an Archive -> every Page of every edition. No I/O.

Each page is a template name, an output path and a context of plain values and Markup, built here
in Python so that templates only lay things out. Script conversion and markdown rendering are
memoised, so each distinct text is converted or rendered once however many pages show it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Sequence


from framing.site.editions import ScriptConverter, editions_for
from framing.source.records import VERDICTS, Archive, Article
from framing.site.routes import route_of_article, route_of_article_list, route_of_claim, route_of_theme
from framing.site import analysis, correctionspage, datelabels
from framing.site import structured
from framing.site.shared import SharedPassage
from framing.site.facets import facets
from framing.search.scripttables import EXCERPT_TABLE, SCRIPT_TABLE
from framing.search.searchrecords import RECORD_LANGUAGE
from framing.site.view import Page, ArchiveIndex, EditionView, titled, page_path, page_at
from framing.site.article_page import article_page
from framing.site.theme_page import claim_page, theme_page


RECENT_ARTICLES = 20  # articles listed on the index, the most recently published; the article list has them all
ARTICLES_PER_PAGE = 100  # articles on each page of the article list
PAGINATION_RADIUS = 2  # pages linked on each side of the current one, besides the first and the last


def article_item(view: EditionView, article: Article) -> dict:
    """An article as the index and the article list show it: title, outlet, date and number of notes."""
    return titled(view, article) | {
            "url": view.url(route_of_article(article.slug)),
            "published": datelabels.publication(view, article), "dated": article.published is not None,
            "notes": view.count("note_count", view.index.note_counts[article.slug])}


def newest_articles(articles: Sequence[Article], limit: int) -> list[Article]:
    """The limit most recently published articles, in their given order; undated articles count as the oldest."""
    ranked = sorted(articles, key=lambda a: (a.published is not None, a.sort_key()))
    kept = {a.slug for a in ranked[max(0, len(ranked) - limit):]}
    return [a for a in articles if a.slug in kept]


def page_count(total: int, per_page: int) -> int:
    """How many pages a list of total items takes at per_page a page: at least one, even when empty."""
    return max(1, -(-total // per_page))


def page_window(current: int, count: int, radius: int = PAGINATION_RADIUS) -> list[int | None]:
    """The page numbers a pagination nav links, in order: the first, the last and those within radius
    of current, with None where two or more numbers are left out (a single one is linked instead)."""
    numbers = sorted({1, count, *range(max(1, current - radius), min(count, current + radius) + 1)})
    window: list[int | None] = []
    for number in numbers:
        if window and number - window[-1] == 2:
            window.append(number - 1)
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    return window


def pagination(view: EditionView, current: int, count: int) -> dict | None:
    """The nav between the pages of the article list: previous, numbered pages and next; None for a single page."""
    if count < 2:
        return None

    def link(number: int) -> dict:
        return {"number": number, "url": view.url(route_of_article_list(number)), "current": number == current,
                "label": view.fill("page_number", number=number)}
    return {"previous": link(current - 1) if current > 1 else None, "next": link(current + 1) if current < count else None,
            "pages": [link(number) if number else None for number in page_window(current, count)]}


def listed_articles(articles: Sequence[Article], number: int) -> Sequence[Article]:
    """The articles page number of the article list shows."""
    first = (number - 1) * ARTICLES_PER_PAGE
    return articles[first:first + ARTICLES_PER_PAGE]


def article_list_page(view: EditionView, number: int, count: int) -> Page:
    """Page number (of count) of the list of every article, ARTICLES_PER_PAGE a page, in the archive's order."""
    articles = view.archive.articles
    first = (number - 1) * ARTICLES_PER_PAGE
    shown = listed_articles(articles, number)
    route = route_of_article_list(number)
    title = view.fill("article_list_page_title", number=number, count=count) if count > 1 else view.strings["all_articles"]
    summary = (view.fill("article_list_range", first=first + 1, last=first + len(shown), count=len(articles)) if count > 1
               else view.count("article_list_all", len(articles)))
    listing = {"title": title, "summary": summary, "start": first + 1, "paged": count > 1,
               "articles": [article_item(view, a) for a in shown], "pagination": pagination(view, number, count)}
    return page_at(view, route, "articles.html", view.common(route, title, summary) | {"listing": listing})


def index_page(view: EditionView) -> Page:
    config = view.archive.config
    description, description_lang = view.label(config.description, config.description_en)
    themes = []
    for theme in view.archive.themes:
        annotations = view.index.by_theme[theme.slug]
        title, lang = view.label(theme.title, theme.title_en)
        themes.append({"slug": theme.slug, "tone": view.index.tones[theme.slug], "title": title, "lang": lang, "url": view.url(route_of_theme(theme.slug)),
                       "passages": view.count("passage_count", len(annotations)),
                       "claims": view.count("claim_count", len({a.claim for a in annotations if a.claim}))})
    total = len(view.archive.articles)
    recent = newest_articles(view.archive.articles, RECENT_ARTICLES)
    articles = [article_item(view, a) for a in recent]
    article_list = {"url": view.url(route_of_article_list(1)), "label": view.count("all_articles_link", total),
                    "recent": view.fill("recent_articles", shown=len(recent), count=total) if len(recent) < total else ""}
    verdicts = {}
    for claim in view.archive.claims:
        verdicts.setdefault(claim.verdict, 0)
        verdicts[claim.verdict] += 1
    summary = [{"code": code, "label": view.strings[f"verdict_{code}"], "count": verdicts[code]} for code in VERDICTS if code in verdicts]
    site_title, _ = view.label(config.title, config.title_en)
    ordered_claims = [c for t in view.archive.themes for c in view.archive.claims if c.theme == t.slug]
    context = view.common("", site_title) | {"description": description, "description_lang": description_lang,
                                             "themes": themes, "articles": articles, "article_list": article_list,
                                             "verdicts": summary,
                                             "matrix": analysis.claim_matrix(view, ordered_claims, "matrix-all"),
                                             "by_outlet": analysis.themes_by_outlet(view),
                                             "timeline": analysis.timeline(view)}
    return page_at(view, "", "index.html", context)


def text_page(view: EditionView, slug: str) -> Page:
    page = next(p for p in view.archive.pages if p.slug == slug)
    title, lang = view.label(page.title, page.title_en)
    route = f"{page.slug}/"
    body = view.localised(page.body, page.body_en, "english_missing_page")
    return page_at(view, route, "page.html", view.common(route, title) | {"page": {"title": title, "lang": lang, "body": body}})


def data_page(view: EditionView) -> Page:
    """The open-data page: what each export holds."""
    files = [
        {"name": "annotations.jsonld", "format": "JSON-LD, W3C Web Annotation", "url": view.base + "data/annotations.jsonld",
         "description": view.strings["data_annotations"]},
        {"name": "articles.json", "format": "JSON", "url": view.base + "data/articles.json",
         "description": view.strings["data_articles"]},
        {"name": "claims.json", "format": "JSON", "url": view.base + "data/claims.json", "description": view.strings["data_claims_json"]},
        {"name": "claims.csv", "format": "CSV, UTF-8", "url": view.base + "data/claims.csv", "description": view.strings["data_claims_csv"]},
        {"name": "shared-passages.json", "format": "JSON", "url": view.base + "data/shared-passages.json",
         "description": view.strings["data_shared"]},
        {"name": "feed.xml", "format": "Atom", "url": view.url("feed.xml"), "description": view.strings["data_feed"]},
    ]
    verdicts = [{"code": code, "label": view.strings[f"verdict_{code}"], "about": view.strings[f"verdict_about_{code}"]}
                for code in VERDICTS]
    context = view.common("data/", view.strings["data"]) | {"files": files, "verdicts": verdicts,
                                                            "claimreview": view.fill("data_claimreview", count=structured.APPEARANCES)}
    return page_at(view, "data/", "data.html", context)


def search_page(view: EditionView) -> Page:
    """The search form and its facets; framing/search/indexer.py builds the index, templates/static/search.js runs it.
    The bundles to load (view.search_bundles) come from the index's layout."""
    route = "search/"
    main, *merged = view.search_bundles or ("",)
    context = view.common(route, view.strings["search"]) | {
        "search": {"script": view.asset("search.js"), "bundle": view.base + main, "language": RECORD_LANGUAGE,
                   "table": view.asset(SCRIPT_TABLE), "merged": " ".join(view.base + folder for folder in merged),
                   "edition_base": view.url(""), "script_shown": view.edition.script or "",
                   "excerpts": view.asset(EXCERPT_TABLE) if view.edition.script == "zh-Hant" else "",
                   "facets": facets(view)}}
    return page_at(view, route, "search.html", context)


def not_found_page(view: EditionView) -> Page:
    return page_at(view, "404.html", "404.html", view.common("404.html", view.strings["not_found_title"]))


def edition_views(archive: Archive, catalogue: dict[str, dict[str, str]], converter: ScriptConverter,
                  assets: dict[str, str], shared: tuple[SharedPassage, ...] = (),
                  search_bundles: tuple[str, ...] = ()) -> list[EditionView]:
    """One view per edition, the default edition first, sharing look-ups and memos. search_bundles:
    the search index's bundles (paths under the site), the main one first (search.bundles)."""
    index = ArchiveIndex.of(archive, shared)
    editions = editions_for(archive.config.default_edition)
    return [EditionView(index, edition, editions, catalogue, converter, assets, search_bundles) for edition in editions]


@dataclass(frozen=True)
class PlannedPage:
    """A page whose path is known before it is assembled: build() makes its context.

    Planning every page first and building each one only when it is rendered keeps a single page's
    context in memory at a time, lets worker processes assemble pages as well as render them, and
    lets the live preview build just the page a browser asks for.
    """

    path: str
    route: str
    indexed: bool  # search indexes it
    make: Callable[[], Page]

    def build(self) -> Page:
        page = self.make()
        if page.path != self.path:
            raise RuntimeError(f"planned {self.path} but assembled {page.path}")
        return page


def plan_pages(views: list[EditionView]) -> list[PlannedPage]:
    """Every page of every edition, not yet assembled: edition by edition, the article and theme
    pages (which search indexes) first. The build puts them in the order the indexer wants
    (search.indexing_order). Each page is planned by the key of what it is of (a slug, an id, a
    number) and looks its record up when assembled, so that the look-up is one of its reads."""
    indexed: list[PlannedPage] = []
    others: list[PlannedPage] = []

    def plan(into: list[PlannedPage], view: EditionView, route: str, make: Callable[..., Page], *args: object) -> None:
        into.append(PlannedPage(page_path(view, route), route, into is indexed, functools.partial(make, view, *args)))

    if not views:
        return []
    archive = views[0].index.archive
    slugs = [a.slug for a in archive.articles.items]
    for view in views:
        for slug in slugs:
            plan(indexed, view, route_of_article(slug), article_page, slug)
        for theme in archive.themes.items:
            plan(indexed, view, route_of_theme(theme.slug), theme_page, theme.slug)
        plan(others, view, "", index_page)
        count = page_count(len(slugs), ARTICLES_PER_PAGE)
        for number in range(1, count + 1):
            plan(others, view, route_of_article_list(number), article_list_page, number, count)
        for claim in archive.claims.items:
            plan(others, view, route_of_claim(claim.id), claim_page, claim.id)
        for page in archive.pages.items:
            plan(others, view, f"{page.slug}/", text_page, page.slug)
        plan(others, view, "data/", data_page)
        plan(others, view, correctionspage.ROUTE, correctionspage.corrections_page)
        plan(others, view, "search/", search_page)
        plan(others, view, "404.html", not_found_page)
    return indexed + others
