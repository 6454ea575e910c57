"""Cross-article views computed from the records: which article carries which claim, the coverage
timeline, and the statistics table with values parsed from the passages. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from framing.site import charts
from framing.site.timeline import timeline_svg
from framing.source.records import Article, Claim
from framing.site.routes import route_of_article
from framing.site import datelabels
from framing.source.numbers import Quantity, same_value
from framing.source.numbers_en import describe_quantity, parse_any_quantity, quantities_in_language

if TYPE_CHECKING:
    from framing.site.view import EditionView


MATRIX_ARTICLES = 40  # up to this many articles the matrix has a column per article, beyond it one per outlet


@dataclass(frozen=True)
class Column:
    """A column of the matrix: one article, or (in a large archive) every article of one outlet."""

    label: str
    url: str
    lang: str
    slugs: frozenset[str]
    untranslated: bool = False  # the English edition shows the name as written: no outlet_en


def matrix_columns(view: "EditionView") -> list[Column]:
    """A column per article in a small archive; a column per outlet (linking to its first article) in a large one."""
    articles = view.archive.articles
    if len(articles) <= MATRIX_ARTICLES:
        return [_column(view, a, frozenset({a.slug})) for a in articles]
    outlets: dict[str, list[Article]] = {}
    for article in articles:
        outlets.setdefault(article.outlet, []).append(article)
    return [_column(view, group[0], frozenset(a.slug for a in group)) for outlet, group in sorted(outlets.items())]


def _column(view: "EditionView", article: Article, slugs: frozenset[str]) -> Column:
    """The column headed by article's outlet, linking to it."""
    outlet = view.article_outlet(article)
    return Column(outlet["text"], view.url(route_of_article(article.slug)), outlet["lang"], slugs, outlet["untranslated"])


def claim_matrix(view: "EditionView", claims: list[Claim], chart_id: str) -> dict:
    """The claims-by-articles matrix (by outlet in a large archive): an SVG and the same data as table rows."""
    columns = matrix_columns(view)
    rows, cells, table = [], {}, []
    for number, claim in enumerate(claims):
        label, lang = view.label(claim.label, claim.label_en)
        href = view.resolve("claim", claim.id, "")
        rows.append((label, href))
        carried = {a.article for a in view.index.by_claim[claim.id]}
        marks = [bool(column.slugs & carried) for column in columns]
        for index, marked in enumerate(marks):
            if marked:
                cells[(number, index)] = claim.verdict
        table.append({"label": label, "lang": lang, "url": href, "verdict": view.verdict(claim), "cells": marks})
    title = view.strings["matrix_title"]
    svg = charts.matrix_svg(title, view.strings["matrix_desc"], rows, [(c.label, c.url) for c in columns], cells,
                            view.edition.lang, chart_id=chart_id)
    return {"svg": Markup(svg), "title": title, "columns": [{"label": c.label, "url": c.url, "lang": c.lang, "untranslated": c.untranslated} for c in columns],
            "rows": table}


def themes_by_outlet(view: "EditionView") -> dict:
    """How many passages of each theme each article (or outlet, in a large archive) has: the index's summary."""
    columns = matrix_columns(view)
    column_of = {slug: n for n, column in enumerate(columns) for slug in column.slugs}
    rows = []
    for theme in view.archive.themes:
        counts = [0] * len(columns)
        for annotation in view.index.by_theme[theme.slug]:
            counts[column_of[annotation.article]] += 1
        label, lang = view.label(theme.title, theme.title_en)
        rows.append({"label": label, "lang": lang, "url": view.resolve("theme", theme.slug, ""), "counts": counts})
    return {"columns": [{"label": c.label, "lang": c.lang, "url": c.url, "untranslated": c.untranslated} for c in columns], "rows": rows}


TIMELINE_ENTRIES = 60  # the most recent articles and events the index draws and lists; the article list has every article
UNDATED_LISTED = 20  # undated articles named under the timeline


def timeline(view: "EditionView") -> dict:
    """The articles by publication time and the events they refer to, as SVG and as a list.

    Only the TIMELINE_ENTRIES most recent entries are drawn and listed, and only the first
    UNDATED_LISTED undated articles named; 'omitted' and 'undated_more' say how many are left out.
    """
    entries = []  # (list entry, chart item) pairs
    for article in view.archive.articles:
        if not on_timeline(article):
            continue
        stamp = article.published.iso()[:16] if article.published else datelabels.interval(article)
        title, outlet = view.article_title(article), view.article_outlet(article)
        label = outlet["text"]
        url = view.url(route_of_article(article.slug))
        entries.append(({"date": stamp, "range": datelabels.publication_range(view, article), "label": title["text"],
                         "detail": label, "untranslated": title["untranslated"], "lang": title["lang"],
                         "detail_lang": outlet["lang"], "detail_untranslated": outlet["untranslated"],
                         "url": url, "kind": "article"}, (stamp, label, "article", url)))
    for event in view.archive.events:
        if not event.date.day:
            continue
        label, lang = view.label(event.label, event.label_en)
        source = event.sources[0]
        entries.append(({"date": event.date.iso()[:16], "range": "", "label": label, "lang": lang, "kind": "event",
                         "untranslated": False, "detail_untranslated": False,
                         "detail": view.cited(source.publisher) + f", {source.date.iso()}", "detail_lang": view.text_lang(source.publisher),
                         "url": source.url or source.via}, (event.date.iso()[:16], label, "event", "")))
    entries.sort(key=lambda pair: (pair[0]["date"].lstrip("/"), pair[0]["kind"], pair[0]["label"]))  # a range by its known start or end
    shown = entries[-TIMELINE_ENTRIES:]
    undated = [{"label": title["text"], "lang": title["lang"], "untranslated": title["untranslated"],
                "url": view.url(route_of_article(a.slug))}
               for a in view.archive.articles if not on_timeline(a) for title in (view.article_title(a),)]
    items = [item for _, item in shown]
    svg = timeline_svg(view.strings["timeline_title"], view.strings["timeline_desc"], items, view.edition.lang,
                              chart_id=f"timeline-{view.edition.code}") if items else ""
    omitted = len(entries) - len(shown)
    return {"svg": Markup(svg), "entries": [entry for entry, _ in shown],
            "omitted": view.fill("timeline_omitted", shown=len(shown), count=omitted) if omitted else "",
            "undated": undated[:UNDATED_LISTED],
            "undated_more": view.count("article_count", len(undated) - UNDATED_LISTED) if len(undated) > UNDATED_LISTED else ""}


