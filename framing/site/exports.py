"""Open data beside the pages: annotations as a W3C Web Annotation collection, claims as JSON and
CSV. Pure functions; output in content order, stable from build to build.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterator

from framing.site.view import EditionView
from framing.site.routes import route_of_article
from framing.site.shared import SharedPassage
from framing.source.records import Annotation, Article, Claim, PartialDate

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32  # characters of context kept in prefix and suffix


class Streamed(list):
    """A list the JSON encoder reads item by item: each item is made as it is written, so an export of
    a large archive never holds all its items as dictionaries at once."""

    def __init__(self, count: int, items: Callable[[], Iterator[dict]]) -> None:
        super().__init__()
        self._count, self._items = count, items

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict]:
        return self._items()


def _json(data) -> bytes:
    """data as JSON in UTF-8: compact, but with each item of a Streamed list on a line of its own, made
    and encoded (by json's C encoder) one at a time, so that a large export is quick to write, never
    held whole as dictionaries, and can be read a record at a time."""
    out = io.BytesIO()
    _write_json(out, data)
    out.write(b"\n")
    return out.getvalue()


def _write_json(out: io.BytesIO, value: object) -> None:
    """value into out; a Streamed list may sit in dicts, not in another list (the encoder reads a
    list's own storage, which a Streamed list leaves empty)."""
    if isinstance(value, Streamed):
        out.write(b"[")
        written = False
        for item in value:
            out.write(b",\n" if written else b"\n")
            out.write(_compact(item))
            written = True
        out.write(b"\n]" if written else b"]")
    elif isinstance(value, dict):  # the few keys around a Streamed list
        out.write(b"{")
        for number, (key, item) in enumerate(value.items()):
            out.write((b"," if number else b"") + _compact(key) + b":")
            _write_json(out, item)
        out.write(b"}")
    else:
        out.write(_compact(value))


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _annotation(view: EditionView, annotation: Annotation) -> dict:
    archive = view.archive
    article = view.index.articles[annotation.article]
    paragraph = article.paragraphs[annotation.span.paragraph]
    page = archive.config.absolute(view.url(route_of_article(article.slug)))
    bodies = [{"type": "TextualBody", "value": annotation.commentary.text, "format": "text/markdown",
               "language": "zh-Hans", "purpose": "commenting"}]
    if annotation.commentary_en is not None:
        bodies.append({"type": "TextualBody", "value": annotation.commentary_en.text, "format": "text/markdown",
                       "language": "en", "purpose": "commenting"})
    if annotation.gloss_en:
        bodies.append({"type": "TextualBody", "value": annotation.gloss_en, "language": "en", "purpose": "describing"})
    bodies.append({"type": "TextualBody", "value": annotation.theme, "purpose": "classifying"})
    if annotation.claim:
        claim = view.index.claims[annotation.claim]
        bodies.append({"type": "SpecificResource", "purpose": "assessing",
                       "source": archive.config.absolute(view.resolve("claim", claim.id, "")),
                       "value": claim.verdict})
    for tag in (*annotation.tags, annotation.device, annotation.entman, annotation.frame):
        if tag:
            bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    return {
        "id": f"{page}#a-{annotation.id}",
        "type": "Annotation",
        "motivation": "assessing" if annotation.claim else "commenting",
        "body": bodies,
        "target": {
            "source": page,
            "selector": {
                "type": "TextQuoteSelector",
                "exact": paragraph[annotation.span.start:annotation.span.end],
                "prefix": paragraph[max(0, annotation.span.start - AFFIX):annotation.span.start],
                "suffix": paragraph[annotation.span.end:annotation.span.end + AFFIX],
            },
        },
    }


def annotation_collection(view: EditionView) -> bytes:
    """Every annotation, targeting the archived article pages of the default edition."""
    archive = view.archive
    items = Streamed(len(archive.annotations), lambda: (_annotation(view, a) for a in archive.annotations))
    collection = archive.config.absolute(view.url("data/annotations.jsonld"))
    return _json({
        "@context": ANNOTATION_CONTEXT, "id": collection, "type": "AnnotationCollection",
        "label": archive.config.title_en, "total": len(items),
        "first": {"id": collection + "#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    })


def claim_record(view: EditionView, claim: Claim) -> dict:
    """One claim as plain data."""
    passages = view.index.by_claim[claim.id]
    return {
        "id": claim.id, "theme": claim.theme, "label": claim.label, "label_en": claim.label_en,
        "verdict": claim.verdict, "url": view.archive.config.absolute(view.resolve("claim", claim.id, "")),
        "articles": sorted({a.article for a in passages}), "passages": [a.id for a in passages],
        "sources": [{"publisher": s.publisher, "title": s.title, "date": s.date.iso(), "url": s.url, "via": s.via,
                     "accessed": s.accessed.iso() if s.accessed else ""} for s in claim.sources],
        "no_source": claim.no_source, "context": claim.context.text,
        "context_en": claim.context_en.text if claim.context_en else "",
    }


def claims_json(view: EditionView) -> bytes:
    claims = view.archive.claims
    return _json({"claims": Streamed(len(claims), lambda: (claim_record(view, c) for c in claims))})


def _iso(date: PartialDate | None) -> str:
    return date.iso() if date else ""


def article_record(view: EditionView, article: Article) -> dict:
    """One article's provenance as plain data: what its page's provenance block shows."""
    return {
        "slug": article.slug, "url": view.archive.config.absolute(view.url(route_of_article(article.slug))),
        "title": article.title, "outlet": article.outlet, "authors": list(article.authors),
        "published": _iso(article.published), "published_after": _iso(article.published_after),
        "published_before": _iso(article.published_before), "captured": _iso(article.captured),
        "sources": [{"url": s.url, "note": s.note, "accessed": _iso(s.accessed)} for s in article.sources],
        "script": article.script, "capture": article.capture, "sha256": article.sha256,
        "trimmed": [{"lines": t.label(), "what": t.what} for t in article.trims], "notes": article.notes,
        "annotations": len(view.index.by_article[article.slug]),
    }


def articles_json(view: EditionView) -> bytes:
    """Every article's provenance, in the archive's order."""
    articles = view.archive.articles
    return _json({"articles": Streamed(len(articles), lambda: (article_record(view, a) for a in articles))})


CSV_FIELDS = ("id", "theme", "verdict", "label", "label_en", "articles", "passages", "sources", "url")


def claims_csv(view: EditionView) -> bytes:
    """One row per claim; lists joined with ' | '; sources as 'publisher, title, date, url'."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for claim in view.archive.claims:
        record = claim_record(view, claim)
        sources = " | ".join(", ".join(filter(None, (s["publisher"], s["title"], s["date"], s["url"] or s["via"])))
                             for s in record["sources"])
        writer.writerow([record["id"], record["theme"], record["verdict"], record["label"], record["label_en"],
                         " | ".join(record["articles"]), len(record["passages"]), sources, record["url"]])
    return out.getvalue().encode("utf-8")


def shared_passages(view: EditionView, only: range | None = None) -> bytes:
    """Every passage shared between articles (those numbered in only, where given: a part of a large
    archive's, framing/site/dataparts.py), with every article and span that carries it."""

    def item(passage: SharedPassage) -> dict:
        occurrences = []
        for occurrence in passage.occurrences:
            article = view.index.articles[occurrence.article]
            span = occurrence.spans[0]
            occurrences.append({"article": occurrence.article,
                                "url": view.archive.config.absolute(view.url(route_of_article(occurrence.article))) + f"#{passage.id}",
                                "paragraph": span.paragraph + 1, "start": span.start, "end": span.end,
                                "text": article.paragraphs[span.paragraph][span.start:span.end]})
        return {"id": passage.id, "folded": passage.folded, "articles": len(occurrences), "occurrences": occurrences}

    shared = view.index.shared if only is None else view.index.shared[only.start:only.stop]
    return _json({"min_length": view.archive.config.shared_min_length,
                  "passages": Streamed(len(shared), lambda: (item(passage) for passage in shared))})
