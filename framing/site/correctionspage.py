"""The corrections log as pages show it: its own page in every edition, a link from each corrected
claim, annotation and article, and an Atom entry per correction. Pure functions of the records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from framing.source.records import Correction
from framing.site.routes import route_of_article

if TYPE_CHECKING:
    from framing.site.view import EditionView, Page

ROUTE = "corrections/"


def correction_url(view: "EditionView", correction: Correction) -> str:
    return view.url(ROUTE) + f"#correction-{correction.id}"


def corrections_of(view: "EditionView", kind: str, target: str) -> list[dict]:
    """The corrections of one claim, annotation or article (kind: 'claims', 'annotations' or
    'articles'), newest first, as links: {date, url, label}."""
    by_target = view.remembered(("corrections", kind), lambda: _by_target(view, kind))
    return by_target.get(target, [])


def _by_target(view: "EditionView", kind: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for correction in view.archive.corrections:
        for target in getattr(correction, kind):
            found.setdefault(target, []).append(
                {"date": correction.date.iso(), "url": correction_url(view, correction),
                 "label": view.fill("corrected_on", date=correction.date.iso())})
    return found


def _text(view: "EditionView", chinese: str, english: str) -> tuple[str, str]:
    """An entry's text in the edition's language, and its lang."""
    if view.edition.ui == "en" and english:
        return english, "en"
    return view.zh(chinese), view.chinese_lang()


def _concerns(view: "EditionView", correction: Correction) -> list[dict]:
    """What a correction concerns, as links to where it is now."""
    links = []
    for claim_id in correction.claims:
        claim = view.index.claims[claim_id]
        label, lang = view.label(claim.label, claim.label_en)
        links.append({"kind": view.strings["claim"], "label": label, "lang": lang, "url": view.resolve("claim", claim_id, "")})
    for annotation_id in correction.annotations:
        annotation = view.remembered(("annotations", "by id"), lambda: {a.id: a for a in view.archive.annotations})[annotation_id]
        article = view.index.articles[annotation.article]
        links.append({"kind": view.strings["note"], "label": view.passage_text(annotation), "lang": view.article_lang(article),
                      "url": view.url(route_of_article(article.slug)) + f"#a-{annotation.id}"})
    for slug in correction.articles:
        article = view.index.articles[slug]
        links.append({"kind": view.strings["kind_article"], "label": view.zh(article.title, article.script),
                      "lang": view.article_lang(article), "url": view.url(route_of_article(slug))})
    return links


def entry_view(view: "EditionView", correction: Correction) -> dict:
    what, what_lang = _text(view, correction.what, correction.what_en)
    why, why_lang = _text(view, correction.why, correction.why_en)
    return {"id": f"correction-{correction.id}", "date": correction.date.iso(), "what": what, "what_lang": what_lang,
            "why": why, "why_lang": why_lang, "concerns": _concerns(view, correction)}


def corrections_page(view: "EditionView") -> "Page":
    from framing.site.view import page_at

    title = view.strings["corrections"]
    log = {"title": title, "entries": [entry_view(view, c) for c in view.archive.corrections]}
    return page_at(view, ROUTE, "corrections.html", view.common(ROUTE, title, view.strings["corrections_intro"]) | {"log": log})


def feed_entries(view: "EditionView", edition_code: str) -> list[str]:
    """An Atom entry per correction, linking to it on the corrections page."""
    config = view.archive.config
    lines = []
    for correction in view.archive.corrections:
        entry = entry_view(view, correction)
        url = config.absolute(correction_url(view, correction))
        stamp = f"{correction.date.year:04d}-{correction.date.month or 1:02d}-{correction.date.day or 1:02d}T00:00:00+08:00"
        summary = f"{entry['what']} {view.strings['correction_why']}: {entry['why']}"
        lines += ["  <entry>", f"    <title>{escape(view.fill('correction_title', what=entry['what']))}</title>",
                  f"    <id>tag:framing-archive,2025:{edition_code}/corrections/{correction.id}</id>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
                  f"    <updated>{stamp}</updated>",
                  f"    <summary>{escape(summary)}</summary>",
                  "  </entry>"]
    return lines
