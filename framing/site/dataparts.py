"""Open data of a large archive in parts, so that no file a reader fetches is too large to download.

A small archive's open data is one file each, as framing/site/exports.py makes them. Where an export
could be larger than half of DATA_FILE_LIMIT, it is split, by sizes known before anything is made
(so each part is a data file of its own, made where the pages are made): each item's weight is an
upper bound of its JSON, from the lengths of its texts (JSON escapes a character in at most two
bytes where the loader lets it be) and of its URLs, and a part holds items weighing at most half of
DATA_FILE_LIMIT between them:

  data/annotations.jsonld      the W3C Web Annotation collection, with "first" and "last" naming
  data/annotations/page-K.jsonld  its pages (AnnotationPage, each "partOf" it, with "next"/"prev"):
                               the model's own paging;
  data/shared-passages.json    {"min_length", "total", "parts": [{"url", "passages"}]}, and
  data/shared-passages/part-K.json  each in the form of the unsplit file.

A single item heavier than a part stands alone in one; the build warns of any data file over
DATA_FILE_LIMIT (framing/output/sitesize.py).
"""

from __future__ import annotations

import functools
from typing import Callable

from framing.site import exports
from framing.site.view import EditionView

DATA_FILE_LIMIT = 10_000_000  # bytes: the largest data file a reader should have to fetch
ENVELOPE = 1000  # bytes: a part's own keys and URLs, beside its items
ITEM_KEYS = 600  # bytes: the keys and fixed values of one item

Maker = Callable[[], bytes]


def part_budget() -> int:
    """The weight of the items one part may hold."""
    return max(1, DATA_FILE_LIMIT // 2 - ENVELOPE)


def _bytes(*texts: str) -> int:
    """An upper bound of the bytes texts take as JSON strings."""
    return sum(2 * len(text.encode("utf-8")) + 2 for text in texts)


def parts(weights: list[int], budget: int) -> list[range]:
    """Consecutive ranges of the items, each weighing at most budget (an item heavier than that alone)."""
    found, start, weight = [], 0, 0
    for number, item in enumerate(weights):
        if number > start and weight + item > budget:
            found.append(range(start, number))
            start, weight = number, 0
        weight += item
    if start < len(weights) or not found:
        found.append(range(start, len(weights)))
    return found


# ---------------------------------------------------------------- annotations

def annotation_files(view: EditionView) -> list[tuple[str, Maker]]:
    """(path, maker) of the annotation collection, in one file or in pages."""
    ranges = parts([_annotation_weight(view, annotation) for annotation in view.archive.annotations], part_budget())
    if len(ranges) == 1:
        return [("data/annotations.jsonld", functools.partial(exports.annotation_collection, view))]
    return [("data/annotations.jsonld", functools.partial(annotation_index, view, len(ranges)))] + [
        (_page_path(number), functools.partial(annotation_page, view, ranges, number)) for number in range(1, len(ranges) + 1)]


def _annotation_weight(view: EditionView, annotation) -> int:
    """An upper bound of the bytes of the annotation in the collection (exports._annotation): its
    texts, its quote with the context around it (AFFIX characters each side), its URLs (the page's
    three times, the claim's once) and its keys."""
    page = len(_absolute(view, f"articles/{annotation.article}/")) + len(annotation.id) + 3
    commentary_en = annotation.commentary_en.text if annotation.commentary_en is not None else ""
    claim = len(_absolute(view, f"themes/{annotation.theme}/")) + 2 * len(annotation.claim or "") + 60
    span = annotation.span
    quote = 4 * (span.end - span.start + 2 * exports.AFFIX)  # characters of the paragraph: at most 4 bytes each in UTF-8
    tags = [tag for tag in (*annotation.tags, annotation.device, annotation.entman, annotation.frame) if tag]
    return (_bytes(annotation.commentary.text, commentary_en, annotation.gloss_en, annotation.theme, *tags)
            + 2 * quote + 3 * page + claim + 60 * len(tags) + ITEM_KEYS)


def _page_path(number: int) -> str:
    return f"data/annotations/page-{number}.jsonld"


def _absolute(view: EditionView, path: str) -> str:
    return view.archive.config.absolute(view.url(path))


def annotation_index(view: EditionView, pages: int) -> bytes:
    """The collection: its size and its first and last pages."""
    archive = view.archive
    return exports._json({
        "@context": exports.ANNOTATION_CONTEXT, "id": _absolute(view, "data/annotations.jsonld"),
        "type": "AnnotationCollection", "label": archive.config.title_en, "total": len(archive.annotations),
        "first": _absolute(view, _page_path(1)), "last": _absolute(view, _page_path(pages)),
    })


def annotation_page(view: EditionView, ranges: list[range], number: int) -> bytes:
    """Page number (from 1) of the collection."""
    annotations, items = view.archive.annotations, ranges[number - 1]
    page = {"@context": exports.ANNOTATION_CONTEXT, "id": _absolute(view, _page_path(number)), "type": "AnnotationPage",
            "partOf": _absolute(view, "data/annotations.jsonld"), "startIndex": items.start}
    if number > 1:
        page["prev"] = _absolute(view, _page_path(number - 1))
    if number < len(ranges):
        page["next"] = _absolute(view, _page_path(number + 1))
    page["items"] = exports.Streamed(len(items), lambda: (exports._annotation(view, annotations[n]) for n in items))
    return exports._json(page)


# ---------------------------------------------------------------- shared passages

def shared_passage_files(view: EditionView) -> list[tuple[str, Maker]]:
    """(path, maker) of the shared passages, in one file or in parts."""
    ranges = parts([_passage_weight(view, passage) for passage in view.index.shared], part_budget())
    if len(ranges) == 1:
        return [("data/shared-passages.json", functools.partial(exports.shared_passages, view))]
    return [("data/shared-passages.json", functools.partial(shared_index, view, ranges))] + [
        (_part_path(number), functools.partial(shared_part, view, ranges[number - 1])) for number in range(1, len(ranges) + 1)]


def _passage_weight(view: EditionView, passage) -> int:
    """An upper bound of the bytes of a shared passage in the export (exports.shared_passages)."""
    occurrences = 0
    for occurrence in passage.occurrences:
        span = occurrence.spans[0]
        url = len(_absolute(view, f"articles/{occurrence.article}/")) + len(passage.id) + 1
        occurrences += 2 * 4 * (span.end - span.start) + url + 2 * len(occurrence.article) + 120
    return _bytes(passage.id, passage.folded) + occurrences + ITEM_KEYS


def _part_path(number: int) -> str:
    return f"data/shared-passages/part-{number}.json"


def shared_index(view: EditionView, ranges: list[range]) -> bytes:
    return exports._json({"min_length": view.archive.config.shared_min_length, "total": len(view.index.shared),
                          "parts": [{"url": _absolute(view, _part_path(number)), "passages": len(items)}
                                    for number, items in enumerate(ranges, 1)]})


def shared_part(view: EditionView, items: range) -> bytes:
    return exports.shared_passages(view, items)