def on_timeline(article: Article) -> bool:
    """Whether the timeline draws the article: dated to the day, or known to lie between dates
    that are (either end may be open)."""
    if article.published:
        return article.published.day is not None
    bounds = [d for d in (article.published_after, article.published_before) if d]
    return bool(bounds) and all(d.day is not None for d in bounds)


TIME_UNITS = frozenset({"年", "个月", "月", "周", "天", "日", "季度", "小时", "分钟", "秒"})


def family(quantity: Quantity) -> str:
    """What a quantity measures, so that only like is compared with like: a share, a sum of money in
    one currency, a calendar year, a duration, or a count of one kind of thing."""
    if quantity.percent:
        return "percent"
    if quantity.currency:
        return "money:" + quantity.currency
    if quantity.unit == "年" and quantity.value >= 1000:
        return "year"
    if quantity.unit in TIME_UNITS:
        return "time:" + quantity.unit
    return "count:" + quantity.unit  # 席 and 国 count different things


def _flag(stated: dict[str, list[Quantity]], source: Quantity | None, strings) -> str:
    """'' when the figures agree, else why not.

    stated: each article's quantities. Articles disagree when, for a kind of figure that two of them
    state, they share no value at all; an article differs from the source when it states a figure of
    the source's kind but never the source's value.
    """
    flags = []
    by_family: dict[str, list[list[Quantity]]] = {}
    for quantities in stated.values():
        groups: dict[str, list[Quantity]] = {}
        for quantity in quantities:
            groups.setdefault(family(quantity), []).append(quantity)
        for name, group in groups.items():
            by_family.setdefault(name, []).append(group)
    if any(not any(same_value(a, b) for a in first for b in other)
           for groups in by_family.values() for i, first in enumerate(groups) for other in groups[i + 1:]):
        flags.append(strings["numbers_disagree"])
    if source is not None and any(not any(same_value(q, source) for q in group)
                                  for group in by_family.get(family(source), [])):
        flags.append(strings["numbers_differ_from_source"])
    return "; ".join(flags)


STATED_LISTED = 12  # figures listed per claim in the table


def statistics_table(view: "EditionView", claims: list[Claim]) -> list[dict]:
    """Per claim: each passage's quantities as stated and normalised, the source value, and a flag.
    Calendar years are dates, not statistics, and are left out."""
    language = "en" if view.edition.ui == "en" else ("zh-Hant" if view.edition.script == "zh-Hant" else "zh-Hans")
    rows = []
    for claim in claims:
        source = parse_any_quantity(claim.source_value) if claim.source_value else None
        stated: list[dict] = []
        values: dict[str, list[Quantity]] = {}
        for annotation in view.index.by_claim[claim.id]:
            article = view.index.articles[annotation.article]
            passage = article.paragraphs[annotation.span.paragraph][annotation.span.start:annotation.span.end]
            for quantity in quantities_in_language(passage, article.language):
                if family(quantity) == "year":
                    continue  # a date ('2025年'), not a statistic
                values.setdefault(article.slug, []).append(quantity)
                if len(stated) == STATED_LISTED:
                    continue  # compared all the same; the claim's own page lists every passage
                outlet = view.article_outlet(article)
                stated.append({"outlet": outlet["text"], "outlet_lang": outlet["lang"], "outlet_untranslated": outlet["untranslated"],
                               "lang": view.article_lang(article),
                               "url": view.url(route_of_article(article.slug)) + f"#a-{annotation.id}",
                               "text": view.zh(quantity.text, article.script), "value": describe_quantity(quantity, language),
                               "qualifier": view.strings[f"qualifier_{quantity.qualifier}"] if quantity.qualifier else ""})
        if not stated:
            continue
        label, lang = view.label(claim.label, claim.label_en)
        rows.append({"label": label, "lang": lang, "url": view.resolve("claim", claim.id, ""), "verdict": view.verdict(claim),
                     "stated": stated, "source": describe_quantity(source, language) if source else "",
                     "source_text": view.zh(claim.source_value) if claim.source_value else "",
                     "source_lang": view.text_lang(claim.source_value),
                     "flag": _flag(values, source, view.strings)})
    return rows
