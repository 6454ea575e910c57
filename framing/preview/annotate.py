"""Annotating from the preview, the pure part: a passage selected on an article page, as the quote
an editor would write, whether it anchors once, and what makes it anchor once if it does not.

The page shows a paragraph in the edition's script (a Traditional page of a Simplified article, say).
The browser sends the paragraph as shown and where the selection starts and ends in it; the text is
mapped back to the archived paragraph through the same folding anchoring uses (framing/source/anchor.py),
so the quote is written in the article's own script whatever edition was on screen. Whether it
anchors, and the shortest prefix or suffix that makes it anchor once, are asked of anchor_quote()
itself: there is no second set of rules here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from framing.source.anchor import AnchorFailure, Folded, TextFolder, anchor_quote
from framing.source.fields import is_slug
from framing.source.records import Article, Span

MAX_ID = 80  # an id's length limit (framing/source/fields.py SLUG_RULE)


class SelectionError(ValueError):
    """A selection that cannot become a quote, with what the editor should do instead."""


@dataclass(frozen=True)
class Context:
    """The 'prefix:' or 'suffix:' line that makes a quote anchor once."""

    key: str  # "prefix" or "suffix"
    text: str


@dataclass(frozen=True)
class Anchoring:
    """A selected passage as the annotation will give it, and how it anchors."""

    quote: str  # the archived text, in the article's own script
    span: Span  # where the selection is in the archived article
    occurrences: tuple[Span, ...]  # every passage the bare quote matches (one: it anchors as it is)
    context: Context | None  # what makes it anchor at span alone; None where it needs nothing or nothing helps

    @property
    def anchors(self) -> bool:
        """True where the quote, with the context if any, designates the selected passage alone."""
        return len(self.occurrences) == 1 or self.context is not None


def _folded_index(folded: Folded, offset: int) -> int:
    """How many folded characters come from the original text before offset."""
    if folded.positions is None:
        return offset
    return bisect.bisect_left(folded.positions, offset)


def archived_span(folder: TextFolder, article: Article, paragraph: int, shown: str, start: int, end: int) -> Span:
    """Where in the archived article the selection [start, end) of a paragraph as shown on a page lies.

    shown is the paragraph's text on the page (another script, perhaps); offsets are code points.
    White space at either end of the selection is left out.
    """
    if not 0 <= paragraph < len(article.paragraphs):
        raise SelectionError(f"the article '{article.slug}' has no paragraph {paragraph + 1}; reload the page")
    if not 0 <= start <= end <= len(shown):
        raise SelectionError("the selection is not inside the paragraph; select the passage again")
    while start < end and shown[start].isspace():
        start += 1
    while end > start and shown[end - 1].isspace():
        end -= 1
    if start == end:
        raise SelectionError("nothing is selected; select the passage to annotate")
    archived = article.paragraphs[paragraph]
    on_page, kept = folder.fold(shown), folder.fold(archived)
    # Script conversion is one character for one: the folded texts are the same length. Where they
    # are not, the page is older than the article (or shows another paragraph) and cannot be mapped.
    if len(on_page.text) != len(kept.text):
        raise SelectionError(f"paragraph {paragraph + 1} on the page is not the archived paragraph; reload the page")
    first, last = _folded_index(on_page, start), _folded_index(on_page, end)
    return Span(paragraph, kept.original(first, len(archived)), kept.original(last - 1, len(archived)) + 1)


def _context(folder: TextFolder, article: Article, folded: list[Folded], span: Span, quote: str) -> Context | None:
    """The shortest prefix or suffix (a suffix on a tie) with which the quote anchors at span alone."""
    text = article.paragraphs[span.paragraph]
    best: Context | None = None
    for key in ("suffix", "prefix"):
        longest = len(text) - span.end if key == "suffix" else span.start
        tried = ""
        for length in range(1, longest + 1):
            piece = (text[span.end:span.end + length] if key == "suffix" else text[span.start - length:span.start]).strip()
            if not piece or piece == tried:
                continue
            tried = piece
            if best is not None and len(piece) >= len(best.text):  # a prefix only where it is shorter
                break
            found = anchor_quote(folder, article.paragraphs, folded, quote, **{key: piece})
            if found == span:
                best = Context(key, piece)
                break
    return best


def anchoring(folder: TextFolder, article: Article, span: Span) -> Anchoring:
    """The quote a span of the archived article gives, where it matches, and what makes it anchor once."""
    quote = article.paragraphs[span.paragraph][span.start:span.end]
    folded = [folder.fold(p) for p in article.paragraphs]
    found = anchor_quote(folder, article.paragraphs, folded, quote)
    if isinstance(found, AnchorFailure):
        if found.reason != "ambiguous":  # a span of the article is in the article: only folding could lose it
            raise SelectionError("the selected text cannot be quoted on its own; select a longer passage")
        return Anchoring(quote, span, found.occurrences, _context(folder, article, folded, span, quote))
    return Anchoring(quote, span, (found,), None)


def id_prefix(slug: str, ids: list[str]) -> str:
    """What this article's annotation ids start with: the most common first part of its ids
    ('gc' for gc-launch-nov-14), else the initials of the article's slug."""
    counts: dict[str, int] = {}
    for ident in ids:
        head = ident.split("-", 1)[0]
        counts[head] = counts.get(head, 0) + 1
    if counts:
        return max(sorted(counts), key=lambda head: counts[head])
    return "".join(word[0] for word in slug.split("-"))[:8]


def propose_id(prefix: str, hint: str, taken: set[str]) -> str:
    """A free id: prefix-hint, or prefix-hint-2, -3, … (hint: a claim id, a theme, 'p12')."""
    hint = re.sub(r"[^a-z0-9]+", "-", hint.lower()).strip("-") or "note"
    stem = f"{prefix}-{hint}" if prefix and not hint.startswith(prefix + "-") else hint
    stem = stem[:MAX_ID - 4].strip("-")
    candidate, number = stem, 1
    while candidate in taken or not is_slug(candidate):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate
