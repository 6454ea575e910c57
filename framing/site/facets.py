"""The filters search offers (outlet, theme, verdict, month of publication), from the records.

An article's record carries its outlet, the themes and verdicts of its notes and the month it was
published (where known); a theme page's, its theme. The values are the same in every edition (a
theme's slug, a verdict's code, an outlet as captured, a month as YYYY-MM), so that a filter given
in the address (?theme=endorsements) means one thing on every search page; each search page shows
them with its own labels. The Simplified page of each article and theme gives Pagefind its
filters (searchrecords: the record is read in Simplified), as empty elements the other editions'
pages do not carry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framing.source.records import VERDICTS, Article, Theme

if TYPE_CHECKING:
    from framing.site.view import EditionView

FACETS = ("theme", "verdict", "outlet", "month")  # in the order the search page shows them
CARRIER = "zh-hans"  # the edition whose pages give the filters


def month_of(article: Article) -> str:
    """YYYY-MM of the article's publication, or '' where the month is not known."""
    published = article.published
    return f"{published.year:04d}-{published.month:02d}" if published and published.month else ""


def article_filters(view: "EditionView", article: Article) -> list[dict[str, str]]:
    """[{name, value}] of the article's filters, on the page that gives them (else [])."""
    if view.edition.code != CARRIER:
        return []
    notes = view.index.by_article[article.slug]
    themes = sorted({note.theme for note in notes})
    verdicts = sorted({view.index.claims[note.claim].verdict for note in notes if note.claim})
    found = [("outlet", article.outlet), *(("theme", slug) for slug in themes), *(("verdict", code) for code in verdicts)]
    if month_of(article):
        found.append(("month", month_of(article)))
    return [{"name": name, "value": value} for name, value in found]


def theme_filters(view: "EditionView", theme: Theme) -> list[dict[str, str]]:
    """[{name, value}] of a theme page's filters, on the page that gives them (else [])."""
    return [{"name": "theme", "value": theme.slug}] if view.edition.code == CARRIER else []


def facets(view: "EditionView") -> list[dict]:
    """The search page's facets: [{name, legend, options: [{value, label, lang}]}], each option in
    the order a reader scans it (themes in the archive's order, the verdicts claims have in the fixed order,
    outlets by name, months newest first); a facet with no value is left out."""
    archive = view.archive
    themes = []
    for theme in archive.themes:
        label, lang = view.label(theme.title, theme.title_en)
        themes.append({"value": theme.slug, "label": label, "lang": lang})
    used = {claim.verdict for claim in archive.claims}
    verdicts = [{"value": code, "label": view.strings[f"verdict_{code}"], "lang": ""} for code in VERDICTS if code in used]
    outlets = [{"value": outlet, "label": view.zh(outlet), "lang": view.chinese_lang()}
               for outlet in sorted({article.outlet for article in archive.articles})]
    months = [{"value": month, "label": month, "lang": ""}
              for month in sorted({month_of(article) for article in archive.articles} - {""}, reverse=True)]
    legends = {"theme": view.strings["themes"], "verdict": view.strings["verdict"], "outlet": view.strings["outlet"],
               "month": view.strings["search_month"]}
    options = {"theme": themes, "verdict": verdicts, "outlet": outlets, "month": months}
    return [{"name": name, "legend": legends[name], "options": options[name]} for name in FACETS if options[name]]
